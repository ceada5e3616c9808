// Sending a view's answer: data rendered with the renderer content negotiation chose.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Negotiated } from './negotiation.js';
import type { RenderContext } from './render.js';

/** Renders `data` with the negotiated renderer into the reply (DRF's Response.rendered_content). */
export function renderInto(
  request: FastifyRequest,
  reply: FastifyReply,
  negotiated: Negotiated,
  status: number,
  data: unknown,
): FastifyReply {
  const { renderer, accepted } = negotiated;
  const context: RenderContext = { request, reply, status, view: negotiated.view ?? null };
  if (data === undefined && !renderer.rendersEmpty) {
    return reply.code(status).removeHeader('content-type').send();
  }
  const body = renderer.render(data, accepted, context);
  // Through a serializer (here the identity), a string keeps the negotiated Content-Type exactly:
  // Fastify adds `; charset=utf-8` to a JSON type only when it serialises the body itself. Node
  // encodes the string into the socket, with no Buffer copy of the body made first.
  return reply
    .code(status === 204 ? 200 : status)
    .type(renderer.contentType?.(accepted) ?? renderer.mediaType)
    .serializer(rendered)
    .send(body);
}

/** The identity: the body is already rendered. */
function rendered(body: unknown): string {
  return body as string;
}

/** Sends data with the negotiated renderer. */
export function sendRendered(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  data: unknown,
): FastifyReply {
  const negotiated = request.negotiated;
  if (negotiated === null) throw new Error('sendRendered outside an API view');
  return renderInto(request, reply, negotiated, status, data);
}

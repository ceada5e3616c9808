// Django's SessionMiddleware: an answer that depended on the session says so with `Vary: Cookie`.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Django's `request.session.accessed`: set by SessionAuthentication, which reads the session as
     * DRF's does (`request._request.user`) whether or not there is a session cookie.
     */
    sessionAccessed: boolean;
  }
}

// Django's cc_delim_re: the separator of a comma-separated header.
const LIST_SEPARATOR = /\s*,\s*/;
// One header name alone (no list, no surrounding space, not `*`).
const SINGLE_NAME = /^[A-Za-z0-9!#$%&'+.^_`|~-]+$/;

/**
 * Django's `patch_vary_headers`: adds each of `names` to the reply's Vary unless it is there
 * already (compared case-insensitively), keeping the order; a `*` makes the whole header `*`.
 */
export function patchVary(reply: FastifyReply, names: readonly string[]): void {
  const current = reply.getHeader('vary');
  // The usual cases, without splitting: no Vary yet, or a single other name (`Accept`).
  if (current === undefined && names.length === 1) {
    void reply.header('vary', names[0]!);
    return;
  }
  if (typeof current === 'string' && names.length === 1 && names[0] !== '*' && SINGLE_NAME.test(current)) {
    const name = names[0]!;
    if (current.toLowerCase() !== name.toLowerCase()) void reply.header('vary', `${current}, ${name}`);
    return;
  }
  const vary =
    current === undefined
      ? []
      : String(current)
          .split(LIST_SEPARATOR)
          .filter((v) => v !== '');
  const present = new Set(vary.map((v) => v.toLowerCase()));
  for (const name of names) if (!present.has(name.toLowerCase())) vary.push(name);
  void reply.header('vary', vary.includes('*') ? '*' : vary.join(', '));
}

function varyOnSession(
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
  done: (error: Error | null, payload?: unknown) => void,
): void {
  // At send time, as Django's process_response: after the browsable API listed the view's headers.
  if (request.sessionAccessed) patchVary(reply, ['Cookie']);
  done(null, payload);
}

/**
 * Adds `Vary: Cookie` to every answer whose request read the session (a cache must not give one
 * browser's answer to another), errors included. Requests that never reached SessionAuthentication
 * (a Token-authenticated one, a 406 before authentication) do not vary by Cookie, as in DRF.
 */
export const sessionVaryPlugin = fp(
  function sessionVary(app: FastifyInstance, _options: unknown, done: (error?: Error) => void) {
    app.decorateRequest('sessionAccessed', false);
    app.addHook('onSend', varyOnSession);
    done();
  },
  { name: 'keygate-session-vary', fastify: '5.x', dependencies: ['keygate-sessions'] },
);

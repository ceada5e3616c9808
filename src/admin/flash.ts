// One-time messages shown on the next admin page ("The product “Mug” was added successfully."),
// carried in a short-lived signed cookie so they survive the redirect after a POST.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { adminRootOf } from './admin-root.js';

/** A message and how it is shown. */
export interface FlashMessage {
  readonly level: 'success' | 'warning' | 'error';
  readonly text: string;
}

const COOKIE = 'kg_messages';
/** Long enough for a redirect; a message never lingers for a later visit. */
const MAX_AGE_SECONDS = 60;
/** Messages already queued on a reply, so two in one response share the cookie. */
const pending = new WeakMap<FastifyReply, FlashMessage[]>();

/** Queues `message` for the page the reply redirects to. */
export function flash(reply: FastifyReply, message: FlashMessage): void {
  const queued = [...(pending.get(reply) ?? []), message];
  pending.set(reply, queued);
  void reply.setCookie(COOKIE, JSON.stringify(queued), {
    // Sent back to the admin's pages only, wherever it is mounted.
    path: adminRootOf(reply.request),
    httpOnly: true,
    sameSite: 'lax',
    secure: reply.server.keygate.config.production,
    signed: true,
    maxAge: MAX_AGE_SECONDS,
  });
}

function isMessage(value: unknown): value is FlashMessage {
  if (typeof value !== 'object' || value === null) return false;
  const { level, text } = value as Record<string, unknown>;
  return (level === 'success' || level === 'warning' || level === 'error') && typeof text === 'string';
}

/** The messages waiting for this request (they are cleared: each is shown once). */
export function takeMessages(request: FastifyRequest, reply: FastifyReply): FlashMessage[] {
  const raw = request.cookies[COOKIE];
  if (raw === undefined || raw === '') return [];
  void reply.clearCookie(COOKIE, { path: adminRootOf(request) });
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || unsigned.value === null) return [];
  try {
    const parsed: unknown = JSON.parse(unsigned.value);
    return Array.isArray(parsed) ? parsed.filter(isMessage) : [];
  } catch {
    return [];
  }
}

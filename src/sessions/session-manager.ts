// Session lifecycle for HTTP: read the cookie, load the session once per request, log in, log out.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { nowTimestamp, timestampAt } from '../time.js';
import type { User } from '../users/user.js';
import { SESSION_AGE_SECONDS, SESSION_COOKIE, sessionCookieOptions } from './session-cookie.js';
import { isSessionKey, newSessionKey, sessionDigest } from './session-key.js';
import type { SessionRepository, StoredSession } from './session-repository.js';

/** Logs browsers in and out and finds the session a request belongs to. */
export interface SessionManager {
  /** The digest of the well-formed, correctly signed session key the request carries, or null. */
  cookieDigest(request: FastifyRequest): string | null;
  /** The request's live session with its user, or null; read at most once per request. */
  load(request: FastifyRequest): Promise<StoredSession | null>;
  /** What `load` found for this request once it has finished; null before (or without a session). */
  loaded(request: FastifyRequest): StoredSession | null;
  /**
   * Logs `user` in: the session the request carried (if any) is deleted and a new key is issued,
   * so a key planted before login never becomes a logged-in session (session fixation).
   */
  start(request: FastifyRequest, reply: FastifyReply, user: User): Promise<void>;
  /** Logs out: deletes the session row (it really ends, in every process) and clears the cookie. */
  end(request: FastifyRequest, reply: FastifyReply): Promise<void>;
}

/** What the manager needs. */
export interface SessionManagerDeps {
  readonly sessions: SessionRepository;
  readonly production: boolean;
  /** The clock, in epoch milliseconds (tests). */
  readonly now?: () => number;
}

const NO_SESSION: Promise<StoredSession | null> = Promise.resolve(null);

/** Creates the session manager. */
export function createSessionManager(deps: SessionManagerDeps): SessionManager {
  const { sessions } = deps;
  const now = deps.now ?? Date.now;
  const cookieOptions = sessionCookieOptions(deps.production);
  // A deliberate per-request cache: authentication and the HTML page both ask for the session.
  const loading = new WeakMap<FastifyRequest, Promise<StoredSession | null>>();
  const found = new WeakMap<FastifyRequest, StoredSession | null>();

  function cookieDigest(request: FastifyRequest): string | null {
    const raw = request.cookies[SESSION_COOKIE];
    if (raw === undefined || raw === '') return null;
    const unsigned = request.unsignCookie(raw);
    if (!unsigned.valid || unsigned.value === null || !isSessionKey(unsigned.value)) return null;
    return sessionDigest(unsigned.value);
  }

  async function read(request: FastifyRequest): Promise<StoredSession | null> {
    const digest = cookieDigest(request);
    if (digest === null) return null;
    return (await sessions.findLive(digest, timestampAt(now()))) ?? null;
  }

  return {
    cookieDigest,

    load(request) {
      // Most API requests carry no session cookie at all: nothing to read or remember.
      if (!request.cookies[SESSION_COOKIE]) return NO_SESSION;
      let session = loading.get(request);
      if (session === undefined) {
        session = read(request).then((result) => {
          found.set(request, result);
          return result;
        });
        loading.set(request, session);
      }
      return session;
    },

    loaded: (request) => found.get(request) ?? null,

    async start(request, reply, user) {
      const previous = cookieDigest(request);
      if (previous !== null) await sessions.delete(previous);
      const key = newSessionKey();
      const at = now();
      await sessions.insert({
        id: sessionDigest(key),
        userId: user.id,
        created: nowTimestamp(),
        expiresAt: timestampAt(at + SESSION_AGE_SECONDS * 1000),
      });
      // Housekeeping (Django's clearsessions), on an index; never fails the login.
      await sessions.deleteExpired(timestampAt(at)).catch(() => 0);
      loading.delete(request);
      found.delete(request);
      void reply.setCookie(SESSION_COOKIE, key, cookieOptions);
    },

    async end(request, reply) {
      const digest = cookieDigest(request);
      if (digest !== null) await sessions.delete(digest);
      loading.set(request, Promise.resolve(null));
      found.set(request, null);
      const { maxAge: _maxAge, signed: _signed, ...attributes } = cookieOptions;
      void reply.clearCookie(SESSION_COOKIE, attributes);
    },
  };
}

// The headers every keygate answer carries, for answers written where Fastify's onSend hooks do not run.
import { REQUEST_ID_HEADER } from './logging.js';
import { HSTS, SECURITY_HEADERS } from './security-headers.js';

/** What decides the headers of an answer. */
export interface AnswerContext {
  /** Production mode: HSTS on HTTPS answers. */
  readonly production: boolean;
  /** Whether the client reached keygate over HTTPS. */
  readonly https: boolean;
  /** The request id the answer is logged under. */
  readonly requestId: string;
}

/**
 * The headers the app's onSend hooks add to every answer (Django's security headers, HSTS in
 * production over HTTPS, the request id), for the few answers written without those hooks: a
 * request Fastify could not route, an error answer whose own sending failed, a request Node's
 * parser refused.
 */
export function alwaysHeaders(context: AnswerContext): Record<string, string> {
  return {
    ...SECURITY_HEADERS,
    ...(context.production && context.https && { 'strict-transport-security': HSTS }),
    [REQUEST_ID_HEADER]: context.requestId,
  };
}

// Error classes with DRF's status codes and bodies; one error handler turns them into responses.

/** Field name -> messages, in field order; `non_field_errors` for errors about the whole input. */
export type FieldErrors = Record<string, string[]>;

/**
 * Base of every error the API answers with on purpose. `body` is sent as JSON. It is an answer, not
 * a fault, so it carries no stack trace: capturing one cost more than the rest of a 401.
 */
export class ApiError extends Error {
  constructor(
    /** The HTTP status of the answer (401, 403, 404, 429, ...). */
    readonly statusCode: number,
    /** A stable machine-readable code (`not_authenticated`, `throttled`, ...), as DRF's `default_code`. */
    readonly code: string,
    /** The JSON body sent as is: `{"detail": "..."}`, or field errors for a {@link ValidationError}. */
    readonly body: unknown,
    /** Extra response headers (`Retry-After`, `Allow`, ...); lower-case names. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(typeof body === 'object' && body !== null && 'detail' in body ? String(body.detail) : code);
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
    this.name = new.target.name;
  }
}

/** Errors whose body is DRF's `{"detail": "..."}`. */
export class DetailError extends ApiError {
  constructor(
    statusCode: number,
    code: string,
    detail: string,
    headers: Readonly<Record<string, string>> = {},
  ) {
    super(statusCode, code, { detail }, headers);
  }
}

/** No credentials came with a request that needs them (401 with WWW-Authenticate, or 403). */
export class NotAuthenticated extends DetailError {
  constructor(detail = 'Authentication credentials were not provided.') {
    super(401, 'not_authenticated', detail);
  }
}

/** Credentials came and were wrong (401 with WWW-Authenticate, or 403). */
export class AuthenticationFailed extends DetailError {
  constructor(detail = 'Incorrect authentication credentials.') {
    super(401, 'authentication_failed', detail);
  }
}

/** The user is known but may not do this. */
export class PermissionDenied extends DetailError {
  constructor(detail = 'You do not have permission to perform this action.') {
    super(403, 'permission_denied', detail);
  }
}

/**
 * An unsafe request authenticated by session (or a form) failed Django's CSRF check; DRF's
 * `{"detail": "CSRF Failed: <reason>"}`, always 403.
 */
export class CsrfFailed extends PermissionDenied {
  constructor(readonly reason: string) {
    super(`CSRF Failed: ${reason}`);
  }
}

/** No such object or path. */
export class NotFound extends DetailError {
  constructor(detail = 'Not found.') {
    super(404, 'not_found', detail);
  }
}

/**
 * Django's Resolver404: the URL matches none of the site's URL patterns (as opposed to NotFound,
 * an API view's own 404). Answered with Django's HTML 404 page (http/not-found-page.ts), not JSON.
 */
export class NoRouteMatches extends Error {
  readonly code = 'no_route';

  constructor() {
    // Like ApiError's, an answer rather than a fault: no stack trace to capture.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super('No route matches the URL.');
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
    this.name = 'NoRouteMatches';
  }
}

/** The route exists but not for this method. */
export class MethodNotAllowed extends DetailError {
  constructor(method: string, allow?: string) {
    super(405, 'method_not_allowed', `Method "${method}" not allowed.`, allow ? { allow } : {});
  }
}

/** Nothing the client accepts can be produced. */
export class NotAcceptable extends DetailError {
  constructor() {
    super(406, 'not_acceptable', 'Could not satisfy the request Accept header.');
  }
}

/** The body's media type is not one the view parses. */
export class UnsupportedMediaType extends DetailError {
  constructor(mediaType: string) {
    super(415, 'unsupported_media_type', `Unsupported media type "${mediaType}" in request.`);
  }
}

/** The body could not be parsed. */
export class ParseError extends DetailError {
  constructor(detail: string) {
    super(400, 'parse_error', detail);
  }
}

/** The request body is past the size limit (1 MiB): refused before it is read whole. */
export class RequestTooLarge extends DetailError {
  constructor() {
    super(413, 'too_large', 'Request body is too large.');
  }
}

/** Too many attempts; `retryAfter` in whole seconds. */
export class Throttled extends DetailError {
  constructor(retryAfter: number) {
    super(429, 'throttled', `Request was throttled. Expected available in ${retryAfter} seconds.`, {
      'retry-after': String(retryAfter),
    });
  }
}

/** A dependency (the database) cannot answer now: DRF's ServiceUnavailable. */
export class ServiceUnavailable extends DetailError {
  constructor() {
    super(503, 'service_unavailable', 'Service temporarily unavailable, try again later.', {
      'retry-after': '1',
    });
  }
}

/** Input failed validation: 400 with messages per field. */
export class ValidationError extends ApiError {
  constructor(
    /** The messages per field, also sent as the body. */
    readonly fields: FieldErrors,
  ) {
    super(400, 'invalid', fields);
  }
}

/** A domain object named on the command line or in a form does not exist. */
export class DoesNotExist extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DoesNotExist';
  }
}

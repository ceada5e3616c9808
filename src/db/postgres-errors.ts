// Which PostgreSQL errors mean "the database is unavailable" (a 503) or "that value is taken".

// Connection failures (socket errors, pool connect timeouts), SQLSTATE class 08 (connection
// exception) and 57P01-57P03 (the server is shutting down or starting up).
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  '57P01',
  '57P02',
  '57P03',
]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly/;

/** True when `error` says the server could not be reached or is shutting down or starting up. */
export function isPostgresUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
  if (error instanceof AggregateError) return error.errors.some(isPostgresUnavailable);
  return UNAVAILABLE_MESSAGES.test(error.message);
}

/** True when `error` is a unique constraint violation (SQLSTATE 23505). */
export function isPostgresUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23505';
}

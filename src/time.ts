// Timestamps as keygate stores and emits them: ISO 8601 UTC with microseconds.
import { performance } from 'node:perf_hooks';

/** The current time as `2026-11-27T23:29:42.748410Z` (microsecond resolution, as Django emits). */
export function nowTimestamp(): string {
  const now = performance.timeOrigin + performance.now();
  const millis = Math.floor(now);
  const micros = Math.min(999, Math.floor((now - millis) * 1000));
  return `${new Date(millis).toISOString().slice(0, 23)}${String(micros).padStart(3, '0')}Z`;
}

/** Milliseconds since the epoch of a stored timestamp (sub-millisecond digits are dropped). */
export function timestampMillis(timestamp: string): number {
  return Date.parse(timestamp);
}

/** A stored timestamp for an instant given in epoch milliseconds (`2026-11-27T23:29:42.748000Z`). */
export function timestampAt(millis: number): string {
  return `${new Date(millis).toISOString().slice(0, 23)}000Z`;
}

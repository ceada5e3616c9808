// Where to go after logging in or out: `?next=` only when it stays on this site.

/** C0 controls and DEL: browsers drop tabs and newlines from URLs, so `/\t/evil.com` is `//evil.com`. */
function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/**
 * `next` when it is a local path (Django's url_has_allowed_host_and_scheme with no hosts allowed):
 * it starts with one `/`, not `//` nor `/\` (both mean another host to a browser), carries no
 * scheme or control characters, and resolves to this origin. Anything else is null.
 */
export function localNext(next: unknown): string | null {
  if (typeof next !== 'string' || !next.startsWith('/')) return null;
  if (next.startsWith('//') || next.startsWith('/\\') || hasControl(next)) return null;
  try {
    const base = 'http://keygate.invalid';
    if (new URL(next, base).origin !== base) return null;
  } catch {
    return null;
  }
  return next;
}

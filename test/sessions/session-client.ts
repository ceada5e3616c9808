// Test support: a browser-like client over app.inject that keeps cookies and reads CSRF tokens.
import assert from 'node:assert/strict';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';

/** The CSRF token of the first form on an HTML page. */
export function csrfTokenIn(html: string): string {
  const match = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(html);
  assert.ok(match, 'the page has a CSRF token');
  return match[1]!;
}

/** A urlencoded form body. */
export function formBody(fields: Readonly<Record<string, string>>): string {
  return new URLSearchParams(fields).toString();
}

/** Keeps the cookies an app sets, as a browser would, and sends them back. */
export class SessionClient {
  readonly cookies = new Map<string, string>();

  constructor(
    readonly app: FastifyInstance,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {}

  /** The Cookie header this client sends. */
  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** Sends a request with the stored cookies, then stores what the response sets or clears. */
  async send(options: InjectOptions): Promise<LightMyRequestResponse> {
    const cookie = this.cookieHeader();
    const response = await this.app.inject({
      ...options,
      headers: { ...this.headers, ...(cookie !== '' && { cookie }), ...options.headers },
    });
    for (const set of response.cookies as {
      name: string;
      value: string;
      maxAge?: number;
      expires?: Date;
    }[]) {
      const expired = set.maxAge === 0 || (set.expires !== undefined && set.expires.getTime() < Date.now());
      if (expired || set.value === '') this.cookies.delete(set.name);
      // Stored as sent (percent-encoded, as @fastify/cookie encodes values), not decoded: a value
      // with `;` or `,` must come back in one piece.
      else this.cookies.set(set.name, encodeURIComponent(set.value));
    }
    return response;
  }

  /** GETs an HTML page and returns the CSRF token of its forms. */
  async tokenFrom(url: string): Promise<string> {
    const page = await this.send({ method: 'GET', url, headers: { accept: 'text/html' } });
    return csrfTokenIn(page.body);
  }

  /** Posts a form with the CSRF token of `pageUrl`'s forms. */
  async postForm(url: string, fields: Readonly<Record<string, string>>, pageUrl = url) {
    const csrfmiddlewaretoken = await this.tokenFrom(pageUrl);
    return this.send({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      payload: formBody({ ...fields, csrfmiddlewaretoken }),
    });
  }

  /** Logs in through /auth/login/; returns the response (302 on success). */
  login(username: string, password: string, next?: string): Promise<LightMyRequestResponse> {
    return this.postForm('/auth/login/', { username, password, ...(next !== undefined && { next }) });
  }
}

/**
 * A browser's session on one server over real HTTP: it keeps the cookies the server sets, sends
 * `Accept: text/html`, and does not follow redirects (the tests read them).
 */
export class Browser {
  readonly #cookies = new Map<string, string>();

  constructor(readonly base: string) {}

  /** Requests `path` with the cookies kept so far; keeps the ones the response sets. */
  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const cookie = [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(`${this.base}${path}`, {
      ...init,
      redirect: 'manual',
      headers: { accept: 'text/html', ...(cookie !== '' && { cookie }), ...init.headers },
    });
    for (const set of response.headers.getSetCookie()) {
      const end = set.indexOf(';');
      const pair = end === -1 ? set : set.slice(0, end);
      this.#cookies.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
    }
    return response;
  }

  /** Fetches `pageUrl`'s form and posts `fields` to `path` with the CSRF token the form carries. */
  async postForm(path: string, fields: Readonly<Record<string, string>>, pageUrl = path): Promise<Response> {
    const csrfmiddlewaretoken = csrfTokenIn(await (await this.fetch(pageUrl)).text());
    return this.fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...fields, csrfmiddlewaretoken }).toString(),
    });
  }
}

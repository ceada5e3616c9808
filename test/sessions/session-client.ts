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

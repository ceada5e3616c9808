// quote_plus and patch_vary_headers as Python and Django give them, on their short paths and the long ones.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyReply } from 'fastify';
import { patchVary } from '../../src/auth/session-vary.js';
import { encodeSortedQuery, parseQuery, quotePlus, replaceQueryParam } from '../../src/http/query-string.js';
import { representTimestamp } from '../../src/model/fields/datetime.js';

describe('quotePlus (Python urllib.parse.quote_plus)', () => {
  it('leaves unreserved text alone and escapes the rest as Python does', () => {
    const cases: [string, string][] = [
      ['limit', 'limit'],
      ['20', '20'],
      ['', ''],
      ['a-b_c.d~e', 'a-b_c.d~e'],
      ['a b', 'a+b'],
      ["!'()*", '%21%27%28%29%2A'],
      ['a+b&c=d/e', 'a%2Bb%26c%3Dd%2Fe'],
      ['café', 'caf%C3%A9'],
      ['%', '%25'],
    ];
    for (const [text, quoted] of cases) assert.equal(quotePlus(text), quoted, text);
  });
});

describe('parseQuery and encodeSortedQuery (parse_qs, urlencode(sorted(...), doseq=True))', () => {
  it('decodes + and escapes, keeps blank values and repeated names', () => {
    const parsed = parseQuery('b=2&a=x+y&c=%C3%A9&a=&d&=v&bad=%E0%A4%A');
    assert.deepEqual(
      [...parsed],
      [
        ['b', ['2']],
        ['a', ['x y', '']],
        ['c', ['é']],
        ['d', ['']],
        ['', ['v']],
        ['bad', ['%E0%A4%A']],
      ],
    );
    assert.equal(encodeSortedQuery(parsed), '=v&a=x+y&a=&b=2&bad=%25E0%25A4%25A&c=%C3%A9&d=');
    assert.equal(encodeSortedQuery(new Map()), '');
  });

  it('replaces one parameter of a link, as DRF builds the next page', () => {
    assert.equal(
      replaceQueryParam('http://h/p/?search=a+b&limit=20', 'offset', 20),
      'http://h/p/?limit=20&offset=20&search=a+b',
    );
  });
});

/** A reply holding headers, as patchVary uses one. */
function replyWith(vary?: string): FastifyReply & { readonly headers: Record<string, string> } {
  const headers: Record<string, string> = vary === undefined ? {} : { vary };
  const reply = {
    headers,
    getHeader: (name: string) => headers[name],
    header(name: string, value: string) {
      headers[name] = value;
      return reply;
    },
  };
  return reply as unknown as FastifyReply & { readonly headers: Record<string, string> };
}

describe('patchVary (Django patch_vary_headers)', () => {
  it('adds a name, once, keeping the order and the first spelling', () => {
    const cases: [string | undefined, string[], string][] = [
      [undefined, ['Cookie'], 'Cookie'],
      ['Accept', ['Cookie'], 'Accept, Cookie'],
      ['Cookie', ['Cookie'], 'Cookie'],
      ['cookie', ['Cookie'], 'cookie'],
      ['Accept, Cookie', ['Cookie'], 'Accept, Cookie'],
      ['Accept,Origin', ['Cookie'], 'Accept, Origin, Cookie'],
      ['Accept', ['Cookie', 'Origin'], 'Accept, Cookie, Origin'],
      [undefined, ['*'], '*'],
      ['Accept', ['*'], '*'],
      ['*', ['Cookie'], '*'],
    ];
    for (const [before, names, after] of cases) {
      const reply = replyWith(before);
      patchVary(reply, names);
      assert.equal(reply.headers.vary, after, `${before} + ${names.join(',')}`);
    }
  });
});

describe('representTimestamp (DRF DateTimeField.to_representation)', () => {
  it('drops microseconds that are all zero, as isoformat() does, and nothing else', () => {
    assert.equal(representTimestamp('2026-01-02T10:20:00.000000Z'), '2026-01-02T10:20:00Z');
    assert.equal(representTimestamp('2026-01-02T10:20:00.000001Z'), '2026-01-02T10:20:00.000001Z');
    assert.equal(representTimestamp('2026-01-02T10:20:00.100000Z'), '2026-01-02T10:20:00.100000Z');
  });
});

// Pagination classes: DRF's LimitOffsetPagination options and PageNumberPagination (Django's
// Paginator rules), as functions and over HTTP on a table of the test's own, per dialect.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Keygate } from '../../src/index.js';
import { pageCount, pageNumberPagination, requestedPage } from '../../src/http/page-number-pagination.js';
import { limitOffsetPagination, pageWindow } from '../../src/http/pagination.js';
import { POSTGRES_AVAILABLE, type TestDatabase } from '../helpers.js';
import { createNotesTable, insertNotes, notesApp, notesResource, openTestKeygate } from './notes-fixture.js';

const INVALID_PAGE = '{"detail":"Invalid page."}';
const HOST = { host: 'testserver' };

describe('page number parsing (DRF get_page_number, Django validate_number)', () => {
  const cases: [unknown, number | 'last' | null][] = [
    [undefined, 1],
    ['', 1],
    ['2', 2],
    [' 3 ', 3],
    ['+4', 4],
    ['1_0', 10],
    ['last', 'last'],
    ['LAST', null],
    ['0', null],
    ['-1', null],
    ['1.0', null],
    ['abc', null],
    ['1__0', null],
  ];
  for (const [raw, expected] of cases) {
    it(`${JSON.stringify(raw)} -> ${String(expected)}`, () => assert.equal(requestedPage(raw), expected));
  }
  it('counts pages as Paginator.num_pages (an empty list has one page)', () => {
    assert.deepEqual(
      [pageCount(0, 10), pageCount(1, 10), pageCount(10, 10), pageCount(11, 10), pageCount(25, 10)],
      [1, 1, 1, 2, 3],
    );
  });
  it('refuses a page size that is not a positive integer', () => {
    assert.throws(() => pageNumberPagination({ pageSize: 0 }), TypeError);
  });
});

describe('limit/offset options', () => {
  it('keeps the default window of 100 and cuts a limit to maxLimit', () => {
    assert.deepEqual(pageWindow({}), { limit: 100, offset: 0 });
    assert.deepEqual(pageWindow({ limit: '500', offset: '3' }, 5, 50), { limit: 50, offset: 3 });
    assert.deepEqual(pageWindow({ limit: 'x' }, 5, 50), { limit: 5, offset: 0 });
    assert.deepEqual(pageWindow({ limit: ['9', '7'] }, 5), { limit: 7, offset: 0 });
  });
  it('documents limit with its default and maximum', () => {
    const { parameters } = limitOffsetPagination({ defaultLimit: 5, maxLimit: 8 });
    assert.deepEqual(Object.keys(parameters), ['limit', 'offset']);
    assert.equal((parameters.limit as { maximum?: number }).maximum, 8);
    assert.match(String((parameters.limit as { description?: string }).description), /default 5/);
  });
});

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(
    `pagination classes over HTTP [${dialect}]`,
    { skip: dialect === 'postgres' && !POSTGRES_AVAILABLE },
    () => {
      let keygate: Keygate;
      let database: TestDatabase;
      let paged: FastifyInstance;
      let empty: FastifyInstance;
      let limited: FastifyInstance;
      const pages = pageNumberPagination({ pageSize: 10, pageSizeQueryParam: 'page_size', maxPageSize: 20 });

      before(async () => {
        ({ keygate, database } = await openTestKeygate(dialect));
        for (const table of ['paged', 'empty_paged', 'limited']) await createNotesTable(keygate, table);
        const titles = Array.from({ length: 25 }, (_, i) => ({ title: `note ${i + 1}` }));
        await insertNotes(keygate, 'paged', titles);
        await insertNotes(keygate, 'limited', titles);
        paged = await notesApp(keygate, notesResource(keygate, 'paged', { pagination: pages }));
        empty = await notesApp(keygate, notesResource(keygate, 'empty_paged', { pagination: pages }));
        limited = await notesApp(
          keygate,
          notesResource(keygate, 'limited', {
            pagination: limitOffsetPagination({ defaultLimit: 5, maxLimit: 8 }),
          }),
        );
      });

      after(async () => {
        await paged.close();
        await empty.close();
        await limited.close();
        await keygate.close();
        await database.drop();
      });

      const list = async (app: FastifyInstance, url: string) => {
        const response = await app.inject({ url, headers: HOST });
        return { status: response.statusCode, body: response.body, json: () => response.json<PageBody>() };
      };
      interface PageBody {
        count: number;
        next: string | null;
        previous: string | null;
        results: { id: number }[];
      }
      const ids = (body: PageBody) => body.results.map((note) => note.id);

      it('answers page 1 by default, with a next link and no previous one', async () => {
        const page = await list(paged, '/paged/');
        assert.equal(page.status, 200, page.body);
        const body = page.json();
        assert.deepEqual(Object.keys(body), ['count', 'next', 'previous', 'results']);
        assert.equal(body.count, 25);
        assert.deepEqual(ids(body), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        assert.equal(body.next, 'http://testserver/paged/?page=2');
        assert.equal(body.previous, null);
      });

      it("links page 2's previous to the URL without `page` (remove_query_param)", async () => {
        const body = (await list(paged, '/paged/?page=2')).json();
        assert.deepEqual(ids(body), [11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
        assert.equal(body.previous, 'http://testserver/paged/');
        assert.equal(body.next, 'http://testserver/paged/?page=3');
      });

      it('answers the last page, by number or as `last`', async () => {
        for (const url of ['/paged/?page=3', '/paged/?page=last']) {
          const body = (await list(paged, url)).json();
          assert.deepEqual(ids(body), [21, 22, 23, 24, 25], url);
          assert.equal(body.next, null);
          assert.equal(body.previous, 'http://testserver/paged/?page=2');
        }
      });

      it('answers 404 "Invalid page." past the end, below 1 and for a non-number', async () => {
        for (const page of ['4', '0', '-1', 'abc', '2.0']) {
          const answer = await list(paged, `/paged/?page=${page}`);
          assert.equal(answer.status, 404, page);
          assert.equal(answer.body, INVALID_PAGE);
        }
      });

      it('takes the page size from page_size, cut to maxPageSize, and keeps it in the links', async () => {
        const body = (await list(paged, '/paged/?page_size=5&page=2')).json();
        assert.deepEqual(ids(body), [6, 7, 8, 9, 10]);
        assert.equal(body.next, 'http://testserver/paged/?page=3&page_size=5');
        assert.equal(body.previous, 'http://testserver/paged/?page_size=5');
        const big = (await list(paged, '/paged/?page_size=100')).json();
        assert.equal(big.results.length, 20);
        assert.equal((await list(paged, '/paged/?page_size=0')).json().results.length, 10);
      });

      it('answers page 1 of an empty list, and 404 for page 2', async () => {
        const first = await list(empty, '/empty_paged/');
        assert.equal(first.status, 200);
        assert.equal(first.body, '{"count":0,"next":null,"previous":null,"results":[]}');
        assert.equal((await list(empty, '/empty_paged/?page=last')).status, 200);
        const second = await list(empty, '/empty_paged/?page=2');
        assert.equal(second.status, 404);
        assert.equal(second.body, INVALID_PAGE);
      });

      it('uses limit/offset options: the default limit and the maximum', async () => {
        const body = (await list(limited, '/limited/')).json();
        assert.deepEqual(ids(body), [1, 2, 3, 4, 5]);
        assert.equal(body.next, 'http://testserver/limited/?limit=5&offset=5');
        const cut = (await list(limited, '/limited/?limit=50&offset=20')).json();
        assert.deepEqual(ids(cut), [21, 22, 23, 24, 25]);
        assert.equal(cut.previous, 'http://testserver/limited/?limit=8&offset=12');
      });

      it("documents each class's query parameters on the list operation", async () => {
        const names = async (app: FastifyInstance, path: string) => {
          const document = (await app.inject({ url: '/openapi.json' })).json<{
            paths: Record<string, { get: { parameters?: { name: string; in: string }[] } }>;
          }>();
          return (document.paths[path]?.get.parameters ?? [])
            .filter((p) => p.in === 'query')
            .map((p) => p.name);
        };
        assert.deepEqual(await names(paged, '/paged/'), ['page', 'page_size']);
        assert.deepEqual(await names(limited, '/limited/'), ['limit', 'offset']);
      });
    },
  );
}

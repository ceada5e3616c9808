// SearchFilter and OrderingFilter: DRF's term parsing as functions, and the filtered, ordered list
// over HTTP on a table of the test's own, per dialect (LIKE metacharacters match themselves).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../src/errors.js';
import type { Keygate } from '../../src/index.js';
import { NULL_CHARACTERS, orderingTerms, searchSmartSplit, searchTerms } from '../../src/http/filters.js';
import { POSTGRES_AVAILABLE, type TestDatabase } from '../helpers.js';
import { createNotesTable, insertNotes, notesApp, notesResource, openTestKeygate } from './notes-fixture.js';

describe('search_smart_split', () => {
  const cases: [string, string[]][] = [
    // DRF's tests/test_filters.py SearchSplitTests.
    ['"hello, world"', ['hello, world']],
    [',,"hello, world"', ['hello, world']],
    [',,"hello, world",,', ['hello, world']],
    ['"hello, world",,', ['hello, world']],
    [',,hello, world', ['hello', 'world']],
    [',,hello, world,,', ['hello', 'world']],
    ['hello, world,,', ['hello', 'world']],
    ['"hello, world",found', ['"hello', 'world"', 'found']],
    // Django's smart_split and unescape_string_literal; Python's whitespace, not JavaScript's.
    ['', []],
    ['  apple \t pie\n', ['apple', 'pie']],
    ["'it\\'s here'", ["it's here"]],
    ['"a \\"b\\" c"', ['a "b" c']],
    ['"back\\\\slash"', ['back\\slash']],
    ['a\u001cb', ['a', 'b']],
    ['a\ufeffb', ['a\ufeffb']],
    ['"', ['']],
    ['say"hi there"now', ['say"hi there"now']],
    ['"unclosed phrase', ['"unclosed', 'phrase']],
  ];
  for (const [text, expected] of cases) {
    it(`${JSON.stringify(text)} -> ${JSON.stringify(expected)}`, () =>
      assert.deepEqual(searchSmartSplit(text), expected));
  }

  it("reads the last ?search= and refuses a NUL as DRF's CharField does", () => {
    assert.deepEqual(searchTerms({ search: ['first', 'second one'] }), ['second', 'one']);
    assert.deepEqual(searchTerms({}), []);
    assert.throws(
      () => searchTerms({ search: '\0as\0d' }),
      (error: unknown) =>
        error instanceof ApiError &&
        error.statusCode === 400 &&
        JSON.stringify(error.body) === `["${NULL_CHARACTERS}"]`,
    );
  });
});

describe('OrderingFilter.get_ordering', () => {
  const options = { fields: ['title', 'body', 'id'], default: '-id' };
  it('keeps the valid terms in order, stripped, and drops the others', () => {
    assert.deepEqual(orderingTerms({ ordering: 'title, -body ,nope,--id,-, -id' }, options), [
      { field: 'title', descending: false },
      { field: 'body', descending: true },
      { field: 'id', descending: true },
    ]);
  });
  it('falls back to the default when nothing valid is asked', () => {
    const byIdDown = [{ field: 'id', descending: true }];
    assert.deepEqual(orderingTerms({ ordering: 'nope,owner' }, options), byIdDown);
    assert.deepEqual(orderingTerms({ ordering: '' }, options), byIdDown);
    assert.deepEqual(orderingTerms({}, options), byIdDown);
    assert.deepEqual(orderingTerms({}, { fields: ['title'], default: ['title', '-id'] }), [
      { field: 'title', descending: false },
      { field: 'id', descending: true },
    ]);
    assert.deepEqual(orderingTerms({ ordering: 'nope' }, { fields: ['title'] }), []);
  });
  it('reads the last ?ordering=', () => {
    assert.deepEqual(orderingTerms({ ordering: ['-title', 'body'] }, options), [
      { field: 'body', descending: false },
    ]);
  });
});

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(
    `search and ordering over HTTP [${dialect}]`,
    { skip: dialect === 'postgres' && !POSTGRES_AVAILABLE },
    () => {
      let keygate: Keygate;
      let database: TestDatabase;
      let searched: FastifyInstance;
      let ordered: FastifyInstance;

      before(async () => {
        ({ keygate, database } = await openTestKeygate(dialect));
        await createNotesTable(keygate, 'searched');
        await createNotesTable(keygate, 'ordered');
        await insertNotes(keygate, 'searched', [
          { title: 'Apple pie', body: 'sweet' },
          { title: 'apple TART', body: '50% sugar' },
          { title: 'Banana', body: 'a_b' },
          { title: 'Cherry', body: 'back\\slash' },
          { title: 'Date 100%', body: 'x' },
          { title: 'apple', body: 'pie' },
        ]);
        await insertNotes(keygate, 'ordered', [
          { title: 'b' },
          { title: 'a' },
          { title: 'c' },
          { title: 'a' },
        ]);
        const filters = {
          search: { fields: ['title', 'body'] },
          ordering: { fields: ['title', 'id'], default: '-id' },
        };
        searched = await notesApp(keygate, notesResource(keygate, 'searched', filters));
        ordered = await notesApp(
          keygate,
          notesResource(keygate, 'ordered', { ordering: { fields: ['title'] } }),
        );
      });

      after(async () => {
        await searched.close();
        await ordered.close();
        await keygate.close();
        await database.drop();
      });

      const ids = async (app: FastifyInstance, path: string, query: Record<string, string>) => {
        const response = await app.inject({ url: path, query, headers: { host: 'testserver' } });
        assert.equal(response.statusCode, 200, response.body);
        const body = response.json<{ count: number; results: { id: number }[] }>();
        assert.equal(body.count, body.results.length);
        return body.results.map((note) => note.id);
      };
      const search = (text: string) => ids(searched, '/searched/', { search: text });

      it('finds each term in any search field, ignoring case; every term must be found', async () => {
        assert.deepEqual(await search('apple'), [6, 2, 1]);
        assert.deepEqual(await search('APPLE'), [6, 2, 1]);
        assert.deepEqual(await search('apple pie'), [6, 1]);
        assert.deepEqual(await search('apple,pie'), [6, 1]);
        assert.deepEqual(await search('"apple pie"'), [1]);
        assert.deepEqual(await search('apple nothing'), []);
        assert.deepEqual(await search(''), [6, 5, 4, 3, 2, 1]);
      });

      it('matches %, _ and \\ literally', async () => {
        assert.deepEqual(await search('%'), [5, 2]);
        assert.deepEqual(await search('_'), [3]);
        assert.deepEqual(await search('\\'), [4]);
        assert.deepEqual(await search('0%'), [5, 2]);
      });

      it('refuses a NUL in the search with a 400 before reading', async () => {
        const response = await searched.inject({ url: '/searched/?search=a%00b' });
        assert.equal(response.statusCode, 400);
        assert.equal(response.body, `["${NULL_CHARACTERS}"]`);
      });

      it('counts the matches and keeps the search in the page links', async () => {
        const response = await searched.inject({
          url: '/searched/?search=apple&limit=1',
          headers: { host: 'testserver' },
        });
        const body = response.json<{ count: number; next: string }>();
        assert.equal(body.count, 3);
        assert.equal(body.next, 'http://testserver/searched/?limit=1&offset=1&search=apple');
      });

      it('orders by the valid ?ordering= terms, then by id ascending', async () => {
        assert.deepEqual(await ids(ordered, '/ordered/', { ordering: 'title' }), [2, 4, 1, 3]);
        assert.deepEqual(await ids(ordered, '/ordered/', { ordering: '-title' }), [3, 1, 2, 4]);
        assert.deepEqual(await ids(ordered, '/ordered/', { ordering: 'body,-title' }), [3, 1, 2, 4]);
        assert.deepEqual(await ids(ordered, '/ordered/', { ordering: 'nope' }), [1, 2, 3, 4]);
        assert.deepEqual(await ids(searched, '/searched/', { ordering: 'id' }), [1, 2, 3, 4, 5, 6]);
        assert.deepEqual(await ids(searched, '/searched/', { ordering: 'nope' }), [6, 5, 4, 3, 2, 1]);
      });

      it('documents search and ordering on the list operation only', async () => {
        const document = (await searched.inject({ url: '/openapi.json' })).json<{
          paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
        }>();
        const query = (path: string, method: string) =>
          (document.paths[path]?.[method]?.parameters ?? [])
            .filter((p) => p.in === 'query')
            .map((p) => p.name);
        assert.deepEqual(query('/searched/', 'get'), ['limit', 'offset', 'search', 'ordering']);
        assert.deepEqual(query('/searched/{pk}/', 'get'), []);
      });
    },
  );
}

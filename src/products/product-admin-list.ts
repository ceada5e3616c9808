// The products section's change list: search on name and description, the in-stock filter,
// sorting, and the "delete selected" action.
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { KeygateDatabase } from '../index.js';
import type { ProductDatabase } from './product-table.js';
import {
  handleListAction,
  readListParams,
  sendChangeList,
  shownTime,
  type Crumb,
  type Deleter,
  type ListPage,
  type ListSpec,
  type Row,
  type SectionUrls,
} from '../admin/index.js';
import { formatCents } from './decimal.js';
import { toProduct } from './product.js';

/** The columns a product is read with. */
export const PRODUCT_COLUMNS = [
  'id',
  'name',
  'description',
  'price_cents',
  'stock',
  'created',
  'updated',
] as const;

type Sort = 'name' | 'price' | 'stock' | 'created';
const SORT_COLUMNS: Readonly<Record<Sort, 'name' | 'price_cents' | 'stock' | 'created'>> = {
  name: 'name',
  price: 'price_cents',
  stock: 'stock',
  created: 'created',
};

const SPEC: ListSpec<Sort> = {
  sortable: ['name', 'price', 'stock', 'created'],
  defaultSort: { field: 'created', descending: true },
  filters: [
    {
      param: 'in_stock',
      title: 'By availability',
      choices: [
        { value: 'yes', label: 'In stock' },
        { value: 'no', label: 'Out of stock' },
      ],
    },
  ],
  searchPlaceholder: 'Search name or description',
};

/** What the list needs from its section. */
export interface ProductListDeps {
  readonly db: Kysely<ProductDatabase>;
  readonly database: KeygateDatabase;
  readonly urls: SectionUrls;
  readonly crumbs: readonly Crumb[];
  readonly deleter: Deleter;
}

/** Registers `/products/`, the list and its bulk action. */
export function registerProductList(admin: FastifyInstance, deps: ProductListDeps): void {
  const { db, database, urls, crumbs, deleter } = deps;
  const page: ListPage = {
    path: urls.list,
    noun: 'product',
    nouns: 'products',
    crumb: 'Products',
    addHref: urls.add,
  };

  admin.route({
    method: ['GET', 'HEAD', 'POST'],
    url: '/products/',
    schema: { hide: true },
    async handler(request, reply) {
      if (request.method === 'POST') return handleListAction(request, reply, deleter, crumbs);
      const params = readListParams(request.query, SPEC);
      let query = db.selectFrom('products');
      if (params.q !== '') {
        const { q } = params;
        query = query.where((eb) =>
          eb.or([database.contains('name', q), database.contains('description', q)]),
        );
      }
      if (params.filters.in_stock === 'yes') query = query.where('stock', '>', 0);
      if (params.filters.in_stock === 'no') query = query.where('stock', '=', 0);
      const [counted, rows] = await Promise.all([
        query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
        query
          .select(PRODUCT_COLUMNS)
          .orderBy(SORT_COLUMNS[params.sort.field], params.sort.descending ? 'desc' : 'asc')
          .orderBy('id', params.sort.descending ? 'desc' : 'asc')
          .limit(params.limit)
          .offset(params.offset)
          .execute(),
      ]);
      const listed: Row[] = rows.map(toProduct).map((p) => ({
        id: p.id,
        label: p.name,
        cells: [
          { text: p.name, href: urls.change(p.id) },
          { text: formatCents(p.priceCents) },
          { text: String(p.stock) },
          { text: shownTime(p.created) },
        ],
      }));
      return sendChangeList(request, reply, page, {
        params,
        spec: SPEC,
        columns: [
          { label: 'Name', sort: 'name' },
          { label: 'Price', sort: 'price' },
          { label: 'Stock', sort: 'stock' },
          { label: 'Created', sort: 'created' },
        ],
        rows: listed,
        count: Number(counted.n),
      });
    },
  });
}

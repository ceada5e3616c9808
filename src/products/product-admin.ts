// Products in the admin: the seed application's own admin section, built on the admin's public
// surface only (src/admin/index.ts). Its list is in product-admin-list.ts, its forms in
// product-admin-forms.ts; here are the section and what they share (lookup, log record, deletion).
import type { FastifyInstance } from 'fastify';
import type { Transaction } from 'kysely';
import type { User } from '../index.js';
import { productDb, type ProductDatabase } from './product-table.js';
import {
  registerDeletePage,
  sectionUrls,
  type AdminContext,
  type AdminSection,
  type Deleter,
} from '../admin/index.js';
import { registerProductForms } from './product-admin-forms.js';
import { PRODUCT_COLUMNS, registerProductList } from './product-admin-list.js';
import { toProduct, type Product } from './product.js';

/** The products section. */
export const productAdmin: AdminSection = {
  slug: 'products',
  name: 'Products',
  contentType: 'product',
  app: { label: 'products', name: 'Products' },
  register: registerProductAdmin,
};

/** Registers the products section's pages. */
function registerProductAdmin(admin: FastifyInstance, { log, root }: AdminContext): void {
  const { database } = admin.keygate;
  const db = productDb(database.db);
  const urls = sectionUrls(root, 'products');
  const crumbs = [{ label: 'Products', href: urls.list }];

  async function record(
    trx: Transaction<ProductDatabase>,
    actor: User,
    product: Product,
    action: 'added' | 'changed' | 'deleted',
    message?: string,
  ) {
    await log.record(trx, {
      actor,
      contentType: 'product',
      objectId: product.id,
      objectRepr: product.name,
      action,
      message,
    });
  }

  const deleter: Deleter = {
    noun: 'product',
    plural: 'products',
    listPath: urls.list,
    async load(ids) {
      if (ids.length === 0) return [];
      const rows = await db
        .selectFrom('products')
        .select(['id', 'name'])
        .where('id', 'in', ids)
        .orderBy('id')
        .execute();
      return rows.map((row) => ({
        id: Number(row.id),
        label: row.name,
        href: urls.change(Number(row.id)),
        related: [],
      }));
    },
    async deleteAll(actor, doomed) {
      return db.transaction().execute(async (trx) => {
        let deleted = 0;
        for (const item of doomed) {
          const row = await trx
            .deleteFrom('products')
            .where('id', '=', item.id)
            .returning(PRODUCT_COLUMNS)
            .executeTakeFirst();
          if (row === undefined) continue;
          await record(trx, actor, toProduct(row), 'deleted');
          deleted += 1;
        }
        return deleted;
      });
    },
  };

  registerProductList(admin, { db, database, urls, crumbs, deleter });
  registerProductForms(admin, { db, urls, crumbs, record });
  registerDeletePage(admin, 'products', deleter, crumbs);
}

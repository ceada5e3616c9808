// The seed's Product API as one model definition: DRF's ProductSerializer and ProductModelViewSet.
import {
  defineModel,
  fields,
  IsAuthenticated,
  SessionAuthentication,
  TokenAuthentication,
  type ModelItem,
} from '../index.js';
import { createProductRepository } from './product-repository.js';

/** The seed model's fields, in wire order; the price is stored as integer cents in `price_cents`. */
export const PRODUCT_FIELDS = Object.freeze({
  name: fields.char({ maxLength: 100, examples: ['Coffee beans'] }),
  description: fields.text({ blank: true, default: '', examples: ['1 kg, whole beans'] }),
  price: fields.decimal({ maxDigits: 10, decimalPlaces: 2, column: 'price_cents', examples: ['20.48'] }),
  stock: fields.integer({ min: 0, max: 2147483647, default: 0, examples: [7] }),
  created: fields.dateTime({ autoNowAdd: true }),
  updated: fields.dateTime({ autoNow: true }),
});

/** A stored product as the model engine sees it: `price` is the scaled integer (cents). */
export type ProductItem = ModelItem<typeof PRODUCT_FIELDS>;

/**
 * The seed's ProductModelViewSet under `product_api`. Token authentication first keeps 401 +
 * `WWW-Authenticate: Token`; a logged-in browser uses the browsable API. Its storage is the
 * hand-tuned product repository (prepared reads, the trigger-kept `product_count`), which lists by
 * id only: `search` or `ordering` here would need it to apply the list query. Its admin section is
 * product-admin.ts.
 */
export const productModel = defineModel({
  table: 'products',
  name: 'Product',
  prefix: 'product_api',
  viewset: 'ProductModelViewSet',
  fields: PRODUCT_FIELDS,
  authentication: [TokenAuthentication, SessionAuthentication],
  permissions: [IsAuthenticated],
  admin: false,
  repository: (keygate) => createProductRepository(keygate.database),
});

// The seed's Product API as one model definition: DRF's ProductSerializer and ProductModelViewSet.
import { defineModel, IsAuthenticated, SessionAuthentication, TokenAuthentication } from '../index.js';
import { PRODUCT_FIELDS } from './product-model-fields.js';
import { createProductRepository } from './product-repository.js';

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

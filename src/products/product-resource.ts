// The seed's ProductModelViewSet: Token authentication, IsAuthenticated, under `product_api`.
import {
  IsAuthenticated,
  SessionAuthentication,
  TokenAuthentication,
  type Keygate,
  type ResourceDefinition,
} from '../index.js';
import { formatCents } from './decimal.js';
import { validateProduct, type ProductInput } from './product-fields.js';
import { createProductRepository } from './product-repository.js';
import {
  PRODUCT_FIELD_METADATA,
  ProductInputSchema,
  ProductPatchSchema,
  ProductSchema,
  type ProductRepresentation,
} from './product-schemas.js';
import type { Product } from './product.js';

/** The product as the API shows it, in the wire's field order. */
export function representProduct(product: Product): ProductRepresentation {
  return {
    id: product.id,
    name: product.name,
    description: product.description,
    price: formatCents(product.priceCents),
    stock: product.stock,
    created: product.created,
    updated: product.updated,
  };
}

/** The products resource, registered by the router under `/product_api/`. */
export function productResource(keygate: Keygate): ResourceDefinition<Product, ProductInput> {
  return {
    prefix: 'product_api',
    name: 'Product',
    viewset: 'ProductModelViewSet',
    // Token first keeps 401 + WWW-Authenticate: Token; a logged-in browser uses the browsable API.
    access: {
      authentication: [new TokenAuthentication(keygate.tokens), new SessionAuthentication()],
      permissions: [IsAuthenticated],
    },
    repository: createProductRepository(keygate.database),
    validate(data, mode, source) {
      const result = validateProduct(data, mode, source);
      return result.ok ? { ok: true, value: result.value } : { ok: false, errors: result.errors };
    },
    represent: representProduct,
    fields: PRODUCT_FIELD_METADATA,
    schemas: { item: ProductSchema, input: ProductInputSchema, patch: ProductPatchSchema },
  };
}

// The seed's ProductModelViewSet: Token authentication, IsAuthenticated, under `product_api`.
import type { AccessPolicy } from '../auth/access.js';
import type { KeygateDatabase } from '../db/keygate-database.js';
import type { ResourceDefinition } from '../http/resource.js';
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
export function productResource(
  database: KeygateDatabase,
  access: AccessPolicy,
): ResourceDefinition<Product, ProductInput> {
  return {
    prefix: 'product_api',
    name: 'Product',
    viewset: 'ProductModelViewSet',
    access,
    repository: createProductRepository(database),
    validate(data, mode, source) {
      const result = validateProduct(data, mode, source);
      return result.ok ? { ok: true, value: result.value } : { ok: false, errors: result.errors };
    },
    represent: representProduct,
    fields: PRODUCT_FIELD_METADATA,
    schemas: { item: ProductSchema, input: ProductInputSchema, patch: ProductPatchSchema },
  };
}

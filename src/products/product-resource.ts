// The seed's Product resource (the product model's) and the hand-written representation it replaced,
// which the model tests compare the model's representation against.
import type { Keygate } from '../index.js';
import { formatCents } from './decimal.js';
import { productModel } from './product-model.js';
import type { ProductRepresentation } from './product-schemas.js';
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

/** The products resource on `keygate` (the router serves it under `/product_api/`). */
export function productResource(keygate: Keygate) {
  return productModel.resource(keygate);
}

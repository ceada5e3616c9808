// The seed model's fields, which its model, repository and schemas share.
import { fields, type ModelItem } from '../index.js';

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

// Test support for the product suites: the product as the API returns it, and DRF's field messages.

/** A product as the API returns it. */
export interface ProductBody {
  id: number;
  name: string;
  description: string;
  price: string;
  stock: number;
  created: string;
  updated: string;
}

/** DRF's field error messages, as the product API answers them. */
export const REQUIRED = 'This field is required.';
export const BLANK = 'This field may not be blank.';
export const NULL = 'This field may not be null.';
export const NOT_A_STRING = 'Not a valid string.';
export const INVALID_NUMBER = 'A valid number is required.';
export const INVALID_INTEGER = 'A valid integer is required.';

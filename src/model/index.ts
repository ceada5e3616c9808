// keygate's model layer: field definitions with DRF's semantics and the ModelSerializer over them.
export type {
  AnyModelField,
  Checked,
  CommonFieldOptions,
  FieldContext,
  FieldKind,
  ModelField,
} from './field.js';
export * from './fields/index.js';
export {
  columnOf,
  fieldSchemas,
  fieldsMetadata,
  labelOf,
  representRow,
  savedValues,
  toColumns,
  validateData,
  type DataValidation,
  type ModelFields,
  type ValidationMode,
} from './serializer.js';

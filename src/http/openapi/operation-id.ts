// operationIds named as Django REST framework's AutoSchema names them (get_operation_id).

/** A ModelViewSet's actions: DRF's `method_mapping` (camelCased) and `list`. */
export type ResourceAction = 'list' | 'create' | 'retrieve' | 'update' | 'partialUpdate' | 'destroy';

/** `Product Model` -> `ProductModel`: a name's words, each capitalised, joined. */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word.length > 0)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/**
 * DRF's `get_operation_id` for a ModelViewSet: the action, then the model's name, to which a list
 * adds an `s` unless it already ends with one (`listProducts`, `createProduct`,
 * `partialUpdateProduct`, `destroyProduct`).
 */
export function resourceOperationId(action: ResourceAction, modelName: string): string {
  const name = action === 'list' && !modelName.endsWith('s') ? `${modelName}s` : modelName;
  return `${action}${name}`;
}

/**
 * A plain view's operationId: its DRF view name (made from the view's class name) in camelCase,
 * `Obtain Auth Token` -> `obtainAuthToken`, `Api Root` -> `apiRoot`. DRF's own rule would give
 * ObtainAuthToken and its subclass CustomAuthToken the same id (`createAuthToken`, from their
 * serializer); ids must be unique, and the class names already read as what the operations do.
 */
export function viewOperationId(viewName: string): string {
  const pascal = pascalCase(viewName);
  return pascal.charAt(0).toLowerCase() + pascal.slice(1);
}

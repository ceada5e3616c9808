// keygate's public API: what this module exports is the contract (semver); every other module is internal.
/**
 * Django REST framework's token authentication for TypeScript services.
 *
 * - {@link openKeygate} opens keygate on a database: users, tokens, the post-save-style events, and
 *   {@link Keygate.authenticate} for an `Authorization` header value.
 * - {@link keygatePlugin} serves it from a Fastify app: `request.user`/`request.auth`, the
 *   `app.authenticate()` preHandler for the app's own routes, and (each switchable) the token
 *   endpoints, browser sessions, the browsable API, the admin and the OpenAPI docs.
 * - `keygate/express` does the same for Express 5 apps.
 *
 * @module keygate
 */

export { openKeygate, optionsFromEnvironment, type Keygate, type KeygateOptions } from './keygate.js';
export { ConfigError, resolveConfig, type Config, type ConfigOptions } from './config/index.js';
export { keygatePlugin, type Feature, type KeygatePluginOptions } from './plugin/keygate-plugin.js';
export type { AccessPreHandler, AuthenticateOptions } from './plugin/access-prehandler.js';

export type { AccessPolicy } from './auth/access.js';
export {
  TokenAuthentication,
  parseTokenHeader,
  type Authenticated,
  type Authenticator,
} from './auth/authentication.js';
export { BasicAuthentication } from './auth/basic-authentication.js';
export { SessionAuthentication } from './auth/session-authentication.js';
export {
  AllowAny,
  IsAdminUser,
  IsAuthenticated,
  IsAuthenticatedOrReadOnly,
  checkObjectPermissions,
  isOwner,
  isOwnerOrReadOnly,
  type Permission,
  type PermissionRequest,
} from './auth/permissions.js';

export {
  ApiError,
  AuthenticationFailed,
  DetailError,
  MethodNotAllowed,
  NotAuthenticated,
  NotFound,
  PermissionDenied,
  ServiceUnavailable,
  Throttled,
  ValidationError,
  type FieldErrors,
} from './errors.js';

export type { User } from './users/user.js';
export type { NewUser, UserDetails } from './users/user-input.js';
export type { UserService } from './users/user-service.js';
export type { Token } from './authtoken/token.js';
export type { IssuedToken, TokenOptions, TokenService } from './authtoken/token-service.js';
export type { EventBus, EventContext, EventName, KeygateEvents, Listener } from './signals/event-bus.js';

export type { OpenApiOptions } from './http/openapi.js';
export type { Dialect, KeygateDatabase, PreparedQuery } from './db/keygate-database.js';
export type { DatabaseSource } from './db/open-database.js';
export type { Database, Timestamp } from './db/schema.js';
export type { TransactionOption } from './db/in-transaction.js';
export type { PreparedPassword } from './users/passwords.js';
export type { TokenWithUser } from './authtoken/token-repository.js';
export type { ResourceSchemas } from './http/openapi/resource-doc.js';
export {
  MigrationError,
  type AppMigration,
  type AppMigrationContext,
  type AppMigrations,
} from './db/migrate.js';
export { defineConfig, ProjectConfigError, type ProjectConfig } from './project/project-config.js';

export {
  defineResource,
  type FieldMetadata,
  type ResourceDefinition,
  type ResourceRepository,
  type Validated,
  type ValidationMode,
  type ValidationSource,
} from './http/resource.js';
export {
  limitOffsetPagination,
  type LimitOffsetOptions,
  type Page,
  type PageFetch,
  type PageRead,
  type PageWindow,
  type Pagination,
} from './http/pagination.js';
export { pageNumberPagination, type PageNumberOptions } from './http/page-number-pagination.js';
export type {
  ListQuery,
  OrderingOptions,
  OrderTerm,
  ResourceFilters,
  SearchOptions,
} from './http/filters.js';
export { tableRepository, type TableRepositoryOptions, type TableRow } from './http/table-repository.js';

export {
  defineModel,
  type AuthenticationClass,
  type FieldName,
  type FieldValue,
  type Model,
  type ModelAdminOptions,
  type ModelDefinition,
  type ModelItem,
} from './model/define-model.js';
export {
  fields,
  type BooleanFieldOptions,
  type CharFieldOptions,
  type DateTimeFieldOptions,
  type DecimalFieldOptions,
  type ForeignKeyOptions,
  type IntegerFieldOptions,
  type FieldConstructors,
  type OwnerFieldOptions,
  type OwnerOptions,
  type RelatedModel,
} from './model/fields/index.js';
export type {
  AnyModelField,
  Checked,
  CommonFieldOptions,
  FieldContext,
  FieldKind,
  ModelField,
} from './model/field.js';
export { fieldSchemas, type ModelFields, type ModelSchemas } from './model/serializer.js';
export { formatScaled, parseScaledDecimal } from './model/fields/decimal-number.js';
export { nowTimestamp } from './time.js';
/** Python's text rules as DRF's fields apply them (`str.strip()`, `len()`, `str.isdigit()`, `str()` of numbers). */
export * as pythonText from './fields/index.js';

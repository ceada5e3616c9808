// What an application's admin section may use: the section contract and the engine's page
// helpers (change list, change form, deletion, messages, search). Everything else in src/admin/
// is the engine's own and free to change.
export type { AdminApp, AdminContext, AdminSection, SectionUrls } from './admin-section.js';
export { sectionUrls } from './admin-section.js';
export type { AdminLog, Change, ContentType, LogEntry } from './admin-log.js';
export {
  adminUser,
  checkbox,
  field,
  fieldValues,
  formData,
  objectId,
  redirectTo,
  sendAdminPage,
  shownTime,
  ticked,
  type Crumb,
  type PageOptions,
} from './admin-page.js';
export {
  PER_PAGE,
  readListParams,
  selectedIds,
  sendChangeList,
  type Cell,
  type Column,
  type FilterSpec,
  type ListPage,
  type ListParams,
  type ListSpec,
  type Row,
} from './change-list.js';
export {
  afterSave,
  nonFieldErrors,
  withErrors,
  type FieldKind,
  type FormField,
  type FormModel,
} from './change-form.js';
export {
  DELETE_SELECTED,
  handleDeletePage,
  handleListAction,
  registerDeletePage,
  type Deleter,
  type Doomed,
} from './deletion.js';
export { flash, type FlashMessage } from './flash.js';
export { modelAdmin } from './model-admin.js';
export type {
  AdminField,
  AdminFormField,
  Cleaned,
  AdminListColumn,
  AdminListFilter,
  AdminReadonlyField,
  AnyDatabase,
  AnyExpressionBuilder,
  AnySelect,
  AnyTransaction,
  BeforeSave,
  Condition,
  ModelAdminDefinition,
  ModelAdminEngine,
  ParseContext,
  ParsedField,
  SaveContext,
  Saved,
} from './model-admin-types.js';

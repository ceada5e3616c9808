// DRF's view names, derived from the view's class name as rest_framework.views.get_view_name does.

/** formatting.remove_trailing_string: strips `trailing` unless it is the whole of `content`. */
function removeTrailing(content: string, trailing: string): string {
  return content.endsWith(trailing) && content !== trailing ? content.slice(0, -trailing.length) : content;
}

/** Python's `str.title()` for these names: each run of letters gets one capital, then lower case. */
function title(text: string): string {
  return text.replace(/\p{L}+/gu, (word) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase());
}

/**
 * DRF 3.14's `get_view_name` (the default VIEW_NAME_FUNCTION) for a view class without a `name`:
 * drop a trailing `View`, then `ViewSet`; `camelcase_to_spaces` (a space before a capital that
 * follows a lower-case letter or starts a capitalised word, underscores to spaces, `.title()`);
 * then the viewset's route suffix. `ProductModelViewSet` + `List` is "Product Model List";
 * `APIRootView` is "Api Root". OPTIONS and the browsable API show it.
 */
export function viewName(className: string, suffix?: string): string {
  const stem = removeTrailing(removeTrailing(className, 'View'), 'ViewSet');
  const spaced = stem.replace(/(?<=[a-z])[A-Z]|[A-Z](?![A-Z]|$)/g, ' $&').trim();
  const name = title(spaced.split('_').join(' '));
  return suffix ? `${name} ${suffix}` : name;
}

// Media types as DRF's content negotiation reads them (rest_framework.utils.mediatypes).

/** A parsed media type: `type/subtype; key=value`. */
export interface MediaType {
  readonly text: string;
  readonly mainType: string;
  readonly subType: string;
  readonly params: ReadonlyMap<string, string>;
}

/** Parses `type/subtype; a=1; b="2"` (parameter names lower-cased, values unquoted). */
export function parseMediaType(text: string): MediaType {
  const [fullType = '', ...rawParams] = text.split(';');
  const params = new Map<string, string>();
  for (const raw of rawParams) {
    const eq = raw.indexOf('=');
    if (eq === -1) continue;
    const key = raw.slice(0, eq).trim().toLowerCase();
    let value = raw.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (key !== '') params.set(key, value);
  }
  const [mainType = '', subType = '*'] = fullType.trim().toLowerCase().split('/');
  return { text: text.trim(), mainType: mainType.trim() || '*', subType: subType.trim() || '*', params };
}

/** DRF's precedence: 3 for type/subtype with parameters, 2 without, 1 for type/*, 0 for * / *. */
export function precedence(media: MediaType): number {
  if (media.mainType === '*') return 0;
  if (media.subType === '*') return 1;
  if (media.params.size === 0 || (media.params.size === 1 && media.params.has('q'))) return 2;
  return 3;
}

/** Whether `offered` (a renderer's type) satisfies the `accepted` media type (DRF's `match`). */
export function mediaTypeMatches(offered: MediaType, accepted: MediaType): boolean {
  for (const [key, value] of offered.params) {
    if (key !== 'q' && accepted.params.get(key) !== value) return false;
  }
  if (offered.subType !== '*' && accepted.subType !== '*' && accepted.subType !== offered.subType)
    return false;
  if (offered.mainType !== '*' && accepted.mainType !== '*' && accepted.mainType !== offered.mainType)
    return false;
  return true;
}

/** Splits an Accept header into groups of equal precedence, most specific first. */
export function orderByPrecedence(acceptHeader: string | undefined): MediaType[][] {
  const groups: MediaType[][] = [[], [], [], []];
  for (const token of (acceptHeader ?? '*/*').split(',')) {
    const media = parseMediaType(token.trim());
    groups[3 - precedence(media)]!.push(media);
  }
  return groups.filter((group) => group.length > 0);
}

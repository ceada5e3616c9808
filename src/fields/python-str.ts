// Python's `str()` of the values `json.loads` gives, as DRF's fields see them before parsing or measuring.

const NOT_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u; // Python's str.isprintable(), bar ' '

/**
 * The text Python's `str()` gives for a JSON number after `json.loads`. An integral JS number is
 * taken to have been a JSON integer (exact digits, `1e21` -> `"1000000000000000000000"`); other
 * numbers are Python floats, whose `repr` uses the same shortest round-trip digits as `String(n)`
 * but switches to exponent form below 1e-4 (`1e-05`, `1.5e-07`). JSON cannot tell us whether the
 * client wrote `5` or `5.0`, so integral floats lose Python's `.0`.
 */
export function pythonNumberText(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (Number.isInteger(value)) return BigInt(value).toString();
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(value));
  if (!match) throw new Error(`unexpected number text ${String(value)}`);
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match;
  const mantissa = whole + fraction;
  const significant = mantissa.replace(/^0+/, '');
  const digits = significant.replace(/0+$/, '');
  // The value is 0.<digits> * 10^point.
  const point = whole.length + Number(exponent) - (mantissa.length - significant.length);
  if (point <= -4 || point > 16) {
    const power = point - 1;
    const rest = digits.length > 1 ? `.${digits.slice(1)}` : '';
    return `${sign}${digits[0] ?? '0'}${rest}e${power < 0 ? '-' : '+'}${String(Math.abs(power)).padStart(2, '0')}`;
  }
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}.0`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Whether Python's `str()` of a JSON array, object, boolean or null is longer than `limit` code points. */
export function pythonStrLongerThan(value: unknown, limit: number): boolean {
  let used = 0;
  const add = (count: number): boolean => (used += count) > limit;
  const walk = (item: unknown): boolean => {
    if (typeof item === 'string') return add(stringReprLength(item));
    if (typeof item === 'number') return add(pythonNumberText(item).length);
    if (typeof item === 'boolean') return add(item ? 4 : 5);
    if (item === null || typeof item !== 'object') return add(4); // None
    const entries = Array.isArray(item)
      ? item.map((element: unknown) => [undefined, element] as const)
      : Object.entries(item).map(([key, element]) => [key, element as unknown] as const);
    if (add(2 + Math.max(0, entries.length - 1) * 2)) return true; // brackets and ", "
    return entries.some(([key, element]) => (key !== undefined && (walk(key) || add(2))) || walk(element));
  };
  return walk(value);
}

/** Length of Python's `repr()` of a string: quotes, backslash escapes and `\xhh`/`\uhhhh`/`\Uhhhhhhhh`. */
function stringReprLength(text: string): number {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let length = 2;
  for (const ch of text) {
    const codePoint = ch.codePointAt(0) ?? 0;
    if (ch === quote || ch === '\\' || ch === '\t' || ch === '\n' || ch === '\r') length += 2;
    else if (ch !== ' ' && NOT_PRINTABLE.test(ch))
      length += codePoint < 0x100 ? 4 : codePoint < 0x10000 ? 6 : 10;
    else length += 1;
  }
  return length;
}

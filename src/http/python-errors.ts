// Python's exceptions as keygate reports them: their str(), json's positions counted as Python counts.

/** A `ValueError` (or json's RecursionError) as Python raises it: `message` is its `str()`. */
export class PythonValueError extends Error {
  override readonly name = 'PythonValueError';
}

/** Code points in `text[from, to)`: a surrogate pair is one character to Python, two units to JavaScript. */
function codePoints(text: string, from: number, to: number): number {
  let count = to - from;
  for (let i = from + 1; i < to; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xdc00 && unit <= 0xdfff) {
      const before = text.charCodeAt(i - 1);
      if (before >= 0xd800 && before <= 0xdbff) count--;
    }
  }
  return count;
}

/**
 * json.JSONDecodeError(msg, doc, pos): `msg: line L column C (char P)`, `at` a UTF-16 index of
 * `text`, reported in code points as Python counts them; lines split at `\n` only.
 */
export function jsonDecodeError(message: string, text: string, at: number): PythonValueError {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  const inLine = codePoints(text, lineStart, at);
  const char = codePoints(text, 0, lineStart) + inLine;
  return new PythonValueError(`${message}: line ${line} column ${inLine + 1} (char ${char})`);
}

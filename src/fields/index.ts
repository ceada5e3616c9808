// Python's text semantics, as DRF's fields apply them (strip, len, isdigit, str of numbers): the `pythonText` export.
export { pythonNumberText, pythonStrLongerThan } from './python-str.js';
export {
  PYTHON_WHITESPACE,
  asciiDigits,
  codePointLength,
  isDigits,
  isPythonWhitespace,
  lower,
  splitOnNonWord,
  strip,
} from './python-text.js';

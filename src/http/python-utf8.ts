// Python 3.11's codecs.getreader('utf-8')(stream).read(): how DRF decodes a JSON body, errors included.
import { PythonValueError } from './python-errors.js';

// Valid UTF-8 (the same set for WHATWG and CPython: no surrogates, overlongs or values past U+10FFFF).
// A byte order mark stays in the text, as the utf-8 codec (not utf-8-sig) keeps it.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function isContinuation(byte: number | undefined): boolean {
  return byte !== undefined && byte >= 0x80 && byte <= 0xbf;
}

/** A UnicodeDecodeError's str(): one byte shows its value, a longer run its positions. */
function decodeError(bytes: Uint8Array, start: number, length: number, reason: string): PythonValueError {
  const where =
    length === 1
      ? `byte 0x${(bytes[start] ?? 0).toString(16).padStart(2, '0')} in position ${start}`
      : `bytes in position ${start}-${start + length - 1}`;
  return new PythonValueError(`'utf-8' codec can't decode ${where}: ${reason}`);
}

/**
 * Where CPython's utf-8 decoder, called as the stream reader calls it (`final=False`), stops: the
 * length of the decodable prefix. A sequence cut short by the end of the bytes is not an error there:
 * it waits in the reader's buffer for bytes that never come, and `read()` returns without it. Throws
 * the UnicodeDecodeError for the first invalid sequence (Objects/stringlib/codecs.h, utf8_decode,
 * and unicode_decode_utf8's messages).
 */
function decodablePrefix(bytes: Uint8Array): number {
  const end = bytes.length;
  let i = 0;
  while (i < end) {
    const lead = bytes[i] ?? 0;
    const left = end - i;
    if (lead < 0x80) {
      i++;
    } else if (lead < 0xc2) {
      throw decodeError(bytes, i, 1, 'invalid start byte'); // a continuation byte, or C0/C1 (overlong)
    } else if (lead < 0xe0) {
      if (left < 2) return i;
      if (!isContinuation(bytes[i + 1])) throw decodeError(bytes, i, 1, 'invalid continuation byte');
      i += 2;
    } else if (lead < 0xf0) {
      const second = bytes[i + 1] ?? 0;
      // E0 must be followed by A0..BF (else overlong), ED by 80..9F (else a surrogate).
      const badSecond = !isContinuation(second) || (second < 0xa0 ? lead === 0xe0 : lead === 0xed);
      if (left < 3) {
        if (left < 2) return i;
        // CPython keeps a truncated surrogate (ED A0..BF at the very end) for the next call.
        if (lead === 0xed && isContinuation(second) && second >= 0xa0) return i;
        if (badSecond) throw decodeError(bytes, i, 1, 'invalid continuation byte');
        return i;
      }
      if (badSecond) throw decodeError(bytes, i, 1, 'invalid continuation byte');
      if (!isContinuation(bytes[i + 2])) throw decodeError(bytes, i, 2, 'invalid continuation byte');
      i += 3;
    } else if (lead < 0xf5) {
      const second = bytes[i + 1] ?? 0;
      // F0 must be followed by 90..BF (else overlong), F4 by 80..8F (else past U+10FFFF).
      const badSecond = !isContinuation(second) || (second < 0x90 ? lead === 0xf0 : lead === 0xf4);
      if (left < 2) return i;
      if (badSecond) throw decodeError(bytes, i, 1, 'invalid continuation byte');
      if (left < 3) return i;
      if (!isContinuation(bytes[i + 2])) throw decodeError(bytes, i, 2, 'invalid continuation byte');
      if (left < 4) return i;
      if (!isContinuation(bytes[i + 3])) throw decodeError(bytes, i, 3, 'invalid continuation byte');
      i += 4;
    } else {
      throw decodeError(bytes, i, 1, 'invalid start byte'); // F5..FF start nothing
    }
  }
  return end;
}

/**
 * The text DRF's JSONParser hands to `json.load`: the body decoded by Python's UTF-8 stream reader
 * (a byte order mark kept, a sequence cut short at the very end dropped). Throws
 * {@link PythonValueError} with Python's message for invalid UTF-8, positions in bytes.
 */
export function decodeUtf8LikePython(bytes: Uint8Array): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    return UTF8.decode(bytes.subarray(0, decodablePrefix(bytes)));
  }
}

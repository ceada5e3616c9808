// Python's `base64.b64decode(s)` (validate=False), the decoder DRF's BasicAuthentication uses.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const PAD = 0x3d; // '='

// Byte -> 6-bit value, -1 for bytes outside the alphabet.
const VALUES = new Int8Array(256).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;

/**
 * Decodes `input` exactly as CPython's `binascii.a2b_base64(s, strict_mode=False)`: bytes outside
 * the alphabet are skipped, a `=` ends the data once it completes a quad (anything after is
 * ignored) and is skipped where it cannot, and a final incomplete quad is an error ("Incorrect
 * padding", or one character too many). Returns null where Python raises `binascii.Error`.
 * Node's own base64 decoder accepts what Python refuses (`YQ` is `a` to Node), so it cannot serve.
 */
export function pythonB64decode(input: Uint8Array): Buffer | null {
  const out = Buffer.allocUnsafe(Math.ceil(input.length / 4) * 3);
  let length = 0;
  let quadPos = 0;
  let leftChar = 0;
  let pads = 0;
  for (const byte of input) {
    if (byte === PAD) {
      // A pad completing the quad ends the data; a stray one (too early in a quad) is skipped.
      if (quadPos >= 2 && quadPos + ++pads >= 4) return out.subarray(0, length);
      continue;
    }
    const value = VALUES[byte]!;
    if (value < 0) continue;
    pads = 0;
    switch (quadPos) {
      case 0:
        leftChar = value;
        quadPos = 1;
        break;
      case 1:
        out[length++] = ((leftChar << 2) | (value >> 4)) & 0xff;
        leftChar = value & 0x0f;
        quadPos = 2;
        break;
      case 2:
        out[length++] = ((leftChar << 4) | (value >> 2)) & 0xff;
        leftChar = value & 0x03;
        quadPos = 3;
        break;
      default:
        out[length++] = ((leftChar << 6) | value) & 0xff;
        leftChar = 0;
        quadPos = 0;
    }
  }
  return quadPos === 0 ? out.subarray(0, length) : null;
}

// pythonB64decode against answers CPython 3.11's `base64.b64decode` gave for the same bytes.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { pythonB64decode } from '../../src/auth/python-base64.js';

/** [input (latin-1), Python's output as hex, or null where Python raised binascii.Error]. */
const PYTHON_3_11: readonly (readonly [string, string | null])[] = [
  ['', ''],
  ['YQ==', '61'],
  ['YQ=', null], // "Incorrect padding"
  ['YQ', null],
  ['Y', null], // "number of data characters (1) cannot be 1 more than a multiple of 4"
  ['YWI=', '6162'],
  ['YWI', null],
  ['YWJj', '616263'],
  ['=YWJj', '616263'], // a pad that cannot end a quad is skipped
  ['Y=WJj', '616263'],
  ['YQ=Yg==', '610620'],
  ['YQ==Zm9v', '61'], // a pad that ends a quad ends the data
  ['YWI=Zm9v', '6162'],
  ['YW=I=', '6162'],
  ['Y===', null],
  ['====', ''],
  ['!!!!', ''], // bytes outside the alphabet are skipped (validate=False)
  ['YW*Jj', '616263'],
  ['YW Jj', '616263'],
  ['YWJjZ', null],
  ['YWJjZA', null],
  ['YWJjZA=', null],
  ['YWJjZA==', '61626364'],
  ['YWJjZA===', '61626364'],
  ['Y-_WJj', '616263'], // the URL-safe alphabet is not this one
  ['YWJj\x80\xff', '616263'],
  ['Og==', '3a'],
  ['8J+YgA==', 'f09f9880'],
  ['/w==', 'ff'],
  ['+/+/', 'fbffbf'],
];

it("decodes as Python's base64.b64decode: lenient about noise and stray pads, strict about length", () => {
  for (const [input, expected] of PYTHON_3_11) {
    const decoded = pythonB64decode(Buffer.from(input, 'latin1'));
    assert.equal(decoded === null ? null : decoded.toString('hex'), expected, JSON.stringify(input));
  }
});

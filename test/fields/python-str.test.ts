// Python's str() of JSON values: the text DRF's fields parse and the length their guards measure.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pythonNumberText, pythonStrLongerThan } from '../../src/fields/python-str.js';

describe('pythonNumberText: str() of the JSON number', () => {
  const cases: [number, string][] = [
    [123, '123'],
    [-0, '0'],
    [1e3, '1000'],
    [1e21, '1000000000000000000000'], // as the JSON integer; Python's float would say '1e+21'
    [2 ** 53 + 2, '9007199254740994'],
    [1.5, '1.5'],
    [-0.5, '-0.5'],
    [0.1 + 0.2, '0.30000000000000004'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1.5e-7, '1.5e-07'],
    [-2.5e-10, '-2.5e-10'],
    [5e-324, '5e-324'],
    [123.456, '123.456'],
    [4503599627370495.5, '4503599627370495.5'],
    [NaN, 'nan'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
  ];
  for (const [value, text] of cases) {
    it(`${String(value)} -> ${text}`, () => assert.equal(pythonNumberText(value), text));
  }
});

describe('pythonStrLongerThan: the length of str() of a JSON value', () => {
  const cases: [unknown, string][] = [
    [[1, 2], '[1, 2]'],
    [{ a: null }, "{'a': None}"],
    [[true, false], '[True, False]'],
    [["it's"], '["it\'s"]'],
    [['\u0000\u00e9\u200b'], "['\\x00é\\u200b']"],
    [[1.5e-7], '[1.5e-07]'],
  ];
  for (const [value, text] of cases) {
    it(`${JSON.stringify(value)} -> ${text}`, () => {
      assert.equal(pythonStrLongerThan(value, text.length), false);
      assert.equal(pythonStrLongerThan(value, text.length - 1), true);
    });
  }
});

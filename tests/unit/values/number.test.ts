import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  addNumbers,
  compareNumbers,
  normalizeNumber,
  numberSize,
  parseDecimal,
  subtractNumbers,
} from '../../../engine/values/number.js';
import type { DecimalParts } from '../../../engine/values/number.js';
import { DynamoError } from '../../../engine/errors.js';
import { prng } from '../../support/prng.js';

function errorOf(fn: () => unknown): { type: string; message: string } {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof DynamoError, `expected a DynamoError, got ${e}`);
    return { type: e.type, message: e.message };
  }
  assert.fail('expected an error');
}

describe('number normalisation', () => {
  const cases: [string, string][] = [
    ['1.50', '1.5'],
    ['0042.1200', '42.12'],
    ['-0', '0'],
    ['0.000', '0'],
    ['+7', '7'],
    ['1e3', '1000'],
    ['7.31E6', '7310000'],
    ['73100000e-1', '7310000'],
    ['.73e1', '7.3'],
    ['-.73e1', '-7.3'],
    ['1E-5', '0.00001'],
    ['-1.0e-2', '-0.01'],
    ['123456789012345678901234567890.12345678', '123456789012345678901234567890.12345678'],
    ['1E125', '1' + '0'.repeat(125)],
    ['1E-130', '0.' + '0'.repeat(129) + '1'],
    ['0e125', '0'],
    ['0.00e127', '0'],
    ['0e-130', '0'],
    [
      '9.9999999999999999999999999999999999999E+125',
      '99999999999999999999999999999999999999' + '0'.repeat(88),
    ],
  ];
  for (const [input, expected] of cases) {
    it(`${input} → ${expected}`, () => assert.equal(normalizeNumber(input), expected));
  }

  const errors: [string, string][] = [
    ['abc', 'The parameter cannot be converted to a numeric value: abc'],
    ['', 'The parameter cannot be converted to a numeric value'],
    ['1..2', 'The parameter cannot be converted to a numeric value: 1..2'],
    ['0x10', 'The parameter cannot be converted to a numeric value: 0x10'],
    ['1e', 'The parameter cannot be converted to a numeric value: 1e'],
    [
      '123456789012345678901234567890123456789',
      'Attempting to store more than 38 significant digits in a Number',
    ],
    ['1E126', 'Number overflow. Attempting to store a number with magnitude larger than supported range'],
    ['-1E126', 'Number overflow. Attempting to store a number with magnitude larger than supported range'],
    ['1E-131', 'Number underflow. Attempting to store a number with magnitude smaller than supported range'],
    // Exponents are read in full (64 bits): past 32 bits they still overflow or underflow.
    [
      '1e2147483648',
      'Number overflow. Attempting to store a number with magnitude larger than supported range',
    ],
    [
      '1e99999999999',
      'Number overflow. Attempting to store a number with magnitude larger than supported range',
    ],
    [
      '1e-99999999999',
      'Number underflow. Attempting to store a number with magnitude smaller than supported range',
    ],
    [
      '1e9007199254740993',
      'Number overflow. Attempting to store a number with magnitude larger than supported range',
    ],
    ['1e9223372036854775808', 'The parameter cannot be converted to a numeric value: 1e9223372036854775808'],
    // A zero is checked by the exponent it is written with.
    ['0e126', 'Number overflow. Attempting to store a number with magnitude larger than supported range'],
    ['0e-131', 'Number underflow. Attempting to store a number with magnitude smaller than supported range'],
    [
      '0.0e-130',
      'Number underflow. Attempting to store a number with magnitude smaller than supported range',
    ],
  ];
  for (const [input, message] of errors) {
    it(`rejects ${JSON.stringify(input)}`, () => {
      assert.deepEqual(
        errorOf(() => normalizeNumber(input)),
        { type: 'ValidationException', message },
      );
    });
  }

  it('keeps 38 significant digits exactly', () => {
    const n = '12345678901234567890123456789012345678';
    assert.equal(normalizeNumber(n), n);
    assert.equal(normalizeNumber('0.' + n), '0.' + n);
  });
});

describe('number comparison', () => {
  it('orders exactly beyond double precision', () => {
    assert.equal(
      compareNumbers('12345678901234567890123456789012345678', '12345678901234567890123456789012345679'),
      -1,
    );
    assert.equal(compareNumbers('-1.5', '-1.55'), 1);
    assert.equal(compareNumbers('0', '-0.0001'), 1);
    assert.equal(compareNumbers('100', '99.999'), 1);
    assert.equal(compareNumbers('1.50', '1.5'), 0);
  });

  it('agrees with doubles where doubles are exact (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: -1e9, max: 1e9 }), (a, b) => {
        assert.equal(compareNumbers(String(a), String(b)), Math.sign(a - b));
      }),
    );
  });
});

describe('number arithmetic', () => {
  it('adds and subtracts exactly', () => {
    assert.equal(addNumbers('0.1', '0.2'), '0.3');
    assert.equal(
      addNumbers('99999999999999999999999999999999999999', '1'),
      '100000000000000000000000000000000000000',
    );
    assert.equal(
      subtractNumbers('1', '1.000000000000000000000000000000000001'),
      '-0.000000000000000000000000000000000001',
    );
    assert.equal(addNumbers('-5', '5'), '0');
  });
  it('refuses results beyond 38 digits', () => {
    assert.equal(
      errorOf(() => addNumbers('1E+30', '1E-30')).message,
      'Attempting to store more than 38 significant digits in a Number',
    );
  });
});

describe('number size (base-100 digits)', () => {
  const cases: [string, number][] = [
    ['3.14159', 5],
    ['123456', 4],
    ['1E125', 2],
    ['100', 2],
    ['1010', 3],
    ['-1', 3],
    ['0.001', 2],
    ['100.01', 4],
    ['0', 1],
  ];
  for (const [n, size] of cases)
    it(`${n} costs ${size} bytes`, () => assert.equal(numberSize(normalizeNumber(n)), size));
});

describe('parseDecimal reads plain numbers by a scan, as the pattern reads them', () => {
  // The pattern-only reading parseDecimal had before its scan for plain numbers: the reference.
  function byPattern(text: string): DecimalParts | undefined {
    const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
    if (!m) return undefined;
    const intPart = m[2] ?? '';
    const fracPart = m[3] ?? '';
    if (intPart === '' && fracPart === '') return undefined;
    if (m[4] !== undefined && !Number.isSafeInteger(Number(m[4]))) return parseDecimal(text); // out of scope
    const exp = m[4] === undefined ? 0 : Number(m[4]);
    const all = intPart + fracPart;
    let start = 0;
    while (start < all.length && all[start] === '0') start++;
    if (start === all.length) return { negative: false, digits: '', exponent: 0 };
    let end = all.length;
    while (all[end - 1] === '0') end--;
    return {
      negative: m[1] === '-',
      digits: all.slice(start, end),
      exponent: intPart.length - 1 - start + exp,
    };
  }

  it('agrees on edge cases and on generated texts', () => {
    const texts = [
      '',
      '-',
      '+',
      '.',
      '-.',
      '+.',
      '0',
      '-0',
      '+0',
      '00',
      '0.',
      '.0',
      '-0.000',
      '1',
      '-1',
      '+1',
      '10',
      '100',
      '0.5',
      '.5',
      '5.',
      '-5.',
      '1.50',
      '0012.3400',
      '1e2',
      '1E-2',
      '-.5e+3',
      '1.2.3',
      '1-',
      '--1',
      '1 ',
      ' 1',
      '١',
      'NaN',
      'Infinity',
      '0x10',
      '1_000',
      '12345678901234567890123456789012345678',
      '\u00001',
      '1\n',
      '9'.repeat(40),
      '0.' + '0'.repeat(129) + '1',
    ];
    const r = prng(22);
    const alphabet = '0123456789012345678900-+.eE x';
    for (let i = 0; i < 5000; i++) {
      let t = '';
      const len = Math.floor(r() * 12);
      for (let j = 0; j < len; j++) t += alphabet[Math.floor(r() * alphabet.length)];
      texts.push(t);
    }
    for (const t of texts) assert.deepEqual(parseDecimal(t), byPattern(t), JSON.stringify(t));
  });
});

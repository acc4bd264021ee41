import assert from 'node:assert/strict';
import { describeValue } from '../../../main/cli/stream.js';
import { describe, it } from 'node:test';
import {
  cellText,
  fromSdkItem,
  parseValue,
  parseValueList,
  partiqlLiteral,
  plainItemJson,
  plainJson,
  splitValueList,
  toSdkValue,
} from '../../../main/shell/values.js';

describe('plain JSON', () => {
  it('prints numbers digit for digit, never through a double', () => {
    assert.equal(
      plainJson({ N: '123456789012345678901234567890.123456' }),
      '123456789012345678901234567890.123456',
    );
    assert.equal(plainJson({ N: '1E+130' }), '1E+130');
    assert.equal(plainJson({ NS: ['0.1', '10000000000000000000001'] }), '[0.1,10000000000000000000001]');
  });

  it('turns maps, lists, sets, binary and null into JSON', () => {
    const item = {
      m: { M: { a: { L: [{ S: 'x' }, { BOOL: true }, { NULL: true as const }] } } },
      ss: { SS: ['a', 'b"c'] },
      b: { B: 'AAEC' },
    };
    assert.equal(plainItemJson(item), '{"m":{"a":["x",true,null]},"ss":["a","b\\"c"],"b":"AAEC"}');
    assert.deepEqual(JSON.parse(plainItemJson(item, ['b', 'm'])), { b: 'AAEC', m: { a: ['x', true, null] } });
  });
});

describe('cell text', () => {
  it('shows strings raw, numbers as stored, sets in PartiQL brackets, documents as compact JSON', () => {
    assert.deepEqual(cellText({ S: 'hello' }), { text: 'hello', kind: 'string' });
    assert.deepEqual(cellText({ N: '-0.5' }), { text: '-0.5', kind: 'number' });
    assert.deepEqual(cellText({ SS: ['a', 'b'] }), { text: '<<"a", "b">>', kind: 'set' });
    assert.deepEqual(cellText({ NS: ['1', '2.5'] }), { text: '<<1, 2.5>>', kind: 'set' });
    assert.deepEqual(cellText({ M: { n: { N: '1' } } }), { text: '{"n":1}', kind: 'document' });
  });
});

describe('binary values', () => {
  it('carry a b64: tag in cells, so they never pass for strings', () => {
    assert.deepEqual(cellText({ B: 'AAEC' }), { text: 'b64:AAEC', kind: 'binary' });
    assert.deepEqual(cellText({ S: 'AAEC' }), { text: 'AAEC', kind: 'string' });
    assert.deepEqual(cellText({ BS: ['AA==', 'AQ=='] }), { text: '<<b64:AA==, b64:AQ==>>', kind: 'set' });
  });

  it('and sets read the same in sortkey stream', () => {
    for (const v of [{ SS: ['a', 'b'] }, { NS: ['1', '2.5'] }, { BS: ['AA=='] }, { B: 'AAEC' }])
      assert.equal(describeValue(v), cellText(v as never).text);
  });
});

describe('.params values', () => {
  it('splits on blanks and commas, keeping brackets and quotes together', () => {
    assert.deepEqual(splitValueList(`'a b' 12.5, {'k': [1, 2]} <<'x', 'y'>> {"S": "q r"} TRUE`), [
      "'a b'",
      '12.5',
      "{'k': [1, 2]}",
      "<<'x', 'y'>>",
      '{"S": "q r"}',
      'TRUE',
    ]);
  });

  it('reads PartiQL literals', () => {
    assert.deepEqual(parseValueList(`'it''s' 12.50 TRUE NULL [1, 'a'] {'k': {'n': 2}} <<3, 1>>`), [
      { S: "it's" },
      { N: '12.5' },
      { BOOL: true },
      { NULL: true },
      { L: [{ N: '1' }, { S: 'a' }] },
      { M: { k: { M: { n: { N: '2' } } } } },
      { NS: ['1', '3'] },
    ]);
  });

  it('reads DynamoDB JSON', () => {
    assert.deepEqual(parseValue('{"B": "AAEC"}'), { B: 'AAEC' });
    assert.deepEqual(parseValue('{"N": "007"}'), { N: '7' });
    assert.deepEqual(parseValue('{"M": {"a": {"S": "x"}}}'), { M: { a: { S: 'x' } } });
  });

  it('refuses what is not a value, saying how to write one', () => {
    assert.throws(() => parseValue('hello'), /not a value; write a PartiQL literal/);
    assert.throws(() => parseValue('{"S": 1}'), /not a valid DynamoDB JSON value/);
  });

  it('writes values back as literals', () => {
    assert.equal(partiqlLiteral({ M: { "o'k": { SS: ['a'] }, n: { N: '1' } } }), "{'o''k': <<'a'>>, 'n': 1}");
  });
});

describe('SDK shapes', () => {
  it('converts binary between bytes and base64 both ways', () => {
    const sdk = toSdkValue({ M: { b: { B: 'AAEC' }, bs: { BS: ['AQ=='] } } }) as {
      M: Record<string, { B?: Uint8Array }>;
    };
    assert.ok(sdk.M.b!.B instanceof Uint8Array);
    assert.deepEqual(fromSdkItem({ x: sdk }), { x: { M: { b: { B: 'AAEC' }, bs: { BS: ['AQ=='] } } } });
  });
});

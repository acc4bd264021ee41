// Input text is validated and decoded piece by piece (io/input.ts, InputStream.texts): whatever the
// pieces, the text is what a fatal TextDecoder gives for the whole input, and invalid UTF-8 is
// refused at the offset and line of its first bad byte.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  ByteCounter,
  firstInvalidUtf8,
  InputStream,
  InvalidUtf8Error,
} from '../../../engine/dump/io/input.js';

async function decodeInPieces(bytes: Buffer, cuts: number[]): Promise<string | InvalidUtf8Error> {
  const pieces: Buffer[] = [];
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    const at = Math.min(bytes.length, cut);
    if (at > from) pieces.push(bytes.subarray(from, at));
    from = Math.max(from, at);
  }
  if (from < bytes.length) pieces.push(bytes.subarray(from));
  async function* stream() {
    for (const p of pieces) yield p;
  }
  const input = await InputStream.open({ name: 'x', stream: stream() }, new ByteCounter());
  let text = '';
  try {
    for await (const t of input.texts()) text += t;
  } catch (e) {
    if (e instanceof InvalidUtf8Error) return e;
    throw e;
  }
  return text;
}

describe('input decoding', () => {
  it('gives what a fatal TextDecoder gives for the whole input, whatever the pieces', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.option(fc.tuple(fc.nat(), fc.integer({ min: 0x80, max: 0xff })), { nil: undefined }),
        fc.array(fc.nat({ max: 200 }), { maxLength: 8 }),
        async (s, corrupt, cuts) => {
          let bytes = Buffer.from('x\n' + s, 'utf8');
          if (corrupt) {
            const at = corrupt[0] % (bytes.length + 1);
            bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([corrupt[1]]), bytes.subarray(at)]);
          }
          const actual = await decodeInPieces(bytes, cuts);
          let expected: string | undefined;
          try {
            expected = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
          } catch {
            expected = undefined;
          }
          if (expected !== undefined) {
            assert.equal(actual, expected);
          } else {
            assert.ok(actual instanceof InvalidUtf8Error, `accepted invalid bytes ${bytes.toString('hex')}`);
            const at = firstInvalidUtf8(bytes);
            assert.equal(actual.byteOffset, at);
            assert.equal(actual.line, 1 + [...bytes.subarray(0, at)].filter((b) => b === 10).length);
          }
        },
      ),
      { numRuns: 1500 },
    );
  });
});

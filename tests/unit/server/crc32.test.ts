import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { crc32, crc32Portable } from '../../../main/server/crc32.js';

describe('crc32', () => {
  it('gives the standard check values', () => {
    assert.equal(crc32(Buffer.from('')), 0);
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
    assert.equal(crc32Portable(Buffer.from('123456789')), 0xcbf43926);
    assert.equal(crc32(Buffer.from('{}')), crc32Portable(Buffer.from('{}')));
  });

  it('agrees between the native and the table-driven implementation', () => {
    for (let i = 0; i < 50; i++) {
      const bytes = randomBytes(i * 37);
      assert.equal(crc32(bytes), crc32Portable(bytes));
    }
  });

  it('is unsigned', () => {
    const value = crc32(Buffer.from('{"TableNames":[]}'));
    assert.ok(value >= 0 && value <= 0xffffffff);
  });
});

// A Bloom filter over encoded primary keys. An import into a table that was empty when the write
// phase began only needs to look a key up in the table when the same key came earlier in the
// input: "definitely not seen" skips the lookup, "maybe seen" does it. False positives only cost a
// lookup; the answer never changes what is written.
import type { EncodedKey } from '../../tables/schema.js';

const MAX_BITS = 1 << 27; // 16 MB

export class KeyFilter {
  private readonly bits: Uint32Array;
  private readonly mask: number;

  constructor(expectedKeys: number) {
    let m = 1 << 16;
    while (m < expectedKeys * 16 && m < MAX_BITS) m *= 2;
    this.bits = new Uint32Array(m >>> 5);
    this.mask = m - 1;
  }

  private static second(key: EncodedKey): number {
    // FNV-1a over the sort key bytes, seeded by the partition hash, then a final mix.
    let h = key.hash ^ 0x9e3779b9;
    const sk = key.sk;
    for (let i = 0; i < sk.length; i++) h = Math.imul(h ^ sk[i]!, 0x01000193);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    return (h | 1) >>> 0;
  }

  /** Records the key; returns true when it may have been recorded before. */
  add(key: EncodedKey): boolean {
    const h1 = key.hash;
    const h2 = KeyFilter.second(key);
    let seen = true;
    for (let i = 0; i < 4; i++) {
      const bit = (h1 + Math.imul(i, h2)) & this.mask;
      const word = bit >>> 5;
      const flag = 1 << (bit & 31);
      if ((this.bits[word]! & flag) === 0) {
        seen = false;
        this.bits[word] = this.bits[word]! | flag;
      }
    }
    return seen;
  }
}

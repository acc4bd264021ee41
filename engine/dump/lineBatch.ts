// One batch of DynamoDB JSON lines (ddb-jsonl, export data files) read, validated and encoded for
// the import's spool, by the main thread or by a read thread (readThreads.ts, readWorker.ts) alike:
// each line is what `readers.ts` makes of it (JSON.parse, dynamoRecord) and each record what
// `encodeRecord` makes of it, so both threads refuse the same records with the same reasons and
// lines. The result is bytes laid out as the spool keeps them, which a thread hands over without
// a copy (a transferred ArrayBuffer) and the spool takes as bytes.
import type { KeySchema } from '../tables/schema.js';
import type { Table } from '../tables/table.js';
import { checkedAttributes, encodeRecord, encodeStoredText, reasonOf } from './encode.js';
import type { EncodedRecord } from './encode.js';
import { HEAD_FIXED_BYTES, writeHead } from './io/entryHead.js';
import { dynamoRecord, isBlank, syntaxProblem } from './readers.js';

/** A refused line: `table` when the table's own checks refused it (counted against the table). */
export interface BatchProblem {
  readonly line: number;
  readonly reason: string;
  readonly text: string | undefined;
  readonly table: boolean;
}

export interface EncodedBatch {
  /**
   * Entries in bytes [0, used): sort key (f64), length (u32), then `length` bytes as the spool
   * keeps an entry (head length u16, head, body).
   */
  readonly bytes: ArrayBuffer;
  readonly used: number;
  readonly entries: number;
  /** Records read (good and bad; blank lines are none). */
  readonly records: number;
  readonly problems: BatchProblem[];
}

/** Bytes before an entry's spool form: its sort key and length. */
export const BATCH_ENTRY_PREFIX = 12;

export class LineBatchEncoder {
  /** The attributes the key checks read (encodeStoredText). */
  private readonly checked: readonly string[];
  private out = Buffer.alloc(0);
  private used = 0;

  constructor(
    private readonly table: Table,
    private readonly key: KeySchema,
    /** Spool key of the table (high part) and head fields. */
    private readonly target: number,
    private readonly unit: number,
  ) {
    this.checked = checkedAttributes(table, key);
  }

  /**
   * Encodes `text`: whole lines, each ending with a newline but perhaps the last (the input's
   * end), the first being line `firstLine` of the input.
   */
  encode(text: string, firstLine: number): EncodedBatch {
    this.out = Buffer.from(new ArrayBuffer(Math.max(4096, text.length + (text.length >> 2))));
    this.used = 0;
    let entries = 0;
    let records = 0;
    const problems: BatchProblem[] = [];
    let line = firstLine;
    for (let pos = 0; pos < text.length; line++) {
      let nl = text.indexOf('\n', pos);
      if (nl < 0) nl = text.length;
      let lineText = text.slice(pos, nl);
      pos = nl + 1;
      if (lineText.charCodeAt(lineText.length - 1) === 13) lineText = lineText.slice(0, -1);
      if (isBlank(lineText)) continue;
      records++;
      // {"Item":…} in stored form (what exports write): read from the text, without JSON.parse.
      if (lineText.startsWith('{"Item":') && lineText.charCodeAt(lineText.length - 1) === 125 /* } */) {
        const stored = encodeStoredText(this.table, this.key, this.checked, lineText, 8, lineText.length - 1);
        if (stored) {
          this.append(stored, line);
          entries++;
          continue;
        }
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(lineText);
      } catch (e) {
        const bad = syntaxProblem(lineText, line, e) as { line: number; reason: string };
        problems.push({ line: bad.line, reason: bad.reason, text: lineText, table: false });
        continue;
      }
      const rec = dynamoRecord(parsed, line, lineText);
      if (rec.kind !== 'item' && rec.kind !== 'delete') {
        if (rec.kind === 'bad')
          problems.push({ line: rec.line, reason: rec.reason, text: rec.text, table: false });
        continue;
      }
      let r: EncodedRecord;
      try {
        r = encodeRecord(
          this.table,
          this.key,
          rec.kind === 'item',
          rec.kind === 'item' ? rec.value : rec.key,
          rec.text,
          rec.kind === 'item' ? rec.itemText : undefined,
        );
      } catch (e) {
        problems.push({ line, reason: reasonOf(e), text: rec.text, table: true });
        continue;
      }
      this.append(r, line);
      entries++;
    }
    const out = this.out;
    this.out = Buffer.alloc(0);
    return { bytes: out.buffer as ArrayBuffer, used: this.used, entries, records, problems };
  }

  /** Appends one entry for line `line` to the batch's bytes. */
  private append(r: EncodedRecord, line: number): void {
    const json = r.json;
    let out = this.out;
    const used = this.used;
    // The worst case: every character three UTF-8 bytes.
    const worst =
      BATCH_ENTRY_PREFIX + 2 + HEAD_FIXED_BYTES + r.key.pk.length + r.key.sk.length + json.length * 3;
    if (used + worst > out.length) {
      const bigger = Buffer.from(new ArrayBuffer(Math.max(out.length * 2, used + worst)));
      out.copy(bigger, 0, 0, used);
      out = this.out = bigger;
    }
    out.writeDoubleLE(this.target * 0x1_0000_0000 + r.key.hash, used);
    const headAt = used + BATCH_ENTRY_PREFIX + 2;
    const bodyAt = writeHead(out, headAt, r.put, this.target, this.unit, line, r.size, r.key);
    out.writeUInt16LE(bodyAt - headAt, used + BATCH_ENTRY_PREFIX);
    const end = bodyAt + out.write(json, bodyAt, 'utf8');
    out.writeUInt32LE(end - used - BATCH_ENTRY_PREFIX, used + 8);
    this.used = end;
  }
}

// Reading the audit log back: `sortkey audit` (every file, oldest first, then following the file as
// it grows and rotates) and the studio (the newest records first, read backwards in slices so that a
// large file never holds the server's thread for long). Filters are the same for both.
import { createReadStream, readdirSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { AuditEvent } from './record.js';

export interface AuditFilter {
  /** Records about this table (its name, as the resources' ARNs or the request name it). */
  readonly table?: string | undefined;
  /** Operation names (case-insensitive); any of them. */
  readonly eventNames?: readonly string[] | undefined;
  /** An error code, `any` (every failure) or `none` (successes only). */
  readonly errorCode?: string | undefined;
  readonly accessKey?: string | undefined;
  /** Epoch milliseconds, inclusive. */
  readonly since?: number | undefined;
  readonly until?: number | undefined;
  /** Text the record's line contains (case-insensitive). */
  readonly text?: string | undefined;
}

/** The audit files of `file`, oldest first: FILE.N … FILE.1, then FILE (those that exist). */
export function auditFiles(file: string): string[] {
  const dir = dirname(file);
  const base = basename(file);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const rotated: { n: number; path: string }[] = [];
  let current = false;
  for (const name of names) {
    if (name === base) current = true;
    else if (name.startsWith(base + '.')) {
      const n = name.slice(base.length + 1);
      if (/^\d+$/.test(n)) rotated.push({ n: Number(n), path: join(dir, name) });
    }
  }
  rotated.sort((a, b) => b.n - a.n);
  return [...rotated.map((r) => r.path), ...(current ? [file] : [])];
}

/** The tables a record is about. */
export function tablesOf(event: AuditEvent): string[] {
  const out = new Set<string>();
  for (const r of event.resources ?? []) {
    const m = /:table\/([^/]+)/.exec(r.ARN);
    if (m) out.add(m[1]!);
  }
  const named = (event.requestParameters as { tableName?: unknown } | null)?.tableName;
  if (typeof named === 'string') out.add(named);
  return [...out];
}

/** Epoch milliseconds of a record's eventTime. */
export function timeOf(event: AuditEvent): number {
  return Date.parse(event.eventTime);
}

/**
 * A compiled filter: `line` is the record's JSON text (for `text`, and to skip parsing lines that
 * cannot match).
 */
export function auditMatcher(filter: AuditFilter): (event: AuditEvent, line: string) => boolean {
  const names = filter.eventNames?.length
    ? new Set(filter.eventNames.map((n) => n.toLowerCase()))
    : undefined;
  const text = filter.text?.toLowerCase();
  const code = filter.errorCode;
  return (event, line) => {
    if (names && !names.has(String(event.eventName).toLowerCase())) return false;
    if (code !== undefined && code !== '') {
      if (code === 'any') {
        if (event.errorCode === undefined) return false;
      } else if (code === 'none') {
        if (event.errorCode !== undefined) return false;
      } else if (event.errorCode !== code) return false;
    }
    if (filter.accessKey !== undefined && event.userIdentity?.accessKeyId !== filter.accessKey) return false;
    if (filter.since !== undefined || filter.until !== undefined) {
      const t = timeOf(event);
      // eventTime has whole seconds: a bound within the same second matches.
      if (filter.since !== undefined && t < Math.floor(filter.since / 1000) * 1000) return false;
      if (filter.until !== undefined && t > filter.until) return false;
    }
    if (filter.table !== undefined && !tablesOf(event).includes(filter.table)) return false;
    if (text !== undefined && text !== '' && !line.toLowerCase().includes(text)) return false;
    return true;
  };
}

/** A record from one line of the file, or undefined for a line that is not one. */
export function parseAuditLine(line: string): AuditEvent | undefined {
  if (line.length === 0 || line[0] !== '{') return undefined;
  try {
    const e = JSON.parse(line) as AuditEvent;
    return e && typeof e === 'object' && typeof e.eventTime === 'string' ? e : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `15m`, `2h`, `7d`, `30s` ago, or a date (`2026-12-07`, `2026-12-07T17:00:00Z`): epoch milliseconds.
 * Undefined when the text is neither.
 */
export function parseAuditTime(text: string, now: number = Date.now()): number | undefined {
  const rel = /^(\d+)\s*(s|m|h|d)$/i.exec(text.trim());
  if (rel) {
    const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[rel[2]!.toLowerCase() as 's'];
    return now - Number(rel[1]) * unit;
  }
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : t;
}

/** What a record is about, in a few words: its key, statement or the names it gave. */
function subjectOf(event: AuditEvent): string {
  const p = event.requestParameters as Record<string, unknown> | null;
  if (!p) return '';
  if (p.key && typeof p.key === 'object') return `key ${compact(p.key)}`;
  if (Array.isArray(p.item)) return `item [${p.item.join(', ')}]`;
  if (typeof p.statement === 'string') return p.statement;
  if (typeof p.keyConditionExpression === 'string') return p.keyConditionExpression;
  if (p.requestItems && typeof p.requestItems === 'object') {
    const n = Object.values(p.requestItems as Record<string, unknown>).reduce<number>(
      (sum, v) => sum + (Array.isArray(v) ? v.length : 1),
      0,
    );
    return `${n} request${n === 1 ? '' : 's'}`;
  }
  if (Array.isArray(p.transactItems)) return `${p.transactItems.length} actions`;
  if (Array.isArray(p.statements)) return `${p.statements.length} statements`;
  return '';
}

function compact(value: unknown): string {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value);
}

export interface LineStyle {
  readonly dim: (s: string) => string;
  readonly bad: (s: string) => string;
  readonly name: (s: string) => string;
}

const PLAIN: LineStyle = { dim: (s) => s, bad: (s) => s, name: (s) => s };

/**
 * One record as a line for people:
 * `2026-12-07T17:03:12Z  PutItem  Orders  AKID @ 127.0.0.1  OK  key {pk=a}  <request id>`.
 */
export function formatAuditEvent(event: AuditEvent, style: LineStyle = PLAIN): string {
  const who = event.userIdentity?.accessKeyId ?? 'anonymous';
  const outcome = event.errorCode
    ? style.bad(`${event.errorCode}${event.errorMessage ? `: ${event.errorMessage}` : ''}`)
    : 'OK';
  const subject = subjectOf(event);
  return [
    style.dim(event.eventTime),
    style.name(event.eventName || '?'),
    tablesOf(event).join(',') || '-',
    `${who} @ ${event.sourceIPAddress || '?'}`,
    outcome,
    ...(subject ? [subject] : []),
    style.dim(event.requestID),
  ].join('  ');
}

/** Every record of the files (oldest first) that matches, to `each`. */
export async function readAuditFiles(
  files: readonly string[],
  filter: AuditFilter,
  each: (event: AuditEvent, line: string) => void,
): Promise<void> {
  const matches = auditMatcher(filter);
  for (const f of files) {
    let stream;
    try {
      stream = createReadStream(f, { encoding: 'utf8' });
    } catch {
      continue;
    }
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    try {
      for await (const line of lines) {
        const e = parseAuditLine(line);
        if (e && matches(e, line)) each(e, line);
      }
    } catch (err) {
      // A file rotated away between listing and reading: nothing more to read there.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}

export interface RecentAudit {
  /** Newest first. */
  readonly events: AuditEvent[];
  /** False when the search stopped (enough records, or the scan budget spent) before the oldest file's start. */
  readonly complete: boolean;
}

/** Bytes read per slice when reading backwards. */
const SLICE_BYTES = 256 * 1024;

/**
 * The newest `limit` records that match, newest first, read backwards from the end of FILE and then
 * of FILE.1, FILE.2 …; at most `budgetBytes` are read. Each slice is a separate asynchronous read,
 * so a server serving this (the studio) goes on answering requests in between.
 */
export async function readRecentAudit(
  file: string,
  filter: AuditFilter,
  limit: number,
  budgetBytes = 64 * 1024 * 1024,
): Promise<RecentAudit> {
  const matches = auditMatcher(filter);
  const events: AuditEvent[] = [];
  let budget = budgetBytes;
  const files = auditFiles(file).reverse();
  for (const f of files) {
    let handle: FileHandle;
    try {
      handle = await open(f, 'r');
    } catch {
      continue;
    }
    try {
      let position = (await handle.stat()).size;
      let carry = Buffer.alloc(0);
      while (position > 0) {
        if (budget <= 0) return { events, complete: false };
        const length = Math.min(SLICE_BYTES, position);
        position -= length;
        budget -= length;
        const slice = Buffer.alloc(length);
        await handle.read(slice, 0, length, position);
        const data = carry.length > 0 ? Buffer.concat([slice, carry]) : slice;
        // The first line of the slice may have begun before it: keep it for the next one.
        const first = position > 0 ? data.indexOf(0x0a) : -1;
        carry = first >= 0 ? data.subarray(0, first) : position > 0 ? data : Buffer.alloc(0);
        if (first < 0 && position > 0) continue;
        const lines = data
          .subarray(first + 1)
          .toString('utf8')
          .split('\n');
        for (let i = lines.length - 1; i >= 0; i--) {
          const line = lines[i]!;
          const e = parseAuditLine(line);
          if (e && matches(e, line)) {
            events.push(e);
            if (events.length >= limit) return { events, complete: false };
          }
        }
      }
    } finally {
      await handle.close();
    }
  }
  return { events, complete: true };
}

/**
 * Follows FILE as it grows (`tail -F`): new whole lines go to `each`. When the file is rotated, the
 * rest of the renamed file is read through the descriptor still open on it, then the new FILE from
 * its start. Returns a function that stops following.
 */
export function followAudit(
  file: string,
  filter: AuditFilter,
  each: (event: AuditEvent, line: string) => void,
  options: { fromStart?: boolean; intervalMs?: number } = {},
): () => void {
  const matches = auditMatcher(filter);
  let handle: FileHandle | undefined;
  let ino: number | undefined;
  let position = 0;
  let carry = '';
  let stopped = false;
  let busy = false;

  const openCurrent = async (atEnd: boolean): Promise<void> => {
    let s: Stats;
    try {
      s = await stat(file);
    } catch {
      return;
    }
    handle = await open(file, 'r').catch(() => undefined);
    ino = s.ino;
    position = atEnd ? s.size : 0;
    carry = '';
  };

  const readNew = async (): Promise<void> => {
    if (!handle) return;
    for (;;) {
      const buf = Buffer.alloc(SLICE_BYTES);
      const { bytesRead } = await handle.read(buf, 0, buf.length, position);
      if (bytesRead <= 0) return;
      position += bytesRead;
      const text = carry + buf.subarray(0, bytesRead).toString('utf8');
      const lines = text.split('\n');
      carry = lines.pop()!;
      for (const line of lines) {
        const e = parseAuditLine(line);
        if (e && matches(e, line)) each(e, line);
      }
    }
  };

  const tick = async (): Promise<void> => {
    if (busy || stopped) return;
    busy = true;
    try {
      if (!handle) await openCurrent(false);
      await readNew();
      const s = await stat(file).catch(() => undefined);
      if (s && s.ino !== ino) {
        // Rotated: finish the old file (lines may have reached it after the read above) through the
        // descriptor still open on it; the new one starts at 0.
        await readNew();
        await handle?.close().catch(() => undefined);
        handle = undefined;
        await openCurrent(false);
        await readNew();
      } else if (s && s.size < position) {
        // Truncated in place: start again from its beginning.
        position = 0;
        carry = '';
      }
    } finally {
      busy = false;
    }
  };

  const ready = openCurrent(!(options.fromStart ?? false));
  const timer = setInterval(() => {
    void ready.then(tick);
  }, options.intervalMs ?? 250);
  return () => {
    stopped = true;
    clearInterval(timer);
    void ready.then(() => handle?.close().catch(() => undefined));
  };
}

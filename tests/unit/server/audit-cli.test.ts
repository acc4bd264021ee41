// `sortkey serve --audit…` flags and `sortkey audit FILE`: filters, readable lines and --json, the
// rotated files read oldest first, and following a file across a rotation.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { followAudit, parseAuditTime, readRecentAudit } from '../../../main/audit/read.js';
import type { AuditEvent } from '../../../main/audit/record.js';
import { AuditLog } from '../../../main/audit/writer.js';
import { runAudit } from '../../../main/cli/audit.js';
import { CliUsageError, parseSize, serveOptionsFromCli } from '../../../main/cli/serve.js';
import type { AuditedRequest } from '../../../main/server/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'sortkey-audit-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const NS = { region: 'us-east-1', accountId: '000000000000' };

interface Call {
  op: string;
  table: string;
  key?: string;
  error?: string;
  at: number;
}

function request(c: Call, n: number): AuditedRequest {
  return {
    req: {
      socket: { remoteAddress: '127.0.0.1' },
      headers: {
        'x-amz-target': `DynamoDB_20120810.${c.op}`,
        'user-agent': 'test',
        ...(c.key
          ? {
              authorization: `AWS4-HMAC-SHA256 Credential=${c.key}/20261207/us-east-1/dynamodb/aws4_request, x`,
            }
          : {}),
      },
      url: '/',
    } as unknown as IncomingMessage,
    operation: c.op,
    input:
      c.op === 'PutItem'
        ? { TableName: c.table, Item: { pk: { S: `k${n}` }, body: { S: 'secret' } } }
        : { TableName: c.table, Key: { pk: { S: `k${n}` } } },
    namespace: undefined,
    status: c.error ? 400 : 200,
    error: c.error ? { type: c.error, message: 'it failed', status: 400 } : undefined,
    requestId: `R${n}`,
    result: undefined,
  };
}

const T0 = Date.parse('2026-12-07T10:00:00Z');
const CALLS: Call[] = [
  { op: 'PutItem', table: 'Orders', key: 'AKIDONE', at: T0 },
  { op: 'GetItem', table: 'Orders', key: 'AKIDTWO', at: T0 + 60_000 },
  {
    op: 'DeleteItem',
    table: 'Users',
    key: 'AKIDONE',
    error: 'ConditionalCheckFailedException',
    at: T0 + 120_000,
  },
  { op: 'GetItem', table: 'Users', error: 'ValidationException', at: T0 + 180_000 },
  { op: 'PutItem', table: 'Users', key: 'AKIDTWO', at: T0 + 240_000 },
];

/** An audit file of CALLS, rotated after every call (so that it spans FILE.4 … FILE). */
async function writeLog(name: string): Promise<string> {
  const file = join(dir, name);
  let i = 0;
  const log = new AuditLog({
    file,
    maxBytes: 1024,
    keep: 10,
    defaultNamespace: NS,
    now: () => CALLS[i]!.at,
  });
  for (; i < CALLS.length; i++) {
    log.record(request(CALLS[i]!, i));
    await log.flushed();
  }
  await log.close();
  return file;
}

async function run(file: string, opts: Parameters<typeof runAudit>[1]): Promise<string[]> {
  const lines: string[] = [];
  const code = await runAudit(file, { color: false, ...opts }, (l) => lines.push(l));
  assert.equal(code, 0);
  return lines;
}

describe('sortkey serve --audit', () => {
  const base = { port: 8000, host: '127.0.0.1', region: 'us-east-1', inMemory: true };
  it('maps the audit flags', () => {
    const o = serveOptionsFromCli({
      ...base,
      audit: 'a.log',
      auditItems: true,
      auditMaxSize: 2048,
      auditKeep: 3,
    });
    assert.deepEqual(o.audit, { file: join(process.cwd(), 'a.log'), items: true, maxBytes: 2048, keep: 3 });
    assert.equal(serveOptionsFromCli(base).audit, undefined);
  });
  it('refuses audit options without --audit', () => {
    assert.throws(() => serveOptionsFromCli({ ...base, auditItems: true }), CliUsageError);
    assert.throws(
      () => serveOptionsFromCli({ ...base, auditKeep: 2 }),
      /--audit-keep is only used with --audit/,
    );
  });
  it('reads sizes', () => {
    assert.equal(parseSize('10MB'), 10 * 1024 * 1024);
    assert.equal(parseSize('512k'), 512 * 1024);
    assert.equal(parseSize('4096'), 4096);
    assert.throws(() => parseSize('ten'));
    assert.throws(() => parseSize('12'));
  });
});

describe('sortkey audit', () => {
  it('prints every file, oldest first, as readable lines', async () => {
    const file = await writeLog('all.log');
    const lines = await run(file, {});
    assert.equal(lines.length, CALLS.length);
    assert.equal(
      lines[0],
      '2026-12-07T10:00:00Z  PutItem  Orders  AKIDONE @ 127.0.0.1  OK  item [pk, body]  R0',
    );
    assert.equal(
      lines[2],
      '2026-12-07T10:02:00Z  DeleteItem  Users  AKIDONE @ 127.0.0.1  ConditionalCheckFailedException: it failed  key {pk=k2}  R2',
    );
    assert.match(lines[3]!, /GetItem {2}Users {2}anonymous @ 127\.0\.0\.1 {2}ValidationException/);
  });

  it('filters by table, operation, error, access key and time; --json prints the records', async () => {
    const file = await writeLog('filters.log');
    const ids = async (opts: Parameters<typeof runAudit>[1]): Promise<string[]> =>
      (await run(file, { ...opts, json: true })).map((l) => (JSON.parse(l) as AuditEvent).requestID);
    assert.deepEqual(await ids({ table: 'Orders' }), ['R0', 'R1']);
    assert.deepEqual(await ids({ event: ['putitem'] }), ['R0', 'R4']);
    assert.deepEqual(await ids({ event: ['PutItem', 'DeleteItem'] }), ['R0', 'R2', 'R4']);
    assert.deepEqual(await ids({ errors: true }), ['R2', 'R3']);
    assert.deepEqual(await ids({ errorCode: 'ValidationException' }), ['R3']);
    assert.deepEqual(await ids({ errorCode: 'none', table: 'Users' }), ['R4']);
    assert.deepEqual(await ids({ accessKey: 'AKIDTWO' }), ['R1', 'R4']);
    assert.deepEqual(await ids({ since: T0 + 100_000, until: T0 + 200_000 }), ['R2', 'R3']);
    assert.deepEqual(await ids({ limit: 2 }), ['R3', 'R4']);
    assert.deepEqual(await ids({ grep: 'k3' }), ['R3']);
    assert.deepEqual(await ids({ grep: 'secret' }), []);
    assert.deepEqual(await ids({ since: '2026-12-07T10:03:00Z' }), ['R3', 'R4']);
    const errors: string[] = [];
    const error = console.error;
    console.error = (line: string) => errors.push(line);
    try {
      assert.equal(await runAudit(file, { since: 'soon' }, () => undefined), 2);
    } finally {
      console.error = error;
    }
    assert.match(errors.join('\n'), /--since expects a date/);
  });

  it('reads times as dates or times ago', () => {
    const now = Date.parse('2026-12-07T12:00:00Z');
    assert.equal(parseAuditTime('15m', now), now - 15 * 60_000);
    assert.equal(parseAuditTime('2h', now), now - 7_200_000);
    assert.equal(parseAuditTime('2026-12-07T10:00:00Z', now), T0);
    assert.equal(parseAuditTime('yesterday-ish', now), undefined);
  });

  it('reads the newest records first, across files (the studio)', async () => {
    const file = await writeLog('recent.log');
    const all = await readRecentAudit(file, {}, 100);
    assert.deepEqual(
      all.events.map((e) => e.requestID),
      ['R4', 'R3', 'R2', 'R1', 'R0'],
    );
    assert.equal(all.complete, true);
    const two = await readRecentAudit(file, { table: 'Users' }, 2);
    assert.deepEqual(
      two.events.map((e) => e.requestID),
      ['R4', 'R3'],
    );
    assert.equal(two.complete, false);
  });

  it('follows a file as it grows and across a rotation', async () => {
    const file = join(dir, 'follow.log');
    const line = (id: string): string =>
      JSON.stringify({ eventTime: '2026-12-07T10:00:00Z', eventName: 'GetItem', requestID: id }) + '\n';
    writeFileSync(file, line('A'));
    const seen: string[] = [];
    const stop = followAudit(file, {}, (e) => seen.push(e.requestID), { fromStart: true, intervalMs: 10 });
    const until = async (n: number): Promise<void> => {
      for (let i = 0; i < 500 && seen.length < n; i++) await new Promise((r) => setTimeout(r, 10));
    };
    try {
      await until(1);
      // A line written in two pieces is printed once whole.
      const b = line('B');
      appendFileSync(file, b.slice(0, 10));
      await new Promise((r) => setTimeout(r, 50));
      appendFileSync(file, b.slice(10));
      await until(2);
      appendFileSync(file, line('C'));
      renameSync(file, file + '.1');
      writeFileSync(file, line('D'));
      await until(4);
      assert.deepEqual(seen, ['A', 'B', 'C', 'D']);
    } finally {
      stop();
    }
  });

  it('is a command of bin/sortkey.js', async () => {
    const file = await writeLog('bin.log');
    const r = spawnSync(
      process.execPath,
      [join(ROOT, 'bin', 'sortkey.js'), 'audit', file, '--errors', '--json'],
      {
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
        timeout: 60_000,
      },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as AuditEvent).errorCode),
      ['ConditionalCheckFailedException', 'ValidationException'],
    );
    const missing = spawnSync(
      process.execPath,
      [join(ROOT, 'bin', 'sortkey.js'), 'audit', join(dir, 'none.log')],
      {
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /no audit log/);
  });
});

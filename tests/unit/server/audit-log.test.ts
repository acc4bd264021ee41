// The audit log's file (main/audit/writer.ts): whole lines only, rotation by size with FILE.1 the
// newest of at most `keep` old files, and the PartiQL redaction rule (main/audit/record.ts).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { redactStatement, statementTable } from '../../../main/audit/record.js';
import { AuditLog, rotatedName } from '../../../main/audit/writer.js';
import type { AuditedRequest } from '../../../main/server/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sortkey-audit-log-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function request(n: number): AuditedRequest {
  return {
    req: {
      socket: { remoteAddress: '::ffff:10.0.0.7' },
      headers: { 'x-amz-target': 'DynamoDB_20120810.GetItem', 'user-agent': 'test' },
      url: '/',
    } as unknown as IncomingMessage,
    operation: 'GetItem',
    input: { TableName: 'Orders', Key: { pk: { S: `k${n}` } } },
    namespace: undefined,
    status: 200,
    error: undefined,
    requestId: `R${n}`,
    result: undefined,
  };
}

const NS = { region: 'eu-west-1', accountId: '123456789012' };

describe('audit log file', () => {
  it('rotates by size, keeping `keep` old files, newest first, every line whole', async () => {
    const file = join(dir, 'rotate.log');
    const log = new AuditLog({ file, maxBytes: 4096, keep: 2, defaultNamespace: NS });
    const total = 200;
    for (let i = 0; i < total; i++) {
      log.record(request(i));
      // Several turns of the event loop, so that several writes (and rotations) happen.
      if (i % 7 === 0) await new Promise((r) => setImmediate(r));
    }
    await log.close();
    assert.ok(existsSync(rotatedName(file, 1)) && existsSync(rotatedName(file, 2)));
    assert.ok(!existsSync(rotatedName(file, 3)), 'more rotated files than asked for');
    const ids: number[] = [];
    for (const f of [rotatedName(file, 2), rotatedName(file, 1), file]) {
      const text = readFileSync(f, 'utf8');
      assert.ok(text.endsWith('\n'));
      for (const line of text.split('\n').filter(Boolean)) {
        const e = JSON.parse(line) as { requestID: string; sourceIPAddress: string; awsRegion: string };
        assert.equal(e.sourceIPAddress, '10.0.0.7');
        assert.equal(e.awsRegion, 'eu-west-1');
        ids.push(Number(e.requestID.slice(1)));
      }
      // No file grows past the limit.
      assert.ok(statSync(f).size <= 4096);
    }
    // The newest requests survive, in order, without gaps.
    assert.deepEqual(
      ids,
      ids.map((_, i) => total - ids.length + i),
    );
    assert.equal(ids.at(-1), total - 1);
  });

  it('appends to an existing file and records nothing after close', async () => {
    const file = join(dir, 'append.log');
    const first = new AuditLog({ file, defaultNamespace: NS });
    first.record(request(1));
    await first.close();
    first.record(request(2));
    const second = new AuditLog({ file, defaultNamespace: NS });
    second.record(request(3));
    await second.close();
    const ids = readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { requestID: string }).requestID);
    assert.deepEqual(ids, ['R1', 'R3']);
  });

  it('fails at start on a path it cannot write', () => {
    assert.throws(() => new AuditLog({ file: join(dir, 'missing.log', 'x', '\0'), defaultNamespace: NS }));
  });
});

describe('PartiQL redaction', () => {
  const keys = new Set(['pk', 'sk']);
  it('keeps key comparisons and attribute names, redacts every other literal', () => {
    assert.equal(
      redactStatement(`SELECT * FROM "T" WHERE pk = 'a' AND sk = 3 AND price > 10 AND note = 'it''s'`, keys),
      `SELECT * FROM "T" WHERE pk = 'a' AND sk = 3 AND price > ***(Redacted) AND note = ***(Redacted)`,
    );
    assert.equal(
      redactStatement(`UPDATE "T" SET total = 19.99 SET tags = ['x', 'y'] WHERE "pk" = 'a'`, keys),
      `UPDATE "T" SET total = ***(Redacted) SET tags = [***(Redacted), ***(Redacted)] WHERE "pk" = 'a'`,
    );
    assert.equal(
      redactStatement(`INSERT INTO T VALUE {'pk': 'a', 'n': -5}`, keys),
      `INSERT INTO T VALUE {'pk': ***(Redacted), 'n': -***(Redacted)}`,
    );
    assert.equal(redactStatement(`SELECT * FROM T WHERE pk = ?`, keys), `SELECT * FROM T WHERE pk = ?`);
  });
  it('finds the table a statement names', () => {
    assert.equal(statementTable(`select * from "Orders"."byStatus" where x = 1`), 'Orders');
    assert.equal(statementTable(`INSERT INTO Music VALUE {'a': 1}`), 'Music');
    assert.equal(statementTable(`UPDATE "My ""T""" SET a = 1`), 'My "T"');
    assert.equal(statementTable(`EXISTS(`), undefined);
  });
});

// The studio's auditRead (main/studio/audit.ts): off without an audit log, checks its arguments,
// and answers the newest matching records first.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { auditMethods } from '../../../main/studio/audit.js';
import type { AuditReadRequest } from '../../../renderer/src/backend/workbench-api.js';

const dir = mkdtempSync(join(tmpdir(), 'sortkey-studio-audit-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const record = (id: string, eventName: string, table: string, errorCode?: string): string =>
  JSON.stringify({
    eventTime: '2026-12-07T10:00:00Z',
    eventName,
    requestID: id,
    userIdentity: { type: 'IAMUser', accessKeyId: 'K', accountId: '000000000000' },
    ...(errorCode ? { errorCode } : {}),
    requestParameters: { tableName: table },
    resources: [
      {
        accountId: '000000000000',
        type: 'AWS::DynamoDB::Table',
        ARN: `arn:aws:dynamodb:us-east-1:000000000000:table/${table}`,
      },
    ],
  });

describe('studio auditRead', () => {
  it('says when the endpoint keeps no audit log', async () => {
    assert.deepEqual(await auditMethods(undefined).auditRead({}), {
      enabled: false,
      records: [],
      complete: true,
    });
  });

  it('answers the newest matching records first', async () => {
    const file = join(dir, 'a.log');
    writeFileSync(
      file,
      [
        record('1', 'PutItem', 'A'),
        record('2', 'GetItem', 'B', 'ValidationException'),
        record('3', 'GetItem', 'A'),
      ].join('\n') + '\n',
    );
    const m = auditMethods(file);
    const all = await m.auditRead({});
    assert.equal(all.enabled, true);
    assert.deepEqual(
      all.records.map((r) => r.requestID),
      ['3', '2', '1'],
    );
    assert.deepEqual(
      (await m.auditRead({ table: 'A' })).records.map((r) => r.requestID),
      ['3', '1'],
    );
    assert.deepEqual(
      (await m.auditRead({ errorCode: 'any' })).records.map((r) => r.requestID),
      ['2'],
    );
    assert.deepEqual(
      (await m.auditRead({ eventNames: ['PutItem'] })).records.map((r) => r.requestID),
      ['1'],
    );
    const one = await m.auditRead({ limit: 1 });
    assert.deepEqual(
      one.records.map((r) => r.requestID),
      ['3'],
    );
    assert.equal(one.complete, false);
  });

  it('refuses arguments of the wrong kind', async () => {
    const m = auditMethods(join(dir, 'none.log'));
    for (const bad of [
      { limit: 0 },
      { limit: 5000 },
      { eventNames: 'PutItem' },
      { since: 'soon' },
      { table: 3 },
    ])
      await assert.rejects(m.auditRead(bad as unknown as AuditReadRequest), { type: 'ValidationException' });
    assert.deepEqual((await m.auditRead({})).records, []);
  });
});

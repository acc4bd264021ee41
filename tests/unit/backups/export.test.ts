import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import type { Engine } from '../../../engine/engine.js';
import { assertError, call } from '../../support/engine.js';
import { clockEngine, createTable, N, S, T0 } from '../streams/helpers.js';

const root = mkdtempSync(join(tmpdir(), 'sortkey-exports-'));
after(() => rmSync(root, { recursive: true, force: true }));
const ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/Things';

function setup(): { engine: Engine; clock: { now: number; advance(ms: number): number } } {
  const { engine, clock } = clockEngine({ exportRoot: root });
  createTable(engine, 'Things');
  call(engine, 'UpdateContinuousBackups', {
    TableName: 'Things',
    PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
  });
  return { engine, clock };
}

function readExport(
  manifestKey: string,
  bucket: string,
): { summary: Record<string, unknown>; files: Record<string, unknown>[]; lines: unknown[] } {
  const base = join(root, bucket);
  const summary = JSON.parse(readFileSync(join(base, manifestKey), 'utf8')) as Record<string, unknown>;
  const files = readFileSync(join(base, summary.manifestFilesS3Key as string), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const lines: unknown[] = [];
  for (const f of files) {
    const text = gunzipSync(readFileSync(join(base, f.dataFileS3Key as string))).toString('utf8');
    for (const l of text.split('\n')) if (l) lines.push(JSON.parse(l));
  }
  return { summary, files, lines };
}

describe('ExportTableToPointInTime', () => {
  it("writes DynamoDB's export layout under <exportRoot>/<bucket>/<prefix>", () => {
    const { engine, clock } = setup();
    call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S('a'), n: N(1) } });
    call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S('b'), m: { M: { x: { SS: ['y'] } } } } });
    clock.advance(1000);
    const d = call(engine, 'ExportTableToPointInTime', {
      TableArn: ARN,
      S3Bucket: 'my-bucket',
      S3Prefix: 'exports/daily',
    }).ExportDescription;
    assert.match(
      d.ExportArn,
      /^arn:aws:dynamodb:us-east-1:000000000000:table\/Things\/export\/\d{14}-[0-9a-f]{8}$/,
    );
    assert.equal(d.ExportStatus, 'COMPLETED');
    assert.equal(d.ExportFormat, 'DYNAMODB_JSON');
    assert.equal(d.ExportType, 'FULL_EXPORT');
    assert.equal(d.ItemCount, 2);
    assert.equal(d.S3Bucket, 'my-bucket');
    assert.equal(d.S3Prefix, 'exports/daily');
    assert.equal(d.ExportTime, clock.now / 1000);
    const exportId = d.ExportArn.slice(d.ExportArn.lastIndexOf('/') + 1);
    assert.equal(d.ExportManifest, `exports/daily/AWSDynamoDB/${exportId}/manifest-summary.json`);
    const dir = join(root, 'my-bucket', 'exports', 'daily', 'AWSDynamoDB', exportId);
    assert.deepEqual(readdirSync(dir).sort(), [
      '_started',
      'data',
      'manifest-files.checksum',
      'manifest-files.json',
      'manifest-summary.checksum',
      'manifest-summary.json',
    ]);
    const { summary, files, lines } = readExport(d.ExportManifest, 'my-bucket');
    assert.equal(summary.version, '2020-06-30');
    assert.equal(summary.exportArn, d.ExportArn);
    assert.equal(summary.tableArn, ARN);
    assert.equal(summary.itemCount, 2);
    assert.equal(summary.outputFormat, 'DYNAMODB_JSON');
    assert.equal(summary.exportType, 'FULL_EXPORT');
    assert.equal(files.length, 1);
    assert.equal(files[0]!.itemCount, 2);
    assert.match(
      files[0]!.dataFileS3Key as string,
      new RegExp(`^exports/daily/AWSDynamoDB/${exportId}/data/[a-z0-9]+\\.json\\.gz$`),
    );
    assert.deepEqual(
      lines.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
      [{ Item: { pk: S('a'), n: N(1) } }, { Item: { pk: S('b'), m: { M: { x: { SS: ['y'] } } } } }],
    );
  });

  it('exports the table as it was at ExportTime', () => {
    const { engine, clock } = setup();
    call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S('a'), v: N(1) } });
    clock.advance(1000);
    const then = clock.now;
    clock.advance(1000);
    call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S('a'), v: N(2) } });
    call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S('b') } });
    const d = call(engine, 'ExportTableToPointInTime', {
      TableArn: ARN,
      S3Bucket: 'pit',
      ExportTime: then / 1000,
    }).ExportDescription;
    assert.equal(d.ExportManifest.startsWith('AWSDynamoDB/'), true);
    assert.deepEqual(readExport(d.ExportManifest, 'pit').lines, [{ Item: { pk: S('a'), v: N(1) } }]);
    assertError(
      () =>
        call(engine, 'ExportTableToPointInTime', {
          TableArn: ARN,
          S3Bucket: 'pit',
          ExportTime: (T0 - 1000) / 1000,
        }),
      'InvalidExportTimeException',
    );
  });

  it('writes an incremental export of the items changed in a period', () => {
    const { engine, clock } = setup();
    call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S('kept'), v: N(1) } });
    call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S('changed'), v: N(1) } });
    call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S('deleted'), v: N(1) } });
    clock.advance(1000);
    const from = clock.now;
    clock.advance(1000);
    call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S('changed'), v: N(2) } });
    call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S('changed'), v: N(3) } });
    call(engine, 'DeleteItem', { TableName: 'Things', Key: { pk: S('deleted') } });
    call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S('new') } });
    clock.advance(1000);
    const d = call(engine, 'ExportTableToPointInTime', {
      TableArn: ARN,
      S3Bucket: 'inc',
      ExportType: 'INCREMENTAL_EXPORT',
      IncrementalExportSpecification: {
        ExportFromTime: from / 1000,
        ExportToTime: clock.now / 1000,
        ExportViewType: 'NEW_AND_OLD_IMAGES',
      },
    }).ExportDescription;
    assert.equal(d.ExportType, 'INCREMENTAL_EXPORT');
    assert.equal(d.ItemCount, 3);
    const lines = readExport(d.ExportManifest, 'inc').lines as {
      Keys: { pk: { S: string } };
      NewImage?: unknown;
      OldImage?: unknown;
      Metadata: unknown;
    }[];
    const byKey = Object.fromEntries(lines.map((l) => [l.Keys.pk.S, l]));
    assert.deepEqual(Object.keys(byKey).sort(), ['changed', 'deleted', 'new']);
    assert.deepEqual(byKey.changed!.NewImage, { pk: S('changed'), v: N(3) });
    assert.deepEqual(byKey.changed!.OldImage, { pk: S('changed'), v: N(1) });
    assert.equal(byKey.deleted!.NewImage, undefined);
    assert.deepEqual(byKey.deleted!.OldImage, { pk: S('deleted'), v: N(1) });
    assert.equal(byKey.new!.OldImage, undefined);
    assert.deepEqual(byKey.new!.Metadata, { WriteTimestampMicros: { N: String((from + 1000) * 1000) } });
  });

  it('describes and lists exports; is idempotent per ClientToken', () => {
    const { engine } = setup();
    const a = call(engine, 'ExportTableToPointInTime', {
      TableArn: ARN,
      S3Bucket: 'list',
      ClientToken: 'tok',
    }).ExportDescription;
    const again = call(engine, 'ExportTableToPointInTime', {
      TableArn: ARN,
      S3Bucket: 'list',
      ClientToken: 'tok',
    }).ExportDescription;
    assert.equal(again.ExportArn, a.ExportArn);
    assertError(
      () =>
        call(engine, 'ExportTableToPointInTime', { TableArn: ARN, S3Bucket: 'other', ClientToken: 'tok' }),
      'IdempotentParameterMismatchException',
    );
    const b = call(engine, 'ExportTableToPointInTime', { TableArn: ARN, S3Bucket: 'list' }).ExportDescription;
    assert.deepEqual(call(engine, 'DescribeExport', { ExportArn: a.ExportArn }).ExportDescription, a);
    const all = call(engine, 'ListExports', {});
    assert.deepEqual(all.ExportSummaries, [
      { ExportArn: a.ExportArn, ExportStatus: 'COMPLETED', ExportType: 'FULL_EXPORT' },
      { ExportArn: b.ExportArn, ExportStatus: 'COMPLETED', ExportType: 'FULL_EXPORT' },
    ]);
    const p1 = call(engine, 'ListExports', { TableArn: ARN, MaxResults: 1 });
    assert.equal(p1.ExportSummaries.length, 1);
    const p2 = call(engine, 'ListExports', { TableArn: ARN, MaxResults: 1, NextToken: p1.NextToken });
    assert.equal(p2.ExportSummaries[0].ExportArn, b.ExportArn);
    assert.equal(p2.NextToken, undefined);
    assert.deepEqual(call(engine, 'ListExports', { TableArn: `${ARN}x` }).ExportSummaries, []);
    assertError(
      () => call(engine, 'DescribeExport', { ExportArn: `${a.ExportArn}0` }),
      'ExportNotFoundException',
    );
  });

  it('needs point-in-time recovery, an existing table, a valid bucket and prefix', () => {
    const { engine } = clockEngine({ exportRoot: root });
    createTable(engine, 'Things');
    assertError(
      () => call(engine, 'ExportTableToPointInTime', { TableArn: ARN, S3Bucket: 'b1' }),
      'PointInTimeRecoveryUnavailableException',
      "Point in time recovery is not enabled for table 'Things'",
    );
    assertError(
      () => call(engine, 'ExportTableToPointInTime', { TableArn: `${ARN}2`, S3Bucket: 'b1' }),
      'TableNotFoundException',
    );
    call(engine, 'UpdateContinuousBackups', {
      TableName: 'Things',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    assertError(
      () => call(engine, 'ExportTableToPointInTime', { TableArn: ARN, S3Bucket: '../escape' }),
      'ValidationException',
    );
    assertError(
      () => call(engine, 'ExportTableToPointInTime', { TableArn: ARN, S3Bucket: 'b1', S3Prefix: '../../x' }),
      'ValidationException',
    );
    assertError(
      () => call(engine, 'ExportTableToPointInTime', { TableArn: ARN }),
      'ValidationException',
      /'s3Bucket' failed to satisfy constraint: Member must not be null/,
    );
    assert.equal(existsSync(join(root, 'x')), false);
  });
});

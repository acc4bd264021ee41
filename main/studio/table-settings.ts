// The studio's table settings: one view of what several Describe/List operations report, and each
// change made through the one DynamoDB operation that makes it (no shortcuts into the engine, so the
// same code works against any DynamoDB).
import type {
  BackupSummary,
  SettingsChange,
  StreamViewType,
  TableClass,
  TableSettings,
  Tag,
} from '../../renderer/src/backend/workbench-api.js';

type AnyRecord = Record<string, unknown>;
/** Runs one DynamoDB operation (the studio backend's `call`). */
export type CallOperation = (operation: string, input: unknown) => Promise<AnyRecord>;

/** A ValidationException for input the studio sent wrong (shaped like the backend's errors). */
function invalid(message: string): Error {
  return Object.assign(new Error(message), { type: 'ValidationException' });
}

function isRecord(v: unknown): v is AnyRecord {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(v: unknown, what: string): string {
  if (typeof v !== 'string' || v === '') throw invalid(`${what} must be a non-empty string`);
  return v;
}

function flag(v: unknown, what: string): boolean {
  if (typeof v !== 'boolean') throw invalid(`${what} must be true or false`);
  return v;
}

/** Dates travel as epoch seconds on the wire; the UI takes milliseconds. */
function millis(v: unknown): number | undefined {
  return typeof v === 'number' ? Math.round(v * 1000) : undefined;
}

/** How long a change waits for a table still being created (or updated) to become ACTIVE. */
const ACTIVE_WAIT_MS = 60_000;
const ACTIVE_POLL_MS = 250;

export function tableSettingsMethods(call: CallOperation): {
  tableSettings(args: { table: string }): Promise<TableSettings>;
  changeTableSettings(args: { table: string; change: SettingsChange }): Promise<TableSettings>;
} {
  async function describe(table: string): Promise<AnyRecord> {
    return (await call('DescribeTable', { TableName: table })).Table as AnyRecord;
  }

  /** Waits until the table is ACTIVE: DynamoDB refuses most changes to a CREATING table. */
  async function active(table: string): Promise<AnyRecord> {
    const until = Date.now() + ACTIVE_WAIT_MS;
    for (;;) {
      const t = await describe(table);
      if (t.TableStatus === 'ACTIVE' || Date.now() > until) return t;
      await new Promise((r) => setTimeout(r, ACTIVE_POLL_MS));
    }
  }

  async function settings(table: string): Promise<TableSettings> {
    const t = await describe(table);
    const arn = t.TableArn as string;
    const [ttl, continuous, tags, backups] = await Promise.all([
      call('DescribeTimeToLive', { TableName: table }),
      call('DescribeContinuousBackups', { TableName: table }),
      listTags(arn),
      listBackups(table),
    ]);
    const ttld = (ttl.TimeToLiveDescription ?? {}) as AnyRecord;
    const pitr = ((continuous.ContinuousBackupsDescription as AnyRecord | undefined)
      ?.PointInTimeRecoveryDescription ?? {}) as AnyRecord;
    const stream = (t.StreamSpecification ?? {}) as AnyRecord;
    const throughput = (t.ProvisionedThroughput ?? {}) as AnyRecord;
    const billing = ((t.BillingModeSummary as AnyRecord | undefined)?.BillingMode ?? 'PROVISIONED') as
      'PAY_PER_REQUEST' | 'PROVISIONED';
    const out: TableSettings = {
      table,
      arn,
      status: String(t.TableStatus),
      billingMode: billing,
      tableClass: ((t.TableClassSummary as AnyRecord | undefined)?.TableClass ?? 'STANDARD') as TableClass,
      deletionProtection: t.DeletionProtectionEnabled === true,
      stream: {
        enabled: stream.StreamEnabled === true,
        ...(stream.StreamEnabled === true ? { viewType: stream.StreamViewType as StreamViewType } : {}),
        ...(typeof t.LatestStreamArn === 'string' && stream.StreamEnabled === true
          ? { arn: t.LatestStreamArn }
          : {}),
      },
      ttl: {
        status: String(ttld.TimeToLiveStatus ?? 'DISABLED'),
        ...(typeof ttld.AttributeName === 'string' ? { attribute: ttld.AttributeName } : {}),
      },
      pitr: {
        status: String(pitr.PointInTimeRecoveryStatus ?? 'DISABLED'),
        ...(millis(pitr.EarliestRestorableDateTime) !== undefined
          ? { earliest: millis(pitr.EarliestRestorableDateTime)! }
          : {}),
        ...(millis(pitr.LatestRestorableDateTime) !== undefined
          ? { latest: millis(pitr.LatestRestorableDateTime)! }
          : {}),
      },
      tags,
      backups,
    };
    if (billing === 'PROVISIONED') {
      out.readCapacity = Number(throughput.ReadCapacityUnits ?? 0);
      out.writeCapacity = Number(throughput.WriteCapacityUnits ?? 0);
    }
    return out;
  }

  async function listTags(arn: string): Promise<Tag[]> {
    const tags: Tag[] = [];
    let next: string | undefined;
    do {
      const page = await call('ListTagsOfResource', {
        ResourceArn: arn,
        ...(next ? { NextToken: next } : {}),
      });
      tags.push(...((page.Tags as Tag[] | undefined) ?? []));
      next = page.NextToken as string | undefined;
    } while (next);
    return tags;
  }

  async function listBackups(table: string): Promise<BackupSummary[]> {
    const out: BackupSummary[] = [];
    let start: string | undefined;
    do {
      const page = await call('ListBackups', {
        TableName: table,
        ...(start ? { ExclusiveStartBackupArn: start } : {}),
      });
      for (const b of (page.BackupSummaries as AnyRecord[] | undefined) ?? [])
        out.push({
          arn: String(b.BackupArn),
          name: String(b.BackupName),
          created: millis(b.BackupCreationDateTime) ?? 0,
          status: String(b.BackupStatus),
          ...(typeof b.BackupSizeBytes === 'number' ? { sizeBytes: b.BackupSizeBytes } : {}),
        });
      start = page.LastEvaluatedBackupArn as string | undefined;
    } while (start);
    return out.sort((a, b) => b.created - a.created);
  }

  async function change(table: string, c: SettingsChange): Promise<void> {
    switch (c.kind) {
      case 'ttl': {
        await active(table);
        await call('UpdateTimeToLive', {
          TableName: table,
          TimeToLiveSpecification: {
            Enabled: flag(c.enabled, 'enabled'),
            AttributeName: text(c.attribute, 'The TTL attribute'),
          },
        });
        return;
      }
      case 'stream': {
        await active(table);
        const spec = flag(c.enabled, 'enabled')
          ? { StreamEnabled: true, StreamViewType: text(c.viewType, 'The stream view type') }
          : { StreamEnabled: false };
        await call('UpdateTable', { TableName: table, StreamSpecification: spec });
        return;
      }
      case 'pitr':
        await active(table);
        await call('UpdateContinuousBackups', {
          TableName: table,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: flag(c.enabled, 'enabled') },
        });
        return;
      case 'billing': {
        const t = await active(table);
        const input: AnyRecord = { TableName: table, BillingMode: text(c.mode, 'The billing mode') };
        if (c.mode === 'PROVISIONED') {
          const throughput = { ReadCapacityUnits: c.read, WriteCapacityUnits: c.write };
          input.ProvisionedThroughput = throughput;
          // A table's GSIs need capacity too when it turns provisioned: the same as the table's.
          const gsis = (t.GlobalSecondaryIndexes as AnyRecord[] | undefined) ?? [];
          const wasOnDemand =
            (t.BillingModeSummary as AnyRecord | undefined)?.BillingMode === 'PAY_PER_REQUEST';
          if (wasOnDemand && gsis.length > 0)
            input.GlobalSecondaryIndexUpdates = gsis.map((g) => ({
              Update: { IndexName: g.IndexName, ProvisionedThroughput: throughput },
            }));
        }
        // Only the throughput changes when the mode stays PROVISIONED (DynamoDB takes both).
        await call('UpdateTable', input);
        return;
      }
      case 'deletionProtection':
        await active(table);
        await call('UpdateTable', {
          TableName: table,
          DeletionProtectionEnabled: flag(c.enabled, 'enabled'),
        });
        return;
      case 'tableClass':
        await active(table);
        await call('UpdateTable', { TableName: table, TableClass: text(c.tableClass, 'The table class') });
        return;
      case 'tags': {
        const arn = (await describe(table)).TableArn as string;
        if (!Array.isArray(c.set) || !Array.isArray(c.remove))
          throw invalid('tags: set and remove are lists');
        if (c.remove.length > 0) await call('UntagResource', { ResourceArn: arn, TagKeys: c.remove });
        if (c.set.length > 0) await call('TagResource', { ResourceArn: arn, Tags: c.set });
        return;
      }
      case 'createBackup':
        await call('CreateBackup', { TableName: table, BackupName: text(c.name, 'The backup name') });
        return;
      case 'deleteBackup':
        await call('DeleteBackup', { BackupArn: text(c.arn, 'The backup ARN') });
        return;
      case 'restoreBackup':
        await call('RestoreTableFromBackup', {
          BackupArn: text(c.arn, 'The backup ARN'),
          TargetTableName: text(c.target, 'The new table name'),
        });
        return;
      case 'restoreLatest':
        await call('RestoreTableToPointInTime', {
          SourceTableName: table,
          TargetTableName: text(c.target, 'The new table name'),
          UseLatestRestorableTime: true,
        });
        return;
      default:
        throw invalid(`Unknown settings change: ${JSON.stringify((c as { kind?: unknown }).kind)}`);
    }
  }

  return {
    async tableSettings(args) {
      if (!isRecord(args)) throw invalid('tableSettings takes { table }');
      return settings(text(args.table, 'table'));
    },
    async changeTableSettings(args) {
      if (!isRecord(args) || !isRecord(args.change))
        throw invalid('changeTableSettings takes { table, change }');
      const table = text(args.table, 'table');
      await change(table, args.change as SettingsChange);
      return settings(table);
    },
  };
}

// The studio's audit log view: the newest records of the endpoint's audit log that match the
// view's filters, read backwards in slices (main/audit/read.ts) so the server keeps serving.
import type {
  AuditReadRequest,
  AuditReadResult,
  AuditRecordView,
} from '../../renderer/src/backend/workbench-api.js';
import { readRecentAudit } from '../audit/read.js';

/** Records per answer by default, and at most. */
const DEFAULT_LIMIT = 200;
const MAX_LIMIT = 1000;

function invalid(message: string): Error {
  return Object.assign(new Error(message), { type: 'ValidationException' });
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw invalid(`${name} must be a string`);
  return value;
}

/** `file`: the audit log the endpoint writes, or undefined when it keeps none. */
export function auditMethods(file: string | undefined): {
  auditRead(args: AuditReadRequest): Promise<AuditReadResult>;
} {
  return {
    async auditRead(args: AuditReadRequest): Promise<AuditReadResult> {
      if (file === undefined) return { enabled: false, records: [], complete: true };
      const a = (args ?? {}) as Record<string, unknown>;
      const limit = a.limit === undefined ? DEFAULT_LIMIT : Number(a.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
        throw invalid(`limit must be a whole number from 1 to ${MAX_LIMIT}`);
      const since = a.since === undefined || a.since === null ? undefined : Number(a.since);
      if (since !== undefined && !Number.isFinite(since)) throw invalid('since must be epoch milliseconds');
      const names = a.eventNames;
      if (names !== undefined && (!Array.isArray(names) || names.some((n) => typeof n !== 'string')))
        throw invalid('eventNames must be a list of operation names');
      const table = optionalString(a.table, 'table');
      const errorCode = optionalString(a.errorCode, 'errorCode');
      const accessKey = optionalString(a.accessKey, 'accessKey');
      const text = optionalString(a.text, 'text');
      const found = await readRecentAudit(
        file,
        {
          ...(table !== undefined ? { table } : {}),
          ...(names && names.length > 0 ? { eventNames: names as string[] } : {}),
          ...(errorCode !== undefined ? { errorCode } : {}),
          ...(accessKey !== undefined ? { accessKey } : {}),
          ...(since !== undefined ? { since } : {}),
          ...(text !== undefined ? { text } : {}),
        },
        limit,
      );
      return {
        enabled: true,
        file,
        records: found.events as unknown as AuditRecordView[],
        complete: found.complete,
      };
    },
  };
}

// BatchExecuteStatement: up to 25 PartiQL statements, all reads or all writes. Each succeeds or
// fails on its own; failures come back in order as per-statement errors.
import type { Statement } from '../../grammar/partiql/index.js';
import { CapacityMeter, readUnits } from '../capacity.js';
import { readRow } from '../consistency/eventual.js';
import type { EngineContext } from '../context.js';
import { ConstraintErrors, DynamoError, validation } from '../errors.js';
import { deniedStatementsOf } from '../access/authorize.js';
import { projectItem } from '../expressions/index.js';
import { existsOutsideTransaction, planSelect, planWrite } from '../partiql/index.js';
import { parseRequestStatement } from '../partiql/statement.js';
import { encodeKey } from '../tables/schema.js';
import type { Item, Sdk, Wire } from '../types.js';
import { asRecord, checkEnum, checkList, checkRequired, RETURN_CONSUMED_CAPACITY } from './common.js';
import { updateReturnValues } from './updateItem.js';
import { executeWrite } from './writePlan.js';

export const MAX_BATCH_STATEMENTS = 25;

/** DynamoDB's BatchStatementError codes, from the exception a statement raised. */
export function batchErrorCode(e: DynamoError): string {
  switch (e.type) {
    case 'ConditionalCheckFailedException':
      return 'ConditionalCheckFailed';
    case 'DuplicateItemException':
      return 'DuplicateItem';
    case 'ResourceNotFoundException':
      return 'ResourceNotFound';
    case 'ItemCollectionSizeLimitExceededException':
      return 'ItemCollectionSizeLimitExceeded';
    case 'ProvisionedThroughputExceededException':
      return 'ProvisionedThroughputExceeded';
    case 'ThrottlingException':
      return 'ThrottlingError';
    case 'AccessDeniedException':
      return 'AccessDenied';
    case 'InternalServerError':
      return 'InternalServerError';
    default:
      return 'ValidationError';
  }
}

type Response = Wire<Sdk.BatchStatementResponse>;

export function batchExecuteStatement(
  ctx: EngineContext,
  input: Wire<Sdk.BatchExecuteStatementInput>,
): Wire<Sdk.BatchExecuteStatementOutput> {
  const raw = asRecord(input);
  const c = new ConstraintErrors();
  checkRequired(c, raw.Statements, 'statements');
  checkList(c, raw.Statements, 'statements', 1, MAX_BATCH_STATEMENTS);
  checkEnum(c, raw.ReturnConsumedCapacity, 'returnConsumedCapacity', RETURN_CONSUMED_CAPACITY);
  c.throwIfAny();
  const requests = (raw.Statements as unknown[]).map(asRecord);
  const parsed = requests.map((r) => {
    try {
      return parseRequestStatement(r.Statement, r.Parameters);
    } catch (e) {
      if (e instanceof DynamoError) return e;
      throw e;
    }
  });
  const kinds = new Set(
    parsed.map((p) =>
      p instanceof DynamoError ? undefined : p.statement.kind === 'select' ? 'read' : 'write',
    ),
  );
  kinds.delete(undefined);
  if (kinds.size > 1) throw validation('Statements in a batch must all be reads or all be writes');

  // Statements the caller's access policies deny (engine/access): answered in their own entry.
  const denied = deniedStatementsOf(input);
  const meter = new CapacityMeter();
  const responses: Response[] = parsed.map((p, i) => {
    const request = requests[i]!;
    const fail = (e: DynamoError, tableName?: string): Response => {
      const error: Wire<Sdk.BatchStatementError> = {
        Code: batchErrorCode(e) as Sdk.BatchStatementErrorCodeEnum,
        Message: e.message,
      };
      if (e.extra?.Item) error.Item = e.extra.Item as Item;
      return tableName ? { Error: error, TableName: tableName } : { Error: error };
    };
    if (p instanceof DynamoError) return fail(p);
    const { statement, parameters } = p;
    const refusal = denied?.get(i);
    // Guess: DynamoDB's per-statement message is not documented; the AccessDeniedException text.
    if (refusal) return fail(refusal, statementTable(statement));
    try {
      if (statement.kind === 'exists') throw existsOutsideTransaction();
      if (statement.kind === 'explain') throw validation('EXPLAIN is not supported in BatchExecuteStatement');
      if (statement.kind === 'select') {
        const plan = planSelect(ctx, statement, parameters, request.ConsistentRead);
        const itemKey = plan.itemKey;
        // A batch read is a GetItem: the key and nothing else (no filter to apply).
        if (!itemKey || plan.filter) {
          throw validation(
            'Select statements within BatchExecuteStatement must specify the primary key in the where clause.',
          );
        }
        return ctx.db.snapshot(() => {
          const table = plan.target.table;
          const consistent = request.ConsistentRead === true;
          const view = ctx.consistency.view(table, consistent);
          const row = readRow(ctx.db, table, encodeKey(table.key, itemKey), view);
          meter.read(table, readUnits(row?.size ?? 0, consistent));
          const out: Response = { TableName: table.name };
          if (row) {
            const item = JSON.parse(row.json) as Item;
            out.Item = plan.projection ? projectItem(item, plan.projection) : item;
          }
          return out;
        });
      }
      const planned = planWrite(ctx, statement, parameters, request.ReturnValuesOnConditionCheckFailure);
      return ctx.db.transaction(() => {
        const done = executeWrite(ctx, planned.plan, meter);
        const out: Response = { TableName: planned.plan.table.name };
        if (planned.returnValues) {
          const attributes = updateReturnValues(
            planned.returnValues,
            planned.actions,
            done.oldItem,
            done.newItem,
          );
          if (attributes) out.Item = attributes;
        }
        return out;
      });
    } catch (e) {
      if (e instanceof DynamoError) return fail(e, statementTable(statement));
      throw e;
    }
  });
  const out: Wire<Sdk.BatchExecuteStatementOutput> = { Responses: responses };
  const capacity = meter.list(input.ReturnConsumedCapacity);
  if (capacity) out.ConsumedCapacity = capacity;
  return out;
}

function statementTable(s: Statement): string | undefined {
  switch (s.kind) {
    case 'select':
      return s.from.name;
    case 'insert':
    case 'update':
    case 'delete':
      return s.table.name;
    default:
      return undefined;
  }
}

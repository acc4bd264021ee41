// ExecuteTransaction: up to 100 PartiQL statements as one transaction — all reads (a consistent
// snapshot) or all writes (all or nothing; EXISTS acts as a condition check).
import { CapacityMeter, readUnits } from '../capacity.js';
import type { EngineContext } from '../context.js';
import { ConstraintErrors, DynamoError, validation } from '../errors.js';
import { projectItem } from '../expressions/index.js';
import { existsOutsideTransaction, planSelect, planWrite } from '../partiql/index.js';
import { bindParameters, parseStatementWith } from '../partiql/statement.js';
import { encodeKey } from '../tables/schema.js';
import type { Item, Sdk, Wire } from '../types.js';
import {
  asRecord,
  checkEnum,
  checkLength,
  checkList,
  checkRequired,
  RETURN_CONSUMED_CAPACITY,
} from './common.js';
import {
  checkDistinctItems,
  MAX_TRANSACTION_ITEMS,
  rememberToken,
  replayedResponse,
  requestHash,
} from './transactions.js';
import { runTransaction } from './transactWriteItems.js';

function inStatement(i: number, e: unknown): never {
  if (e instanceof DynamoError && e.type === 'ValidationException') {
    throw validation(`Validation failed in TransactStatements[${i}]: ${e.message}`);
  }
  throw e;
}

export function executeTransaction(
  ctx: EngineContext,
  input: Wire<Sdk.ExecuteTransactionInput>,
): Wire<Sdk.ExecuteTransactionOutput> {
  const raw = asRecord(input);
  const c = new ConstraintErrors();
  checkRequired(c, raw.TransactStatements, 'transactStatements');
  checkList(c, raw.TransactStatements, 'transactStatements', 1, MAX_TRANSACTION_ITEMS);
  checkEnum(c, raw.ReturnConsumedCapacity, 'returnConsumedCapacity', RETURN_CONSUMED_CAPACITY);
  checkLength(c, raw.ClientRequestToken, 'clientRequestToken', 1, 36);
  c.throwIfAny();
  const requests = (raw.TransactStatements as unknown[]).map(asRecord);
  // Parameters are read with the request, before any statement: their errors name no statement.
  const bound = requests.map((r) => bindParameters(r.Parameters));
  const parsed = requests.map((r, i) => {
    try {
      return parseStatementWith(r.Statement, bound[i]!);
    } catch (e) {
      return inStatement(i, e);
    }
  });
  const reads = parsed.filter((p) => p.statement.kind === 'select').length;
  const exists = parsed.findIndex((p) => p.statement.kind === 'exists');
  if (
    reads > 0 &&
    exists >= 0 &&
    parsed.every(
      (p) => p.statement.kind !== 'insert' && p.statement.kind !== 'update' && p.statement.kind !== 'delete',
    )
  ) {
    inStatement(exists, existsOutsideTransaction());
  }
  if (reads > 0 && reads < parsed.length) {
    throw validation('Transaction must contain either all reads or all writes (EXISTS may accompany writes)');
  }
  const meter = new CapacityMeter();

  if (reads > 0) {
    const gets = parsed.map(({ statement, parameters }, i) => {
      try {
        if (statement.kind !== 'select') throw validation('unexpected statement');
        if (statement.from.index) throw validation('Reads on indices are not supported within transactions.');
        const plan = planSelect(ctx, statement, parameters, true);
        // A transaction read is a GetItem: the key and nothing else (no filter to apply).
        if (!plan.itemKey || plan.filter) {
          throw validation(
            'Select statements within ExecuteTransaction must specify the primary key in the where clause.',
          );
        }
        return { plan, key: encodeKey(plan.target.table.key, plan.itemKey), table: plan.target.table };
      } catch (e) {
        return inStatement(i, e);
      }
    });
    checkDistinctItems(gets);
    return ctx.db.snapshot(() => {
      const responses = gets.map((g) => {
        const row = g.table.getRow(ctx.db, g.key);
        meter.read(g.table, readUnits(row?.size ?? 0, true) * 2);
        if (!row) return {};
        const item = JSON.parse(row.json) as Item;
        return { Item: g.plan.projection ? projectItem(item, g.plan.projection) : item };
      });
      const out: Wire<Sdk.ExecuteTransactionOutput> = { Responses: responses };
      const capacity = meter.list(input.ReturnConsumedCapacity);
      if (capacity) out.ConsumedCapacity = capacity;
      return out;
    });
  }

  const token = typeof raw.ClientRequestToken === 'string' ? raw.ClientRequestToken : undefined;
  const hash = requestHash(raw);
  const plans = parsed.map(({ statement }, i) => {
    try {
      if (statement.kind === 'explain' || statement.kind === 'select')
        throw validation('unexpected statement');
      if ((statement.kind === 'update' || statement.kind === 'delete') && statement.returning) {
        throw validation('RETURNING clause is not supported in ExecuteTransaction.');
      }
      return planWrite(
        ctx,
        statement,
        parsed[i]!.parameters,
        requests[i]!.ReturnValuesOnConditionCheckFailure,
      ).plan;
    } catch (e) {
      return inStatement(i, e);
    }
  });
  checkDistinctItems(plans);
  return ctx.db.transaction(() => {
    const replay = replayedResponse(ctx, token, hash) as Wire<Sdk.ExecuteTransactionOutput> | undefined;
    if (replay) return replay;
    runTransaction(ctx, plans, meter);
    const out: Wire<Sdk.ExecuteTransactionOutput> = { Responses: [] };
    const capacity = meter.list(input.ReturnConsumedCapacity);
    if (capacity) out.ConsumedCapacity = capacity;
    rememberToken(ctx, token, hash, out);
    return out;
  });
}

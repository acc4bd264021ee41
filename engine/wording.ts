// DynamoDB's two request-validation layers and the errors they word differently.
//
// Since mid-2026 AWS has been replacing DynamoDB's request validation region by region
// (shared/reference/error-messages.md, "the 2026 rollout"): most regions answer the new way, a few
// still the old way, and DynamoDB Local and many existing test suites pin the old texts. The engine
// answers in one of them, the `errorWording` engine option (`--error-wording` of `sortkey serve` and
// `sortkey shell`): 'new' by default, 'old' on request.
//
// Every message whose text, envelope or check order differs between the two is one entry of
// VARIANTS below, keyed by what it is about, with its `new` and `old` form side by side; operations
// ask `ctx.wording` for the entry and never test the wording themselves. Messages worded alike in
// both layers stay where they are checked.
//
// The new layer is not uniform either: PutItem, UpdateItem and DeleteItem fall back to the old
// layer's member checks for a request without its Key or Item, or nested deeper than about 62
// levels (operations/common.ts, `readsAsOlder`); BatchWriteItem, the transactions, Scan and PartiQL
// still read values the old way (values/layer.ts). Those choices belong to the new wording and are
// made where they are checked; the old wording reads everything the old way.
import type { ConstraintErrors } from './errors.js';
import { enveloped } from './errors.js';
import type { ValueLayer } from './values/layer.js';

export type ErrorWording = 'new' | 'old';
export const ERROR_WORDINGS: readonly ErrorWording[] = ['new', 'old'];

/** The operations whose member checks the two layers order differently. */
export type SingleWrite = 'PutItem' | 'UpdateItem' | 'DeleteItem';

/**
 * The member checks of PutItem, UpdateItem and DeleteItem, in groups: the first group with a
 * problem is reported, all of its problems together. A group of one member reports that member
 * alone (UpdateItem stops at its first problem; PutItem and DeleteItem report their enums together).
 */
export type MemberGroups = readonly (readonly string[])[];

/** What one layer says, for every message the two layers word differently. */
export interface Wording {
  readonly name: ErrorWording;
  /**
   * The value layer of PutItem, UpdateItem, DeleteItem, GetItem, BatchGetItem and Query (§1 rule 5):
   * how a bad number or a duplicate set member is worded.
   */
  readonly itemValues: ValueLayer;
  /**
   * A bespoke request check of PutItem, UpdateItem and DeleteItem (expression syntax, unused
   * names, sets, numbers, …), and Query's and Scan's parameter combinations: inside the
   * `1 validation error detected: ` envelope (new) or bare (old) (§1 rules 2–3).
   */
  readonly bespokeEnvelope: boolean;
  /** Whether the old member checks of a single-item write are the only ones (old) or a fallback (new). */
  readonly singleWriteMembers: 'newer-unless-older' | 'older';
  /**
   * The member checks of each single-item write in order (§2): the new layer's groups, the old
   * layer's single group.
   */
  readonly singleWriteGroups: Readonly<Record<SingleWrite, MemberGroups>>;
  /** An empty TableName of a single-item write (§2, §3: `Value at 'TableName'` / `Value '' at 'tableName'`). */
  readonly emptyItemTableName: (c: ConstraintErrors) => void;
  /** A ReturnValues outside its enum (§2: the new layer names neither the value nor the member). */
  readonly returnValues: (c: ConstraintErrors, value: unknown) => void;
  /**
   * How Query checks its members: Limit and ConditionalOperator first in the newer form, the first
   * problem alone, then the others (new); or all in the older form, every problem together (old).
   */
  readonly queryMembers: 'firstNewer' | 'allOlder';
  /** A Limit below 1 on Query or Scan (§3, §14.2: `Value at 'Limit'` / `Value '0' at 'limit'`). */
  readonly limitTooSmall: (c: ConstraintErrors, value: number) => void;
  /** BatchGetItem with `RequestItems: {}` (§4, §14.3). */
  readonly batchGetNoTables: (c: ConstraintErrors, requestItems: unknown) => void;
  /** A table's Keys list in BatchGetItem outside 1–100 entries. */
  readonly batchGetKeysLength: (
    c: ConstraintErrors,
    table: string,
    keys: unknown[],
    constraint: string,
  ) => void;
  /** TransactItems outside 1–100 entries; `echo` renders the list as the old layer does. */
  readonly transactItemsLength: (c: ConstraintErrors, echo: string, constraint: string) => void;
}

/** ReturnValues' enum list in each layer's order (the new one misspells UPDATED_NEW, §2–3). */
const RETURN_VALUES_NEW = ['ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATE_NEW', 'NONE'] as const;
export const RETURN_VALUES_OLD = ['ALL_NEW', 'UPDATED_OLD', 'ALL_OLD', 'NONE', 'UPDATED_NEW'] as const;
const RETURN_VALUES_ACCEPTED = new Set(['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW']);

const OLDER_SINGLE_WRITE_ORDER = [
  'ReturnConsumedCapacity',
  'ReturnValues',
  'TableName',
  'ReturnItemCollectionMetrics',
  'ConditionalOperator',
  'ReturnValuesOnConditionCheckFailure',
];

const keyedWrite: MemberGroups = [
  ['TableName'],
  ['Key'],
  ['ConditionalOperator'],
  ['ReturnValues'],
  ['ReturnConsumedCapacity'],
  ['ReturnItemCollectionMetrics'],
  ['ReturnValuesOnConditionCheckFailure'],
];

/**
 * The table: each entry's new form, then its old form. Section numbers are those of
 * shared/reference/error-messages.md.
 */
const VARIANTS: { readonly [K in keyof Omit<Wording, 'name'>]: Readonly<Record<ErrorWording, Wording[K]>> } =
  {
    itemValues: { new: 'current', old: 'older' },
    bespokeEnvelope: { new: true, old: false },
    singleWriteMembers: { new: 'newer-unless-older', old: 'older' },
    singleWriteGroups: {
      // New (§2): returnConsumedCapacity, ReturnValues and returnItemCollectionMetrics are reported
      // together by PutItem and DeleteItem; UpdateItem stops at its first problem, ReturnValues
      // before ReturnConsumedCapacity. Where ConditionalOperator and
      // ReturnValuesOnConditionCheckFailure fall is not captured: after the enums (guess).
      new: {
        PutItem: [
          ['TableName'],
          ['Item'],
          ['ReturnConsumedCapacity', 'ReturnValues', 'ReturnItemCollectionMetrics'],
          ['ConditionalOperator'],
          ['ReturnValuesOnConditionCheckFailure'],
        ],
        UpdateItem: keyedWrite,
        DeleteItem: [
          ['TableName'],
          ['Key'],
          ['ConditionalOperator'],
          ['ReturnConsumedCapacity', 'ReturnValues', 'ReturnItemCollectionMetrics'],
          ['ReturnValuesOnConditionCheckFailure'],
        ],
      },
      // Old: one group, every problem of every member together, the Key or Item last. ReturnValues
      // comes before tableName and returnConsumedCapacity before ReturnValues (§2, the captured
      // pairs); the rest keeps the order of the captures this list was first built from.
      old: {
        PutItem: [[...OLDER_SINGLE_WRITE_ORDER, 'Item']],
        UpdateItem: [[...OLDER_SINGLE_WRITE_ORDER, 'Key']],
        DeleteItem: [[...OLDER_SINGLE_WRITE_ORDER, 'Key']],
      },
    },
    emptyItemTableName: {
      new: (c) => c.addUnechoed('TableName', 'Member must have length greater than or equal to 1'),
      old: (c) => c.add('', 'tableName', 'Member must have length greater than or equal to 1'),
    },
    returnValues: {
      new: (c, value) => {
        if (!RETURN_VALUES_ACCEPTED.has(value as string))
          c.addText(
            `Failed to satisfy constraint: Member must satisfy enum value set: [${RETURN_VALUES_NEW.join(', ')}]`,
          );
      },
      old: (c, value) => {
        if (!RETURN_VALUES_ACCEPTED.has(value as string))
          c.add(
            value,
            'returnValues',
            `Member must satisfy enum value set: [${RETURN_VALUES_OLD.join(', ')}]`,
          );
      },
    },
    queryMembers: { new: 'firstNewer', old: 'allOlder' },
    limitTooSmall: {
      new: (c) => c.addUnechoed('Limit', 'Member must have value greater than or equal to 1'),
      old: (c, value) => c.add(value, 'limit', 'Member must have value greater than or equal to 1'),
    },
    batchGetNoTables: {
      new: (c) => c.addUnechoed('RequestItems', 'Member must have length greater than or equal to 1'),
      // Old (2026): a bespoke message, not a constraint (§4, §14.3).
      old: (c) => c.addBare('The requestItems parameter is required for BatchGetItem'),
    },
    batchGetKeysLength: {
      new: (c, table, _keys, constraint) => c.addUnechoed(`RequestItems.${table}.member.Keys`, constraint),
      // The old layer's list echo for Keys is not captured; `[]` is what an empty one shows (§3).
      old: (c, table, keys, constraint) =>
        c.addText(
          `Value '${keys.length === 0 ? '[]' : echoKeys(keys)}' at 'requestItems.${table}.member.keys' failed to satisfy constraint: ${constraint}`,
        ),
    },
    transactItemsLength: {
      new: (c, _echo, constraint) => c.addUnechoed('TransactItems', constraint),
      old: (c, echo, constraint) =>
        c.addText(`Value '${echo}' at 'transactItems' failed to satisfy constraint: ${constraint}`),
    },
  };

/** Java's rendering of a list of keys, as the old layer echoes it (guess: `{pk=AttributeValue(s=a)}`). */
function echoKeys(keys: unknown[]): string {
  return `[${keys.map((k) => javaMap(k)).join(', ')}]`;
}

function javaMap(value: unknown): string {
  if (value === null || typeof value !== 'object') return String(value);
  const parts = Object.entries(value as Record<string, unknown>).map(([name, v]) => {
    const av = v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {};
    const inner = Object.entries(av)
      .map(([t, x]) => `${t.toLowerCase()}=${typeof x === 'string' ? x : JSON.stringify(x)}`)
      .join(', ');
    return `${name}=AttributeValue(${inner})`;
  });
  return `{${parts.join(', ')}}`;
}

function resolve(name: ErrorWording): Wording {
  const out: Record<string, unknown> = { name };
  for (const [id, forms] of Object.entries(VARIANTS))
    out[id] = (forms as Record<ErrorWording, unknown>)[name];
  return out as unknown as Wording;
}

/** Each layer's wording, resolved once. */
export const WORDINGS: Readonly<Record<ErrorWording, Wording>> = { new: resolve('new'), old: resolve('old') };

/** A bespoke request check's error as `wording` reports it (`Wording.bespokeEnvelope`). */
export function bespoke(wording: Wording, error: unknown): unknown {
  return wording.bespokeEnvelope ? enveloped(error) : error;
}

/** Reads a wording given by a user (`--error-wording`); undefined for anything else. */
export function parseErrorWording(value: string): ErrorWording | undefined {
  return (ERROR_WORDINGS as readonly string[]).includes(value) ? (value as ErrorWording) : undefined;
}

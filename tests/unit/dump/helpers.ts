// Shared pieces of the dump tests: scratch folders, a table of items that exercises every type and
// limit, and comparisons of table contents.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { Engine } from '../../../engine/engine.js';
import type { Item } from '../../../engine/types.js';

export function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sortkey-dump-test-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function memoryEngine(): Engine {
  return Engine.inMemory({ ttlSweepIntervalMs: 0 });
}

/** 32 levels of maps: the deepest DynamoDB accepts (a top-level attribute is level 1). */
export function deepValue(levels: number): Item[string] {
  let v: Item[string] = { S: 'bottom' };
  for (let i = 1; i < levels; i++) v = { M: { [`level${levels - i}`]: v } };
  return v;
}

const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i)).toString('base64');

/** Items covering every type, DynamoDB's number limits, binary, sets, nesting, empty and unicode. */
export const RICH_ITEMS: Item[] = [
  {
    pk: { S: 'a#1' },
    sk: { N: '1' },
    big: { N: '12345678901234567890123456789012345678' },
    negBig: { N: '-99999999999999999999999999999999999999' },
    frac: { N: '0.12345678901234567890123456789012345678' },
    huge: { N: '9.9999999999999999999999999999999999999E+125' },
    tiny: { N: '1E-130' },
    negTiny: { N: '-1.5e-100' },
    zero: { N: '-0.000' },
    bin: { B: ALL_BYTES },
    emptyBin: { B: '' },
    ss: { SS: ['b', 'a', 'ü'] },
    ns: { NS: ['1', '-2.5', '3E+10', '12345678901234567890123456789012345678'] },
    bs: { BS: ['AAE=', '/w=='] },
    empty: { S: '' },
    ключ: { S: 'значение' },
    '🔑 key': { S: '🗝️ «quoted» "double" \\ back\nnew line\ttab\u0000nul' },
    nul: { NULL: true },
    yes: { BOOL: true },
    no: { BOOL: false },
    list: {
      L: [
        { S: 'x' },
        { N: '2' },
        { L: [] },
        { M: {} },
        { NULL: true },
        { B: 'AQID' },
        { L: [{ S: 'x' }, { S: 'x' }] },
      ],
    },
    map: { M: { 'a b': { S: 'c' }, ü: { N: '-1' }, inner: { M: { ss: { SS: ['z'] } } } } },
    deep: deepValue(32),
    gsiPk: { S: 'g1' },
    lsiSk: { N: '10' },
  },
  {
    pk: { S: 'a#1' },
    sk: { N: '-3.25' },
    note: { S: 'same partition, negative sort key' },
    gsiPk: { S: 'g1' },
  },
  { pk: { S: 'b' }, sk: { N: '0' } },
  { pk: { S: '日本語' }, sk: { N: '1E+5' }, lsiSk: { N: '-7' }, text: { S: 'x'.repeat(5000) } },
];

export function createRichTable(engine: Engine, name = 'Rich', extra: Record<string, unknown> = {}): void {
  engine.execute('CreateTable', {
    TableName: name,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'N' },
      { AttributeName: 'gsiPk', AttributeType: 'S' },
      { AttributeName: 'lsiSk', AttributeType: 'N' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
    GlobalSecondaryIndexes: [
      {
        IndexName: 'byGsi',
        KeySchema: [{ AttributeName: 'gsiPk', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
    LocalSecondaryIndexes: [
      {
        IndexName: 'byLsi',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'lsiSk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ],
    ...extra,
  });
}

export function seedRich(engine: Engine, name = 'Rich'): void {
  createRichTable(engine, name);
  for (const item of RICH_ITEMS) engine.execute('PutItem', { TableName: name, Item: item });
}

/** Every item of a table as stored (normalised DynamoDB JSON), in key order. */
export function storedItems(engine: Engine, table: string): Item[] {
  const t = engine.ctx.catalog.get(table);
  assert.ok(t, `table ${table} exists`);
  const rows = engine.ctx.db.sqlite.prepare(`SELECT item FROM "${t.sqlName}" ORDER BY pk, sk`).all() as {
    item: string;
  }[];
  return rows.map((r) => JSON.parse(r.item) as Item);
}

/** Asserts two tables hold exactly the same items, attribute for attribute, type for type. */
export function assertSameItems(
  actual: Engine,
  expected: Engine,
  table: string,
  expectedTable = table,
): void {
  assert.deepEqual(storedItems(actual, table), storedItems(expected, expectedTable));
}

export function itemCount(engine: Engine, table: string): number {
  const out = engine.execute('DescribeTable', { TableName: table }) as { Table: { ItemCount: number } };
  return out.Table.ItemCount;
}

export function tableExists(engine: Engine, table: string): boolean {
  return engine.ctx.catalog.get(table) !== undefined;
}

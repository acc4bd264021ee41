// Request generators of the hostile-input fuzzer: DynamoDB requests that are valid-ish, then bent —
// wrong types, odd numbers, deep nesting, random expressions and random PartiQL built from the
// grammar's keywords — plus raw-byte and protocol-level mischief. Every request is a pure function
// of (seed, index): `generateRequest(seed, i)` gives request i of a run again, alone, to replay it.
import { KEYWORD_TOKENS } from '../../grammar/partiql/tokens.js';
import { Rng } from './support.js';

export interface FuzzRequest {
  /** Which generator made it (statistics, reports). */
  readonly label: string;
  /** X-Amz-Target header (undefined: none). */
  readonly target: string | undefined;
  readonly contentType: string | undefined;
  readonly body: string | Buffer;
  readonly method?: string;
  readonly path?: string;
  readonly chunked?: boolean;
  /** Per-request timeout (hang detection); default 10 s. */
  readonly timeoutMs?: number;
  /** For huge bodies: how to rebuild the request, shown in reports instead of the body. */
  readonly describe?: string;
  /** The body may be valid and change the known tables (a control-plane call on them is never sent). */
  readonly op: string;
}

export const CONTENT_TYPE = 'application/x-amz-json-1.0';
export const DDB = 'DynamoDB_20120810';

/** The tables whose contents must not change when a request is rejected. */
export const KNOWN_TABLES = ['FuzzHash', 'FuzzRange'] as const;
/** Tables the fuzzer may create, change and delete (a few names, so they do not pile up). */
const SCRATCH = ['FuzzScratch0', 'FuzzScratch1', 'FuzzScratch2'];

export const FIXTURE_TABLES: Record<string, unknown>[] = [
  {
    TableName: 'FuzzHash',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  },
  {
    TableName: 'FuzzRange',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'N' },
      { AttributeName: 'g', AttributeType: 'S' },
      { AttributeName: 'l', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'ByG',
        KeySchema: [
          { AttributeName: 'g', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
    LocalSecondaryIndexes: [
      {
        IndexName: 'ByL',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'l', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ],
  },
];

/** The fixture items (put again now and then, so reads keep finding something). */
export function fixtureItems(): { table: string; item: Record<string, unknown> }[] {
  const out: { table: string; item: Record<string, unknown> }[] = [];
  for (let i = 0; i < 20; i++) {
    out.push({
      table: 'FuzzHash',
      item: {
        pk: { S: `h${i}` },
        a: { N: String(i) },
        s: { S: `text ${i}` },
        ss: { SS: ['x', `y${i}`] },
        m: { M: { x: { N: '1' }, y: { L: [{ S: 'a' }, { N: '2' }] } } },
        l: { L: [{ N: String(i) }, { BOOL: true }, { NULL: true }] },
        b: { B: Buffer.from(`bin${i}`).toString('base64') },
      },
    });
  }
  for (let p = 0; p < 5; p++) {
    for (let s = 0; s < 6; s++) {
      out.push({
        table: 'FuzzRange',
        item: {
          pk: { S: `r${p}` },
          sk: { N: String(s) },
          g: { S: `g${s % 3}` },
          l: { S: `l${s}` },
          v: { N: String(p * 10 + s) },
          t: { S: 'abc' },
        },
      });
    }
  }
  return out;
}

// ── primitive pools ─────────────────────────────────────────────────────────────────────────────────

const WEIRD_STRINGS = [
  '',
  ' ',
  'a',
  'FuzzHash',
  'FuzzRange',
  'ByG',
  'ByL',
  'pk',
  'sk',
  'g',
  'l',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '\u0000',
  '\u0000\u0001\u001f',
  '\ud800',
  '\udfff\ud800',
  '💥',
  'ß',
  'İ',
  'a.b',
  'a[0]',
  '#n',
  ':v',
  '#',
  ':',
  'NULL',
  'null',
  'true',
  'undefined',
  'NaN',
  "'",
  '"',
  '\\',
  '%s%n',
  '${x}',
  'SELECT',
  'x'.repeat(255),
  'x'.repeat(256),
  'y'.repeat(1025),
  'z'.repeat(70_000),
];

const WEIRD_NUMBERS = [
  '0',
  '-0',
  '1',
  '-1',
  '00',
  '0.0',
  '1e125',
  '9.9999999999999999999999999999999999999E+125',
  '1E+126',
  '1e-130',
  '1e-131',
  '-1e-130',
  '123456789012345678901234567890123456789',
  '12345678901234567890123456789012345678',
  '0.',
  '.5',
  '5.',
  '+5',
  ' 5',
  '5 ',
  '0x1F',
  'Infinity',
  '-Infinity',
  'NaN',
  '1e',
  'e5',
  '--1',
  '1_000',
  '١٢٣',
  '1e99999999999',
  '1e-99999999999',
  `0.${'0'.repeat(200)}1`,
  '9'.repeat(500),
  '',
  'abc',
];

const JSON_JUNK: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  2 ** 53 + 1,
  '',
  'x',
  [],
  {},
  [1, 2],
  { S: 'x' },
  [[[]]],
  { a: { b: {} } },
];

const KEYWORDS = [...KEYWORD_TOKENS.keys()];

const OPERATIONS = [
  'PutItem',
  'GetItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactWriteItems',
  'TransactGetItems',
  'ExecuteStatement',
  'BatchExecuteStatement',
  'ExecuteTransaction',
  'CreateTable',
  'DescribeTable',
  'UpdateTable',
  'DeleteTable',
  'ListTables',
  'DescribeTimeToLive',
  'UpdateTimeToLive',
  'TagResource',
  'UntagResource',
  'ListTagsOfResource',
  'DescribeLimits',
  'DescribeEndpoints',
  'CreateBackup',
  'DescribeBackup',
  'ListBackups',
  'DeleteBackup',
  'RestoreTableFromBackup',
  'DescribeContinuousBackups',
  'UpdateContinuousBackups',
  'RestoreTableToPointInTime',
  'DescribeKinesisStreamingDestination',
  'ExportTableToPointInTime',
  'ImportTable',
];

/** Operations that change a table's definition or lifecycle: never aimed at the known tables. */
const CONTROL_PLANE_CHANGES = new Set([
  'DeleteTable',
  'UpdateTable',
  'UpdateTimeToLive',
  'UpdateContinuousBackups',
  'RestoreTableFromBackup',
  'RestoreTableToPointInTime',
  'ImportTable',
  'TagResource',
  'UntagResource',
]);

/** Read-only operations: an accepted one cannot have changed the known tables. */
export const READ_ONLY = new Set([
  'GetItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'TransactGetItems',
  'DescribeTable',
  'ListTables',
  'DescribeTimeToLive',
  'ListTagsOfResource',
  'DescribeLimits',
  'DescribeEndpoints',
  'DescribeBackup',
  'ListBackups',
  'DescribeContinuousBackups',
  'ListStreams',
  'DescribeStream',
  'GetShardIterator',
  'GetRecords',
]);

// ── generator ───────────────────────────────────────────────────────────────────────────────────────

type J = unknown;
type Obj = Record<string, J>;

class Gen {
  constructor(private readonly r: Rng) {}

  /** One of the JSON_JUNK values, copied: mutations must never reach the shared originals. */
  junkAtom(): J {
    return structuredClone(this.r.pick(JSON_JUNK));
  }

  str(): string {
    const r = this.r;
    if (r.chance(0.5)) return r.pick(WEIRD_STRINGS);
    const n = r.chance(0.9) ? r.range(1, 12) : r.range(13, 600);
    let s = '';
    for (let i = 0; i < n; i++)
      s += String.fromCharCode(r.chance(0.85) ? r.range(0x61, 0x7a) : r.range(0, 0xffff));
    return s;
  }

  num(): string {
    const r = this.r;
    if (r.chance(0.4)) return r.pick(WEIRD_NUMBERS);
    const digits = r.range(1, 45);
    let s = r.chance(0.3) ? '-' : '';
    for (let i = 0; i < digits; i++) s += String(r.int(10));
    if (r.chance(0.3)) s = `${s.slice(0, Math.max(1, s.length - 3))}.${s.slice(-3)}`;
    if (r.chance(0.2)) s += `e${r.chance(0.5) ? '-' : ''}${r.range(0, 140)}`;
    return s;
  }

  b64(): string {
    const r = this.r;
    if (r.chance(0.2)) return r.pick(['', '!!', 'YQ', 'YQ=', '====', 'a', '\u00ff', 'AAAA'.repeat(1000)]);
    return Buffer.from(this.str()).toString('base64');
  }

  /** A random JSON value of any shape (type confusion). */
  junk(depth = 0): J {
    const r = this.r;
    if (depth > 3 || r.chance(0.6)) return r.chance(0.5) ? this.junkAtom() : this.str();
    if (r.chance(0.5)) return Array.from({ length: r.range(0, 4) }, () => this.junk(depth + 1));
    const o: Obj = {};
    for (let i = r.range(0, 4); i > 0; i--) o[this.str()] = this.junk(depth + 1);
    return o;
  }

  /** An attribute value: usually valid, sometimes subtly (or grossly) not. */
  av(depth = 0): J {
    const r = this.r;
    if (r.chance(0.12)) {
      // Broken shapes.
      switch (r.int(12)) {
        case 0:
          return { S: this.junkAtom() };
        case 1:
          return { N: this.str() };
        case 2:
          return { S: 'a', N: '1' };
        case 3:
          return {};
        case 4:
          return { [r.pick(['X', 's', 'n', 'BOOLEAN', 'NUL', ''])]: 'x' };
        case 5:
          return { NULL: r.pick([false, 'true', 1, null]) };
        case 6:
          return { SS: r.pick([[], ['a', 'a'], [1], 'a', [null]]) };
        case 7:
          return { NS: r.pick([[], ['1', '1.0'], ['x'], [1], ['1e200']]) };
        case 8:
          return { BS: r.pick([[], ['YQ==', 'YQ=='], ['!!']]) };
        case 9:
          return { M: r.pick([[], 'x', null, { a: 'x' }]) };
        case 10:
          return { L: r.pick([{}, 'x', null, [1]]) };
        default:
          return this.junk();
      }
    }
    const types =
      depth > 4
        ? ['S', 'N', 'B', 'BOOL', 'NULL']
        : ['S', 'N', 'B', 'BOOL', 'NULL', 'SS', 'NS', 'BS', 'L', 'M'];
    switch (r.pick(types)) {
      case 'S':
        return { S: this.str() };
      case 'N':
        return { N: this.num() };
      case 'B':
        return { B: this.b64() };
      case 'BOOL':
        return { BOOL: r.chance(0.5) };
      case 'NULL':
        return { NULL: true };
      case 'SS':
        return { SS: Array.from({ length: r.range(1, 4) }, () => this.str()) };
      case 'NS':
        return { NS: Array.from({ length: r.range(1, 4) }, () => this.num()) };
      case 'BS':
        return { BS: Array.from({ length: r.range(1, 3) }, () => this.b64()) };
      case 'L':
        return { L: Array.from({ length: r.range(0, 4) }, () => this.av(depth + 1)) };
      default: {
        const m: Obj = {};
        for (let i = r.range(0, 4); i > 0; i--) m[this.attrName()] = this.av(depth + 1);
        return { M: m };
      }
    }
  }

  attrName(): string {
    return this.r.chance(0.7)
      ? this.r.pick(['a', 'b', 's', 'm', 'l', 'ss', 'v', 't', 'x', 'n', 'g', 'pk', 'sk'])
      : this.str();
  }

  table(): string {
    const r = this.r;
    if (r.chance(0.85)) return r.pick(KNOWN_TABLES);
    if (r.chance(0.5)) return r.pick(SCRATCH);
    return this.str();
  }

  key(table: string): Obj {
    const r = this.r;
    if (r.chance(0.15)) {
      const k: Obj = {};
      for (let i = r.range(0, 3); i > 0; i--) k[this.attrName()] = this.av();
      return k;
    }
    const pk = table === 'FuzzRange' ? { S: `r${r.int(6)}` } : { S: `h${r.int(22)}` };
    const k: Obj = { pk: r.chance(0.9) ? pk : this.av() };
    if (table === 'FuzzRange' || r.chance(0.1)) k.sk = r.chance(0.85) ? { N: String(r.int(7)) } : this.av();
    return k;
  }

  item(table: string): Obj {
    const r = this.r;
    const it = this.key(table);
    for (let i = r.range(0, 5); i > 0; i--) it[this.attrName()] = this.av();
    if (table === 'FuzzRange' && r.chance(0.5)) it.g = r.chance(0.8) ? { S: `g${r.int(4)}` } : this.av();
    if (table === 'FuzzRange' && r.chance(0.3)) it.l = r.chance(0.8) ? { S: `l${r.int(4)}` } : this.av();
    return it;
  }

  // ── expressions ──

  private names = new Set<string>();
  private values = new Set<string>();

  path(): string {
    const r = this.r;
    let p = r.chance(0.4)
      ? this.nameRef()
      : r.pick(['a', 'b', 'm', 'l', 'ss', 'v', 't', 'x', 'pk', 'sk', 'g', 'size', 'SET', 'and']);
    for (let i = r.chance(0.3) ? r.range(1, 4) : 0; i > 0; i--) {
      p += r.chance(0.5)
        ? `[${r.pick(['0', '1', '99', '-1', '00', '4294967296', 'x'])}]`
        : `.${r.chance(0.5) ? this.nameRef() : r.pick(['x', 'y', 'z'])}`;
    }
    return p;
  }

  nameRef(): string {
    const n = `#${this.r.pick(['n0', 'n1', 'n2', 'pk', 'x', ''])}`;
    this.names.add(n);
    return n;
  }

  valueRef(): string {
    const v = `:${this.r.pick(['v0', 'v1', 'v2', 'v3', 'x', ''])}`;
    this.values.add(v);
    return v;
  }

  operand(): string {
    const r = this.r;
    if (r.chance(0.15)) return `size(${this.path()})`;
    return r.chance(0.5) ? this.path() : this.valueRef();
  }

  condition(depth = 0): string {
    const r = this.r;
    if (depth < 3 && r.chance(0.35)) {
      const op = r.pick(['AND', 'OR']);
      return `${this.condition(depth + 1)} ${op} ${this.condition(depth + 1)}`;
    }
    if (depth < 3 && r.chance(0.1)) return `NOT ${this.condition(depth + 1)}`;
    if (depth < 3 && r.chance(0.1)) return `(${this.condition(depth + 1)})`;
    switch (r.int(8)) {
      case 0:
        return `attribute_exists(${this.path()})`;
      case 1:
        return `attribute_not_exists(${this.path()})`;
      case 2:
        return `attribute_type(${this.path()}, ${this.valueRef()})`;
      case 3:
        return `begins_with(${this.path()}, ${this.valueRef()})`;
      case 4:
        return `contains(${this.path()}, ${this.operand()})`;
      case 5:
        return `${this.operand()} BETWEEN ${this.operand()} AND ${this.operand()}`;
      case 6:
        return `${this.operand()} IN (${Array.from({ length: r.range(1, 5) }, () => this.operand()).join(', ')})`;
      default:
        return `${this.operand()} ${r.pick(['=', '<>', '<', '<=', '>', '>='])} ${this.operand()}`;
    }
  }

  keyCondition(table: string): string {
    const r = this.r;
    if (r.chance(0.3)) return this.condition();
    const pk = r.chance(0.8) ? 'pk' : this.path();
    let c = `${pk} = ${this.valueRef()}`;
    if (table === 'FuzzRange' && r.chance(0.6)) {
      c += ` AND ${r.pick([
        `sk ${r.pick(['=', '<', '<=', '>', '>='])} ${this.valueRef()}`,
        `sk BETWEEN ${this.valueRef()} AND ${this.valueRef()}`,
        `begins_with(sk, ${this.valueRef()})`,
      ])}`;
    }
    return c;
  }

  update(): string {
    const r = this.r;
    const clauses: string[] = [];
    for (let i = r.range(1, 3); i > 0; i--) {
      switch (r.int(4)) {
        case 0: {
          const acts = Array.from({ length: r.range(1, 3) }, () => {
            const rhs = r.pick([
              () => this.operand(),
              () => `${this.operand()} ${r.pick(['+', '-'])} ${this.operand()}`,
              () => `if_not_exists(${this.path()}, ${this.valueRef()})`,
              () => `list_append(${this.operand()}, ${this.operand()})`,
            ])();
            return `${this.path()} = ${rhs}`;
          });
          clauses.push(`SET ${acts.join(', ')}`);
          break;
        }
        case 1:
          clauses.push(`REMOVE ${Array.from({ length: r.range(1, 3) }, () => this.path()).join(', ')}`);
          break;
        case 2:
          clauses.push(`ADD ${this.path()} ${this.valueRef()}`);
          break;
        default:
          clauses.push(`DELETE ${this.path()} ${this.valueRef()}`);
      }
    }
    return clauses.join(' ');
  }

  projection(): string {
    return Array.from({ length: this.r.range(1, 4) }, () => this.path()).join(', ');
  }

  /** Token-level damage to an expression or statement. */
  mangle(text: string): string {
    const r = this.r;
    const tokens = text.split(/(\s+|[(),=<>[\].])/).filter((t) => t !== '' && t !== undefined);
    for (let i = r.range(1, 3); i > 0 && tokens.length; i--) {
      const at = r.int(tokens.length);
      switch (r.int(6)) {
        case 0:
          tokens.splice(at, 1);
          break;
        case 1:
          tokens.splice(at, 0, tokens[at]!);
          break;
        case 2:
          tokens.splice(at, 0, ` ${r.pick(KEYWORDS).toUpperCase()} `);
          break;
        case 3:
          tokens.splice(
            at,
            0,
            r.pick([
              '(',
              ')',
              ',',
              '.',
              '[',
              ']',
              '=',
              '<>',
              ':',
              '#',
              '"',
              "'",
              '?',
              '`',
              '--',
              '/*',
              ';',
              '\u0000',
              '💥',
            ]),
          );
          break;
        case 4:
          if (at + 1 < tokens.length) [tokens[at], tokens[at + 1]] = [tokens[at + 1]!, tokens[at]!];
          break;
        default:
          tokens[at] = r.pick([
            'size',
            'attribute_exists',
            'contains',
            'if_not_exists',
            'list_append',
            'SET',
            'REMOVE',
            'AND',
            'BETWEEN',
            'IN',
            'NOT',
          ]);
      }
    }
    return tokens.join('');
  }

  maybeMangle(text: string): string {
    return this.r.chance(0.3) ? this.mangle(text) : text;
  }

  /** ExpressionAttributeNames / Values for the placeholders used so far (sometimes off). */
  placeholders(o: Obj): void {
    const r = this.r;
    if (this.names.size && !r.chance(0.1)) {
      const n: Obj = {};
      for (const k of this.names)
        if (!r.chance(0.05)) n[k] = r.chance(0.9) ? r.pick(['a', 'b', 'pk', 'sk', 'x', 'm']) : this.str();
      if (r.chance(0.05)) n[`#${this.str()}`] = 'extra';
      o.ExpressionAttributeNames = n;
    }
    if (this.values.size && !r.chance(0.1)) {
      const v: Obj = {};
      for (const k of this.values) if (!r.chance(0.05)) v[k] = this.av();
      if (r.chance(0.05)) v[`:${this.str()}`] = this.av();
      o.ExpressionAttributeValues = v;
    }
    this.names.clear();
    this.values.clear();
  }

  // ── PartiQL ──

  literal(depth = 0): string {
    const r = this.r;
    switch (r.int(depth > 2 ? 7 : 10)) {
      case 0:
        return `'${this.str().replace(/'/g, "''")}'`;
      case 1:
        return r.pick(WEIRD_NUMBERS.filter((n) => /^[-+.\d]/.test(n))) || '1';
      case 2:
        return String(r.range(-1000, 1000));
      case 3:
        return '?';
      case 4:
        return r.pick(['NULL', 'MISSING', 'TRUE', 'FALSE', 'true', 'null']);
      case 5:
        return `'${r.pick(['a', 'h1', 'r1', 'g1', 'l1'])}'`;
      case 6:
        return `"${r.pick(['pk', 'sk', 'a', 'x', 'weird"name'])}"`;
      case 7:
        return `<<${Array.from({ length: r.range(0, 3) }, () => this.literal(depth + 1)).join(', ')}>>`;
      case 8:
        return `[${Array.from({ length: r.range(0, 3) }, () => this.literal(depth + 1)).join(', ')}]`;
      default:
        return `{${Array.from({ length: r.range(0, 3) }, () => `'${this.attrName()}': ${this.literal(depth + 1)}`).join(', ')}}`;
    }
  }

  pqPath(): string {
    const r = this.r;
    let p = r.pick(['pk', 'sk', 'a', 'm', 'l', 'g', '"pk"', '"a"', 'x', 'ss']);
    for (let i = r.chance(0.3) ? r.range(1, 3) : 0; i > 0; i--)
      p += r.chance(0.5) ? `[${r.range(-1, 5)}]` : `.${r.pick(['x', 'y', '"z"'])}`;
    return p;
  }

  pqCondition(depth = 0): string {
    const r = this.r;
    if (depth < 3 && r.chance(0.3))
      return `${this.pqCondition(depth + 1)} ${r.pick(['AND', 'OR'])} ${this.pqCondition(depth + 1)}`;
    if (depth < 3 && r.chance(0.08)) return `NOT (${this.pqCondition(depth + 1)})`;
    switch (r.int(8)) {
      case 0:
        return `${this.pqPath()} BETWEEN ${this.literal()} AND ${this.literal()}`;
      case 1:
        return `${this.pqPath()} IN [${Array.from({ length: r.range(1, 4) }, () => this.literal()).join(', ')}]`;
      case 2:
        return `begins_with(${this.pqPath()}, ${this.literal()})`;
      case 3:
        return `${this.pqPath()} IS ${r.chance(0.5) ? 'NOT ' : ''}${r.pick(['MISSING', 'NULL', 'STRING', 'INT', 'BOOLEAN', 'TUPLE', 'LIST', 'DECIMAL'])}`;
      case 4:
        return `${r.pick(['size', 'attribute_type', 'contains', 'exists', 'missing', 'upper'])}(${this.pqPath()}${r.chance(0.5) ? `, ${this.literal()}` : ''}) ${r.chance(0.5) ? `> ${this.literal()}` : ''}`;
      default:
        return `${this.pqPath()} ${r.pick(['=', '<>', '!=', '<', '<=', '>', '>='])} ${this.literal()}`;
    }
  }

  statement(): string {
    const r = this.r;
    const t = r.chance(0.9)
      ? `"${this.table()}"`
      : r.pick(['FuzzHash', '"FuzzRange"."ByG"', '"FuzzRange"."ByL"', '"FuzzRange"."Nope"', this.str()]);
    let s: string;
    if (r.chance(0.05)) {
      // Keyword soup from the grammar's own tables.
      s = Array.from({ length: r.range(1, 12) }, () =>
        r.chance(0.6) ? r.pick(KEYWORDS).toUpperCase() : this.literal(),
      ).join(' ');
    } else {
      switch (r.int(5)) {
        case 0:
        case 1:
          s = `SELECT ${r.chance(0.5) ? '*' : [this.pqPath(), this.pqPath()].join(', ')} FROM ${t}${r.chance(0.8) ? ` WHERE ${this.pqCondition()}` : ''}${r.chance(0.1) ? ` ORDER BY ${this.pqPath()} ${r.pick(['ASC', 'DESC', ''])}` : ''}`;
          break;
        case 2:
          s = `INSERT INTO ${t} VALUE ${this.literal()}`;
          break;
        case 3:
          s = `UPDATE ${t} ${r.chance(0.7) ? `SET ${this.pqPath()} = ${this.literal()}` : `REMOVE ${this.pqPath()}`}${r.chance(0.8) ? ` WHERE ${this.pqCondition()}` : ''}${r.chance(0.2) ? ` RETURNING ${r.pick(['ALL NEW *', 'ALL OLD *', 'MODIFIED NEW *', 'MODIFIED OLD *'])}` : ''}`;
          break;
        default:
          s = `DELETE FROM ${t}${r.chance(0.9) ? ` WHERE ${this.pqCondition()}` : ''}${r.chance(0.1) ? ' RETURNING ALL OLD *' : ''}`;
      }
    }
    if (r.chance(0.35)) s = this.mangle(s);
    if (r.chance(0.02)) s = `EXPLAIN ${s}`;
    if (r.chance(0.01)) s = s.padEnd(8193, ' ');
    return s;
  }

  params(statement: string): J {
    const r = this.r;
    const n = (statement.match(/\?/g) ?? []).length;
    const count = r.chance(0.8) ? n : r.range(0, 5);
    return Array.from({ length: count }, () => this.av());
  }

  // ── requests ──

  private common(o: Obj): Obj {
    const r = this.r;
    if (r.chance(0.2)) o.ReturnConsumedCapacity = r.pick(['TOTAL', 'INDEXES', 'NONE', 'total', 'X']);
    if (r.chance(0.1)) o.ReturnItemCollectionMetrics = r.pick(['SIZE', 'NONE', 'X']);
    return o;
  }

  body(op: string): Obj {
    const r = this.r;
    const table = this.table();
    switch (op) {
      case 'PutItem': {
        const o: Obj = { TableName: table, Item: this.item(table) };
        if (r.chance(0.3)) o.ConditionExpression = this.maybeMangle(this.condition());
        if (r.chance(0.2)) o.ReturnValues = r.pick(['ALL_OLD', 'NONE', 'ALL_NEW', 'UPDATED_OLD', 'x']);
        if (r.chance(0.1)) o.ReturnValuesOnConditionCheckFailure = r.pick(['ALL_OLD', 'NONE', 'x']);
        if (r.chance(0.05))
          o.Expected = {
            [this.attrName()]: r.chance(0.5)
              ? { Exists: r.chance(0.5) }
              : { Value: this.av(), ComparisonOperator: r.pick(['EQ', 'NE', 'BETWEEN', 'IN', 'NULL', 'X']) },
          };
        this.placeholders(o);
        return this.common(o);
      }
      case 'GetItem': {
        const o: Obj = { TableName: table, Key: this.key(table) };
        if (r.chance(0.3)) o.ProjectionExpression = this.maybeMangle(this.projection());
        if (r.chance(0.05)) o.AttributesToGet = Array.from({ length: r.range(0, 3) }, () => this.attrName());
        if (r.chance(0.2)) o.ConsistentRead = r.pick([true, false, 'yes', 1]);
        this.placeholders(o);
        return this.common(o);
      }
      case 'UpdateItem': {
        const o: Obj = { TableName: table, Key: this.key(table) };
        if (r.chance(0.9)) o.UpdateExpression = this.maybeMangle(this.update());
        else
          o.AttributeUpdates = {
            [this.attrName()]: { Action: r.pick(['PUT', 'ADD', 'DELETE', 'X']), Value: this.av() },
          };
        if (r.chance(0.3)) o.ConditionExpression = this.maybeMangle(this.condition());
        if (r.chance(0.3))
          o.ReturnValues = r.pick(['ALL_OLD', 'NONE', 'ALL_NEW', 'UPDATED_OLD', 'UPDATED_NEW', 'x']);
        this.placeholders(o);
        return this.common(o);
      }
      case 'DeleteItem': {
        const o: Obj = { TableName: table, Key: this.key(table) };
        // Unconditional deletes of fixture keys would empty the tables quickly: mostly conditional.
        o.ConditionExpression = this.maybeMangle(this.condition());
        if (r.chance(0.2)) o.ReturnValues = r.pick(['ALL_OLD', 'NONE', 'ALL_NEW']);
        this.placeholders(o);
        return this.common(o);
      }
      case 'Query': {
        const o: Obj = { TableName: table };
        if (r.chance(0.3)) o.IndexName = r.pick(['ByG', 'ByL', 'Nope', this.str()]);
        if (r.chance(0.93)) o.KeyConditionExpression = this.maybeMangle(this.keyCondition(table));
        else
          o.KeyConditions = {
            pk: { ComparisonOperator: r.pick(['EQ', 'BEGINS_WITH', 'X']), AttributeValueList: [this.av()] },
          };
        if (r.chance(0.3)) o.FilterExpression = this.maybeMangle(this.condition());
        if (r.chance(0.2)) o.ProjectionExpression = this.maybeMangle(this.projection());
        if (r.chance(0.2)) o.Limit = r.pick([0, 1, -1, 2 ** 31, 1e10, 1.5, '5', null]);
        if (r.chance(0.1)) o.ScanIndexForward = r.pick([true, false, 'no']);
        if (r.chance(0.1))
          o.Select = r.pick([
            'ALL_ATTRIBUTES',
            'COUNT',
            'SPECIFIC_ATTRIBUTES',
            'ALL_PROJECTED_ATTRIBUTES',
            'x',
          ]);
        if (r.chance(0.1)) o.ExclusiveStartKey = this.key(table);
        this.placeholders(o);
        return this.common(o);
      }
      case 'Scan': {
        const o: Obj = { TableName: table };
        if (r.chance(0.2)) o.IndexName = r.pick(['ByG', 'ByL', 'Nope']);
        if (r.chance(0.4)) o.FilterExpression = this.maybeMangle(this.condition());
        if (r.chance(0.2)) o.ProjectionExpression = this.maybeMangle(this.projection());
        if (r.chance(0.2)) o.Limit = r.pick([0, 1, -1, 2 ** 31, 7]);
        if (r.chance(0.15)) {
          o.TotalSegments = r.pick([1, 2, 0, -1, 1_000_000, 2 ** 31]);
          o.Segment = r.pick([0, 1, -1, 999_999, 2 ** 31]);
        }
        if (r.chance(0.1)) o.ExclusiveStartKey = this.key(table);
        if (r.chance(0.05))
          o.ScanFilter = {
            [this.attrName()]: {
              ComparisonOperator: r.pick(['EQ', 'CONTAINS', 'NOT_NULL', 'X']),
              AttributeValueList: [this.av()],
            },
          };
        this.placeholders(o);
        return this.common(o);
      }
      case 'BatchGetItem': {
        const req: Obj = {};
        for (let i = r.range(1, 2); i > 0; i--) {
          const t = this.table();
          req[t] = {
            Keys: Array.from({ length: r.chance(0.05) ? 101 : r.range(0, 5) }, () => this.key(t)),
            ...(r.chance(0.2) ? { ProjectionExpression: this.projection() } : {}),
          };
          this.placeholders(req[t] as Obj);
        }
        return this.common({ RequestItems: req });
      }
      case 'BatchWriteItem': {
        const req: Obj = {};
        for (let i = r.range(1, 2); i > 0; i--) {
          const t = this.table();
          req[t] = Array.from({ length: r.chance(0.05) ? 26 : r.range(0, 4) }, () =>
            // Deletes only of keys no fixture has, so accepted batches do not empty the tables.
            r.chance(0.7)
              ? { PutRequest: { Item: this.item(t) } }
              : { DeleteRequest: { Key: { ...this.key(t), pk: { S: `gone${r.int(5)}` } } } },
          );
        }
        return this.common({ RequestItems: req });
      }
      case 'TransactWriteItems': {
        const items = Array.from({ length: r.chance(0.05) ? 101 : r.range(0, 5) }, () => {
          const t = this.table();
          const kind = r.pick(['Put', 'Update', 'Delete', 'ConditionCheck']);
          const a: Obj = { TableName: t };
          if (kind === 'Put') a.Item = this.item(t);
          else a.Key = this.key(t);
          if (kind === 'Update') a.UpdateExpression = this.maybeMangle(this.update());
          if (kind === 'ConditionCheck' || kind === 'Delete' || r.chance(0.3))
            a.ConditionExpression = this.maybeMangle(this.condition());
          this.placeholders(a);
          return { [kind]: a };
        });
        const o: Obj = { TransactItems: items };
        if (r.chance(0.1)) o.ClientRequestToken = r.chance(0.5) ? 'token-1' : this.str();
        return this.common(o);
      }
      case 'TransactGetItems':
        return this.common({
          TransactItems: Array.from({ length: r.chance(0.05) ? 101 : r.range(0, 5) }, () => {
            const t = this.table();
            const g: Obj = { TableName: t, Key: this.key(t) };
            if (r.chance(0.2)) g.ProjectionExpression = this.projection();
            this.placeholders(g);
            return { Get: g };
          }),
        });
      case 'ExecuteStatement': {
        const s = this.statement();
        const o: Obj = { Statement: s };
        if (r.chance(0.85)) o.Parameters = this.params(s);
        if (r.chance(0.1)) o.Limit = r.pick([0, 1, -1, 5]);
        if (r.chance(0.1)) o.NextToken = this.str();
        if (r.chance(0.1)) o.ConsistentRead = r.chance(0.5);
        return this.common(o);
      }
      case 'BatchExecuteStatement':
        return this.common({
          Statements: Array.from({ length: r.chance(0.05) ? 26 : r.range(0, 4) }, () => {
            const s = this.statement();
            return { Statement: s, Parameters: this.params(s) };
          }),
        });
      case 'ExecuteTransaction':
        return this.common({
          TransactStatements: Array.from({ length: r.chance(0.05) ? 101 : r.range(0, 4) }, () => {
            const s = r.chance(0.2)
              ? `EXISTS(SELECT * FROM "${this.table()}" WHERE ${this.pqCondition()})`
              : this.statement();
            return { Statement: s, Parameters: this.params(s) };
          }),
          ...(r.chance(0.1) ? { ClientRequestToken: this.str() } : {}),
        });
      case 'CreateTable': {
        const defs = Array.from({ length: r.range(0, 4) }, () => ({
          AttributeName: this.attrName(),
          AttributeType: r.pick(['S', 'N', 'B', 'BOOL', 'x']),
        }));
        const ks = (): J => [
          {
            AttributeName: r.chance(0.8) ? (defs[0]?.AttributeName ?? 'pk') : this.attrName(),
            KeyType: r.pick(['HASH', 'HASH', 'RANGE', 'x']),
          },
          ...(r.chance(0.5)
            ? [{ AttributeName: defs[1]?.AttributeName ?? 'sk', KeyType: r.pick(['RANGE', 'RANGE', 'HASH']) }]
            : []),
        ];
        const o: Obj = { TableName: r.pick(SCRATCH), AttributeDefinitions: defs, KeySchema: ks() };
        o.BillingMode = r.pick(['PAY_PER_REQUEST', 'PROVISIONED', 'x']);
        if (o.BillingMode === 'PROVISIONED' || r.chance(0.1))
          o.ProvisionedThroughput = {
            ReadCapacityUnits: r.pick([1, 0, -1, 1e12]),
            WriteCapacityUnits: r.pick([1, 5, 0]),
          };
        if (r.chance(0.3)) {
          o.GlobalSecondaryIndexes = Array.from({ length: r.range(0, 3) }, () => ({
            IndexName: r.pick(['i1', 'i2', 'i1', this.str()]),
            KeySchema: ks(),
            Projection: {
              ProjectionType: r.pick(['ALL', 'KEYS_ONLY', 'INCLUDE', 'x']),
              ...(r.chance(0.3) ? { NonKeyAttributes: [this.attrName()] } : {}),
            },
          }));
        }
        if (r.chance(0.2))
          o.LocalSecondaryIndexes = [
            { IndexName: 'li', KeySchema: ks(), Projection: { ProjectionType: 'ALL' } },
          ];
        if (r.chance(0.2))
          o.StreamSpecification = {
            StreamEnabled: r.chance(0.7),
            StreamViewType: r.pick(['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY', 'x']),
          };
        if (r.chance(0.1)) o.Tags = [{ Key: this.str(), Value: this.str() }];
        if (r.chance(0.1)) o.TableClass = r.pick(['STANDARD', 'STANDARD_INFREQUENT_ACCESS', 'x']);
        return o;
      }
      case 'UpdateTable': {
        const o: Obj = { TableName: table };
        switch (r.int(4)) {
          case 0:
            o.BillingMode = r.pick(['PAY_PER_REQUEST', 'PROVISIONED']);
            break;
          case 1:
            o.StreamSpecification = { StreamEnabled: r.chance(0.5), StreamViewType: 'NEW_IMAGE' };
            break;
          case 2:
            o.GlobalSecondaryIndexUpdates = [
              r.pick([
                { Delete: { IndexName: 'i1' } },
                {
                  Create: {
                    IndexName: 'i3',
                    KeySchema: [{ AttributeName: 'x', KeyType: 'HASH' }],
                    Projection: { ProjectionType: 'ALL' },
                  },
                },
              ]),
            ];
            o.AttributeDefinitions = [{ AttributeName: 'x', AttributeType: r.pick(['S', 'N']) }];
            break;
          default:
            o.DeletionProtectionEnabled = r.chance(0.5);
        }
        return o;
      }
      case 'ListTables':
        return {
          ...(r.chance(0.5) ? { Limit: r.pick([0, 1, 100, 101, -5]) } : {}),
          ...(r.chance(0.3) ? { ExclusiveStartTableName: this.str() } : {}),
        };
      case 'UpdateTimeToLive':
        return {
          TableName: table,
          TimeToLiveSpecification: { Enabled: r.chance(0.5), AttributeName: this.attrName() },
        };
      case 'TagResource':
        return {
          ResourceArn: r.pick([`arn:aws:dynamodb:us-east-1:000000000000:table/${table}`, this.str()]),
          Tags: Array.from({ length: r.range(0, 3) }, () => ({ Key: this.str(), Value: this.str() })),
        };
      case 'UntagResource':
        return {
          ResourceArn: `arn:aws:dynamodb:us-east-1:000000000000:table/${table}`,
          TagKeys: [this.str()],
        };
      case 'ListTagsOfResource':
        return {
          ResourceArn: r.pick([`arn:aws:dynamodb:us-east-1:000000000000:table/${table}`, this.str()]),
        };
      case 'CreateBackup':
        return { TableName: table, BackupName: this.str() };
      case 'RestoreTableFromBackup':
        return { TargetTableName: r.pick(SCRATCH), BackupArn: this.str() };
      default:
        // Describe*, List*, Delete*, anything else: a table name and a bit of junk.
        return r.chance(0.8) ? { TableName: table } : (this.junk() as Obj);
    }
  }

  /** Structural damage: replace, delete, add or retype random nodes of a request body. */
  mutateTree(value: J, count: number): J {
    const r = this.r;
    let root = value;
    for (let i = 0; i < count; i++) {
      const nodes: { parent: Obj | J[] | undefined; key: string | number }[] = [
        { parent: undefined, key: '' },
      ];
      const walk = (v: J, depth: number): void => {
        if (depth > 8 || nodes.length > 400) return;
        if (Array.isArray(v)) {
          v.forEach((x, k) => {
            nodes.push({ parent: v, key: k });
            walk(x, depth + 1);
          });
        } else if (v && typeof v === 'object') {
          for (const k of Object.keys(v)) {
            nodes.push({ parent: v as Obj, key: k });
            walk((v as Obj)[k], depth + 1);
          }
        }
      };
      walk(root, 0);
      const n = r.pick(nodes);
      const replacement = r.pick([
        () => this.junk(),
        () => this.av(),
        () => this.str(),
        () => this.num(),
        () => this.junkAtom(),
        () => undefined, // delete
      ])();
      if (n.parent === undefined) {
        if (replacement !== undefined) root = replacement;
      } else if (Array.isArray(n.parent)) {
        if (replacement === undefined) n.parent.splice(n.key as number, 1);
        else n.parent[n.key as number] = replacement;
      } else if (replacement === undefined) {
        delete n.parent[n.key as string];
      } else if (r.chance(0.2)) {
        n.parent[
          this.r.chance(0.5)
            ? this.str()
            : r.pick(['__proto__', 'constructor', 'TableName', 'Key', 'Item', 'S', 'N', 'M', 'L'])
        ] = replacement;
      } else {
        n.parent[n.key as string] = replacement;
      }
    }
    return root;
  }

  /** Byte-level damage to a serialized body. */
  mutateText(text: string): string | Buffer {
    const r = this.r;
    switch (r.int(8)) {
      case 0:
        return text.slice(0, r.int(text.length + 1));
      case 1: {
        const at = r.int(text.length + 1);
        return (
          text.slice(0, at) +
          r.pick([
            '{',
            '}',
            '[',
            ']',
            '"',
            ',',
            ':',
            '\\',
            '\\u',
            '\\ud800',
            'null',
            'NaN',
            '1e999',
            '-',
            '\u0000',
            ' ',
          ]) +
          text.slice(at)
        );
      }
      case 2: {
        const at = r.int(text.length + 1);
        return text.slice(0, at) + text.slice(at + r.range(1, 10));
      }
      case 3: {
        const buf = Buffer.from(text, 'utf8');
        for (let i = r.range(1, 4); i > 0 && buf.length; i--)
          buf[r.int(buf.length)] = r.pick([0xff, 0xfe, 0xc0, 0xc3, 0xed, 0x80, 0x00]);
        return buf;
      }
      case 4:
        return `\ufeff${text}`;
      case 5:
        return `[${text}]`;
      case 6:
        // Duplicate keys: which one wins must not matter for safety.
        return text.replace(/^\{/, `{"TableName":"FuzzHash",`);
      default:
        return `${text}${r.pick(['', ' ', '\n', 'x', '{}', ',', '\u0000'])}`;
    }
  }
}

/** Deep nesting, built as text (JSON.stringify itself would overflow on it). */
function nestedM(levels: number): string {
  return `${'{"M":{"a":'.repeat(levels)}{"S":"x"}${'}}'.repeat(levels)}`;
}
function nestedL(levels: number): string {
  return `${'{"L":['.repeat(levels)}{"N":"1"}${']}'.repeat(levels)}`;
}

const mix = (seed: number, index: number): number => {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
};

const json = (
  op: string,
  body: string | Buffer,
  label: string,
  extra: Partial<FuzzRequest> = {},
): FuzzRequest => ({
  label,
  op,
  target: `${DDB}.${op}`,
  contentType: CONTENT_TYPE,
  body,
  ...extra,
});

/** Requests that every run sends first: the limits and the nastiest shapes, once each. */
export function specialRequests(): FuzzRequest[] {
  const MiB = 1024 * 1024;
  const bigItem = (kb: number, pk: string): string =>
    JSON.stringify({ pk: { S: pk }, d: { S: 'x'.repeat(kb * 1024) } });
  const out: FuzzRequest[] = [
    json(
      'PutItem',
      `{"TableName":"FuzzHash","Item":{"pk":{"S":"big"},"d":{"S":"${'x'.repeat(17 * MiB)}"}}}`,
      'special:17MiB',
      { timeoutMs: 60_000, describe: 'PutItem with a 17 MiB body (Content-Length)' },
    ),
    json(
      'PutItem',
      `{"TableName":"FuzzHash","Item":{"pk":{"S":"big"},"d":{"S":"${'x'.repeat(17 * MiB)}"}}}`,
      'special:17MiB-chunked',
      { timeoutMs: 60_000, chunked: true, describe: 'PutItem with a 17 MiB chunked body' },
    ),
    json('PutItem', `{"TableName":"FuzzHash","Item":${bigItem(400, 'h1')}}`, 'special:item>400KB', {
      describe: 'PutItem of a 400 KiB + overhead item over fixture key h1',
    }),
    json(
      'BatchWriteItem',
      `{"RequestItems":{"FuzzHash":[${Array.from({ length: 26 }, (_, i) => `{"PutRequest":{"Item":${bigItem(380, `bw${i}`)}}}`).join(',')}]}}`,
      'special:batch-26x380KB',
      { timeoutMs: 30_000, describe: 'BatchWriteItem of 26 items of 380 KiB (~10 MB)' },
    ),
    json(
      'UpdateItem',
      JSON.stringify({
        TableName: 'FuzzHash',
        Key: { pk: { S: 'h2' } },
        UpdateExpression: 'SET d = :d',
        ExpressionAttributeValues: { ':d': { S: 'x'.repeat(410 * 1024) } },
      }),
      'special:update>400KB',
      { describe: 'UpdateItem growing h2 past 400 KB' },
    ),
  ];
  for (const levels of [31, 32, 33, 100, 1_000, 100_000]) {
    out.push(
      json(
        'PutItem',
        `{"TableName":"FuzzHash","Item":{"pk":{"S":"h3"},"d":${nestedM(levels)}}}`,
        `special:M-nesting-${levels}`,
        { describe: `PutItem over h3 with a map nested ${levels} levels` },
      ),
    );
    out.push(
      json(
        'PutItem',
        `{"TableName":"FuzzHash","Item":{"pk":{"S":"h4"},"d":${nestedL(levels)}}}`,
        `special:L-nesting-${levels}`,
        { describe: `PutItem over h4 with a list nested ${levels} levels` },
      ),
    );
  }
  out.push(
    json(
      'UpdateItem',
      `{"TableName":"FuzzHash","Key":{"pk":{"S":"h5"}},"UpdateExpression":"SET d = :d","ExpressionAttributeValues":{":d":${nestedM(100_000)}}}`,
      'special:value-nesting',
      { describe: 'UpdateItem SET d = :d, :d a map nested 100,000 levels' },
    ),
    json(
      'GetItem',
      `{"TableName":"FuzzHash","Key":${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}}`,
      'special:json-array-nesting',
      { describe: 'GetItem whose Key is an array nested 1,000,000 levels' },
    ),
    json(
      'GetItem',
      `{"TableName":"FuzzHash","Key":${'{"a":'.repeat(200_000)}1${'}'.repeat(200_000)}}`,
      'special:json-object-nesting',
      { describe: 'GetItem whose Key is an object nested 200,000 levels' },
    ),
  );
  const cond = (expr: string, label: string, describe: string): FuzzRequest =>
    json(
      'PutItem',
      JSON.stringify({
        TableName: 'FuzzHash',
        Item: { pk: { S: 'h6' }, a: { N: '1' } },
        ConditionExpression: expr,
        ExpressionAttributeValues: { ':v': { N: '1' } },
      }),
      label,
      { describe },
    );
  out.push(
    cond(
      `${'('.repeat(10_000)}a = :v${')'.repeat(10_000)}`,
      'special:paren-nesting',
      'PutItem with ConditionExpression of 10,000 nested parentheses',
    ),
    cond(
      `${'NOT '.repeat(10_000)}a = :v`,
      'special:not-chain',
      'PutItem with ConditionExpression NOT NOT … (10,000)',
    ),
    // Nested deep but within DynamoDB's 4 KB: these reach the parser (issue #23).
    cond(
      `${'('.repeat(2_000)}a = :v${')'.repeat(2_000)}`,
      'special:paren-nesting-4KB',
      'PutItem with ConditionExpression of 2,000 nested parentheses (under 4 KB)',
    ),
    cond(
      `${'a = :v AND ('.repeat(300)}a = :v${')'.repeat(300)}`,
      'special:and-nesting-4KB',
      'PutItem with conditions nested 300 levels (under 4 KB)',
    ),
    cond(`${'NOT '.repeat(1_000)}a = :v`, 'special:not-chain-4KB', 'PutItem with NOT × 1,000 (under 4 KB)'),
    cond(
      `${'NOT ('.repeat(800)}a = :v${')'.repeat(800)}`,
      'special:not-paren-4KB',
      'PutItem with NOT ( … ) nested 800 levels (under 4 KB)',
    ),
    cond(
      `size(${'size('.repeat(800)}a${')'.repeat(800)}) > :v`,
      'special:size-nesting-4KB',
      'PutItem with size(size(…)) nested 800 levels (under 4 KB)',
    ),
    cond(
      Array.from({ length: 3_000 }, () => 'a = :v').join(' AND '),
      'special:long-and',
      'PutItem with 3,000 ANDed comparisons',
    ),
    cond(
      `a IN (${Array.from({ length: 1_000 }, () => ':v').join(',')})`,
      'special:in-1000',
      'PutItem with IN of 1,000 operands',
    ),
    cond(
      `size(${'m.'.repeat(5_000)}x) > :v`,
      'special:deep-path',
      'PutItem with a document path 5,000 levels deep',
    ),
    cond(
      `size(a${'[0]'.repeat(5_000)}) > :v`,
      'special:deep-index',
      'PutItem with a path of 5,000 list indexes',
    ),
    json(
      'ExecuteStatement',
      JSON.stringify({
        Statement: `SELECT * FROM "FuzzHash" WHERE ${'('.repeat(10_000)}pk = 'h1'${')'.repeat(10_000)}`,
      }),
      'special:pq-paren-nesting',
      { describe: 'ExecuteStatement with 10,000 nested parentheses' },
    ),
    json(
      'ExecuteStatement',
      JSON.stringify({
        Statement: `SELECT * FROM "FuzzHash" WHERE pk = ${'['.repeat(3_000)}1${']'.repeat(3_000)}`,
      }),
      'special:pq-list-nesting',
      { describe: 'ExecuteStatement with a list literal nested 3,000 levels' },
    ),
    json(
      'ExecuteStatement',
      JSON.stringify({
        Statement: `SELECT * FROM "FuzzHash" WHERE pk = ${'{'.repeat(2_000)}${'}'.repeat(2_000)}`,
      }),
      'special:pq-struct-nesting',
      { describe: 'ExecuteStatement with 2,000 nested braces' },
    ),
    // Nested deep but within PartiQL's 8,192 characters: these reach the parsers (issue #23).
    json(
      'ExecuteStatement',
      JSON.stringify({
        Statement: `SELECT * FROM "FuzzHash" WHERE ${'('.repeat(4_000)}pk = 'h1'${')'.repeat(4_000)}`,
      }),
      'special:pq-paren-nesting-8KB',
      { describe: 'ExecuteStatement with 4,000 nested parentheses (under 8,192 characters)' },
    ),
    json(
      'ExecuteStatement',
      JSON.stringify({
        Statement: `SELECT * FROM "FuzzHash" WHERE pk = 'h1' AND ${'NOT '.repeat(1_900)}a = 1`,
      }),
      'special:pq-not-chain-8KB',
      { describe: 'ExecuteStatement with NOT × 1,900 (under 8,192 characters)' },
    ),
    json(
      'ExecuteStatement',
      JSON.stringify({
        Statement: `UPDATE "FuzzHash" SET x = ${'['.repeat(3_900)}1${']'.repeat(3_900)} WHERE pk = 'h1'`,
      }),
      'special:pq-update-list-nesting-8KB',
      { describe: 'ExecuteStatement UPDATE with a list literal nested 3,900 levels' },
    ),
    json(
      'ExecuteStatement',
      JSON.stringify({
        Statement: `SELECT * FROM "FuzzHash" WHERE ${Array.from({ length: 2_000 }, () => "pk = 'h1'").join(' OR ')}`,
      }),
      'special:pq-long-or',
      { describe: 'ExecuteStatement with 2,000 ORed comparisons' },
    ),
    json(
      'ExecuteStatement',
      JSON.stringify({
        Statement: `SELECT * FROM "FuzzHash" WHERE pk = ?`,
        Parameters: Array.from({ length: 10_000 }, () => ({ S: 'h1' })),
      }),
      'special:pq-many-params',
      { describe: 'ExecuteStatement with 10,000 parameters for one ?' },
    ),
    json(
      'ExecuteStatement',
      JSON.stringify({ Statement: `${'SELECT * FROM "FuzzHash" '.repeat(400)}` }),
      'special:pq-8KB',
      { describe: 'ExecuteStatement longer than 8,192 characters' },
    ),
    json(
      'ExecuteStatement',
      JSON.stringify({ Statement: `SELECT * FROM "FuzzHash" WHERE pk = '${'x'.repeat(7_900)}` }),
      'special:pq-unterminated',
      { describe: 'ExecuteStatement with an unterminated 7,900-character string' },
    ),
    json(
      'PutItem',
      JSON.stringify({ TableName: 'FuzzHash', Item: { pk: { S: 'h7' }, n: { N: '9'.repeat(100_000) } } }),
      'special:huge-number',
      { describe: 'PutItem with a 100,000-digit number' },
    ),
    json(
      'GetItem',
      JSON.stringify({ TableName: 'FuzzHash', Key: { pk: { N: '9'.repeat(100_000) } } }),
      'special:huge-number-key',
      { describe: 'GetItem with a 100,000-digit number as key' },
    ),
    json(
      'UpdateItem',
      JSON.stringify({
        TableName: 'FuzzHash',
        Key: { pk: { S: 'h8' } },
        UpdateExpression: 'SET a = a + :v',
        ExpressionAttributeValues: { ':v': { N: `0.${'0'.repeat(128)}1` } },
      }),
      'special:tiny-add',
      { describe: 'UpdateItem adding 1e-129 to a small number' },
    ),
    json(
      'UpdateItem',
      JSON.stringify({
        TableName: 'FuzzHash',
        Key: { pk: { S: 'h8' } },
        UpdateExpression: 'SET a = :big + :v',
        ExpressionAttributeValues: {
          ':big': { N: '9.9999999999999999999999999999999999999E+125' },
          ':v': { N: '9.9999999999999999999999999999999999999E+125' },
        },
      }),
      'special:overflow-add',
      { describe: 'UpdateItem SET a = max + max (overflow)' },
    ),
    json(
      'UpdateItem',
      JSON.stringify({
        TableName: 'FuzzHash',
        Key: { pk: { S: 'h8' } },
        UpdateExpression: 'SET a = :x - :y',
        ExpressionAttributeValues: { ':x': { N: '1E+125' }, ':y': { N: '1E-130' } },
      }),
      'special:precision-sub',
      { describe: 'UpdateItem SET a = 1E+125 - 1E-130 (precision)' },
    ),
    json(
      'PutItem',
      JSON.stringify({
        TableName: 'FuzzHash',
        Item: Object.fromEntries([
          ['pk', { S: 'h9' }],
          ...Array.from({ length: 20_000 }, (_, i) => [`a${i}`, { N: '1' }]),
        ]),
      }),
      'special:many-attributes',
      { describe: 'PutItem with 20,000 attributes over h9' },
    ),
    json(
      'GetItem',
      JSON.stringify({
        TableName: 'FuzzHash',
        Key: { pk: { S: 'h1' } },
        ProjectionExpression: Array.from({ length: 5_000 }, (_, i) => `a${i}`).join(','),
      }),
      'special:long-projection',
      { describe: 'GetItem projecting 5,000 attributes' },
    ),
    json(
      'PutItem',
      '{"TableName":"FuzzHash","Item":{"pk":{"S":"h10"},"__proto__":{"S":"polluted"}}}',
      'special:proto-attr',
      { describe: 'PutItem with an attribute named __proto__' },
    ),
    json(
      'PutItem',
      '{"TableName":"FuzzHash","Item":{"pk":{"S":"h10"},"a":{"__proto__":{"S":"x"}}}}',
      'special:proto-type',
      { describe: 'PutItem with {"__proto__": …} as an attribute value' },
    ),
    json(
      'PutItem',
      '{"TableName":"FuzzHash","Item":{"pk":{"S":"h10"},"a":{"constructor":"x"}}}',
      'special:constructor-type',
      { describe: 'PutItem with {"constructor": "x"} as an attribute value' },
    ),
    json(
      'PutItem',
      '{"TableName":"FuzzHash","Item":{"pk":{"S":"h10"},"a":{"toString":"x"}}}',
      'special:toString-type',
      { describe: 'PutItem with {"toString": "x"} as an attribute value' },
    ),
    json(
      'BatchWriteItem',
      '{"RequestItems":{"__proto__":[{"PutRequest":{"Item":{"pk":{"S":"x"}}}}]}}',
      'special:proto-requestitems',
      { describe: 'BatchWriteItem with RequestItems {"__proto__": …}' },
    ),
    json(
      'BatchGetItem',
      '{"RequestItems":{"constructor":{"Keys":[{"pk":{"S":"x"}}]}}}',
      'special:constructor-requestitems',
      { describe: 'BatchGetItem with RequestItems {"constructor": …}' },
    ),
    json('GetItem', '{"TableName":"__proto__","Key":{"pk":{"S":"x"}}}', 'special:proto-table', {
      describe: 'GetItem on a table named __proto__',
    }),
    json('GetItem', '{"TableName":"hasOwnProperty","Key":{"pk":{"S":"x"}}}', 'special:hasOwnProperty-table', {
      describe: 'GetItem on a table named hasOwnProperty',
    }),
    json(
      'UpdateItem',
      '{"TableName":"FuzzHash","Key":{"pk":{"S":"h11"}},"UpdateExpression":"SET #a = :v","ExpressionAttributeNames":{"#a":"__proto__"},"ExpressionAttributeValues":{":v":{"S":"x"}}}',
      'special:proto-name',
      { describe: 'UpdateItem SET #a with #a = __proto__' },
    ),
    json(
      'UpdateItem',
      '{"TableName":"FuzzHash","Key":{"pk":{"S":"h11"}},"UpdateExpression":"SET #a.#b = :v","ExpressionAttributeNames":{"#a":"m","#b":"__proto__"},"ExpressionAttributeValues":{":v":{"S":"x"}}}',
      'special:proto-path',
      { describe: 'UpdateItem SET m.__proto__ = :v' },
    ),
    json(
      'Query',
      '{"TableName":"FuzzHash","KeyConditionExpression":"pk = :v","ExpressionAttributeValues":{":v":{"S":"h1"}},"ExclusiveStartKey":{"__proto__":{"S":"x"}}}',
      'special:proto-esk',
      { describe: 'Query with ExclusiveStartKey {"__proto__": …}' },
    ),
    json(
      'GetItem',
      '{"TableName":"FuzzHash","Key":{"pk":{"S":"h1"}},"ProjectionExpression":"#p","ExpressionAttributeNames":{"#p":"constructor"}}',
      'special:constructor-projection',
      { describe: 'GetItem projecting an attribute named constructor' },
    ),
    json(
      'GetItem',
      '{"TableName":"FuzzHash","Key":{"pk":{"S":"h1"}},"TableName":"FuzzRange"}',
      'special:duplicate-key',
      { describe: 'GetItem with TableName given twice' },
    ),
    json(
      'Scan',
      JSON.stringify({ TableName: 'FuzzRange', Segment: 999_999, TotalSegments: 1_000_000 }),
      'special:segments',
      { describe: 'Scan with 1,000,000 segments' },
    ),
    json(
      'Query',
      JSON.stringify({
        TableName: 'FuzzRange',
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': { S: 'r1' } },
        Limit: 2 ** 31,
      }),
      'special:limit-2^31',
      { describe: 'Query with Limit 2^31' },
    ),
    json(
      'Query',
      '{"TableName":"FuzzRange","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"r1"}},"Limit":1e400}',
      'special:limit-1e400',
      { describe: 'Query with Limit 1e400 (Infinity after JSON.parse)' },
    ),
    json('ListTables', '{"Limit":-0.5}', 'special:list-limit', { describe: 'ListTables with Limit -0.5' }),
  );
  for (const op of [
    'PutItem',
    'GetItem',
    'Query',
    'Scan',
    'BatchWriteItem',
    'TransactWriteItems',
    'ExecuteStatement',
    'CreateTable',
    'ListTables',
  ]) {
    for (const body of [
      '',
      'null',
      '[]',
      '1',
      '"s"',
      '{}',
      'true',
      '{"TableName":null}',
      '\u0000',
      '{"a":1}garbage',
      '{"TableName":"FuzzHash"',
      '\ufeff{}',
    ]) {
      out.push(
        json(op, body, 'special:empty-shapes', { describe: `${op} with body ${JSON.stringify(body)}` }),
      );
    }
  }
  out.push(
    json('GetItem', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), 'special:invalid-utf8', {
      describe: 'GetItem with invalid UTF-8 bytes in a key name',
    }),
    json(
      'PutItem',
      Buffer.concat([
        Buffer.from('{"TableName":"FuzzHash","Item":{"pk":{"S":"h12'),
        Buffer.from([0xed, 0xa0, 0x80]),
        Buffer.from('"}}}'),
      ]),
      'special:utf8-surrogate',
      { describe: 'PutItem with an encoded surrogate (ED A0 80) in the key' },
    ),
    json('PutItem', '{"TableName":"FuzzHash","Item":{"pk":{"S":"\\ud800"}}}', 'special:lone-surrogate-key', {
      describe: 'PutItem with key "\\ud800" (a lone surrogate escape)',
    }),
    {
      label: 'special:no-target',
      op: '-',
      target: undefined,
      contentType: CONTENT_TYPE,
      body: '{}',
      describe: 'POST / without X-Amz-Target',
    },
    {
      label: 'special:bad-content-type',
      op: 'ListTables',
      target: `${DDB}.ListTables`,
      contentType: 'text/plain',
      body: '{}',
      describe: 'ListTables with Content-Type text/plain',
    },
    {
      label: 'special:streams-target',
      op: 'ListStreams',
      target: 'DynamoDBStreams_20120810.ListStreams',
      contentType: CONTENT_TYPE,
      body: '{"TableName":"FuzzHash"}',
      describe: 'Streams ListStreams',
    },
    {
      label: 'special:sortkey-target',
      op: 'Explain',
      target: 'Sortkey_20250101.Explain',
      contentType: CONTENT_TYPE,
      body: '{"Statement":"SELECT * FROM \\"FuzzHash\\" WHERE pk = \'h1\'"}',
      describe: 'Sortkey Explain',
    },
    {
      label: 'special:sortkey-garbage',
      op: '-',
      target: 'Sortkey_20250101.__proto__',
      contentType: CONTENT_TYPE,
      body: '{}',
      describe: 'target Sortkey_20250101.__proto__',
    },
    {
      label: 'special:proto-target',
      op: '-',
      target: `${DDB}.__proto__`,
      contentType: CONTENT_TYPE,
      body: '{}',
      describe: 'target DynamoDB_20120810.__proto__',
    },
    {
      label: 'special:constructor-target',
      op: '-',
      target: `${DDB}.constructor`,
      contentType: CONTENT_TYPE,
      body: '{}',
      describe: 'target DynamoDB_20120810.constructor',
    },
    {
      label: 'special:put-method',
      op: '-',
      target: `${DDB}.ListTables`,
      contentType: CONTENT_TYPE,
      body: '{}',
      method: 'PUT',
      describe: 'PUT / ListTables',
    },
    {
      label: 'special:delete-path',
      op: '-',
      target: `${DDB}.ListTables`,
      contentType: CONTENT_TYPE,
      body: '{}',
      method: 'DELETE',
      path: '/x/../..',
      describe: 'DELETE /x/../..',
    },
  );
  return out;
}

/** Request `index` of a run with `seed`: the same pair always gives the same request. */
export function generateRequest(seed: number, index: number): FuzzRequest {
  return guard(generate(seed, index));
}

/**
 * Header values must be bytes, not UTF-16: characters above U+00FF become a Latin-1 byte (the
 * server still sees odd bytes, which is the point), so the client library does not refuse to send.
 */
function headerSafe(v: string | undefined): string | undefined {
  return v?.replace(/[^\t\x20-\x7e\x80-\xff]/g, (c) => String.fromCharCode(0x80 | (c.charCodeAt(0) & 0x7f)));
}

/** Never lets a table-changing call (whatever its target prefix) name one of the known tables. */
function guard(generated: FuzzRequest): FuzzRequest {
  const req = {
    ...generated,
    target: headerSafe(generated.target),
    contentType: headerSafe(generated.contentType),
  };
  const op = req.target?.slice(req.target.lastIndexOf('.') + 1) ?? '';
  if (![...CONTROL_PLANE_CHANGES].some((c) => op.includes(c))) return req;
  const text = typeof req.body === 'string' ? req.body : req.body.toString('latin1');
  if (!/Fuzz(Hash|Range)/.test(text)) return req;
  const replaced = text.replace(/Fuzz(Hash|Range)/g, 'FuzzScratch0');
  return { ...req, body: typeof req.body === 'string' ? replaced : Buffer.from(replaced, 'latin1') };
}

function generate(seed: number, index: number): FuzzRequest {
  const r = new Rng(mix(seed, index));
  const g = new Gen(r);
  const roll = r.next();
  if (roll < 0.02) {
    // Protocol level: odd targets, content types, methods.
    const op = r.pick(OPERATIONS);
    const target = r.pick([
      undefined,
      `${DDB}.${op}`,
      `${DDB}.${g.str()}`,
      `DynamoDBStreams_20120810.${op}`,
      `Sortkey_20250101.${r.pick(['Explain', op, g.str()])}`,
      g.str(),
      `${DDB}.`,
      '.',
      `${DDB}.${op}.${op}`,
    ]);
    const contentType = r.pick([
      undefined,
      CONTENT_TYPE,
      'application/x-amz-json-1.1',
      'application/json',
      'text/plain',
      '',
      'application/x-amz-json-1.0; charset=latin1',
      g.str(),
    ]);
    const b = r.chance(0.5) ? JSON.stringify(g.body(op)) : (JSON.stringify(g.junk()) ?? '');
    return {
      label: 'protocol',
      op,
      target,
      contentType,
      body: b,
      method: r.pick(['POST', 'POST', 'POST', 'GET', 'PUT', 'OPTIONS']),
      chunked: r.chance(0.2),
    };
  }
  // Weighted toward the data plane, where the interesting code is.
  const op = r.chance(0.85)
    ? r.pick([
        'PutItem',
        'GetItem',
        'UpdateItem',
        'DeleteItem',
        'Query',
        'Scan',
        'BatchGetItem',
        'BatchWriteItem',
        'TransactWriteItems',
        'TransactGetItems',
        'ExecuteStatement',
        'ExecuteStatement',
        'ExecuteStatement',
        'BatchExecuteStatement',
        'ExecuteTransaction',
        'UpdateItem',
        'Query',
      ])
    : r.pick(OPERATIONS);
  let body: J = g.body(op);
  let label = `valid-ish:${op}`;
  const mode = r.next();
  let text: string | Buffer;
  if (mode < 0.3) {
    text = JSON.stringify(body);
  } else if (mode < 0.8) {
    body = g.mutateTree(body, r.range(1, 3));
    label = `tree:${op}`;
    text = JSON.stringify(body) ?? 'null';
  } else {
    text = g.mutateText(JSON.stringify(body));
    label = `text:${op}`;
  }
  return json(op, text, label);
}

// ── every member × every JSON type ──────────────────────────────────────────────────────────────────

/** Stands for a deeply nested value in a body, replaced in its text (JSON.stringify would recurse). */
const DEEP_MARK = '\u0000deep\u0000';

/** Each JSON type, and values nested deep, as a member's replacement (text, for the deep ones). */
const MEMBER_VARIANTS: { name: string; value: J; deep?: string }[] = [
  { name: 'null', value: null },
  { name: 'true', value: true },
  { name: 'false', value: false },
  { name: '0', value: 0 },
  { name: '-1', value: -1 },
  { name: '1.5', value: 1.5 },
  { name: '1e300', value: 1e300 },
  { name: '""', value: '' },
  { name: '"x"', value: 'x' },
  { name: '[]', value: [] },
  { name: '[["x"]]', value: [['x']] },
  { name: '{}', value: {} },
  { name: '{"a":{}}', value: { a: {} } },
  { name: 'array nested 3,000 levels', value: DEEP_MARK, deep: `${'['.repeat(3_000)}${']'.repeat(3_000)}` },
  {
    name: 'object nested 3,000 levels',
    value: DEEP_MARK,
    deep: `${'{"a":'.repeat(3_000)}1${'}'.repeat(3_000)}`,
  },
  { name: 'map value nested 3,000 levels', value: DEEP_MARK, deep: nestedM(3_000) },
];

/** The member paths of a body (object keys and list positions), parents before children. */
function memberPaths(body: J, max: number): (string | number)[][] {
  const out: (string | number)[][] = [];
  const walk = (v: J, path: (string | number)[]): void => {
    if (out.length >= max || path.length > 7) return;
    if (path.length) out.push(path);
    if (Array.isArray(v)) v.slice(0, 2).forEach((x, i) => walk(x, [...path, i]));
    else if (v && typeof v === 'object') for (const k of Object.keys(v)) walk((v as Obj)[k], [...path, k]);
  };
  walk(body, []);
  return out;
}

function withMember(body: J, path: (string | number)[], value: J): J {
  const copy = structuredClone(body) as Obj;
  let cur = copy as Record<string | number, J>;
  for (let i = 0; i < path.length - 1; i++) cur = cur[path[i]!] as Record<string | number, J>;
  cur[path[path.length - 1]!] = value;
  return copy;
}

/**
 * Every member of every operation's request tried with every JSON type and with values nested
 * 3,000 levels deep: member paths come from several valid-ish bodies per operation (a path's list
 * positions count as one), each replaced by each variant in turn. `limit` keeps a bounded slice
 * (taken evenly across the whole set, so each operation and variant is represented).
 */
export function memberTypeRequests(seed: number, limit = Infinity): FuzzRequest[] {
  const all: FuzzRequest[] = [];
  for (const op of OPERATIONS) {
    const seen = new Set<string>();
    for (let b = 0; b < 12; b++) {
      const g = new Gen(new Rng(mix(seed ^ 0x5eed, OPERATIONS.indexOf(op) * 64 + b)));
      const body = g.body(op);
      for (const path of memberPaths(body, 60)) {
        // List positions, and keys that are data (attribute and table names), count as one.
        const shape = path
          .map((p) => (typeof p === 'number' ? '[]' : /^[A-Z][A-Za-z]*$/.test(p) ? p : '*'))
          .join('.');
        if (seen.has(shape)) continue;
        seen.add(shape);
        for (const variant of MEMBER_VARIANTS) {
          let text = JSON.stringify(withMember(body, path, variant.value)) ?? 'null';
          if (variant.deep) text = text.replace(JSON.stringify(DEEP_MARK), variant.deep);
          all.push(
            guard(
              json(op, text, `member:${op}`, {
                describe: `${op} with ${shape} = ${variant.name}`,
              }),
            ),
          );
        }
      }
    }
  }
  if (all.length <= limit) return all;
  const step = all.length / limit;
  return Array.from({ length: limit }, (_, i) => all[Math.floor(i * step)]!);
}

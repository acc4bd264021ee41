// Helpers for the shell tests: a session on an in-memory engine with captured output, seeded tables,
// and the command line to start the shell as a separate process.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine } from '../../../engine/engine.js';
import { LocalBackend } from '../../../main/shell/local-backend.js';
import type { Backend } from '../../../main/shell/backend.js';
import { Session } from '../../../main/shell/session.js';
import type { SessionIO, SessionOptions } from '../../../main/shell/session.js';
import { makeColors } from '../../../main/shell/text.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const ENTRY = join(ROOT, 'tests', 'unit', 'shell', 'fixtures', 'entry.ts');

/** `node --import tsx <entry>`: argv to start the shell in a child process. */
export function shellCommand(...args: string[]): [string, string[]] {
  return [process.execPath, ['--import', 'tsx', ENTRY, ...args]];
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'sortkey-shell-'));
}

export interface Captured {
  out: string;
  err: string;
}

export interface TestSession {
  session: Session;
  engine: Engine;
  backend: Backend;
  output: Captured;
  /** Clears captured output and returns what there was. */
  take(): Captured;
}

export function createOrders(engine: Engine, name = 'Orders'): void {
  engine.execute('CreateTable', {
    TableName: name,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'status', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'ByStatus',
        KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  });
}

export function put(engine: Engine, statement: string): void {
  engine.execute('ExecuteStatement', { Statement: statement });
}

export function seedOrders(engine: Engine): void {
  createOrders(engine);
  put(
    engine,
    "INSERT INTO Orders VALUE {'pk': 'c#1', 'sk': 'o#1', 'total': 19.99, 'status': 'open', 'address': {'city': 'Oslo', 'zip': '0150'}}",
  );
  put(
    engine,
    "INSERT INTO Orders VALUE {'pk': 'c#1', 'sk': 'o#2', 'total': 5, 'status': 'shipped', 'tags': <<'gift', 'new'>>}",
  );
  put(
    engine,
    "INSERT INTO Orders VALUE {'pk': 'c#2', 'sk': 'o#1', 'total': 123456789012345678901234567890.123456, 'status': 'open'}",
  );
}

export function testSession(
  options: Omit<Partial<SessionOptions>, 'io'> & { io?: Partial<SessionIO> } = {},
): TestSession {
  const engine = Engine.inMemory();
  const backend = new LocalBackend(engine, 'test database');
  const output: Captured = { out: '', err: '' };
  const io: SessionIO = {
    out: (t) => void (output.out += t),
    err: (t) => void (output.err += t),
    colors: makeColors(false),
    errColors: makeColors(false),
    columns: () => undefined,
    ...options.io,
  };
  const session = new Session({ ...options, backend, io });
  return {
    session,
    engine,
    backend,
    output,
    take() {
      const copy = { ...output };
      output.out = '';
      output.err = '';
      return copy;
    },
  };
}

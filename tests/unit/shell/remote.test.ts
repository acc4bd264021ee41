// The shell against an endpoint through the AWS SDK: a Sortkey server on a random port.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SortkeyServer } from '../../../main/server/index.js';
import { startServer } from '../../../main/server/index.js';
import { RemoteBackend } from '../../../main/shell/remote-backend.js';
import { Session } from '../../../main/shell/session.js';
import { makeColors } from '../../../main/shell/text.js';

describe('remote backend', () => {
  let server: SortkeyServer;
  let backend: RemoteBackend;
  let out = '';
  let err = '';
  let session: Session;

  before(async () => {
    server = await startServer({ port: 0, host: '127.0.0.1', inMemory: true });
    backend = new RemoteBackend({ endpoint: server.url });
    session = new Session({
      backend,
      io: {
        out: (t) => void (out += t),
        err: (t) => void (err += t),
        colors: makeColors(false),
        errColors: makeColors(false),
        columns: () => undefined,
      },
      mode: 'ndjson',
    });
  });

  after(async () => {
    await backend.close();
    await server.close();
  });

  const take = () => {
    const r = { out, err };
    out = '';
    err = '';
    return r;
  };

  it('creates a table, writes and reads items with ExecuteStatement', async () => {
    const r = await session.run(
      [
        '.create Remote pk sk:N',
        "INSERT INTO Remote VALUE {'pk': 'a', 'sk': 1, 'n': 12345678901234567890.5, 'b': ?};",
        "SELECT * FROM Remote WHERE pk = 'a';",
      ]
        .join('\n')
        .replace('.create', `.params {"B": "AAEC"}\n.create`),
    );
    assert.equal(r.failed, 0, err);
    const lines = take().out.trim().split('\n');
    assert.equal(lines.at(-1), '{"pk":"a","sk":1,"n":12345678901234567890.5,"b":"AAEC"}');
  });

  it('explains on a mirror of the remote table, saying the estimate needs local data', async () => {
    session.mode = 'table';
    await session.run("EXPLAIN SELECT * FROM Remote WHERE pk = 'a' AND n > 3;");
    const { out: text } = take();
    assert.match(text, /^Query Remote\n {2}key condition pk = 'a'\n {2}filter {8}n > 3\n/);
    assert.match(
      text,
      /estimate {6}n\/a: planned from the remote table’s keys and indexes; capacity estimates need local data/,
    );
    session.mode = 'ndjson';
  });

  it('describes and lists remote tables', async () => {
    await session.run('.describe Remote\n.tables');
    const { out: text } = take();
    assert.match(text, /Remote {2}ACTIVE\n {2}key {9}pk S \(partition\), sk N \(sort\)/);
    assert.match(text, / Remote │ pk {12}│ sk {7}│ {5}1/);
  });

  it("reports the service's errors by name", async () => {
    await session.run('SELECT * FROM Nowhere;');
    assert.match(take().err, /^ResourceNotFoundException: /);
  });

  it('says when the endpoint cannot be reached', async () => {
    const dead = new RemoteBackend({ endpoint: 'http://127.0.0.1:1' });
    try {
      await assert.rejects(dead.listTables(), /cannot reach http:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/);
    } finally {
      await dead.close();
    }
  });

  it('runs BEGIN … COMMIT, BEGIN BATCH … END, .count and .describe over the SDK', async () => {
    const r = await session.run(
      [
        '.create Remote2 pk',
        'BEGIN;',
        "INSERT INTO Remote2 VALUE {'pk': 'x'};",
        "INSERT INTO Remote2 VALUE {'pk': 'y'};",
        'COMMIT;',
        'BEGIN BATCH;',
        "SELECT * FROM Remote2 WHERE pk = 'x';",
        "SELECT * FROM Remote2 WHERE pk = 'zz';",
        'END;',
        '.count Remote2',
        '.describe Remote2',
      ].join('\n'),
    );
    assert.equal(r.failed, 0, err);
    const { out: text } = take();
    assert.match(text, /COMMIT 2 statements applied as one transaction\n/);
    assert.match(text, /\{"statement":1,"item":\{"pk":"x"\}\}\n\{"statement":2\}\n/);
    assert.match(text, /\{"count":2\}\n/);
    assert.match(text, /\n {2}ttl {9}disabled\n/);
    assert.match(text, /\n {2}tags {8}none\n/);
  });
});

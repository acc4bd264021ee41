// Regions as namespaces of tables in the engine: the catalog's key is (account, region, name), and
// its statements find a row through an index, never by scanning the catalog.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Engine } from '../../../engine/index.js';

const WEST = { region: 'us-west-1', accountId: '000000000000' };

function create(engine: Engine, name: string, ns?: { region: string; accountId: string }): void {
  engine.execute(
    'CreateTable',
    {
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    },
    ns,
  );
}

describe('regions in the engine', () => {
  it('lists the regions that hold tables, with their counts', () => {
    const engine = Engine.inMemory();
    create(engine, 'One');
    create(engine, 'One', WEST);
    create(engine, 'Two', WEST);
    assert.deepEqual(engine.regions(), [
      { region: 'us-east-1', accountId: '000000000000', tables: 1 },
      { region: 'us-west-1', accountId: '000000000000', tables: 2 },
    ]);
    engine.execute('DeleteTable', { TableName: 'One' });
    assert.deepEqual(engine.regions(), [{ region: 'us-west-1', accountId: '000000000000', tables: 2 }]);
    assert.deepEqual(engine.execute('ListTables', {}, WEST), { TableNames: ['One', 'Two'] });
    engine.close();
  });

  it('the default namespace is the engine region option', () => {
    const engine = Engine.inMemory({ region: 'eu-west-1' });
    create(engine, 'Home');
    const d = engine.execute('DescribeTable', { TableName: 'Home' }) as { Table: { TableArn: string } };
    assert.equal(d.Table.TableArn, 'arn:aws:dynamodb:eu-west-1:000000000000:table/Home');
    assert.deepEqual(engine.execute('ListTables', {}, { region: 'eu-west-1', accountId: '000000000000' }), {
      TableNames: ['Home'],
    });
    engine.close();
  });

  it('every catalog statement that picks a row searches an index', () => {
    const engine = Engine.inMemory();
    const plan = (sql: string): string =>
      (
        engine.ctx.db.sqlite
          .prepare(`EXPLAIN QUERY PLAN ${sql}`)
          .all(...[...sql].filter((c) => c === '?').map(() => null)) as { detail: string }[]
      )
        .map((r) => r.detail)
        .join('; ');
    for (const sql of [
      'UPDATE sk_tables SET description = ?, tags = ? WHERE id = ?',
      'DELETE FROM sk_tables WHERE id = ?',
      'SELECT description FROM sk_tables WHERE account = ? AND region = ? AND name = ?',
    ]) {
      assert.match(plan(sql), /SEARCH sk_tables USING (INDEX|PRIMARY KEY|COVERING INDEX)/, sql);
    }
    engine.close();
  });
});

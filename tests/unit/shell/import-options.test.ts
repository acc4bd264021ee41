// `.import` takes every option of `sortkey import` after its positions (issue #18, point 13).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir, testSession } from './helpers.js';

describe('.import options', () => {
  it('accepts the options of sortkey import (--csv-types, --on-conflict)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'people.csv'), 'email,age,vip\na@x,41,true\nb@x,7,false\n');
    const t = testSession({ cwd: dir });
    const r = await t.session.run('.import people.csv People email:S --csv-types age:N,vip:BOOL');
    assert.equal(r.failed, 0, t.output.err);
    const item = t.engine.execute('GetItem', { TableName: 'People', Key: { email: { S: 'a@x' } } }) as {
      Item: Record<string, unknown>;
    };
    assert.deepEqual(item.Item, { email: { S: 'a@x' }, age: { N: '41' }, vip: { BOOL: true } });

    const again = await t.session.run('.import people.csv People --on-conflict fail --csv-types age:N');
    assert.equal(again.failed, 1);
    assert.match(t.output.err, /people\.csv:2: an item with this key is already in table People/);
    assert.match(t.output.err, /people\.csv:3: an item with this key is already in table People/);
  });

  it('refuses an unknown option before reading anything', async () => {
    const dir = tempDir();
    const t = testSession({ cwd: dir });
    const r = await t.session.run('.import missing.csv People email:S --csv-typo age:N');
    assert.equal(r.failed, 1);
    assert.match(t.output.err, /unknown option '--csv-typo'/);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Item } from '../../../engine/types.js';
import {
  CapacityTotal,
  columnsFor,
  csvHeader,
  csvRow,
  footer,
  renderTable,
} from '../../../main/shell/render.js';
import { displayWidth, makeColors, truncate } from '../../../main/shell/text.js';

const plain = makeColors(false);
const items: Item[] = [
  { total: { N: '19.99' }, pk: { S: 'c#1' }, sk: { S: 'o#1' }, address: { M: { city: { S: 'Oslo' } } } },
  { sk: { S: 'o#2' }, pk: { S: 'c#1' }, total: { N: '5' }, note: { S: 'a\nb' } },
];

describe('columns', () => {
  it('puts key attributes first, then the union of the rest alphabetically', () => {
    assert.deepEqual(columnsFor(items, ['pk', 'sk']), ['pk', 'sk', 'address', 'note', 'total']);
  });

  it('keeps earlier columns in place when a later page brings new ones', () => {
    assert.deepEqual(columnsFor([{ zz: { S: 'x' }, pk: { S: 'y' } }], ['pk'], ['pk', 'total']), [
      'pk',
      'total',
      'zz',
    ]);
  });
});

describe('tables', () => {
  it('aligns columns, right-aligns numbers, leaves missing attributes blank, escapes newlines', () => {
    const { lines } = renderTable(columnsFor(items, ['pk', 'sk']), items, { colors: plain });
    assert.deepEqual(lines, [
      ' pk  │ sk  │ address         │ note │ total',
      '─────┼─────┼─────────────────┼──────┼───────',
      ' c#1 │ o#1 │ {"city":"Oslo"} │      │ 19.99',
      ' c#1 │ o#2 │                 │ a\\nb │     5',
    ]);
  });

  it('shrinks the widest columns to fit the terminal, cutting values with …', () => {
    const wide: Item[] = [{ pk: { S: 'k' }, text: { S: 'x'.repeat(200) } }];
    const { lines } = renderTable(['pk', 'text'], wide, { colors: plain, maxWidth: 40 });
    for (const line of lines) assert.ok(displayWidth(line) <= 40, line);
    assert.match(lines[2]!, /x…$/);
  });

  it('shows records vertically when the columns cannot fit at all', () => {
    const many: Item = {};
    for (let i = 0; i < 20; i++) many[`attribute_${i}`] = { S: `value ${i}` };
    const { lines } = renderTable(Object.keys(many), [many], { colors: plain, maxWidth: 60 });
    assert.match(lines[0]!, /^-\[ 1 \]/);
    assert.ok(lines.includes('attribute_0  │ value 0'));
  });

  it('does not repeat the header when the next chunk has the same layout', () => {
    const first = renderTable(['pk'], [{ pk: { S: 'aaa' } }], { colors: plain });
    const second = renderTable(['pk'], [{ pk: { S: 'bb' } }], { colors: plain, previous: first.layout });
    assert.equal(second.header, false);
    assert.deepEqual(second.lines, [' bb']);
  });

  it('measures wide characters as two columns', () => {
    assert.equal(displayWidth('日本'), 4);
    assert.equal(truncate('日本語テキスト', 5), '日本…');
  });
});

describe('CSV', () => {
  it('quotes fields with commas, quotes, newlines and outer blanks', () => {
    const cols = ['pk', 'v'];
    assert.equal(csvHeader(cols), 'pk,v');
    assert.equal(csvRow(cols, { pk: { S: 'a,b' }, v: { S: 'say "hi"' } }), '"a,b","say ""hi"""');
    assert.equal(csvRow(cols, { pk: { S: ' x' } }), '" x",');
  });
});

describe('footer', () => {
  it('adds up read and write capacity over pages', () => {
    const c = new CapacityTotal();
    c.add({ CapacityUnits: 0.5, ReadCapacityUnits: 0.5 });
    c.add({ CapacityUnits: 1, ReadCapacityUnits: 1 });
    assert.equal(c.toString(), '1.5 RCU');
    const w = new CapacityTotal();
    w.add({ CapacityUnits: 2, WriteCapacityUnits: 2 });
    assert.equal(w.toString(), '2 WCU');
    assert.equal(footer({ rows: '3 rows', ms: 4.25, capacity: '1.5 RCU' }), '3 rows · 4.3 ms · 1.5 RCU');
  });
});

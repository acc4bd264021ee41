// planAccess with malformed arguments (issue #16 point 6): each is a ValidationException from the
// studio backend, never a TypeError that the routes would answer with an internal error.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StudioBackend } from '../../../renderer/src/backend/api.js';
import { Engine } from '../../../engine/index.js';
import { createStudioBackend, StudioError } from '../../../main/studio/backend.js';

const good = {
  kind: 'GSI',
  index: {
    IndexName: 'g-index',
    KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
    Projection: { ProjectionType: 'ALL' },
  },
  attributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
};

const malformed: [string, unknown][] = [
  ['null arguments', null],
  ['a string', 'x'],
  ['statements an object', { statements: { a: 1 } }],
  ['proposed a string', { statements: ['SELECT * FROM T'], table: 'Tab', proposed: 'x' }],
  ['proposed {}', { statements: ['SELECT * FROM T'], table: 'Tab', proposed: {} }],
  ['kind wrong', { statements: [], table: 'Tab', proposed: { ...good, kind: 'X' } }],
  ['index null', { statements: [], table: 'Tab', proposed: { ...good, index: null } }],
  [
    'KeySchema of numbers',
    { statements: [], table: 'Tab', proposed: { ...good, index: { ...good.index, KeySchema: [1] } } },
  ],
  [
    'no Projection',
    {
      statements: ['SELECT * FROM Tab'],
      table: 'Tab',
      proposed: { ...good, index: { ...good.index, Projection: undefined } },
    },
  ],
  [
    'NonKeyAttributes a string',
    {
      statements: [],
      table: 'Tab',
      proposed: {
        ...good,
        index: { ...good.index, Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: 'a' } },
      },
    },
  ],
  [
    'attributeDefinitions an object',
    { statements: [], table: 'Tab', proposed: { ...good, attributeDefinitions: { a: 1 } } },
  ],
  ['table a number', { statements: [], table: 5 }],
];

describe('planAccess with malformed arguments', () => {
  const engine = Engine.inMemory();
  engine.execute('CreateTable', {
    TableName: 'Tab',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
  const backend = createStudioBackend({
    engine,
    info: () => ({ version: 't', mode: 'browser', region: 'us-east-1' }),
  }) as unknown as StudioBackend;

  for (const [name, args] of malformed) {
    it(`${name}: ValidationException`, async () => {
      await assert.rejects(
        () => backend.planAccess(args as never),
        (e: unknown) => e instanceof StudioError && e.type === 'ValidationException',
      );
    });
  }

  it('well-formed arguments still plan', async () => {
    const r = await backend.planAccess({
      statements: ["SELECT * FROM Tab WHERE g = 'x'"],
      table: 'Tab',
      proposed: good as never,
    });
    assert.equal(r.plans.length, 1);
    assert.ok(r.plans[0]!.targets.some((t) => t.proposed));
  });
});

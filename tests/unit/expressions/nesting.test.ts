// Expressions nested deep (issue #23): a ValidationException at any depth, never a stack overflow,
// and the engine keeps serving. The grammar bounds nesting (parentheses and pending NOTs) at
// MAX_EXPRESSION_NESTING before its recursive parser runs; 100,000 levels are refused the same way.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ExpressionError,
  MAX_EXPRESSION_NESTING,
  parseConditionExpression,
  parseUpdateExpression,
} from '../../../grammar/expression/index.js';
import { assertError, call, createSimpleTable, scratchEngine } from '../../support/engine.js';

const DEEP = 100_000;
const N = MAX_EXPRESSION_NESTING;

function grammarError(fn: () => unknown): ExpressionError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ExpressionError) return e;
    throw e;
  }
  assert.fail('expected an ExpressionError');
}

describe('expression nesting in the grammar', () => {
  it('100,000 nested parentheses: redundant parentheses, as DynamoDB says of ((…))', () => {
    const e = grammarError(() => parseConditionExpression(`${'('.repeat(DEEP)}a = :v${')'.repeat(DEEP)}`));
    assert.equal(e.message, 'Invalid ConditionExpression: The expression has redundant parentheses;');
  });

  it('100,000 NOTs, or conditions nested 100,000 levels: too many nesting levels', () => {
    for (const text of [
      `${'NOT '.repeat(DEEP)}a = :v`,
      `${'a = :v AND ('.repeat(DEEP)}a = :v${')'.repeat(DEEP)}`,
      `${'NOT ('.repeat(DEEP)}a = :v${')'.repeat(DEEP)}`,
      `size(${'size('.repeat(DEEP)}a${')'.repeat(DEEP)}) = :v`,
    ]) {
      const e = grammarError(() => parseConditionExpression(text, 'FilterExpression'));
      assert.match(
        e.message,
        /^Invalid FilterExpression: The expression has too many nesting levels; nesting levels: \d+$/,
      );
    }
  });

  it('an UpdateExpression nested 100,000 levels', () => {
    const e = grammarError(() => parseUpdateExpression(`SET a = ${'('.repeat(DEEP)}:v${')'.repeat(DEEP)}`));
    assert.match(e.message, /^Invalid UpdateExpression: The expression has too many nesting levels/);
  });

  it(`${N} levels still parse; ${N + 1} do not`, () => {
    const nots = (n: number): string => `${'NOT '.repeat(n)}a = :v`;
    assert.equal(parseConditionExpression(nots(N)).kind, 'not');
    assert.match(grammarError(() => parseConditionExpression(nots(N + 1))).message, /nesting levels: 257/);
    const left = (n: number): string => `${'('.repeat(n)}a = :v${' AND a = :v)'.repeat(n)}`;
    assert.equal(parseConditionExpression(left(N)).kind, 'and');
    assert.match(grammarError(() => parseConditionExpression(left(N + 1))).message, /nesting levels/);
  });

  it('a chain of 100,000 ANDs is refused, not a stack overflow in the checks', () => {
    const chain = Array.from({ length: DEEP }, () => 'a = :v').join(' AND ');
    assert.match(
      grammarError(() => parseConditionExpression(chain)).message,
      /^Invalid ConditionExpression: /,
    );
  });

  it('AND, OR and a comma end the NOTs they follow', () => {
    const chain = Array.from({ length: 250 }, () => 'NOT a = :v').join(' AND ');
    assert.equal(parseConditionExpression(chain).kind, 'and');
    const calls = Array.from({ length: 250 }, () => 'NOT (a = :v)').join(' OR ');
    assert.equal(parseConditionExpression(calls).kind, 'or');
  });
});

describe('expression nesting through the engine', () => {
  const e = scratchEngine();
  createSimpleTable(e, 'Things');
  const put = (ConditionExpression: string): unknown =>
    call(e, 'PutItem', {
      TableName: 'Things',
      Item: { pk: { S: 'a' }, a: { S: 'x' } },
      ConditionExpression,
      ExpressionAttributeValues: { ':v': { S: 'x' } },
    });

  it('2,000 parentheses (within 4 KB) are redundant ones', () => {
    assertError(
      () => put(`${'('.repeat(2_000)}a = :v${')'.repeat(2_000)}`),
      'ValidationException',
      '1 validation error detected: Invalid ConditionExpression: The expression has redundant parentheses;',
    );
  });

  it('300 nested conditions and 1,000 NOTs (within 4 KB) are refused as too deep', () => {
    assertError(
      () => put(`${'a = :v AND ('.repeat(300)}a = :v${')'.repeat(300)}`),
      'ValidationException',
      /^1 validation error detected: Invalid ConditionExpression: The expression has too many nesting levels; nesting levels: \d+$/,
    );
    assertError(() => put(`${'NOT '.repeat(1_000)}a = :v`), 'ValidationException', /too many nesting levels/);
    assertError(
      () =>
        call(e, 'Scan', {
          TableName: 'Things',
          FilterExpression: `${'NOT ('.repeat(400)}a = :v${')'.repeat(400)}`,
          ExpressionAttributeValues: { ':v': { S: 'x' } },
        }),
      'ValidationException',
      /^Invalid FilterExpression: The expression has too many nesting levels/,
    );
  });

  it(`${N} NOTs are evaluated, and the engine keeps serving`, () => {
    call(e, 'PutItem', { TableName: 'Things', Item: { pk: { S: 'a' }, a: { S: 'x' } } });
    put(`${'NOT '.repeat(N)}a = :v`); // an even number of NOTs: a = :v, true
    assertError(() => put(`${'NOT '.repeat(N - 1)}a = :v`), 'ConditionalCheckFailedException');
    assert.deepEqual(call(e, 'GetItem', { TableName: 'Things', Key: { pk: { S: 'a' } } }).Item, {
      pk: { S: 'a' },
      a: { S: 'x' },
    });
  });
});

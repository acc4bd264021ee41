import assert from 'node:assert/strict';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { defaultDatabasePath, sortkeyHome } from '../../../main/defaults.js';
import { asDynamoError, errorBody, errorTypeId, nextRequestId } from '../../../main/server/protocol.js';
import { DynamoError } from '../../../engine/errors.js';

describe('error names on the wire', () => {
  it('uses the real service’s prefixes', () => {
    assert.equal(errorTypeId('ValidationException'), 'com.amazon.coral.validate#ValidationException');
    assert.equal(errorTypeId('SerializationException'), 'com.amazon.coral.service#SerializationException');
    assert.equal(
      errorTypeId('UnknownOperationException'),
      'com.amazon.coral.service#UnknownOperationException',
    );
    assert.equal(
      errorTypeId('UnrecognizedClientException'),
      'com.amazon.coral.service#UnrecognizedClientException',
    );
    assert.equal(errorTypeId('ThrottlingException'), 'com.amazon.coral.availability#ThrottlingException');
    assert.equal(
      errorTypeId('ResourceNotFoundException'),
      'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException',
    );
    assert.equal(
      errorTypeId('ConditionalCheckFailedException'),
      'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException',
    );
    assert.equal(errorTypeId('InternalServerError'), 'com.amazonaws.dynamodb.v20120810#InternalServerError');
  });

  it('serialises message and extra fields', () => {
    assert.equal(
      errorBody({
        type: 'ConditionalCheckFailedException',
        message: 'The conditional request failed',
        status: 400,
        extra: { Item: { a: { S: 'x' } } },
      }),
      '{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed","Item":{"a":{"S":"x"}}}',
    );
    assert.equal(
      errorBody({ type: 'UnknownOperationException', message: '', status: 400 }),
      '{"__type":"com.amazon.coral.service#UnknownOperationException"}',
    );
    assert.equal(
      errorBody({
        type: 'TransactionCanceledException',
        message: 'm',
        status: 400,
        extra: { Message: 'M', __type: 'no', message: 'no' },
      }),
      '{"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException","Message":"M"}',
    );
  });

  it('recognises the engine’s DynamoError, and only errors shaped like it', () => {
    const wire = asDynamoError(new DynamoError('ResourceInUseException', 'in use', { X: 1 }));
    assert.deepEqual(wire, {
      type: 'ResourceInUseException',
      message: 'in use',
      status: 400,
      extra: { X: 1 },
    });
    assert.equal(asDynamoError(new DynamoError('InternalServerError', 'x'))?.status, 500);
    assert.equal(asDynamoError(new Error('plain')), undefined);
    assert.equal(asDynamoError({ type: 'X', statusCode: 400 }), undefined);
  });
});

describe('request ids', () => {
  it('look like DynamoDB’s and do not repeat', () => {
    const ids = new Set(Array.from({ length: 1000 }, nextRequestId));
    assert.equal(ids.size, 1000);
    for (const id of ids) assert.match(id, /^[0-9A-Z]{52}$/);
  });
});

describe('default database', () => {
  it('lives in $SORTKEY_HOME or ~/.sortkey', () => {
    assert.equal(sortkeyHome({}), join(homedir(), '.sortkey'));
    assert.equal(defaultDatabasePath({}), join(homedir(), '.sortkey', 'default.sqlite'));
    assert.equal(defaultDatabasePath({ SORTKEY_HOME: '/data/sk' }), '/data/sk/default.sqlite');
  });
});

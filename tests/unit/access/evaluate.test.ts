// The IAM evaluator on its own: operators, set qualifiers, missing keys, wildcards, variables,
// explicit deny, principals of resource policies.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate, wildcardMatch } from '../../../engine/access/evaluate.js';
import type { AccessRequest, ContextValue } from '../../../engine/access/evaluate.js';
import { PolicyError, parsePolicy } from '../../../engine/access/policy.js';
import { principalOf } from '../../../engine/access/authorize.js';

const ARN = 'arn:aws:dynamodb:us-east-1:111122223333:table/T';
const me = principalOf('KEY', '111122223333');
const req = (action: string, keys: Record<string, ContextValue> = {}, resource = ARN): AccessRequest => ({
  action,
  resource,
  keys: new Map(Object.entries(keys).map(([k, v]) => [k.toLowerCase(), v])),
});
const identity = (...Statement: object[]) => [parsePolicy({ Version: '2012-10-17', Statement }, 'identity')];
const allowed = (r: AccessRequest, docs: ReturnType<typeof identity>, global: Record<string, string> = {}) =>
  evaluate(r, me, docs, undefined, new Map(Object.entries(global).map(([k, v]) => [k.toLowerCase(), v])))
    .allowed;
const cond = (Condition: object, Action = 'dynamodb:*') =>
  identity({ Effect: 'Allow', Action, Resource: '*', Condition });

describe('access evaluation', () => {
  it('matches IAM wildcards: * spans / and :, ? one character, actions ignore case', () => {
    assert.ok(wildcardMatch('arn:aws:dynamodb:*:*:table/T/index/*', `${ARN}/index/I`, false));
    assert.ok(!wildcardMatch(ARN, `${ARN}/index/I`, false));
    assert.ok(wildcardMatch('dynamodb:get*', 'dynamodb:GetItem', true));
    assert.ok(wildcardMatch('dynamodb:?etItem', 'dynamodb:GetItem', true));
    assert.ok(!wildcardMatch('dynamodb:Get*', 'dynamodb:BatchGetItem', true));
  });

  it('default deny, allow, explicit deny wins', () => {
    assert.deepEqual(
      evaluate(
        req('dynamodb:GetItem'),
        me,
        identity({ Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: '*' }),
        undefined,
        new Map(),
      ),
      {
        allowed: false,
        explicit: undefined,
      },
    );
    const docs = identity(
      { Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' },
      { Effect: 'Deny', Action: 'dynamodb:GetItem', Resource: ARN },
    );
    assert.deepEqual(evaluate(req('dynamodb:GetItem'), me, docs, undefined, new Map()), {
      allowed: false,
      explicit: 'identity-based',
    });
    assert.ok(allowed(req('dynamodb:PutItem'), docs));
  });

  it('NotAction and NotResource', () => {
    const docs = identity({ Effect: 'Allow', NotAction: 'dynamodb:Delete*', NotResource: `${ARN}/index/*` });
    assert.ok(allowed(req('dynamodb:PutItem'), docs));
    assert.ok(!allowed(req('dynamodb:DeleteItem'), docs));
    assert.ok(!allowed(req('dynamodb:Query', {}, `${ARN}/index/I`), docs));
  });

  it('ForAllValues holds for an absent key; ForAnyValue does not', () => {
    const all = cond({ 'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['a', 'b'] } });
    assert.ok(allowed(req('dynamodb:GetItem'), all));
    assert.ok(allowed(req('dynamodb:GetItem', { 'dynamodb:Attributes': ['a'] }), all));
    assert.ok(!allowed(req('dynamodb:GetItem', { 'dynamodb:Attributes': ['a', 'c'] }), all));
    const any = cond({ 'ForAnyValue:StringEquals': { 'dynamodb:Attributes': ['a'] } });
    assert.ok(!allowed(req('dynamodb:GetItem'), any));
    assert.ok(allowed(req('dynamodb:GetItem', { 'dynamodb:Attributes': ['c', 'a'] }), any));
  });

  it('IfExists, negated operators and Null on a missing key', () => {
    assert.ok(
      allowed(req('dynamodb:GetItem'), cond({ StringEqualsIfExists: { 'dynamodb:Select': 'COUNT' } })),
    );
    assert.ok(!allowed(req('dynamodb:GetItem'), cond({ StringEquals: { 'dynamodb:Select': 'COUNT' } })));
    assert.ok(allowed(req('dynamodb:GetItem'), cond({ StringNotEquals: { 'dynamodb:Select': 'COUNT' } })));
    assert.ok(allowed(req('dynamodb:GetItem'), cond({ Null: { 'dynamodb:Select': 'true' } })));
    assert.ok(
      !allowed(
        req('dynamodb:GetItem', { 'dynamodb:Select': 'COUNT' }),
        cond({ Null: { 'dynamodb:Select': 'true' } }),
      ),
    );
  });

  it('StringLike, Bool, Numeric, Date, IpAddress, case-insensitive key names', () => {
    assert.ok(
      allowed(
        req('dynamodb:GetItem', { 'dynamodb:LeadingKeys': ['user-1'] }),
        cond({ StringLike: { 'DynamoDB:LeadingKeys': 'user-*' } }),
      ),
    );
    assert.ok(
      !allowed(
        req('dynamodb:GetItem', { 'dynamodb:FullTableScan': 'true' }),
        cond({ Bool: { 'dynamodb:FullTableScan': 'false' } }),
      ),
    );
    assert.ok(
      allowed(req('dynamodb:GetItem'), cond({ NumericLessThan: { 'aws:EpochTime': '99999999999' } }), {
        'aws:EpochTime': '1000',
      }),
    );
    assert.ok(
      allowed(
        req('dynamodb:GetItem'),
        cond({ DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } }),
        {
          'aws:CurrentTime': '2026-12-07T00:00:00Z',
        },
      ),
    );
    assert.ok(
      allowed(req('dynamodb:GetItem'), cond({ IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } }), {
        'aws:SourceIp': '127.0.0.1',
      }),
    );
    assert.ok(
      !allowed(req('dynamodb:GetItem'), cond({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }), {
        'aws:SourceIp': '127.0.0.1',
      }),
    );
  });

  it('substitutes policy variables in 2012-10-17 documents only', () => {
    const docs = cond({ 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': '${aws:username}' } });
    const g = { 'aws:username': 'KEY' };
    assert.ok(allowed(req('dynamodb:GetItem', { 'dynamodb:LeadingKeys': ['KEY'] }), docs, g));
    assert.ok(!allowed(req('dynamodb:GetItem', { 'dynamodb:LeadingKeys': ['OTHER'] }), docs, g));
    const old = [
      parsePolicy(
        { Version: '2008-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '${aws:username}' }] },
        'identity',
      ),
    ];
    assert.ok(!allowed(req('dynamodb:GetItem', {}, 'KEY'), old, g));
  });

  it('resource policies: a named user is allowed; an account Deny binds its users; an account Allow only delegates', () => {
    const resource = (Statement: object[]) => parsePolicy({ Version: '2012-10-17', Statement }, 'resource');
    const none = new Map<string, ContextValue>();
    const grant = resource([
      { Effect: 'Allow', Principal: { AWS: me.arn }, Action: 'dynamodb:GetItem', Resource: ARN },
    ]);
    assert.ok(evaluate(req('dynamodb:GetItem'), me, [], grant, none).allowed);
    const accountAllow = resource([
      { Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: '*', Resource: '*' },
    ]);
    assert.ok(!evaluate(req('dynamodb:GetItem'), me, [], accountAllow, none).allowed);
    const accountDeny = resource([
      { Effect: 'Deny', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: '*', Resource: '*' },
    ]);
    assert.deepEqual(evaluate(req('dynamodb:GetItem'), me, 'unrestricted', accountDeny, none), {
      allowed: false,
      explicit: 'resource-based',
    });
  });

  it('refuses malformed documents with IAM’s reasons', () => {
    assert.throws(() => parsePolicy('{', 'identity'), new PolicyError('This policy contains invalid Json'));
    assert.throws(
      () => parsePolicy({ Statement: [{ Effect: 'Allow', Action: '*' }] }, 'identity'),
      /Missing required field Resource/,
    );
    assert.throws(
      () => parsePolicy({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }, 'resource'),
      /Missing required field Principal/,
    );
    assert.throws(
      () =>
        parsePolicy(
          {
            Statement: [
              { Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEqualz: { a: 'b' } } },
            ],
          },
          'identity',
        ),
      /Invalid Condition type/,
    );
  });
});

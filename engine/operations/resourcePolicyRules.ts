// What PutResourcePolicy, GetResourcePolicy and DeleteResourcePolicy check before they act: the
// members' constraints, the ARN (a table's or a stream's, never an index's), the document's size
// and language, and ExpectedRevisionId. Texts are DynamoDB's (service-features.md §3.5).
import { PolicyError, parsePolicy } from '../access/policy.js';
import { tableOfArn } from '../access/resourcePolicies.js';
import type { StoredPolicy } from '../access/resourcePolicies.js';
import type { EngineContext } from '../context.js';
import { ConstraintErrors, DynamoError, invalidParameter } from '../errors.js';
import type { Table } from '../tables/table.js';
import { asRecord, checkLength, checkRequired } from './common.js';

/** A resource policy may hold at most 20 KB, whitespace included. */
export const MAX_POLICY_BYTES = 20 * 1024;

/** The policy the value of ExpectedRevisionId stands for when none may exist yet. */
export const NO_POLICY = 'NO_POLICY';

export interface PolicyTarget {
  readonly arn: string;
  readonly table: Table;
}

/** Checks the members every resource-policy operation has; returns the request as a record. */
export function checkPolicyRequest(
  input: unknown,
  members: { policy?: boolean; expectedRevision?: boolean },
): Record<string, unknown> {
  const raw = asRecord(input);
  const c = new ConstraintErrors();
  checkRequired(c, raw.ResourceArn, 'resourceArn');
  checkLength(c, raw.ResourceArn, 'resourceArn', 1, 1283);
  if (members.policy) checkRequired(c, raw.Policy, 'policy');
  if (members.expectedRevision) checkLength(c, raw.ExpectedRevisionId, 'expectedRevisionId', 1, 255);
  c.throwIfAny();
  return raw;
}

/** The table (or stream) an ARN names, checked as DynamoDB does. */
export function policyTarget(ctx: EngineContext, arn: string): PolicyTarget {
  if (!arn.startsWith('arn:')) throw invalidParameter(`ARNs must start with 'arn:': ${arn}`);
  const m = /^arn:aws[\w-]*:dynamodb:[^:]*:[^:]*:table\/([a-zA-Z0-9_.-]+)(\/stream\/[^/]+|\/.*)?$/.exec(arn);
  if (!m || (m[2] !== undefined && !m[2].startsWith('/stream/')))
    throw invalidParameter(
      `Invalid resource arn provided, only table or stream is accepted. Provided resource arn: ${arn}`,
    );
  const table = tableOfArn(ctx, arn);
  if (!table || (m[2] === undefined && table.arn !== arn))
    throw new DynamoError(
      'ResourceNotFoundException',
      `Requested resource not found: Table: ${m[1]} not found`,
    );
  if (m[2] !== undefined) {
    const stream = ctx.prepare('SELECT 1 FROM sk_streams WHERE arn = ?').get(arn);
    // Our wording: DynamoDB's for a missing stream is not documented.
    if (!stream)
      throw new DynamoError(
        'ResourceNotFoundException',
        `Requested resource not found: Stream: ${arn} not found`,
      );
  }
  return { arn, table };
}

/** A document DynamoDB would store: at most 20 KB, JSON, IAM's policy language. */
export function checkPolicyDocument(policy: string): void {
  if (Buffer.byteLength(policy, 'utf8') > MAX_POLICY_BYTES)
    throw invalidParameter(`Maximum policy size of ${MAX_POLICY_BYTES} bytes exceeded`);
  try {
    parsePolicy(policy, 'resource');
  } catch (e) {
    if (e instanceof PolicyError) throw invalidParameter(`Invalid policy document: ${e.message}`);
    throw e;
  }
}

/** PolicyNotFoundException when ExpectedRevisionId does not name the stored revision. */
export function checkExpectedRevision(
  target: PolicyTarget,
  expected: string | undefined,
  current: StoredPolicy | undefined,
): void {
  if (expected === undefined) return;
  if (expected === NO_POLICY) {
    if (current)
      throw policyNotFound(
        `Requested policy update expecting none to be present for table ${target.table.name}, but a policy exists with revision id ${current.revision}.`,
      );
    return;
  }
  if (!current) throw policyNotFound(target.arn);
  if (current.revision !== expected)
    throw policyNotFound(
      `Requested update for policy with revision id ${expected}, but the policy associated to target table ${target.table.name} has revision id ${current.revision}.`,
    );
}

export function policyNotFound(detail: string): DynamoError {
  return new DynamoError(
    'PolicyNotFoundException',
    `Resource-based policy not found for the provided ResourceArn: ${detail}`,
  );
}

// Authorization of one request by IAM's rules: the requests the operation makes of IAM
// (requests.ts), the caller's identity policies and the resources' policies (resourcePolicies.ts),
// evaluated by evaluate.ts. A refusal is DynamoDB's AccessDeniedException.
import type { EngineContext } from '../context.js';
import { DynamoError } from '../errors.js';
import { evaluate } from './evaluate.js';
import type { AccessRequest, ContextValue, Principal } from './evaluate.js';
import type { PolicyDocument } from './policy.js';
import { accessRequestsOf, batchStatementRequests } from './requests.js';
import { governingPolicy } from './resourcePolicies.js';

/** Who sends a request, as the endpoint verified it. */
export interface Caller {
  readonly accessKeyId: string;
  /** The key's identity policies; undefined when none are configured for it (no restriction). */
  readonly policies: readonly PolicyDocument[] | undefined;
  /** The client's address (aws:SourceIp). */
  readonly sourceIp?: string | undefined;
}

/** IAM's user ARN for an access key: Sortkey has no IAM users, so the key id names the user. */
export function principalOf(accessKeyId: string, accountId: string): Principal {
  return { accessKeyId, accountId, arn: `arn:aws:iam::${accountId}:user/${accessKeyId}` };
}

/**
 * The statements of BatchExecuteStatement requests that `authorize` denied, by statement position:
 * the operation answers each with an AccessDenied error of its own. Keyed by the request's input
 * object, which the endpoint hands to `authorize` and then, unchanged, to the engine.
 */
const deniedStatements = new WeakMap<object, ReadonlyMap<number, DynamoError>>();

/** The statements of a BatchExecuteStatement input that its caller may not run (none: undefined). */
export function deniedStatementsOf(input: unknown): ReadonlyMap<number, DynamoError> | undefined {
  return input !== null && typeof input === 'object' ? deniedStatements.get(input) : undefined;
}

/**
 * Throws AccessDeniedException unless `caller` may run `operation` with `input` in the current
 * namespace. `sortkey` operations (Explain, SetFaults, …) are authorised as `sortkey:<Operation>` on `*`.
 * BatchExecuteStatement is never refused as a whole: each statement is authorised on its own, as
 * DynamoDB does (BatchStatementError code AccessDenied), and the denied ones are remembered for
 * the operation (`deniedStatementsOf`).
 */
export function authorize(
  ctx: EngineContext,
  operation: string,
  input: unknown,
  caller: Caller,
  service: 'dynamodb' | 'sortkey' = 'dynamodb',
): void {
  const principal = principalOf(caller.accessKeyId, ctx.accountId);
  const identity = caller.policies ?? 'unrestricted';
  let global: Map<string, ContextValue> | undefined;
  const refusalOf = (requests: readonly AccessRequest[]): DynamoError | undefined => {
    for (const request of requests) {
      const resourcePolicy = request.resource === '*' ? undefined : governingPolicy(ctx, request.resource);
      // Nothing to evaluate: a key without policies on a resource without one.
      if (identity === 'unrestricted' && !resourcePolicy) continue;
      global ??= globalKeys(ctx, principal, caller);
      const decision = evaluate(request, principal, identity, resourcePolicy, global);
      if (!decision.allowed) {
        const why = decision.explicit
          ? `with an explicit deny in a ${decision.explicit} policy`
          : `because no identity-based policy allows the ${request.action} action`;
        return new DynamoError(
          'AccessDeniedException',
          `User: ${principal.arn} is not authorized to perform: ${request.action} on resource: ${request.resource} ${why}`,
        );
      }
    }
    return undefined;
  };
  if (service === 'dynamodb' && operation === 'BatchExecuteStatement') {
    const denied = new Map<number, DynamoError>();
    batchStatementRequests(ctx, input).forEach((requests, i) => {
      const refusal = refusalOf(requests);
      if (refusal) denied.set(i, refusal);
    });
    if (denied.size > 0) deniedStatements.set(input as object, denied);
    else if (input !== null && typeof input === 'object') deniedStatements.delete(input);
    return;
  }
  const requests: AccessRequest[] =
    service === 'sortkey'
      ? [{ action: `sortkey:${operation}`, resource: '*', keys: new Map() }]
      : accessRequestsOf(ctx, operation, input);
  const refusal = refusalOf(requests);
  if (refusal) throw refusal;
}

/** The global condition keys (aws:…) of a request, lower-cased. */
function globalKeys(ctx: EngineContext, principal: Principal, caller: Caller): Map<string, ContextValue> {
  const now = ctx.now();
  const keys = new Map<string, ContextValue>([
    ['aws:username', caller.accessKeyId],
    ['aws:userid', caller.accessKeyId],
    ['aws:principalarn', principal.arn],
    ['aws:principalaccount', principal.accountId],
    ['aws:principaltype', 'User'],
    ['aws:currenttime', new Date(now).toISOString()],
    ['aws:epochtime', String(Math.floor(now / 1000))],
    ['aws:securetransport', 'false'],
    ['aws:requestedregion', ctx.region],
  ]);
  if (caller.sourceIp) keys.set('aws:sourceip', normalizeIp(caller.sourceIp));
  return keys;
}

function normalizeIp(ip: string): string {
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

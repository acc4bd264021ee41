// PutResourcePolicy: attaches a resource-based policy to a table or stream. The same document again
// is a no-op that answers the same RevisionId; ExpectedRevisionId makes the change conditional
// (NO_POLICY: only while none exists). Evaluated with identity policies by engine/access.
import { nextRevision, savePolicy, storedPolicy } from '../access/resourcePolicies.js';
import type { EngineContext } from '../context.js';
import type { Sdk, Wire } from '../types.js';
import {
  checkExpectedRevision,
  checkPolicyDocument,
  checkPolicyRequest,
  policyTarget,
} from './resourcePolicyRules.js';

export function putResourcePolicy(
  ctx: EngineContext,
  input: Wire<Sdk.PutResourcePolicyInput>,
): Wire<Sdk.PutResourcePolicyOutput> {
  checkPolicyRequest(input, { policy: true, expectedRevision: true });
  const policy = input.Policy!;
  checkPolicyDocument(policy);
  const target = policyTarget(ctx, input.ResourceArn!);
  // Not modelled: DynamoDB's 15-second pause between two changes of one resource's policy, and the
  // self-lockout check of ConfirmRemoveSelfResourceAccess (no principal reaches an operation).
  return ctx.db.transaction(() => {
    const current = storedPolicy(ctx, target.table, target.arn);
    checkExpectedRevision(target, input.ExpectedRevisionId, current);
    if (current && current.policy === policy) return { RevisionId: current.revision };
    const revision = nextRevision(ctx, current?.revision);
    savePolicy(ctx, target.table, target.arn, policy, revision);
    return { RevisionId: revision };
  });
}

// DeleteResourcePolicy: removes a table's or stream's policy. Idempotent (no policy: an empty
// answer) unless ExpectedRevisionId is given, which must name the stored revision.
import { deletePolicy, nextRevision, storedPolicy } from '../access/resourcePolicies.js';
import type { EngineContext } from '../context.js';
import type { Sdk, Wire } from '../types.js';
import {
  checkExpectedRevision,
  checkPolicyRequest,
  policyNotFound,
  policyTarget,
} from './resourcePolicyRules.js';

export function deleteResourcePolicy(
  ctx: EngineContext,
  input: Wire<Sdk.DeleteResourcePolicyInput>,
): Wire<Sdk.DeleteResourcePolicyOutput> {
  checkPolicyRequest(input, { expectedRevision: true });
  const target = policyTarget(ctx, input.ResourceArn!);
  return ctx.db.transaction(() => {
    const current = storedPolicy(ctx, target.table, target.arn);
    const expected = input.ExpectedRevisionId;
    if (!current) {
      if (expected !== undefined) throw policyNotFound(target.arn);
      return {};
    }
    checkExpectedRevision(target, expected, current);
    deletePolicy(ctx, target.arn);
    // The revision of the deletion itself (the API's RevisionId "of the policy"): our reading.
    return { RevisionId: nextRevision(ctx, current.revision) };
  });
}

// GetResourcePolicy: the document attached to a table or stream, and its RevisionId.
import { storedPolicy } from '../access/resourcePolicies.js';
import type { EngineContext } from '../context.js';
import type { Sdk, Wire } from '../types.js';
import { checkPolicyRequest, policyNotFound, policyTarget } from './resourcePolicyRules.js';

export function getResourcePolicy(
  ctx: EngineContext,
  input: Wire<Sdk.GetResourcePolicyInput>,
): Wire<Sdk.GetResourcePolicyOutput> {
  checkPolicyRequest(input, {});
  const target = policyTarget(ctx, input.ResourceArn!);
  const current = storedPolicy(ctx, target.table, target.arn);
  if (!current) throw policyNotFound(target.arn);
  return { Policy: current.policy, RevisionId: current.revision };
}

// What a caller's own policies say about one request: its identity-based policies, then its permissions boundary and
// session policies, each of which can only narrow what the identity policies allow (IAM User Guide, "Policy
// evaluation logic"). Shared by the control APIs' permission checks and execute-api's AWS_IAM methods.
import { evaluate, type AuthorizationRequest } from '../auth/policy/evaluate.ts';
import type { KnownCaller } from './directory.ts';

export type IdentityVerdict =
  | { decision: 'Allow' }
  | { decision: 'ExplicitDeny' | 'ImplicitDeny'; by: 'identity-based policy' | 'permissions boundary' | 'session policy' };

export function identityDecision(known: KnownCaller, request: AuthorizationRequest): IdentityVerdict {
  // The account root may do everything.
  if (known.identityPolicies === undefined) return { decision: 'Allow' };
  const own = evaluate(request, known.identityPolicies).decision;
  if (own !== 'Allow') return { decision: own, by: 'identity-based policy' };
  for (const [limit, by] of [
    [known.permissionsBoundary, 'permissions boundary'],
    [known.sessionPolicies, 'session policy'],
  ] as const) {
    if (!limit) continue;
    const d = evaluate(request, limit).decision;
    if (d !== 'Allow') return { decision: d, by };
  }
  return { decision: 'Allow' };
}

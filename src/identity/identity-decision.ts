// What a caller's own policies say about one request: its identity-based policies, then its permissions boundary and
// session policies, each of which can only narrow what the identity policies allow (IAM User Guide, "Policy
// evaluation logic"). Shared by the control APIs' permission checks and execute-api's AWS_IAM methods.
import { evaluateIn, lowerKeys, type AuthorizationRequest } from '../auth/policy/evaluate.ts';
import type { ContextValue } from '../auth/policy/conditions.ts';
import type { KnownCaller } from './directory.ts';

export type IdentityVerdict =
  | { decision: 'Allow' }
  | { decision: 'ExplicitDeny' | 'ImplicitDeny'; by: 'identity-based policy' | 'permissions boundary' | 'session policy' };

/** `context`: the condition keys keyed by lowercased name, when the caller has them so (else request.context's). */
export function identityDecision(known: KnownCaller, request: AuthorizationRequest, context?: Map<string, ContextValue>): IdentityVerdict {
  // The account root may do everything.
  if (known.identityPolicies === undefined) return { decision: 'Allow' };
  const keys = context ?? lowerKeys(request.context);
  const own = evaluateIn(request, keys, known.identityPolicies).decision;
  if (own !== 'Allow') return { decision: own, by: 'identity-based policy' };
  for (const [limit, by] of [
    [known.permissionsBoundary, 'permissions boundary'],
    [known.sessionPolicies, 'session policy'],
  ] as const) {
    if (!limit) continue;
    const d = evaluateIn(request, keys, limit).decision;
    if (d !== 'Allow') return { decision: d, by };
  }
  return { decision: 'Allow' };
}

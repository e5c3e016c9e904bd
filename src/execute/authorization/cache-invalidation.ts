// Who may invalidate a stage cache entry with `Cache-Control: max-age=0` when the method's
// requireAuthorizationForCacheControl is on: a SigV4-signed caller whose IAM policies allow
// `execute-api:InvalidateCache` on the method's ARN (developer guide, "Invalidate an API Gateway cache entry").
// The signature is verified as for AWS_IAM methods (./iam.ts) whatever the method's authorization type; an unsigned
// request, a bad signature or a policy that does not allow is simply unauthorized (the method's
// unauthorizedCacheControlHeaderStrategy then applies), never an error of its own.
import type { Routed } from '../invocation.ts';
import type { KnownCaller } from '../../identity/directory.ts';
import { identityDecision } from '../../identity/identity-decision.ts';
import { authenticateIam } from './iam.ts';
import { methodArn, requestContext, withKeys } from './resource-policy.ts';

export function mayInvalidateCache(inv: Routed): boolean | Promise<boolean> {
  const directory = inv.env.identities;
  if (directory === undefined || inv.req === undefined) return false;
  if (!inv.headers.has('authorization') && !/(?:^|&)X-Amz-Signature=/.test(inv.target.rawQuery)) return false;
  // Verifying fills $context.identity: only AWS_IAM methods show the caller there.
  const identity = inv.identity;
  const restore = () => {
    if (inv.method.authorizationType !== 'AWS_IAM') inv.identity = identity;
  };
  const decide = (known: KnownCaller): boolean => {
    restore();
    const context = withKeys(requestContext(inv, undefined), known.principalContext(new Date(inv.startedAt)));
    return identityDecision(known, { principal: known.principal, action: 'execute-api:InvalidateCache', resource: methodArn(inv), context: {} }, context).decision === 'Allow';
  };
  let known: KnownCaller | Promise<KnownCaller>;
  try {
    known = authenticateIam(inv, directory);
  } catch {
    restore();
    return false;
  }
  if (known instanceof Promise) {
    return known.then(decide, () => {
      restore();
      return false;
    });
  }
  return decide(known);
}

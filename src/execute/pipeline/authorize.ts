// Steps 3-5 of DESIGN.md's list, in AWS's order: the resource policy and the method's authorization (evaluated
// together as the API Gateway developer guide's tables say), then the API key and its usage plan.
// Each authorization type lives in ../authorization/; this file only decides which run and how they combine.
import type { Routed } from '../invocation.ts';
import { ConfigurationError, MissingAuthenticationTokenError } from '../responses/gateway-errors.ts';
import { requireApiKey } from '../authorization/api-key.ts';
import { authorizeWithLambda } from '../authorization/lambda-authorizer.ts';

export function authorize(inv: Routed): void | Promise<void> {
  const { authorizationType, apiKeyRequired } = inv.method;
  let pending: void | Promise<void> = undefined;
  switch (authorizationType) {
    case 'NONE':
      break;
    case 'CUSTOM':
      pending = authorizeWithLambda(inv);
      break;
    default:
      if (authorizationType === 'AWS_IAM' && !inv.headers.has('authorization') && !inv.query.has('X-Amz-Signature')) {
        throw new MissingAuthenticationTokenError();
      }
      throw new ConfigurationError(`${authorizationType} authorization is not available yet in this version of Gatehouse`);
  }
  if (!apiKeyRequired) return pending;
  // The API key is checked after the authorizer (with apiKeySource AUTHORIZER it is the authorizer's usageIdentifierKey).
  return pending instanceof Promise ? pending.then(() => requireApiKey(inv)) : requireApiKey(inv);
}

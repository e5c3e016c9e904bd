// What a Lambda authorizer function answers, checked as API Gateway checks it (developer guide, "Output from an API
// Gateway Lambda authorizer"): `principalId`, a `policyDocument` of `execute-api:Invoke` statements, an optional
// `context` map whose values are strings, numbers or booleans only, and an optional `usageIdentifierKey`. Anything
// else is AUTHORIZER_CONFIGURATION_ERROR (500, `{"message":null}`) with the reason in the execution log, as AWS logs
// "Execution failed due to configuration error: Could not parse policy" for a missing policy (ExpanseLLC/
// lambda_authorizer#1). The policy is parsed once here with the project's policy engine and matched per method
// ARN afterwards (a cached result is re-matched against each request's method).
import { parsePolicy, PolicyError, type PolicyDocument } from '../../auth/policy/document.ts';
import { evaluate } from '../../auth/policy/evaluate.ts';
import { AuthorizerConfigurationError } from '../responses/gateway-errors.ts';

/** Larger outputs are refused rather than cached (the function's payload is already capped at 6 MB by Lambda). */
const MAX_CONTEXT_KEYS = 1000;

export interface AuthorizerResult {
  readonly principalId: string;
  readonly policy: PolicyDocument;
  /** The policy as the function returned it (TestInvokeAuthorizer's `policy`). */
  readonly policyText: string;
  /** `context`, values as $context.authorizer and requestContext.authorizer show them (strings). */
  readonly context: ReadonlyArray<readonly [string, string]>;
  readonly usageIdentifierKey: string | undefined;
}

export type AuthorizerDecision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Parses the function's payload; throws AuthorizerConfigurationError for anything API Gateway would refuse. */
export function parseAuthorizerOutput(payload: Buffer): AuthorizerResult {
  let out: unknown;
  try {
    out = JSON.parse(payload.toString('utf8'));
  } catch {
    throw new AuthorizerConfigurationError('Invalid JSON in response');
  }
  if (!isObject(out)) throw new AuthorizerConfigurationError('Could not parse policy');
  const { principalId, policyDocument, context, usageIdentifierKey } = out;
  if (!isObject(policyDocument)) throw new AuthorizerConfigurationError('Could not parse policy');
  let policy: PolicyDocument;
  const policyText = JSON.stringify(policyDocument);
  try {
    policy = parsePolicy(policyText, 'authorizer');
  } catch (e) {
    if (e instanceof PolicyError) throw new AuthorizerConfigurationError('Could not parse policy');
    throw e;
  }
  if (principalId !== undefined && principalId !== null && typeof principalId !== 'string' && typeof principalId !== 'number') {
    throw new AuthorizerConfigurationError('Invalid principal id in response');
  }
  const entries: Array<readonly [string, string]> = [];
  if (context !== undefined && context !== null) {
    if (!isObject(context)) throw new AuthorizerConfigurationError('Invalid context in response: context must be a map');
    const keys = Object.keys(context);
    if (keys.length > MAX_CONTEXT_KEYS) throw new AuthorizerConfigurationError('Invalid context in response: too many keys');
    for (const key of keys) {
      const v = context[key];
      // "You can't set a JSON object or array as a valid value of any key in the context map" (developer guide).
      if (typeof v === 'string') entries.push([key, v]);
      else if (typeof v === 'number' || typeof v === 'boolean') entries.push([key, String(v)]);
      else throw new AuthorizerConfigurationError(`Invalid context in response: the value of ${key} is not a string, number or boolean`);
    }
  }
  if (usageIdentifierKey !== undefined && usageIdentifierKey !== null && typeof usageIdentifierKey !== 'string') {
    throw new AuthorizerConfigurationError('Invalid usage identifier key in response');
  }
  return {
    principalId: principalId === undefined || principalId === null ? '' : String(principalId),
    policy,
    policyText,
    context: entries,
    usageIdentifierKey: typeof usageIdentifierKey === 'string' ? usageIdentifierKey : undefined,
  };
}

// The policy says what API Gateway may let through; the principal is API Gateway's caller, whom these policies
// never name.
const PRINCIPAL = { arn: '*', account: '*' };

/** The returned policy's decision for `execute-api:Invoke` on one method ARN (explicit deny, then allow). */
export function decide(policy: PolicyDocument, methodArn: string): AuthorizerDecision {
  return evaluate({ principal: PRINCIPAL, action: 'execute-api:Invoke', resource: methodArn, context: {} }, [policy]).decision;
}

// What a Lambda authorizer function answers, checked as API Gateway checks it (developer guide, "Output from an API
// Gateway Lambda authorizer"): `principalId`, a `policyDocument` of `execute-api:Invoke` statements, an optional
// `context` map whose values are strings, numbers, booleans or null only, and an optional `usageIdentifierKey`. Anything
// else is AUTHORIZER_CONFIGURATION_ERROR (500, `{"message":null}`) with the reason in the execution log, as AWS logs
// "Execution failed due to configuration error: Could not parse policy" for a missing policy (ExpanseLLC/
// lambda_authorizer#1). The policy is parsed once here with the project's policy engine and matched per method
// ARN afterwards (a cached result is re-matched against each request's method).
import { parsePolicy, PolicyError, type PolicyDocument } from '../../auth/policy/document.ts';
import { evaluate } from '../../auth/policy/evaluate.ts';
import { AuthorizerConfigurationError } from '../responses/gateway-errors.ts';
import { hashMapOrder } from './java-hash-map.ts';

/** Larger outputs are refused rather than cached (the function's payload is already capped at 6 MB by Lambda). */
const MAX_CONTEXT_KEYS = 1000;

export interface AuthorizerResult {
  readonly principalId: string;
  readonly policy: PolicyDocument;
  /** The policy as the function returned it (TestInvokeAuthorizer's `policy`). */
  readonly policyText: string;
  /**
   * $context.authorizer without its integrationLatency value: `context` (values as strings, null kept), principalId
   * and the integrationLatency key (value undefined here), in API Gateway's (HashMap) order.
   */
  readonly authorizerEntries: ReadonlyArray<readonly [string, string | null | undefined]>;
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
  // "must include the principal identifier (principalId) and a policy document" (developer guide).
  if (typeof principalId !== 'string' && typeof principalId !== 'number') throw new AuthorizerConfigurationError('Invalid principal id in response');
  const values = new Map<string, string | null | undefined>();
  if (context !== undefined && context !== null) {
    if (!isObject(context)) throw new AuthorizerConfigurationError('Invalid context in response: context must be a map');
    const keys = Object.keys(context);
    if (keys.length > MAX_CONTEXT_KEYS) throw new AuthorizerConfigurationError('Invalid context in response: too many keys');
    for (const key of keys) {
      const v = context[key];
      // "You can't set a JSON object or array as a valid value of any key in the context map" (developer guide); the
      // others are stringified, and null stays null (recorded on AWS: DefinitelyTyped/DefinitelyTyped#69823).
      if (typeof v === 'string') values.set(key, v);
      else if (typeof v === 'number' || typeof v === 'boolean') values.set(key, String(v));
      else if (v === null) values.set(key, null);
      else throw new AuthorizerConfigurationError(`Invalid context in response: the value of ${key} is not a string, number or boolean`);
    }
  }
  if (usageIdentifierKey !== undefined && usageIdentifierKey !== null && typeof usageIdentifierKey !== 'string') {
    throw new AuthorizerConfigurationError('Invalid usage identifier key in response');
  }
  const principal = String(principalId);
  values.set('principalId', principal);
  values.set('integrationLatency', undefined);
  return {
    principalId: principal,
    policy,
    policyText,
    authorizerEntries: hashMapOrder([...values.keys()]).map((k) => [k, values.get(k)] as const),
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

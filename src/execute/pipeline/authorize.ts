// Steps 3-5 of DESIGN.md's list, in AWS's order: the endpoint type (PRIVATE APIs only through VPC endpoints), the
// method's authorization and the resource policy, evaluated together as the API Gateway developer guide's
// "How API Gateway resource policies affect authorization workflow" says, then the API key and its usage plan.
// Each authorization type lives in ../authorization/; this file only decides which run and how they combine:
//   NONE                 resource policy alone: an explicit Allow is needed (deny or no statement → 403);
//   AWS_IAM              signature, then Table A (caller and API in one account, as every Gatehouse identity is):
//                        allowed when the identity policies or the resource policy allow and neither denies;
//   CUSTOM (Lambda)      the resource policy's explicit denies first (before the authorizer runs), then the
//                        authorizer's policy, Table A: allowed when it allows, or when it is silent on the method
//                        and the resource policy explicitly allows;
//   COGNITO_USER_POOLS   the token first (401 on failure), then the resource policy alone (explicit Allow needed).
// APIs without a resource policy skip its evaluation.
import type { ContextValue } from '../../auth/policy/conditions.ts';
import type { AuthorizationPhases, Routed } from '../invocation.ts';
import { authenticateIam } from '../authorization/iam.ts';
import { ANONYMOUS, evaluateResourcePolicy, methodArn, notAuthorized, requestContext, resourcePolicyOf, withKeys, type PolicyDecision } from '../authorization/resource-policy.ts';
import { requireApiKey } from '../authorization/api-key.ts';
import { authorizeWithLambda } from '../authorization/lambda-authorizer.ts';
import { identityDecision } from '../../identity/identity-decision.ts';
import type { KnownCaller } from '../../identity/directory.ts';
import { ConfigurationError, ForbiddenError, GATEWAY_RESPONSE_TYPES, GatewayError } from '../responses/gateway-errors.ts';
import { authorizeWithUserPool } from '../authorization/cognito-authorizer.ts';

export function authorize(inv: Routed): void | Promise<void> {
  const networks = inv.env.networks;
  const vpce = networks?.configured ? networks.endpointOf(inv.sourceIp, inv.headers.get('x-amzn-vpce-id')) : undefined;
  // A PRIVATE API answers only requests that came through a VPC endpoint (on AWS its name does not even resolve
  // elsewhere); Gatehouse answers the others as AWS answers a request the API will not serve.
  if (inv.deployment.endpointType === 'PRIVATE' && vpce === undefined) throw new ForbiddenError();
  switch (inv.method.authorizationType) {
    case 'NONE':
      if (resourcePolicyOf(inv.deployment) !== null) phase(inv, 'authorize', () => resourcePolicyAlone(inv, vpce));
      break;
    case 'AWS_IAM': {
      const directory = inv.env.identities;
      if (!directory) throw new ConfigurationError('AWS_IAM authorization needs the identity directory');
      const known = phase(inv, 'authenticate', () => authenticateIam(inv, directory));
      if (known instanceof Promise) return known.then((k) => afterIam(inv, k, vpce));
      return afterIam(inv, known, vpce);
    }
    case 'CUSTOM': {
      // Phase one: the resource policy's explicit denies, before the authorizer is called (its cost and its cache
      // are spared for callers the policy shuts out). Phase two: the authorizer's own policy; an Allow stands unless
      // the resource policy denies, which phase one already ruled out, and the resource policy's Allow admits what
      // the authorizer's policy is silent on.
      let policyAllows = false;
      if (resourcePolicyOf(inv.deployment) !== null) {
        phase(inv, 'authorize', () => {
          const decision = policyDecision(inv, ANONYMOUS, requestContext(inv, vpce));
          if (decision === 'ExplicitDeny') throw notAuthorized('anonymous', inv, true);
          policyAllows = decision === 'Allow';
        });
      }
      const tracer = inv.env.tracer;
      const run = () => authorizeWithLambda(inv, policyAllows);
      const pending = phase(inv, 'authorizer', tracer ? () => tracer.authorizer(inv, run) : run);
      if (pending instanceof Promise) return pending.then(() => apiKey(inv));
      break;
    }
    case 'COGNITO_USER_POOLS': {
      // The token first (401 on failure), then the resource policy alone.
      const tracer = inv.env.tracer;
      const run = () => authorizeWithUserPool(inv);
      const pending = phase(inv, 'authenticate', tracer ? () => tracer.authorizer(inv, run) : run);
      const policy = () => {
        if (resourcePolicyOf(inv.deployment) !== null) phase(inv, 'authorize', () => resourcePolicyAlone(inv, vpce));
      };
      if (pending instanceof Promise) {
        return pending.then(() => {
          policy();
          return apiKey(inv);
        });
      }
      policy();
      break;
    }
    default:
      throw new ConfigurationError(`${inv.method.authorizationType} authorization is not supported`);
  }
  return apiKey(inv);
}

function apiKey(inv: Routed): void | Promise<void> {
  if (inv.method.apiKeyRequired) return requireApiKey(inv);
}

/** The resource policy's verdict for the request (undefined: the API has none). */
function policyDecision(inv: Routed, principal: typeof ANONYMOUS, context: Map<string, ContextValue>): PolicyDecision | undefined {
  const policy = resourcePolicyOf(inv.deployment);
  if (policy === null) return undefined;
  return evaluateResourcePolicy(policy, principal, methodArn(inv), context);
}

/** No authentication: a resource policy, if any, must explicitly allow the anonymous caller. */
function resourcePolicyAlone(inv: Routed, vpce: { id: string; vpcId: string | undefined } | undefined): void {
  // Most APIs have no resource policy: skip building the condition context (the hot path of every NONE method).
  if (resourcePolicyOf(inv.deployment) === null) return;
  const decision = policyDecision(inv, ANONYMOUS, requestContext(inv, vpce));
  if (decision === undefined || decision === 'Allow') return;
  throw notAuthorized('anonymous', inv, decision === 'ExplicitDeny');
}

/** After the signature: the policies (one authorization phase), then the API key. */
function afterIam(inv: Routed, known: KnownCaller, vpce: { id: string; vpcId: string | undefined } | undefined): void | Promise<void> {
  phase(inv, 'authorize', () => iamPolicies(inv, known, vpce));
  return apiKey(inv);
}

/** Table A: identity policies and resource policy of one account; an explicit deny in either wins. */
function iamPolicies(inv: Routed, known: KnownCaller, vpce: { id: string; vpcId: string | undefined } | undefined): void {
  const context = withKeys(requestContext(inv, vpce), known.principalContext(new Date(inv.startedAt)));
  const resource = methodArn(inv);
  const identity = identityDecision(known, { principal: known.principal, action: 'execute-api:Invoke', resource, context: {} }, context).decision;
  const policy = policyDecision(inv, known.principal, context);
  const explicit = identity === 'ExplicitDeny' || policy === 'ExplicitDeny';
  const allowed = !explicit && (identity === 'Allow' || policy === 'Allow');
  if (!allowed) throw notAuthorized(known.principal.arn, inv, explicit);
}

/**
 * Runs one authorization phase and records it for access logs: its latency, the status it ended with (200 when it
 * let the request on, else the refusal's) and the refusal's message. Synchronous phases stay synchronous.
 */
function phase<T>(inv: Routed, name: keyof AuthorizationPhases, run: () => T): T {
  const started = performance.now();
  const done = (status: number, error: string | undefined) => {
    (inv.authorizationPhases ??= {})[name] = { latency: Math.round(performance.now() - started), status, error };
  };
  const failed = (err: unknown): never => {
    if (err instanceof GatewayError) done(err.status ?? GATEWAY_RESPONSE_TYPES[err.responseType].status, err.message);
    else done(500, undefined);
    throw err;
  };
  let result: T;
  try {
    result = run();
  } catch (err) {
    return failed(err);
  }
  if (result instanceof Promise) {
    return result.then((value: unknown) => {
      done(200, undefined);
      return value;
    }, failed) as T;
  }
  done(200, undefined);
  return result;
}


// The API's resource policy (execute-api:Invoke), parsed once per deployment and evaluated per request against the
// method ARN `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{VERB}/{path}`. It is frozen with the
// deployment: as on AWS, a changed policy applies once the API is deployed again.
import { parsePolicy, PolicyError, type PolicyDocument } from '../../auth/policy/document.ts';
import { evaluate, type RequestPrincipal } from '../../auth/policy/evaluate.ts';
import type { ContextValue } from '../../auth/policy/conditions.ts';
import { policyDocument } from '../../control/restapis.ts';
import type { CompiledDeployment } from '../compile/deployment.ts';
import type { Routed } from '../invocation.ts';
import { GatewayError } from '../responses/gateway-errors.ts';
import { plainIp } from './networks.ts';

export type PolicyDecision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

/** The policy of a deployment: parsed, or the reason it cannot be (then it allows no one). */
type Compiled = { policies: PolicyDocument[] } | { broken: string };
const compiled = new WeakMap<CompiledDeployment, Compiled | null>();

/** The deployment's resource policy, parsed on first use; null when the API has none. */
export function resourcePolicyOf(deployment: CompiledDeployment, region: string, accountId: string): Compiled | null {
  let hit = compiled.get(deployment);
  if (hit === undefined) {
    hit = deployment.resourcePolicy === undefined ? null : compile(deployment.resourcePolicy, deployment.apiId, region, accountId);
    compiled.set(deployment, hit);
  }
  return hit;
}

function compile(stored: string, apiId: string, region: string, accountId: string): Compiled {
  try {
    const doc = policyDocument(stored) as { Statement?: unknown };
    // The control plane saves `execute-api:/…` expanded already; policies written before that still need it.
    const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
    for (const st of statements as Array<Record<string, unknown>>) {
      if (!st || typeof st !== 'object') continue;
      for (const key of ['Resource', 'NotResource']) {
        const v = st[key];
        const expand = (r: unknown) => (typeof r === 'string' && r.startsWith('execute-api:/') ? `arn:aws:execute-api:${region}:${accountId}:${apiId}${r.slice(12)}` : r);
        if (Array.isArray(v)) st[key] = v.map(expand);
        else if (v !== undefined) st[key] = expand(v);
      }
    }
    return { policies: [parsePolicy(JSON.stringify(doc), `restapi/${apiId}/policy`)] };
  } catch (e) {
    if (e instanceof PolicyError || e instanceof SyntaxError) return { broken: e.message };
    throw e;
  }
}

/** The ARN a request invokes: `{stage}/{VERB}/{path}` with the path as sent (`/dev/GET/` for the root). */
export function methodArn(inv: Routed): string {
  return `arn:aws:execute-api:${inv.stage.region}:${inv.accountId}:${inv.stage.apiId}/${inv.stage.stageName}/${inv.httpMethod}${inv.path}`;
}

/** The anonymous caller of methods without IAM authentication: matches only `"*"` principals. */
export const ANONYMOUS: RequestPrincipal = { arn: 'anonymous', account: '' };

/** The request's own condition keys (the caller's, for IAM callers, come from the identity directory). */
export function requestContext(inv: Routed, vpce: { id: string; vpcId: string | undefined } | undefined): Record<string, ContextValue> {
  const now = inv.startedAt;
  const context: Record<string, ContextValue> = {
    'aws:SourceIp': plainIp(inv.sourceIp),
    'aws:CurrentTime': new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:EpochTime': String(Math.floor(now / 1000)),
    'aws:SecureTransport': String((inv.req?.socket as { encrypted?: boolean } | undefined)?.encrypted === true),
    'aws:UserAgent': inv.headers.get('user-agent'),
    'aws:Referer': inv.headers.get('referer'),
    'aws:RequestedRegion': inv.stage.region,
  };
  if (vpce) {
    context['aws:SourceVpce'] = vpce.id;
    if (vpce.vpcId !== undefined) context['aws:SourceVpc'] = vpce.vpcId;
  }
  return context;
}

export function evaluateResourcePolicy(policy: Compiled, principal: RequestPrincipal, resource: string, context: Record<string, ContextValue>): PolicyDecision {
  // A policy that no longer parses grants nothing (the control plane refuses such policies; an old deployment's may).
  if ('broken' in policy) return 'ImplicitDeny';
  return evaluate({ principal, action: 'execute-api:Invoke', resource, context }, policy.policies).decision;
}

/**
 * AWS's answer when a policy refuses: 403 AccessDeniedException with `{"Message":"User: {who} is not authorized to
 * perform: execute-api:Invoke on resource: {arn}[ with an explicit deny]"}`, the account in the resource ARN masked
 * to its last four digits and the body's key spelled `Message` (recorded from real APIs, e.g.
 * `{"Message":"User: anonymous is not authorized to perform: execute-api:Invoke on resource:
 * arn:aws:execute-api:us-east-1:********3458:zr8nirlpz3/dev/GET/bookmarks/… with an explicit deny"}`).
 */
export function notAuthorized(who: string, inv: Routed, explicit: boolean): GatewayError {
  const account = inv.accountId;
  const arn = `arn:aws:execute-api:${inv.stage.region}:********${account.slice(-4)}:${inv.stage.apiId}/${inv.stage.stageName}/${inv.httpMethod}${inv.path}`;
  const text = `User: ${who} is not authorized to perform: execute-api:Invoke on resource: ${arn}${explicit ? ' with an explicit deny' : ''}`;
  return new GatewayError('ACCESS_DENIED', text, { bodyKey: 'Message' });
}

// The API's resource policy (execute-api:Invoke), parsed once per deployment and evaluated per request against the
// method ARN `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{VERB}/{path}`. It is frozen with the
// deployment: as on AWS, a changed policy applies once the API is deployed again.
import { parsePolicy, PolicyError, type PolicyDocument, type Statement } from '../../auth/policy/document.ts';
import { evaluateIn, statementApplies, type RequestPrincipal } from '../../auth/policy/evaluate.ts';
import type { ContextValue } from '../../auth/policy/conditions.ts';
import { policyDocument } from '../../control/restapis.ts';
import type { CompiledDeployment } from '../compile/deployment.ts';
import type { Routed } from '../invocation.ts';
import { GatewayError } from '../responses/gateway-errors.ts';
import { plainIp } from './networks.ts';

export type PolicyDecision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

/**
 * The policy of a deployment: parsed, or the reason it cannot be (then it allows no one). `byTarget` memoises, per
 * action, principal and method ARN, the statements whose Action, Resource and Principal match — those depend on
 * nothing else, and the same few ARNs and callers recur — stripped to their conditions, which are all a request then
 * evaluates.
 */
type Compiled = { policies: PolicyDocument[]; byTarget: Map<string, PolicyDocument[]> } | { broken: string };
const TARGET_LIMIT = 1_000;
const NO_CONTEXT = new Map<string, ContextValue>();
const compiled = new WeakMap<CompiledDeployment, Compiled | null>();

/** The deployment's resource policy, parsed on first use; null when the API has none. */
export function resourcePolicyOf(deployment: CompiledDeployment): Compiled | null {
  let hit = compiled.get(deployment);
  if (hit === undefined) {
    hit = deployment.resourcePolicy === undefined ? null : compile(deployment.resourcePolicy, deployment.apiId);
    compiled.set(deployment, hit);
  }
  return hit;
}

function compile(stored: string, apiId: string): Compiled {
  try {
    // Stored as AWS stores it: `execute-api:/…` resources already expanded to the API's ARN (control/restapis.ts).
    return { policies: [parsePolicy(JSON.stringify(policyDocument(stored)), `restapi/${apiId}/policy`)], byTarget: new Map() };
  } catch (e) {
    if (e instanceof PolicyError || e instanceof SyntaxError) return { broken: e.message };
    throw e;
  }
}

/** The ARN a request invokes: `{stage}/{VERB}/{path}` with the path as sent (`/dev/GET/` for the root). */
export function methodArn(inv: Routed): string {
  return `arn:aws:execute-api:${inv.stage.region}:${inv.accountId}:${inv.stage.apiId}/${inv.stage.stageName}/${inv.httpMethod}${inv.path}`;
}

const NO_KEYS: Record<string, ContextValue> = {};

/** The anonymous caller of methods without IAM authentication: matches only `"*"` principals. */
export const ANONYMOUS: RequestPrincipal = { arn: 'anonymous', account: '' };

let clockSecond = -1;
let clockTexts = { currentTime: '', epochTime: '' };
/** aws:CurrentTime and aws:EpochTime, formatted once per second. */
function clock(epochMs: number): { currentTime: string; epochTime: string } {
  const second = Math.floor(epochMs / 1000);
  if (second !== clockSecond) {
    clockSecond = second;
    clockTexts = { currentTime: new Date(second * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'), epochTime: String(second) };
  }
  return clockTexts;
}

/**
 * The request's own condition keys, keyed by lowercased name as the evaluator looks them up (the caller's, for IAM
 * callers, come from the identity directory: `withKeys`).
 */
export function requestContext(inv: Routed, vpce: { id: string; vpcId: string | undefined } | undefined): Map<string, ContextValue> {
  const { currentTime, epochTime } = clock(inv.startedAt);
  const context = new Map<string, ContextValue>([
    ['aws:sourceip', plainIp(inv.sourceIp)],
    ['aws:currenttime', currentTime],
    ['aws:epochtime', epochTime],
    ['aws:securetransport', (inv.req?.socket as { encrypted?: boolean } | undefined)?.encrypted === true ? 'true' : 'false'],
    ['aws:useragent', inv.headers.get('user-agent')],
    ['aws:referer', inv.headers.get('referer')],
    ['aws:requestedregion', inv.stage.region],
  ]);
  if (vpce) {
    context.set('aws:sourcevpce', vpce.id);
    if (vpce.vpcId !== undefined) context.set('aws:sourcevpc', vpce.vpcId);
  }
  return context;
}

/** Adds condition keys (any case) to a request context. */
export function withKeys(context: Map<string, ContextValue>, keys: Record<string, ContextValue>): Map<string, ContextValue> {
  for (const k in keys) context.set(k.toLowerCase(), keys[k]);
  return context;
}

export function evaluateResourcePolicy(
  policy: Compiled,
  principal: RequestPrincipal,
  resource: string,
  context: Map<string, ContextValue>,
  action = 'execute-api:Invoke',
): PolicyDecision {
  // A policy that no longer parses grants nothing (the control plane refuses such policies; an old deployment's may).
  if ('broken' in policy) return 'ImplicitDeny';
  const request = { principal, action, resource, context: NO_KEYS };
  const key = `${action}\n${principal.arn}\n${resource}`;
  let candidates = policy.byTarget.get(key);
  if (candidates === undefined) {
    candidates = policy.policies.map((doc) => ({ ...doc, statements: doc.statements.filter((st) => targets(st, request)).map(conditionsOf) }));
    if (policy.byTarget.size >= TARGET_LIMIT) policy.byTarget.clear();
    policy.byTarget.set(key, candidates);
  }
  return evaluateIn(request, context, candidates).decision;
}

/** Whether a statement's Action, Resource and Principal match; statements with policy variables in them always count. */
function targets(st: Statement, request: { principal: RequestPrincipal; action: string; resource: string; context: Record<string, ContextValue> }): boolean {
  if (hasVariables(st)) return true;
  return statementApplies({ ...st, conditions: [] }, request, NO_CONTEXT);
}

function hasVariables(st: Statement): boolean {
  return [...(st.resource ?? []), ...(st.notResource ?? [])].some((r) => r.includes('${'));
}

/** A statement reduced to its conditions (its targets known to match); one with policy variables stays whole. */
function conditionsOf(st: Statement): Statement {
  if (hasVariables(st)) return st;
  return { effect: st.effect, conditions: st.conditions, index: st.index, ...(st.sid !== undefined ? { sid: st.sid } : {}) };
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

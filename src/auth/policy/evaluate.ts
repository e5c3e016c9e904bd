// Policy evaluation, as the IAM User Guide's "Policy evaluation logic" describes it for the policies of one account:
// every statement of every applicable policy that matches the request (Action/NotAction, Resource/NotResource,
// Principal/NotPrincipal, every Condition clause) counts; an explicit Deny wins, then any Allow, else the request is
// implicitly denied. A pure function of the request and the parsed policies; the decision names the statements
// behind it, so callers can say why (execution logs, AccessDenied texts).
import { conditionHolds, parseOperator, type ContextValue } from './conditions.ts';
import type { PolicyDocument, Principal, Statement } from './document.ts';
import { wildcardMatch } from './wildcard.ts';

export interface RequestPrincipal {
  /** `arn:aws:iam::{account}:user/x`, `arn:aws:sts::{account}:assumed-role/r/s`, `arn:aws:iam::{account}:root`. */
  arn: string;
  account: string;
  /** For an assumed-role session: the role's ARN (a policy naming the role matches its sessions). */
  roleArn?: string;
  /** A service principal (`lambda.amazonaws.com`). */
  service?: string;
}

export interface AuthorizationRequest {
  principal: RequestPrincipal;
  action: string;
  resource: string;
  /** Condition keys (`aws:SourceIp`, `aws:username`…), looked up case-insensitively. */
  context: Record<string, ContextValue>;
}

export interface Reason {
  source: string;
  index: number;
  sid?: string;
}

export interface Decision {
  decision: 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';
  allowedBy: Reason[];
  deniedBy: Reason[];
}

export function evaluate(request: AuthorizationRequest, policies: readonly PolicyDocument[]): Decision {
  return evaluateIn(request, lowerKeys(request.context), policies);
}

/**
 * `evaluate` with the condition keys already in a map keyed by lowercased name (`request.context` is then not
 * read): the data plane builds that map once per request instead of once per policy.
 */
export function evaluateIn(request: AuthorizationRequest, context: Map<string, ContextValue>, policies: readonly PolicyDocument[]): Decision {
  const allowedBy: Reason[] = [];
  const deniedBy: Reason[] = [];
  for (const policy of policies) {
    for (const st of policy.statements) {
      if (!statementApplies(st, request, context)) continue;
      const reason = { source: policy.source, index: st.index, ...(st.sid !== undefined ? { sid: st.sid } : {}) };
      (st.effect === 'Deny' ? deniedBy : allowedBy).push(reason);
    }
  }
  return { decision: deniedBy.length ? 'ExplicitDeny' : allowedBy.length ? 'Allow' : 'ImplicitDeny', allowedBy, deniedBy };
}

export function lowerKeys(context: Record<string, ContextValue>): Map<string, ContextValue> {
  const out = new Map<string, ContextValue>();
  for (const [k, v] of Object.entries(context)) out.set(k.toLowerCase(), v);
  return out;
}

export function statementApplies(st: Statement, request: AuthorizationRequest, context: Map<string, ContextValue>): boolean {
  if (st.action && !st.action.some((a) => wildcardMatch(a, request.action, true))) return false;
  if (st.notAction && st.notAction.some((a) => wildcardMatch(a, request.action, true))) return false;
  if (st.resource && !st.resource.some((r) => resourceMatches(r, request.resource, context))) return false;
  if (st.notResource && st.notResource.some((r) => resourceMatches(r, request.resource, context))) return false;
  if (st.principal && !principalMatches(st.principal, request.principal)) return false;
  if (st.notPrincipal && principalMatches(st.notPrincipal, request.principal)) return false;
  for (const c of st.conditions) {
    if (!conditionHolds(parseOperator(c.operator), resolvedValues(c.values, context), context.get(lowerKey(c.key)))) return false;
  }
  return true;
}

/** Condition values with policy variables resolved (the same array when none has a variable: the usual case). */
function resolvedValues(values: string[], context: Map<string, ContextValue>): string[] {
  let variables = false;
  for (const v of values) if (v.includes('${')) variables = true;
  if (!variables) return values;
  const out: string[] = [];
  for (const v of values) {
    const resolved = substitute(v, context);
    if (resolved !== undefined) out.push(resolved);
  }
  return out;
}

const lowered = new Map<string, string>();
/** Condition keys lowercased once per key text. */
function lowerKey(key: string): string {
  let k = lowered.get(key);
  if (k === undefined) {
    k = key.toLowerCase();
    if (lowered.size >= 10_000) lowered.clear();
    lowered.set(key, k);
  }
  return k;
}

function resourceMatches(pattern: string, resource: string, context: Map<string, ContextValue>): boolean {
  const resolved = substitute(pattern, context);
  return resolved !== undefined && wildcardMatch(resolved, resource, false);
}

/**
 * Policy variables: `${aws:username}`, `${aws:PrincipalTag/team}`, with a default (`${aws:username, 'none'}`), and
 * the escapes `${*}`, `${?}`, `${$}`. A variable whose key is absent (and has no default) makes the value match
 * nothing: undefined.
 */
export function substitute(value: string, context: Map<string, ContextValue>): string | undefined {
  if (!value.includes('${')) return value;
  let missing = false;
  const out = value.replace(/\$\{([^}]*)\}/g, (_m, inner: string) => {
    if (inner === '*' || inner === '?' || inner === '$') return inner;
    const [key, ...rest] = inner.split(',');
    const def = rest.join(',').trim();
    const v = context.get(key!.trim().toLowerCase());
    const single = Array.isArray(v) ? (v.length === 1 ? v[0] : undefined) : v;
    if (single !== undefined) return single;
    const quoted = /^'(.*)'$/.exec(def);
    if (quoted) return quoted[1]!;
    missing = true;
    return '';
  });
  return missing ? undefined : out;
}

/** A Principal element against the request's principal (AWS accounts, ARNs, `*`, service principals). */
export function principalMatches(p: Principal, who: RequestPrincipal): boolean {
  if (p.any) return true;
  for (const v of p.byType.AWS ?? []) {
    if (v === '*') return true;
    const account = /^\d{12}$/.test(v) ? v : /^arn:aws:iam::(\d{12}):root$/.exec(v)?.[1];
    if (account !== undefined) {
      if (account === who.account) return true;
      continue;
    }
    if (v === who.arn || (who.roleArn !== undefined && v === who.roleArn)) return true;
  }
  if (who.service !== undefined && (p.byType.Service ?? []).includes(who.service)) return true;
  return false;
}

/** Whether a Principal names this principal itself (not only its account): then no identity policy is needed. */
export function namesPrincipalDirectly(p: Principal | undefined, who: RequestPrincipal): boolean {
  if (!p || p.any) return false;
  return (p.byType.AWS ?? []).some((v) => v === who.arn || (who.roleArn !== undefined && v === who.roleArn));
}

// The identity-based policies of a caller, parsed, and the request-context keys that describe it: a user's inline
// and attached policies and those of its groups; an assumed-role session's role policies; a GetSessionToken
// session's user's. The account root has none (it may do everything). Managed policies count with their default
// version.
import { parsePolicy, PolicyError, type PolicyDocument } from '../auth/policy/document.ts';
import type { RequestPrincipal } from '../auth/policy/evaluate.ts';
import type { ContextValue } from '../auth/policy/conditions.ts';
import type { Tx } from '../store/store.ts';
import type { Caller } from './caller.ts';
import { C, type EntityKind, type StoredRole, type StoredUser } from './records.ts';
import { managedPolicyDocument } from './policies.ts';

async function policiesOfEntity(tx: Tx, kind: EntityKind, name: string, out: PolicyDocument[]): Promise<void> {
  for (const p of await tx.list<{ PolicyDocument: string }>(C.inline, `${kind}/${name}/`)) {
    const parsed = safeParse(p.value.PolicyDocument, `${kind}/${name}/inline/${p.key.slice(`${kind}/${name}/`.length)}`);
    if (parsed) out.push(parsed);
  }
  for (const a of await tx.list<{ PolicyName: string; PolicyArn: string }>(C.attached, `${kind}/${name}/`)) {
    const document = await managedPolicyDocument(tx, a.value.PolicyArn);
    const parsed = document !== undefined ? safeParse(document, a.value.PolicyArn) : undefined;
    if (parsed) out.push(parsed);
  }
}

/** Stored documents were checked when written; one that no longer parses grants nothing. */
function safeParse(text: string, source: string): PolicyDocument | undefined {
  try {
    return parsePolicy(text, source);
  } catch (e) {
    if (e instanceof PolicyError) return undefined;
    throw e;
  }
}

/** The caller's identity-based policies; undefined for the account root (unrestricted). */
export async function identityPolicies(tx: Tx, caller: Caller): Promise<PolicyDocument[] | undefined> {
  if (caller.kind === 'root') return undefined;
  const out: PolicyDocument[] = [];
  const userName = caller.kind === 'user' ? caller.user.UserName : caller.session.kind === 'user' ? caller.session.UserName : undefined;
  if (userName !== undefined) {
    await policiesOfEntity(tx, 'user', userName, out);
    for (const g of await tx.list(C.userGroups, `${userName}/`)) await policiesOfEntity(tx, 'group', g.key.slice(userName.length + 1), out);
  } else if (caller.kind === 'session' && caller.session.RoleName !== undefined) {
    await policiesOfEntity(tx, 'role', caller.session.RoleName, out);
  }
  return out;
}

/**
 * A session's session policies (undefined: none, nothing limits it beyond its identity policies). A managed policy
 * ARN that no longer exists grants nothing.
 */
export async function sessionPolicies(tx: Tx, caller: Caller): Promise<PolicyDocument[] | undefined> {
  if (caller.kind !== 'session') return undefined;
  const s = caller.session;
  if (s.SessionPolicy === undefined && !s.SessionPolicyArns?.length) return undefined;
  const out: PolicyDocument[] = [];
  if (s.SessionPolicy !== undefined) {
    const parsed = safeParse(s.SessionPolicy, `${s.Arn}/session-policy`);
    if (parsed) out.push(parsed);
  }
  for (const arn of s.SessionPolicyArns ?? []) {
    const document = await managedPolicyDocument(tx, arn);
    const parsed = document !== undefined ? safeParse(document, arn) : undefined;
    if (parsed) out.push(parsed);
  }
  return out;
}

/** `aws:PrincipalTag/…` keys: a user's tags; for a role session, the role's tags overridden by the session's. */
export async function principalTags(tx: Tx, caller: Caller): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const add = (tags: Array<{ Key: string; Value: string }> | undefined) => {
    for (const t of tags ?? []) out[`aws:PrincipalTag/${t.Key}`] = t.Value;
  };
  if (caller.kind === 'user') add(caller.user.Tags);
  else if (caller.kind === 'session') {
    if (caller.session.RoleName !== undefined) add((await tx.get<StoredRole>(C.roles, caller.session.RoleName))?.Tags);
    if (caller.session.UserName !== undefined) add((await tx.get<StoredUser>(C.users, caller.session.UserName))?.Tags);
    add(caller.session.Tags);
  }
  return out;
}

/** The caller's permissions boundary (its user's or role's), parsed; undefined when it has none. */
export async function permissionsBoundary(tx: Tx, caller: Caller): Promise<PolicyDocument[] | undefined> {
  let arn: string | undefined;
  if (caller.kind === 'user') arn = caller.user.PermissionsBoundary;
  else if (caller.kind === 'session' && caller.session.RoleName !== undefined) arn = (await tx.get<StoredRole>(C.roles, caller.session.RoleName))?.PermissionsBoundary;
  else if (caller.kind === 'session' && caller.session.UserName !== undefined) arn = (await tx.get<StoredUser>(C.users, caller.session.UserName))?.PermissionsBoundary;
  if (arn === undefined) return undefined;
  const document = await managedPolicyDocument(tx, arn);
  const parsed = document !== undefined ? safeParse(document, arn) : undefined;
  // A boundary that no longer exists allows nothing.
  return parsed ? [parsed] : [];
}

export async function roleArnOf(tx: Tx, caller: Caller): Promise<string | undefined> {
  if (caller.kind !== 'session' || caller.session.RoleName === undefined) return undefined;
  return (await tx.get<StoredRole>(C.roles, caller.session.RoleName))?.Arn;
}

export function requestPrincipal(caller: Caller, accountId: string, roleArn?: string): RequestPrincipal {
  if (caller.kind === 'user') return { arn: caller.user.Arn, account: accountId };
  if (caller.kind === 'session') return { arn: caller.session.Arn, account: accountId, ...(roleArn ? { roleArn } : {}) };
  return { arn: `arn:aws:iam::${accountId}:root`, account: accountId };
}

/** The global condition keys that describe the caller and the request. */
export function principalContext(caller: Caller, accountId: string, now: Date, extra: { sourceIp?: string; secure?: boolean; region?: string; roleArn?: string }): Record<string, ContextValue> {
  const user: StoredUser | undefined = caller.kind === 'user' ? caller.user : undefined;
  return {
    'aws:PrincipalAccount': accountId,
    'aws:PrincipalArn': caller.kind === 'session' && extra.roleArn ? extra.roleArn : requestPrincipal(caller, accountId).arn,
    'aws:PrincipalType': caller.kind === 'user' ? 'User' : caller.kind === 'session' ? (caller.session.kind === 'assumed-role' ? 'AssumedRole' : 'User') : 'Account',
    'aws:userid': caller.kind === 'user' ? caller.user.UserId : caller.kind === 'session' ? caller.session.UserId : accountId,
    'aws:username': user?.UserName ?? (caller.kind === 'session' ? caller.session.UserName : undefined),
    'aws:CurrentTime': now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:EpochTime': String(Math.floor(now.getTime() / 1000)),
    ...(extra.sourceIp !== undefined ? { 'aws:SourceIp': extra.sourceIp } : {}),
    ...(extra.secure !== undefined ? { 'aws:SecureTransport': String(extra.secure) } : {}),
    ...(extra.region !== undefined ? { 'aws:RequestedRegion': extra.region } : {}),
  };
}

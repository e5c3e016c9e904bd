// STS: GetCallerIdentity, AssumeRole and GetSessionToken. Temporary credentials are an `ASIA…` access key, a
// secret and a session token, valid until their expiration; SigV4 verification (src/auth) accepts them only with
// their token and refuses them once expired ("The security token included in the request is expired").
import type { HandlerTable } from '../aws/operation.ts';
import type { Tx } from '../store/store.ts';
import { callerOf, type Caller } from './caller.ts';
import { accessDenied, validationError } from './errors.ts';
import { C, newAccessKeyId, newSecret, newSessionToken, type StoredRole, type StoredSession } from './records.ts';
import { checkSessionDuration } from './roles.ts';
import { parsePolicy } from '../auth/policy/document.ts';
import { evaluate, namesPrincipalDirectly } from '../auth/policy/evaluate.ts';
import { identityPolicies, principalContext, requestPrincipal, roleArnOf } from './identity-policies.ts';

function callerArn(c: Caller): string {
  return c.kind === 'user' ? c.user.Arn : c.kind === 'session' ? c.session.Arn : `arn:aws:iam::${c.accountId}:root`;
}

async function newSession(tx: Tx, now: Date, seconds: number, who: Pick<StoredSession, 'kind' | 'UserId' | 'Arn' | 'RoleName' | 'UserName'>): Promise<StoredSession> {
  // Expired sessions are of no use to anyone: dropped whenever a new one is issued.
  for (const s of await tx.list<StoredSession>(C.sessions)) if (s.value.Expiration <= now.getTime()) await tx.delete(C.sessions, s.key);
  const session: StoredSession = {
    AccessKeyId: newAccessKeyId('ASIA'),
    SecretAccessKey: newSecret(),
    SessionToken: newSessionToken(),
    Expiration: now.getTime() + seconds * 1000,
    ...who,
  };
  await tx.put(C.sessions, session.AccessKeyId, session);
  return session;
}

const credentialsOut = (s: StoredSession) => ({
  AccessKeyId: s.AccessKeyId,
  SecretAccessKey: s.SecretAccessKey,
  SessionToken: s.SessionToken,
  Expiration: new Date(s.Expiration),
});

/**
 * AWS's rule for assuming a role of the same account: the role's trust policy must allow the caller, and unless it
 * names the caller itself (not only its account), an identity policy must allow sts:AssumeRole on the role too;
 * an explicit deny in either refuses. The account root needs no identity policy.
 */
async function mayAssume(tx: Tx, caller: Caller, role: StoredRole, accountId: string, now: Date, region: string, requestKeys: Record<string, string>): Promise<boolean> {
  let trust;
  try {
    trust = parsePolicy(role.AssumeRolePolicyDocument, `${role.Arn}/trust`);
  } catch {
    return false;
  }
  const roleArn = await roleArnOf(tx, caller);
  const principal = requestPrincipal(caller, accountId, roleArn);
  const context = { ...principalContext(caller, accountId, now, { roleArn, region }), ...requestKeys };
  const request = { principal, action: 'sts:AssumeRole', resource: role.Arn, context };
  const byTrust = evaluate(request, [trust]);
  if (byTrust.decision !== 'Allow') return false;
  const policies = await identityPolicies(tx, caller);
  if (policies === undefined) return true;
  const byIdentity = evaluate(request, policies);
  if (byIdentity.decision === 'ExplicitDeny') return false;
  if (byIdentity.decision === 'Allow') return true;
  return byTrust.allowedBy.some((r) => namesPrincipalDirectly(trust.statements[r.index]!.principal, principal));
}

export const stsHandlers: HandlerTable = {
  async GetCallerIdentity(_input, ctx) {
    const caller = await ctx.globalDb.read((tx) => callerOf(tx, ctx.accessKeyId, ctx.accountId));
    const userId = caller.kind === 'user' ? caller.user.UserId : caller.kind === 'session' ? caller.session.UserId : ctx.accountId;
    return { UserId: userId, Account: ctx.accountId, Arn: callerArn(caller) };
  },

  async AssumeRole(input, ctx) {
    return ctx.globalDb.write(async (tx) => {
      const caller = await callerOf(tx, ctx.accessKeyId, ctx.accountId);
      const arn = input.RoleArn as string;
      const m = /^arn:aws:iam::(\d{12}):role(\/(?:[^/]+\/)*)?([^/]+)$/.exec(arn);
      const role = m && m[1] === ctx.accountId ? await tx.get<StoredRole>(C.roles, m[3]!) : undefined;
      const denied = () => accessDenied(`User: ${callerArn(caller)} is not authorized to perform: sts:AssumeRole on resource: ${arn}`);
      if (!role || role.Arn !== arn) throw denied();
      // The request's own condition keys (sts:ExternalId, sts:RoleSessionName, sts:SourceIdentity).
      const requestKeys: Record<string, string> = { 'sts:RoleSessionName': input.RoleSessionName as string };
      if (input.ExternalId !== undefined) requestKeys['sts:ExternalId'] = input.ExternalId as string;
      if (input.SourceIdentity !== undefined) requestKeys['sts:SourceIdentity'] = input.SourceIdentity as string;
      if (!(await mayAssume(tx, caller, role, ctx.accountId, ctx.now(), ctx.region, requestKeys))) throw denied();
      const seconds = (input.DurationSeconds as number | undefined) ?? 3600;
      if (caller.kind === 'session' && caller.session.kind === 'assumed-role' && seconds > 3600) {
        throw validationError('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
      }
      checkSessionDuration(role, seconds);
      const sessionName = input.RoleSessionName as string;
      const session = await newSession(tx, ctx.now(), seconds, {
        kind: 'assumed-role',
        UserId: `${role.RoleId}:${sessionName}`,
        Arn: `arn:aws:sts::${ctx.accountId}:assumed-role/${role.RoleName}/${sessionName}`,
        RoleName: role.RoleName,
      });
      return {
        Credentials: credentialsOut(session),
        AssumedRoleUser: { AssumedRoleId: session.UserId, Arn: session.Arn },
        ...(input.SourceIdentity !== undefined ? { SourceIdentity: input.SourceIdentity } : {}),
      };
    });
  },

  async GetSessionToken(input, ctx) {
    return ctx.globalDb.write(async (tx) => {
      const caller = await callerOf(tx, ctx.accessKeyId, ctx.accountId);
      if (caller.kind === 'session') throw accessDenied('Cannot call GetSessionToken with session credentials');
      const seconds = (input.DurationSeconds as number | undefined) ?? 43_200;
      const session = await newSession(tx, ctx.now(), caller.kind === 'root' ? Math.min(seconds, 3600) : seconds, {
        kind: 'user',
        UserId: caller.kind === 'user' ? caller.user.UserId : ctx.accountId,
        Arn: callerArn(caller),
        ...(caller.kind === 'user' ? { UserName: caller.user.UserName } : {}),
      });
      return { Credentials: credentialsOut(session) };
    });
  },
};

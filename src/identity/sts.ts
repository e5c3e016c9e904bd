// STS: GetCallerIdentity, AssumeRole and GetSessionToken. Temporary credentials are an `ASIA…` access key, a
// secret and a session token, valid until their expiration; SigV4 verification (src/auth) accepts them only with
// their token and refuses them once expired ("The security token included in the request is expired").
import type { HandlerTable } from '../aws/operation.ts';
import type { Tx } from '../store/store.ts';
import { callerOf, type Caller } from './caller.ts';
import { parsePolicy, PolicyError } from '../auth/policy/document.ts';
import { evaluate, namesPrincipalDirectly } from '../auth/policy/evaluate.ts';
import { accessDenied, malformedPolicyDocument, validationError } from './errors.ts';
import { identityPolicies, permissionsBoundary, principalContext, principalTags, requestPrincipal, roleArnOf, sessionPolicies } from './identity-policies.ts';
import { C, newAccessKeyId, newSecret, newSessionToken, type StoredRole, type StoredSession, type Tag } from './records.ts';
import { checkSessionDuration } from './roles.ts';

function callerArn(c: Caller): string {
  return c.kind === 'user' ? c.user.Arn : c.kind === 'session' ? c.session.Arn : `arn:aws:iam::${c.accountId}:root`;
}

type SessionIdentity = Omit<StoredSession, 'AccessKeyId' | 'SecretAccessKey' | 'SessionToken' | 'Expiration'>;

export async function newSession(tx: Tx, now: Date, seconds: number, who: SessionIdentity): Promise<StoredSession> {
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
async function mayAssume(tx: Tx, caller: Caller, role: StoredRole, accountId: string, now: Date, region: string, requestKeys: Record<string, string | string[]>, action = 'sts:AssumeRole'): Promise<boolean> {
  let trust;
  try {
    trust = parsePolicy(role.AssumeRolePolicyDocument, `${role.Arn}/trust`);
  } catch {
    return false;
  }
  const roleArn = await roleArnOf(tx, caller);
  const principal = requestPrincipal(caller, accountId, roleArn);
  const context = { ...principalContext(caller, accountId, now, { roleArn, region }), ...(await principalTags(tx, caller)), ...requestKeys };
  const request = { principal, action, resource: role.Arn, context };
  const byTrust = evaluate(request, [trust]);
  if (byTrust.decision !== 'Allow') return false;
  const policies = await identityPolicies(tx, caller);
  if (policies === undefined) return true;
  const byIdentity = evaluate(request, policies);
  if (byIdentity.decision === 'ExplicitDeny') return false;
  const session = await sessionPolicies(tx, caller);
  if (session && evaluate(request, session).decision !== 'Allow') return false;
  const boundary = await permissionsBoundary(tx, caller);
  if (byIdentity.decision === 'Allow' && boundary && evaluate(request, boundary).decision !== 'Allow') return false;
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
      // Gatehouse has no MFA devices, so no one-time code can be valid.
      if (input.SerialNumber !== undefined || input.TokenCode !== undefined) throw accessDenied('MultiFactorAuthentication failed with invalid MFA one time pass code.');
      if (input.Policy !== undefined) {
        try {
          parsePolicy(input.Policy as string, 'session-policy');
        } catch (e) {
          if (e instanceof PolicyError) throw malformedPolicyDocument(e.message);
          throw e;
        }
      }
      if (!role || role.Arn !== arn) throw denied();
      // The request's own condition keys (sts:ExternalId, sts:RoleSessionName, sts:SourceIdentity).
      const requestKeys: Record<string, string | string[]> = { 'sts:RoleSessionName': input.RoleSessionName as string };
      if (input.ExternalId !== undefined) requestKeys['sts:ExternalId'] = input.ExternalId as string;
      if (input.SourceIdentity !== undefined) requestKeys['sts:SourceIdentity'] = input.SourceIdentity as string;
      if (!(await mayAssume(tx, caller, role, ctx.accountId, ctx.now(), ctx.region, requestKeys))) throw denied();
      // Passing session tags needs sts:TagSession too, by the same rules (aws:RequestTag/…, aws:TagKeys describe them).
      const requestTags = (input.Tags as Tag[] | undefined) ?? [];
      if (requestTags.length) {
        const tagKeys: Record<string, string | string[]> = { ...requestKeys, 'aws:TagKeys': requestTags.map((t) => t.Key) };
        for (const t of requestTags) tagKeys[`aws:RequestTag/${t.Key}`] = t.Value;
        if (!(await mayAssume(tx, caller, role, ctx.accountId, ctx.now(), ctx.region, tagKeys, 'sts:TagSession'))) {
          throw accessDenied(`User: ${callerArn(caller)} is not authorized to perform: sts:TagSession on resource: ${arn}`);
        }
      }
      const seconds = (input.DurationSeconds as number | undefined) ?? 3600;
      if (caller.kind === 'session' && caller.session.kind === 'assumed-role' && seconds > 3600) {
        throw validationError('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
      }
      checkSessionDuration(role, seconds);
      const sessionName = input.RoleSessionName as string;
      // Session tags: the caller's transitive ones (role chaining) carry on, then the request's.
      const inherited = caller.kind === 'session' ? (caller.session.Tags ?? []).filter((t) => caller.session.TransitiveTagKeys?.includes(t.Key)) : [];
      const tags: Tag[] = [...inherited];
      for (const t of (input.Tags as Tag[] | undefined) ?? []) {
        const at = tags.findIndex((x) => x.Key.toLowerCase() === t.Key.toLowerCase());
        if (at === -1) tags.push(t);
        else tags[at] = t;
      }
      const transitive = [...(caller.kind === 'session' ? (caller.session.TransitiveTagKeys ?? []) : []), ...((input.TransitiveTagKeys as string[] | undefined) ?? [])];
      const session = await newSession(tx, ctx.now(), seconds, {
        kind: 'assumed-role',
        UserId: `${role.RoleId}:${sessionName}`,
        Arn: `arn:aws:sts::${ctx.accountId}:assumed-role/${role.RoleName}/${sessionName}`,
        RoleName: role.RoleName,
        ...(input.Policy !== undefined ? { SessionPolicy: input.Policy as string } : {}),
        ...(input.PolicyArns ? { SessionPolicyArns: (input.PolicyArns as Array<{ arn?: string }>).map((p) => p.arn ?? '') } : {}),
        ...(tags.length ? { Tags: tags } : {}),
        ...(transitive.length ? { TransitiveTagKeys: transitive } : {}),
      });
      return {
        Credentials: credentialsOut(session),
        AssumedRoleUser: { AssumedRoleId: session.UserId, Arn: session.Arn },
        ...(input.SourceIdentity !== undefined ? { SourceIdentity: input.SourceIdentity } : {}),
      };
    });
  },

  async GetAccessKeyInfo(input, ctx) {
    // Every key Gatehouse knows belongs to its one account; an unknown key is answered the same, as AWS answers any
    // well-formed key with the account it encodes.
    void input;
    return { Account: ctx.accountId };
  },

  async GetSessionToken(input, ctx) {
    return ctx.globalDb.write(async (tx) => {
      const caller = await callerOf(tx, ctx.accessKeyId, ctx.accountId);
      if (caller.kind === 'session') throw accessDenied('Cannot call GetSessionToken with session credentials');
      if (input.SerialNumber !== undefined || input.TokenCode !== undefined) throw accessDenied('MultiFactorAuthentication failed with invalid MFA one time pass code.');
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

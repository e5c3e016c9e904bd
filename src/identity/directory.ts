// Who each access key is, held in memory: its signing secret, the principal it acts as, and the policies that decide
// what it may do (identity policies, permissions boundary, session policies, all parsed once) with the condition
// keys that describe it. Loaded from the store on a key's first use and kept until a committed write touches any IAM
// collection (then everything is dropped: IAM changes are rare, and a policy change anywhere — a group, a managed
// policy version — may concern any key); a write to STS sessions alone drops only the cached sessions and "unknown
// key" answers. So the data plane's AWS_IAM methods and the control plane's
// permission checks read no store per request once a key has been seen.
import type { PolicyDocument } from '../auth/policy/document.ts';
import type { RequestPrincipal } from '../auth/policy/evaluate.ts';
import type { ContextValue } from '../auth/policy/conditions.ts';
import type { SigningSecret } from '../auth/sigv4-verify.ts';
import type { Store, Tx } from '../store/store.ts';
import { callerOf, type Caller } from './caller.ts';
import { identityPolicies, permissionsBoundary, principalContext, principalTags, requestPrincipal, roleArnOf, sessionPolicies } from './identity-policies.ts';
import { C, type StoredAccessKey, type StoredSession } from './records.ts';

/** An access key's owner, with everything authorization needs about it. */
export interface KnownCaller {
  readonly accessKeyId: string;
  readonly signing: SigningSecret;
  readonly caller: Caller;
  readonly principal: RequestPrincipal;
  /** For role sessions: the role's ARN (aws:PrincipalArn). */
  readonly roleArn: string | undefined;
  /** Identity policies; undefined for the account root (unrestricted). */
  readonly identityPolicies: readonly PolicyDocument[] | undefined;
  readonly permissionsBoundary: readonly PolicyDocument[] | undefined;
  readonly sessionPolicies: readonly PolicyDocument[] | undefined;
  /** aws:PrincipalTag/… keys. */
  readonly principalTags: Readonly<Record<string, string>>;
  /** $context.identity of an AWS_IAM caller (see identityFields). */
  readonly identity: IdentityFields;
  /** The condition keys that describe the principal (time-independent: aws:CurrentTime is added per request). */
  principalContext(now: Date): Record<string, ContextValue>;
}

export interface IdentityFields {
  accountId: string;
  caller: string;
  user: string;
  userArn: string;
  accessKey: string;
}

const IAM_COLLECTIONS: ReadonlySet<string> = new Set(Object.values(C));
const LIMIT = 10_000;

export class IdentityDirectory {
  readonly #store: Store;
  readonly #accountId: string;
  /** Access key id → its caller, null for a key no one has, or the load in flight. */
  #keys = new Map<string, KnownCaller | null | Promise<KnownCaller | null>>();
  readonly #unsubscribe: () => void;

  constructor(store: Store, accountId: string) {
    this.#store = store;
    this.#accountId = accountId;
    this.#unsubscribe = store.onCommit((collections) => {
      let iam = false;
      let other = false;
      for (const c of collections) {
        if (c === C.sessions) iam = true;
        else if (IAM_COLLECTIONS.has(c)) iam = other = true;
      }
      if (!iam) return;
      // A write to sessions alone (AssumeRole, GetSessionToken, the pruning of expired ones) cannot change what a
      // user's long-term key may do: those stay; sessions and "no such key" answers are looked up again.
      if (!other) {
        for (const [k, v] of this.#keys) if (v === null || v instanceof Promise || v.caller.kind === 'session') this.#keys.delete(k);
        return;
      }
      this.#keys = new Map();
    });
  }

  close(): void {
    this.#unsubscribe();
  }

  /** Forgets every key (after a dev-mode reset wiped the store). */
  clear(): void {
    this.#keys = new Map();
  }

  /** The key's caller (null: unknown key); synchronous once loaded. */
  get(accessKeyId: string): KnownCaller | null | Promise<KnownCaller | null> {
    const hit = this.#keys.get(accessKeyId);
    if (hit !== undefined) return hit;
    if (this.#keys.size >= LIMIT) this.#keys = new Map();
    const keys = this.#keys;
    const loading = this.#store.read((tx) => this.#load(tx, accessKeyId)).then(
      (r) => {
        // Only if no commit replaced the map meanwhile (the result may predate that write).
        if (keys.get(accessKeyId) === loading) keys.set(accessKeyId, r);
        return r;
      },
      (e: unknown) => {
        if (keys.get(accessKeyId) === loading) keys.delete(accessKeyId);
        throw e;
      },
    );
    keys.set(accessKeyId, loading);
    return loading;
  }

  async #load(tx: Tx, accessKeyId: string): Promise<KnownCaller | null> {
    const key = await tx.get<StoredAccessKey>(C.accessKeys, accessKeyId);
    const session = key ? undefined : await tx.get<StoredSession>(C.sessions, accessKeyId);
    if (!key && !session) return null;
    const caller = await callerOf(tx, accessKeyId, this.#accountId);
    // A key whose user is gone (or a session record without its key) is no one's.
    if (caller.kind === 'root') return null;
    const signing: SigningSecret = key
      ? { secret: key.SecretAccessKey, active: key.Status === 'Active' }
      : { secret: session!.SecretAccessKey, active: true, session: { token: session!.SessionToken, expiration: session!.Expiration } };
    const roleArn = await roleArnOf(tx, caller);
    const accountId = this.#accountId;
    const principal = requestPrincipal(caller, accountId, roleArn);
    const tags = await principalTags(tx, caller);
    return {
      accessKeyId,
      signing,
      caller,
      principal,
      roleArn,
      identityPolicies: await identityPolicies(tx, caller),
      permissionsBoundary: await permissionsBoundary(tx, caller),
      sessionPolicies: await sessionPolicies(tx, caller),
      principalTags: tags,
      identity: identityFields(caller, accountId, accessKeyId),
      principalContext: lastSecond((now) => ({ ...principalContext(caller, accountId, now, { roleArn }), ...tags })),
    };
  }
}

/**
 * $context.identity for an AWS_IAM caller, as API Gateway fills it: `user` and `caller` are the principal's unique
 * id (an IAM user's `AIDA…`; for a role session `AROA…:session-name`), `userArn` its ARN (the assumed-role ARN for
 * a session), `accountId` the caller's account, `accessKey` the access key id the request was signed with.
 */
export function identityFields(caller: Caller, accountId: string, accessKeyId: string): IdentityFields {
  if (caller.kind === 'user') {
    return { accountId, caller: caller.user.UserId, user: caller.user.UserId, userArn: caller.user.Arn, accessKey: accessKeyId };
  }
  if (caller.kind === 'session') {
    return { accountId, caller: caller.session.UserId, user: caller.session.UserId, userArn: caller.session.Arn, accessKey: accessKeyId };
  }
  // The account root: its user id is the account id.
  return { accountId, caller: accountId, user: accountId, userArn: `arn:aws:iam::${accountId}:root`, accessKey: accessKeyId };
}

/**
 * The principal's condition keys for a time, remembered for the last second asked (aws:CurrentTime has whole
 * seconds): a caller's requests within one second share one object. Callers must not modify it.
 */
function lastSecond(build: (now: Date) => Record<string, ContextValue>): (now: Date) => Record<string, ContextValue> {
  let second = Number.NaN;
  let value: Record<string, ContextValue> = {};
  return (now) => {
    const s = Math.floor(now.getTime() / 1000);
    if (s !== second) {
      second = s;
      value = build(now);
    }
    return value;
  };
}

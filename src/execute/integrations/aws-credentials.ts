// The credentials an AWS service integration signs with, as the integration's `credentials` says:
// - an IAM role ARN: API Gateway assumes the role. A role of Gatehouse's own IAM must trust apigateway.amazonaws.com
//   (sts:AssumeRole in its trust policy), and is assumed through Gatehouse's STS (a session of the role, kept until
//   5 minutes before it expires and dropped when a role changes); the role's permissions are for the service to
//   judge, as on AWS. A role Gatehouse does not know (a real account's role) is signed for with the configured
//   default credentials (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN of Gatehouse's environment).
//   Neither: AWS's 500 "API Gateway does not have permission to assume the provided role".
// - `arn:aws:iam::*:user/*`: the caller's own credentials (AWS_IAM methods: the access key that signed the request).
// - none: the request goes unsigned, and the service answers with its own authentication error, as on AWS.
import { parsePolicy, PolicyError } from '../../auth/policy/document.ts';
import { evaluate } from '../../auth/policy/evaluate.ts';
import type { SigningCredentials } from '../../auth/sigv4-sign.ts';
import { C, type StoredRole } from '../../identity/records.ts';
import { newSession } from '../../identity/sts.ts';
import type { Store } from '../../store/store.ts';
import type { IntegrationRequested } from '../invocation.ts';
import { ConfigurationError } from '../responses/gateway-errors.ts';

const ROLE_ARN = /^arn:aws[a-zA-Z-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/;
const CALLER = /^arn:aws[a-zA-Z-]*:iam::\*:user\/\*$/;
const SERVICE = 'apigateway.amazonaws.com';
const SESSION_SECONDS = 3600;
const RENEW_BEFORE_MS = 5 * 60_000;

export type CredentialsChoice =
  | { readonly kind: 'none' }
  | { readonly kind: 'signed'; readonly credentials: SigningCredentials; readonly source: string };

interface CachedSession {
  readonly credentials: SigningCredentials | null;
  readonly until: number;
}

export class IntegrationCredentials {
  readonly #store: Store;
  readonly #accountId: string;
  readonly #now: () => Date;
  readonly #defaults: SigningCredentials | undefined;
  /** Role ARN → its session, or null for a role Gatehouse does not have (then: the defaults). */
  readonly #sessions = new Map<string, CachedSession | Promise<CachedSession>>();
  readonly #unsubscribe: () => void;

  constructor(store: Store, accountId: string, now: () => Date, defaults: SigningCredentials | undefined) {
    this.#store = store;
    this.#accountId = accountId;
    this.#now = now;
    this.#defaults = defaults;
    // A role created, changed or deleted: sessions are assumed again (trust policies may have changed).
    this.#unsubscribe = store.onCommit((collections) => {
      if (collections.has(C.roles)) this.#sessions.clear();
    });
  }

  close(): void {
    this.#unsubscribe();
    this.#sessions.clear();
  }

  /** Synchronous when the answer is cached (the common case). */
  forRequest(inv: IntegrationRequested): CredentialsChoice | Promise<CredentialsChoice> {
    const setting = inv.method.integration.credentials;
    if (setting === undefined || setting === '') return { kind: 'none' };
    if (CALLER.test(setting)) return this.#caller(inv);
    const m = ROLE_ARN.exec(setting);
    if (!m) throw cannotAssume(setting);
    const now = this.#now().getTime();
    const cached = this.#sessions.get(setting);
    if (cached !== undefined && !(cached instanceof Promise) && cached.until > now) return this.#choice(setting, cached);
    if (cached instanceof Promise) return cached.then((s) => this.#choice(setting, s));
    const pending = this.#assume(setting, m[1]!, m[2]!).then(
      (s) => {
        this.#sessions.set(setting, s);
        return s;
      },
      (e) => {
        this.#sessions.delete(setting);
        throw e;
      },
    );
    if (this.#sessions.size >= 10_000) this.#sessions.clear();
    this.#sessions.set(setting, pending);
    return pending.then((s) => this.#choice(setting, s));
  }

  #choice(roleArn: string, s: CachedSession): CredentialsChoice {
    if (s.credentials !== null) return { kind: 'signed', credentials: s.credentials, source: `role ${roleArn}` };
    if (this.#defaults) return { kind: 'signed', credentials: this.#defaults, source: 'the default credentials' };
    throw cannotAssume(roleArn);
  }

  async #assume(roleArn: string, account: string, name: string): Promise<CachedSession> {
    const now = this.#now();
    const unknown: CachedSession = { credentials: null, until: now.getTime() + RENEW_BEFORE_MS };
    if (account !== this.#accountId) return unknown;
    const role = await this.#store.read((tx) => tx.get<StoredRole>(C.roles, name));
    if (!role || role.Arn !== roleArn) return unknown;
    let trust;
    try {
      trust = parsePolicy(role.AssumeRolePolicyDocument, `${role.Arn}/trust`);
    } catch (e) {
      if (e instanceof PolicyError) throw cannotAssume(roleArn);
      throw e;
    }
    const decision = evaluate({ principal: { arn: SERVICE, account: this.#accountId, service: SERVICE }, action: 'sts:AssumeRole', resource: role.Arn, context: {} }, [trust]);
    if (decision.decision !== 'Allow') throw cannotAssume(roleArn);
    const sessionName = 'BackplaneAssumeRoleSession';
    const seconds = Math.min(SESSION_SECONDS, role.MaxSessionDuration || SESSION_SECONDS);
    const session = await this.#store.write((tx) =>
      newSession(tx, now, seconds, {
        kind: 'assumed-role',
        UserId: `${role.RoleId}:${sessionName}`,
        Arn: `arn:aws:sts::${this.#accountId}:assumed-role/${role.RoleName}/${sessionName}`,
        RoleName: role.RoleName,
      }),
    );
    return {
      credentials: { accessKeyId: session.AccessKeyId, secretAccessKey: session.SecretAccessKey, sessionToken: session.SessionToken },
      until: session.Expiration - RENEW_BEFORE_MS,
    };
  }

  /** The caller's own key: only an AWS_IAM method has one (its signature was verified by then). */
  #caller(inv: IntegrationRequested): CredentialsChoice | Promise<CredentialsChoice> {
    const accessKey = inv.identity?.accessKey;
    const directory = inv.env.identities;
    const missing = () => new ConfigurationError('Unable to use the caller credentials: the method is not authorized with AWS_IAM (caller credentials need a SigV4-signed request)');
    if (!accessKey || !directory) throw missing();
    const use = (known: Awaited<ReturnType<typeof directory.get>>): CredentialsChoice => {
      if (!known) throw missing();
      const credentials: SigningCredentials = { accessKeyId: known.accessKeyId, secretAccessKey: known.signing.secret, ...(known.signing.session ? { sessionToken: known.signing.session.token } : {}) };
      return { kind: 'signed', credentials, source: 'the caller credentials' };
    };
    const known = directory.get(accessKey);
    return known instanceof Promise ? known.then(use) : use(known);
  }
}

/** AWS's execution-log text (the knowledge center's "API Gateway does not have permission to assume the provided role"). */
function cannotAssume(roleArn: string): ConfigurationError {
  return new ConfigurationError(`API Gateway does not have permission to assume the provided role ${roleArn}`);
}

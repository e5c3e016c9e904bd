// Tokens of a local user pool, shaped as Cognito issues them (Cognito developer guide, "Understanding the identity
// (ID) token" and "Understanding the access token"): an ID token (`token_use: id`, `aud` = the app client id,
// `cognito:username`, `auth_time`, `event_id`, `origin_jti`, `jti`) and an access token (`token_use: access`,
// `client_id`, `scope`, `username`), both RS256 with the pool's kid, one hour valid unless told otherwise.
import { randomUUID } from 'node:crypto';
import { importJWK, SignJWT } from 'jose';
import type { LocalPoolKey } from './local-keys.ts';
import type { UserPoolRef } from './user-pool.ts';

export interface LocalTokenRequest {
  readonly sub: string;
  /** `cognito:username` / `username`; default the sub. */
  readonly username?: string;
  /** Access-token scopes; default Cognito's `aws.cognito.signin.user.admin`. */
  readonly scopes?: readonly string[];
  /** Claims set on both tokens after the defaults (any claim, `exp` and `aud` included). */
  readonly claims?: Readonly<Record<string, unknown>>;
  /** Default the client id kept with the pool's local key. */
  readonly clientId?: string;
  /** Seconds from `now` until `exp`; default 3600. */
  readonly expiresIn?: number;
  /** Epoch seconds; default the current time. */
  readonly now?: number;
}

export interface LocalTokens {
  readonly idToken: string;
  readonly accessToken: string;
}

export async function issueLocalTokens(pool: UserPoolRef, key: LocalPoolKey, r: LocalTokenRequest): Promise<LocalTokens> {
  const now = r.now ?? Math.floor(Date.now() / 1000);
  const exp = now + (r.expiresIn ?? 3600);
  const clientId = r.clientId ?? key.clientId;
  const username = r.username ?? r.sub;
  const originJti = randomUUID();
  const eventId = randomUUID();
  const id: Record<string, unknown> = {
    sub: r.sub,
    iss: pool.issuer,
    'cognito:username': username,
    origin_jti: originJti,
    aud: clientId,
    event_id: eventId,
    token_use: 'id',
    auth_time: now,
    exp,
    iat: now,
    jti: randomUUID(),
  };
  const access: Record<string, unknown> = {
    sub: r.sub,
    iss: pool.issuer,
    client_id: clientId,
    origin_jti: originJti,
    event_id: eventId,
    token_use: 'access',
    scope: (r.scopes?.length ? r.scopes : ['aws.cognito.signin.user.admin']).join(' '),
    auth_time: now,
    exp,
    iat: now,
    jti: randomUUID(),
    username,
  };
  Object.assign(id, r.claims);
  Object.assign(access, r.claims);
  const signingKey = await importJWK(key.privateJwk, 'RS256');
  const sign = (payload: Record<string, unknown>) =>
    new SignJWT(payload as never).setProtectedHeader({ kid: key.privateJwk.kid!, alg: 'RS256' }).sign(signingKey);
  return { idToken: await sign(id), accessToken: await sign(access) };
}

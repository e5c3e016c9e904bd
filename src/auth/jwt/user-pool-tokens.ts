// Verification of user-pool tokens (JWTs, RFC 7519), as a Cognito user-pool authorizer does before it looks at
// token_use, scopes or audience: the compact JWS is decoded with bounds (size, base64url, JSON objects), its
// algorithm must be an asymmetric one Cognito-style issuers sign with (never `none`, never HMAC, whose "secret" an
// attacker could take from the published public key), its issuer must be one of the pools the authorizer names, the
// signature must verify with that pool's key `kid`, and `exp` must be in the future (`nbf`, if present, past).
// Verified tokens are kept until they expire (bounded in entries and in bytes, oldest dropped first), so a repeated
// token costs one map lookup.
import { jwtVerify } from 'jose';
import { claimsAsStrings } from './claims.ts';
import type { UserPoolKeys } from './user-pool-keys.ts';
import type { UserPoolRef } from './user-pool.ts';

export interface VerifiedToken {
  readonly iss: string;
  /** `token_use`: 'id' or 'access' for Cognito's tokens. */
  readonly tokenUse: unknown;
  /** `aud` (ID tokens). */
  readonly aud: unknown;
  /** The access token's `scope` claim, split on spaces. */
  readonly scopes: readonly string[];
  readonly expiresAt: number;
  readonly notBefore: number;
  /** As API Gateway hands them on: every value a string (./claims.ts). */
  readonly claims: Readonly<Record<string, string>>;
}

export type Verification = { readonly token: VerifiedToken } | { readonly reason: string };

/** Tokens longer than this are refused unread (Cognito's tokens are a few KB; Node caps all headers at 16 KB). */
export const MAX_TOKEN_LENGTH = 16 * 1024;
const ALGORITHMS = new Set(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512']);
const B64URL = /^[A-Za-z0-9_-]+$/;
export const DEFAULT_TOKEN_CACHE_ENTRIES = 10_000;
/** What the cache may hold, counted as the tokens' and their claims' characters (two bytes each, as V8 may). */
export const DEFAULT_TOKEN_CACHE_BYTES = 32 * 1024 * 1024;

function jsonPart(part: string): Record<string, unknown> | undefined {
  if (!B64URL.test(part)) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export class UserPoolTokens {
  readonly #keys: UserPoolKeys;
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  readonly #verified = new Map<string, { token: VerifiedToken; bytes: number }>();
  #bytes = 0;

  constructor(keys: UserPoolKeys, opts: { maxEntries?: number; maxBytes?: number } = {}) {
    this.#keys = keys;
    this.#maxEntries = opts.maxEntries ?? DEFAULT_TOKEN_CACHE_ENTRIES;
    this.#maxBytes = opts.maxBytes ?? DEFAULT_TOKEN_CACHE_BYTES;
  }

  get keys(): UserPoolKeys {
    return this.#keys;
  }

  /** A token verified before and still within its validity at `now` (epoch ms); synchronous. */
  cached(token: string, now: number): VerifiedToken | undefined {
    const entry = this.#verified.get(token);
    if (entry === undefined) return undefined;
    const hit = entry.token;
    if (now >= hit.expiresAt) {
      this.#forget(token, entry.bytes);
      return undefined;
    }
    return now < hit.notBefore ? undefined : hit;
  }

  /** Verifies a token whose issuer `poolOf` resolves to a pool; the reason says why not, for the execution log. */
  async verify(token: string, poolOf: (iss: string) => UserPoolRef | undefined, now: number): Promise<Verification> {
    if (token.length > MAX_TOKEN_LENGTH) return { reason: `token longer than ${MAX_TOKEN_LENGTH} characters` };
    const parts = token.split('.');
    if (parts.length !== 3) return { reason: 'not a JWS in compact serialization' };
    const header = jsonPart(parts[0]!);
    const payload = jsonPart(parts[1]!);
    if (!header || !payload) return { reason: 'token header or payload is not base64url-encoded JSON' };
    const alg = header.alg;
    if (typeof alg !== 'string' || !ALGORITHMS.has(alg)) return { reason: `algorithm ${JSON.stringify(alg)} not accepted` };
    if (typeof header.kid !== 'string') return { reason: 'token header names no kid' };
    const iss = payload.iss;
    if (typeof iss !== 'string') return { reason: 'token has no iss' };
    const pool = poolOf(iss);
    if (!pool) return { reason: `issuer ${JSON.stringify(iss)} is not a user pool of this authorizer` };
    const found = await this.#keys.key(pool, header.kid, alg, now);
    if ('reason' in found) return found;
    let claims: Record<string, unknown>;
    try {
      const verified = await jwtVerify(token, found.key, { algorithms: [alg], issuer: iss, currentDate: new Date(now), requiredClaims: ['exp'] });
      claims = verified.payload as Record<string, unknown>;
    } catch (err) {
      return { reason: `${(err as { code?: string }).code ?? 'ERR_JWT_INVALID'}: ${(err as Error).message}` };
    }
    const scope = claims.scope;
    const scopes = typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [];
    // Another OIDC issuer's tokens (a pool pointed at its JWKS) rarely carry Cognito's token_use: without one, a
    // token with scopes is taken as an access token, one without as an ID token. Okta-style `scp` lists count as
    // scopes there. Tokens naming the pool's Cognito issuer must say what they are, as Cognito's always do.
    const foreign = iss !== pool.issuer;
    if (foreign && scopes.length === 0 && Array.isArray(claims.scp)) for (const s of claims.scp) if (typeof s === 'string') scopes.push(s);
    const tokenUse = claims.token_use ?? (foreign ? (scopes.length > 0 ? 'access' : 'id') : undefined);
    const result: VerifiedToken = {
      iss,
      tokenUse,
      aud: claims.aud,
      scopes,
      expiresAt: (claims.exp as number) * 1000,
      notBefore: typeof claims.nbf === 'number' ? claims.nbf * 1000 : -Infinity,
      // Shared by every request presenting the token: frozen, so nothing a request does can change another's claims.
      claims: Object.freeze(claimsAsStrings(claims)),
    };
    this.#remember(token, result);
    return { token: result };
  }

  #remember(token: string, verified: VerifiedToken): void {
    let chars = token.length;
    for (const [k, v] of Object.entries(verified.claims)) chars += k.length + v.length;
    const bytes = 2 * chars;
    const known = this.#verified.get(token);
    if (known) this.#forget(token, known.bytes);
    // Oldest first (a Map iterates in insertion order).
    while (this.#verified.size > 0 && (this.#verified.size >= this.#maxEntries || this.#bytes + bytes > this.#maxBytes)) {
      const [oldest, entry] = this.#verified.entries().next().value!;
      this.#forget(oldest, entry.bytes);
    }
    this.#verified.set(token, { token: verified, bytes });
    this.#bytes += bytes;
  }

  #forget(token: string, bytes: number): void {
    this.#verified.delete(token);
    this.#bytes -= bytes;
  }
}

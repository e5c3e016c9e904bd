// The signing keys of every user pool the data plane verifies tokens for, held in memory by pool and kid.
// A pool's keys come from its `--user-pool-jwks` URL if one is configured, else from its local key
// (`gatehouse tokens issue`, ./local-keys.ts). Cognito's own JWKS URL is never fetched: Gatehouse runs where
// Cognito may be unreachable, and a pool with neither source cannot verify any token (401, and one WARN line saying
// why). An unknown kid makes a URL pool fetch its JWKS again (key rotation), at most once per refetch interval per
// pool, with concurrent requests sharing the one fetch; a local pool reads its key again when the keyring says it
// changed.
import { importJWK, type JWK } from 'jose';
import { DEFAULT_JWKS_LIMITS, fetchJwks, JwksError, type JwksLimits } from './jwks.ts';
import type { LocalKeyring } from './local-keys.ts';
import { cognitoJwksUrl, type UserPoolRef } from './user-pool.ts';

export interface UserPoolKeysOptions {
  /** Where local pools' keys are kept (the data directory's files, or the store in scale-out mode). */
  readonly keyring: LocalKeyring;
  /** Pool id → JWKS URL (`--user-pool-jwks`). */
  readonly jwksUrls: ReadonlyMap<string, string>;
  readonly limits?: JwksLimits;
  /** The least time between two fetches of one pool's JWKS (unknown kids do not refetch sooner). */
  readonly refetchIntervalMs?: number;
  /** Where operator-facing warnings go (one line each). */
  readonly warn?: (line: string) => void;
}

export type VerificationKey = Awaited<ReturnType<typeof importJWK>>;

/** A key to verify with, or why there is none. */
export type KeyLookup = { readonly key: VerificationKey } | { readonly reason: string };

interface PoolKeys {
  keys: Map<string, JWK>;
  readonly imported: Map<string, VerificationKey>;
  /** When a fetch (or read) last started, epoch ms. */
  lastAttempt: number;
  pending: Promise<void> | undefined;
  /** The local key's stamp the keys were read from. */
  stamp: string | undefined;
  warned: boolean;
}

export const DEFAULT_REFETCH_INTERVAL_MS = 10_000;

export class UserPoolKeys {
  readonly #opts: UserPoolKeysOptions;
  readonly #pools = new Map<string, PoolKeys>();

  constructor(opts: UserPoolKeysOptions) {
    this.#opts = opts;
  }

  /**
   * The issuers (`iss`) a pool's tokens may name: Cognito's for the pool and, for a pool pointed at another OIDC
   * issuer's JWKS, that issuer, read from the URL as OIDC discovery places it (`{issuer}/.well-known/jwks.json`).
   */
  issuersOf(pool: UserPoolRef): string[] {
    const url = this.#opts.jwksUrls.get(pool.poolId);
    const suffix = '/.well-known/jwks.json';
    return url !== undefined && url.endsWith(suffix) && url.slice(0, -suffix.length) !== pool.issuer
      ? [pool.issuer, url.slice(0, -suffix.length)]
      : [pool.issuer];
  }

  /** The key `kid` of `pool` for algorithm `alg`; `now` (epoch ms) paces refetches. */
  async key(pool: UserPoolRef, kid: string, alg: string, now: number): Promise<KeyLookup> {
    const state = this.#state(pool.poolId);
    let jwk = state.keys.get(kid);
    if (!jwk) {
      const why = await this.#refresh(pool, state, now);
      jwk = state.keys.get(kid);
      if (!jwk) return { reason: why ?? `no key with kid ${JSON.stringify(kid)} in the JWKS of user pool ${pool.poolId}` };
    }
    if (jwk.alg !== undefined && jwk.alg !== alg) return { reason: `key ${kid} of user pool ${pool.poolId} is for ${jwk.alg}, the token says ${alg}` };
    const cacheKey = `${kid} ${alg}`;
    let key = state.imported.get(cacheKey);
    if (!key) {
      try {
        key = await importJWK(jwk, alg);
      } catch (err) {
        return { reason: `key ${kid} of user pool ${pool.poolId} cannot be used with ${alg}: ${(err as Error).message}` };
      }
      state.imported.set(cacheKey, key);
    }
    return { key };
  }

  #state(poolId: string): PoolKeys {
    let s = this.#pools.get(poolId);
    if (!s) this.#pools.set(poolId, (s = { keys: new Map(), imported: new Map(), lastAttempt: -Infinity, pending: undefined, stamp: undefined, warned: false }));
    return s;
  }

  /** Loads the pool's keys again if allowed now; resolves with why no (new) keys could be had, if so. */
  async #refresh(pool: UserPoolRef, state: PoolKeys, now: number): Promise<string | undefined> {
    const url = this.#opts.jwksUrls.get(pool.poolId);
    if (url === undefined) return this.#readLocal(pool, state);
    if (state.pending) {
      await state.pending;
      return undefined;
    }
    if (now - state.lastAttempt < (this.#opts.refetchIntervalMs ?? DEFAULT_REFETCH_INTERVAL_MS)) {
      return `kid not in the JWKS of user pool ${pool.poolId} fetched from ${url} (fetched again at most every ${this.#opts.refetchIntervalMs ?? DEFAULT_REFETCH_INTERVAL_MS} ms)`;
    }
    state.lastAttempt = now;
    let failure: string | undefined;
    state.pending = fetchJwks(url, this.#opts.limits ?? DEFAULT_JWKS_LIMITS).then(
      (keys) => {
        state.keys = keys;
        state.imported.clear();
      },
      (err: unknown) => {
        failure = `JWKS of user pool ${pool.poolId} unavailable: ${err instanceof JwksError ? err.message : String(err)}`;
        this.#opts.warn?.(`WARN ${failure}; its tokens are answered 401 Unauthorized`);
      },
    );
    try {
      await state.pending;
    } finally {
      state.pending = undefined;
    }
    return failure;
  }

  async #readLocal(pool: UserPoolRef, state: PoolKeys): Promise<string | undefined> {
    let stamp: string | undefined;
    try {
      stamp = await this.#opts.keyring.stamp(pool.poolId);
    } catch (err) {
      // The store (scale-out mode) cannot be read right now: not "no key", which would be a false diagnosis.
      return `the local key of user pool ${pool.poolId} cannot be read: ${(err as Error).message}`;
    }
    if (stamp === undefined) {
      const why =
        `user pool ${pool.poolId} has no JWKS Gatehouse can read: Cognito's ${cognitoJwksUrl(pool)} is not fetched, ` +
        `no --user-pool-jwks ${pool.poolId}=URL is configured and no local key exists (gatehouse tokens issue creates one)`;
      if (!state.warned) {
        state.warned = true;
        this.#opts.warn?.(`WARN ${why}; its tokens are answered 401 Unauthorized`);
      }
      return why;
    }
    if (stamp === state.stamp) return undefined;
    try {
      const local = await this.#opts.keyring.read(pool.poolId);
      if (!local) return `the local key of user pool ${pool.poolId} disappeared`;
      state.keys = new Map([[local.publicJwk.kid!, local.publicJwk]]);
      state.imported.clear();
      state.stamp = stamp;
      return undefined;
    } catch (err) {
      return `the local key of user pool ${pool.poolId} cannot be read: ${(err as Error).message}`;
    }
  }
}

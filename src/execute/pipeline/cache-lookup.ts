// Step 8 of DESIGN.md's list, the stage cache lookup (the store is in ./method-response.ts, after the method
// response is made). A request uses the cache when its stage has an available cache cluster, its method's settings
// cache it (src/execute/stage-config.ts: GET by default, other verbs only by their own setting, TTL > 0), and, for a
// canary request, the canary has useStageCache. A hit becomes the method response and the pipeline goes straight
// to the method-response step (./index.ts); a miss leaves `inv.cache` for the store.
//
// `Cache-Control: max-age=0` asks for a fresh response that replaces the entry. With
// requireAuthorizationForCacheControl (the default) only SigV4-signed callers allowed execute-api:InvalidateCache on
// the method may (../authorization/cache-invalidation.ts); the others get what unauthorizedCacheControlHeaderStrategy
// says: FAIL_WITH_403 (ACCESS_DENIED), or the header is ignored, with (SUCCEED_WITH_RESPONSE_HEADER, the default) or
// without a Warning header.
import type { CacheUse, Routed } from '../invocation.ts';
import { decodeCachedResponse, isSealed } from '../../cache/cached-response.ts';
import { CachedMethodResponse, ServableResponse } from '../responses/cached-method-response.ts';
import { AccessDeniedError } from '../responses/gateway-errors.ts';
import { mappingScope } from './bindings.ts';
import type { MethodCaching } from '../stage-config.ts';
import { mayInvalidateCache } from '../authorization/cache-invalidation.ts';

export function cacheLookup(inv: Routed): void | Promise<void> {
  const cache = inv.stage.cache;
  if (cache === undefined || inv.startedAt < cache.servesFrom || (inv.isCanaryRequest && !cache.canaryUses)) return;
  const keyOf = inv.method.cacheKey;
  if (keyOf === undefined) return;
  const caching = inv.stage.methodCaching(inv.method.resource.path, inv.httpMethod);
  if (caching === null) return;
  if (!asksForFreshResponse(inv.headerValues('cache-control'))) return lookup(inv, caching, true, false);
  if (!caching.requireAuthorization) return lookup(inv, caching, false, false);
  const authorized = mayInvalidateCache(inv);
  if (authorized instanceof Promise) return authorized.then((yes) => invalidation(inv, caching, yes));
  return invalidation(inv, caching, authorized);
}

/** A Cache-Control: max-age=0 request: a fresh response if authorized, else the method's strategy. */
function invalidation(inv: Routed, caching: MethodCaching, authorized: boolean): void | Promise<void> {
  if (authorized) return lookup(inv, caching, false, false);
  if (caching.unauthorizedStrategy === 'FAIL_WITH_403') throw new AccessDeniedError();
  return lookup(inv, caching, true, caching.unauthorizedStrategy === 'SUCCEED_WITH_RESPONSE_HEADER');
}

/** Computes the key and, when `read`, looks it up. */
function lookup(inv: Routed, caching: MethodCaching, read: boolean, warn: boolean): void | Promise<void> {
  const keyOf = inv.method.cacheKey!;
  if (keyOf.readers.length === 0) return use(inv, caching, read, warn, keyOf.key(inv.httpMethod, undefined));
  if (!keyOf.readsBody) return use(inv, caching, read, warn, keyOf.key(inv.httpMethod, mappingScope(inv, () => '')));
  // A key parameter mapped from the body: read it first (it is kept for the integration request).
  const body = inv.body.read();
  const withBody = (b: Buffer) => use(inv, caching, read, warn, keyOf.key(inv.httpMethod, mappingScope(inv, () => b.toString('utf8'))));
  return body instanceof Promise ? body.then(withBody) : withBody(body);
}

/** Records how the request uses the cache (`key`) and, when `read`, looks the key up. */
function use(inv: Routed, caching: MethodCaching, read: boolean, warn: boolean, key: string): void | Promise<void> {
  const cache = inv.stage.cache!;
  const c: CacheUse = { partition: cache.partition, key, ttlMs: caching.ttlMs, budgetBytes: cache.budgetBytes, encrypted: caching.encrypted, warn, hit: false };
  inv.cache = c;
  if (!read) return;
  const found = inv.env.responseCache.get(c.partition, key);
  if (found instanceof Promise) return found.then((v) => served(inv, c, v));
  served(inv, c, found);
}

/**
 * Plain values decoded once: the in-process adapter hands back the same Buffer on every hit, so the decoded response
 * is remembered with it (and forgotten with it). Sealed values are opened per hit: their clear text is never kept.
 */
const decoded = new WeakMap<Buffer, ServableResponse>();
// The plain value last served and its decoded form: a run of hits on one entry skips the WeakMap (a hash lookup,
// cache misses included). Holds at most that one value after it leaves the cache.
let lastValue: Buffer | undefined;
let lastServed: ServableResponse | undefined;

function served(inv: Routed, c: CacheUse, value: Buffer | undefined): void {
  if (value === undefined) return;
  let r = value === lastValue ? lastServed : decoded.get(value);
  if (r === undefined) {
    const stored = decodeCachedResponse(value, inv.env.cacheSealer);
    if (stored === undefined) return;
    r = new ServableResponse(stored);
    if (!isSealed(value)) decoded.set(value, r);
  }
  if (r !== lastServed && !isSealed(value)) {
    lastValue = value;
    lastServed = r;
  }
  c.hit = true;
  (inv as Routed & { methodResponse: CachedMethodResponse }).methodResponse = new CachedMethodResponse(r);
  if (inv.log) inv.log.push(`Method response served from the stage cache`);
}

const MAX_AGE_ZERO = /^max-age=(?:0+|"0+")$/;

/** Whether a Cache-Control request header carries the max-age=0 directive (any case, among other directives). */
function asksForFreshResponse(values: readonly string[] | undefined): boolean {
  if (values === undefined) return false;
  for (const v of values) {
    for (const directive of v.split(',')) {
      if (MAX_AGE_ZERO.test(directive.trim().toLowerCase())) return true;
    }
  }
  return false;
}

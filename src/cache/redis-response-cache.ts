// The Redis ResponseCache (scale-out mode): every node reads and writes the same stage caches, so an entry stored by
// one node is served by all and FlushStageCache on any node empties the stage for all. Each call is one Lua script
// (one round trip), atomic like the in-process adapter's step: a lookup drops an expired entry or makes a live one
// the most recently used; a store evicts least recently used entries until the stage fits its byte budget.
//
// Keys of a partition `{apiId}/{stageName}` (under the link's prefix P):
//   P c:{partition}:v   hash key → value bytes
//   P c:{partition}:x   hash key → "{expiresAt} {size}"
//   P c:{partition}:r   zset key → recency (a per-partition sequence; the lowest is evicted first)
//   P c:{partition}:m   hash bytes (in use), seq
// Expiry reads the clock the adapter is given (the gateway's), as the in-process adapter does. Every store pushes
// the four keys' own expiry past the longest TTL (an hour), so a stage nobody uses any more leaves nothing behind.
// Redis's own memory limit (maxmemory) bounds all stages together: size it, or give Redis an eviction policy.
//
// Redis unavailable: a lookup is a miss and a store is dropped, whatever --redis-failure says (a cache never fails a
// request; the failure is reported by the link's WARN line). flush and usage throw: FlushStageCache then fails
// loudly rather than claiming a flush that did not happen.
import type { Redis } from 'ioredis';
import { entrySize, type CacheUsage, type ResponseCache } from './response-cache.ts';
import type { RedisLink } from '../redis/redis-link.ts';
import { MAX_CACHE_TTL_SECONDS } from './limits.ts';

/** How long a partition's keys outlive their last store: the longest TTL and a minute. */
const PARTITION_TTL_MS = (MAX_CACHE_TTL_SECONDS + 60) * 1000;

// Removes entry ARGV[1] (KEYS: v, x, r, m); used by the scripts below.
const REMOVE = `
local function remove(key)
  local x = redis.call('HGET', KEYS[2], key)
  if not x then return end
  local size = tonumber(string.match(x, ' (%d+)$'))
  redis.call('HDEL', KEYS[1], key)
  redis.call('HDEL', KEYS[2], key)
  redis.call('ZREM', KEYS[3], key)
  redis.call('HINCRBY', KEYS[4], 'bytes', -size)
end
`;

// ARGV: key, now. Returns the value or nil.
const GET = `${REMOVE}
local x = redis.call('HGET', KEYS[2], ARGV[1])
if not x then return false end
local expires = tonumber(string.match(x, '^(%d+) '))
if tonumber(ARGV[2]) >= expires then
  remove(ARGV[1])
  return false
end
redis.call('ZADD', KEYS[3], redis.call('HINCRBY', KEYS[4], 'seq', 1), ARGV[1])
return redis.call('HGET', KEYS[1], ARGV[1])
`;

// ARGV: key, value, ttl ms, budget bytes, now, size.
const SET = `${REMOVE}
remove(ARGV[1])
local ttl, budget, size = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[6])
if ttl <= 0 or size > budget then return 0 end
local bytes = tonumber(redis.call('HGET', KEYS[4], 'bytes') or '0')
while bytes + size > budget do
  local oldest = redis.call('ZRANGE', KEYS[3], 0, 0)[1]
  if not oldest then break end
  remove(oldest)
  bytes = tonumber(redis.call('HGET', KEYS[4], 'bytes') or '0')
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], string.format('%d %d', tonumber(ARGV[5]) + ttl, size))
redis.call('ZADD', KEYS[3], redis.call('HINCRBY', KEYS[4], 'seq', 1), ARGV[1])
redis.call('HINCRBY', KEYS[4], 'bytes', size)
for i = 1, 4 do redis.call('PEXPIRE', KEYS[i], ${PARTITION_TTL_MS}) end
return 1
`;

const DELETE = `${REMOVE}
remove(ARGV[1])
return 1
`;

interface Scripts {
  ghCacheGetBuffer(v: string, x: string, r: string, m: string, key: string, now: number): Promise<Buffer | null>;
  ghCacheSet(v: string, x: string, r: string, m: string, key: string, value: Buffer, ttlMs: number, budget: number, now: number, size: number): Promise<number>;
  ghCacheDelete(v: string, x: string, r: string, m: string, key: string): Promise<number>;
}

export interface RedisResponseCacheOptions {
  /** Epoch milliseconds (the gateway's clock; injectable so tests move time instead of sleeping). */
  now?: () => number;
}

export class RedisResponseCache implements ResponseCache {
  readonly #link: RedisLink;
  readonly #redis: Redis & Scripts;
  readonly #now: () => number;

  constructor(link: RedisLink, opts: RedisResponseCacheOptions = {}) {
    this.#link = link;
    this.#now = opts.now ?? Date.now;
    const redis = link.client as Redis & Scripts;
    redis.defineCommand('ghCacheGet', { lua: GET, numberOfKeys: 4 });
    redis.defineCommand('ghCacheSet', { lua: SET, numberOfKeys: 4 });
    redis.defineCommand('ghCacheDelete', { lua: DELETE, numberOfKeys: 4 });
    this.#redis = redis;
  }

  #keys(partition: string): [string, string, string, string] {
    const base = `${this.#link.prefix}c:${partition}:`;
    return [`${base}v`, `${base}x`, `${base}r`, `${base}m`];
  }

  get(partition: string, key: string): Promise<Buffer | undefined> | undefined {
    if (!this.#link.ready) return undefined;
    return this.#redis.ghCacheGetBuffer(...this.#keys(partition), key, this.#now()).then(
      (v) => v ?? undefined,
      (err: unknown) => {
        this.#link.failed(err);
        return undefined;
      },
    );
  }

  set(partition: string, key: string, value: Buffer, ttlMs: number, budgetBytes: number): Promise<void> | undefined {
    if (!this.#link.ready) return undefined;
    return this.#redis.ghCacheSet(...this.#keys(partition), key, value, ttlMs, budgetBytes, this.#now(), entrySize(key, value)).then(
      () => undefined,
      (err: unknown) => this.#link.failed(err),
    );
  }

  async delete(partition: string, key: string): Promise<void> {
    await this.#redis.ghCacheDelete(...this.#keys(partition), key);
  }

  async flush(partition: string): Promise<void> {
    await this.#redis.unlink(...this.#keys(partition));
  }

  async usage(partition: string): Promise<CacheUsage> {
    const [, x, , m] = this.#keys(partition);
    const [entries, bytes] = await Promise.all([this.#redis.hlen(x), this.#redis.hget(m, 'bytes')]);
    return { entries, bytes: Number(bytes ?? 0) };
  }

  close(): void {
    // The link belongs to the server, which closes it after everything that uses it.
  }
}

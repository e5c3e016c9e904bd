// The stage response cache's contract (DESIGN.md: cache/ — memory now, Redis for the scale-out mode). Every
// operation is one round trip that a remote store can run atomically (a Redis Lua script per call): a lookup
// refreshes the entry's recency and drops it when expired in the same step; a store evicts least recently used
// entries until the partition fits its byte budget in the same step. Values are opaque bytes (the encoded, possibly
// encrypted, method response: src/cache/cached-response.ts), so an adapter never interprets them.
//
// Calls return synchronously when the adapter can (the in-process one always does), so the data plane's hot path
// stays synchronous; a remote adapter returns promises.

/** A partition is one stage's cache: `{apiId}/{stageName}`. */
export interface ResponseCache {
  /** The value stored under `key`, or undefined when absent or expired. Makes the entry the most recently used. */
  get(partition: string, key: string): Buffer | undefined | Promise<Buffer | undefined>;
  /**
   * Stores `value` under `key` for `ttlMs`, replacing what was there, and evicts the partition's least recently used
   * entries until its entries' sizes (key + value bytes) total at most `budgetBytes`. A value that alone exceeds the
   * budget is not stored (and the key's old entry is dropped).
   */
  set(partition: string, key: string, value: Buffer, ttlMs: number, budgetBytes: number): void | Promise<void>;
  /** Drops one entry. */
  delete(partition: string, key: string): void | Promise<void>;
  /** Drops every entry of the partition (FlushStageCache, a disabled or resized cache, a deleted stage). */
  flush(partition: string): void | Promise<void>;
  /** Entry count and bytes in use (expired entries not yet swept included): for tests and metrics. */
  usage(partition: string): CacheUsage | Promise<CacheUsage>;
  /** Releases timers and connections. */
  close(): void | Promise<void>;
}

export interface CacheUsage {
  entries: number;
  bytes: number;
}

/** What an entry costs against the budget: its key and its value (the budget is about payload, as AWS sizes it). */
export function entrySize(key: string, value: Buffer): number {
  return Buffer.byteLength(key) + value.length;
}

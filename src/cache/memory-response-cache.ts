// The in-process ResponseCache: per partition, a Map in recency order (a hit moves its entry to the end, eviction
// takes from the front: least recently used first) with the bytes in use counted exactly. Expired entries are
// dropped when looked up and by a sweep every minute, so a stage nobody calls any more (or a deleted one) gives its
// memory back within its longest TTL (at most an hour). On AWS each stage's cache is a machine of its own; here every
// stage shares the process, so all partitions together are also held under a process-wide bound (a quarter of the
// machine's memory by default): a store that would pass it evicts the writing stage's least recently used entries,
// and is dropped if that is not enough.
import { totalmem } from 'node:os';
import { entrySize, type CacheUsage, type ResponseCache } from './response-cache.ts';

interface Entry {
  readonly value: Buffer;
  readonly expiresAt: number;
  readonly size: number;
}

class Partition {
  readonly entries = new Map<string, Entry>();
  bytes = 0;
  /** The entry last in the Map's order (when known): a hit on it moves nothing (a hot key costs no Map writes). */
  newest: Entry | undefined = undefined;
  remove(key: string, e: Entry): void {
    this.entries.delete(key);
    this.bytes -= e.size;
    if (e === this.newest) this.newest = undefined;
  }
}

const SWEEP_MS = 60_000;

export interface MemoryResponseCacheOptions {
  /** Epoch milliseconds; injectable so tests move time instead of sleeping. */
  now?: () => number;
  /** How often expired entries are swept (0: never, for tests that sweep by hand). */
  sweepMs?: number;
  /** Bytes all partitions together may hold. */
  maxTotalBytes?: number;
}

export class MemoryResponseCache implements ResponseCache {
  readonly #partitions = new Map<string, Partition>();
  readonly #now: () => number;
  readonly #timer: NodeJS.Timeout | undefined;
  readonly #maxTotal: number;
  #total = 0;

  constructor(opts: MemoryResponseCacheOptions = {}) {
    this.#now = opts.now ?? Date.now;
    this.#maxTotal = opts.maxTotalBytes ?? Math.floor(totalmem() / 4);
    const every = opts.sweepMs ?? SWEEP_MS;
    if (every > 0) {
      this.#timer = setInterval(() => this.sweep(), every);
      this.#timer.unref();
    }
  }

  get(partition: string, key: string): Buffer | undefined {
    const p = this.#partitions.get(partition);
    const e = p?.entries.get(key);
    if (!e) return undefined;
    if (this.#now() >= e.expiresAt) {
      this.#remove(p!, key, e);
      return undefined;
    }
    // Most recently used moves to the end of the Map's order.
    if (e !== p!.newest) {
      p!.entries.delete(key);
      p!.entries.set(key, e);
      p!.newest = e;
    }
    return e.value;
  }

  set(partition: string, key: string, value: Buffer, ttlMs: number, budgetBytes: number): void {
    let p = this.#partitions.get(partition);
    if (!p) this.#partitions.set(partition, (p = new Partition()));
    const old = p.entries.get(key);
    if (old) this.#remove(p, key, old);
    const size = entrySize(key, value);
    if (ttlMs <= 0 || size > budgetBytes || size > this.#maxTotal) return;
    for (const [k, e] of p.entries) {
      if (p.bytes + size <= budgetBytes && this.#total + size <= this.#maxTotal) break;
      this.#remove(p, k, e);
    }
    if (this.#total + size > this.#maxTotal) return;
    const entry = { value, expiresAt: this.#now() + ttlMs, size };
    p.entries.set(key, entry);
    p.newest = entry;
    p.bytes += size;
    this.#total += size;
  }

  #remove(p: Partition, key: string, e: Entry): void {
    p.remove(key, e);
    this.#total -= e.size;
  }

  delete(partition: string, key: string): void {
    const p = this.#partitions.get(partition);
    const e = p?.entries.get(key);
    if (e) this.#remove(p!, key, e);
  }

  flush(partition: string): void {
    const p = this.#partitions.get(partition);
    if (!p) return;
    this.#total -= p.bytes;
    this.#partitions.delete(partition);
  }

  /** Bytes held by all partitions together. */
  get totalBytes(): number {
    return this.#total;
  }

  usage(partition: string): CacheUsage {
    const p = this.#partitions.get(partition);
    return { entries: p?.entries.size ?? 0, bytes: p?.bytes ?? 0 };
  }

  /** Drops every expired entry (and partitions left empty). */
  sweep(): void {
    const now = this.#now();
    for (const [name, p] of this.#partitions) {
      for (const [k, e] of p.entries) if (now >= e.expiresAt) this.#remove(p, k, e);
      if (p.entries.size === 0) this.#partitions.delete(name);
    }
  }

  close(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#partitions.clear();
    this.#total = 0;
  }
}

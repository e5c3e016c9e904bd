// The in-process ResponseCache: per partition, a Map in recency order (a hit moves its entry to the end, eviction
// takes from the front: least recently used first) with the bytes in use counted exactly. Expired entries are
// dropped when looked up and by a sweep every minute, so a stage nobody calls any more (or a deleted one) gives its
// memory back within its longest TTL (at most an hour).
import { entrySize, type CacheUsage, type ResponseCache } from './response-cache.ts';

interface Entry {
  readonly value: Buffer;
  readonly expiresAt: number;
  readonly size: number;
}

class Partition {
  readonly entries = new Map<string, Entry>();
  bytes = 0;
  remove(key: string, e: Entry): void {
    this.entries.delete(key);
    this.bytes -= e.size;
  }
}

const SWEEP_MS = 60_000;

export interface MemoryResponseCacheOptions {
  /** Epoch milliseconds; injectable so tests move time instead of sleeping. */
  now?: () => number;
  /** How often expired entries are swept (0: never, for tests that sweep by hand). */
  sweepMs?: number;
}

export class MemoryResponseCache implements ResponseCache {
  readonly #partitions = new Map<string, Partition>();
  readonly #now: () => number;
  readonly #timer: NodeJS.Timeout | undefined;

  constructor(opts: MemoryResponseCacheOptions = {}) {
    this.#now = opts.now ?? Date.now;
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
      p!.remove(key, e);
      return undefined;
    }
    // Most recently used moves to the end of the Map's order.
    p!.entries.delete(key);
    p!.entries.set(key, e);
    return e.value;
  }

  set(partition: string, key: string, value: Buffer, ttlMs: number, budgetBytes: number): void {
    let p = this.#partitions.get(partition);
    if (!p) this.#partitions.set(partition, (p = new Partition()));
    const old = p.entries.get(key);
    if (old) p.remove(key, old);
    const size = entrySize(key, value);
    if (ttlMs <= 0 || size > budgetBytes) return;
    for (const [k, e] of p.entries) {
      if (p.bytes + size <= budgetBytes) break;
      p.remove(k, e);
    }
    p.entries.set(key, { value, expiresAt: this.#now() + ttlMs, size });
    p.bytes += size;
  }

  delete(partition: string, key: string): void {
    const p = this.#partitions.get(partition);
    const e = p?.entries.get(key);
    if (e) p!.remove(key, e);
  }

  flush(partition: string): void {
    this.#partitions.delete(partition);
  }

  usage(partition: string): CacheUsage {
    const p = this.#partitions.get(partition);
    return { entries: p?.entries.size ?? 0, bytes: p?.bytes ?? 0 };
  }

  /** Drops every expired entry (and partitions left empty). */
  sweep(): void {
    const now = this.#now();
    for (const [name, p] of this.#partitions) {
      for (const [k, e] of p.entries) if (now >= e.expiresAt) p.remove(k, e);
      if (p.entries.size === 0) this.#partitions.delete(name);
    }
  }

  close(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#partitions.clear();
  }
}

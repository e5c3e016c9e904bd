// The in-process Counters adapter: buckets, quota counts and usage in this process's memory, with usage and quota
// counts made durable through a UsageJournal (./usage-journal.ts: the store) in batches, off the request path.
//
// Durability: admitted requests are counted in memory at once and written in one store transaction every
// `flushMs` (default 100 ms) and on close. A kill -9 loses at most the counts of the last 100 ms (the quota then
// under-counts by that much, in the client's favour); UpdateUsage's changes are written before it answers.
// Group commit (admitting a request only once its count is committed, so nothing admitted is ever lost) was
// measured and set aside: SQLite (node:sqlite) commits synchronously on the event loop, about 1 ms each with its
// fsync, and a commit per batch of waiting requests halved keyed HTTP_PROXY throughput (0.49x plain, busy machine).
// Doing it losslessly needs the journal off the event loop (a worker with its own database file).
// Token buckets are not persisted: after a restart every bucket is full, as a long idle one would be.
//
// Several nodes on one PostgreSQL without Redis each run this adapter: each node's limits count only the requests it
// serves (docs/scale-out.md), but the stored records are the cluster's. Day counts and quota counts are written as
// what this node added since its last write (`quotaAdds`), never as its own total, so the stored quota count is the
// sum over nodes; GetUsage (quotaUsed, dailyUsage) reads it after writing this node's share. UpdateUsage's new count
// replaces the stored one (`quotas`). A node that starts loads the stored (summed) counts as its own.
import { ADMITTED, QUOTA_EXCEEDED, type Counters, type TakeRequest, type TakeResult } from './counters.ts';
import type { UsageJournal, UsageBatch } from './usage-journal.ts';

interface Bucket {
  tokens: number;
  at: number;
}

interface QuotaCount {
  periodStart: number;
  used: number;
}

export interface InProcessCountersOptions {
  /** Where usage and quota counts are kept across restarts; none: memory only. */
  journal?: UsageJournal;
  /** How often pending counts are written (ms). */
  flushMs?: number;
}

/** Buckets idle long enough to be full again are dropped when there are more than this many. */
const BUCKET_SWEEP_THRESHOLD = 50_000;

export class InProcessCounters implements Counters {
  readonly #buckets = new Map<string, Bucket>();
  /** The buckets of the request being taken, as found by the check (take is synchronous: one array serves every call). */
  readonly #states: Bucket[] = [];
  readonly #quotas = new Map<string, QuotaCount>();
  /** Usage not yet written: `{usageId}/{day}` → admitted requests. */
  #pendingDays = new Map<string, number>();
  /** Quota counts admitted since the last write, per usage id (added to the stored count of the period). */
  #quotaAdds = new Map<string, { periodStart: number; added: number }>();
  /** Quota counts UpdateUsage set since the last write (they replace the stored count; #quotaAdds counts on from them). */
  #quotaSets = new Map<string, QuotaCount>();
  readonly #journal: UsageJournal | undefined;
  #ready: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> | undefined;

  constructor(opts: InProcessCountersOptions = {}) {
    this.#journal = opts.journal;
    if (this.#journal) {
      this.#ready = this.#load().then(() => {
        this.#ready = undefined;
      });
      this.#timer = setInterval(() => void this.flush().catch(() => undefined), opts.flushMs ?? 100);
      this.#timer.unref();
    }
  }

  async #load(): Promise<void> {
    for (const q of await this.#journal!.loadQuotas()) this.#quotas.set(q.usageId, { periodStart: q.periodStart, used: q.used });
  }

  take(request: TakeRequest, now: number): TakeResult | Promise<TakeResult> {
    if (this.#ready) return this.#ready.then(() => this.take(request, now));
    const { buckets } = request;
    const states = this.#states;
    // Refill and check every bucket before taking from any: a refused request consumes nothing.
    for (let i = 0; i < buckets.length; i++) {
      const limit = buckets[i]!;
      let b = this.#buckets.get(limit.id);
      if (b === undefined) {
        b = { tokens: limit.burst, at: now };
        this.#buckets.set(limit.id, b);
      } else if (now > b.at) {
        b.tokens = Math.min(limit.burst, b.tokens + ((now - b.at) * limit.rate) / 1000);
        b.at = now;
      } else if (b.tokens > limit.burst) {
        b.tokens = limit.burst; // the burst was lowered
      }
      if (b.tokens < 1) return i;
      states[i] = b;
    }
    const { usageId, quota } = request;
    let count: QuotaCount | undefined;
    if (quota !== undefined && usageId !== undefined) {
      count = this.#quotas.get(usageId);
      if (count === undefined || count.periodStart !== quota.periodStart) {
        count = { periodStart: quota.periodStart, used: 0 };
        this.#quotas.set(usageId, count);
      }
      if (count.used >= quota.limit) return QUOTA_EXCEEDED;
    }
    for (let i = 0; i < buckets.length; i++) states[i]!.tokens -= 1;
    if (usageId !== undefined) {
      if (count !== undefined) {
        count.used++;
        const add = this.#quotaAdds.get(usageId);
        if (add === undefined || add.periodStart !== count.periodStart) this.#quotaAdds.set(usageId, { periodStart: count.periodStart, added: 1 });
        else add.added++;
      }
      const dayKey = `${usageId}/${request.day}`;
      this.#pendingDays.set(dayKey, (this.#pendingDays.get(dayKey) ?? 0) + 1);
    }
    if (this.#buckets.size > BUCKET_SWEEP_THRESHOLD) this.#sweep(buckets, now);
    return ADMITTED;
  }

  /** Drops buckets that are full by now anyway (only their limits know: those of this request), then the oldest. */
  #sweep(current: TakeRequest['buckets'], now: number): void {
    const keep = new Set(current.map((b) => b.id));
    const oldest = now - 3_600_000;
    for (const [id, b] of this.#buckets) if (!keep.has(id) && b.at < oldest) this.#buckets.delete(id);
  }

  async dailyUsage(usageId: string, days: readonly string[]): Promise<number[]> {
    await this.#ready;
    const stored = this.#journal ? await this.#journal.loadDays(usageId, days) : days.map(() => 0);
    return days.map((day, i) => stored[i]! + (this.#pendingDays.get(`${usageId}/${day}`) ?? 0) + (this.#inFlight.get(`${usageId}/${day}`) ?? 0));
  }

  async quotaUsed(usageId: string, periodStart: number): Promise<number> {
    await this.#ready;
    if (this.#journal) {
      // The stored count is every node's when nodes share the store (see the file comment): this node's share first.
      await this.flush();
      const stored = await this.#journal.loadQuota(usageId);
      return stored?.periodStart === periodStart ? stored.used : 0;
    }
    const count = this.#quotas.get(usageId);
    return count !== undefined && count.periodStart === periodStart ? count.used : 0;
  }

  async setQuotaUsed(usageId: string, periodStart: number, used: number): Promise<void> {
    await this.#ready;
    this.#quotas.set(usageId, { periodStart, used });
    this.#quotaSets.set(usageId, { periodStart, used });
    this.#quotaAdds.delete(usageId); // counted in the count set
    await this.flush();
  }

  /** Counts being written right now (still counted by dailyUsage until the write commits). */
  #inFlight = new Map<string, number>();

  flush(): Promise<void> {
    if (!this.#journal) return Promise.resolve();
    // One write at a time; a flush asked for during one runs after it, with whatever accumulated meanwhile.
    const run = (this.#flushing ?? Promise.resolve()).catch(() => undefined).then(() => this.#write());
    this.#flushing = run;
    run.then(
      () => this.#flushing === run && (this.#flushing = undefined),
      () => this.#flushing === run && (this.#flushing = undefined),
    );
    return run;
  }

  async #write(): Promise<void> {
    await this.#ready;
    if (this.#pendingDays.size === 0 && this.#quotaAdds.size === 0 && this.#quotaSets.size === 0) return;
    const days = this.#pendingDays;
    this.#pendingDays = new Map();
    this.#inFlight = days;
    const sets = this.#quotaSets;
    const adds = this.#quotaAdds;
    this.#quotaSets = new Map();
    this.#quotaAdds = new Map();
    const batch: UsageBatch = { days: [], quotas: [], quotaAdds: [] };
    for (const [key, n] of days) {
      const slash = key.lastIndexOf('/');
      batch.days.push({ usageId: key.slice(0, slash), day: key.slice(slash + 1), admitted: n });
    }
    for (const [usageId, q] of sets) batch.quotas.push({ usageId, periodStart: q.periodStart, used: q.used });
    for (const [usageId, q] of adds) batch.quotaAdds!.push({ usageId, periodStart: q.periodStart, added: q.added });
    try {
      await this.#journal!.write(batch);
    } catch (err) {
      // Not written: keep the counts for the next attempt (a count UpdateUsage set meanwhile supersedes these).
      for (const [key, n] of days) this.#pendingDays.set(key, (this.#pendingDays.get(key) ?? 0) + n);
      const setMeanwhile = new Set(this.#quotaSets.keys());
      for (const [usageId, q] of sets) if (!setMeanwhile.has(usageId)) this.#quotaSets.set(usageId, q);
      for (const [usageId, q] of adds) {
        if (setMeanwhile.has(usageId)) continue;
        const now = this.#quotaAdds.get(usageId);
        if (now === undefined) this.#quotaAdds.set(usageId, q);
        else if (now.periodStart === q.periodStart) now.added += q.added;
      }
      throw err;
    } finally {
      this.#inFlight = new Map();
    }
  }

  reset(): void {
    this.#buckets.clear();
    this.#quotas.clear();
    this.#pendingDays = new Map();
    this.#quotaAdds = new Map();
    this.#quotaSets = new Map();
  }

  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.flush();
  }
}

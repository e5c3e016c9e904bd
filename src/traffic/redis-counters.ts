// The Redis Counters adapter (scale-out mode): token buckets, quota counts and pending usage live in Redis, so every
// node admits against the same tokens and the same quota. One request is one Lua script (TAKE below, one round
// trip): it refills and checks every bucket and the quota, then takes a token from each, counts the quota and adds
// the request to the pending usage — or refuses, naming the limit, and changes nothing. Redis runs a script alone,
// so two nodes can never both take the last token.
//
// Clock: by default the script reads Redis's own clock (TIME), so buckets refill the same for every node whatever
// their clocks say; `clock: 'caller'` uses the `now` each call passes (the behavioural suite's fake clock). Quota
// periods and usage days are the caller's (the request time, as in-process).
//
// Keys (under the link's prefix P):
//   P b:{bucketId}        hash t (tokens), a (ms of the last refill)   expires once it would be full again
//   P q:{usageId}         hash p (period start), u (used)             the quota count: Redis is its authority
//   P usage:pending       hash `d\n{usageId}\n{day}` → admitted since the last flush, `q\n{usageId}` → 1 (quota moved)
//   P usage:batch:{id}    a pending hash being written to the store
//   P usage:batches       zset batch id → when claimed (s, Redis time)
//
// Durability (usage records reach the store, ./usage-journal.ts): every `flushMs` one node of the cluster (the first to
// take the flush slot, a Redis key that expires after `flushMs`) claims the pending hash by renaming it to a batch of
// its own (atomic: whatever a request adds afterwards starts a new pending hash), writes the batch's day counts and the
// current quota counts to the store in one transaction that also records the batch id, then deletes the batch. A node
// killed before the delete leaves its batch claimed; after ORPHAN_AFTER_S any node re-claims it, and the recorded id
// tells whether it was written already — so a count is added to the store exactly once, whichever nodes die where. A
// Redis that loses its data (restart without persistence) loses the counts of the last flush interval; a quota key it
// no longer has is seeded again from the store's count before it is used (one store read, then a second round trip, per
// key and Redis lifetime). On every connection a node first raises Redis's quota counts to the store's (RECONCILE), for
// a Redis restored from an older snapshot, and says in a WARN line when Redis keeps no append-only file.
//
// Redis unavailable: see RedisFailurePolicy (src/redis/redis-link.ts). Open: the request is admitted without limits
// and its usage counted here, written straight to the store by the next flush; closed: `take` throws the
// `unavailable` error (the data plane renders it as 503).
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ADMITTED, QUOTA_EXCEEDED, type Counters, type TakeRequest, type TakeResult } from './counters.ts';
import type { SharedUsageJournal, UsageBatch } from './usage-journal.ts';
import type { RedisLink } from '../redis/redis-link.ts';

/** `take`'s script answer for a quota key Redis does not have: seed it from the store, then ask again. */
const UNSEEDED = -3;
/** Quota keys outlive any period (a month is at most 31 days) after their last use. */
const QUOTA_TTL_MS = 40 * 86_400_000;
/** A claimed batch still in Redis this long after its claim belongs to a node that died: another node writes it. */
const ORPHAN_AFTER_S = 30;

// KEYS: the n bucket keys, then the quota key (when ARGV has a quota), then the pending-usage key (when usage).
// ARGV: now (ms; negative: Redis's clock), n, then rate and burst of each bucket (rate -1: unbounded), then the
// usage field ('' for none), quota limit ('' for none), period start, whether a missing quota key must be seeded,
// the quota's dirty field.
const TAKE = `
local now = tonumber(ARGV[1])
if now < 0 then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local n = tonumber(ARGV[2])
local tokens, ats = {}, {}
for i = 1, n do
  local rate, burst = tonumber(ARGV[1 + 2 * i]), tonumber(ARGV[2 + 2 * i])
  local s = redis.call('HMGET', KEYS[i], 't', 'a')
  local t, at = burst, now
  if s[1] then
    t, at = tonumber(s[1]), tonumber(s[2])
    if now > at then
      if rate < 0 then t = burst else t = math.min(burst, t + (now - at) * rate / 1000) end
      at = now
    elseif t > burst then
      t = burst
    end
  end
  if t < 1 then return i - 1 end
  tokens[i], ats[i] = t, at
end
local a = 3 + 2 * n
local usage, limit = ARGV[a], ARGV[a + 1]
local k = n
if limit ~= '' then
  k = k + 1
  local ps = ARGV[a + 2]
  local q = redis.call('HMGET', KEYS[k], 'p', 'u')
  local used = 0
  if not q[1] then
    if ARGV[a + 3] == '1' then return ${UNSEEDED} end
  elseif q[1] == ps then
    used = tonumber(q[2])
  end
  if used >= tonumber(limit) then return ${QUOTA_EXCEEDED} end
  redis.call('HSET', KEYS[k], 'p', ps, 'u', used + 1)
  redis.call('PEXPIRE', KEYS[k], ${QUOTA_TTL_MS})
end
for i = 1, n do
  local rate, burst = tonumber(ARGV[1 + 2 * i]), tonumber(ARGV[2 + 2 * i])
  redis.call('HSET', KEYS[i], 't', string.format('%.17g', tokens[i] - 1), 'a', ats[i])
  if rate > 0 then
    redis.call('PEXPIRE', KEYS[i], math.ceil(burst * 1000 / rate) + 1000)
  elseif rate < 0 then
    redis.call('PEXPIRE', KEYS[i], 1000)
  end
end
if usage ~= '' then
  redis.call('HINCRBY', KEYS[k + 1], usage, 1)
  if limit ~= '' then redis.call('HSET', KEYS[k + 1], ARGV[a + 4], 1) end
end
return ${ADMITTED}
`;

// Seeds a quota key Redis does not have (KEYS[1]) with the store's count, unless another node did meanwhile.
const SEED = `
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], 'p', ARGV[1], 'u', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ${QUOTA_TTL_MS})
end
return 1
`;

// Raises each quota key KEYS[i] to the store's count (ARGV: period start and used, per key) where Redis has less for
// that period, an older period, or nothing: run on every connection, for a Redis restored from a snapshot older than
// the store's copy (missing keys would be seeded anyway; this seeds them at once).
const RECONCILE = `
for i = 1, #KEYS do
  local ps, used = ARGV[2 * i - 1], tonumber(ARGV[2 * i])
  local q = redis.call('HMGET', KEYS[i], 'p', 'u')
  local older = (not q[1]) or q[1] == 'none' or (q[1] ~= ps and tonumber(q[1]) < tonumber(ps))
  if older or (q[1] == ps and tonumber(q[2]) < used) then
    redis.call('HSET', KEYS[i], 'p', ps, 'u', used)
    redis.call('PEXPIRE', KEYS[i], ${QUOTA_TTL_MS})
  end
end
return #KEYS
`;
/** Quota keys per RECONCILE call. */
const RECONCILE_CHUNK = 500;

// Claims the pending usage (KEYS[1]) as batch KEYS[2], registered in the zset KEYS[3] under id ARGV[1]. A periodic
// flush (ARGV[2] > 0) first takes the cluster's flush slot KEYS[4] for ARGV[2] ms, and claims nothing when another
// node holds it: the pending hash is the cluster's, so one claim per interval serves every node, and the store's
// usage writes (serializable, on the same rows) stay four a second however many nodes there are.
const CLAIM = `
if tonumber(ARGV[2]) > 0 and not redis.call('SET', KEYS[4], '1', 'PX', ARGV[2], 'NX') then return 0 end
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('RENAME', KEYS[1], KEYS[2])
redis.call('ZADD', KEYS[3], redis.call('TIME')[1], ARGV[1])
return 1
`;

// Re-claims the batches of the zset KEYS[1] claimed more than ARGV[1] seconds ago (their nodes died): returns their
// ids, now claimed by the caller.
const RECLAIM = `
local now = tonumber(redis.call('TIME')[1])
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]))
for _, id in ipairs(ids) do redis.call('ZADD', KEYS[1], now, id) end
return ids
`;

// Pending usage for the fields ARGV[2..]: first in KEYS[1] (as {'', counts...}), then in every claimed batch not yet
// deleted (as {batch id, counts...}; the zset KEYS[2] names them, ARGV[1] is their key prefix).
const PENDING = `
local function counts(key, id)
  local row = { id }
  for i = 2, #ARGV do row[i] = tonumber(redis.call('HGET', key, ARGV[i]) or '0') end
  return row
end
local out = { counts(KEYS[1], '') }
for _, id in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do out[#out + 1] = counts(ARGV[1] .. id, id) end
return out
`;

interface Scripts {
  ghTake(numKeys: number, ...args: Array<string | number>): Promise<number>;
  ghSeed(key: string, periodStart: string, used: number): Promise<number>;
  ghReconcile(numKeys: number, ...keysAndArgs: Array<string | number>): Promise<number>;
  ghClaim(pending: string, batch: string, batches: string, slot: string, id: string, slotMs: number): Promise<number>;
  ghReclaim(batches: string, ageSeconds: number): Promise<string[]>;
  ghPending(pending: string, batches: string, batchPrefix: string, ...fields: string[]): Promise<Array<[string, ...number[]]>>;
}

export interface RedisCountersOptions {
  /** Whose clock refills the buckets (see the file comment); `server` by default. */
  clock?: 'server' | 'caller';
  /** How often pending usage is written to the store (ms). */
  flushMs?: number;
  /** What `take` throws when Redis cannot answer and the policy is `closed`. */
  unavailable?: () => Error;
}

export class RedisCounters implements Counters {
  readonly #link: RedisLink;
  readonly #redis: Redis & Scripts;
  readonly #journal: SharedUsageJournal;
  readonly #serverClock: boolean;
  readonly #unavailable: () => Error;
  readonly #k: { pending: string; batches: string; batch: string; slot: string };
  readonly #flushMs: number;
  readonly #node = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  #seq = 0;
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> | undefined;
  /** Usage admitted while Redis was unreachable (policy open): `{usageId}\n{day}` → count, for the store directly. */
  #offline = new Map<string, number>();

  constructor(link: RedisLink, journal: SharedUsageJournal, opts: RedisCountersOptions = {}) {
    this.#link = link;
    this.#journal = journal;
    this.#serverClock = (opts.clock ?? 'server') === 'server';
    this.#unavailable = opts.unavailable ?? (() => new Error('the traffic counters (Redis) are unavailable'));
    const p = link.prefix;
    this.#k = { pending: `${p}usage:pending`, batches: `${p}usage:batches`, batch: `${p}usage:batch:`, slot: `${p}usage:flushslot` };
    this.#flushMs = opts.flushMs ?? 250;
    const redis = link.client as Redis & Scripts;
    redis.defineCommand('ghTake', { lua: TAKE });
    redis.defineCommand('ghSeed', { lua: SEED, numberOfKeys: 1 });
    redis.defineCommand('ghReconcile', { lua: RECONCILE });
    redis.defineCommand('ghClaim', { lua: CLAIM, numberOfKeys: 4 });
    redis.defineCommand('ghReclaim', { lua: RECLAIM, numberOfKeys: 1 });
    redis.defineCommand('ghPending', { lua: PENDING, numberOfKeys: 2 });
    this.#redis = redis;
    this.#timer = setInterval(() => void this.flushDue().catch(() => undefined), this.#flushMs);
    this.#timer.unref();
    // On every connection: a restarted Redis may run with another configuration and hold older counts.
    const connected = () => {
      void this.#warnWithoutAppendOnlyFile();
      this.#reconcileQuotas();
    };
    link.client.on('ready', connected);
    if (link.ready) connected();
  }

  /** While set, quota keys are being raised to the store's counts: takes and flushes wait for it. */
  #reconciling: Promise<void> | undefined;

  /**
   * Raises Redis's quota counts to the store's copy (RECONCILE) before this node counts again: a Redis restored from
   * an old snapshot would otherwise count on from its old counts. One store read per connection.
   */
  #reconcileQuotas(): void {
    const run = (async () => {
      const quotas = await this.#journal.loadQuotas();
      for (let i = 0; i < quotas.length; i += RECONCILE_CHUNK) {
        const chunk = quotas.slice(i, i + RECONCILE_CHUNK);
        await this.#redis.ghReconcile(chunk.length, ...chunk.map((q) => `${this.#link.prefix}q:${q.usageId}`), ...chunk.flatMap((q) => [String(q.periodStart), q.used]));
      }
    })().catch((err: unknown) => this.#link.notice(`WARN could not compare Redis's quota counts with the store's: ${(err as Error).message}`));
    const reconciling: Promise<void> = run.finally(() => {
      if (this.#reconciling === reconciling) this.#reconciling = undefined;
    });
    this.#reconciling = reconciling;
  }

  /** A Redis without an append-only file loses recent counts when it restarts (docs/scale-out.md): say so once. */
  async #warnWithoutAppendOnlyFile(): Promise<void> {
    let appendonly: string | undefined;
    try {
      appendonly = ((await this.#redis.config('GET', 'appendonly')) as string[])[1];
    } catch {
      return; // CONFIG refused (managed Redis services rename it): nothing known, nothing to say
    }
    if (appendonly !== 'no') return;
    this.#link.notice(
      `WARN Redis at ${this.#link.where} keeps no append-only file (appendonly no): when it restarts, the quota counts of the last ` +
        `flush interval (or, from a snapshot, since that snapshot) are lost and quotas may admit more than their limit; run it with ` +
        `appendonly yes (docs/scale-out.md, "Redis restarts")`,
    );
  }

  take(request: TakeRequest, now: number): TakeResult | Promise<TakeResult> {
    if (!this.#link.ready) return this.#whenUnavailable(request, undefined);
    if (this.#reconciling) return this.#reconciling.then(() => this.take(request, now));
    return this.#take(request, now).catch((err: unknown) => this.#whenUnavailable(request, err));
  }

  async #take(request: TakeRequest, now: number): Promise<TakeResult> {
    const p = this.#link.prefix;
    const { buckets, usageId, quota } = request;
    const keys: string[] = [];
    const args: Array<string | number> = [this.#serverClock ? -1 : now, buckets.length];
    for (const b of buckets) {
      keys.push(`${p}b:${b.id}`);
      args.push(b.rate === Number.POSITIVE_INFINITY ? -1 : b.rate, b.burst);
    }
    const quotaKey = quota !== undefined && usageId !== undefined ? `${p}q:${usageId}` : undefined;
    if (quotaKey !== undefined) keys.push(quotaKey);
    if (usageId !== undefined) keys.push(this.#k.pending);
    args.push(usageId !== undefined ? `d\n${usageId}\n${request.day}` : '');
    args.push(quotaKey !== undefined ? quota!.limit : '', quota?.periodStart ?? '', '1', `q\n${usageId}`);
    let result = await this.#redis.ghTake(keys.length, ...keys, ...args);
    if (result === UNSEEDED) {
      const stored = await this.#journal.loadQuota(usageId!);
      await this.#redis.ghSeed(quotaKey!, stored ? String(stored.periodStart) : 'none', stored?.used ?? 0);
      result = await this.#redis.ghTake(keys.length, ...keys, ...args);
    }
    return result;
  }

  #whenUnavailable(request: TakeRequest, err: unknown): TakeResult {
    this.#link.failed(err ?? new Error(`connection ${this.#link.client.status}`));
    if (this.#link.failure === 'closed') throw this.#unavailable();
    if (request.usageId !== undefined) {
      const key = `${request.usageId}\n${request.day}`;
      this.#offline.set(key, (this.#offline.get(key) ?? 0) + 1);
    }
    return ADMITTED;
  }

  async dailyUsage(usageId: string, days: readonly string[]): Promise<number[]> {
    if (days.length === 0) return [];
    // Redis first, then the store in one snapshot: a batch is written to the store together with its id, and
    // deleted from Redis only afterwards, so one that Redis still has but the store has already (written just now, or
    // by a node killed before it could delete it) is counted from the store only.
    const [pending, ...batches] = await this.#redis.ghPending(this.#k.pending, this.#k.batches, this.#k.batch, ...days.map((d) => `d\n${usageId}\n${d}`));
    const { stored, written } = await this.#journal.loadDaysAndBatches(usageId, days, batches.map(([id]) => id));
    const unwritten = batches.filter(([id]) => !written.has(id));
    return days.map((d, i) => stored[i]! + Number(pending![i + 1]) + unwritten.reduce((sum, b) => sum + Number(b[i + 1]), 0) + (this.#offline.get(`${usageId}\n${d}`) ?? 0));
  }

  async quotaUsed(usageId: string, periodStart: number): Promise<number> {
    const [p, u] = await this.#redis.hmget(`${this.#link.prefix}q:${usageId}`, 'p', 'u');
    if (p === null) {
      const stored = await this.#journal.loadQuota(usageId);
      return stored?.periodStart === periodStart ? stored.used : 0;
    }
    return p === String(periodStart) ? Number(u) : 0;
  }

  async setQuotaUsed(usageId: string, periodStart: number, used: number): Promise<void> {
    const key = `${this.#link.prefix}q:${usageId}`;
    await this.#redis.multi().hset(key, 'p', String(periodStart), 'u', String(used)).pexpire(key, QUOTA_TTL_MS).exec();
    await this.#journal.write({ days: [], quotas: [{ usageId, periodStart, used }] });
  }

  /** Writes the pending usage to the store now (the cluster's, whichever node counted it). */
  flush(): Promise<void> {
    return this.#queueFlush(0);
  }

  /** The periodic flush: as flush(), unless another node of the cluster claimed within the last flush interval. */
  flushDue(): Promise<void> {
    return this.#queueFlush(this.#flushMs);
  }

  #queueFlush(slotMs: number): Promise<void> {
    // One flush at a time; one asked for during another runs after it.
    const run = (this.#flushing ?? Promise.resolve()).catch(() => undefined).then(() => this.#flush(slotMs));
    this.#flushing = run;
    const clear = () => void (this.#flushing === run && (this.#flushing = undefined));
    run.then(clear, clear);
    return run;
  }

  async #flush(slotMs: number): Promise<void> {
    await this.#reconciling;
    await this.#flushOffline();
    if (!this.#link.ready) return;
    const id = `${new Date().toISOString().slice(0, 13)}/${this.#node}/${++this.#seq}`;
    if ((await this.#redis.ghClaim(this.#k.pending, this.#k.batch + id, this.#k.batches, this.#k.slot, id, slotMs)) === 1) await this.#writeBatch(id);
    for (const orphan of await this.#redis.ghReclaim(this.#k.batches, ORPHAN_AFTER_S)) await this.#writeBatch(orphan);
  }

  /** Writes a claimed batch to the store (at most once: writeOnce), then deletes it from Redis. */
  async #writeBatch(id: string): Promise<void> {
    const key = this.#k.batch + id;
    const fields = await this.#redis.hgetall(key);
    const batch: UsageBatch = { days: [], quotas: [] };
    const quotaIds: string[] = [];
    for (const [field, value] of Object.entries(fields)) {
      const [kind, usageId, day] = field.split('\n');
      if (kind === 'd') batch.days.push({ usageId: usageId!, day: day!, admitted: Number(value) });
      else if (kind === 'q') quotaIds.push(usageId!);
    }
    // The quota counts as they are now (Redis is their authority; the store's copy is for a Redis that lost them).
    for (const usageId of quotaIds) {
      const [p, u] = await this.#redis.hmget(`${this.#link.prefix}q:${usageId}`, 'p', 'u');
      if (p !== null && p !== 'none') batch.quotas.push({ usageId, periodStart: Number(p), used: Number(u) });
    }
    if (batch.days.length > 0 || batch.quotas.length > 0) await this.#journal.writeOnce(id, batch);
    await this.#redis.multi().del(key).zrem(this.#k.batches, id).exec();
  }

  async #flushOffline(): Promise<void> {
    if (this.#offline.size === 0) return;
    const counts = this.#offline;
    this.#offline = new Map();
    const batch: UsageBatch = { days: [], quotas: [] };
    for (const [key, admitted] of counts) {
      const [usageId, day] = key.split('\n');
      batch.days.push({ usageId: usageId!, day: day!, admitted });
    }
    try {
      await this.#journal.write(batch);
    } catch (err) {
      for (const [key, n] of counts) this.#offline.set(key, (this.#offline.get(key) ?? 0) + n);
      throw err;
    }
  }

  /** Dev-mode reset: deletes every counter key of this prefix (the store is wiped separately). */
  async reset(): Promise<void> {
    this.#offline = new Map();
    let cursor = '0';
    do {
      const [next, keys] = await this.#redis.scan(cursor, 'MATCH', `${this.#link.prefix}*`, 'COUNT', 500);
      cursor = next;
      const ours = keys.filter((k) => /^(b|q|usage):/.test(k.slice(this.#link.prefix.length)));
      if (ours.length > 0) await this.#redis.unlink(...ours);
    } while (cursor !== '0');
  }

  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush();
  }
}

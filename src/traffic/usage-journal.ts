// Where the traffic counters keep usage and quota counts across restarts: the store, in two collections,
// region-scoped like the usage plans they belong to (keys begin with the region, as scopedStore writes them):
//   usage        {region}/{planId}/{keyId}/{YYYY-MM-DD}   { admitted }            requests admitted that UTC day
//   usagequotas  {region}/{planId}/{keyId}               { periodStart, used }   the current quota period's count
// A batch is one transaction, so a day's usage and the quota count it moved commit together.
// Quota counts are written two ways. `quotas` replaces the stored count: the Redis counters' count is the cluster's
// own (Redis is its authority), and UpdateUsage sets one. `quotaAdds` adds to it: the in-process counters count only
// their own node's requests, and nodes sharing a store (PostgreSQL without Redis) each add theirs, so the stored count
// is the sum of what every node admitted rather than the last writer's share.
// The Redis counters (./redis-counters.ts) write batches that several nodes may try to write (a node that died
// between its write and its clean-up leaves its batch to the others): `writeOnce` records the batch's id in
//   usagebatches {batchId}                               { at }                  a batch already added
// in the same transaction and skips a batch already recorded, so no count is ever added twice.
import type { Store, Tx } from '../store/store.ts';

export interface UsageBatch {
  days: Array<{ usageId: string; day: string; admitted: number }>;
  quotas: Array<{ usageId: string; periodStart: number; used: number }>;
  /** Added to the stored count of the period (a stored count of an earlier period is replaced; of a later one, kept). */
  quotaAdds?: Array<{ usageId: string; periodStart: number; added: number }>;
}

export interface UsageJournal {
  loadQuotas(): Promise<Array<{ usageId: string; periodStart: number; used: number }>>;
  /** One usage id's stored quota count. */
  loadQuota(usageId: string): Promise<{ periodStart: number; used: number } | undefined>;
  /** Stored admitted counts of a usage id for each day, 0 where none. */
  loadDays(usageId: string, days: readonly string[]): Promise<number[]>;
  /** Adds the batch's day counts to the stored ones, replaces its `quotas` and adds its `quotaAdds`, atomically. */
  write(batch: UsageBatch): Promise<void>;
}

/** The journal of counters shared by several nodes. */
export interface SharedUsageJournal extends UsageJournal {
  /** `loadDays`, and which of `batchIds` were written, read together (one snapshot). */
  loadDaysAndBatches(usageId: string, days: readonly string[], batchIds: readonly string[]): Promise<{ stored: number[]; written: Set<string> }>;
  /** `write`, unless a batch with this id was written before (then nothing). Ids begin with `YYYY-MM-DDTHH`. */
  writeOnce(batchId: string, batch: UsageBatch): Promise<void>;
}

export const USAGE = 'usage';
export const USAGE_QUOTAS = 'usagequotas';
export const USAGE_BATCHES = 'usagebatches';

/** How long the id of a written batch is remembered: far longer than any batch can stay unfinished in Redis. */
const BATCH_MEMORY_MS = 2 * 3_600_000;

async function apply(tx: Tx, batch: UsageBatch): Promise<void> {
  for (const { usageId, day, admitted } of batch.days) {
    const key = `${usageId}/${day}`;
    const stored = await tx.get<{ admitted: number }>(USAGE, key);
    await tx.put(USAGE, key, { admitted: (stored?.admitted ?? 0) + admitted });
  }
  for (const { usageId, periodStart, used } of batch.quotas) await tx.put(USAGE_QUOTAS, usageId, { periodStart, used });
  for (const { usageId, periodStart, added } of batch.quotaAdds ?? []) {
    const stored = await tx.get<{ periodStart: number; used: number }>(USAGE_QUOTAS, usageId);
    // A node still counting a period another node has already left: that period's count no longer matters.
    if (stored && stored.periodStart > periodStart) continue;
    await tx.put(USAGE_QUOTAS, usageId, { periodStart, used: (stored?.periodStart === periodStart ? stored.used : 0) + added });
  }
}

async function daysOf(tx: Tx, usageId: string, days: readonly string[]): Promise<number[]> {
  const rows = await tx.list<{ admitted: number }>(USAGE, `${usageId}/`);
  const byDay = new Map(rows.map(({ key, value }) => [key.slice(usageId.length + 1), value.admitted]));
  return days.map((d) => byDay.get(d) ?? 0);
}

export function storeJournal(store: Store): SharedUsageJournal {
  let prunedHour = '';
  return {
    async loadQuotas() {
      const rows = await store.read((tx) => tx.list<{ periodStart: number; used: number }>(USAGE_QUOTAS));
      return rows.map(({ key, value }) => ({ usageId: key, periodStart: value.periodStart, used: value.used }));
    },
    async loadQuota(usageId) {
      const q = await store.read((tx) => tx.get<{ periodStart: number; used: number }>(USAGE_QUOTAS, usageId));
      return q && { periodStart: q.periodStart, used: q.used };
    },
    async loadDays(usageId, days) {
      if (days.length === 0) return [];
      return store.read((tx) => daysOf(tx, usageId, days));
    },
    loadDaysAndBatches(usageId, days, batchIds) {
      return store.read(async (tx) => {
        const written = new Set<string>();
        for (const id of batchIds) if (await tx.unscoped().get(USAGE_BATCHES, id)) written.add(id);
        return { stored: await daysOf(tx, usageId, days), written };
      });
    },
    async write(batch) {
      await store.write((tx) => apply(tx, batch));
    },
    async writeOnce(batchId, batch) {
      const hour = new Date().toISOString().slice(0, 13);
      await store.write(async (tx) => {
        const ids = tx.unscoped();
        if (await ids.get(USAGE_BATCHES, batchId)) return;
        await apply(tx, batch);
        await ids.put(USAGE_BATCHES, batchId, { at: Date.now() });
        // Once an hour, forget the ids of batches written long ago (ids sort by their hour).
        if (hour !== prunedHour) {
          prunedHour = hour;
          const before = new Date(Date.now() - BATCH_MEMORY_MS).toISOString().slice(0, 13);
          for (const { key } of await ids.list(USAGE_BATCHES)) if (key.slice(0, 13) < before) await ids.delete(USAGE_BATCHES, key);
        }
      });
    },
  };
}

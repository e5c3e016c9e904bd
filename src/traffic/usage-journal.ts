// Where the in-process counters keep usage and quota counts across restarts: the store, in two collections,
// region-scoped like the usage plans they belong to (keys begin with the region, as scopedStore writes them):
//   usage        {region}/{planId}/{keyId}/{YYYY-MM-DD}   { admitted }            requests admitted that UTC day
//   usagequotas  {region}/{planId}/{keyId}               { periodStart, used }   the current quota period's count
// A batch is one transaction, so a day's usage and the quota count it moved commit together.
import type { Store } from '../store/store.ts';

export interface UsageBatch {
  days: Array<{ usageId: string; day: string; admitted: number }>;
  quotas: Array<{ usageId: string; periodStart: number; used: number }>;
}

export interface UsageJournal {
  loadQuotas(): Promise<Array<{ usageId: string; periodStart: number; used: number }>>;
  /** Stored admitted counts of a usage id for each day, 0 where none. */
  loadDays(usageId: string, days: readonly string[]): Promise<number[]>;
  /** Adds the batch's day counts to the stored ones and replaces its quota counts, atomically. */
  write(batch: UsageBatch): Promise<void>;
}

export const USAGE = 'usage';
export const USAGE_QUOTAS = 'usagequotas';

export function storeJournal(store: Store): UsageJournal {
  return {
    async loadQuotas() {
      const rows = await store.read((tx) => tx.list<{ periodStart: number; used: number }>(USAGE_QUOTAS));
      return rows.map(({ key, value }) => ({ usageId: key, periodStart: value.periodStart, used: value.used }));
    },
    async loadDays(usageId, days) {
      if (days.length === 0) return [];
      const rows = await store.read((tx) => tx.list<{ admitted: number }>(USAGE, `${usageId}/`));
      const byDay = new Map(rows.map(({ key, value }) => [key.slice(usageId.length + 1), value.admitted]));
      return days.map((d) => byDay.get(d) ?? 0);
    },
    async write(batch) {
      await store.write(async (tx) => {
        for (const { usageId, day, admitted } of batch.days) {
          const key = `${usageId}/${day}`;
          const stored = await tx.get<{ admitted: number }>(USAGE, key);
          await tx.put(USAGE, key, { admitted: (stored?.admitted ?? 0) + admitted });
        }
        for (const { usageId, periodStart, used } of batch.quotas) await tx.put(USAGE_QUOTAS, usageId, { periodStart, used });
      });
    },
  };
}

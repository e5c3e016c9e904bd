// The in-process Counters adapter: the shared behavioural suite, without and with the store journal, and what only
// this adapter promises: counts written to the store survive a restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { InProcessCounters } from '../../src/traffic/in-process-counters.ts';
import { storeJournal } from '../../src/traffic/usage-journal.ts';
import { ADMITTED, QUOTA_EXCEEDED, type TakeRequest } from '../../src/traffic/counters.ts';
import { SqliteStore } from '../../src/store/sqlite.ts';
import { tempDataDir } from '../helpers/temp.ts';
import { countersSuite } from './counters-suite.ts';

countersSuite('in-process (memory only)', () => new InProcessCounters());

const dirs: string[] = [];
const stores: SqliteStore[] = [];
countersSuite('in-process (store journal)', () => {
  const dir = tempDataDir();
  dirs.push(dir);
  const store = new SqliteStore(dir);
  stores.push(store);
  return new InProcessCounters({ journal: storeJournal(store), flushMs: 60_000 });
});
test.after(async () => {
  for (const s of stores) await s.close().catch(() => undefined);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const T0 = Date.UTC(2026, 2, 10, 12);
const req: TakeRequest = { buckets: [{ id: 'b', rate: 1000, burst: 1000 }], usageId: 'us-east-1/p1/k1', day: '2026-03-10', quota: { limit: 5, periodStart: Date.UTC(2026, 2, 10) } };

test('usage and quota counts written on close are there after a restart; buckets start full', async () => {
  const dir = tempDataDir();
  try {
    let store = new SqliteStore(dir);
    let c = new InProcessCounters({ journal: storeJournal(store), flushMs: 60_000 });
    for (let i = 0; i < 3; i++) assert.equal(await c.take(req, T0), ADMITTED);
    await c.close();
    await store.close();

    store = new SqliteStore(dir);
    c = new InProcessCounters({ journal: storeJournal(store), flushMs: 60_000 });
    assert.equal(await c.quotaUsed(req.usageId!, req.quota!.periodStart), 3);
    assert.deepEqual(await c.dailyUsage(req.usageId!, ['2026-03-10']), [3]);
    // Two left of five, then the quota refuses.
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await c.take(req, T0));
    assert.deepEqual(results, [ADMITTED, ADMITTED, QUOTA_EXCEEDED]);
    await c.close();
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('counts are written every flush interval without waiting for close', async () => {
  const dir = tempDataDir();
  const store = new SqliteStore(dir);
  const c = new InProcessCounters({ journal: storeJournal(store), flushMs: 20 });
  try {
    assert.equal(await c.take(req, T0), ADMITTED);
    // Wait for the interval's write to land (polled: no fixed sleep).
    const journal = storeJournal(store);
    for (let i = 0; i < 500 && (await journal.loadDays(req.usageId!, ['2026-03-10']))[0] !== 1; i++) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(await journal.loadDays(req.usageId!, ['2026-03-10']), [1]);
    assert.deepEqual(await journal.loadQuotas(), [{ usageId: req.usageId, periodStart: req.quota!.periodStart, used: 1 }]);
  } finally {
    await c.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a failed write keeps the counts for the next one', async () => {
  let fail = true;
  const written: unknown[] = [];
  const c = new InProcessCounters({
    journal: {
      loadQuotas: async () => [],
      loadQuota: async () => undefined,
      loadDays: async (_id, days) => days.map(() => 0),
      write: async (batch) => {
        if (fail) throw new Error('disk full');
        written.push(batch);
      },
    },
    flushMs: 60_000,
  });
  await c.take(req, T0);
  await assert.rejects(c.flush(), /disk full/);
  assert.deepEqual(await c.dailyUsage(req.usageId!, ['2026-03-10']), [1], 'still counted');
  fail = false;
  await c.take(req, T0);
  await c.flush();
  assert.deepEqual(written, [{ days: [{ usageId: req.usageId, day: '2026-03-10', admitted: 2 }], quotas: [], quotaAdds: [{ usageId: req.usageId, periodStart: req.quota!.periodStart, added: 2 }] }]);
  await c.close();
});

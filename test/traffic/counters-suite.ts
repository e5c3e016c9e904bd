// The behaviour every Counters adapter must have (src/traffic/counters.ts): token buckets, quotas and usage
// records, all through `take` with an explicit clock. Run it on an adapter with `countersSuite(name, make)`:
// test/traffic/in-process-counters.test.ts runs it on the in-process one; a shared-server adapter runs it too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMITTED, QUOTA_EXCEEDED, type BucketLimit, type Counters, type TakeRequest } from '../../src/traffic/counters.ts';

const T0 = Date.UTC(2026, 2, 10, 12, 0, 0); // a Tuesday, noon UTC
const DAY = '2026-03-10';

/** Takes `n` times at `now`; returns the results. */
async function takeN(c: Counters, req: TakeRequest, now: number, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await c.take(req, now));
  return out;
}

const admitted = (results: number[]) => results.filter((r) => r === ADMITTED).length;

export function countersSuite(name: string, make: () => Counters | Promise<Counters>): void {
  const withCounters = (title: string, fn: (c: Counters) => Promise<void>) =>
    test(`${name}: ${title}`, async () => {
      const c = await make();
      try {
        await fn(c);
      } finally {
        await c.close();
      }
    });

  withCounters('a new bucket is full: it admits `burst` requests at once, then refuses naming the bucket', async (c) => {
    const b: BucketLimit = { id: 'b1', rate: 10, burst: 5 };
    const results = await takeN(c, { buckets: [b] }, T0, 7);
    assert.deepEqual(results, [ADMITTED, ADMITTED, ADMITTED, ADMITTED, ADMITTED, 0, 0]);
  });

  withCounters('tokens come back at `rate` per second, never beyond `burst`', async (c) => {
    const req = { buckets: [{ id: 'b', rate: 10, burst: 3 }] };
    assert.equal(admitted(await takeN(c, req, T0, 3)), 3);
    assert.equal(await c.take(req, T0 + 99), 0, 'less than one token after 99 ms at 10/s');
    assert.equal(await c.take(req, T0 + 100), ADMITTED, 'one token after 100 ms');
    assert.equal(await c.take(req, T0 + 100), 0);
    // An hour idle refills to the burst only.
    assert.equal(admitted(await takeN(c, req, T0 + 3_600_000, 10)), 3);
  });

  withCounters('a burst below 1 admits nothing; a rate of 0 never refills', async (c) => {
    assert.equal(await c.take({ buckets: [{ id: 'closed', rate: 100, burst: 0 }] }, T0), 0);
    assert.equal(await c.take({ buckets: [{ id: 'closed', rate: 100, burst: 0 }] }, T0 + 10_000), 0);
    const once = { buckets: [{ id: 'once', rate: 0, burst: 2 }] };
    assert.deepEqual(await takeN(c, once, T0, 3), [ADMITTED, ADMITTED, 0]);
    assert.equal(await c.take(once, T0 + 86_400_000), 0);
  });

  withCounters('every bucket must have a token: the first refusing one is named and nothing is consumed', async (c) => {
    const loose: BucketLimit = { id: 'loose', rate: 1, burst: 3 };
    const strict: BucketLimit = { id: 'strict', rate: 1, burst: 1 };
    assert.equal(await c.take({ buckets: [loose, strict] }, T0), ADMITTED);
    assert.equal(await c.take({ buckets: [loose, strict] }, T0), 1, 'the strict bucket (index 1) refuses');
    // The refused request took nothing from `loose`: two tokens remain there.
    assert.deepEqual(await takeN(c, { buckets: [loose] }, T0, 3), [ADMITTED, ADMITTED, 0]);
  });

  withCounters('buckets with different ids are independent', async (c) => {
    assert.equal(await c.take({ buckets: [{ id: 'x', rate: 1, burst: 1 }] }, T0), ADMITTED);
    assert.equal(await c.take({ buckets: [{ id: 'y', rate: 1, burst: 1 }] }, T0), ADMITTED);
    assert.equal(await c.take({ buckets: [{ id: 'x', rate: 1, burst: 1 }] }, T0), 0);
  });

  withCounters('a lowered burst applies at once to a bucket holding more tokens', async (c) => {
    assert.equal(await c.take({ buckets: [{ id: 'b', rate: 1, burst: 10 }] }, T0), ADMITTED);
    assert.deepEqual(await takeN(c, { buckets: [{ id: 'b', rate: 1, burst: 2 }] }, T0, 3), [ADMITTED, ADMITTED, 0]);
  });

  withCounters('the accepted rate under sustained overload is the configured rate (within 1% over 10 s)', async (c) => {
    // 4x the rate, evenly spaced, for 10 simulated seconds.
    const rate = 200;
    const req = { buckets: [{ id: 'load', rate, burst: 10 }] };
    let ok = 0;
    const n = rate * 4 * 10;
    for (let i = 0; i < n; i++) if ((await c.take(req, T0 + Math.floor((i * 10_000) / n))) === ADMITTED) ok++;
    const expected = rate * 10 + 10; // the steady rate plus the initial burst
    assert.ok(Math.abs(ok - expected) <= expected * 0.01, `admitted ${ok}, expected about ${expected}`);
  });

  withCounters('a quota admits `limit` requests in its period, then answers QUOTA_EXCEEDED', async (c) => {
    const req: TakeRequest = { buckets: [], usageId: 'r/p/k', day: DAY, quota: { limit: 3, periodStart: Date.UTC(2026, 2, 10) } };
    assert.deepEqual(await takeN(c, req, T0, 5), [ADMITTED, ADMITTED, ADMITTED, QUOTA_EXCEEDED, QUOTA_EXCEEDED]);
    assert.equal(await c.quotaUsed('r/p/k', Date.UTC(2026, 2, 10)), 3);
    // The next period starts from zero.
    const next = { ...req, day: '2026-03-11', quota: { limit: 3, periodStart: Date.UTC(2026, 2, 11) } };
    assert.equal(await c.take(next, Date.UTC(2026, 2, 11, 0, 0, 1)), ADMITTED);
    assert.equal(await c.quotaUsed('r/p/k', Date.UTC(2026, 2, 11)), 1);
    assert.equal(await c.quotaUsed('r/p/k', Date.UTC(2026, 2, 10)), 0, 'only the current period is kept');
  });

  withCounters('throttled requests do not count against the quota, and a quota refusal takes no token', async (c) => {
    const bucket = { id: 'plan/r/p/k', rate: 1, burst: 2 };
    const quota = { limit: 2, periodStart: Date.UTC(2026, 2, 10) };
    const req: TakeRequest = { buckets: [bucket], usageId: 'r/p/k', day: DAY, quota };
    assert.deepEqual(await takeN(c, req, T0, 3), [ADMITTED, ADMITTED, 0]);
    assert.equal(await c.quotaUsed('r/p/k', quota.periodStart), 2);
    // Refilled bucket, exhausted quota: QUOTA_EXCEEDED, and the token stays.
    assert.equal(await c.take(req, T0 + 5_000), QUOTA_EXCEEDED);
    assert.deepEqual(await takeN(c, { buckets: [bucket] }, T0 + 5_000, 3), [ADMITTED, ADMITTED, 0]);
  });

  withCounters('throttling is checked before the quota', async (c) => {
    const req: TakeRequest = { buckets: [{ id: 'none', rate: 1, burst: 0 }], usageId: 'r/p/k', day: DAY, quota: { limit: 0, periodStart: 0 } };
    assert.equal(await c.take(req, T0), 0);
  });

  withCounters('usage is recorded per usage id and UTC day, for admitted requests only', async (c) => {
    const req = (usageId: string, day: string): TakeRequest => ({ buckets: [{ id: `b/${usageId}`, rate: 1000, burst: 1000 }], usageId, day });
    await takeN(c, req('r/p/k1', '2026-03-10'), T0, 4);
    await takeN(c, req('r/p/k1', '2026-03-11'), T0 + 86_400_000, 2);
    await takeN(c, req('r/p/k2', '2026-03-10'), T0, 1);
    await takeN(c, { buckets: [{ id: 'b/anon', rate: 1, burst: 100 }] }, T0, 5); // no usage id: not recorded
    const quotaFull: TakeRequest = { ...req('r/p/k3', '2026-03-10'), quota: { limit: 1, periodStart: 0 } };
    await takeN(c, quotaFull, T0, 3); // one admitted, two refused
    assert.deepEqual(await c.dailyUsage('r/p/k1', ['2026-03-09', '2026-03-10', '2026-03-11']), [0, 4, 2]);
    assert.deepEqual(await c.dailyUsage('r/p/k2', ['2026-03-10']), [1]);
    assert.deepEqual(await c.dailyUsage('r/p/k3', ['2026-03-10']), [1]);
    assert.deepEqual(await c.dailyUsage('r/p/none', ['2026-03-10']), [0]);
    assert.deepEqual(await c.dailyUsage('r/p/k1', []), []);
  });

  withCounters('setQuotaUsed changes what is left in that period only', async (c) => {
    const start = Date.UTC(2026, 2, 8);
    const req: TakeRequest = { buckets: [], usageId: 'r/p/k', day: DAY, quota: { limit: 10, periodStart: start } };
    await takeN(c, req, T0, 2);
    await c.setQuotaUsed('r/p/k', start, 9); // one left
    assert.equal(await c.quotaUsed('r/p/k', start), 9);
    assert.deepEqual(await takeN(c, req, T0, 2), [ADMITTED, QUOTA_EXCEEDED]);
    await c.setQuotaUsed('r/p/k', start, -5); // an extension beyond the limit
    assert.equal(admitted(await takeN(c, req, T0, 20)), 15);
    assert.deepEqual(await c.dailyUsage('r/p/k', [DAY]), [18], 'usage records what was admitted, whatever the quota said');
  });

  withCounters('flush keeps every count readable', async (c) => {
    const req: TakeRequest = { buckets: [], usageId: 'r/p/k', day: DAY, quota: { limit: 100, periodStart: 0 } };
    await takeN(c, req, T0, 3);
    await c.flush();
    await takeN(c, req, T0, 2);
    assert.deepEqual(await c.dailyUsage('r/p/k', [DAY]), [5]);
    assert.equal(await c.quotaUsed('r/p/k', 0), 5);
  });
}

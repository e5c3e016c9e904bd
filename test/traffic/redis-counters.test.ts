// The Redis Counters adapter: the shared behavioural suite (caller clock, on a Redis of the test's own), and what
// only this adapter promises: two nodes share buckets and quotas exactly, usage reaches the store exactly once
// (also when a node dies after claiming a batch), a Redis that lost its data is re-seeded from the store (and one
// restored from an older snapshot raised to the store's counts), and the failure policy when Redis is down.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { RedisCounters } from '../../src/traffic/redis-counters.ts';
import { RedisLink } from '../../src/redis/redis-link.ts';
import { storeJournal } from '../../src/traffic/usage-journal.ts';
import { ADMITTED, QUOTA_EXCEEDED, type TakeRequest } from '../../src/traffic/counters.ts';
import { SqliteStore } from '../../src/store/sqlite.ts';
import { tempDataDir } from '../helpers/temp.ts';
import { countersSuite } from './counters-suite.ts';
import { redisSkip, startRedis, type TestRedis } from '../helpers/redis.ts';

let redis: TestRedis | undefined;
const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
  await redis?.stop();
});

async function theRedis(): Promise<TestRedis> {
  redis ??= await startRedis();
  return redis;
}

let prefixes = 0;
/** A store, and `n` nodes' counters on one Redis prefix and that store. */
async function cluster(n: number, opts: { clock?: 'server' | 'caller'; failure?: 'open' | 'closed'; url?: string } = {}) {
  const url = opts.url ?? (await theRedis()).url;
  const dir = tempDataDir();
  const store = new SqliteStore(dir);
  const prefix = `t${++prefixes}:`;
  const warnings: string[] = [];
  const nodes: Array<{ link: RedisLink; counters: RedisCounters }> = [];
  for (let i = 0; i < n; i++) {
    // A generous command timeout: with failure 'open' a command starved past it (a busy machine running the whole
    // suite) would admit without limits and the exact counts below would be off.
    const link = new RedisLink({ url, prefix, failure: opts.failure ?? 'open', warn: (l) => warnings.push(l), commandTimeoutMs: opts.failure === undefined ? 10_000 : undefined });
    await link.waitReady(2000);
    const counters = new RedisCounters(link, storeJournal(store), { clock: opts.clock ?? 'caller', flushMs: 60_000, unavailable: () => new Error('UNAVAILABLE') });
    nodes.push({ link, counters });
  }
  const close = async () => {
    for (const { link, counters } of nodes) {
      await counters.close().catch(() => undefined);
      await link.close();
    }
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  };
  cleanups.push(close);
  return { store, nodes, warnings, prefix, close };
}

if (!redisSkip) {
  countersSuite('redis', async () => (await cluster(1)).nodes[0]!.counters);
}

const T0 = Date.UTC(2026, 2, 10, 12);
const DAY = '2026-03-10';
const keyed = (limit: number): TakeRequest => ({
  buckets: [{ id: 'plan/us-east-1/p1/k1', rate: 1000, burst: 5000 }],
  usageId: 'us-east-1/p1/k1',
  day: DAY,
  quota: { limit, periodStart: Date.UTC(2026, 2, 10) },
});

test('redis: two nodes share one quota and one bucket exactly, taking concurrently', { skip: redisSkip }, async () => {
  const { nodes } = await cluster(2);
  const [a, b] = nodes.map((n) => n.counters);
  const req = keyed(1000);
  const calls = [];
  for (let i = 0; i < 1300; i++) calls.push((i % 2 ? a! : b!).take(req, T0));
  const results = await Promise.all(calls);
  assert.equal(results.filter((r) => r === ADMITTED).length, 1000);
  assert.equal(results.filter((r) => r === QUOTA_EXCEEDED).length, 300);
  const bucket = { buckets: [{ id: 'shared', rate: 1, burst: 50 }] };
  const taken = await Promise.all(Array.from({ length: 80 }, (_, i) => (i % 2 ? a! : b!).take(bucket, T0)));
  assert.equal(taken.filter((r) => r === ADMITTED).length, 50);
  assert.equal(await a!.quotaUsed(req.usageId!, req.quota!.periodStart), 1000);
  assert.equal(await b!.quotaUsed(req.usageId!, req.quota!.periodStart), 1000);
});

test("redis: the server's clock refills buckets (whatever the callers' clocks say)", { skip: redisSkip }, async () => {
  const { nodes } = await cluster(2, { clock: 'server' });
  const [a, b] = nodes.map((n) => n.counters);
  const req = { buckets: [{ id: 'srv', rate: 20, burst: 2 }] };
  // Callers' clocks a day apart change nothing.
  assert.equal(await a!.take(req, T0), ADMITTED);
  assert.equal(await b!.take(req, T0 + 86_400_000), ADMITTED);
  assert.equal(await a!.take(req, T0 + 2 * 86_400_000), 0);
  await new Promise((r) => setTimeout(r, 120)); // 20/s: a token after 50 ms of Redis time
  assert.equal(await b!.take(req, T0), ADMITTED);
});

test('redis: usage reaches the store once per admitted request, whichever node flushes', { skip: redisSkip }, async () => {
  const { nodes, store } = await cluster(2);
  const [a, b] = nodes.map((n) => n.counters);
  const req = keyed(100);
  for (let i = 0; i < 7; i++) await (i % 2 ? a! : b!).take(req, T0);
  assert.deepEqual(await a!.dailyUsage(req.usageId!, [DAY]), [7], 'pending usage is counted before any flush');
  await Promise.all([a!.flush(), b!.flush()]);
  const journal = storeJournal(store);
  assert.deepEqual(await journal.loadDays(req.usageId!, [DAY]), [7]);
  assert.deepEqual(await journal.loadQuota(req.usageId!), { periodStart: req.quota!.periodStart, used: 7 });
  assert.deepEqual(await b!.dailyUsage(req.usageId!, [DAY]), [7]);
  await a!.take(req, T0);
  await b!.flush();
  assert.deepEqual(await journal.loadDays(req.usageId!, [DAY]), [8]);
  assert.deepEqual(await a!.dailyUsage(req.usageId!, [DAY, '2026-03-11']), [8, 0]);
});

test("redis: a batch left claimed by a dead node is written by another, once, even if it was written already", { skip: redisSkip }, async () => {
  const { nodes, store, prefix } = await cluster(1);
  const c = nodes[0]!.counters;
  const r = nodes[0]!.link.client;
  const journal = storeJournal(store);
  // A node claimed a batch and died before writing it (claimed 31 s ago by Redis's clock).
  const [secs] = await r.time();
  const hour = new Date().toISOString().slice(0, 13); // batch ids begin with their hour (old ones are forgotten)
  await r.hset(`${prefix}usage:batch:${hour}/dead/1`, `d\nus-east-1/p1/k9\n${DAY}`, '4');
  await r.zadd(`${prefix}usage:batches`, Number(secs) - 31, `${hour}/dead/1`);
  // Another died after writing its batch but before deleting it.
  await journal.writeOnce(`${hour}/dead/2`, { days: [{ usageId: 'us-east-1/p1/k9', day: DAY, admitted: 3 }], quotas: [] });
  await r.hset(`${prefix}usage:batch:${hour}/dead/2`, `d\nus-east-1/p1/k9\n${DAY}`, '3');
  await r.zadd(`${prefix}usage:batches`, Number(secs) - 31, `${hour}/dead/2`);
  assert.deepEqual(await c.dailyUsage('us-east-1/p1/k9', [DAY]), [7], 'stored 3 + batch 4 (the written one still in Redis is counted once, from the store)');
  await c.flush();
  assert.deepEqual(await journal.loadDays('us-east-1/p1/k9', [DAY]), [7]);
  assert.equal(await r.zcard(`${prefix}usage:batches`), 0);
  assert.deepEqual(await c.dailyUsage('us-east-1/p1/k9', [DAY]), [7]);
});

test('redis: a Redis that lost its data seeds each quota from the store before counting it', { skip: redisSkip }, async () => {
  const { nodes, prefix } = await cluster(1);
  const c = nodes[0]!.counters;
  const req = keyed(5);
  for (let i = 0; i < 3; i++) assert.equal(await c.take(req, T0), ADMITTED);
  await c.flush();
  await nodes[0]!.link.client.del(`${prefix}q:${req.usageId}`); // as a restarted Redis without persistence
  assert.deepEqual(await Promise.all([c.take(req, T0), c.take(req, T0), c.take(req, T0)]), [ADMITTED, ADMITTED, QUOTA_EXCEEDED]);
  assert.equal(await c.quotaUsed(req.usageId!, req.quota!.periodStart), 5);
});

test('redis: a Redis restored from an older snapshot has its quota counts raised to the store\'s before a node counts again', { skip: redisSkip }, async () => {
  const { nodes, prefix } = await cluster(1);
  const { counters: c, link } = nodes[0]!;
  const req = keyed(5);
  for (let i = 0; i < 3; i++) assert.equal(await c.take(req, T0), ADMITTED);
  await c.flush();
  await link.client.hset(`${prefix}q:${req.usageId}`, 'u', '1'); // as a snapshot taken after the first request
  const reconnected = new Promise((r) => link.client.once('ready', r));
  link.client.disconnect(true); // as a restarted Redis: the node connects again
  await reconnected;
  assert.deepEqual(await Promise.all([c.take(req, T0), c.take(req, T0), c.take(req, T0)]), [ADMITTED, ADMITTED, QUOTA_EXCEEDED]);
  assert.equal(await link.client.hget(`${prefix}q:${req.usageId}`, 'u'), '5');
});

test('redis: setQuotaUsed (UpdateUsage) is in Redis and in the store before it returns', { skip: redisSkip }, async () => {
  const { nodes, store } = await cluster(2);
  const req = keyed(10);
  await nodes[0]!.counters.take(req, T0);
  await nodes[0]!.counters.setQuotaUsed(req.usageId!, req.quota!.periodStart, 9);
  assert.deepEqual(await storeJournal(store).loadQuota(req.usageId!), { periodStart: req.quota!.periodStart, used: 9 });
  assert.deepEqual(await Promise.all([nodes[1]!.counters.take(req, T0), nodes[1]!.counters.take(req, T0)]), [ADMITTED, QUOTA_EXCEEDED]);
});

test('redis down, policy open: requests are admitted and their usage still reaches the store; Redis back: limits again', { skip: redisSkip }, async () => {
  const own = await startRedis();
  cleanups.push(() => own.stop());
  const { nodes, store, warnings } = await cluster(1, { url: own.url, failure: 'open' });
  const { counters, link } = nodes[0]!;
  const req = keyed(2);
  assert.deepEqual(await Promise.all([counters.take(req, T0), counters.take(req, T0)]), [ADMITTED, ADMITTED]);
  await counters.flush();
  await own.kill();
  for (let i = 0; i < 50 && link.ready; i++) await new Promise((r) => setTimeout(r, 10));
  const down = [];
  for (let i = 0; i < 20; i++) down.push(await counters.take(req, T0));
  assert.deepEqual(down, Array(20).fill(ADMITTED), 'admitted although the quota is used up');
  assert.equal(warnings.filter((w) => /^WARN Redis at redis:\/\/127\.0\.0\.1:\d+ is unavailable/.test(w)).length, 1, `one WARN line, not one per request: ${warnings.join('\n')}`);
  await counters.flush();
  assert.deepEqual(await storeJournal(store).loadDays(req.usageId!, [DAY]), [22]);
  await own.restart();
  assert.equal(await link.waitReady(5000), true);
  assert.ok(warnings.some((w) => /is reachable again/.test(w)));
  // The empty Redis seeds the quota from the store (2, written before the crash): used up again.
  assert.equal(await counters.take(req, T0), QUOTA_EXCEEDED);
});

test('redis down, policy closed: take throws the unavailable error (503), at once', { skip: redisSkip }, async () => {
  const own = await startRedis();
  cleanups.push(() => own.stop());
  const { nodes } = await cluster(1, { url: own.url, failure: 'closed' });
  const { counters, link } = nodes[0]!;
  assert.equal(await counters.take(keyed(5), T0), ADMITTED);
  await own.kill();
  for (let i = 0; i < 50 && link.ready; i++) await new Promise((r) => setTimeout(r, 10));
  const started = Date.now();
  assert.throws(() => counters.take(keyed(5), T0) as number, /UNAVAILABLE/);
  assert.ok(Date.now() - started < 100);
  await own.restart();
  assert.equal(await link.waitReady(5000), true);
  assert.equal(await counters.take({ buckets: [{ id: 'after', rate: 1, burst: 1 }] }, T0), ADMITTED);
});

test('redis: one periodic flush per interval serves the cluster; the other nodes skip theirs, and nothing is lost', { skip: redisSkip }, async () => {
  const { nodes, store } = await cluster(3);
  const [a, b, c] = nodes.map((n) => n.counters);
  const req = keyed(100);
  const journal = storeJournal(store);
  const batches = () => store.read((tx) => tx.list('usagebatches'));
  for (let i = 0; i < 6; i++) await [a!, b!, c!][i % 3]!.take(req, T0);
  await a!.flushDue();
  assert.deepEqual(await journal.loadDays(req.usageId!, [DAY]), [6]);
  assert.equal((await batches()).length, 1);
  // Within the interval (60 s in these nodes) the others' periodic flushes claim nothing: no store write.
  await b!.take(req, T0);
  await Promise.all([b!.flushDue(), c!.flushDue(), a!.flushDue()]);
  assert.equal((await batches()).length, 1);
  assert.deepEqual(await journal.loadDays(req.usageId!, [DAY]), [6]);
  assert.deepEqual(await c!.dailyUsage(req.usageId!, [DAY]), [7], 'the unflushed request is counted from Redis');
  // An explicit flush (close, tests) does not wait for the slot.
  await c!.flush();
  assert.deepEqual(await journal.loadDays(req.usageId!, [DAY]), [7]);
  assert.equal((await batches()).length, 2);
});

// The behaviour every ResponseCache adapter must have (memory now, Redis later). Each adapter's test file calls
// responseCacheSuite with a factory taking the clock the adapter must use: time moves by hand, nothing sleeps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ResponseCache } from '../../src/cache/response-cache.ts';
import { entrySize } from '../../src/cache/response-cache.ts';

export function responseCacheSuite(name: string, make: (now: () => number) => ResponseCache | Promise<ResponseCache>): void {
  const withCache = async (fn: (c: ResponseCache, clock: { t: number }) => Promise<void>) => {
    const clock = { t: 1_000_000 };
    const c = await make(() => clock.t);
    try {
      await fn(c, clock);
    } finally {
      await c.close();
    }
  };
  const v = (s: string) => Buffer.from(s);
  const BIG = 1 << 30;

  test(`${name}: stores, returns and replaces a value; absent keys are undefined`, () =>
    withCache(async (c) => {
      assert.equal(await c.get('api/s', 'k'), undefined);
      await c.set('api/s', 'k', v('one'), 60_000, BIG);
      assert.deepEqual(await c.get('api/s', 'k'), v('one'));
      await c.set('api/s', 'k', v('two'), 60_000, BIG);
      assert.deepEqual(await c.get('api/s', 'k'), v('two'));
      assert.deepEqual(await c.usage('api/s'), { entries: 1, bytes: entrySize('k', v('two')) });
    }));

  test(`${name}: an entry expires exactly at its TTL`, () =>
    withCache(async (c, clock) => {
      await c.set('api/s', 'k', v('x'), 300_000, BIG);
      clock.t += 299_999;
      assert.deepEqual(await c.get('api/s', 'k'), v('x'));
      clock.t += 1;
      assert.equal(await c.get('api/s', 'k'), undefined);
      assert.deepEqual(await c.usage('api/s'), { entries: 0, bytes: 0 });
    }));

  test(`${name}: a TTL of 0 stores nothing`, () =>
    withCache(async (c) => {
      await c.set('api/s', 'k', v('x'), 0, BIG);
      assert.equal(await c.get('api/s', 'k'), undefined);
    }));

  test(`${name}: partitions are separate; flush empties one partition only`, () =>
    withCache(async (c) => {
      await c.set('a/s', 'k', v('a'), 60_000, BIG);
      await c.set('b/s', 'k', v('b'), 60_000, BIG);
      assert.deepEqual(await c.get('a/s', 'k'), v('a'));
      assert.deepEqual(await c.get('b/s', 'k'), v('b'));
      await c.flush('a/s');
      assert.equal(await c.get('a/s', 'k'), undefined);
      assert.deepEqual(await c.get('b/s', 'k'), v('b'));
      assert.deepEqual(await c.usage('a/s'), { entries: 0, bytes: 0 });
    }));

  test(`${name}: delete drops one entry`, () =>
    withCache(async (c) => {
      await c.set('a/s', 'k1', v('1'), 60_000, BIG);
      await c.set('a/s', 'k2', v('2'), 60_000, BIG);
      await c.delete('a/s', 'k1');
      assert.equal(await c.get('a/s', 'k1'), undefined);
      assert.deepEqual(await c.get('a/s', 'k2'), v('2'));
    }));

  test(`${name}: the byte budget evicts least recently used entries first`, () =>
    withCache(async (c) => {
      const ten = Buffer.alloc(10, 1);
      const per = entrySize('k1', ten);
      const budget = per * 3;
      for (const k of ['k1', 'k2', 'k3']) await c.set('a/s', k, ten, 60_000, budget);
      assert.deepEqual(await c.usage('a/s'), { entries: 3, bytes: budget });
      // k1 is used: k2 becomes the least recently used and goes first.
      assert.ok(await c.get('a/s', 'k1'));
      await c.set('a/s', 'k4', ten, 60_000, budget);
      assert.equal(await c.get('a/s', 'k2'), undefined);
      for (const k of ['k1', 'k3', 'k4']) assert.ok(await c.get('a/s', k), k);
      // A bigger entry makes room for itself by evicting as many as needed.
      await c.set('a/s', 'k5', Buffer.alloc(2 * per - 2, 2), 60_000, budget);
      const u = await c.usage('a/s');
      assert.ok(u.bytes <= budget, `${u.bytes} > ${budget}`);
      assert.deepEqual(await c.get('a/s', 'k5'), Buffer.alloc(2 * per - 2, 2));
      assert.equal(u.entries, 2);
    }));

  test(`${name}: repeated hits on the most recently used entry keep the order exact`, () =>
    withCache(async (c) => {
      const ten = Buffer.alloc(10, 1);
      const budget = entrySize('k1', ten) * 3;
      for (const k of ['k1', 'k2', 'k3']) await c.set('a/s', k, ten, 60_000, budget);
      // Uses in this order leave k3 least recently used: k3, k3 (already last), k1, k1 (now last), k2.
      for (const k of ['k3', 'k3', 'k1', 'k1', 'k2']) assert.ok(await c.get('a/s', k), k);
      await c.set('a/s', 'k4', ten, 60_000, budget);
      assert.equal(await c.get('a/s', 'k3'), undefined);
      // k4 was stored last; a use of k1 and k2 then leaves k4 least recently used.
      for (const k of ['k1', 'k2']) assert.ok(await c.get('a/s', k), k);
      await c.delete('a/s', 'k2');
      assert.ok(await c.get('a/s', 'k1'));
      await c.set('a/s', 'k5', ten, 60_000, budget);
      await c.set('a/s', 'k6', ten, 60_000, budget);
      assert.equal(await c.get('a/s', 'k4'), undefined);
      for (const k of ['k1', 'k5', 'k6']) assert.ok(await c.get('a/s', k), k);
    }));

  test(`${name}: a value larger than the whole budget is not stored and drops the key's old entry`, () =>
    withCache(async (c) => {
      await c.set('a/s', 'k', v('small'), 60_000, 100);
      await c.set('a/s', 'k', Buffer.alloc(200), 60_000, 100);
      assert.equal(await c.get('a/s', 'k'), undefined);
      assert.deepEqual(await c.usage('a/s'), { entries: 0, bytes: 0 });
    }));

  test(`${name}: replacing an entry counts its bytes once`, () =>
    withCache(async (c) => {
      for (let i = 0; i < 5; i++) await c.set('a/s', 'k', Buffer.alloc(50), 60_000, 1000);
      assert.deepEqual(await c.usage('a/s'), { entries: 1, bytes: entrySize('k', Buffer.alloc(50)) });
    }));

  test(`${name}: keys are compared exactly (no normalisation of case or separators)`, () =>
    withCache(async (c) => {
      await c.set('a/s', 'GET\nr1\n["A"]', v('upper'), 60_000, BIG);
      assert.equal(await c.get('a/s', 'GET\nr1\n["a"]'), undefined);
      assert.equal(await c.get('a/s', 'get\nr1\n["A"]'), undefined);
      assert.deepEqual(await c.get('a/s', 'GET\nr1\n["A"]'), v('upper'));
    }));
}

// The Redis ResponseCache: the shared behavioural suite on a Redis of the test's own, and what only this adapter
// promises: two nodes (two connections) see the same entries and the same flush, and a Redis that goes away makes
// lookups misses and stores no-ops, never failures.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { RedisResponseCache } from '../../src/cache/redis-response-cache.ts';
import { RedisLink } from '../../src/redis/redis-link.ts';
import { responseCacheSuite } from './response-cache-suite.ts';
import { redisSkip, startRedis, type TestRedis } from '../helpers/redis.ts';

let redis: TestRedis | undefined;
const links: RedisLink[] = [];
after(async () => {
  for (const l of links) await l.close();
  await redis?.stop();
});

let prefixes = 0;
async function link(url?: string, prefix = `c${++prefixes}:`): Promise<RedisLink> {
  redis ??= await startRedis();
  const l = new RedisLink({ url: url ?? redis.url, prefix, failure: 'open', warn: () => undefined });
  links.push(l);
  await l.waitReady(2000);
  return l;
}

if (!redisSkip) {
  responseCacheSuite('redis', async (now) => new RedisResponseCache(await link(), { now }));
}

test('redis: an entry stored through one node is served by another; a flush on either empties both', { skip: redisSkip }, async () => {
  const a = new RedisResponseCache(await link(undefined, 'shared1:'));
  const b = new RedisResponseCache(await link(undefined, 'shared1:'));
  await a.set('api/prod', 'GET /pets', Buffer.from([0, 1, 2, 255]), 60_000, 1 << 20);
  assert.deepEqual(await b.get('api/prod', 'GET /pets'), Buffer.from([0, 1, 2, 255]), 'binary values round-trip');
  await b.flush('api/prod');
  assert.equal(await a.get('api/prod', 'GET /pets'), undefined);
});

test('redis: the keys of a partition expire on their own after the longest TTL', { skip: redisSkip }, async () => {
  const l = await link();
  const c = new RedisResponseCache(l);
  await c.set('api/s', 'k', Buffer.from('x'), 1000, 1 << 20);
  const ttl = await l.client.pttl(`${l.prefix}c:api/s:v`);
  assert.ok(ttl > 3_600_000 && ttl <= 3_660_000, String(ttl));
});

test('redis down: a lookup is a miss and a store is dropped, at once; back up: cached again', { skip: redisSkip }, async () => {
  const own = await startRedis();
  try {
    const l = await link(own.url);
    const c = new RedisResponseCache(l);
    await c.set('api/s', 'k', Buffer.from('v'), 60_000, 1 << 20);
    await own.kill();
    for (let i = 0; i < 50 && l.ready; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(c.get('api/s', 'k'), undefined);
    assert.equal(c.set('api/s', 'k2', Buffer.from('v'), 60_000, 1 << 20), undefined);
    await own.restart();
    assert.equal(await l.waitReady(5000), true);
    assert.equal(await c.get('api/s', 'k'), undefined, 'the restarted Redis is empty');
    await c.set('api/s', 'k', Buffer.from('again'), 60_000, 1 << 20);
    assert.deepEqual(await c.get('api/s', 'k'), Buffer.from('again'));
  } finally {
    await own.stop();
  }
});

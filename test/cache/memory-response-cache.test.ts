import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryResponseCache } from '../../src/cache/memory-response-cache.ts';
import { CacheSealer } from '../../src/cache/encryption.ts';
import { decodeCachedResponse, encodeCachedResponse } from '../../src/cache/cached-response.ts';
import { responseCacheSuite } from './response-cache-suite.ts';

responseCacheSuite('memory', (now) => new MemoryResponseCache({ now, sweepMs: 0 }));

test('memory: the sweep drops expired entries of partitions nobody reads any more', () => {
  let t = 0;
  const c = new MemoryResponseCache({ now: () => t, sweepMs: 0 });
  c.set('gone/s', 'k', Buffer.from('x'), 1000, 1 << 20);
  c.set('live/s', 'k', Buffer.from('y'), 5000, 1 << 20);
  t = 1000;
  c.sweep();
  assert.deepEqual(c.usage('gone/s'), { entries: 0, bytes: 0 });
  assert.deepEqual(c.usage('live/s').entries, 1);
  c.close();
});

test('cached responses round-trip, plain and sealed; a sealed value is not readable in clear and tampering is a miss', () => {
  const sealer = new CacheSealer();
  const r = { statusCode: 201, headers: ['Content-Type', 'application/json', 'X-Ünïcode', 'välue'], body: Buffer.from('{"secret":"s3cr3t"}') };
  assert.deepEqual(decodeCachedResponse(encodeCachedResponse(r), sealer), r);
  const sealed = encodeCachedResponse(r, sealer);
  assert.equal(sealed.includes(Buffer.from('s3cr3t')), false);
  assert.equal(sealed.includes(Buffer.from('application/json')), false);
  assert.deepEqual(decodeCachedResponse(sealed, sealer), r);
  const tampered = Buffer.from(sealed);
  tampered[tampered.length - 1]! ^= 1;
  assert.equal(decodeCachedResponse(tampered, sealer), undefined);
  assert.equal(decodeCachedResponse(sealed, new CacheSealer()), undefined);
  assert.equal(decodeCachedResponse(Buffer.from([7, 1, 2]), sealer), undefined);
  assert.equal(decodeCachedResponse(Buffer.from([0, 0, 200, 0, 9]), sealer), undefined);
});

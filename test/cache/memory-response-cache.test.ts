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

test('memory: all partitions together stay under the process-wide bound; the writing stage gives way first', () => {
  const c = new MemoryResponseCache({ sweepMs: 0, maxTotalBytes: 100 });
  const v = Buffer.alloc(38); // 40 bytes with a two-character key
  c.set('a/s', 'k1', v, 60_000, 1000);
  c.set('a/s', 'k2', v, 60_000, 1000);
  assert.equal(c.totalBytes, 80);
  // Another stage's entry does not fit: it may evict only its own entries (none), so it is dropped.
  c.set('b/s', 'k1', v, 60_000, 1000);
  assert.equal(c.get('b/s', 'k1'), undefined);
  assert.equal(c.usage('a/s').entries, 2);
  // The writing stage evicts its own least recently used entry to make room.
  c.set('a/s', 'k3', v, 60_000, 1000);
  assert.equal(c.get('a/s', 'k1'), undefined);
  assert.ok(c.get('a/s', 'k3'));
  assert.equal(c.totalBytes, 80);
  c.flush('a/s');
  assert.equal(c.totalBytes, 0);
  c.set('b/s', 'k1', v, 60_000, 1000);
  assert.ok(c.get('b/s', 'k1'));
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

// Readiness (src/server/health.ts): required and optional components, probes that fail or hang, and draining.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Health } from '../../src/server/health.ts';

test('ready when every required component is ok; an optional one down is `degraded`; a required one down is 503', async () => {
  const h = new Health();
  let redisUp = true;
  h.register('store', { required: true, probe: async () => ({ status: 'ok' }) });
  h.register('redis', { required: false, probe: () => (redisUp ? { status: 'ok' } : { status: 'unavailable', error: 'connection refused' }) });
  assert.deepEqual(await h.readiness(), { ready: true, body: { status: 'ok', ready: true, components: { store: { status: 'ok' }, redis: { status: 'ok' } } } });
  redisUp = false;
  assert.deepEqual((await h.readiness()).body, { status: 'degraded', ready: true, components: { store: { status: 'ok' }, redis: { status: 'unavailable', error: 'connection refused' } } });
  h.register('notifications', { required: true, probe: async () => {
    throw new Error('not listening');
  } });
  const r = await h.readiness();
  assert.equal(r.ready, false);
  assert.equal(r.body.status, 'unavailable');
  assert.deepEqual(r.body.components.notifications, { status: 'unavailable', error: 'not listening' });
});

test('draining: never ready again, whatever the components say', async () => {
  const h = new Health();
  h.register('store', { required: true, probe: () => ({ status: 'ok' }) });
  h.drain();
  assert.deepEqual(await h.readiness(), { ready: false, body: { status: 'draining', ready: false, components: { store: { status: 'ok' } } } });
});

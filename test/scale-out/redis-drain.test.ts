// Graceful drain of a scale-out node (`gatehouse serve --redis-url …`, a child process): SIGTERM while a slow HTTP
// integration is in flight stops accepting connections, lets the request finish with its answer, writes the usage
// counted in Redis to the store, and exits 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { AG, ApiBuilder, invoke, startEcho } from '../execute/helpers.ts';
import { clients, spawnGatehouse, tempDataDir, type Running } from '../helpers/gatehouse.ts';
import { redisSkip, startRedis } from '../helpers/redis.ts';
import { SqliteStore } from '../../src/store/sqlite.ts';
import { storeJournal } from '../../src/traffic/usage-journal.ts';

test('SIGTERM with a slow HTTP integration in flight: the request is answered, usage reaches the store, exit 0', { skip: redisSkip }, async (t) => {
  const redis = await startRedis();
  t.after(() => redis.stop());
  const echo = await startEcho();
  t.after(() => echo.close());
  const dataDir = tempDataDir();
  const gh = await spawnGatehouse({ dataDir, extraArgs: ['--redis-url', redis.url, '--redis-prefix', 'drain:'] });
  t.after(() => gh.stop('SIGKILL'));
  const apigateway = clients(gh.endpoint).apigateway;
  t.after(() => apigateway.destroy());
  const api = await ApiBuilder.create({ apigateway, endpoint: gh.endpoint } as Running);
  await api.method('/slow', 'GET', { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `${echo.url}/delay/1500` }, { method: { apiKeyRequired: true } });
  await api.deploy('prod');
  const plan = await apigateway.send(new AG.CreateUsagePlanCommand({ name: 'p', apiStages: [{ apiId: api.apiId, stage: 'prod' }], quota: { limit: 10, period: 'DAY' } }));
  const key = await apigateway.send(new AG.CreateApiKeyCommand({ name: 'k', enabled: true }));
  await apigateway.send(new AG.CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }));

  const inFlight = invoke(gh.endpoint, api.apiId, 'prod', '/slow', { headers: { 'x-api-key': key.value! } });
  // Signal once the request has reached the backend.
  for (let i = 0; i < 500 && echo.requests.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(echo.requests.length, 1);
  const signalled = Date.now();
  const exited = gh.stop('SIGTERM');
  await new Promise((r) => setTimeout(r, 200));
  // No new connections while draining.
  const refused = await new Promise<boolean>((resolve) => {
    const s = connect(gh.port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });
  assert.equal(refused, true, 'the listener is closed');
  const answered = await inFlight;
  assert.equal(answered.status, 200);
  assert.equal(answered.headers['x-backend'], 'echo');
  assert.equal(await exited, 0);
  const drained = Date.now() - signalled;
  assert.ok(drained >= 1000, 'it waited for the request');
  // Not held open by the finished request's keep-alive connection (its timeout is 65 s).
  assert.ok(drained < 30_000, `exited ${drained} ms after SIGTERM`);
  assert.match(gh.output(), /SIGTERM: finishing in-flight requests and closing the store/);

  // The admitted request's usage was written to the store before the exit.
  const store = new SqliteStore(dataDir);
  try {
    const day = new Date().toISOString().slice(0, 10);
    assert.deepEqual(await storeJournal(store).loadDays(`us-east-1/${plan.id}/${key.id}`, [day]), [1]);
    const midnight = Date.parse(`${day}T00:00:00Z`); // a DAY quota's period starts at 00:00 UTC
    assert.deepEqual(await storeJournal(store).loadQuota(`us-east-1/${plan.id}/${key.id}`), { periodStart: midnight, used: 1 });
  } finally {
    await store.close();
  }
});

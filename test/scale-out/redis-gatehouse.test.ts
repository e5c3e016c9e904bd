// A Gatehouse node in scale-out mode (--redis-url) driven over HTTP as users drive it: an HTTP_PROXY method with an
// API key, a usage plan's throttle and quota, and the stage cache, all decided in Redis (the data plane's promise
// paths: throttle, cache lookup, cache store); GetUsage reading what Redis counted; the failure policy when Redis
// is killed (open: admitted; closed: 503) with one WARN line; reconnection without restart; /_gatehouse/health/ready.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { AG, ApiBuilder, startEcho, startGatehouse, type EchoServer } from '../execute/helpers.ts';
import type { Running } from '../helpers/gatehouse.ts';
import { redisSkip, startRedis, type TestRedis } from '../helpers/redis.ts';

let redis: TestRedis;
let echo: EchoServer;
const clock = { t: Date.now() };
const advance = (ms: number) => (clock.t += ms);
const running: Running[] = [];

before(async () => {
  if (redisSkip) return;
  redis = await startRedis();
  echo = await startEcho();
});
after(async () => {
  for (const gh of running) await gh.stop();
  await echo?.close();
  await redis?.stop();
});

let prefixes = 0;
async function node(failure: 'open' | 'closed' = 'open', on: TestRedis = redis): Promise<Running> {
  const gh = await startGatehouse({
    now: () => new Date(clock.t),
    config: { redisUrl: on.url, redisFailure: failure, redisPrefix: `gh${++prefixes}:` },
  });
  running.push(gh);
  return gh;
}

/** GET /items proxied to the echo backend, requiring an API key in a plan with `plan`'s limits; returns the key. */
async function keyedApi(gh: Running, plan: Partial<AG.CreateUsagePlanCommandInput>): Promise<{ api: ApiBuilder; key: string; planId: string; keyId: string }> {
  const api = await ApiBuilder.create(gh);
  await api.method('/items', 'GET', { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `${echo.url}/e` }, { method: { apiKeyRequired: true } });
  await api.deploy('prod');
  const created = await gh.apigateway.send(new AG.CreateUsagePlanCommand({ name: 'p', apiStages: [{ apiId: api.apiId, stage: 'prod' }], ...plan }));
  const key = await gh.apigateway.send(new AG.CreateApiKeyCommand({ name: `k${prefixes}`, enabled: true }));
  await gh.apigateway.send(new AG.CreateUsagePlanKeyCommand({ usagePlanId: created.id, keyId: key.id, keyType: 'API_KEY' }));
  return { api, key: key.value!, planId: created.id!, keyId: key.id! };
}

async function statuses(api: ApiBuilder, key: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await api.invoke('prod', '/items', { headers: { 'x-api-key': key } })).status);
  return out;
}

test('quota and throttle are decided in Redis: 429 Limit Exceeded / Too Many Requests, usage in GetUsage', { skip: redisSkip }, async () => {
  const gh = await node();
  const { api, key, planId, keyId } = await keyedApi(gh, { quota: { limit: 3, period: 'DAY' } });
  assert.deepEqual(await statuses(api, key, 3), [200, 200, 200]);
  const refused = await api.invoke('prod', '/items', { headers: { 'x-api-key': key } });
  assert.equal(refused.status, 429);
  assert.equal(refused.body, '{"message":"Limit Exceeded"}');
  const prefix = gh.gatehouse.config.redisPrefix;
  assert.equal(await gh.gatehouse.redis!.client.hget(`${prefix}q:us-east-1/${planId}/${keyId}`, 'u'), '3', 'counted in Redis');
  const day = new Date(clock.t).toISOString().slice(0, 10);
  const usage = await gh.apigateway.send(new AG.GetUsageCommand({ usagePlanId: planId, startDate: day, endDate: day }));
  assert.deepEqual(usage.items, { [keyId]: [[3, 0]] });

  const throttled = await keyedApi(gh, { throttle: { rateLimit: 0.001, burstLimit: 2 } });
  assert.deepEqual(await statuses(throttled.api, throttled.key, 3), [200, 200, 429]);
  const r = await throttled.api.invoke('prod', '/items', { headers: { 'x-api-key': throttled.key } });
  assert.equal(r.body, '{"message":"Too Many Requests"}');
});

test('the stage cache is kept in Redis: a hit is served without the backend, FlushStageCache empties it', { skip: redisSkip }, async () => {
  const gh = await node();
  const api = await ApiBuilder.create(gh);
  await api.method('/items', 'GET', { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `${echo.url}/raw/cached` });
  await api.deploy('prod');
  await gh.apigateway.send(new AG.UpdateStageCommand({ restApiId: api.apiId, stageName: 'prod', patchOperations: [{ op: 'replace', path: '/cacheClusterEnabled', value: 'true' }] }));
  advance(1_000);
  const before = echo.requests.length;
  const first = await api.invoke('prod', '/items');
  assert.equal(first.body, 'cached');
  // The store is not awaited by the response: wait for the entry to be in Redis.
  const prefix = gh.gatehouse.config.redisPrefix;
  for (let i = 0; i < 100 && (await gh.gatehouse.redis!.client.hlen(`${prefix}c:${api.apiId}/prod:v`)) === 0; i++) await new Promise((r) => setTimeout(r, 10));
  const second = await api.invoke('prod', '/items');
  assert.equal(second.status, 200);
  assert.equal(second.body, 'cached');
  assert.equal(second.headers['x-backend'], 'echo', "the backend's headers, from the cache");
  assert.equal(echo.requests.length - before, 1, 'the second request was a hit');
  await gh.apigateway.send(new AG.FlushStageCacheCommand({ restApiId: api.apiId, stageName: 'prod' }));
  assert.equal(await gh.gatehouse.redis!.client.exists(`${prefix}c:${api.apiId}/prod:v`), 0);
  advance(1_000);
  await api.invoke('prod', '/items');
  assert.equal(echo.requests.length - before, 2);
});

test('Redis killed: open admits without limits, closed answers 503; one WARN line; both recover without restart; health/ready says so', { skip: redisSkip }, async (t) => {
  // A Redis of this test's own: the other tests' nodes would warn about it too.
  const own = await startRedis();
  t.after(() => own.stop());
  const open = await node('open', own);
  const closed = await node('closed', own);
  const a = await keyedApi(open, { quota: { limit: 1, period: 'DAY' } });
  const b = await keyedApi(closed, { quota: { limit: 100, period: 'DAY' } });
  assert.deepEqual(await statuses(a.api, a.key, 2), [200, 429]);
  assert.deepEqual(await statuses(b.api, b.key, 1), [200]);
  const ready = await fetch(`${closed.endpoint}/_gatehouse/health/ready`);
  assert.equal(ready.status, 200);
  assert.deepEqual(await ready.json(), { status: 'ok', ready: true, components: { store: { status: 'ok' }, redis: { status: 'ok' } } });

  const stderr: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    stderr.push(String(chunk));
    return write(chunk, ...rest);
  }) as typeof process.stderr.write;
  try {
    await own.kill();
    for (let i = 0; i < 100 && (open.gatehouse.redis!.ready || closed.gatehouse.redis!.ready); i++) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(await statuses(a.api, a.key, 5), [200, 200, 200, 200, 200], 'open: admitted although the quota is used up');
    const refused = await b.api.invoke('prod', '/items', { headers: { 'x-api-key': b.key } });
    assert.equal(refused.status, 503);
    assert.equal(refused.body, '{"message": "Service Unavailable"}', 'DEFAULT_5XX as AWS renders it');
    assert.equal(refused.headers['x-amzn-errortype'], 'ServiceUnavailableException');
    const warnings = stderr.join('').split('\n').filter((l) => /^WARN Redis at .* is unavailable/.test(l));
    assert.equal(warnings.filter((l) => l.includes('--redis-failure open')).length, 1, warnings.join('\n'));
    assert.equal(warnings.filter((l) => l.includes('--redis-failure closed')).length, 1, warnings.join('\n'));

    const closedReady = await fetch(`${closed.endpoint}/_gatehouse/health?ready`);
    assert.equal(closedReady.status, 503);
    const body = (await closedReady.json()) as { status: string; components: Record<string, { status: string }> };
    assert.equal(body.status, 'unavailable');
    assert.equal(body.components.redis.status, 'unavailable');
    const openReady = await fetch(`${open.endpoint}/_gatehouse/health/ready`);
    assert.equal(openReady.status, 200);
    assert.equal(((await openReady.json()) as { status: string }).status, 'degraded');
    assert.deepEqual(await (await fetch(`${closed.endpoint}/_gatehouse/health`)).json(), { status: 'ok' }, 'live all along');

    await own.restart();
    assert.equal(await open.gatehouse.redis!.waitReady(5000), true);
    assert.equal(await closed.gatehouse.redis!.waitReady(5000), true);
    // The empty Redis takes the quota count back from the store (written before the kill, by the flush).
    assert.deepEqual(await statuses(b.api, b.key, 1), [200]);
    assert.equal((await fetch(`${closed.endpoint}/_gatehouse/health/ready`)).status, 200);
  } finally {
    process.stderr.write = write;
  }
});

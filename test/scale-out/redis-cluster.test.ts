// Two Gatehouse nodes on one PostgreSQL and one Redis (scale-out mode), in this process: a quota spent across both
// nodes admits exactly its limit, a stage-cache entry stored through one node is served by the other,
// FlushStageAuthorizersCache on one node empties the other's authorizer results, and /_gatehouse/health/ready
// reports the store, its change notifications and Redis.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AG, ApiBuilder, invoke, startEcho, startGatehouse, type EchoServer } from '../execute/helpers.ts';
import type { Running } from '../helpers/gatehouse.ts';
import { freshDatabaseUrl } from '../helpers/postgres.ts';
import { redisSkip, startRedis, type TestRedis } from '../helpers/redis.ts';
import { lambdaAuthorizersOf } from '../../src/execute/authorization/lambda-authorizer.ts';

describe('scale-out: two nodes on one PostgreSQL and one Redis', { skip: redisSkip }, () => {
  let redis: TestRedis;
  let echo: EchoServer;
  let a: Running;
  let b: Running;
  before(async () => {
    redis = await startRedis();
    echo = await startEcho();
    const databaseUrl = await freshDatabaseUrl();
    const config = { databaseUrl, redisUrl: redis.url, redisPrefix: 'cluster:' };
    a = await startGatehouse({ config });
    b = await startGatehouse({ config });
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
    await echo?.close();
    await redis?.stop();
  });

  /** Polls until the node serves the deployed stage (it hears the deployment through LISTEN/NOTIFY). */
  async function served(node: Running, apiId: string, path: string, headers: Record<string, string> = {}): Promise<void> {
    for (let i = 0; i < 100; i++) {
      if ((await invoke(node.endpoint, apiId, 'prod', path, { method: 'OPTIONS', headers })).status !== 403) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('a quota of 40 spent through both nodes at once admits exactly 40', async () => {
    const api = await ApiBuilder.create(a);
    await api.method('/items', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, {
      method: { apiKeyRequired: true },
      responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{}' } }],
    });
    await api.deploy('prod');
    const plan = await a.apigateway.send(new AG.CreateUsagePlanCommand({ name: 'p', apiStages: [{ apiId: api.apiId, stage: 'prod' }], quota: { limit: 40, period: 'DAY' } }));
    const key = await a.apigateway.send(new AG.CreateApiKeyCommand({ name: 'k', enabled: true }));
    await a.apigateway.send(new AG.CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }));
    const headers = { 'x-api-key': key.value! };
    // Both nodes know the key before the race.
    for (const node of [a, b]) {
      for (let i = 0; i < 100 && (await invoke(node.endpoint, api.apiId, 'prod', '/nothing', { headers })).status === 403; i++) await new Promise((r) => setTimeout(r, 20));
    }
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => invoke((i % 2 ? a : b).endpoint, api.apiId, 'prod', '/items', { headers })));
    const count = (s: number) => results.filter((r) => r.status === s).length;
    assert.equal(count(200), 40, results.map((r) => r.status).join(','));
    assert.equal(count(429), 20);
    const day = new Date().toISOString().slice(0, 10);
    const usage = await b.apigateway.send(new AG.GetUsageCommand({ usagePlanId: plan.id, startDate: day, endDate: day }));
    assert.deepEqual(usage.items, { [key.id!]: [[40, 0]] });
  });

  it('a cache entry stored through one node is served by the other', async () => {
    const api = await ApiBuilder.create(a);
    await api.method('/items', 'GET', { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `${echo.url}/raw/shared` });
    await api.deploy('prod');
    await a.apigateway.send(new AG.UpdateStageCommand({ restApiId: api.apiId, stageName: 'prod', patchOperations: [{ op: 'replace', path: '/cacheClusterEnabled', value: 'true' }] }));
    // The cache becomes AVAILABLE a second after it is enabled (as AWS reports CREATE_IN_PROGRESS first).
    await new Promise((r) => setTimeout(r, 1100));
    await served(b, api.apiId, '/items');
    const before = echo.requests.length;
    assert.equal((await invoke(a.endpoint, api.apiId, 'prod', '/items')).body, 'shared');
    for (let i = 0; i < 100 && (await a.gatehouse.redis!.client.hlen(`cluster:c:${api.apiId}/prod:v`)) === 0; i++) await new Promise((r) => setTimeout(r, 10));
    const fromB = await invoke(b.endpoint, api.apiId, 'prod', '/items');
    assert.equal(fromB.body, 'shared');
    assert.equal(echo.requests.length - before, 1, "node B answered from node A's entry");
  });

  it("FlushStageAuthorizersCache on one node empties the other node's authorizer results", async () => {
    const api = await ApiBuilder.create(a);
    await api.method('/items', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } });
    await api.deploy('prod');
    const cache = lambdaAuthorizersOf(b.gatehouse.services).cache;
    cache.set(api.apiId, 'prod', 'auth1', 'token', { principalId: 'p' } as never, 300);
    assert.equal(cache.size(api.apiId, 'prod', 'auth1'), 1);
    const r = await a.apigateway.send(new AG.FlushStageAuthorizersCacheCommand({ restApiId: api.apiId, stageName: 'prod' }));
    assert.equal(r.$metadata.httpStatusCode, 202);
    for (let i = 0; i < 100 && cache.size(api.apiId, 'prod', 'auth1') > 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(cache.size(api.apiId, 'prod', 'auth1'), 0);
  });

  it('/_gatehouse/health/ready reports the store, its change notifications and Redis', async () => {
    const r = await fetch(`${b.endpoint}/_gatehouse/health/ready`);
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { status: 'ok', ready: true, components: { store: { status: 'ok' }, notifications: { status: 'ok' }, redis: { status: 'ok' } } });
  });
});

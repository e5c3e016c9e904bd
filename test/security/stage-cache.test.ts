// The stage cache under hostile input: nothing a client sends beyond the declared key parameters picks or replaces
// another client's entry, keys cannot be forged into one another, per-request data never leaks from one caller to
// the next, a cached answer never skips authorization, and what is stored stays bounded.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { AG, ApiBuilder, startEcho, startGatehouse, type EchoServer } from '../execute/helpers.ts';
import type { Running } from '../helpers/gatehouse.ts';
import { MemoryResponseCache } from '../../src/cache/memory-response-cache.ts';

let gh: Running;
let echo: EchoServer;
const clock = { t: Date.UTC(2026, 11, 5, 12, 0, 0) };
const memory = new MemoryResponseCache({ now: () => clock.t, sweepMs: 0 });

before(async () => {
  gh = await startGatehouse({ now: () => new Date(clock.t), responseCache: memory });
  echo = await startEcho();
});
after(async () => {
  await gh.stop();
  await echo.close();
});

const patch = (path: string, value: string): AG.PatchOperation => ({ op: 'replace', path, value });

async function enableCache(api: ApiBuilder, stage = 'test', ...ops: AG.PatchOperation[]): Promise<void> {
  await gh.apigateway.send(new AG.UpdateStageCommand({ restApiId: api.apiId, stageName: stage, patchOperations: [patch('/cacheClusterEnabled', 'true'), ...ops] }));
  clock.t += 1_000;
}

test('an unauthorized Cache-Control: max-age=0 cannot replace an entry with a response shaped by unkeyed input', async () => {
  const api = await ApiBuilder.create(gh);
  await api.method('/page', 'GET', { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `${echo.url}/e` });
  await api.deploy('test');
  await enableCache(api);
  const good = await api.invoke('test', '/page');
  const attack = await api.invoke('test', '/page?respond-header=Set-Cookie:evil', { headers: { 'Cache-Control': 'max-age=0', 'X-Forwarded-Host': 'evil.example' } });
  assert.equal(attack.body, good.body);
  assert.equal(attack.headers['set-cookie'], undefined);
  const victim = await api.invoke('test', '/page');
  assert.equal(victim.body, good.body);
  assert.equal(victim.headers['set-cookie'], undefined);
  assert.equal(victim.json().headers['x-forwarded-host'], undefined);
});

test('key parameter values cannot be forged into another key (separators, quotes, absent versus empty)', async () => {
  const api = await ApiBuilder.create(gh);
  await api.method('/k', 'GET', { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `${echo.url}/e`, cacheKeyParameters: ['method.request.querystring.a', 'method.request.querystring.b'] }, {
    method: { requestParameters: { 'method.request.querystring.a': false, 'method.request.querystring.b': false } },
  });
  await api.deploy('test');
  await enableCache(api);
  const start = echo.requests.length;
  const variants = ['?a=x&b=y', '?a=x%22%2C%22y', '?a=x%22%2C%22y&b=', '?a=x,y', '?a=x&b=', '?a=x', '?b=x', '?a=&b=x', '?a=x%00y', '?a=x&a=y'];
  const bodies = new Set<string>();
  for (const v of variants) bodies.add((await api.invoke('test', `/k${v}`)).body);
  assert.equal(echo.requests.length - start, variants.length, 'each variant is its own entry');
  assert.equal(bodies.size, variants.length);
});

test('stages and APIs never share entries', async () => {
  const one = await ApiBuilder.create(gh);
  const two = await ApiBuilder.create(gh);
  for (const api of [one, two]) {
    await api.method('/x', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, {
      responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"api": "$context.apiId", "stage": "$context.stage"}' } }],
    });
    await api.deploy('test');
    await api.deploy('prod');
    await enableCache(api, 'test');
    await enableCache(api, 'prod');
  }
  for (const api of [one, two]) {
    for (const stage of ['test', 'prod']) {
      for (let i = 0; i < 2; i++) assert.deepEqual((await api.invoke(stage, '/x')).json(), { api: api.apiId, stage });
    }
  }
});

test('a cached response is never served to a caller the method refuses (API key required)', async () => {
  const api = await ApiBuilder.create(gh);
  await api.method('/private', 'GET', { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `${echo.url}/raw/secret-data` }, { method: { apiKeyRequired: true } });
  await api.deploy('test');
  await enableCache(api);
  const key = await gh.apigateway.send(new AG.CreateApiKeyCommand({ name: `k-${api.apiId}`, enabled: true }));
  const plan = await gh.apigateway.send(new AG.CreateUsagePlanCommand({ name: `p-${api.apiId}`, apiStages: [{ apiId: api.apiId, stage: 'test' }] }));
  await gh.apigateway.send(new AG.CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id!, keyType: 'API_KEY' }));
  const ok = await api.invoke('test', '/private', { headers: { 'x-api-key': key.value! } });
  assert.equal(ok.body, 'secret-data');
  const anonymous = await api.invoke('test', '/private');
  assert.equal(anonymous.status, 403);
  assert.deepEqual(anonymous.json(), { message: 'Forbidden' });
});

test('per-request headers are never replayed: each hit has its own request id, extended id and trace', async () => {
  const api = await ApiBuilder.create(gh);
  await api.method('/t', 'GET', { type: 'HTTP', integrationHttpMethod: 'GET', uri: `${echo.url}/raw/x` }, { responses: [{ statusCode: '200' }] });
  await api.deploy('test');
  await enableCache(api);
  const seen = { rid: new Set<unknown>(), ext: new Set<unknown>(), trace: new Set<unknown>() };
  for (let i = 0; i < 3; i++) {
    const r = await api.invoke('test', '/t', { headers: { 'X-Amzn-Trace-Id': `Root=1-5759e988-bd862e3fe1be46a99427279${i}` } });
    seen.rid.add(r.headers['x-amzn-requestid']);
    seen.ext.add(r.headers['x-amz-apigw-id']);
    seen.trace.add(r.headers['x-amzn-trace-id']);
    assert.match(String(r.headers['x-amzn-trace-id']), new RegExp(`^Root=1-5759e988-bd862e3fe1be46a99427279${i};`));
  }
  assert.equal(seen.rid.size, 3);
  assert.equal(seen.ext.size, 3);
  assert.equal(seen.trace.size, 3);
});

test('gateway responses are not cached: a refused request cannot fill the entry others read', async () => {
  const api = await ApiBuilder.create(gh);
  await api.method('/v', 'GET', { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `${echo.url}/raw/valid` }, {
    method: { requestParameters: { 'method.request.querystring.required': true }, requestValidatorId: undefined },
  });
  const validator = await gh.apigateway.send(new AG.CreateRequestValidatorCommand({ restApiId: api.apiId, name: 'params', validateRequestParameters: true }));
  await gh.apigateway.send(new AG.UpdateMethodCommand({ restApiId: api.apiId, resourceId: await api.resource('/v'), httpMethod: 'GET', patchOperations: [{ op: 'replace', path: '/requestValidatorId', value: validator.id! }] }));
  await api.deploy('test');
  await enableCache(api);
  assert.equal((await api.invoke('test', '/v')).status, 400);
  assert.equal((await api.invoke('test', '/v?required=1')).body, 'valid');
  assert.equal((await api.invoke('test', '/v')).status, 400, 'validation runs before the cache, as on AWS');
});

test('responses over 1,048,576 bytes are served whole and not stored; a streamed body under it is stored whole', async () => {
  const api = await ApiBuilder.create(gh);
  await api.method('/huge', 'GET', { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `${echo.url}/big/1048577` });
  await api.method('/large', 'GET', { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `${echo.url}/big/300000` });
  await api.deploy('test');
  await enableCache(api);
  const partition = `${api.apiId}/test`;
  const start = echo.requests.length;
  for (let i = 0; i < 2; i++) {
    const r = await api.invoke('test', '/huge');
    assert.equal(r.raw.length, 1048577);
  }
  assert.equal(echo.requests.length - start, 2);
  assert.equal(memory.usage(partition).entries, 0);
  const first = await api.invoke('test', '/large');
  // The streamed body is stored once it has ended.
  for (let i = 0; i < 50 && memory.usage(partition).entries === 0; i++) await new Promise((r) => setTimeout(r, 10));
  const second = await api.invoke('test', '/large');
  assert.equal(echo.requests.length - start, 3);
  assert.equal(second.raw.length, 300000);
  assert.ok(second.raw.equals(first.raw));
  assert.equal(second.headers['content-length'], '300000');
  assert.ok(memory.usage(partition).bytes < 310_000);
});

test('malformed or hostile Cache-Control values are answered, never a 5xx', async () => {
  const api = await ApiBuilder.create(gh);
  await api.method('/c', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, { responses: [{ statusCode: '200' }] });
  await api.deploy('test');
  await enableCache(api, 'test', patch('/*/*/caching/enabled', 'true'), patch('/*/*/caching/unauthorizedCacheControlHeaderStrategy', 'FAIL_WITH_403'));
  const expected: Array<[string, number]> = [
    ['max-age=0', 403], [' MAX-AGE=0 ', 403], ['no-cache,max-age=0', 403], ['max-age="0"', 403], ['max-age=00', 403],
    ['max-age=', 200], ['max-age=0x', 200], [',,,', 200], ['max-age=0'.repeat(500), 200], ['\u00e9max-age=0', 200], ['max-age=1', 200],
  ];
  for (const [v, status] of expected) {
    const r = await api.invoke('test', '/c', { headers: { 'Cache-Control': v } });
    assert.equal(r.status, status, JSON.stringify(v));
  }
});

// The stage cache end to end: a real Gatehouse on a fake clock, APIs built and configured through the AWS SDK (and the
// aws CLI for flush-stage-cache), invoked over HTTP against a local echo backend that counts what reaches it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { AG, ApiBuilder, startEcho, startGatehouse, type EchoServer, type Invoked } from './helpers.ts';
import type { Running } from '../helpers/gatehouse.ts';
import { runAws } from '../helpers/aws-cli.ts';
import { MemoryResponseCache } from '../../src/cache/memory-response-cache.ts';
import type { ResponseCache } from '../../src/cache/response-cache.ts';
import aws4 from 'aws4';
import { request } from 'undici';
import { CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { identityClients } from '../identity/helpers.ts';

let gh: Running;
let echo: EchoServer;
const clock = { t: Date.UTC(2026, 11, 5, 12, 0, 0) };
const advance = (ms: number) => (clock.t += ms);
/** Every value the data plane stores, as stored (to check what is held at rest). */
const stored: Buffer[] = [];
let memory: MemoryResponseCache;

before(async () => {
  memory = new MemoryResponseCache({ now: () => clock.t, sweepMs: 0 });
  const recording: ResponseCache = {
    get: (p, k) => memory.get(p, k),
    set: (p, k, v, ttl, budget) => {
      stored.push(v);
      memory.set(p, k, v, ttl, budget);
    },
    delete: (p, k) => memory.delete(p, k),
    flush: (p) => memory.flush(p),
    usage: (p) => memory.usage(p),
    close: () => memory.close(),
  };
  gh = await startGatehouse({ now: () => new Date(clock.t), responseCache: recording });
  echo = await startEcho();
});
after(async () => {
  await gh.stop();
  await echo.close();
});

const patch = (path: string, value: string): AG.PatchOperation => ({ op: 'replace', path, value });

async function updateStage(apiId: string, ...ops: AG.PatchOperation[]): Promise<AG.UpdateStageCommandOutput> {
  return gh.apigateway.send(new AG.UpdateStageCommand({ restApiId: apiId, stageName: 'test', patchOperations: ops }));
}

async function status(apiId: string): Promise<string | undefined> {
  return (await gh.apigateway.send(new AG.GetStageCommand({ restApiId: apiId, stageName: 'test' }))).cacheClusterStatus;
}

/** An API whose GET /items (and others given) proxy to the echo backend, deployed to `test` with its cache available. */
async function cachedApi(
  opts: { methods?: string[]; integration?: Partial<AG.PutIntegrationCommandInput>; method?: Partial<AG.PutMethodCommandInput>; path?: string; settings?: AG.PatchOperation[] } = {},
): Promise<ApiBuilder> {
  const api = await ApiBuilder.create(gh);
  for (const m of opts.methods ?? ['GET']) {
    await api.method(opts.path ?? '/items', m, { type: 'HTTP_PROXY', integrationHttpMethod: m, uri: `${echo.url}/e`, ...opts.integration }, { method: opts.method });
  }
  await api.deploy('test');
  await updateStage(api.apiId, patch('/cacheClusterEnabled', 'true'), ...(opts.settings ?? []));
  advance(1_000);
  assert.equal(await status(api.apiId), 'AVAILABLE');
  return api;
}

/** How many requests the backend has received so far for this API's calls (echo counts them all). */
const backendCalls = () => echo.requests.length;

function withoutPerRequest(r: Invoked): Record<string, unknown> {
  const { 'x-amzn-requestid': _a, 'x-amz-apigw-id': _b, date: _c, ...rest } = r.headers;
  return rest;
}

test('cacheClusterStatus goes CREATE_IN_PROGRESS → AVAILABLE, FLUSH_IN_PROGRESS → AVAILABLE, DELETE_IN_PROGRESS → NOT_AVAILABLE, as AWS reports it', async () => {
  const api = await ApiBuilder.create(gh);
  await api.method('/items', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } });
  await api.deploy('test');
  assert.equal(await status(api.apiId), 'NOT_AVAILABLE');
  const enabled = await updateStage(api.apiId, patch('/cacheClusterEnabled', 'true'));
  assert.equal(enabled.cacheClusterEnabled, true);
  assert.equal(enabled.cacheClusterSize, '0.5');
  assert.equal(enabled.cacheClusterStatus, 'CREATE_IN_PROGRESS');
  advance(999);
  assert.equal(await status(api.apiId), 'CREATE_IN_PROGRESS');
  advance(1);
  assert.equal(await status(api.apiId), 'AVAILABLE');
  const listed = await gh.apigateway.send(new AG.GetStagesCommand({ restApiId: api.apiId }));
  assert.equal(listed.item![0]!.cacheClusterStatus, 'AVAILABLE');
  assert.equal('cacheClusterTransitionEnds' in listed.item![0]!, false);

  const flushed = await gh.apigateway.send(new AG.FlushStageCacheCommand({ restApiId: api.apiId, stageName: 'test' }));
  assert.equal(flushed.$metadata.httpStatusCode, 202);
  assert.equal(await status(api.apiId), 'FLUSH_IN_PROGRESS');
  advance(1_000);
  assert.equal(await status(api.apiId), 'AVAILABLE');

  // A resize recreates the cache instance.
  const resized = await updateStage(api.apiId, patch('/cacheClusterSize', '1.6'));
  assert.equal(resized.cacheClusterStatus, 'CREATE_IN_PROGRESS');
  advance(1_000);
  // An unrelated change leaves the status alone.
  assert.equal((await updateStage(api.apiId, patch('/description', 'd'))).cacheClusterStatus, 'AVAILABLE');

  const disabled = await updateStage(api.apiId, patch('/cacheClusterEnabled', 'false'));
  assert.equal(disabled.cacheClusterStatus, 'DELETE_IN_PROGRESS');
  advance(1_000);
  assert.equal(await status(api.apiId), 'NOT_AVAILABLE');

  // A stage created with its cache enabled starts creating it.
  const d = await gh.apigateway.send(new AG.CreateDeploymentCommand({ restApiId: api.apiId }));
  const created = await gh.apigateway.send(new AG.CreateStageCommand({ restApiId: api.apiId, stageName: 'other', deploymentId: d.id!, cacheClusterEnabled: true }));
  assert.equal(created.cacheClusterStatus, 'CREATE_IN_PROGRESS');
  assert.equal(created.cacheClusterSize, '0.5');
});

test('GET is cached by default once the cache is AVAILABLE (not while it is being created); hits carry the same headers with their own request ids', async () => {
  const api = await ApiBuilder.create(gh);
  await api.method('/items', 'GET', { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `${echo.url}/e` });
  await api.deploy('test');
  await updateStage(api.apiId, patch('/cacheClusterEnabled', 'true'));
  const start = backendCalls();
  await api.invoke('test', '/items');
  await api.invoke('test', '/items');
  assert.equal(backendCalls() - start, 2, 'nothing is cached while CREATE_IN_PROGRESS');
  advance(1_000);
  const miss = await api.invoke('test', '/items?respond-header=X-Custom:one');
  const hit = await api.invoke('test', '/items?respond-header=X-Custom:two');
  assert.equal(backendCalls() - start, 3);
  assert.equal(hit.status, 200);
  assert.equal(hit.body, miss.body);
  assert.equal(hit.headers['x-custom'], 'one');
  assert.deepEqual(withoutPerRequest(hit), withoutPerRequest(miss));
  assert.notEqual(hit.headers['x-amzn-requestid'], miss.headers['x-amzn-requestid']);
  assert.match(String(hit.headers['x-amzn-requestid']), /^[0-9a-f-]{36}$/);
  assert.notEqual(hit.headers['x-amz-apigw-id'], miss.headers['x-amz-apigw-id']);
});

test('non-proxy HTTP and MOCK responses are cached after their mappings, and the trace header is per request', async () => {
  const api = await ApiBuilder.create(gh);
  await api.method('/h', 'GET', { type: 'HTTP', integrationHttpMethod: 'GET', uri: `${echo.url}/raw/backend-says-hi` }, {
    responses: [{ statusCode: '200', responseParameters: { 'method.response.header.X-From': 'integration.response.header.X-Backend' }, responseTemplates: { 'application/json': '{"wrapped": $input.json(\'$\'), "first": "$context.requestId"}' } }],
  });
  await api.method('/m', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, {
    responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"id": "$context.requestId"}' } }],
  });
  await api.deploy('test');
  await updateStage(api.apiId, patch('/cacheClusterEnabled', 'true'));
  advance(1_000);
  const start = backendCalls();
  const miss = await api.invoke('test', '/h');
  const hit = await api.invoke('test', '/h');
  assert.equal(backendCalls() - start, 1);
  assert.equal(hit.body, miss.body);
  assert.equal(hit.headers['x-from'], 'echo');
  assert.deepEqual(Object.keys(hit.headers).sort(), Object.keys(miss.headers).sort());
  assert.notEqual(hit.headers['x-amzn-trace-id'], miss.headers['x-amzn-trace-id']);
  const m1 = await api.invoke('test', '/m');
  const m2 = await api.invoke('test', '/m');
  assert.equal(m2.body, m1.body, 'the template output is what is cached');
  assert.equal(m2.headers['x-amzn-trace-id'], undefined);
});

test('TTL: 300 s by default, per-method caching/ttlInSeconds, 0 disables', async () => {
  const api = await cachedApi();
  const start = backendCalls();
  await api.invoke('test', '/items');
  advance(299_999);
  await api.invoke('test', '/items');
  assert.equal(backendCalls() - start, 1);
  advance(1);
  await api.invoke('test', '/items');
  assert.equal(backendCalls() - start, 2);

  await updateStage(api.apiId, patch('/*/*/caching/enabled', 'true'), patch('/*/*/caching/ttlInSeconds', '10'));
  await gh.apigateway.send(new AG.FlushStageCacheCommand({ restApiId: api.apiId, stageName: 'test' }));
  await api.invoke('test', '/items');
  advance(9_999);
  await api.invoke('test', '/items');
  assert.equal(backendCalls() - start, 3);
  advance(1);
  await api.invoke('test', '/items');
  assert.equal(backendCalls() - start, 4);

  await updateStage(api.apiId, patch('/*/*/caching/ttlInSeconds', '0'));
  await api.invoke('test', '/items');
  await api.invoke('test', '/items');
  assert.equal(backendCalls() - start, 6);
});

test('per-method settings: other verbs only by their own setting; */* disabled turns GET off; a method override wins', async () => {
  const api = await cachedApi({ methods: ['GET', 'POST'] });
  const start = backendCalls();
  await api.invoke('test', '/items', { method: 'POST', body: 'a' });
  await api.invoke('test', '/items', { method: 'POST', body: 'a' });
  assert.equal(backendCalls() - start, 2, 'POST is not cached by default');
  // Stage-wide caching enabled applies to GET only.
  await updateStage(api.apiId, patch('/*/*/caching/enabled', 'true'));
  await api.invoke('test', '/items', { method: 'POST', body: 'a' });
  assert.equal(backendCalls() - start, 3);
  await updateStage(api.apiId, patch('/~1items/POST/caching/enabled', 'true'));
  await api.invoke('test', '/items', { method: 'POST', body: 'a' });
  const post = await api.invoke('test', '/items', { method: 'POST', body: 'different body, same key' });
  assert.equal(backendCalls() - start, 4);
  assert.equal(post.json().method, 'POST');
  // GET and POST are apart: GET still misses once.
  const get = await api.invoke('test', '/items');
  assert.equal(get.json().method, 'GET');
  assert.equal(backendCalls() - start, 5);

  await updateStage(api.apiId, patch('/*/*/caching/enabled', 'false'));
  await api.invoke('test', '/items');
  await api.invoke('test', '/items');
  assert.equal(backendCalls() - start, 7, '*/* caching disabled: GET is not cached');
  // An override for GET re-enables it for that method alone.
  await updateStage(api.apiId, patch('/~1items/GET/caching/enabled', 'true'));
  advance(300_000); // the entry stored while */* cached GET has expired
  await api.invoke('test', '/items');
  await api.invoke('test', '/items');
  assert.equal(backendCalls() - start, 8);
});

test('cache keys: method + resource (cacheNamespace) only, unless cacheKeyParameters name query strings, headers or path parameters', async () => {
  const plain = await cachedApi({ path: '/things/{id}' });
  let start = backendCalls();
  const a = await plain.invoke('test', '/things/1?q=x', { headers: { 'X-Tenant': 'a' } });
  const b = await plain.invoke('test', '/things/2?q=y', { headers: { 'X-Tenant': 'b' } });
  assert.equal(backendCalls() - start, 1, 'undeclared path, query and headers are not part of the key');
  assert.equal(b.body, a.body);

  const keyed = await cachedApi({
    path: '/things/{id}',
    method: { requestParameters: { 'method.request.querystring.q': false, 'method.request.header.X-Tenant': false } },
    integration: { cacheKeyParameters: ['method.request.path.id', 'method.request.querystring.q', 'method.request.header.X-Tenant'] },
  });
  start = backendCalls();
  const r1 = await keyed.invoke('test', '/things/1?q=x', { headers: { 'X-Tenant': 'a' } });
  await keyed.invoke('test', '/things/1?q=x&other=ignored', { headers: { 'x-tenant': 'a', 'X-Other': 'ignored' } });
  assert.equal(backendCalls() - start, 1);
  for (const [path, tenant] of [['/things/2?q=x', 'a'], ['/things/1?q=y', 'a'], ['/things/1?q=x', 'b'], ['/things/1', 'a'], ['/things/1?q=', 'a']] as const) {
    const r = await keyed.invoke('test', path, { headers: { 'X-Tenant': tenant } });
    assert.notEqual(r.body, r1.body, `${path} ${tenant}`);
  }
  assert.equal(backendCalls() - start, 6);
  // Header parameter names are case-insensitive, query string names are not: `Q=x` is a request without `q`, whose
  // entry is the one of /things/1.
  const upper = await keyed.invoke('test', '/things/1?Q=x', { headers: { 'X-Tenant': 'a' } });
  assert.equal(backendCalls() - start, 6);
  assert.equal(upper.json().url, '/e');
});

test('a shared cacheNamespace shares entries between resources', async () => {
  const api = await ApiBuilder.create(gh);
  await api.method('/a', 'GET', { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `${echo.url}/raw/from-a`, cacheNamespace: 'shared' });
  await api.method('/b', 'GET', { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `${echo.url}/raw/from-b`, cacheNamespace: 'shared' });
  await api.deploy('test');
  await updateStage(api.apiId, patch('/cacheClusterEnabled', 'true'));
  advance(1_000);
  assert.equal((await api.invoke('test', '/a')).body, 'from-a');
  assert.equal((await api.invoke('test', '/b')).body, 'from-a');
});

test('Cache-Control: max-age=0 from an unauthorized caller: served from cache with a Warning (default), without, or 403; with authorization not required it refreshes the entry', async () => {
  const api = await cachedApi();
  const start = backendCalls();
  const first = await api.invoke('test', '/items?respond-header=X-Version:1');
  const warned = await api.invoke('test', '/items?respond-header=X-Version:2', { headers: { 'Cache-Control': 'max-age=0' } });
  assert.equal(backendCalls() - start, 1);
  assert.equal(warned.headers['x-version'], '1');
  assert.equal(warned.headers.warning, '199 Cache-control headers were ignored because the caller was unauthorized.');
  assert.equal(first.headers.warning, undefined);

  await updateStage(api.apiId, patch('/*/*/caching/enabled', 'true'), patch('/*/*/caching/unauthorizedCacheControlHeaderStrategy', 'SUCCEED_WITHOUT_RESPONSE_HEADER'));
  const quiet = await api.invoke('test', '/items', { headers: { 'cache-control': 'no-cache, MAX-AGE=0' } });
  assert.equal(quiet.headers.warning, undefined);
  assert.equal(quiet.headers['x-version'], '1');

  await updateStage(api.apiId, patch('/*/*/caching/unauthorizedCacheControlHeaderStrategy', 'FAIL_WITH_403'));
  const denied = await api.invoke('test', '/items', { headers: { 'Cache-Control': 'max-age=0' } });
  assert.equal(denied.status, 403);
  assert.deepEqual(denied.json(), { message: 'User is not authorized to access this resource' });
  assert.equal(denied.headers['x-amzn-errortype'], 'AccessDeniedException');
  // Other Cache-Control values are not invalidation requests.
  assert.equal((await api.invoke('test', '/items', { headers: { 'Cache-Control': 'max-age=10' } })).status, 200);
  assert.equal(backendCalls() - start, 1);

  await updateStage(api.apiId, patch('/*/*/caching/requireAuthorizationForCacheControl', 'false'));
  const fresh = await api.invoke('test', '/items?respond-header=X-Version:3', { headers: { 'Cache-Control': 'max-age=0' } });
  assert.equal(fresh.headers['x-version'], '3');
  assert.equal(fresh.headers.warning, undefined);
  assert.equal(backendCalls() - start, 2);
  // The fresh response replaced the entry.
  assert.equal((await api.invoke('test', '/items')).headers['x-version'], '3');
  assert.equal(backendCalls() - start, 2);
});

test('FlushStageCache through the SDK and `aws apigateway flush-stage-cache` empties the stage cache', async () => {
  const api = await cachedApi();
  const start = backendCalls();
  await api.invoke('test', '/items');
  await api.invoke('test', '/items');
  assert.equal(backendCalls() - start, 1);
  await gh.apigateway.send(new AG.FlushStageCacheCommand({ restApiId: api.apiId, stageName: 'test' }));
  await api.invoke('test', '/items');
  assert.equal(backendCalls() - start, 2, 'entries are gone at once');
  advance(1_000);
  const cli = await runAws({ endpoint: gh.endpoint }, 'apigateway', 'flush-stage-cache', '--rest-api-id', api.apiId, '--stage-name', 'test');
  assert.equal(cli.code, 0, cli.stderr);
  assert.equal(cli.stdout, '');
  const after = await runAws({ endpoint: gh.endpoint }, 'apigateway', 'get-stage', '--rest-api-id', api.apiId, '--stage-name', 'test');
  assert.equal(after.json.cacheClusterStatus, 'FLUSH_IN_PROGRESS');
  await api.invoke('test', '/items');
  await api.invoke('test', '/items');
  assert.equal(backendCalls() - start, 3, 'the cache serves again during FLUSH_IN_PROGRESS');
  const missing = await runAws({ endpoint: gh.endpoint }, 'apigateway', 'flush-stage-cache', '--rest-api-id', api.apiId, '--stage-name', 'nope');
  assert.equal(missing.code, 254);
  assert.match(missing.stderr, /NotFoundException.*Invalid stage identifier specified/);
});

test('disabling or resizing the cache drops its data; a redeployment keeps it; a deleted stage leaves nothing behind', async () => {
  const api = await cachedApi();
  const start = backendCalls();
  await api.invoke('test', '/items');
  await api.deploy('test');
  await api.invoke('test', '/items');
  assert.equal(backendCalls() - start, 1, 'a new deployment keeps the cached responses');
  await updateStage(api.apiId, patch('/cacheClusterSize', '1.6'));
  advance(1_000);
  await api.invoke('test', '/items');
  assert.equal(backendCalls() - start, 2);
  await updateStage(api.apiId, patch('/cacheClusterEnabled', 'false'));
  await api.invoke('test', '/items');
  await api.invoke('test', '/items');
  assert.equal(backendCalls() - start, 4, 'a disabled cache serves nothing');
  await updateStage(api.apiId, patch('/cacheClusterEnabled', 'true'));
  advance(1_000);
  await api.invoke('test', '/items');
  assert.equal(backendCalls() - start, 5, 'a re-enabled cache starts empty');
});

test("DeleteStage and DeleteRestApi drop the stages' cached responses", async () => {
  const api = await cachedApi();
  await gh.apigateway.send(new AG.CreateStageCommand({ restApiId: api.apiId, stageName: 'other', deploymentId: (await gh.apigateway.send(new AG.GetStageCommand({ restApiId: api.apiId, stageName: 'test' }))).deploymentId!, cacheClusterEnabled: true }));
  advance(1_000);
  await api.invoke('test', '/items');
  await api.invoke('other', '/items');
  assert.equal(memory.usage(`${api.apiId}/test`).entries, 1);
  assert.equal(memory.usage(`${api.apiId}/other`).entries, 1);
  await gh.apigateway.send(new AG.DeleteStageCommand({ restApiId: api.apiId, stageName: 'other' }));
  assert.equal(memory.usage(`${api.apiId}/other`).entries, 0);
  await gh.apigateway.send(new AG.DeleteRestApiCommand({ restApiId: api.apiId }));
  assert.equal(memory.usage(`${api.apiId}/test`).entries, 0);
});

test('canary requests use the stage cache only with useStageCache', async () => {
  const api = await cachedApi();
  await gh.apigateway.send(new AG.CreateDeploymentCommand({ restApiId: api.apiId, stageName: 'test', canarySettings: { percentTraffic: 100, useStageCache: false } }));
  const start = backendCalls();
  await api.invoke('test', '/items');
  await api.invoke('test', '/items');
  assert.equal(backendCalls() - start, 2);
  await updateStage(api.apiId, patch('/canarySettings/useStageCache', 'true'));
  await api.invoke('test', '/items');
  await api.invoke('test', '/items');
  assert.equal(backendCalls() - start, 3);
});

test('caching/dataEncrypted: the entry is held encrypted, the response is the same', async () => {
  const api = await cachedApi({ settings: [patch('/*/*/caching/enabled', 'true'), patch('/*/*/caching/dataEncrypted', 'true')] });
  const marker = 'plain-text-marker-4711';
  const n = stored.length;
  const miss = await api.invoke('test', `/items?${marker}`);
  const hit = await api.invoke('test', `/items?${marker}`);
  assert.equal(hit.body, miss.body);
  assert.ok(miss.body.includes(marker));
  assert.equal(stored.length, n + 1);
  assert.equal(stored[n]!.includes(Buffer.from(marker)), false);
  assert.equal(stored[n]!.includes(Buffer.from('X-Backend')), false);
  // Without the setting the value is held as it is.
  await updateStage(api.apiId, patch('/*/*/caching/dataEncrypted', 'false'));
  await gh.apigateway.send(new AG.FlushStageCacheCommand({ restApiId: api.apiId, stageName: 'test' }));
  await api.invoke('test', `/items?${marker}`);
  assert.ok(stored[n + 1]!.includes(Buffer.from(marker)));
});

test('backend error statuses are cached as AWS caches them; gateway responses are not', async () => {
  const api = await ApiBuilder.create(gh);
  await api.method('/s', 'GET', { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `${echo.url}/status/503` });
  await api.method('/slow', 'GET', { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `${echo.url}/delay/400`, timeoutInMillis: 50 });
  await api.deploy('test');
  await updateStage(api.apiId, patch('/cacheClusterEnabled', 'true'));
  advance(1_000);
  const start = backendCalls();
  assert.equal((await api.invoke('test', '/s')).status, 503);
  assert.equal((await api.invoke('test', '/s')).status, 503);
  assert.equal(backendCalls() - start, 1);
  assert.equal((await api.invoke('test', '/slow')).status, 504);
  assert.equal((await api.invoke('test', '/slow')).status, 504);
  // The 50 ms timeout can fire before a busy machine's backend has even accepted the request: wait for both to
  // arrive (a stored 504 would leave the second never sent, and this wait would time out).
  const slowCalls = () => echo.requests.slice(start).filter((r) => r.url.startsWith('/delay/')).length;
  for (let waited = 0; slowCalls() < 2 && waited < 5_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
  assert.equal(slowCalls(), 2, 'a timeout is a gateway response: nothing stored');
});

test('TestInvokeMethod does not use the stage cache', async () => {
  const api = await cachedApi();
  const start = backendCalls();
  await api.invoke('test', '/items');
  const resourceId = await api.resource('/items');
  await gh.apigateway.send(new AG.TestInvokeMethodCommand({ restApiId: api.apiId, resourceId, httpMethod: 'GET' }));
  assert.equal(backendCalls() - start, 2);
});

test('Cache-Control: max-age=0 signed by a caller allowed execute-api:InvalidateCache refreshes the entry; a signed caller without it is unauthorized', async () => {
  const api = await cachedApi();
  const { iam } = identityClients(gh.endpoint);
  const user = async (name: string, action: string) => {
    await iam.send(new CreateUserCommand({ UserName: name }));
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: `arn:aws:execute-api:us-east-1:123456789012:${api.apiId}/test/GET/items` }] };
    await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: JSON.stringify(policy) }));
    const k = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
    return { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
  };
  const invalidator = await user(`invalidator-${api.apiId}`, 'execute-api:InvalidateCache');
  const invoker = await user(`invoker-${api.apiId}`, 'execute-api:Invoke');
  iam.destroy();
  const host = `${api.apiId}.execute-api.us-east-1.amazonaws.com`;
  // Signed at the server's (fake) time: the signature's time window is checked against it.
  const amzDate = new Date(clock.t).toISOString().replace(/[:-]|\.\d{3}/g, '');
  const signed = async (creds: { accessKeyId: string; secretAccessKey: string }, version: string) => {
    const path = `/test/items?respond-header=X-Version:${version}`;
    const o = aws4.sign({ host, method: 'GET', path, service: 'execute-api', region: 'us-east-1', headers: { 'Cache-Control': 'max-age=0', 'X-Amz-Date': amzDate } }, creds);
    const res = await request(`${gh.endpoint}${path}`, { headers: o.headers as Record<string, string> });
    return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
  };
  const start = backendCalls();
  await api.invoke('test', '/items?respond-header=X-Version:1');
  const refused = await signed(invoker, '2');
  assert.equal(refused.headers['x-version'], '1');
  assert.equal(refused.headers.warning, '199 Cache-control headers were ignored because the caller was unauthorized.');
  const forged = await signed({ accessKeyId: invalidator.accessKeyId, secretAccessKey: 'wrong-secret-wrong-secret-wrong-secret00' }, '2');
  assert.equal(forged.headers['x-version'], '1', 'a bad signature is an unauthorized caller');
  assert.equal(backendCalls() - start, 1);
  const fresh = await signed(invalidator, '3');
  assert.equal(fresh.status, 200);
  assert.equal(fresh.headers['x-version'], '3');
  assert.equal(fresh.headers.warning, undefined);
  assert.equal(backendCalls() - start, 2);
  assert.equal((await api.invoke('test', '/items')).headers['x-version'], '3');
});

test('caching settings are validated with AWS\'s texts', async () => {
  const api = await cachedApi();
  for (const value of ['3601', '-1', '1.5', 'abc']) {
    await assert.rejects(updateStage(api.apiId, patch('/*/*/caching/ttlInSeconds', value)), (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(e.name, 'BadRequestException');
      assert.equal(e.message, 'Invalid time-to-live setting, must be an integer no greater than 3600');
      assert.equal(e.$metadata?.httpStatusCode, 400);
      return true;
    });
  }
  const ok = await updateStage(api.apiId, patch('/~1items/GET/caching/ttlInSeconds', '3600'), patch('/~1items/GET/caching/dataEncrypted', 'true'));
  assert.deepEqual(ok.methodSettings!['~1items/GET'], {
    metricsEnabled: false,
    dataTraceEnabled: false,
    throttlingBurstLimit: 5000,
    throttlingRateLimit: 10000,
    cachingEnabled: false,
    cacheTtlInSeconds: 3600,
    cacheDataEncrypted: true,
    requireAuthorizationForCacheControl: true,
    unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
  });
  await assert.rejects(updateStage(api.apiId, patch('/*/*/caching/unauthorizedCacheControlHeaderStrategy', 'IGNORE')), /Invalid unauthorized cache control header strategy specified: IGNORE/);
});

test('CreateDeployment enabling the cache of an existing stage starts creating it, as UpdateStage does', async () => {
  const api = await ApiBuilder.create(gh);
  await api.method('/items', 'GET', { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `${echo.url}/e` });
  await api.deploy('test');
  await gh.apigateway.send(new AG.CreateDeploymentCommand({ restApiId: api.apiId, stageName: 'test', cacheClusterEnabled: true, cacheClusterSize: '6.1' }));
  const stage = await gh.apigateway.send(new AG.GetStageCommand({ restApiId: api.apiId, stageName: 'test' }));
  assert.equal(stage.cacheClusterStatus, 'CREATE_IN_PROGRESS');
  assert.equal(stage.cacheClusterSize, '6.1');
  advance(1_000);
  assert.equal(await status(api.apiId), 'AVAILABLE');
  const start = backendCalls();
  await api.invoke('test', '/items');
  await api.invoke('test', '/items');
  assert.equal(backendCalls() - start, 1);
});

test('the cache holds the uncompressed response: each hit is compressed (or not) for its own client', async () => {
  const api = await ApiBuilder.create(gh, { minimumCompressionSize: 10 });
  await api.method('/z', 'GET', { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `${echo.url}/big/5000` });
  await api.deploy('test');
  await gh.apigateway.send(new AG.UpdateStageCommand({ restApiId: api.apiId, stageName: 'test', patchOperations: [patch('/cacheClusterEnabled', 'true')] }));
  advance(1_000);
  const start = backendCalls();
  const gz = await api.invoke('test', '/z', { headers: { 'Accept-Encoding': 'gzip' } });
  const plain = await api.invoke('test', '/z');
  const gz2 = await api.invoke('test', '/z', { headers: { 'Accept-Encoding': 'gzip' } });
  assert.equal(backendCalls() - start, 1);
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(gz2.headers['content-encoding'], 'gzip');
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.raw.length, 5000);
  const { gunzipSync } = await import('node:zlib');
  assert.ok(gunzipSync(gz2.raw).equals(plain.raw));
});

test('least recently used entries give way when the cache is full (a process bound small enough to fill)', async () => {
  const small = new MemoryResponseCache({ now: () => clock.t, sweepMs: 0, maxTotalBytes: 3 * 10_300 });
  const own = await startGatehouse({ now: () => new Date(clock.t), responseCache: small });
  try {
    const api = await ApiBuilder.create(own);
    for (const p of ['/a', '/b', '/c', '/d']) await api.method(p, 'GET', { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `${echo.url}/big/10000` });
    await api.deploy('test');
    await own.apigateway.send(new AG.UpdateStageCommand({ restApiId: api.apiId, stageName: 'test', patchOperations: [patch('/cacheClusterEnabled', 'true')] }));
    advance(1_000);
    const start = backendCalls();
    for (const p of ['/a', '/b', '/c']) await api.invoke('test', p);
    assert.equal(small.usage(`${api.apiId}/test`).entries, 3);
    await api.invoke('test', '/a'); // a hit: /b is now the least recently used
    assert.equal(backendCalls() - start, 3);
    await api.invoke('test', '/d'); // evicts /b
    assert.equal(backendCalls() - start, 4);
    await api.invoke('test', '/a');
    await api.invoke('test', '/c');
    await api.invoke('test', '/d');
    assert.equal(backendCalls() - start, 4, '/a, /c and /d are still cached');
    await api.invoke('test', '/b');
    assert.equal(backendCalls() - start, 5, '/b was evicted');
    assert.ok(small.totalBytes <= 3 * 10_300);
  } finally {
    await own.stop();
  }
});

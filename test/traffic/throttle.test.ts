// Throttling through real HTTP on a fake clock: the stage's `*/*` method settings, a method's own, the account
// limit (--account-throttle) and their precedence; 429 THROTTLED as AWS answers it and as a customised gateway
// response; TestInvokeMethod unthrottled.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { AG, ApiBuilder, startGatehouse } from '../execute/helpers.ts';
import type { Running } from '../helpers/gatehouse.ts';

let gh: Running;
let clock = Date.UTC(2026, 2, 10, 12);
const tick = (ms: number) => {
  clock += ms;
};

before(async () => {
  gh = await startGatehouse({ now: () => new Date(clock), config: { accountThrottle: { rateLimit: 2, burstLimit: 8 } } });
});
after(async () => {
  await gh.stop();
});

const MOCK = { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } } as const;
const OK = [{ statusCode: '200', responseTemplates: { 'application/json': '{"ok":true}' } }];

async function mockApi(paths: Array<[string, string]>): Promise<ApiBuilder> {
  const api = await ApiBuilder.create(gh);
  for (const [path, verb] of paths) await api.method(path, verb, MOCK, { responses: OK });
  await api.deploy('prod');
  return api;
}

async function patchStage(api: ApiBuilder, ops: Array<[string, string]>): Promise<void> {
  await gh.apigateway.send(
    new AG.UpdateStageCommand({ restApiId: api.apiId, stageName: 'prod', patchOperations: ops.map(([path, value]) => ({ op: 'replace', path, value })) }),
  );
}

async function statuses(api: ApiBuilder, path: string, n: number, method = 'GET'): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await api.invoke('prod', path, { method })).status);
  return out;
}

/** Lets every bucket refill completely (the account's too) before a test. */
const idle = () => tick(3_600_000);

test('the stage `*/*` throttle: burst at once, then 429 Too Many Requests as AWS answers it, refilled at the rate', async () => {
  idle();
  const api = await mockApi([['/pets', 'GET']]);
  await patchStage(api, [['/*/*/throttling/rateLimit', '1'], ['/*/*/throttling/burstLimit', '2']]);
  assert.deepEqual(await statuses(api, '/pets', 2), [200, 200]);
  const refused = await api.invoke('prod', '/pets');
  assert.equal(refused.status, 429);
  assert.equal(refused.body, '{"message":"Too Many Requests"}');
  assert.equal(refused.headers['x-amzn-errortype'], 'TooManyRequestsException');
  assert.equal(refused.headers['content-type'], 'application/json');
  tick(999);
  assert.deepEqual(await statuses(api, '/pets', 1), [429], 'not a whole token after 999 ms at 1/s');
  tick(1);
  assert.deepEqual(await statuses(api, '/pets', 2), [200, 429]);
});

test("stage limits apply per method; a method's own setting replaces `*/*` for it", async () => {
  idle();
  const api = await mockApi([['/pets', 'GET'], ['/pets', 'POST'], ['/toys', 'GET']]);
  await patchStage(api, [
    ['/*/*/throttling/rateLimit', '1'],
    ['/*/*/throttling/burstLimit', '1'],
    ['/~1pets/POST/throttling/burstLimit', '3'],
  ]);
  assert.deepEqual(await statuses(api, '/pets', 2), [200, 429]);
  assert.deepEqual(await statuses(api, '/toys', 2), [200, 429], 'its own bucket with the `*/*` limits');
  assert.deepEqual(await statuses(api, '/pets', 4, 'POST'), [200, 200, 200, 429]);
});

test('a stage change applies at once, without a deployment', async () => {
  idle();
  const api = await mockApi([['/pets', 'GET']]);
  assert.deepEqual(await statuses(api, '/pets', 3), [200, 200, 200]);
  await patchStage(api, [['/*/*/throttling/burstLimit', '0'], ['/*/*/throttling/rateLimit', '0']]);
  assert.deepEqual(await statuses(api, '/pets', 1), [429], 'rate and burst 0 close the method');
});

test('the account limit (--account-throttle) is shared by every API and stage, and the stricter limit wins', async () => {
  idle();
  const a = await mockApi([['/a', 'GET']]);
  const b = await mockApi([['/b', 'GET']]);
  // Generous stage limits: the account's burst of 8 decides.
  await patchStage(a, [['/*/*/throttling/burstLimit', '100'], ['/*/*/throttling/rateLimit', '100']]);
  const sa = await statuses(a, '/a', 5);
  const sb = await statuses(b, '/b', 5);
  assert.deepEqual([...sa, ...sb], [200, 200, 200, 200, 200, 200, 200, 200, 429, 429]);
  tick(500); // 2 per second: one more token
  assert.deepEqual(await statuses(b, '/b', 2), [200, 429]);
});

test('GetAccount reports the account throttle in force; UpdateAccount cannot change it', async () => {
  const account = await gh.apigateway.send(new AG.GetAccountCommand({}));
  assert.deepEqual(account.throttleSettings, { burstLimit: 8, rateLimit: 2 });
  await assert.rejects(
    gh.apigateway.send(new AG.UpdateAccountCommand({ patchOperations: [{ op: 'replace', path: '/throttle/rateLimit', value: '100' }] })),
    (e: Error) => e.name === 'BadRequestException',
  );
  const updated = await gh.apigateway.send(new AG.UpdateAccountCommand({ patchOperations: [{ op: 'add', path: '/features', value: 'UsagePlans' }] }));
  assert.deepEqual(updated.throttleSettings, { burstLimit: 8, rateLimit: 2 });
});

test('the THROTTLED gateway response can be customised (status, headers, template)', async () => {
  idle();
  const api = await mockApi([['/pets', 'GET']]);
  await gh.apigateway.send(
    new AG.PutGatewayResponseCommand({
      restApiId: api.apiId,
      responseType: 'THROTTLED',
      statusCode: '503',
      responseParameters: { 'gatewayresponse.header.Retry-After': "'1'" },
      responseTemplates: { 'application/json': '{"slowDown":"$context.error.message","type":"$context.error.responseType"}' },
    }),
  );
  await api.deploy('prod');
  await patchStage(api, [['/*/*/throttling/burstLimit', '1'], ['/*/*/throttling/rateLimit', '1']]);
  assert.equal((await api.invoke('prod', '/pets')).status, 200);
  const r = await api.invoke('prod', '/pets');
  assert.equal(r.status, 503);
  assert.equal(r.headers['retry-after'], '1');
  assert.equal(r.body, '{"slowDown":"Too Many Requests","type":"THROTTLED"}');
});

test('TestInvokeMethod is not throttled (it starts at request validation, as on AWS)', async () => {
  idle();
  const api = await mockApi([['/pets', 'GET']]);
  await patchStage(api, [['/*/*/throttling/burstLimit', '0'], ['/*/*/throttling/rateLimit', '0']]);
  const resourceId = await api.resource('/pets');
  const r = await gh.apigateway.send(new AG.TestInvokeMethodCommand({ restApiId: api.apiId, resourceId, httpMethod: 'GET' }));
  assert.equal(r.status, 200);
  assert.equal((await api.invoke('prod', '/pets')).status, 429);
});

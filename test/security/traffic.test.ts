// Hostile input against throttling, quotas and usage: malformed dates, limits, positions and patch values get AWS's
// 400s (never a 5xx), a key's quota of 0 admits nothing, keys cannot dodge their plan's limits by varying the
// header, bad --account-throttle values stop startup with the setting named.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { AG, ApiBuilder, startGatehouse } from '../execute/helpers.ts';
import type { Running } from '../helpers/gatehouse.ts';
import { parseAccountThrottle } from '../../src/server/config.ts';
import { ConfigError } from '../../src/server/startup-errors.ts';

let gh: Running;
let clock = Date.UTC(2026, 2, 10, 12);
before(async () => {
  gh = await startGatehouse({ now: () => new Date(clock) });
});
after(async () => {
  await gh.stop();
});

const MOCK = { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } } as const;
const OK = [{ statusCode: '200', responseTemplates: { 'application/json': '{}' } }];

async function planWithKey(plan: Partial<AG.CreateUsagePlanCommandInput>) {
  const api = await ApiBuilder.create(gh);
  await api.method('/x', 'GET', MOCK, { responses: OK, method: { apiKeyRequired: true } });
  await api.deploy('prod');
  const p = await gh.apigateway.send(new AG.CreateUsagePlanCommand({ name: 'p', apiStages: [{ apiId: api.apiId, stage: 'prod' }], ...plan }));
  const value = `hostile-${Math.random().toString(36).slice(2)}-0123456789`;
  const key = await gh.apigateway.send(new AG.CreateApiKeyCommand({ name: 'k', enabled: true, value }));
  await gh.apigateway.send(new AG.CreateUsagePlanKeyCommand({ usagePlanId: p.id, keyId: key.id, keyType: 'API_KEY' }));
  return { api, planId: p.id!, keyId: key.id!, value };
}

/** A raw GET on the control API with a SigV4-shaped header (signatures are not verified without --require-auth). */
async function rawGetUsage(planId: string, query: string) {
  const res = await request(`${gh.endpoint}/usageplans/${planId}/usage?${query}`, {
    headers: { 'x-amz-date': '20260310T120000Z', authorization: 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260310/us-east-1/apigateway/aws4_request, SignedHeaders=host, Signature=00' },
  });
  return { status: res.statusCode, body: await res.body.text() };
}

test('malformed GetUsage dates, limits and positions are 400s, never 5xx', async () => {
  const { planId } = await planWithKey({ quota: { limit: 10, period: 'DAY' } });
  const cases = [
    'startDate=&endDate=2026-01-01',
    'startDate=2026-01-01&endDate=',
    'startDate=9999-99-99&endDate=2026-01-01',
    'startDate=2026-01-01T00:00:00Z&endDate=2026-01-02',
    `startDate=${'2'.repeat(5000)}&endDate=2026-01-02`,
    'startDate=-001-01-01&endDate=2026-01-02',
    'startDate=0000-01-01&endDate=9999-12-31',
    'startDate=2026-01-01&endDate=2026-01-02&limit=100000',
    'startDate=2026-01-01&endDate=2026-01-02&limit=abc',
    'startDate=2026-01-01&endDate=2026-01-02&position=%00%ff',
    'startDate=2026-01-01&endDate=2026-01-02&position=cDE6OTk5OTk5OTk',
    'startDate=%E2%80%AE2026-01-01&endDate=2026-01-02',
  ];
  for (const q of cases) {
    const r = await rawGetUsage(planId, q);
    assert.equal(r.status, 400, `${q}: ${r.status} ${r.body}`);
    assert.match(r.body, /"message"/);
  }
});

test('malformed UpdateUsage values are 400s', async () => {
  const { planId, keyId } = await planWithKey({ quota: { limit: 10, period: 'DAY' } });
  for (const value of ['-1', '1e3', '99999999999999999999', '', ' 5', '0x10', 'NaN']) {
    await assert.rejects(
      gh.apigateway.send(new AG.UpdateUsageCommand({ usagePlanId: planId, keyId, patchOperations: [{ op: 'replace', path: '/remaining', value }] })),
      (e: Error & { $metadata?: { httpStatusCode?: number } }) => e.name === 'BadRequestException' && e.$metadata?.httpStatusCode === 400,
      value,
    );
  }
  for (const op of ['add', 'remove', 'move', 'copy', 'test'] as const) {
    await assert.rejects(
      gh.apigateway.send(new AG.UpdateUsageCommand({ usagePlanId: planId, keyId, patchOperations: [{ op, path: '/remaining', value: '1', from: '/remaining' }] })),
      (e: Error) => e.name === 'BadRequestException',
      op,
    );
  }
});

test('a quota of 0 admits nothing; a key varying the header case or adding spaces gets no fresh bucket', async () => {
  const zero = await planWithKey({ quota: { limit: 0, period: 'MONTH' } });
  const r = await zero.api.invoke('prod', '/x', { headers: { 'x-api-key': zero.value } });
  assert.equal(r.status, 429);
  assert.equal(r.body, '{"message":"Limit Exceeded"}');
  const limited = await planWithKey({ throttle: { rateLimit: 1, burstLimit: 1 } });
  assert.equal((await limited.api.invoke('prod', '/x', { headers: { 'x-api-key': limited.value } })).status, 200);
  assert.equal((await limited.api.invoke('prod', '/x', { headers: { 'X-API-KEY': limited.value } })).status, 429);
  // Surrounding whitespace is not part of a header value: the same key, the same (empty) bucket.
  assert.equal((await limited.api.invoke('prod', '/x', { headers: { 'x-api-key': ` ${limited.value} ` } })).status, 429);
  // A different value is a different (unknown) key: refused before throttling, never admitted.
  assert.equal((await limited.api.invoke('prod', '/x', { headers: { 'x-api-key': limited.value.toUpperCase() } })).status, 403);
});

test('requests refused before throttling (unknown keys) are not counted as anyone\'s usage', async () => {
  const s = await planWithKey({ quota: { limit: 5, period: 'DAY' } });
  for (let i = 0; i < 20; i++) assert.equal((await s.api.invoke('prod', '/x', { headers: { 'x-api-key': `nobody-${i}-0123456789abcdef` } })).status, 403);
  const u = await gh.apigateway.send(new AG.GetUsageCommand({ usagePlanId: s.planId, startDate: '2026-03-10', endDate: '2026-03-10' }));
  assert.deepEqual(u.items, { [s.keyId]: [[0, 5]] });
});

test('--account-throttle accepts RATE:BURST only', () => {
  assert.deepEqual(parseAccountThrottle('10000:5000', '--account-throttle'), { rateLimit: 10000, burstLimit: 5000 });
  assert.deepEqual(parseAccountThrottle('0.5:1', '--account-throttle'), { rateLimit: 0.5, burstLimit: 1 });
  for (const bad of ['', '100', ':5', '5:', '0:5', '5:0', '-1:5', '5:1.5', 'a:b', '1e3:5', '5:5:5', 'Infinity:5', `${'9'.repeat(400)}:5`, '5:99999999999999999999']) {
    assert.throws(() => parseAccountThrottle(bad, '--account-throttle'), (e: Error) => e instanceof ConfigError && e.message.startsWith('--account-throttle='), bad);
  }
});

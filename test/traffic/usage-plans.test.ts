// Usage plans on the data plane, through real API keys (x-api-key) on a fake clock: the plan's per-key throttle,
// its per-method throttle, their precedence with the stage's and account's limits, quotas across DAY / WEEK / MONTH
// boundaries with offsets (429 QUOTA_EXCEEDED "Limit Exceeded"), and usage as GetUsage and UpdateUsage (SDK and
// the aws CLI) see it, across a restart.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { AG, ApiBuilder, startGatehouse } from '../execute/helpers.ts';
import { tempDataDir, type Running } from '../helpers/gatehouse.ts';
import { runAws } from '../helpers/aws-cli.ts';
import { awsError } from '../control/deployable-api.ts';

let gh: Running;
let dataDir: string;
let clock = Date.UTC(2026, 2, 10, 12); // Tuesday 2026-03-10, noon UTC
const now = () => new Date(clock);
const idle = () => {
  clock += 3_600_000;
};

before(async () => {
  dataDir = tempDataDir();
  gh = await startGatehouse({ now, dataDir });
});
after(async () => {
  await gh.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const MOCK = { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } } as const;
const OK = [{ statusCode: '200', responseTemplates: { 'application/json': '{"ok":true}' } }];

interface Setup {
  api: ApiBuilder;
  planId: string;
  keys: Array<{ id: string; value: string }>;
}

let keyCount = 0;
async function setup(plan: Partial<AG.CreateUsagePlanCommandInput>, opts: { paths?: Array<[string, string]>; keys?: number; methodThrottle?: Record<string, AG.ThrottleSettings> } = {}): Promise<Setup> {
  const api = await ApiBuilder.create(gh);
  for (const [path, verb] of opts.paths ?? [['/pets', 'GET']]) await api.method(path, verb, MOCK, { responses: OK, method: { apiKeyRequired: true } });
  await api.deploy('prod');
  const created = await gh.apigateway.send(
    new AG.CreateUsagePlanCommand({ name: 'plan', apiStages: [{ apiId: api.apiId, stage: 'prod', throttle: opts.methodThrottle }], ...plan }),
  );
  const keys = [];
  for (let i = 0; i < (opts.keys ?? 1); i++) {
    const value = `test-key-value-${++keyCount}-abcdefghijklmnop`;
    const key = await gh.apigateway.send(new AG.CreateApiKeyCommand({ name: `k${keyCount}`, enabled: true, value }));
    await gh.apigateway.send(new AG.CreateUsagePlanKeyCommand({ usagePlanId: created.id, keyId: key.id, keyType: 'API_KEY' }));
    keys.push({ id: key.id!, value });
  }
  return { api, planId: created.id!, keys };
}

async function statuses(s: Setup, key: { value: string }, n: number, path = '/pets', method = 'GET'): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await s.api.invoke('prod', path, { method, headers: { 'x-api-key': key.value } })).status);
  return out;
}

test("a plan's throttle applies per API key", async () => {
  idle();
  const s = await setup({ throttle: { rateLimit: 1, burstLimit: 2 } }, { keys: 2 });
  assert.deepEqual(await statuses(s, s.keys[0]!, 3), [200, 200, 429]);
  assert.deepEqual(await statuses(s, s.keys[1]!, 3), [200, 200, 429], 'the other key has its own bucket');
  clock += 1000;
  assert.deepEqual(await statuses(s, s.keys[0]!, 2), [200, 429]);
});

test("a plan's per-method throttle replaces the plan's throttle for that method", async () => {
  idle();
  const s = await setup(
    { throttle: { rateLimit: 1, burstLimit: 1 } },
    { paths: [['/pets', 'GET'], ['/toys', 'GET']], methodThrottle: { '/pets/GET': { rateLimit: 1, burstLimit: 3 } } },
  );
  const k = s.keys[0]!;
  assert.deepEqual(await statuses(s, k, 4, '/pets'), [200, 200, 200, 429]);
  assert.deepEqual(await statuses(s, k, 2, '/toys'), [200, 429], "the plan's own limit, in its own bucket");
});

test("the stricter of the plan's and the stage's limits wins", async () => {
  idle();
  const s = await setup({ throttle: { rateLimit: 100, burstLimit: 100 } });
  await gh.apigateway.send(
    new AG.UpdateStageCommand({
      restApiId: s.api.apiId,
      stageName: 'prod',
      patchOperations: [
        { op: 'replace', path: '/*/*/throttling/burstLimit', value: '2' },
        { op: 'replace', path: '/*/*/throttling/rateLimit', value: '1' },
      ],
    }),
  );
  assert.deepEqual(await statuses(s, s.keys[0]!, 3), [200, 200, 429]);
});

test('a DAY quota: 429 Limit Exceeded as AWS answers it once used up, a new count at 00:00 UTC', async () => {
  idle();
  clock = Date.UTC(2026, 2, 11, 23, 59);
  const s = await setup({ quota: { limit: 2, period: 'DAY' } });
  const k = s.keys[0]!;
  assert.deepEqual(await statuses(s, k, 2), [200, 200]);
  const r = await s.api.invoke('prod', '/pets', { headers: { 'x-api-key': k.value } });
  assert.equal(r.status, 429);
  assert.equal(r.body, '{"message":"Limit Exceeded"}');
  assert.equal(r.headers['x-amzn-errortype'], 'LimitExceededException');
  clock = Date.UTC(2026, 2, 12, 0, 0, 0);
  assert.deepEqual(await statuses(s, k, 3), [200, 200, 429]);
});

test('a WEEK quota with offset 1 renews on Monday 00:00 UTC, not on Sunday', async () => {
  clock = Date.UTC(2026, 2, 14, 12); // Saturday
  const s = await setup({ quota: { limit: 1, period: 'WEEK', offset: 1 } });
  const k = s.keys[0]!;
  assert.deepEqual(await statuses(s, k, 2), [200, 429]);
  clock = Date.UTC(2026, 2, 15, 12); // Sunday: same week
  assert.deepEqual(await statuses(s, k, 1), [429]);
  clock = Date.UTC(2026, 2, 16, 0, 0, 0); // Monday
  assert.deepEqual(await statuses(s, k, 2), [200, 429]);
});

test('a MONTH quota with offset 27 renews on the 28th, February included', async () => {
  clock = Date.UTC(2026, 1, 27, 23, 59, 59);
  const s = await setup({ quota: { limit: 1, period: 'MONTH', offset: 27 } });
  const k = s.keys[0]!;
  assert.deepEqual(await statuses(s, k, 2), [200, 429]);
  clock = Date.UTC(2026, 1, 28, 0, 0, 0);
  assert.deepEqual(await statuses(s, k, 2), [200, 429]);
  clock = Date.UTC(2026, 2, 27, 12); // still the period that began on February 28
  assert.deepEqual(await statuses(s, k, 1), [429]);
  clock = Date.UTC(2026, 2, 28, 0, 0, 0);
  assert.deepEqual(await statuses(s, k, 1), [200]);
});

test('throttled requests do not use the quota', async () => {
  clock = Date.UTC(2026, 2, 20, 12);
  const s = await setup({ throttle: { rateLimit: 1, burstLimit: 1 }, quota: { limit: 2, period: 'DAY' } });
  const k = s.keys[0]!;
  assert.deepEqual(await statuses(s, k, 3), [200, 429, 429]);
  clock += 1000;
  assert.deepEqual(await statuses(s, k, 1), [200]);
  clock += 1000;
  const r = await s.api.invoke('prod', '/pets', { headers: { 'x-api-key': k.value } });
  assert.equal(r.body, '{"message":"Limit Exceeded"}');
});

test('GetUsage: one [used, remaining] pair per key and day, remaining counted down within the quota period', async () => {
  clock = Date.UTC(2026, 3, 6, 10); // Monday 2026-04-06
  const s = await setup({ quota: { limit: 100, period: 'WEEK', offset: 1 } }, { keys: 2 });
  const [k1, k2] = s.keys as [{ id: string; value: string }, { id: string; value: string }];
  await statuses(s, k1, 3);
  clock = Date.UTC(2026, 3, 7, 10);
  await statuses(s, k1, 2);
  await statuses(s, k2, 1);
  const usage = await gh.apigateway.send(new AG.GetUsageCommand({ usagePlanId: s.planId, startDate: '2026-04-05', endDate: '2026-04-08' }));
  assert.equal(usage.usagePlanId, s.planId);
  assert.equal(usage.startDate, '2026-04-05');
  assert.equal(usage.endDate, '2026-04-08');
  assert.equal(usage.position, undefined);
  // 2026-04-05 is a Sunday, the last day of the previous week (nothing used there).
  assert.deepEqual(usage.items, {
    [k1.id]: [[0, 100], [3, 97], [2, 95], [0, 95]],
    [k2.id]: [[0, 100], [0, 100], [1, 99], [0, 99]],
  });
  const one = await gh.apigateway.send(new AG.GetUsageCommand({ usagePlanId: s.planId, startDate: '2026-04-07', endDate: '2026-04-07', keyId: k2.id }));
  assert.deepEqual(one.items, { [k2.id]: [[1, 99]] });
  // Pagination is over keys.
  const ids = [k1.id, k2.id].sort();
  const page1 = await gh.apigateway.send(new AG.GetUsageCommand({ usagePlanId: s.planId, startDate: '2026-04-07', endDate: '2026-04-07', limit: 1 }));
  assert.deepEqual(Object.keys(page1.items!), [ids[0]]);
  assert.ok(page1.position);
  const page2 = await gh.apigateway.send(
    new AG.GetUsageCommand({ usagePlanId: s.planId, startDate: '2026-04-07', endDate: '2026-04-07', limit: 1, position: page1.position }),
  );
  assert.deepEqual(Object.keys(page2.items!), [ids[1]]);
  assert.equal(page2.position, undefined);
});

test('GetUsage errors', async () => {
  const s = await setup({});
  const get = (input: Partial<AG.GetUsageCommandInput>) =>
    awsError(() => gh.apigateway.send(new AG.GetUsageCommand({ usagePlanId: s.planId, startDate: '2026-04-01', endDate: '2026-04-02', ...input })));
  assert.deepEqual(await get({ usagePlanId: 'nope00' }), { name: 'NotFoundException', message: 'Invalid Usage Plan ID specified', status: 404 });
  assert.deepEqual(await get({ startDate: '2026-4-1' }), { name: 'BadRequestException', message: 'Invalid startDate: 2026-4-1. Dates must be in the format yyyy-MM-dd', status: 400 });
  assert.deepEqual(await get({ endDate: '2026-02-30' }), { name: 'BadRequestException', message: 'Invalid endDate: 2026-02-30. Dates must be in the format yyyy-MM-dd', status: 400 });
  assert.deepEqual(await get({ startDate: '2026-04-03' }), { name: 'BadRequestException', message: 'The endDate must not be before the startDate', status: 400 });
  assert.deepEqual(await get({ keyId: 'notinplan' }), { name: 'NotFoundException', message: 'Invalid Usage Plan Key identifier specified', status: 404 });
  // A plan without a quota reports 0 remaining.
  clock = Date.UTC(2026, 3, 1, 12);
  await statuses(s, s.keys[0]!, 2);
  const u = await gh.apigateway.send(new AG.GetUsageCommand({ usagePlanId: s.planId, startDate: '2026-04-01', endDate: '2026-04-01' }));
  assert.deepEqual(u.items, { [s.keys[0]!.id]: [[2, 0]] });
});

test('UpdateUsage replace /remaining changes what is left in the current period; the next one starts over', async () => {
  clock = Date.UTC(2026, 4, 5, 9);
  const s = await setup({ quota: { limit: 3, period: 'DAY' } });
  const k = s.keys[0]!;
  assert.deepEqual(await statuses(s, k, 4), [200, 200, 200, 429]);
  const updated = await gh.apigateway.send(
    new AG.UpdateUsageCommand({ usagePlanId: s.planId, keyId: k.id, patchOperations: [{ op: 'replace', path: '/remaining', value: '2' }] }),
  );
  assert.deepEqual(
    { usagePlanId: updated.usagePlanId, startDate: updated.startDate, endDate: updated.endDate, items: updated.items },
    { usagePlanId: s.planId, startDate: '2026-05-05', endDate: '2026-05-05', items: { [k.id]: [[3, 2]] } },
  );
  assert.deepEqual(await statuses(s, k, 3), [200, 200, 429]);
  const u = await gh.apigateway.send(new AG.GetUsageCommand({ usagePlanId: s.planId, startDate: '2026-05-05', endDate: '2026-05-06', keyId: k.id }));
  assert.deepEqual(u.items, { [k.id]: [[5, 0], [0, 3]] }, 'the next day is a new period with the whole limit');
  clock = Date.UTC(2026, 4, 6, 0, 0, 1);
  assert.deepEqual(await statuses(s, k, 4), [200, 200, 200, 429]);

  const update = (input: Partial<AG.UpdateUsageCommandInput>) =>
    awsError(() => gh.apigateway.send(new AG.UpdateUsageCommand({ usagePlanId: s.planId, keyId: k.id, patchOperations: [{ op: 'replace', path: '/remaining', value: '1' }], ...input })));
  assert.deepEqual(await update({ usagePlanId: 'nope00' }), { name: 'NotFoundException', message: 'Invalid Usage Plan ID specified', status: 404 });
  assert.deepEqual(await update({ keyId: 'nope00' }), { name: 'NotFoundException', message: 'Invalid Usage Plan Key identifier specified', status: 404 });
  assert.deepEqual(await update({ patchOperations: [{ op: 'replace', path: '/used', value: '1' }] }), {
    name: 'BadRequestException',
    message: "Invalid patch path  '/used' specified for op 'replace'. Must be one of: [/remaining]",
    status: 400,
  });
  assert.deepEqual(await update({ patchOperations: [{ op: 'replace', path: '/remaining', value: 'many' }] }), {
    name: 'BadRequestException',
    message: "Invalid value 'many' for integer field '/remaining'",
    status: 400,
  });
  const noQuota = await setup({});
  assert.deepEqual(
    await awsError(() =>
      gh.apigateway.send(new AG.UpdateUsageCommand({ usagePlanId: noQuota.planId, keyId: noQuota.keys[0]!.id, patchOperations: [{ op: 'replace', path: '/remaining', value: '1' }] })),
    ),
    { name: 'BadRequestException', message: `Usage plan ${noQuota.planId} has no quota to update`, status: 400 },
  );
});

test('aws apigateway get-usage and update-usage', async () => {
  clock = Date.UTC(2026, 5, 1, 9);
  const s = await setup({ quota: { limit: 10, period: 'MONTH' } });
  const k = s.keys[0]!;
  await statuses(s, k, 4);
  const got = await runAws({ endpoint: gh.endpoint }, 'apigateway', 'get-usage', '--usage-plan-id', s.planId, '--start-date', '2026-06-01', '--end-date', '2026-06-02');
  assert.equal(got.code, 0, got.stderr);
  assert.deepEqual(got.json, { usagePlanId: s.planId, startDate: '2026-06-01', endDate: '2026-06-02', items: { [k.id]: [[4, 6], [0, 6]] } });
  const upd = await runAws(
    { endpoint: gh.endpoint },
    'apigateway', 'update-usage', '--usage-plan-id', s.planId, '--key-id', k.id, '--patch-operations', 'op=replace,path=/remaining,value=50',
  );
  assert.equal(upd.code, 0, upd.stderr);
  assert.deepEqual(upd.json, { usagePlanId: s.planId, startDate: '2026-06-01', endDate: '2026-06-01', items: { [k.id]: [[4, 50]] } });
  const bad = await runAws({ endpoint: gh.endpoint }, 'apigateway', 'get-usage', '--usage-plan-id', 'nope00', '--start-date', '2026-06-01', '--end-date', '2026-06-02');
  assert.equal(bad.code, 254);
  assert.match(bad.stderr, /An error occurred \(NotFoundException\) when calling the GetUsage operation( \(reached max retries: 0\))?: Invalid Usage Plan ID specified/);
});

test('usage and quota counts survive a restart', async () => {
  clock = Date.UTC(2026, 6, 1, 9);
  const s = await setup({ quota: { limit: 5, period: 'DAY' } });
  const k = s.keys[0]!;
  assert.deepEqual(await statuses(s, k, 3), [200, 200, 200]);
  await gh.stop();
  gh = await startGatehouse({ now, dataDir });
  s.api = Object.assign(Object.create(Object.getPrototypeOf(s.api)), s.api, { gh });
  const u = await gh.apigateway.send(new AG.GetUsageCommand({ usagePlanId: s.planId, startDate: '2026-07-01', endDate: '2026-07-01' }));
  assert.deepEqual(u.items, { [k.id]: [[3, 2]] });
  assert.deepEqual(await statuses(s, k, 3), [200, 200, 429]);
});

// Usage across a kill -9 and `--account-throttle` on the command line, with `gatehouse serve` as a child process.
// Counts are written every 100 ms: once a commit has followed the last answer (seen as the database's WAL file
// changing, no fixed sleep), a kill -9 loses none of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { AG, invoke } from '../execute/helpers.ts';
import { clients, ROOT, spawnGatehouse, tempDataDir } from '../helpers/gatehouse.ts';

const MOCK = { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } } as const;

async function keyedApi(c: AG.APIGatewayClient) {
  const api = await c.send(new AG.CreateRestApiCommand({ name: 'crash' }));
  const root = (await c.send(new AG.GetResourcesCommand({ restApiId: api.id }))).items![0]!.id!;
  await c.send(new AG.PutMethodCommand({ restApiId: api.id, resourceId: root, httpMethod: 'GET', authorizationType: 'NONE', apiKeyRequired: true }));
  await c.send(new AG.PutIntegrationCommand({ restApiId: api.id, resourceId: root, httpMethod: 'GET', ...MOCK }));
  await c.send(new AG.PutMethodResponseCommand({ restApiId: api.id, resourceId: root, httpMethod: 'GET', statusCode: '200' }));
  await c.send(new AG.PutIntegrationResponseCommand({ restApiId: api.id, resourceId: root, httpMethod: 'GET', statusCode: '200' }));
  await c.send(new AG.CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod' }));
  const plan = await c.send(new AG.CreateUsagePlanCommand({ name: 'p', apiStages: [{ apiId: api.id, stage: 'prod' }], quota: { limit: 1000, period: 'MONTH' } }));
  const value = 'crash-test-key-0123456789abcdef';
  const key = await c.send(new AG.CreateApiKeyCommand({ name: 'k', enabled: true, value }));
  await c.send(new AG.CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }));
  return { apiId: api.id!, planId: plan.id!, keyId: key.id!, value };
}

test('usage counted before a kill -9 is there after the restart', async () => {
  const dataDir = tempDataDir();
  try {
    let gh = await spawnGatehouse({ dataDir });
    let c = clients(gh.endpoint).apigateway;
    const s = await keyedApi(c);
    for (let i = 0; i < 7; i++) assert.equal((await invoke(gh.endpoint, s.apiId, 'prod', '/', { headers: { 'x-api-key': s.value } })).status, 200);
    const wal = join(dataDir, 'gatehouse.db-wal');
    const before = statSync(wal, { throwIfNoEntry: false });
    const changed = () => {
      const now = statSync(wal, { throwIfNoEntry: false });
      return now !== undefined && (before === undefined || now.mtimeMs !== before.mtimeMs || now.size !== before.size);
    };
    for (let i = 0; i < 500 && !changed(); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(changed(), 'a commit followed the last answer');
    // That commit may be another batched writer's (the audit trail of the set-up's control calls) or a usage flush
    // that began before the last answer: wait until the file has been still for 1 s (the usage journal writes
    // every 100 ms while it has counts), so every count is down before the kill.
    const stamp = () => {
      const st = statSync(wal, { throwIfNoEntry: false });
      return st === undefined ? '' : `${st.mtimeMs}/${st.size}`;
    };
    for (let i = 0, last = stamp(); i < 30; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      const now = stamp();
      if (now === last) break;
      last = now;
    }
    assert.equal(await gh.stop('SIGKILL'), null);
    c.destroy();

    gh = await spawnGatehouse({ dataDir });
    c = clients(gh.endpoint).apigateway;
    try {
      const today = new Date().toISOString().slice(0, 10);
      const u = await c.send(new AG.GetUsageCommand({ usagePlanId: s.planId, startDate: today, endDate: today }));
      assert.deepEqual(u.items, { [s.keyId]: [[7, 993]] });
    } finally {
      c.destroy();
      await gh.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('gatehouse serve --account-throttle sets the limit GetAccount reports; a bad value stops startup naming it', async () => {
  const dataDir = tempDataDir();
  try {
    const gh = await spawnGatehouse({ dataDir, env: { GATEHOUSE_ACCOUNT_THROTTLE: '250:40' } });
    const c = clients(gh.endpoint).apigateway;
    try {
      assert.deepEqual((await c.send(new AG.GetAccountCommand({}))).throttleSettings, { burstLimit: 40, rateLimit: 250 });
    } finally {
      c.destroy();
      await gh.stop();
    }
    const bad = spawnSync(process.execPath, [join(ROOT, 'src/cli/main.ts'), 'serve', '--port', '0', '--data-dir', dataDir, '--account-throttle', '10'], { encoding: 'utf8' });
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /--account-throttle/);
    const badEnv = spawnSync(process.execPath, [join(ROOT, 'src/cli/main.ts'), 'serve', '--port', '0', '--data-dir', dataDir], {
      encoding: 'utf8',
      env: { ...process.env, GATEHOUSE_ACCOUNT_THROTTLE: 'fast' },
    });
    assert.equal(badEnv.status, 1);
    assert.equal(badEnv.stderr.trim(), 'gatehouse: GATEHOUSE_ACCOUNT_THROTTLE="fast" is not RATE:BURST (requests per second and burst, both positive, e.g. 10000:5000)');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

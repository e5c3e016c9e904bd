// The server as an operator runs it: `gatehouse serve` in its own process. State survives a restart and a
// kill -9 after acknowledged writes; SIGTERM finishes in-flight work and exits cleanly; reset only in dev mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateRestApiCommand, GetRestApisCommand, CreateApiKeyCommand, GetApiKeysCommand } from '@aws-sdk/client-api-gateway';
import { clients, spawnGatehouse } from '../helpers/gatehouse.ts';
import { tempDataDir } from '../helpers/temp.ts';

test('startup prints the endpoint and an example aws command; health answers', async () => {
  const gh = await spawnGatehouse({ dataDir: tempDataDir() });
  try {
    assert.match(gh.output(), /Gatehouse listening on http:\/\/127\.0\.0\.1:\d+ \(dev mode\)/);
    assert.match(gh.output(), /aws apigateway get-rest-apis --endpoint-url http:\/\/127\.0\.0\.1:\d+ --region us-east-1/);
    const r = await fetch(`${gh.endpoint}/_gatehouse/health`);
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { status: 'ok' });
  } finally {
    assert.equal(await gh.stop(), 0);
  }
});

test('state survives a restart', async () => {
  const dataDir = tempDataDir();
  const first = await spawnGatehouse({ dataDir });
  const c1 = clients(first.endpoint).apigateway;
  const created = await c1.send(new CreateRestApiCommand({ name: 'survivor', description: 'kept' }));
  c1.destroy();
  assert.equal(await first.stop(), 0);
  const second = await spawnGatehouse({ dataDir });
  const c2 = clients(second.endpoint).apigateway;
  try {
    const list = await c2.send(new GetRestApisCommand({}));
    assert.deepEqual(list.items?.map((a) => [a.id, a.name, a.description]), [[created.id, 'survivor', 'kept']]);
  } finally {
    c2.destroy();
    await second.stop();
  }
});

test('kill -9 after acknowledged writes loses nothing', async () => {
  const dataDir = tempDataDir();
  const gh = await spawnGatehouse({ dataDir });
  const c = clients(gh.endpoint).apigateway;
  const ids: string[] = [];
  // Writes in flight concurrently, each acknowledged before the kill.
  await Promise.all(
    Array.from({ length: 40 }, async (_, i) => {
      const r = await c.send(new CreateApiKeyCommand({ name: `key-${i}`, enabled: true }));
      ids.push(r.id!);
    }),
  );
  c.destroy();
  gh.child.kill('SIGKILL');
  await new Promise((r) => gh.child.once('exit', r));
  const again = await spawnGatehouse({ dataDir });
  const c2 = clients(again.endpoint).apigateway;
  try {
    const keys = await c2.send(new GetApiKeysCommand({ limit: 500 }));
    assert.deepEqual(keys.items?.map((k) => k.id).sort(), [...ids].sort());
    assert.equal(keys.items?.length, 40);
  } finally {
    c2.destroy();
    await again.stop();
  }
});

test('SIGTERM finishes an in-flight request and exits 0', async () => {
  const gh = await spawnGatehouse({ dataDir: tempDataDir() });
  const c = clients(gh.endpoint).apigateway;
  const pending = c.send(new CreateRestApiCommand({ name: 'in-flight' }));
  // Signal as soon as the request is on the wire.
  await new Promise((r) => setTimeout(r, 5));
  const exited = gh.stop('SIGTERM');
  const res = await pending;
  assert.equal(res.name, 'in-flight');
  assert.equal(await exited, 0);
  assert.match(gh.output(), /SIGTERM: finishing in-flight requests and closing the store/);
  c.destroy();
});

test('POST /_gatehouse/reset wipes state in dev mode and is refused otherwise', async () => {
  const dev = await spawnGatehouse({ dataDir: tempDataDir(), dev: true });
  const c = clients(dev.endpoint).apigateway;
  try {
    await c.send(new CreateRestApiCommand({ name: 'gone-soon' }));
    const unconfirmed = await fetch(`${dev.endpoint}/_gatehouse/reset`, { method: 'POST' });
    assert.equal(unconfirmed.status, 400);
    assert.deepEqual(await unconfirmed.json(), { message: "Reset wipes all state: send the header 'x-gatehouse-confirm: reset' to confirm" });
    assert.equal((await c.send(new GetRestApisCommand({}))).items?.length, 1);
    const r = await fetch(`${dev.endpoint}/_gatehouse/reset`, { method: 'POST', headers: { 'x-gatehouse-confirm': 'reset' } });
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { reset: true });
    assert.deepEqual((await c.send(new GetRestApisCommand({}))).items ?? [], []);
  } finally {
    c.destroy();
    await dev.stop();
  }
  const prod = await spawnGatehouse({ dataDir: tempDataDir(), dev: false });
  try {
    const r = await fetch(`${prod.endpoint}/_gatehouse/reset`, { method: 'POST', headers: { 'x-gatehouse-confirm': 'reset' } });
    assert.equal(r.status, 404);
    assert.match(((await r.json()) as { message: string }).message, /only in dev mode/);
  } finally {
    await prod.stop();
  }
});

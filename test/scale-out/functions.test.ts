// Functions across nodes sharing one PostgreSQL: code uploaded through one node runs on another (kept once in the
// store, unpacked into that node's cache on first use); Event invocations are leased by one node at a time and taken
// over when their node stops renewing; hot-reload directories (one machine's files) are refused.
import { after, before, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InvokeCommand, CreateFunctionCommand, UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { startGatehouse, type Running } from '../helpers/gatehouse.ts';
import { freshDatabaseUrl } from '../helpers/postgres.ts';
import { createFunction, decode, json, ROLE, zipOf } from '../functions/helpers.ts';
import { PostgresStore } from '../../src/store/postgres.ts';
import { leasedJobStore } from '../../src/functions/async-job-stores.ts';
import type { AsyncJob } from '../../src/functions/async-invocations.ts';

describe('scale-out: function code', () => {
  let a: Running;
  let b: Running;
  before(async () => {
    const databaseUrl = await freshDatabaseUrl();
    a = await startGatehouse({ config: { databaseUrl } });
    b = await startGatehouse({ config: { databaseUrl } });
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
  });

  it('a zip uploaded through one node runs on another, which unpacks it from the store on first use; new code follows', async () => {
    await createFunction(a.lambda, 'shared', { 'index.mjs': 'export const handler = async () => ({ from: "v1" });' });
    const r = await b.lambda.send(new InvokeCommand({ FunctionName: 'shared' }));
    assert.equal(r.FunctionError, undefined, decode(r.Payload));
    assert.deepEqual(json(r.Payload), { from: 'v1' });
    assert.ok(existsSync(join(b.dataDir, 'functions', 'us-east-1', 'shared')), "unpacked in b's own cache");
    await a.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'shared', ZipFile: zipOf({ 'index.mjs': 'export const handler = async () => ({ from: "v2" });' }) }));
    const deadline = Date.now() + 1000;
    let seen: unknown;
    while (Date.now() < deadline) {
      seen = json((await b.lambda.send(new InvokeCommand({ FunctionName: 'shared' }))).Payload);
      if ((seen as { from: string }).from === 'v2') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual(seen, { from: 'v2' });
  });

  it('hot-reload code (a local directory) is refused, saying why', async () => {
    await assert.rejects(
      a.lambda.send(new CreateFunctionCommand({ FunctionName: 'local', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: { S3Bucket: 'hot-reload', S3Key: '/tmp' } })),
      (err: Error) =>
        err.name === 'InvalidParameterValueException' &&
        err.message === 'Hot-reload code (S3Bucket "hot-reload") is a directory of one machine: not available when Gatehouse runs as several nodes on one database (--database-url). Upload the zip as ZipFile.',
    );
  });
});

test('scale-out: --hot-reload-root is refused at startup', async () => {
  await assert.rejects(startGatehouse({ config: { databaseUrl: await freshDatabaseUrl(), hotReloadRoots: ['/tmp'] } }), /--hot-reload-root lets functions run directories of this machine: not available with --database-url/);
});

test('scale-out: Event invocations are leased: a live node keeps its own, a stopped node\'s are claimed by exactly one other', async () => {
  const url = await freshDatabaseUrl();
  const stores = [new PostgresStore(url, { warn: () => undefined }), new PostgresStore(url, { warn: () => undefined }), new PostgresStore(url, { warn: () => undefined })];
  await Promise.all(stores.map((s) => s.ready));
  let now = 1_000_000;
  const [na, nb, nc] = stores.map((s, i) => leasedJobStore(s, { node: `node-${i}`, leaseMs: 60_000, now: () => now }));
  const job = (id: string): AsyncJob => ({ requestId: id, region: 'us-east-1', functionName: 'f', qualifier: undefined, payload: Buffer.from('{}'), enqueuedAt: now, failures: 0, throttles: 0 });
  for (let i = 0; i < 12; i++) await na!.save(job(`r${i}`));
  assert.deepEqual(await nb!.loadAll(), [], "a's leases are live");
  now += 30_000;
  assert.deepEqual(await na!.loadAll(), [], 'a renews its own (nothing newly claimed)');
  now += 45_000; // 75 s after saving, 45 s after a's renewal: still a's
  assert.deepEqual(await nb!.loadAll(), []);
  now += 20_000; // a stopped renewing 65 s ago
  const [byB, byC] = await Promise.all([nb!.loadAll(), nc!.loadAll()]);
  const ids = (jobs: AsyncJob[]) => jobs.map((j) => j.requestId);
  assert.equal(byB.length + byC.length, 12, 'every event claimed once');
  assert.deepEqual([...ids(byB), ...ids(byC)].sort(), Array.from({ length: 12 }, (_, i) => `r${i}`).sort());
  assert.deepEqual(byB.length && byC.length ? 'both' : 'one', 'one', 'a sweep claims all it finds; the other then finds them leased');
  assert.deepEqual(byB[0]?.payload ?? byC[0]!.payload, Buffer.from('{}'));
  assert.deepEqual(await na!.loadAll(), [], 'a, back, does not take them back while leased');
  await Promise.all(stores.map((s) => s.close()));
});

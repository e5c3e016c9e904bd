// Three `gatehouse serve` nodes on one PostgreSQL and one Redis behind Debian's nginx, configured with the block of
// docs/scale-out.md (read from that file, so the documented configuration is the tested one): a change made through
// one node is served by all three within a second; kill -9 of a node during writes loses no acknowledged write, and
// nginx keeps serving through the others.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as AG from '@aws-sdk/client-api-gateway';
import { clients, ROOT, spawnGatehouse, tempDataDir, type Spawned } from '../helpers/gatehouse.ts';
import { freshDatabaseUrl } from '../helpers/postgres.ts';
import { freePort, startRedis, type TestRedis } from '../helpers/redis.ts';
import { invoke } from '../execute/helpers.ts';

const NGINX = '/usr/sbin/nginx';

/** docs/scale-out.md's nginx block, with the test's node ports and listen port in place of the documented ones. */
function documentedConfig(nodePorts: number[], listenPort: number): string {
  const doc = readFileSync(join(ROOT, 'docs/scale-out.md'), 'utf8');
  const block = /```nginx\n([\s\S]*?)```/.exec(doc)?.[1];
  assert.ok(block, 'docs/scale-out.md has an nginx block');
  let i = 0;
  const config = block
    .replace(/server 127\.0\.0\.1:\d+/g, () => `server 127.0.0.1:${nodePorts[i++]}`)
    .replace(/listen 8080;/, `listen 127.0.0.1:${listenPort};`);
  assert.equal(i, nodePorts.length, 'one upstream server per node');
  return config;
}

interface Nginx {
  endpoint: string;
  stop(): Promise<void>;
}

async function startNginx(nodePorts: number[]): Promise<Nginx> {
  assert.ok(existsSync(NGINX), `${NGINX} is needed (apt-get install nginx; .ci/run installs it)`);
  const dir = tempDataDir();
  for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, d), { mode: 0o777 });
  const port = await freePort();
  writeFileSync(
    join(dir, 'nginx.conf'),
    // As Debian's /etc/nginx/nginx.conf has it: workers as www-data (as nobody, uid 65534, they would be taken for a
    // function sandbox's user, whose control calls are refused).
    `user www-data;\ndaemon off;\nworker_processes 1;\npid ${dir}/nginx.pid;\nerror_log ${dir}/error.log warn;\nevents { worker_connections 1024; }\n` +
      `http {\n  access_log off;\n  client_body_temp_path ${dir}/body;\n  proxy_temp_path ${dir}/proxy;\n  fastcgi_temp_path ${dir}/fastcgi;\n` +
      `  uwsgi_temp_path ${dir}/uwsgi;\n  scgi_temp_path ${dir}/scgi;\n${documentedConfig(nodePorts, port)}\n}\n`,
  );
  const child: ChildProcess = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  const started = Date.now();
  for (let last = ''; ; ) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}: ${err}${readFileSync(join(dir, 'error.log'), 'utf8')}`);
    last = await fetch(`http://127.0.0.1:${port}/_gatehouse/health/live`).then((r) => String(r.status), (e: Error) => `${e.message} (${(e.cause as Error | undefined)?.message})`);
    if (last === '200') break;
    if (Date.now() - started > 20_000) {
      await stop();
      throw new Error(`nginx did not answer 200 on ${port} (last: ${last}): ${err}${readFileSync(join(dir, 'error.log'), 'utf8')}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return { endpoint: `http://127.0.0.1:${port}`, stop };
}

/** Polls `check` until it passes; fails if that takes longer than `withinMs`. */
async function within(withinMs: number, check: () => Promise<void>): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() - started > withinMs) throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

describe('scale-out: three nodes behind nginx (docs/scale-out.md)', () => {
  let redis: TestRedis;
  const nodes: Spawned[] = [];
  let nginx: Nginx;
  before(async () => {
    redis = await startRedis();
    const env = { GATEHOUSE_DATABASE_URL: await freshDatabaseUrl(), GATEHOUSE_REDIS_URL: redis.url, GATEHOUSE_LOG_LEVEL: 'warn' };
    // One after the other: `after` stops those that started even if a later one fails.
    for (let i = 0; i < 3; i++) nodes.push(await spawnGatehouse({ dataDir: tempDataDir(), env, dev: false }));
    nginx = await startNginx(nodes.map((n) => n.port));
  });
  after(async () => {
    await nginx?.stop();
    for (const n of nodes) await n.stop('SIGKILL');
    await redis?.stop();
  });

  it('a deployment made through one node is served by every node within 1 s, and through nginx', async () => {
    const c = clients(nodes[0]!.endpoint).apigateway;
    const api = await c.send(new AG.CreateRestApiCommand({ name: 'cluster' }));
    const root = (await c.send(new AG.GetResourcesCommand({ restApiId: api.id }))).items![0]!.id!;
    await c.send(new AG.PutMethodCommand({ restApiId: api.id, resourceId: root, httpMethod: 'GET', authorizationType: 'NONE' }));
    await c.send(new AG.PutIntegrationCommand({ restApiId: api.id, resourceId: root, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await c.send(new AG.PutMethodResponseCommand({ restApiId: api.id, resourceId: root, httpMethod: 'GET', statusCode: '200' }));
    await c.send(new AG.PutIntegrationResponseCommand({ restApiId: api.id, resourceId: root, httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': '{"v": "$stageVariables.v"}' } }));
    await c.send(new AG.CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod', variables: { v: 'one' } }));
    const servedEverywhere = (v: string) =>
      within(1000, async () => {
        for (const n of nodes) assert.deepEqual((await invoke(n.endpoint, api.id!, 'prod', '/')).json(), { v }, `node ${n.port}`);
      });
    await servedEverywhere('one');
    await clients(nodes[2]!.endpoint).apigateway.send(new AG.UpdateStageCommand({ restApiId: api.id, stageName: 'prod', patchOperations: [{ op: 'replace', path: '/variables/v', value: 'two' }] }));
    await servedEverywhere('two');
    const viaNginx = await Promise.all(Array.from({ length: 30 }, () => invoke(nginx.endpoint, api.id!, 'prod', '/')));
    assert.deepEqual([...new Set(viaNginx.map((r) => `${r.status} ${r.body}`))], ['200 {"v": "two"}']);
  });

  it('kill -9 of a node during writes through nginx: every acknowledged write is there, and nginx keeps serving', async () => {
    const c = clients(nginx.endpoint).apigateway;
    const acknowledged: string[] = [];
    let failed = 0;
    let stop = false;
    const writers = Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        try {
          const key = await c.send(new AG.CreateApiKeyCommand({ name: `w${w}-${i}` }));
          acknowledged.push(key.id!);
        } catch {
          failed++; // in flight on the killed node: not acknowledged
        }
      }
    });
    await within(10_000, async () => assert.ok(acknowledged.length >= 20));
    const victim = nodes[1]!;
    victim.child.kill('SIGKILL');
    await new Promise((r) => victim.child.once('exit', r));
    const before = acknowledged.length;
    await within(10_000, async () => assert.ok(acknowledged.length >= before + 40, 'writes go on through the other nodes'));
    stop = true;
    await Promise.all(writers);
    // Read back through a surviving node, directly.
    const stored = new Set<string>();
    let position: string | undefined;
    do {
      const page = await clients(nodes[0]!.endpoint).apigateway.send(new AG.GetApiKeysCommand({ limit: 500, position }));
      for (const k of page.items ?? []) stored.add(k.id!);
      position = page.position;
    } while (position);
    const lost = acknowledged.filter((id) => !stored.has(id));
    assert.deepEqual(lost, [], `${acknowledged.length} acknowledged, ${failed} failed`);
    const health = await fetch(`${nginx.endpoint}/_gatehouse/health/ready`);
    assert.equal(health.status, 200);
  });
});

// Control-plane benchmark (issue 2):
//   1. latency of common control calls, sequential on one keep-alive connection (server time + loopback),
//   2. startup with 1,000 APIs of 50 resources each already stored: time until the first answer, and RSS.
// Run: ./node_modules/.bin/node bench/control/control.bench.ts
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Pool } from 'undici';
import { SqliteStore } from '../../src/store/sqlite.ts';
import { scopedStore } from '../../src/store/scoped.ts';
import { tempDataDir } from '../../test/helpers/temp.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SIGNED = { authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/apigateway/aws4_request, SignedHeaders=host, Signature=0' };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function startServer(dataDir: string): Promise<{ port: number; pid: number; stop(): Promise<void>; readyMs: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [join(ROOT, 'src/cli/main.ts'), 'serve', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const port = await new Promise<number>((res, rej) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) res(Number(m[1]));
    });
    child.on('exit', (c) => rej(new Error(`exited ${c}`)));
  });
  // Ready = answers a control call that reads the store.
  const r = await fetch(`http://127.0.0.1:${port}/restapis?limit=1`, { headers: SIGNED });
  await r.text();
  const readyMs = performance.now() - t0;
  return {
    port,
    pid: child.pid!,
    readyMs,
    stop: () =>
      new Promise((res) => {
        child.once('exit', () => res());
        child.kill('SIGTERM');
      }),
  };
}

function rssMb(pid: number): number {
  const status = require('node:fs').readFileSync(`/proc/${pid}/status`, 'utf8') as string;
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);

async function latency(port: number): Promise<Record<string, { p50: number; p99: number }>> {
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 1 });
  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'PUT', path: string, body?: unknown) => {
    const r = await pool.request({ method, path, headers: { ...SIGNED, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.body.text();
    if (r.statusCode >= 400) throw new Error(`${method} ${path}: ${r.statusCode} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const api = await call('POST', '/restapis', { name: 'bench' });
  const results: Record<string, { p50: number; p99: number }> = {};
  const N = 2000;
  const measure = async (name: string, fn: (i: number) => Promise<unknown>) => {
    for (let i = 0; i < 100; i++) await fn(i); // warm-up
    const times: number[] = [];
    for (let i = 0; i < N; i++) {
      const t = performance.now();
      await fn(i + 100);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    results[name] = { p50: percentile(times, 50), p99: percentile(times, 99) };
  };
  await measure('GetRestApi', () => call('GET', `/restapis/${api.id}`));
  // Resources go into APIs of realistic size: a new API every 50 resources.
  let target = api;
  await measure('CreateResource', async (i) => {
    if (i % 50 === 0) target = await call('POST', '/restapis', { name: `bench-${i}` });
    return call('POST', `/restapis/${target.id}/resources/${target.rootResourceId}`, { pathPart: `r${i}` });
  });
  await measure('GetResources (50 resources)', () => call('GET', `/restapis/${target.id}/resources?limit=500`));
  await measure('UpdateRestApi', (i) => call('PATCH', `/restapis/${api.id}`, { patchOperations: [{ op: 'replace', path: '/description', value: `d${i}` }] }));
  await measure('GetRestApis', () => call('GET', '/restapis'));
  await pool.close();
  return results;
}

async function seed(dataDir: string, apis: number, resourcesPerApi: number): Promise<void> {
  const store = new SqliteStore(dataDir);
  const db = scopedStore(store, 'us-east-1');
  const now = Date.now();
  for (let a = 0; a < apis; a++) {
    const id = `bench${String(a).padStart(5, '0')}`;
    await db.write(async (tx) => {
      await tx.put('restapis', id, { id, name: `api-${a}`, createdDate: now, rootResourceId: `root${id}`, apiKeySource: 'HEADER', endpointConfiguration: { types: ['EDGE'], ipAddressType: 'ipv4' }, disableExecuteApiEndpoint: false });
      await tx.put('resources', `${id}/root${id}`, { id: `root${id}`, path: '/' });
      for (let r = 0; r < resourcesPerApi - 1; r++) {
        const rid = `r${String(r).padStart(5, '0')}`;
        await tx.put('resources', `${id}/${rid}`, { id: rid, parentId: `root${id}`, pathPart: `p${r}`, path: `/p${r}` });
        await tx.put('methods', `${id}/${rid}/GET`, { httpMethod: 'GET', authorizationType: 'NONE', apiKeyRequired: false, methodIntegration: { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' }, passthroughBehavior: 'WHEN_NO_MATCH', timeoutInMillis: 29000, cacheNamespace: rid, cacheKeyParameters: [] } });
      }
    });
    await store.write((tx) => tx.put('apiregions', id, { region: 'us-east-1' }));
  }
  await store.close();
}

const small = await startServer(tempDataDir());
const lat = await latency(small.port);
await small.stop();
console.log('\ncontrol call latency, sequential, one keep-alive connection (ms):');
for (const [name, { p50, p99 }] of Object.entries(lat)) console.log(`  ${name.padEnd(26)} p50 ${p50.toFixed(3)}  p99 ${p99.toFixed(3)}`);

const bigDir = tempDataDir();
const t = performance.now();
await seed(bigDir, 1000, 50);
console.log(`\nseeded 1,000 APIs x 50 resources (with a GET method each) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
const big = await startServer(bigDir);
const rssStart = rssMb(big.pid);
// Touch every API once, as a console listing them all would.
const pool = new Pool(`http://127.0.0.1:${big.port}`, { connections: 4 });
const t2 = performance.now();
let position: string | undefined;
let seen = 0;
do {
  const r = await pool.request({ method: 'GET', path: `/restapis?limit=500${position ? `&position=${position}` : ''}`, headers: SIGNED });
  const page = (await r.body.json()) as { item: unknown[]; position?: string };
  seen += page.item.length;
  position = page.position;
} while (position);
const r = await pool.request({ method: 'GET', path: '/restapis/bench00999/resources?embed=methods&limit=500', headers: SIGNED });
const res = (await r.body.json()) as { item: unknown[] };
const listMs = performance.now() - t2;
await pool.close();
console.log(`startup with 1,000 APIs: ready in ${big.readyMs.toFixed(0)} ms, RSS ${rssStart.toFixed(0)} MB; listing all ${seen} APIs + 50 resources with methods: ${listMs.toFixed(0)} ms; RSS after ${rssMb(big.pid).toFixed(0)} MB (${res.item.length} resources)`);
await big.stop();

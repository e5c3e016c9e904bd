// Control-plane benchmark (issue 2):
//   1. latency of common control calls, sequential on one keep-alive connection (server time + loopback),
//   2. startup with 1,000 APIs of 50 resources each already stored: time until the first answer, and RSS.
// Run: ./node_modules/.bin/node bench/control/control.bench.ts
import { Pool } from 'undici';
import { SqliteStore } from '../../src/store/sqlite.ts';
import { scopedStore } from '../../src/store/scoped.ts';
import { tempDataDir } from '../../test/helpers/temp.ts';
import { latency, rssMb, SIGNED, startServer } from './control-calls.ts';

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

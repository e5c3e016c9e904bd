// Three nodes behind nginx against one (issue 15: "three nodes behind nginx on this 2-core machine deliver at least
// the throughput of one"). Nodes in scale-out mode (bench/scale-out/node.ts: a fresh schema of the local PostgreSQL,
// a fresh redis-server without persistence) serve GET /bench/keyed/x: HTTP_PROXY to a bare node:http backend with an
// API key whose usage plan has a throttle and a quota no run reaches (one Redis script per request). Two nginx
// instances run docs/scale-out.md's block (test/helpers/nginx.ts): one in front of node 1 alone, one in front of
// nodes 1-3; bench/execute/cpu-rounds.ts's loop loads them in interleaved rounds (wrk -t1 -c50 on CPU 1), medians.
//
// Fair comparison: both set-ups get the same CPUs. Every server (nodes, nginx, backend, Redis) may run on the CPUs
// of BENCH_SERVER_CPUS (taskset list, default "0,1": the whole machine, shared with wrk); BENCH_SERVER_CPUS=0 puts
// them all on CPU 0, where three nodes can only add overhead to one. PostgreSQL is the machine's own (unpinned): the
// data plane reads no row per request.
// Usage: ./node_modules/.bin/node bench/scale-out/nodes.bench.ts [seconds per run, default 5] [rounds, default 3]
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { serverGroup, startBenchServer, startPinnedServer, type BenchServer } from '../execute/bench-server.ts';
import { BENCH_API_KEY } from '../execute/bench-api.ts';
import { cpuRounds, printCpuTable, rpsRatio, warnNon2xx, wrk, type RoundCase } from '../execute/cpu-rounds.ts';
import { startRedis } from '../../test/helpers/redis.ts';
import { freshDatabaseUrl } from '../../test/helpers/postgres.ts';
import { startNginx, type Nginx } from '../../test/helpers/nginx.ts';

const seconds = Number(process.argv[2] ?? 5);
const rounds = Number(process.argv[3] ?? 3);
const cpus = process.env.BENCH_SERVER_CPUS ?? '0,1';
const NODE = join(import.meta.dirname, 'node.ts');
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

const loadBefore = load();
const databaseUrl = await freshDatabaseUrl();
const redis = await startRedis({ cpu: cpus });
const backend = await startBenchServer('backend', undefined, undefined, cpus);
const nodes: BenchServer[] = [];
const proxies: Nginx[] = [];
try {
  nodes.push(await startPinnedServer([NODE, String(backend.port), databaseUrl, redis.url, 'setup'], cpus));
  for (let i = 1; i < 3; i++) nodes.push(await startPinnedServer([NODE, String(backend.port), databaseUrl, redis.url], cpus));
  const one = await startNginx([nodes[0]!.port], { cpu: cpus });
  proxies.push(one);
  const three = await startNginx(nodes.map((n) => n.port), { cpu: cpus });
  proxies.push(three);
  const headers = [`Host: ${nodes[0]!.apiId}.execute-api.us-east-1.amazonaws.com`, `x-api-key: ${BENCH_API_KEY}`];
  const urls = { '1 node behind nginx': `${one.endpoint}/bench/keyed/x`, '3 nodes behind nginx': `${three.endpoint}/bench/keyed/x` };
  const cases: Record<string, RoundCase> = {
    '1 node behind nginx': { server: nodes[0]!, load: () => wrk(urls['1 node behind nginx'], 50, seconds, headers) },
    '3 nodes behind nginx': { server: serverGroup(nodes), load: () => wrk(urls['3 nodes behind nginx'], 50, seconds, headers) },
  };
  // Every node serves the API (nginx spreads the checks over them) before any load.
  for (const url of Object.values(urls)) {
    for (let i = 0; i < 6; i++) {
      const res = await request(url, { headers: Object.fromEntries(headers.map((h) => h.split(': ') as [string, string])) });
      const body = await res.body.text();
      if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode} ${body}`);
    }
  }
  const r = await cpuRounds(cases, rounds);
  console.log(
    `HTTP_PROXY + API key + usage plan (Redis counters), nodes on PostgreSQL; servers on CPUs ${cpus}, wrk -t1 -c50 on CPU 1; ` +
      `${seconds}s per run, ${rounds} interleaved rounds, medians; load average ${loadBefore} before, ${load()} after\n`,
  );
  printCpuTable(r);
  warnNon2xx(r);
  const { ratio, perRound } = rpsRatio(r, '3 nodes behind nginx', '1 node behind nginx');
  console.log(`\n3 nodes / 1 node: ${ratio.toFixed(2)}x req/s (target >= 1; rounds ${perRound}); server CPU is the nodes' (nginx, backend and Redis not counted)`);
} finally {
  for (const p of proxies) await p.stop();
  for (const s of [backend, ...nodes]) s.child.kill('SIGKILL');
  await redis.stop();
}

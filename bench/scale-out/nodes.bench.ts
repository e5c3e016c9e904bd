// Three nodes (and two) behind nginx against one (issue 15: "three nodes behind nginx on this 2-core machine deliver at
// least the throughput of one"). Nodes in scale-out mode (bench/scale-out/node.ts: a fresh schema of the local
// PostgreSQL, a fresh redis-server without persistence) serve GET /bench/keyed/x: HTTP_PROXY to a bare node:http
// backend with an API key whose usage plan has a throttle and a quota no run reaches (one Redis script per request).
// Three nginx instances run docs/scale-out.md's block (test/helpers/nginx.ts): one in front of node 1 alone, one in
// front of nodes 1-2, one in front of nodes 1-3; bench/execute/cpu-rounds.ts's loop loads them in interleaved rounds
// (wrk -t1 -c50 on CPU 1), medians.
//
// Fair comparison: both set-ups get the same CPUs. Every server (nodes, nginx, backend, Redis) may run on the CPUs
// of BENCH_SERVER_CPUS (taskset list, default "0,1": the whole machine, shared with wrk); BENCH_SERVER_CPUS=0 puts
// them all on CPU 0, where three nodes can only add overhead to one. PostgreSQL is the machine's own (unpinned): the
// data plane reads no row per request. Besides the nodes' CPU per request (what the table's column says), it prints
// nginx's, the backend's and Redis's (read from /proc), for sizing: what one request costs each part.
// Usage: ./node_modules/.bin/node bench/scale-out/nodes.bench.ts [seconds per run, default 5] [rounds, default 3]
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { serverGroup, startBenchServer, startPinnedServer, type BenchServer } from '../execute/bench-server.ts';
import { BENCH_API_KEY } from '../execute/bench-api.ts';
import { cpuRounds, median, printCpuTable, rpsRatio, warnNon2xx, wrk, type RoundCase } from '../execute/cpu-rounds.ts';
import { startRedis } from '../../test/helpers/redis.ts';
import { freshDatabaseUrl } from '../../test/helpers/postgres.ts';
import { startNginx, type Nginx } from '../../test/helpers/nginx.ts';

const seconds = Number(process.argv[2] ?? 5);
const rounds = Number(process.argv[3] ?? 3);
const cpus = process.env.BENCH_SERVER_CPUS ?? '0,1';
const NODE = join(import.meta.dirname, 'node.ts');
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

/** A process's CPU time in µs from /proc (user + system, in clock ticks of 10 ms). */
function procCpu(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/** nginx's worker processes (the master only supervises). */
function workersOf(master: number): number[] {
  return readdirSync(`/proc/${master}/task`).flatMap((t) => readFileSync(`/proc/${master}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
}

/** The redis-server serving `port` (it names its address in its command line). */
function redisPid(port: number): number {
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const cmd = (() => { try { return readFileSync(`/proc/${d}/cmdline`, 'utf8'); } catch { return ''; } })();
    if (cmd.startsWith('redis-server') && cmd.includes(`:${port}`)) return Number(d);
  }
  throw new Error(`no redis-server process for port ${port}`);
}

const PARTS = ['nodes', 'nginx', 'backend', 'Redis'] as const;
type Parts = Record<(typeof PARTS)[number], number>;

const loadBefore = load();
const databaseUrl = await freshDatabaseUrl();
const redis = await startRedis({ cpu: cpus });
const backend = await startBenchServer('backend', undefined, undefined, cpus);
const nodes: BenchServer[] = [];
const proxies: Nginx[] = [];
try {
  nodes.push(await startPinnedServer([NODE, String(backend.port), databaseUrl, redis.url, 'setup'], cpus));
  for (let i = 1; i < 3; i++) nodes.push(await startPinnedServer([NODE, String(backend.port), databaseUrl, redis.url], cpus));
  const headers = [`Host: ${nodes[0]!.apiId}.execute-api.us-east-1.amazonaws.com`, `x-api-key: ${BENCH_API_KEY}`];
  // nginx in front of node 1, nodes 1-2 (one node per core of this machine) and nodes 1-3.
  const clusters: Record<string, { proxy: Nginx; members: BenchServer[] }> = {};
  for (const n of [1, 2, 3]) {
    const members = nodes.slice(0, n);
    const proxy = await startNginx(members.map((m) => m.port), { cpu: cpus });
    proxies.push(proxy);
    clusters[`${n} node${n > 1 ? 's' : ''} behind nginx`] = { proxy, members };
  }
  const urls = Object.fromEntries(Object.entries(clusters).map(([name, c]) => [name, `${c.proxy.endpoint}/bench/keyed/x`]));
  const redisProcess = redisPid(redis.port);
  // Each case's CPU is charged to its nodes; the other parts' are read at the same moments, for the breakdown.
  const snapshots: Record<string, Parts[]> = {};
  const measured = (name: string, proxy: Nginx, group: Pick<BenchServer, 'cpu'>): Pick<BenchServer, 'cpu'> => ({
    async cpu() {
      const parts: Parts = { nodes: await group.cpu(), nginx: workersOf(proxy.pid).reduce((a, p) => a + procCpu(p), 0), backend: await backend.cpu(), Redis: procCpu(redisProcess) };
      (snapshots[name] ??= []).push(parts);
      return parts.nodes;
    },
  });
  const cases: Record<string, RoundCase> = Object.fromEntries(
    Object.entries(clusters).map(([name, c]) => [name, { server: measured(name, c.proxy, serverGroup(c.members)), load: () => wrk(urls[name]!, 50, seconds, headers) }]),
  );
  // Every node serves the API (nginx spreads the checks over them) before any load.
  for (const url of Object.values(urls)) {
    for (let i = 0, failed = 0; i < 6; i++) {
      const res = await request(url, { headers: Object.fromEntries(headers.map((h) => h.split(': ') as [string, string])) });
      const body = await res.body.text();
      if (res.statusCode === 200) continue;
      // Seen once on the busy machine: 504 (integration failure) on a node's first request to the backend. Said,
      // and asked again; the runs' non-2xx answers are counted (warnNon2xx) in any case.
      console.log(`WARNING: ${url} answered ${res.statusCode} ${body} before the runs`);
      if (++failed > 3) throw new Error(`${url} keeps answering ${res.statusCode} ${body}`);
      i--;
    }
  }
  const r = await cpuRounds(cases, rounds);
  console.log(
    `HTTP_PROXY + API key + usage plan (Redis counters), nodes on PostgreSQL; servers on CPUs ${cpus}, wrk -t1 -c50 on CPU 1; ` +
      `${seconds}s per run, ${rounds} interleaved rounds, medians; load average ${loadBefore} before, ${load()} after\n`,
  );
  printCpuTable(r);
  warnNon2xx(r);
  console.log('\nCPU µs per request, medians of the rounds:\n');
  console.log(`| case | ${PARTS.join(' | ')} | all |`);
  console.log(`| --- |${' ---: |'.repeat(PARTS.length + 1)}`);
  for (const name of Object.keys(cases)) {
    const shots = snapshots[name]!;
    const per = (part: (typeof PARTS)[number] | 'all') =>
      median(r.runs[name]!.map((run, i) => {
        const [a, b] = [shots[2 * i]!, shots[2 * i + 1]!];
        const delta = part === 'all' ? PARTS.reduce((sum, p) => sum + b[p] - a[p], 0) : b[part] - a[part];
        return delta / run.requests;
      }));
    console.log(`| ${name} | ${PARTS.map((p) => per(p).toFixed(0)).join(' | ')} | ${per('all').toFixed(0)} |`);
  }
  console.log('');
  for (const n of [2, 3]) {
    const { ratio, perRound } = rpsRatio(r, `${n} nodes behind nginx`, '1 node behind nginx');
    console.log(`${n} nodes / 1 node: ${ratio.toFixed(2)}x req/s (rounds ${perRound})${n === 3 ? ' (issue 15 target: >= 1)' : ''}`);
  }
} finally {
  for (const p of proxies) await p.stop();
  for (const s of [backend, ...nodes]) s.child.kill('SIGKILL');
  await redis.stop();
}

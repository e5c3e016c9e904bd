// Scale-out benchmark (issue 15): one node serving HTTP_PROXY with an API key whose usage plan has a throttle and a
// quota (neither reached), its counters in Redis (one Lua script per request) versus the same node with in-process
// counters, in one run: the two servers pinned to CPU 0 (loaded one at a time), wrk and redis-server (a fresh one,
// no persistence) on CPU 1, interleaved rounds, medians. Target: Redis >= 0.7x in-process req/s. The machine is shared
// with other work: figures are indicative, the ratio is what counts.
// Usage: ./node_modules/.bin/node bench/scale-out/run.ts [seconds per run, default 5] [rounds, default 3]
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startBenchServer, startPinnedServer, type BenchServer } from '../execute/bench-server.ts';
import { BENCH_API_KEY } from '../execute/bench-api.ts';
import { startRedis } from '../../test/helpers/redis.ts';

const seconds = Number(process.argv[2] ?? 5);
const rounds = Number(process.argv[3] ?? 3);
const STATUS_SCRIPT = join(import.meta.dirname, '..', 'traffic', 'status.lua');
const SERVER = join(import.meta.dirname, '..', 'traffic', 'server.ts');

interface Run {
  requests: number;
  rps: number;
  ok: number;
  cpuPerRequest: number;
}

function wrk(url: string, host: string, secs = seconds): Omit<Run, 'cpuPerRequest'> {
  const args = ['-c', '1', 'wrk', '-t1', '-c50', `-d${secs}s`, '-s', STATUS_SCRIPT, '-H', `Host: ${host}`, '-H', `x-api-key: ${BENCH_API_KEY}`, url];
  const r = spawnSync('taskset', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`wrk failed: ${r.stderr}`);
  return {
    requests: Number(/(\d+) requests in/.exec(r.stdout)![1]),
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(r.stdout)![1]),
    ok: Number(/^status 200 (\d+)$/m.exec(r.stdout)?.[1] ?? 0),
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const backend = await startBenchServer('backend');
const redis = await startRedis({ cpu: 1 });
const servers: Record<string, BenchServer> = {
  'in-process counters': await startPinnedServer([SERVER, String(backend.port)]),
  'Redis counters': await startPinnedServer([SERVER, String(backend.port), redis.url]),
};
try {
  const runs: Record<string, Run[]> = {};
  const target = (s: BenchServer) => ({ url: `http://127.0.0.1:${s.port}/bench/keyed/x`, host: `${s.apiId}.execute-api.us-east-1.amazonaws.com` });
  for (const [name, s] of Object.entries(servers)) {
    wrk(target(s).url, target(s).host, 2); // warm-up
    runs[name] = [];
  }
  for (let round = 0; round < rounds; round++) {
    for (const [name, s] of Object.entries(servers)) {
      const before = await s.cpu();
      const r = wrk(target(s).url, target(s).host);
      const after = await s.cpu();
      runs[name]!.push({ ...r, cpuPerRequest: (after - before) / r.requests });
    }
  }
  console.log(`HTTP_PROXY + API key + usage plan throttle + quota; wrk -t1 -c50, ${seconds}s per run, ${rounds} interleaved rounds, medians\n`);
  console.log('| counters | req/s | server CPU µs/req | non-200 |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const [name, rs] of Object.entries(runs)) {
    const non200 = rs.reduce((a, r) => a + r.requests - r.ok, 0);
    console.log(`| ${name} | ${median(rs.map((r) => r.rps)).toFixed(0)} | ${median(rs.map((r) => r.cpuPerRequest)).toFixed(1)} | ${non200} |`);
  }
  const [local, shared] = Object.values(runs) as [Run[], Run[]];
  const perRound = shared.map((r, i) => (r.rps / local[i]!.rps).toFixed(2));
  console.log(`\nRedis / in-process: ${(median(shared.map((r) => r.rps)) / median(local.map((r) => r.rps))).toFixed(2)}x req/s (target >= 0.7; rounds ${perRound.join(', ')})`);
} finally {
  for (const s of [backend, ...Object.values(servers)]) s.child.kill('SIGKILL');
  await redis.stop();
}

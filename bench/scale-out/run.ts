// Scale-out benchmark (issue 15): one node serving HTTP_PROXY with an API key whose usage plan has a throttle and a
// quota (neither reached), its counters in Redis (one Lua script per request) versus the same node with in-process
// counters, in one run: the two servers pinned to CPU 0 (loaded one at a time), wrk and redis-server (a fresh one,
// no persistence) on CPU 1, interleaved rounds (bench/execute/cpu-rounds.ts's loop), medians. Target: Redis >= 0.7x
// in-process req/s. The machine is shared with other work: figures are indicative, the ratio is what counts.
// Three nodes behind nginx against one: bench/scale-out/nodes.bench.ts.
// Usage: ./node_modules/.bin/node bench/scale-out/run.ts [seconds per run, default 5] [rounds, default 3]
import { join } from 'node:path';
import { startBenchServer, startPinnedServer, type BenchServer } from '../execute/bench-server.ts';
import { BENCH_API_KEY } from '../execute/bench-api.ts';
import { cpuRounds, printCpuTable, rpsRatio, statusCounts, warnNon2xx, wrk, type RoundCase, type WrkRun } from '../execute/cpu-rounds.ts';
import { startRedis } from '../../test/helpers/redis.ts';

const seconds = Number(process.argv[2] ?? 5);
const rounds = Number(process.argv[3] ?? 3);
const STATUS_SCRIPT = join(import.meta.dirname, '..', 'traffic', 'status.lua');
const SERVER = join(import.meta.dirname, '..', 'traffic', 'server.ts');

const backend = await startBenchServer('backend');
const redis = await startRedis({ cpu: 1 });
const servers: Record<string, BenchServer> = {
  'in-process counters': await startPinnedServer([SERVER, String(backend.port)]),
  'Redis counters': await startPinnedServer([SERVER, String(backend.port), redis.url]),
};
try {
  const cases: Record<string, RoundCase> = {};
  for (const [name, s] of Object.entries(servers)) {
    const run = (secs: number) => () =>
      wrk(`http://127.0.0.1:${s.port}/bench/keyed/x`, 50, secs, [`Host: ${s.apiId}.execute-api.us-east-1.amazonaws.com`, `x-api-key: ${BENCH_API_KEY}`], ['-s', STATUS_SCRIPT]);
    cases[name] = { server: s, load: run(seconds), warmUp: run(2) };
  }
  const r = await cpuRounds(cases, rounds);
  console.log(`HTTP_PROXY + API key + usage plan throttle + quota; wrk -t1 -c50, ${seconds}s per run, ${rounds} interleaved rounds, medians\n`);
  printCpuTable(r, 'counters', 'non-200', (run: WrkRun) => run.requests - (statusCounts(run).get(200) ?? 0));
  warnNon2xx(r);
  const { ratio, perRound } = rpsRatio(r, 'Redis counters', 'in-process counters');
  console.log(`\nRedis / in-process: ${ratio.toFixed(2)}x req/s (target >= 0.7; rounds ${perRound})`);
} finally {
  for (const s of [backend, ...Object.values(servers)]) s.child.kill('SIGKILL');
  await redis.stop();
}

// Stage cache benchmark (issue 11: a cache hit ≥ 0.7× a bare node:http server's req/s). In one run, each server in
// its own process pinned to CPU 0, wrk -t1 -c50 on CPU 1, interleaved rounds, medians:
//   bare node:http              answers the backend's JSON body itself (the ceiling)
//   bare node:http, hit headers answers it with a cache hit's header list (what node:http costs for that response)
//   Gatehouse cache hit         GET /cached/proxy/x: an HTTP_PROXY method whose response is in the stage cache
//   Gatehouse HTTP_PROXY        the same method on an uncached stage (what a hit saves)
// Usage: node bench/cache/cache.bench.ts [seconds per run, default 5] [rounds, default 3]
import { join } from 'node:path';
import { startBenchServer, startPinnedServer, type BenchServer } from '../execute/bench-server.ts';
import { cpuRatio, cpuRounds, printCpuTable, rpsRatio, wrk, type RoundCase } from '../execute/cpu-rounds.ts';

const seconds = Number(process.argv[2] ?? 5);
const rounds = Number(process.argv[3] ?? 3);

const backend = await startBenchServer('backend');
const bare = await startBenchServer('bare');
const bareCached = await startBenchServer('bare-cached');
const gatehouse = await startPinnedServer([join(import.meta.dirname, 'server.ts'), String(backend.port)]);
const host = `${gatehouse.apiId}.execute-api.us-east-1.amazonaws.com`;
const target = (url: string, headers: string[], server: BenchServer): RoundCase => ({ server, load: () => wrk(url, 50, seconds, headers), warmUp: () => wrk(url, 8, seconds, headers) });
const cases: Record<string, RoundCase> = {
  'bare node:http': target(`http://127.0.0.1:${bare.port}/`, [], bare),
  "bare node:http, a hit's headers": target(`http://127.0.0.1:${bareCached.port}/`, [], bareCached),
  'Gatehouse cache hit (HTTP_PROXY method)': target(`http://127.0.0.1:${gatehouse.port}/cached/proxy/x`, [`Host: ${host}`], gatehouse),
  'Gatehouse HTTP_PROXY, uncached': target(`http://127.0.0.1:${gatehouse.port}/bench/proxy/x`, [`Host: ${host}`], gatehouse),
};
try {
  const r = await cpuRounds(cases, rounds);
  console.log(`wrk -t1 -c50, ${seconds}s per run, ${rounds} interleaved rounds, medians (server CPU µs per request from process.cpuUsage)\n`);
  printCpuTable(r, 'server', 'non-2xx');
  const hit = rpsRatio(r, 'Gatehouse cache hit (HTTP_PROXY method)', 'bare node:http');
  console.log(`\ncache hit / bare node:http throughput ratio: ${hit.ratio.toFixed(2)} (target >= 0.7; per round: ${hit.perRound})`);
  console.log(`CPU-efficiency ratio (bare CPU per request / cache-hit CPU per request): ${cpuRatio(r, 'Gatehouse cache hit (HTTP_PROXY method)', 'bare node:http').toFixed(2)}`);
  console.log(`bare node:http with a hit's headers / bare node:http: ${rpsRatio(r, "bare node:http, a hit's headers", 'bare node:http').ratio.toFixed(2)} (node:http's own share of the gap)`);
} finally {
  for (const s of [backend, bare, bareCached, gatehouse]) s.child.kill('SIGKILL');
}

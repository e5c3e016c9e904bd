// Stage cache benchmark (issue 11: a cache hit ≥ 0.7× a bare node:http server's req/s). In one run, each server in
// its own process pinned to CPU 0, wrk -t1 -c50 on CPU 1, interleaved rounds, medians:
//   bare node:http              answers the backend's JSON body itself (the ceiling)
//   bare node:http, hit headers answers it with a cache hit's header list (what node:http costs for that response)
//   Gatehouse cache hit         GET /cached/proxy/x: an HTTP_PROXY method whose response is in the stage cache, on a
//                               Gatehouse that serves nothing else during the run (the target's figure)
//   Gatehouse HTTP_PROXY        the same method on an uncached stage (what a hit saves), on a second Gatehouse
//   cache hit, mixed            hits on that second Gatehouse, which also serves the uncached runs (reported beside
//                               the target's figure, not instead of it: after uncached traffic, node's stream code and
//                               the pipeline's runner are polymorphic in the JIT, which has cost a hit up to 5 µs)
// A case's run in a round is cut into 1 s slices, the cases taking turns slice by slice (cpuRounds' `slices`): this
// VM's slow spells last seconds, and with whole 5 s runs one could fall on the bare server's run and not on the hit's.
// Usage: node bench/cache/cache.bench.ts [seconds per run, default 5] [rounds, default 3]
import { join } from 'node:path';
import { startBenchServer, startPinnedServer, type BenchServer } from '../execute/bench-server.ts';
import { cpuRatio, cpuRounds, printCpuTable, rpsRatio, wrk, type RoundCase } from '../execute/cpu-rounds.ts';

const seconds = Number(process.argv[2] ?? 5);
const rounds = Number(process.argv[3] ?? 3);

const backend = await startBenchServer('backend');
const bare = await startBenchServer('bare');
const bareCached = await startBenchServer('bare-cached');
const hitsOnly = await startPinnedServer([join(import.meta.dirname, 'server.ts'), String(backend.port)]);
const mixed = await startPinnedServer([join(import.meta.dirname, 'server.ts'), String(backend.port)]);
const slices = Math.max(1, Math.round(seconds));
const target = (url: string, headers: string[], server: BenchServer): RoundCase => ({
  server,
  load: () => wrk(url, 50, seconds / slices, headers),
  warmUp: () => wrk(url, 8, seconds, headers),
});
const gatehouse = (server: BenchServer, path: string) =>
  target(`http://127.0.0.1:${server.port}${path}`, [`Host: ${server.apiId}.execute-api.us-east-1.amazonaws.com`], server);
const HIT = 'Gatehouse cache hit (HTTP_PROXY method)';
const MIXED = 'Gatehouse cache hit, on the server of the uncached runs';
const cases: Record<string, RoundCase> = {
  'bare node:http': target(`http://127.0.0.1:${bare.port}/`, [], bare),
  "bare node:http, a hit's headers": target(`http://127.0.0.1:${bareCached.port}/`, [], bareCached),
  [HIT]: gatehouse(hitsOnly, '/cached/proxy/x'),
  'Gatehouse HTTP_PROXY, uncached': gatehouse(mixed, '/bench/proxy/x'),
  [MIXED]: gatehouse(mixed, '/cached/proxy/x'),
};
try {
  const r = await cpuRounds(cases, rounds, slices);
  console.log(`wrk -t1 -c50, ${seconds}s per run in ${slices} slices, ${rounds} interleaved rounds, medians (server CPU µs per request from process.cpuUsage)\n`);
  printCpuTable(r, 'server', 'non-2xx');
  const hit = rpsRatio(r, HIT, 'bare node:http');
  console.log(`\ncache hit / bare node:http throughput ratio: ${hit.ratio.toFixed(2)} (target >= 0.7; per round: ${hit.perRound})`);
  console.log(`CPU-efficiency ratio (bare CPU per request / cache-hit CPU per request): ${cpuRatio(r, HIT, 'bare node:http').toFixed(2)}`);
  const mixedHit = rpsRatio(r, MIXED, 'bare node:http');
  console.log(`cache hit on the server that also serves the uncached runs / bare node:http: ${mixedHit.ratio.toFixed(2)} (per round: ${mixedHit.perRound})`);
  console.log(`bare node:http with a hit's headers / bare node:http: ${rpsRatio(r, "bare node:http, a hit's headers", 'bare node:http').ratio.toFixed(2)} (node:http's own share of the gap)`);
} finally {
  for (const s of [backend, bare, bareCached, hitsOnly, mixed]) s.child.kill('SIGKILL');
}

// Stage cache benchmark (issue 11: a cache hit ≥ 0.7× a bare node:http server's req/s). In one run, each server in
// its own process pinned to CPU 0, wrk -t1 -c50 on CPU 1, interleaved rounds, medians:
//   bare node:http              answers the backend's JSON body itself (the ceiling)
//   bare node:http, hit headers answers it with a cache hit's header list (what node:http costs for that response)
//   Gatehouse cache hit         GET /cached/proxy/x: an HTTP_PROXY method whose response is in the stage cache
//   Gatehouse HTTP_PROXY        the same method on an uncached stage (what a hit saves)
// Usage: node bench/cache/cache.bench.ts [seconds per run, default 5] [rounds, default 3]
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { startBenchServer, startPinnedServer, type BenchServer } from '../execute/bench-server.ts';

const seconds = Number(process.argv[2] ?? 5);
const rounds = Number(process.argv[3] ?? 3);

interface Run {
  rps: number;
  requests: number;
  non2xx: number;
  cpuPerRequest: number;
}

function wrk(url: string, host: string | undefined, connections: number): Omit<Run, 'cpuPerRequest'> {
  const args = ['-c', '1', 'wrk', '-t1', `-c${connections}`, `-d${seconds}s`];
  if (host) args.push('-H', `Host: ${host}`);
  const r = spawnSync('taskset', [...args, url], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`wrk failed: ${r.stderr}`);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(r.stdout)![1]),
    requests: Number(/(\d+) requests in/.exec(r.stdout)![1]),
    non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(r.stdout)?.[1] ?? 0),
  };
}

const backend = await startBenchServer('backend');
const bare = await startBenchServer('bare');
const bareCached = await startBenchServer('bare-cached');
const gatehouse = await startPinnedServer([join(import.meta.dirname, 'server.ts'), String(backend.port)]);
const host = `${gatehouse.apiId}.execute-api.us-east-1.amazonaws.com`;
const targets: Record<string, [string, string | undefined, BenchServer]> = {
  'bare node:http': [`http://127.0.0.1:${bare.port}/`, undefined, bare],
  "bare node:http, a hit's headers": [`http://127.0.0.1:${bareCached.port}/`, undefined, bareCached],
  'Gatehouse cache hit (HTTP_PROXY method)': [`http://127.0.0.1:${gatehouse.port}/cached/proxy/x`, host, gatehouse],
  'Gatehouse HTTP_PROXY, uncached': [`http://127.0.0.1:${gatehouse.port}/bench/proxy/x`, host, gatehouse],
};
try {
  const runs: Record<string, Run[]> = {};
  for (const [name, [url, h]] of Object.entries(targets)) {
    wrk(url, h, 8); // warm-up
    runs[name] = [];
  }
  for (let round = 0; round < rounds; round++) {
    for (const [name, [url, h, server]] of Object.entries(targets)) {
      const before = await server.cpu();
      const r = wrk(url, h, 50);
      const after = await server.cpu();
      runs[name]!.push({ ...r, cpuPerRequest: (after - before) / r.requests });
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`wrk -t1 -c50, ${seconds}s per run, ${rounds} interleaved rounds, medians (server CPU µs per request from process.cpuUsage)\n`);
  console.log('| server | req/s | server CPU µs/req | non-2xx |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const [name, rs] of Object.entries(runs)) {
    console.log(`| ${name} | ${median(rs.map((r) => r.rps)).toFixed(0)} | ${median(rs.map((r) => r.cpuPerRequest)).toFixed(1)} | ${rs.reduce((a, r) => a + r.non2xx, 0)} |`);
  }
  const hit = runs['Gatehouse cache hit (HTTP_PROXY method)']!;
  const base = runs['bare node:http']!;
  const perRound = hit.map((r, i) => (r.rps / base[i]!.rps).toFixed(2));
  const ratio = median(hit.map((r) => r.rps)) / median(base.map((r) => r.rps));
  console.log(`\ncache hit / bare node:http throughput ratio: ${ratio.toFixed(2)} (target >= 0.7; per round: ${perRound.join(', ')})`);
  const cpu = median(base.map((r) => r.cpuPerRequest)) / median(hit.map((r) => r.cpuPerRequest));
  console.log(`CPU-efficiency ratio (bare CPU per request / cache-hit CPU per request): ${cpu.toFixed(2)}`);
  const sameHeaders = runs["bare node:http, a hit's headers"]!;
  console.log(`bare node:http with a hit's headers / bare node:http: ${(median(sameHeaders.map((r) => r.rps)) / median(base.map((r) => r.rps))).toFixed(2)} (node:http's own share of the gap)`);
} finally {
  for (const s of [backend, bare, bareCached, gatehouse]) s.child.kill('SIGKILL');
}

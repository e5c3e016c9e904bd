// Execute-api benchmark: every server in one run, each in its own process, loaded by Debian's wrk.
//   MOCK with a response template   vs  a bare node:http server answering the same body
//   HTTP_PROXY to a backend         vs  a bare undici proxy in front of the same backend
//   HTTP_PROXY with apiKeyRequired  vs  the same HTTP_PROXY without (the API key check's cost)
//   HTTP_PROXY with AWS_IAM (headers signed just before each run: SigV4 verified and the identity policy
//                                   evaluated on every request) vs the same HTTP_PROXY without (target >= 0.7)
// Servers pinned to CPU 0, wrk on CPU 1. Throughput at 50 connections, latency at 1 connection (added latency =
// Gatehouse p50/p99 minus the baseline's).
// The machine is shared, so runs are interleaved in rounds (each server once per round) and medians reported.
// Usage: ./node_modules/.bin/node bench/execute/run.ts [seconds per run, default 5] [rounds, default 3]
import { spawnSync } from 'node:child_process';
import { startBenchServer, type BenchServer } from './bench-server.ts';
import { BENCH_API_KEY, signedHeaders } from './bench-api.ts';

const seconds = Number(process.argv[2] ?? 5);
const rounds = Number(process.argv[3] ?? 3);

type Started = BenchServer;

const start = (kind: string, backendPort?: number) => startBenchServer(kind, backendPort);

interface Result {
  rps: number;
  requests: number;
  /** CPU time of the server under test per request (µs), when measured. */
  cpuPerRequest?: number;
  p50: number;
  p99: number;
  non2xx: number;
}

const toMs = (v: string, unit: string) => Number(v) * (unit === 'us' ? 0.001 : unit === 's' ? 1000 : 1);

function wrk(url: string, connections: number, host?: string, headers: string[] = []): Result {
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency'];
  if (host) args.push('-H', `Host: ${host}`);
  for (const h of headers) args.push('-H', h);
  args.push(url);
  const r = spawnSync('taskset', ['-c', '1', 'wrk', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`wrk failed: ${r.stderr}`);
  const out = r.stdout;
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)![1]);
  const lat = (p: string) => {
    const m = new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`).exec(out)!;
    return toMs(m[1]!, m[2]!);
  };
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const requests = Number(/(\d+) requests in/.exec(out)![1]);
  return { rps, requests, p50: lat('50'), p99: lat('99'), non2xx };
}

const backend = await start('backend');
const bare = await start('bare');
const undiciProxy = await start('undici-proxy', backend.port);
const gatehouse = await start('gatehouse', backend.port);
const host = `${gatehouse.apiId}.execute-api.us-east-1.amazonaws.com`;
const targets = {
  'bare node:http': () => [`http://127.0.0.1:${bare.port}/mock`, undefined, bare] as const,
  'Gatehouse MOCK + template': () => [`http://127.0.0.1:${gatehouse.port}/bench/mock`, host, gatehouse] as const,
  'bare undici proxy': () => [`http://127.0.0.1:${undiciProxy.port}/proxy/x`, undefined, undiciProxy] as const,
  'Gatehouse HTTP_PROXY': () => [`http://127.0.0.1:${gatehouse.port}/bench/proxy/x`, host, gatehouse] as const,
  'Gatehouse HTTP_PROXY + AWS_IAM': () => [`http://127.0.0.1:${gatehouse.port}/bench/signed/x`, host, gatehouse, signedHeaders(gatehouse.signer!, host, '/bench/signed/x')] as const,
  'Gatehouse HTTP_PROXY + API key': () => [`http://127.0.0.1:${gatehouse.port}/bench/keyed/x`, host, gatehouse, [`x-api-key: ${BENCH_API_KEY}`]] as const,
};

async function measured(url: string, connections: number, h: string | undefined, server: Started, headers?: readonly string[]): Promise<Result> {
  const before = await server.cpu();
  const r = wrk(url, connections, h, headers ? [...headers] : []);
  const after = await server.cpu();
  return { ...r, cpuPerRequest: (after - before) / r.requests };
}

try {
  const runs: Record<string, { throughput: Result[]; latency: Result[] }> = {};
  for (const [name, target] of Object.entries(targets)) {
    const [url, h, , headers] = target();
    wrk(url, 8, h, headers ? [...headers] : []); // warm-up (JIT, keep-alive pools)
    runs[name] = { throughput: [], latency: [] };
  }
  for (let round = 0; round < rounds; round++) {
    for (const [name, target] of Object.entries(targets)) {
      const [url, h, server, headers] = target();
      runs[name]!.throughput.push(await measured(url, 50, h, server, headers));
      runs[name]!.latency.push(wrk(url, 1, h, headers ? [...headers] : []));
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const med = (rs: Result[]): Result => ({
    rps: median(rs.map((r) => r.rps)),
    requests: median(rs.map((r) => r.requests)),
    cpuPerRequest: median(rs.map((r) => r.cpuPerRequest ?? 0)),
    p50: median(rs.map((r) => r.p50)),
    p99: median(rs.map((r) => r.p99)),
    non2xx: rs.reduce((a, r) => a + r.non2xx, 0),
  });
  const results: Record<string, { throughput: Result; latency: Result }> = {};
  for (const [name, r] of Object.entries(runs)) results[name] = { throughput: med(r.throughput), latency: med(r.latency) };
  const ratios = (a: string, b: string) => runs[a]!.throughput.map((r, i) => (r.rps / runs[b]!.throughput[i]!.rps).toFixed(2)).join(', ');
  const f = (n: number) => n.toFixed(3);
  console.log(`wrk -t1, ${seconds}s per run, ${rounds} interleaved rounds, medians; throughput at 50 connections, latency at 1 connection (ms)\n`);
  console.log('| server | req/s (c=50) | server CPU µs/req | p50 c=50 | p99 c=50 | p50 c=1 | p99 c=1 | non-2xx |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [name, r] of Object.entries(results)) {
    console.log(
      `| ${name} | ${r.throughput.rps.toFixed(0)} | ${r.throughput.cpuPerRequest!.toFixed(1)} | ${f(r.throughput.p50)} | ${f(r.throughput.p99)} | ${f(r.latency.p50)} | ${f(r.latency.p99)} | ${r.throughput.non2xx + r.latency.non2xx} |`,
    );
  }
  const cpuRatio = (a: string, b: string) => results[b]!.throughput.cpuPerRequest! / results[a]!.throughput.cpuPerRequest!;
  const ratio = (a: string, b: string) => results[a]!.throughput.rps / results[b]!.throughput.rps;
  const added = (a: string, b: string, k: 'p50' | 'p99') => results[a]!.latency[k] - results[b]!.latency[k];
  console.log('');
  console.log(`MOCK / bare node:http throughput ratio: ${ratio('Gatehouse MOCK + template', 'bare node:http').toFixed(2)} (target >= 0.6; per round: ${ratios('Gatehouse MOCK + template', 'bare node:http')})`);
  console.log(`HTTP_PROXY / bare undici proxy throughput ratio: ${ratio('Gatehouse HTTP_PROXY', 'bare undici proxy').toFixed(2)} (target >= 0.85; per round: ${ratios('Gatehouse HTTP_PROXY', 'bare undici proxy')})`);
  console.log(`HTTP_PROXY + API key / HTTP_PROXY throughput ratio: ${ratio('Gatehouse HTTP_PROXY + API key', 'Gatehouse HTTP_PROXY').toFixed(2)} (per round: ${ratios('Gatehouse HTTP_PROXY + API key', 'Gatehouse HTTP_PROXY')}); CPU µs/req added by the key check: ${(results['Gatehouse HTTP_PROXY + API key']!.throughput.cpuPerRequest! - results['Gatehouse HTTP_PROXY']!.throughput.cpuPerRequest!).toFixed(1)}`);
  console.log(`HTTP_PROXY + AWS_IAM / HTTP_PROXY throughput ratio: ${ratio('Gatehouse HTTP_PROXY + AWS_IAM', 'Gatehouse HTTP_PROXY').toFixed(2)} (target >= 0.7; per round: ${ratios('Gatehouse HTTP_PROXY + AWS_IAM', 'Gatehouse HTTP_PROXY')}); CPU µs/req added by SigV4 and the policy check: ${(results['Gatehouse HTTP_PROXY + AWS_IAM']!.throughput.cpuPerRequest! - results['Gatehouse HTTP_PROXY']!.throughput.cpuPerRequest!).toFixed(1)}`);
  console.log(`CPU-efficiency ratio (baseline CPU per request / Gatehouse CPU per request): MOCK ${cpuRatio('Gatehouse MOCK + template', 'bare node:http').toFixed(2)}, HTTP_PROXY ${cpuRatio('Gatehouse HTTP_PROXY', 'bare undici proxy').toFixed(2)}`);
  console.log(`added latency MOCK (c=1): p50 ${f(added('Gatehouse MOCK + template', 'bare node:http', 'p50'))} ms, p99 ${f(added('Gatehouse MOCK + template', 'bare node:http', 'p99'))} ms`);
  console.log(`added latency HTTP_PROXY (c=1): p50 ${f(added('Gatehouse HTTP_PROXY', 'bare undici proxy', 'p50'))} ms, p99 ${f(added('Gatehouse HTTP_PROXY', 'bare undici proxy', 'p99'))} ms`);
} finally {
  for (const s of [backend, bare, undiciProxy, gatehouse]) s.child.kill('SIGKILL');
}

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
import { startBenchServer, type BenchServer } from './bench-server.ts';
import { BENCH_API_KEY, signedHeaders } from './bench-api.ts';
import { cpuRatio, cpuRounds, latencyMs, median, rpsRatio, wrk, type RoundCase, type WrkRun } from './cpu-rounds.ts';

const seconds = Number(process.argv[2] ?? 5);
const rounds = Number(process.argv[3] ?? 3);

const backend = await startBenchServer('backend');
const bare = await startBenchServer('bare');
const undiciProxy = await startBenchServer('undici-proxy', backend.port);
const gatehouse = await startBenchServer('gatehouse', backend.port);
const apiHost = `${gatehouse.apiId}.execute-api.us-east-1.amazonaws.com`;
const host = [`Host: ${apiHost}`];
const gatehouseUrl = (path: string) => `http://127.0.0.1:${gatehouse.port}${path}`;
// Per target: the URL, the server under test and the headers of one run (the AWS_IAM ones signed anew for each run).
const targets: Record<string, [string, BenchServer, () => string[]]> = {
  'bare node:http': [`http://127.0.0.1:${bare.port}/mock`, bare, () => []],
  'Gatehouse MOCK + template': [gatehouseUrl('/bench/mock'), gatehouse, () => host],
  'bare undici proxy': [`http://127.0.0.1:${undiciProxy.port}/proxy/x`, undiciProxy, () => []],
  'Gatehouse HTTP_PROXY': [gatehouseUrl('/bench/proxy/x'), gatehouse, () => host],
  'Gatehouse HTTP_PROXY + AWS_IAM': [gatehouseUrl('/bench/signed/x'), gatehouse, () => [...host, ...signedHeaders(gatehouse.signer!, apiHost, '/bench/signed/x')]],
  'Gatehouse HTTP_PROXY + API key': [gatehouseUrl('/bench/keyed/x'), gatehouse, () => [...host, `x-api-key: ${BENCH_API_KEY}`]],
};
// Each target is two cases in a round: throughput at 50 connections (warmed up at 8), then latency at 1.
const latencyCase = (name: string) => `${name} (c=1)`;
const cases: Record<string, RoundCase> = {};
for (const [name, [url, server, headers]] of Object.entries(targets)) {
  const run = (connections: number) => () => wrk(url, connections, seconds, headers(), ['--latency']);
  cases[name] = { server, load: run(50), warmUp: run(8) };
  cases[latencyCase(name)] = { server, load: run(1), warmUp: null };
}

try {
  const r = await cpuRounds(cases, rounds);
  const ms = (runs: WrkRun[], p: number) => median(runs.map((run) => latencyMs(run, p)));
  const f = (n: number) => n.toFixed(3);
  console.log(`wrk -t1, ${seconds}s per run, ${rounds} interleaved rounds, medians; throughput at 50 connections, latency at 1 connection (ms)\n`);
  console.log('| server | req/s (c=50) | server CPU µs/req | p50 c=50 | p99 c=50 | p50 c=1 | p99 c=1 | non-2xx |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const name of Object.keys(targets)) {
    const throughput = r.runs[name]!;
    const latency = r.runs[latencyCase(name)]!;
    const non2xx = [...throughput, ...latency].reduce((a, run) => a + run.non2xx, 0);
    console.log(`| ${name} | ${median(r.rps[name]!).toFixed(0)} | ${median(r.cpu[name]!).toFixed(1)} | ${f(ms(throughput, 50))} | ${f(ms(throughput, 99))} | ${f(ms(latency, 50))} | ${f(ms(latency, 99))} | ${non2xx} |`);
  }
  const ratio = (a: string, b: string, target?: string) => {
    const { ratio, perRound } = rpsRatio(r, a, b);
    return `${ratio.toFixed(2)} (${target ? `target >= ${target}; ` : ''}per round: ${perRound})`;
  };
  const addedCpu = (a: string, b: string) => (median(r.cpu[a]!) - median(r.cpu[b]!)).toFixed(1);
  const added = (a: string, b: string, p: number) => f(ms(r.runs[latencyCase(a)]!, p) - ms(r.runs[latencyCase(b)]!, p));
  console.log('');
  console.log(`MOCK / bare node:http throughput ratio: ${ratio('Gatehouse MOCK + template', 'bare node:http', '0.6')}`);
  console.log(`HTTP_PROXY / bare undici proxy throughput ratio: ${ratio('Gatehouse HTTP_PROXY', 'bare undici proxy', '0.85')}`);
  console.log(`HTTP_PROXY + API key / HTTP_PROXY throughput ratio: ${ratio('Gatehouse HTTP_PROXY + API key', 'Gatehouse HTTP_PROXY')}; CPU µs/req added by the key check: ${addedCpu('Gatehouse HTTP_PROXY + API key', 'Gatehouse HTTP_PROXY')}`);
  console.log(`HTTP_PROXY + AWS_IAM / HTTP_PROXY throughput ratio: ${ratio('Gatehouse HTTP_PROXY + AWS_IAM', 'Gatehouse HTTP_PROXY', '0.7')}; CPU µs/req added by SigV4 and the policy check: ${addedCpu('Gatehouse HTTP_PROXY + AWS_IAM', 'Gatehouse HTTP_PROXY')}`);
  console.log(`CPU-efficiency ratio (baseline CPU per request / Gatehouse CPU per request): MOCK ${cpuRatio(r, 'Gatehouse MOCK + template', 'bare node:http').toFixed(2)}, HTTP_PROXY ${cpuRatio(r, 'Gatehouse HTTP_PROXY', 'bare undici proxy').toFixed(2)}`);
  console.log(`added latency MOCK (c=1): p50 ${added('Gatehouse MOCK + template', 'bare node:http', 50)} ms, p99 ${added('Gatehouse MOCK + template', 'bare node:http', 99)} ms`);
  console.log(`added latency HTTP_PROXY (c=1): p50 ${added('Gatehouse HTTP_PROXY', 'bare undici proxy', 50)} ms, p99 ${added('Gatehouse HTTP_PROXY', 'bare undici proxy', 99)} ms`);
} finally {
  for (const s of [backend, bare, undiciProxy, gatehouse]) s.child.kill('SIGKILL');
}

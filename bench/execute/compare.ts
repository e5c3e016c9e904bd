// Before/after comparison of the data plane's cost: another tree's Gatehouse ("before") and this tree's ("after"),
// each in its own process in front of one backend, loaded by wrk in alternation so that both see the same machine.
// Prints the server CPU µs per request of every round and the medians (CPU time is far steadier than req/s on a
// shared machine; see README.md).
// Usage: ./node_modules/.bin/node bench/execute/compare.ts OTHER_TREE [seconds, default 3] [rounds, default 4] [mock|proxy|both]
// OTHER_TREE holds `src`, `bench/execute/servers.ts` and `models` (a git worktree, or a copy with symlinks).
import { resolve } from 'node:path';
import { startBenchServer, type BenchServer } from './bench-server.ts';
import { cpuRounds, median, warnNon2xx, wrk, type RoundCase } from './cpu-rounds.ts';

const other = process.argv[2];
if (!other) {
  console.error('usage: compare.ts OTHER_TREE [seconds] [rounds] [mock|proxy|both]');
  process.exit(2);
}
const seconds = Number(process.argv[3] ?? 3);
const rounds = Number(process.argv[4] ?? 4);
const which = process.argv[5] ?? 'both';
const here = resolve(import.meta.dirname, '..', '..');

const start = (tree: string, kind: string, backendPort?: number) => startBenchServer(kind, backendPort, tree);

const backend = await start(here, 'backend');
const trees = { before: await start(resolve(other), 'gatehouse', backend.port), after: await start(here, 'gatehouse', backend.port) };
const paths = which === 'mock' ? ['/bench/mock'] : which === 'proxy' ? ['/bench/proxy/x'] : ['/bench/mock', '/bench/proxy/x'];
const hostOf = (s: BenchServer) => `${s.apiId}.execute-api.us-east-1.amazonaws.com`;
// Per path, the two trees one after the other.
const cases: Record<string, RoundCase> = {};
for (const p of paths) {
  for (const [name, server] of Object.entries(trees)) {
    const run = (connections: number, secs: number) => () => wrk(`http://127.0.0.1:${server.port}${p}`, connections, secs, [`Host: ${hostOf(server)}`]);
    cases[`${p} ${name}`] = { server, load: run(32, seconds), warmUp: run(8, 2) };
  }
}
try {
  const r = await cpuRounds(cases, rounds);
  console.log(`server CPU µs per request, ${rounds} alternating rounds of ${seconds} s at 32 connections`);
  for (const [k, v] of Object.entries(r.cpu)) {
    console.log(`${k.padEnd(24)} ${v.map((x) => x.toFixed(1)).join(' ')}  median ${median(v).toFixed(1)}`);
  }
  warnNon2xx(r);
} finally {
  for (const s of [backend, ...Object.values(trees)]) s.child.kill('SIGKILL');
}

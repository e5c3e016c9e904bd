// Before/after comparison of the data plane's cost: another tree's Gatehouse ("before") and this tree's ("after"),
// each in its own process in front of one backend, loaded by wrk in alternation so that both see the same machine.
// Prints the server CPU µs per request of every round and the medians (CPU time is far steadier than req/s on a
// shared machine; see README.md).
// Usage: ./node_modules/.bin/node bench/execute/compare.ts OTHER_TREE [seconds, default 3] [rounds, default 4] [mock|proxy|both]
// OTHER_TREE holds `src`, `bench/execute/servers.ts` and `models` (a git worktree, or a copy with symlinks).
import { spawnSync } from 'node:child_process';
import { startBenchServer, type BenchServer } from './bench-server.ts';
import { resolve } from 'node:path';

const other = process.argv[2];
if (!other) {
  console.error('usage: compare.ts OTHER_TREE [seconds] [rounds] [mock|proxy|both]');
  process.exit(2);
}
const seconds = Number(process.argv[3] ?? 3);
const rounds = Number(process.argv[4] ?? 4);
const which = process.argv[5] ?? 'both';
const here = resolve(import.meta.dirname, '..', '..');

type Server = BenchServer;

const start = (tree: string, kind: string, backendPort?: number) => startBenchServer(kind, backendPort, tree);

function wrk(url: string, host: string, connections: number, secs: number): { requests: number; non2xx: number } {
  const r = spawnSync('wrk', ['-t1', `-c${connections}`, `-d${secs}s`, '-H', `Host: ${host}`, url], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`wrk failed: ${r.stderr}`);
  return {
    requests: Number(/(\d+) requests in/.exec(r.stdout)![1]),
    non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(r.stdout)?.[1] ?? 0),
  };
}

const backend = await start(here, 'backend');
const trees = { before: await start(resolve(other), 'gatehouse', backend.port), after: await start(here, 'gatehouse', backend.port) };
const paths = which === 'mock' ? ['/bench/mock'] : which === 'proxy' ? ['/bench/proxy/x'] : ['/bench/mock', '/bench/proxy/x'];
const hostOf = (s: Server) => `${s.apiId}.execute-api.us-east-1.amazonaws.com`;
const perRequest: Record<string, number[]> = {};
try {
  for (const s of Object.values(trees)) for (const p of paths) wrk(`http://127.0.0.1:${s.port}${p}`, hostOf(s), 8, 2); // warm-up
  for (let round = 0; round < rounds; round++) {
    for (const p of paths) {
      for (const [name, s] of Object.entries(trees)) {
        const before = await s.cpu();
        const r = wrk(`http://127.0.0.1:${s.port}${p}`, hostOf(s), 32, seconds);
        const after = await s.cpu();
        if (r.non2xx > 0) console.error(`${name} ${p}: ${r.non2xx} non-2xx responses`);
        (perRequest[`${p} ${name}`] ??= []).push((after - before) / r.requests);
      }
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`server CPU µs per request, ${rounds} alternating rounds of ${seconds} s at 32 connections`);
  for (const [k, v] of Object.entries(perRequest)) {
    console.log(`${k.padEnd(24)} ${v.map((x) => x.toFixed(1)).join(' ')}  median ${median(v).toFixed(1)}`);
  }
} finally {
  for (const s of [backend, ...Object.values(trees)]) s.child.kill('SIGKILL');
}

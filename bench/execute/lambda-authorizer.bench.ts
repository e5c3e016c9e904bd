// What a cached Lambda-authorizer decision costs per request (issue 10: ≤ 20 µs CPU): one Gatehouse
// (authorizer-server.ts, pinned to CPU 0) serving MOCK and HTTP_PROXY methods with and without a TOKEN authorizer,
// loaded by wrk on CPU 1 with the same Authorization header everywhere; rounds interleave the four cases and the
// medians of the server's CPU time per request are compared, in the same process and run.
// Usage: ./node_modules/.bin/node bench/execute/lambda-authorizer.bench.ts [seconds per run, default 5] [rounds, default 3]
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startBenchServer, startPinnedServer } from './bench-server.ts';

const seconds = Number(process.argv[2] ?? 5);
const rounds = Number(process.argv[3] ?? 3);

function wrk(url: string, host: string): { rps: number; requests: number; non2xx: number } {
  const r = spawnSync('taskset', ['-c', '1', 'wrk', '-t1', '-c50', `-d${seconds}s`, '-H', `Host: ${host}`, '-H', 'Authorization: allow', url], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`wrk failed: ${r.stderr}`);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(r.stdout)![1]),
    requests: Number(/(\d+) requests in/.exec(r.stdout)![1]),
    non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(r.stdout)?.[1] ?? 0),
  };
}

const backend = await startBenchServer('backend');
const gatehouse = await startPinnedServer([join(import.meta.dirname, 'authorizer-server.ts'), String(backend.port)]);
const host = `${gatehouse.apiId}.execute-api.us-east-1.amazonaws.com`;
const base = `http://127.0.0.1:${gatehouse.port}/bench`;
const cases: Record<string, string> = {
  MOCK: `${base}/mock`,
  'MOCK + cached authorizer': `${base}/authz/mock`,
  HTTP_PROXY: `${base}/proxy/x`,
  'HTTP_PROXY + cached authorizer': `${base}/authz/proxy/x`,
};
try {
  const cpu: Record<string, number[]> = {};
  const rps: Record<string, number[]> = {};
  let non2xx = 0;
  for (const [name, url] of Object.entries(cases)) {
    non2xx += wrk(url, host).non2xx; // warm-up
    cpu[name] = [];
    rps[name] = [];
  }
  for (let round = 0; round < rounds; round++) {
    for (const [name, url] of Object.entries(cases)) {
      const before = await gatehouse.cpu();
      const r = wrk(url, host);
      const after = await gatehouse.cpu();
      cpu[name]!.push((after - before) / r.requests);
      rps[name]!.push(r.rps);
      non2xx += r.non2xx;
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`wrk -t1 -c50, ${seconds}s per run, ${rounds} interleaved rounds, medians\n`);
  console.log('| case | req/s | server CPU µs/req |');
  console.log('| --- | ---: | ---: |');
  for (const name of Object.keys(cases)) console.log(`| ${name} | ${median(rps[name]!).toFixed(0)} | ${median(cpu[name]!).toFixed(1)} |`);
  const added = (with_: string, without: string) =>
    `${(median(cpu[with_]!) - median(cpu[without]!)).toFixed(1)} µs (per round: ${cpu[with_]!.map((c, i) => (c - cpu[without]![i]!).toFixed(1)).join(', ')})`;
  console.log('');
  console.log(`added CPU per request by a cached authorizer decision (target <= 20 µs): MOCK ${added('MOCK + cached authorizer', 'MOCK')}; HTTP_PROXY ${added('HTTP_PROXY + cached authorizer', 'HTTP_PROXY')}`);
  if (non2xx > 0) console.log(`WARNING: ${non2xx} non-2xx responses`);
} finally {
  for (const s of [backend, gatehouse]) s.child.kill('SIGKILL');
}

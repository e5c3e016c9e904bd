// What an AWS service integration adds per request over an HTTP integration to the same endpoint (issue 14: ≤ 100 µs
// CPU, signing and template included): aws-integration-server.ts (pinned to CPU 0) reads one DynamoDB item from
// dynalite (dynalite-server.ts, on CPU 1 with wrk) through GET /aws (AWS integration, SigV4 per request) and GET /http
// (HTTP integration with the same templates and static headers); rounds interleave the two and the medians of the
// server's CPU time per request are compared, in the same run. dynalite is the bottleneck of both (a few hundred
// requests a second): the figure that matters is Gatehouse's CPU per request, not the rate.
// Usage: ./node_modules/.bin/node bench/execute/aws-integration.bench.ts [seconds per run, default 5] [rounds, default 3]
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { request } from 'undici';
import { startPinnedServer } from './bench-server.ts';

const seconds = Number(process.argv[2] ?? 5);
const rounds = Number(process.argv[3] ?? 3);

const dynalite = spawn('taskset', ['-c', '1', process.execPath, join(import.meta.dirname, 'dynalite-server.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
const dynalitePort = await new Promise<number>((resolve, reject) => {
  let out = '';
  dynalite.stdout!.on('data', (d) => {
    out += d;
    const nl = out.indexOf('\n');
    if (nl !== -1) resolve(JSON.parse(out.slice(0, nl)).port);
  });
  dynalite.once('exit', (code) => reject(new Error(`dynalite exited with ${code}`)));
});
const gatehouse = await startPinnedServer([join(import.meta.dirname, 'aws-integration-server.ts'), String(dynalitePort)]);
const host = `${gatehouse.apiId}.execute-api.us-east-1.amazonaws.com`;
const base = `http://127.0.0.1:${gatehouse.port}/bench`;
const cases: Record<string, string> = { 'HTTP integration': `${base}/http`, 'AWS integration': `${base}/aws` };

const wrk = (url: string) => {
  const r = spawnSync('taskset', ['-c', '1', 'wrk', '-t1', '-c16', `-d${seconds}s`, '-H', `Host: ${host}`, url], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`wrk failed: ${r.stderr}`);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(r.stdout)![1]),
    requests: Number(/(\d+) requests in/.exec(r.stdout)![1]),
    non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(r.stdout)?.[1] ?? 0),
  };
};

try {
  for (const [name, url] of Object.entries(cases)) {
    const res = await request(url, { headers: { host } });
    const body = await res.body.text();
    if (res.statusCode !== 200 || body !== '{"name": "bench item"}') throw new Error(`${name} answered ${res.statusCode} ${body}`);
  }
  const cpu: Record<string, number[]> = {};
  const rps: Record<string, number[]> = {};
  const non2xx: Record<string, number> = {};
  for (const [name, url] of Object.entries(cases)) {
    non2xx[name] = wrk(url).non2xx; // warm-up
    cpu[name] = [];
    rps[name] = [];
  }
  for (let round = 0; round < rounds; round++) {
    for (const [name, url] of Object.entries(cases)) {
      const before = await gatehouse.cpu();
      const r = wrk(url);
      const after = await gatehouse.cpu();
      cpu[name]!.push((after - before) / r.requests);
      rps[name]!.push(r.rps);
      non2xx[name]! += r.non2xx;
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`wrk -t1 -c16, ${seconds}s per run, ${rounds} interleaved rounds, medians\n`);
  console.log('| case | req/s | server CPU µs/req |');
  console.log('| --- | ---: | ---: |');
  for (const name of Object.keys(cases)) console.log(`| ${name} | ${median(rps[name]!).toFixed(0)} | ${median(cpu[name]!).toFixed(1)} |`);
  const aws = cpu['AWS integration']!;
  const http = cpu['HTTP integration']!;
  console.log(`\nadded CPU per request by the AWS integration (target <= 100 µs): ${(median(aws) - median(http)).toFixed(1)} µs (per round: ${aws.map((c, i) => (c - http[i]!).toFixed(1)).join(', ')})`);
  for (const [name, n] of Object.entries(non2xx)) if (n > 0) console.log(`WARNING: ${n} non-2xx responses to ${name}`);
} finally {
  gatehouse.child.kill('SIGKILL');
  dynalite.kill('SIGKILL');
}

// What an AWS service integration adds per request over an HTTP integration to the same endpoint (issue 14: ≤ 100 µs
// CPU, signing and template included): aws-integration-server.ts (pinned to CPU 0) reads one DynamoDB item from
// dynalite (dynalite-server.ts, on CPU 1 with wrk) through GET /aws (AWS integration, SigV4 per request) and GET /http
// (HTTP integration with the same templates and static headers); rounds interleave the two and the medians of the
// server's CPU time per request are compared, in the same run. dynalite is the bottleneck of both (a few hundred
// requests a second): the figure that matters is Gatehouse's CPU per request, not the rate.
// Usage: ./node_modules/.bin/node bench/execute/aws-integration.bench.ts [seconds per run, default 5] [rounds, default 3]
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { request } from 'undici';
import { startPinnedServer } from './bench-server.ts';
import { addedCpu, cpuRounds, printCpuTable, urlCases, warnNon2xx, wrk } from './cpu-rounds.ts';

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

const load = (url: string) => wrk(url, 16, seconds, [`Host: ${host}`]);

try {
  for (const [name, url] of Object.entries(cases)) {
    const res = await request(url, { headers: { host } });
    const body = await res.body.text();
    if (res.statusCode !== 200 || body !== '{"name": "bench item"}') throw new Error(`${name} answered ${res.statusCode} ${body}`);
  }
  const r = await cpuRounds(urlCases(cases, gatehouse, load), rounds);
  console.log(`wrk -t1 -c16, ${seconds}s per run, ${rounds} interleaved rounds, medians\n`);
  printCpuTable(r);
  console.log(`\nadded CPU per request by the AWS integration (target <= 100 µs): ${addedCpu(r, 'AWS integration', 'HTTP integration')}`);
  warnNon2xx(r);
} finally {
  gatehouse.child.kill('SIGKILL');
  dynalite.kill('SIGKILL');
}

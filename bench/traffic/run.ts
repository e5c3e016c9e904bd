// Throttling and quota benchmark (issue 11), every server in one run, loaded by Debian's wrk; servers pinned to CPU 0,
// wrk on CPU 1, interleaved rounds, medians ("measured on a busy machine" unless the machine was quiet).
//   1. cost:     HTTP_PROXY with an API key whose usage plan has a throttle and a quota (neither reached), versus
//                plain HTTP_PROXY (no key: stage and account buckets only) in the same run. Target >= 0.8x.
//   2. accuracy: the MOCK method throttled by a stage method setting at a quarter of its measured unthrottled
//                throughput (at most 500 rps), then loaded by wrk (offered at 4x the limit or more): accepted req/s
//                (the 200s, minus the initial burst) against the configured rate. Target: within 5%, the rest 429.
// Usage: ./node_modules/.bin/node bench/traffic/run.ts [seconds per run, default 5] [rounds, default 3]
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import * as AG from '@aws-sdk/client-api-gateway';
import { startBenchServer, startPinnedServer, type BenchServer } from '../execute/bench-server.ts';
import { BENCH_API_KEY } from '../execute/bench-api.ts';

const seconds = Number(process.argv[2] ?? 5);
const rounds = Number(process.argv[3] ?? 3);

interface Run {
  requests: number;
  rps: number;
  status: Map<number, number>;
  cpuPerRequest: number;
}

// A wrk script counting answers by status (wrk itself only counts non-2xx).
const STATUS_SCRIPT = join(import.meta.dirname, 'status.lua');

function wrk(url: string, host: string, headers: string[] = [], secs = seconds): Omit<Run, 'cpuPerRequest'> {
  const args = ['-c', '1', 'wrk', '-t1', '-c50', `-d${secs}s`, '-s', STATUS_SCRIPT, '-H', `Host: ${host}`];
  for (const h of headers) args.push('-H', h);
  args.push(url);
  const r = spawnSync('taskset', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`wrk failed: ${r.stderr}`);
  const status = new Map<number, number>();
  for (const m of r.stdout.matchAll(/^status (\d+) (\d+)$/gm)) status.set(Number(m[1]), Number(m[2]));
  return {
    requests: Number(/(\d+) requests in/.exec(r.stdout)![1]),
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(r.stdout)![1]),
    status,
  };
}

async function measured(server: BenchServer, url: string, host: string, headers: string[] = []): Promise<Run> {
  const before = await server.cpu();
  const r = wrk(url, host, headers);
  const after = await server.cpu();
  return { ...r, cpuPerRequest: (after - before) / r.requests };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const backend = await startBenchServer('backend');
const gatehouse = await startPinnedServer([join(import.meta.dirname, 'server.ts'), String(backend.port)]);
const host = `${gatehouse.apiId}.execute-api.us-east-1.amazonaws.com`;
const base = `http://127.0.0.1:${gatehouse.port}/bench`;
const control = new AG.APIGatewayClient({ endpoint: `http://127.0.0.1:${gatehouse.port}`, region: 'us-east-1', credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'secret' } });
try {
  // 1. Cost of the keyed, throttled, quota-counted path.
  const cases = {
    'HTTP_PROXY': [`${base}/proxy/x`, []],
    'HTTP_PROXY + API key + plan throttle + quota': [`${base}/keyed/x`, [`x-api-key: ${BENCH_API_KEY}`]],
  } as const;
  const runs: Record<string, Run[]> = {};
  for (const [name, [url, headers]] of Object.entries(cases)) {
    wrk(url, host, [...headers], 2); // warm-up
    runs[name] = [];
  }
  for (let round = 0; round < rounds; round++) {
    for (const [name, [url, headers]] of Object.entries(cases)) runs[name]!.push(await measured(gatehouse, url, host, [...headers]));
  }
  console.log(`wrk -t1 -c50, ${seconds}s per run, ${rounds} interleaved rounds, medians\n`);
  console.log('| case | req/s | server CPU µs/req | non-200 |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const [name, rs] of Object.entries(runs)) {
    const non200 = rs.reduce((a, r) => a + r.requests - (r.status.get(200) ?? 0), 0);
    console.log(`| ${name} | ${median(rs.map((r) => r.rps)).toFixed(0)} | ${median(rs.map((r) => r.cpuPerRequest)).toFixed(1)} | ${non200} |`);
  }
  const [plain, keyed] = Object.values(runs) as [Run[], Run[]];
  const perRound = keyed.map((r, i) => (r.rps / plain[i]!.rps).toFixed(2));
  console.log(`\nkeyed+throttled+quota / plain HTTP_PROXY: ${(median(keyed.map((r) => r.rps)) / median(plain.map((r) => r.rps))).toFixed(2)}x req/s (target >= 0.8; rounds ${perRound.join(', ')}); CPU µs/req added: ${(median(keyed.map((r) => r.cpuPerRequest)) - median(plain.map((r) => r.cpuPerRequest))).toFixed(1)}`);

  // 2. Accuracy at about 4x the limit.
  wrk(`${base}/mock`, host, [], 2);
  const unthrottled = median([0, 1, 2].map(() => wrk(`${base}/mock`, host, [], 3).rps));
  // At most a quarter of the unthrottled rate, so wrk offers at least 4x the limit; at most 500 rps, so the limit
  // stays below what the server answers even while other work on a shared machine starves it (a starved server
  // cannot accept what it never receives, which would read as inaccuracy).
  const rate = Math.max(10, Math.min(500, Math.round(unthrottled / 4)));
  // One second of tokens: the server being descheduled for less than that loses none. Each round starts with a full
  // bucket, whose burst is subtracted from the accepted count below.
  const burst = rate;
  await control.send(
    new AG.UpdateStageCommand({
      restApiId: gatehouse.apiId,
      stageName: 'bench',
      patchOperations: [
        { op: 'replace', path: '/~1mock/GET/throttling/rateLimit', value: String(rate) },
        { op: 'replace', path: '/~1mock/GET/throttling/burstLimit', value: String(burst) },
      ],
    }),
  );
  console.log(`\nMOCK unthrottled: ${unthrottled.toFixed(0)} req/s; stage throttle set to rate ${rate}, burst ${burst}`);
  console.log('| round | offered req/s | offered / rate | accepted (200) req/s | accepted / rate | 429 | other |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    // Let the bucket refill (burst / rate = 1 s).
    await new Promise((r) => setTimeout(r, 1500));
    const r = wrk(`${base}/mock`, host, [], Math.max(seconds, 10));
    const secs = r.requests / r.rps;
    const ok = r.status.get(200) ?? 0;
    const limited = r.status.get(429) ?? 0;
    const accepted = (ok - burst) / secs;
    ratios.push(accepted / rate);
    console.log(`| ${round + 1} | ${r.rps.toFixed(0)} | ${(r.rps / rate).toFixed(1)} | ${accepted.toFixed(1)} | ${(accepted / rate).toFixed(3)} | ${limited} | ${r.requests - ok - limited} |`);
  }
  console.log(`\naccepted / configured rate, median: ${median(ratios).toFixed(3)} (target within 0.95-1.05)`);
} finally {
  control.destroy();
  for (const s of [backend, gatehouse]) s.child.kill('SIGKILL');
}

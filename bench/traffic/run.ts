// Throttling and quota benchmark (issue 11), every server in one run, loaded by Debian's wrk; servers pinned to CPU 0,
// wrk on CPU 1, interleaved rounds, medians ("measured on a busy machine" unless the machine was quiet).
//   1. cost:     HTTP_PROXY with an API key whose usage plan has a throttle and a quota (neither reached), versus
//                plain HTTP_PROXY (no key: stage and account buckets only) in the same run. Target >= 0.8x.
//   2. accuracy: the MOCK method throttled by a stage method setting at a quarter of its measured unthrottled
//                throughput (at most 500 rps), then loaded by wrk (offered at 4x the limit or more): accepted req/s
//                (the 200s, minus the initial burst) against the configured rate. Target: within 5%, the rest 429.
// Usage: ./node_modules/.bin/node bench/traffic/run.ts [seconds per run, default 5] [rounds, default 3]
import { join } from 'node:path';
import * as AG from '@aws-sdk/client-api-gateway';
import { startBenchServer, startPinnedServer } from '../execute/bench-server.ts';
import { BENCH_API_KEY } from '../execute/bench-api.ts';
import { cpuRounds, median, printCpuTable, rpsRatio, statusCounts, wrk, type RoundCase } from '../execute/cpu-rounds.ts';

const seconds = Number(process.argv[2] ?? 5);
const rounds = Number(process.argv[3] ?? 3);

// A wrk script counting answers by status (wrk itself only counts non-2xx).
const STATUS_SCRIPT = join(import.meta.dirname, 'status.lua');

const backend = await startBenchServer('backend');
const gatehouse = await startPinnedServer([join(import.meta.dirname, 'server.ts'), String(backend.port)]);
const host = `Host: ${gatehouse.apiId}.execute-api.us-east-1.amazonaws.com`;
const load = (url: string, secs: number, headers: string[] = []) => wrk(url, 50, secs, [host, ...headers], ['-s', STATUS_SCRIPT]);
const base = `http://127.0.0.1:${gatehouse.port}/bench`;
const control = new AG.APIGatewayClient({ endpoint: `http://127.0.0.1:${gatehouse.port}`, region: 'us-east-1', credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'secret' } });
try {
  // 1. Cost of the keyed, throttled, quota-counted path.
  const costCase = (url: string, headers: string[] = []): RoundCase => ({ server: gatehouse, load: () => load(url, seconds, headers), warmUp: () => load(url, 2, headers) });
  const cases = {
    'HTTP_PROXY': costCase(`${base}/proxy/x`),
    'HTTP_PROXY + API key + plan throttle + quota': costCase(`${base}/keyed/x`, [`x-api-key: ${BENCH_API_KEY}`]),
  };
  const r = await cpuRounds(cases, rounds);
  console.log(`wrk -t1 -c50, ${seconds}s per run, ${rounds} interleaved rounds, medians\n`);
  printCpuTable(r, 'case', 'non-200', (run) => run.requests - (statusCounts(run).get(200) ?? 0));
  const { ratio, perRound } = rpsRatio(r, 'HTTP_PROXY + API key + plan throttle + quota', 'HTTP_PROXY');
  const added = median(r.cpu['HTTP_PROXY + API key + plan throttle + quota']!) - median(r.cpu['HTTP_PROXY']!);
  console.log(`\nkeyed+throttled+quota / plain HTTP_PROXY: ${ratio.toFixed(2)}x req/s (target >= 0.8; rounds ${perRound}); CPU µs/req added: ${added.toFixed(1)}`);

  // 2. Accuracy at about 4x the limit.
  load(`${base}/mock`, 2);
  const unthrottled = median([0, 1, 2].map(() => load(`${base}/mock`, 3).rps));
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
    const r = load(`${base}/mock`, Math.max(seconds, 10));
    const secs = r.requests / r.rps;
    const status = statusCounts(r);
    const ok = status.get(200) ?? 0;
    const limited = status.get(429) ?? 0;
    const accepted = (ok - burst) / secs;
    ratios.push(accepted / rate);
    console.log(`| ${round + 1} | ${r.rps.toFixed(0)} | ${(r.rps / rate).toFixed(1)} | ${accepted.toFixed(1)} | ${(accepted / rate).toFixed(3)} | ${limited} | ${r.requests - ok - limited} |`);
  }
  console.log(`\naccepted / configured rate, median: ${median(ratios).toFixed(3)} (target within 0.95-1.05)`);
} finally {
  control.destroy();
  for (const s of [backend, gatehouse]) s.child.kill('SIGKILL');
}

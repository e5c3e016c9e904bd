// Logging benchmark (issue 13: HTTP_PROXY with access logging in JSON and execution logging at INFO ≥ 0.85× the
// same API without logging). In one run, one Gatehouse process pinned to CPU 0 serving two stages of one deployment
// (bench/observe/logging-server.ts): `bench` without logging and `logged` with both; wrk -t1 -c50 on CPU 1, interleaved
// rounds, medians. Then a soak: `logged` under load for N seconds, the server's resident memory sampled every
// second (log events are queued in memory and written in batches: the queue must not grow without bound).
// Usage: node bench/observe/logging.bench.ts [seconds per run, default 5] [rounds, default 3] [soak seconds, default 30]
import { join } from 'node:path';
import { startBenchServer, startPinnedServer } from '../execute/bench-server.ts';
import { cpuRounds, printCpuTable, rpsRatio, urlCases, wrk, wrkAsync } from '../execute/cpu-rounds.ts';

const seconds = Number(process.argv[2] ?? 5);
const rounds = Number(process.argv[3] ?? 3);
const soakSeconds = Number(process.argv[4] ?? 30);

const backend = await startBenchServer('backend');
const gatehouse = await startPinnedServer([join(import.meta.dirname, 'logging-server.ts'), String(backend.port)]);
const host = `${gatehouse.apiId}.execute-api.us-east-1.amazonaws.com`;
// The server's status lines ({cpuMicros, rssBytes, written, dropped}) as they come.
let status: { rssBytes: number; written: number; dropped: number } | undefined;
let buffered = '';
gatehouse.child.stdout!.on('data', (d) => {
  buffered += d;
  for (let nl = buffered.indexOf('\n'); nl !== -1; nl = buffered.indexOf('\n')) {
    const msg = JSON.parse(buffered.slice(0, nl));
    buffered = buffered.slice(nl + 1);
    if (typeof msg.rssBytes === 'number') status = msg;
  }
});
const urls = {
  'HTTP_PROXY, no logging': `http://127.0.0.1:${gatehouse.port}/bench/proxy/x`,
  'HTTP_PROXY, access logs (JSON) + execution logs (INFO)': `http://127.0.0.1:${gatehouse.port}/logged/proxy/x`,
};
try {
  const headers = [`Host: ${host}`];
  const cases = urlCases(urls, gatehouse, (url) => wrk(url, 50, seconds, headers), (url) => wrk(url, 8, 2, headers));
  const r = await cpuRounds(cases, rounds);
  console.log(`wrk -t1 -c50, ${seconds}s per run, ${rounds} interleaved rounds, medians (server CPU µs per request from process.cpuUsage); measured on a busy machine\n`);
  printCpuTable(r, 'stage', 'non-2xx');
  const { ratio, perRound } = rpsRatio(r, 'HTTP_PROXY, access logs (JSON) + execution logs (INFO)', 'HTTP_PROXY, no logging');
  console.log(`\nlogged / unlogged throughput ratio: ${ratio.toFixed(2)} (target >= 0.85; per round: ${perRound})`);

  // Soak: memory while the logged stage is under load.
  await gatehouse.cpu();
  const startRss = status!.rssBytes;
  const samples: number[] = [];
  const soak = wrkAsync(urls['HTTP_PROXY, access logs (JSON) + execution logs (INFO)'], 50, soakSeconds, headers);
  for (let s = 0; s < soakSeconds; s++) {
    await new Promise((r) => setTimeout(r, 1000));
    await gatehouse.cpu();
    samples.push(status!.rssBytes);
  }
  const { requests } = await soak;
  await new Promise((r) => setTimeout(r, 1000));
  await gatehouse.cpu();
  const mb = (b: number) => (b / 1048576).toFixed(0);
  console.log(
    `\nsoak: ${soakSeconds}s of wrk -c50 on the logged stage, ${requests} requests; resident memory ${mb(startRss)} MB before, ` +
      `max ${mb(Math.max(...samples))} MB, last ${mb(samples[samples.length - 1]!)} MB, ${mb(status!.rssBytes)} MB a second after; ` +
      `log events written ${status!.written}, dropped ${status!.dropped}`,
  );
} finally {
  for (const s of [backend, gatehouse]) s.child.kill('SIGKILL');
}

// Logging benchmark (issue 13: HTTP_PROXY with access logging in JSON and execution logging at INFO ≥ 0.85× the
// same API without logging). In one run, one Gatehouse process pinned to CPU 0 serving two stages of one deployment
// (bench/observe/logging-server.ts): `bench` without logging and `logged` with both; wrk -t1 -c50 on CPU 1, interleaved
// rounds, medians. Then a soak: `logged` under load for N seconds, the server's resident memory sampled every
// second (log events are queued in memory and written in batches: the queue must not grow without bound).
// Usage: node bench/observe/logging.bench.ts [seconds per run, default 5] [rounds, default 3] [soak seconds, default 30]
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { startBenchServer, startPinnedServer } from '../execute/bench-server.ts';

const seconds = Number(process.argv[2] ?? 5);
const rounds = Number(process.argv[3] ?? 3);
const soakSeconds = Number(process.argv[4] ?? 30);

interface Run {
  rps: number;
  requests: number;
  non2xx: number;
  cpuPerRequest: number;
}

function wrk(url: string, host: string, connections: number, duration = seconds): Omit<Run, 'cpuPerRequest'> {
  const r = spawnSync('taskset', ['-c', '1', 'wrk', '-t1', `-c${connections}`, `-d${duration}s`, '-H', `Host: ${host}`, url], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`wrk failed: ${r.stderr}`);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(r.stdout)![1]),
    requests: Number(/(\d+) requests in/.exec(r.stdout)![1]),
    non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(r.stdout)?.[1] ?? 0),
  };
}

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
const targets: Record<string, string> = {
  'HTTP_PROXY, no logging': `http://127.0.0.1:${gatehouse.port}/bench/proxy/x`,
  'HTTP_PROXY, access logs (JSON) + execution logs (INFO)': `http://127.0.0.1:${gatehouse.port}/logged/proxy/x`,
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
try {
  const runs: Record<string, Run[]> = {};
  for (const [name, url] of Object.entries(targets)) {
    wrk(url, host, 8, 2); // warm-up
    runs[name] = [];
  }
  for (let round = 0; round < rounds; round++) {
    for (const [name, url] of Object.entries(targets)) {
      const before = await gatehouse.cpu();
      const r = wrk(url, host, 50);
      const after = await gatehouse.cpu();
      runs[name]!.push({ ...r, cpuPerRequest: (after - before) / r.requests });
    }
  }
  console.log(`wrk -t1 -c50, ${seconds}s per run, ${rounds} interleaved rounds, medians (server CPU µs per request from process.cpuUsage); measured on a busy machine\n`);
  console.log('| stage | req/s | server CPU µs/req | non-2xx |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const [name, rs] of Object.entries(runs)) {
    console.log(`| ${name} | ${median(rs.map((r) => r.rps)).toFixed(0)} | ${median(rs.map((r) => r.cpuPerRequest)).toFixed(1)} | ${rs.reduce((a, r) => a + r.non2xx, 0)} |`);
  }
  const [plain, logged] = Object.values(runs) as [Run[], Run[]];
  const perRound = logged.map((r, i) => (r.rps / plain[i]!.rps).toFixed(2));
  console.log(`\nlogged / unlogged throughput ratio: ${(median(logged.map((r) => r.rps)) / median(plain.map((r) => r.rps))).toFixed(2)} (target >= 0.85; per round: ${perRound.join(', ')})`);

  // Soak: memory while the logged stage is under load.
  await gatehouse.cpu();
  const startRss = status!.rssBytes;
  const samples: number[] = [];
  const load = spawn('taskset', ['-c', '1', 'wrk', '-t1', '-c50', `-d${soakSeconds}s`, '-H', `Host: ${host}`, targets['HTTP_PROXY, access logs (JSON) + execution logs (INFO)']!], { stdio: ['ignore', 'pipe', 'inherit'] });
  let wrkOut = '';
  load.stdout.on('data', (d) => (wrkOut += d));
  const done = new Promise<void>((r) => load.once('exit', () => r()));
  for (let s = 0; s < soakSeconds; s++) {
    await new Promise((r) => setTimeout(r, 1000));
    await gatehouse.cpu();
    samples.push(status!.rssBytes);
  }
  await done;
  await new Promise((r) => setTimeout(r, 1000));
  await gatehouse.cpu();
  const mb = (b: number) => (b / 1048576).toFixed(0);
  const requests = Number(/(\d+) requests in/.exec(wrkOut)?.[1] ?? 0);
  console.log(
    `\nsoak: ${soakSeconds}s of wrk -c50 on the logged stage, ${requests} requests; resident memory ${mb(startRss)} MB before, ` +
      `max ${mb(Math.max(...samples))} MB, last ${mb(samples[samples.length - 1]!)} MB, ${mb(status!.rssBytes)} MB a second after; ` +
      `log events written ${status!.written}, dropped ${status!.dropped}`,
  );
} finally {
  for (const s of [backend, gatehouse]) s.child.kill('SIGKILL');
}

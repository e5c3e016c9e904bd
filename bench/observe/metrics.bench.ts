// Metrics and tracing cost (issue 13: HTTP_PROXY with everything on ≥ 0.7× the same API without). In one run, the
// Gatehouse in its own process pinned to CPU 0, wrk -t1 -c50 on CPU 1, interleaved rounds, medians:
//   HTTP_PROXY, stage `bench`      the basic AWS/ApiGateway metrics (ApiName, ApiName+Stage), always recorded
//   HTTP_PROXY, stage `observed`   detailed metrics (ApiName+Method+Resource+Stage) and tracingEnabled: gateway and
//                                  integration spans exported as OTLP/HTTP JSON to a sink in this process
// Usage: node bench/observe/metrics.bench.ts [seconds per run, default 5] [rounds, default 3]
import { createServer } from 'node:http';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startBenchServer, startPinnedServer, type BenchServer } from '../execute/bench-server.ts';

const seconds = Number(process.argv[2] ?? 5);
const rounds = Number(process.argv[3] ?? 3);

interface Run {
  rps: number;
  requests: number;
  non2xx: number;
  cpuPerRequest: number;
}

// Asynchronous, so the OTLP sink below (in this process) keeps answering while wrk runs.
async function wrk(url: string, host: string, connections: number): Promise<Omit<Run, 'cpuPerRequest'>> {
  const r = await promisify(execFile)('taskset', ['-c', '1', 'wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '-H', `Host: ${host}`, url], { encoding: 'utf8' });
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(r.stdout)![1]),
    requests: Number(/(\d+) requests in/.exec(r.stdout)![1]),
    non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(r.stdout)?.[1] ?? 0),
  };
}

// The OTLP collector: reads and counts what it is sent (spans are counted from the batches' JSON).
let spans = 0;
const sink = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    spans += (Buffer.concat(chunks).toString('utf8').match(/"spanId"/g) ?? []).length;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
const sinkUrl = `http://127.0.0.1:${(sink.address() as { port: number }).port}/v1/traces`;

const backend = await startBenchServer('backend');
const gatehouse = await startPinnedServer([join(import.meta.dirname, 'server.ts'), String(backend.port), sinkUrl]);
const host = `${gatehouse.apiId}.execute-api.us-east-1.amazonaws.com`;
const targets: Record<string, [string, BenchServer]> = {
  'HTTP_PROXY, basic metrics': [`http://127.0.0.1:${gatehouse.port}/bench/proxy/x`, gatehouse],
  'HTTP_PROXY, detailed metrics + tracing': [`http://127.0.0.1:${gatehouse.port}/observed/proxy/x`, gatehouse],
};
try {
  const runs: Record<string, Run[]> = {};
  for (const [name, [url]] of Object.entries(targets)) {
    await wrk(url, host, 8); // warm-up
    runs[name] = [];
  }
  for (let round = 0; round < rounds; round++) {
    for (const [name, [url, server]] of Object.entries(targets)) {
      const before = await server.cpu();
      const r = await wrk(url, host, 50);
      const after = await server.cpu();
      runs[name]!.push({ ...r, cpuPerRequest: (after - before) / r.requests });
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`wrk -t1 -c50, ${seconds}s per run, ${rounds} interleaved rounds, medians (server CPU µs per request from process.cpuUsage)\n`);
  console.log('| server | req/s | server CPU µs/req | non-2xx |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const [name, rs] of Object.entries(runs)) {
    console.log(`| ${name} | ${median(rs.map((r) => r.rps)).toFixed(0)} | ${median(rs.map((r) => r.cpuPerRequest)).toFixed(1)} | ${rs.reduce((a, r) => a + r.non2xx, 0)} |`);
  }
  const on = runs['HTTP_PROXY, detailed metrics + tracing']!;
  const off = runs['HTTP_PROXY, basic metrics']!;
  const ratio = median(on.map((r) => r.rps)) / median(off.map((r) => r.rps));
  const perRound = on.map((r, i) => (r.rps / off[i]!.rps).toFixed(2));
  console.log(`\ndetailed metrics + tracing / basic metrics throughput ratio: ${ratio.toFixed(2)} (target >= 0.7; per round: ${perRound.join(', ')})`);
  console.log(`spans received by the OTLP sink: ${spans} (2 per traced request, exported in batches)`);
} finally {
  for (const s of [backend, gatehouse]) s.child.kill('SIGKILL');
  sink.close();
}

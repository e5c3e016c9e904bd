// Metrics and tracing cost (issue 13: HTTP_PROXY with everything on ≥ 0.7× the same API without). In one run, the
// Gatehouse in its own process pinned to CPU 0, wrk -t1 -c50 on CPU 1, interleaved rounds, medians:
//   HTTP_PROXY, stage `bench`      the basic AWS/ApiGateway metrics (ApiName, ApiName+Stage), always recorded
//   HTTP_PROXY, stage `observed`   detailed metrics (ApiName+Method+Resource+Stage) and tracingEnabled: gateway and
//                                  integration spans exported as OTLP/HTTP JSON to a sink in this process
// Usage: node bench/observe/metrics.bench.ts [seconds per run, default 5] [rounds, default 3]
import { createServer } from 'node:http';
import { join } from 'node:path';
import { startBenchServer, startPinnedServer } from '../execute/bench-server.ts';
import { cpuRounds, printCpuTable, rpsRatio, urlCases, wrkAsync } from '../execute/cpu-rounds.ts';

const seconds = Number(process.argv[2] ?? 5);
const rounds = Number(process.argv[3] ?? 3);

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
const urls = {
  'HTTP_PROXY, basic metrics': `http://127.0.0.1:${gatehouse.port}/bench/proxy/x`,
  'HTTP_PROXY, detailed metrics + tracing': `http://127.0.0.1:${gatehouse.port}/observed/proxy/x`,
};
try {
  // wrk runs asynchronously, so the OTLP sink above (in this process) keeps answering while it runs.
  const load = (connections: number) => (url: string) => wrkAsync(url, connections, seconds, [`Host: ${host}`]);
  const cases = urlCases(urls, gatehouse, load(50), load(8));
  const r = await cpuRounds(cases, rounds);
  console.log(`wrk -t1 -c50, ${seconds}s per run, ${rounds} interleaved rounds, medians (server CPU µs per request from process.cpuUsage)\n`);
  printCpuTable(r, 'server', 'non-2xx');
  const { ratio, perRound } = rpsRatio(r, 'HTTP_PROXY, detailed metrics + tracing', 'HTTP_PROXY, basic metrics');
  console.log(`\ndetailed metrics + tracing / basic metrics throughput ratio: ${ratio.toFixed(2)} (target >= 0.7; per round: ${perRound})`);
  console.log(`spans received by the OTLP sink: ${spans} (2 per traced request, exported in batches)`);
} finally {
  for (const s of [backend, gatehouse]) s.child.kill('SIGKILL');
  sink.close();
}

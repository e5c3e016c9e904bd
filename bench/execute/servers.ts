// The servers the execute-api benchmark compares, each run in its own process by bench/execute/run.ts:
//   backend            node:http answering a fixed JSON body (the upstream of both proxies)
//   bare               node:http answering the MOCK method's body itself (the ceiling for MOCK)
//   bare-cached        the same with the header list of a stage-cache hit of an HTTP_PROXY method (remapped backend
//                      headers, request ids): what node:http alone costs for the response a cache hit writes
//   undici-proxy PORT  node:http forwarding every request to the backend with an undici Pool (the ceiling for HTTP_PROXY)
//   gatehouse PORT     Gatehouse with one API: GET /mock (MOCK + response template) and ANY /proxy/{proxy+}
//                      (HTTP_PROXY to the backend), deployed to stage `bench`
// Each prints one JSON line {port, apiId?} once listening.
import { createServer } from 'node:http';
import { startBenchGatehouse } from './bench-api.ts';
import { answerCpuSignals } from './bench-server.ts';
import { bareProxy } from './bare-proxy.ts';

export const BODY = '{"message":"hello","items":[1,2,3]}';
const kind = process.argv[2];
const backendPort = Number(process.argv[3]);

function ready(info: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(info)}\n`);
}

if (kind === 'backend' || kind === 'bare') {
  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(BODY) });
      res.end(BODY);
    });
  });
  server.listen(0, '127.0.0.1', () => ready({ port: (server.address() as { port: number }).port }));
} else if (kind === 'bare-cached') {
  let n = 0;
  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    req.resume();
    const id = String(++n).padStart(12, '0');
    res.writeHead(200, [
      'content-type', 'application/json',
      'x-amzn-Remapped-Content-Length', String(Buffer.byteLength(BODY)),
      'x-amzn-Remapped-Date', new Date().toUTCString(),
      'x-amzn-Remapped-Connection', 'keep-alive',
      'x-amzn-RequestId', `00000000-0000-4000-8000-${id}`,
      'x-amz-apigw-id', `${id}abc=`,
      'Content-Length', String(Buffer.byteLength(BODY)),
    ]);
    res.end(BODY);
  });
  server.listen(0, '127.0.0.1', () => ready({ port: (server.address() as { port: number }).port }));
} else if (kind === 'undici-proxy') {
  const server = createServer({ keepAliveTimeout: 65_000 }, bareProxy(backendPort));
  server.listen(0, '127.0.0.1', () => ready({ port: (server.address() as { port: number }).port }));
} else if (kind === 'gatehouse') {
  const { port, apiId, signer } = await startBenchGatehouse(backendPort);
  ready({ port, apiId, signer });
} else {
  console.error(`unknown server kind ${kind}`);
  process.exit(2);
}

// CPU accounting: the runner asks for the process's CPU time before and after each load run (robust against
// other work on a shared machine, unlike wall-clock throughput).
answerCpuSignals();

// The servers the execute-api benchmark compares, each run in its own process by bench/execute/run.ts:
//   backend            node:http answering a fixed JSON body (the upstream of both proxies)
//   bare               node:http answering the MOCK method's body itself (the ceiling for MOCK)
//   undici-proxy PORT  node:http forwarding every request to the backend with an undici Pool (the ceiling for HTTP_PROXY)
//   gatehouse PORT     Gatehouse with one API: GET /mock (MOCK + response template) and ANY /proxy/{proxy+}
//                      (HTTP_PROXY to the backend), deployed to stage `bench`
// Each prints one JSON line {port, apiId?} once listening.
import { createServer } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import * as AG from '@aws-sdk/client-api-gateway';
import { createGatehouse } from '../../src/server/app.ts';

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
} else if (kind === 'undici-proxy') {
  const pool = new Pool(`http://127.0.0.1:${backendPort}`, { connections: 128 });
  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    pool.stream({ path: req.url!, method: req.method as 'GET', headers: req.headers, body: req.method === 'GET' ? undefined : req }, ({ statusCode, headers }) => {
      res.writeHead(statusCode, headers as Record<string, string>);
      return res;
    }).catch(() => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
  });
  server.listen(0, '127.0.0.1', () => ready({ port: (server.address() as { port: number }).port }));
} else if (kind === 'gatehouse') {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
  const gh = createGatehouse({ port: 0, host: '127.0.0.1', dataDir, dev: false, accountId: '123456789012', defaultRegion: 'us-east-1' });
  const port = await gh.listen();
  const c = new AG.APIGatewayClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'secret' } });
  const api = await c.send(new AG.CreateRestApiCommand({ name: 'bench' }));
  const root = (await c.send(new AG.GetResourcesCommand({ restApiId: api.id }))).items!.find((r) => r.path === '/')!.id!;
  const mock = await c.send(new AG.CreateResourceCommand({ restApiId: api.id, parentId: root, pathPart: 'mock' }));
  await c.send(new AG.PutMethodCommand({ restApiId: api.id, resourceId: mock.id, httpMethod: 'GET', authorizationType: 'NONE' }));
  await c.send(new AG.PutIntegrationCommand({ restApiId: api.id, resourceId: mock.id, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  await c.send(new AG.PutMethodResponseCommand({ restApiId: api.id, resourceId: mock.id, httpMethod: 'GET', statusCode: '200' }));
  await c.send(
    new AG.PutIntegrationResponseCommand({
      restApiId: api.id,
      resourceId: mock.id,
      httpMethod: 'GET',
      statusCode: '200',
      // A real template (VTL references), not a literal: the benchmark measures template rendering too.
      responseTemplates: { 'application/json': '{"message":"hello","stage":"$context.stage","items":[1,2,3]}' },
    }),
  );
  const proxyParent = await c.send(new AG.CreateResourceCommand({ restApiId: api.id, parentId: root, pathPart: 'proxy' }));
  const proxy = await c.send(new AG.CreateResourceCommand({ restApiId: api.id, parentId: proxyParent.id, pathPart: '{proxy+}' }));
  await c.send(new AG.PutMethodCommand({ restApiId: api.id, resourceId: proxy.id, httpMethod: 'ANY', authorizationType: 'NONE', requestParameters: { 'method.request.path.proxy': true } }));
  await c.send(
    new AG.PutIntegrationCommand({
      restApiId: api.id,
      resourceId: proxy.id,
      httpMethod: 'ANY',
      type: 'HTTP_PROXY',
      integrationHttpMethod: 'ANY',
      uri: `http://127.0.0.1:${backendPort}/{proxy}`,
      requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' },
    }),
  );
  await c.send(new AG.CreateDeploymentCommand({ restApiId: api.id, stageName: 'bench' }));
  c.destroy();
  ready({ port, apiId: api.id });
} else {
  console.error(`unknown server kind ${kind}`);
  process.exit(2);
}

// Profiling runs (--cpu-prof) need a normal exit to write the profile.
process.on('SIGTERM', () => process.exit(0));
// CPU accounting: the runner asks for the process's CPU time before and after each load run (robust against
// other work on a shared machine, unlike wall-clock throughput).
process.on('SIGUSR2', () => {
  const u = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ cpuMicros: u.user + u.system })}\n`);
});

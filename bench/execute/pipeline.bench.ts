// Micro benchmark of the data plane without sockets: a MOCK method with a response template and a 403 for an
// unknown path, run through createDataPlane().handle() with stub request/response objects, in µs per invocation
// (median of rounds after a warm-up). Shows what the pipeline itself costs apart from node:http and the kernel.
// Usage: ./node_modules/.bin/node bench/execute/pipeline.bench.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as AG from '@aws-sdk/client-api-gateway';
import { createGatehouse } from '../../src/server/app.ts';
import type { DataPlane, ExecuteTarget } from '../../src/execute/data-plane.ts';
import type { IncomingMessage, ServerResponse } from 'node:http';

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
    responseTemplates: { 'application/json': '{"message":"hello","stage":"$context.stage","items":[1,2,3]}' },
  }),
);
await c.send(new AG.CreateDeploymentCommand({ restApiId: api.id, stageName: 'bench' }));
c.destroy();

const dataPlane = gh.services.dataPlane as DataPlane;
const rawHeaders = ['Host', `${api.id}.execute-api.us-east-1.amazonaws.com`, 'User-Agent', 'wrk', 'Accept', '*/*'];
const req = { method: 'GET', rawHeaders, headers: {}, httpVersion: '1.1', socket: { remoteAddress: '127.0.0.1', localPort: port } } as unknown as IncomingMessage;
let written = 0;
const res = {
  writeHead() {},
  end() {
    written++;
  },
  headersSent: false,
} as unknown as ServerResponse;

async function round(target: ExecuteTarget, n: number): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < n; i++) {
    const p = dataPlane.handle(req, res, target);
    if (p) await p;
  }
  return ((performance.now() - t) * 1000) / n;
}

const cases: Record<string, ExecuteTarget> = {
  'MOCK + response template': { apiId: api.id!, stage: 'bench', rawPath: '/mock', rawQuery: '', style: 'host' },
  '403 unknown path': { apiId: api.id!, stage: 'bench', rawPath: '/nothing', rawQuery: '', style: 'host' },
};
for (const [name, target] of Object.entries(cases)) {
  await round(target, 20_000);
  const rounds: number[] = [];
  for (let i = 0; i < 9; i++) rounds.push(await round(target, 20_000));
  rounds.sort((a, b) => a - b);
  console.log(`${name}: ${rounds[4]!.toFixed(2)} µs per invocation`);
}
// The same MOCK request through the server's request listener (dispatch by Host included).
const listener = gh.server.listeners('request')[0] as (req: IncomingMessage, res: ServerResponse) => void;
const viaServer = { ...req, url: '/bench/mock', headers: { host: `${api.id}.execute-api.us-east-1.amazonaws.com` } } as unknown as IncomingMessage;
async function serverRound(n: number): Promise<number> {
  const before = written;
  const t = performance.now();
  for (let i = 0; i < n; i++) listener(viaServer, res);
  while (written - before < n) await new Promise((r) => setImmediate(r));
  return ((performance.now() - t) * 1000) / n;
}
await serverRound(20_000);
const serverRounds: number[] = [];
for (let i = 0; i < 9; i++) serverRounds.push(await serverRound(20_000));
serverRounds.sort((a, b) => a - b);
console.log(`MOCK through the server's request listener: ${serverRounds[4]!.toFixed(2)} µs per invocation`);

if (written === 0) throw new Error('nothing was written');
await gh.close();
rmSync(dataDir, { recursive: true, force: true });

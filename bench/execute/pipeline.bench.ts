// Micro benchmark of the data plane without sockets: a MOCK method with a response template (also with a required API
// key, sent in x-api-key, behind a COGNITO_USER_POOLS authorizer with a cached ID token, and served from the stage
// cache) and a 403 for an unknown path, run through createDataPlane().handle() with stub request/response objects, in µs per invocation
// (median of rounds after a warm-up). Shows what the pipeline itself costs apart from node:http and the kernel.
// Usage: ./node_modules/.bin/node bench/execute/pipeline.bench.ts
import { rmSync } from 'node:fs';
import * as AG from '@aws-sdk/client-api-gateway';
import { addMockMethod, BENCH_API_KEY, startBenchGatehouse } from './bench-api.ts';
import { loadOrCreateLocalKey } from '../../src/auth/jwt/local-keys.ts';
import { issueLocalTokens } from '../../src/auth/jwt/local-tokens.ts';
import { userPoolOfArn } from '../../src/auth/jwt/user-pool.ts';
import type { DataPlane, ExecuteTarget } from '../../src/execute/data-plane.ts';
import { CACHE_TRANSITION_MS } from '../../src/cache/cluster-status.ts';
import type { IncomingMessage, ServerResponse } from 'node:http';

const { gh, port, apiId, dataDir } = await startBenchGatehouse();

// GET /cognitomock: the MOCK method behind a user-pool authorizer of a local pool, redeployed to the same stage.
const pool = userPoolOfArn('arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Bench1')!;
const control = new AG.APIGatewayClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'secret' } });
const authorizerId = (
  await control.send(new AG.CreateAuthorizerCommand({ restApiId: apiId, name: 'pool', type: 'COGNITO_USER_POOLS', providerARNs: [`arn:aws:cognito-idp:us-east-1:123456789012:userpool/${pool.poolId}`], identitySource: 'method.request.header.Authorization' }))
).id!;
const rootId = (await control.send(new AG.GetResourcesCommand({ restApiId: apiId }))).items!.find((r) => r.path === '/')!.id!;
await addMockMethod(control, apiId, rootId, 'cognitomock', { authorizationType: 'COGNITO_USER_POOLS', authorizerId });
const deployment = await control.send(new AG.CreateDeploymentCommand({ restApiId: apiId, stageName: 'bench' }));
// Stage `cached`: the same deployment with its cache cluster, so GET /mock after the first is a stage-cache hit.
await control.send(new AG.CreateStageCommand({ restApiId: apiId, stageName: 'cached', deploymentId: deployment.id!, cacheClusterEnabled: true }));
await new Promise((r) => setTimeout(r, CACHE_TRANSITION_MS + 100));
control.destroy();
const { idToken } = await issueLocalTokens(pool, await loadOrCreateLocalKey(dataDir, pool.poolId), { sub: 'bench', expiresIn: 86_400 });

const dataPlane = gh.services.dataPlane as DataPlane;
const rawHeaders = ['Host', `${apiId}.execute-api.us-east-1.amazonaws.com`, 'User-Agent', 'wrk', 'Accept', '*/*'];
const req = { method: 'GET', rawHeaders, headers: {}, httpVersion: '1.1', socket: { remoteAddress: '127.0.0.1', localPort: port } } as unknown as IncomingMessage;
const keyedReq = { ...req, rawHeaders: [...rawHeaders, 'x-api-key', BENCH_API_KEY] } as unknown as IncomingMessage;
const tokenReq = { ...req, rawHeaders: [...rawHeaders, 'Authorization', idToken] } as unknown as IncomingMessage;
let written = 0;
let lastStatus = 0;
const res = {
  writeHead(status: number) {
    lastStatus = status;
  },
  end() {
    written++;
  },
  headersSent: false,
} as unknown as ServerResponse;

async function round(target: ExecuteTarget, n: number, request = req): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < n; i++) {
    const p = dataPlane.handle(request, res, target);
    if (p) await p;
  }
  return ((performance.now() - t) * 1000) / n;
}

const cases: Record<string, [ExecuteTarget, IncomingMessage]> = {
  'MOCK + response template': [{ apiId, stage: 'bench', rawPath: '/mock', rawQuery: '', style: 'host' }, req],
  'MOCK + response template, API key required': [{ apiId, stage: 'bench', rawPath: '/keyedmock', rawQuery: '', style: 'host' }, keyedReq],
  'MOCK + response template, cached Cognito ID token': [{ apiId, stage: 'bench', rawPath: '/cognitomock', rawQuery: '', style: 'host' }, tokenReq],
  'MOCK + response template, stage-cache hit': [{ apiId, stage: 'cached', rawPath: '/mock', rawQuery: '', style: 'host' }, req],
  '403 unknown path': [{ apiId, stage: 'bench', rawPath: '/nothing', rawQuery: '', style: 'host' }, req],
};
for (const [name, [target, request]] of Object.entries(cases)) {
  await round(target, 1, request);
  // The keyed and token cases must be admitted, not a cheaper 403 or 401.
  if ((name.includes('API key') || name.includes('Cognito')) && lastStatus !== 200) throw new Error(`${name}: status ${lastStatus}`);
  await round(target, 20_000, request);
  const rounds: number[] = [];
  for (let i = 0; i < 9; i++) rounds.push(await round(target, 20_000, request));
  rounds.sort((a, b) => a - b);
  console.log(`${name}: ${rounds[4]!.toFixed(2)} µs per invocation`);
}
// The same MOCK request through the server's request listener (dispatch by Host included).
const listener = gh.server.listeners('request')[0] as (req: IncomingMessage, res: ServerResponse) => void;
const viaServer = { ...req, url: '/bench/mock', headers: { host: `${apiId}.execute-api.us-east-1.amazonaws.com` } } as unknown as IncomingMessage;
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

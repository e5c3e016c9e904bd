// The Gatehouse the stage-cache benchmark runs against (own process, pinned by bench/cache/cache.bench.ts): the
// execute benchmark's API (bench/execute/bench-api.ts) with a second stage `cached` on the same deployment, its cache
// cluster enabled and AVAILABLE, and its HTTP_PROXY response already stored, so every GET /cached/proxy/x is a hit.
// Prints one JSON line {port, apiId} once ready; answers SIGUSR2 with its CPU time, as bench/execute/servers.ts does.
import * as AG from '@aws-sdk/client-api-gateway';
import { request } from 'undici';
import { startBenchGatehouse } from '../execute/bench-api.ts';
import { CACHE_TRANSITION_MS } from '../../src/cache/cluster-status.ts';
import { answerCpuSignals } from '../execute/bench-server.ts';

const backendPort = Number(process.argv[2]);
// The account throttle (10,000 rps by default, as on AWS) would answer 429 to part of the load: lifted, so the
// figures are the cache's.
const { port, apiId } = await startBenchGatehouse(backendPort, { accountThrottle: { rateLimit: 1_000_000, burstLimit: 1_000_000 } });
const c = new AG.APIGatewayClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'secret' } });
const bench = await c.send(new AG.GetStageCommand({ restApiId: apiId, stageName: 'bench' }));
await c.send(new AG.CreateStageCommand({ restApiId: apiId, stageName: 'cached', deploymentId: bench.deploymentId!, cacheClusterEnabled: true }));
await new Promise((r) => setTimeout(r, CACHE_TRANSITION_MS + 100));
const status = (await c.send(new AG.GetStageCommand({ restApiId: apiId, stageName: 'cached' }))).cacheClusterStatus;
c.destroy();
if (status !== 'AVAILABLE') throw new Error(`cache cluster is ${status}`);
const prime = await request(`http://127.0.0.1:${port}/cached/proxy/x`, { headers: { host: `${apiId}.execute-api.us-east-1.amazonaws.com` } });
await prime.body.text();
process.stdout.write(`${JSON.stringify({ port, apiId })}\n`);

answerCpuSignals();

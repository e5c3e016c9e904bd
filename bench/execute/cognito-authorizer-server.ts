// The Gatehouse of bench/execute/cognito-authorizer.bench.ts, in its own process: bench-api.ts's API (GET /mock,
// ANY /proxy/{proxy+} to the backend on PORT) plus the same two methods behind a COGNITO_USER_POOLS authorizer of a
// local pool (GET /authz/mock, ANY /authz/proxy/{proxy+}). Issues an ID token with the pool's local key, makes the
// one uncached request with it, then prints {port, apiId, authorization}. Answers SIGUSR2 with its CPU time, as
// servers.ts does.
import * as AG from '@aws-sdk/client-api-gateway';
import { request } from 'undici';
import { addMockMethod, addProxyMethod, startBenchGatehouse } from './bench-api.ts';
import { loadOrCreateLocalKey } from '../../src/auth/jwt/local-keys.ts';
import { issueLocalTokens } from '../../src/auth/jwt/local-tokens.ts';
import { userPoolOfArn } from '../../src/auth/jwt/user-pool.ts';
import { answerCpuSignals } from './bench-server.ts';

const POOL_ARN = 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Bench1';
const backendPort = Number(process.argv[2]);
const { port, apiId, dataDir } = await startBenchGatehouse(backendPort);
const endpoint = `http://127.0.0.1:${port}`;
const c = new AG.APIGatewayClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'secret' } });
const authorizerId = (
  await c.send(new AG.CreateAuthorizerCommand({ restApiId: apiId, name: 'bench', type: 'COGNITO_USER_POOLS', providerARNs: [POOL_ARN], identitySource: 'method.request.header.Authorization' }))
).id!;
const root = (await c.send(new AG.GetResourcesCommand({ restApiId: apiId }))).items!.find((r) => r.path === '/')!.id!;
const authz = (await c.send(new AG.CreateResourceCommand({ restApiId: apiId, parentId: root, pathPart: 'authz' }))).id!;
const method = { authorizationType: 'COGNITO_USER_POOLS', authorizerId };
await addMockMethod(c, apiId, authz, 'mock', method);
await addProxyMethod(c, apiId, authz, 'proxy', backendPort, method);
await c.send(new AG.CreateDeploymentCommand({ restApiId: apiId, stageName: 'bench' }));
c.destroy();
const pool = userPoolOfArn(POOL_ARN)!;
const { idToken } = await issueLocalTokens(pool, await loadOrCreateLocalKey(dataDir, pool.poolId), { sub: 'bench', expiresIn: 86_400, claims: { 'cognito:groups': ['bench'], email: 'bench@example.com' } });
// The one uncached verification, before anything is measured.
const first = await request(`${endpoint}/bench/authz/mock`, { headers: { host: `${apiId}.execute-api.us-east-1.amazonaws.com`, authorization: idToken } });
await first.body.text();
if (first.statusCode !== 200) throw new Error(`the authorized request answered ${first.statusCode}`);
process.stdout.write(`${JSON.stringify({ port, apiId, authorization: idToken })}\n`);

answerCpuSignals();

// The Gatehouse the execute-api benchmarks run against: one API deployed to stage `bench` with GET /mock (MOCK with a
// real VTL response template), GET /keyedmock (the same with apiKeyRequired) and, given a backend port, ANY /proxy/{proxy+} (HTTP_PROXY to that backend) and
// ANY /keyed/{proxy+} (the same, with apiKeyRequired: BENCH_API_KEY is an enabled key of a usage plan for the stage)
// and ANY /signed/{proxy+} (the same with AWS_IAM: `signer` holds the access key of an IAM user whose identity policy
// allows execute-api:Invoke there; benchmarks sign a request's headers with it just before each load run, since a
// header signature is good for 5 minutes).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as AG from '@aws-sdk/client-api-gateway';
import * as IAM from '@aws-sdk/client-iam';
import aws4 from 'aws4';
import { createGatehouse, type Gatehouse } from '../../src/server/app.ts';
import { configFromEnv, type GatehouseConfig } from '../../src/server/config.ts';

/** An account throttle no benchmark reaches. */
export const UNLIMITED_ACCOUNT = { rateLimit: 1e9, burstLimit: 1e9 };

/** The x-api-key value the keyed HTTP_PROXY method admits. */
export const BENCH_API_KEY = 'bench-api-key-0123456789abcdef';

export interface BenchGatehouse {
  gh: Gatehouse;
  port: number;
  apiId: string;
  dataDir: string;
  /** The usage plan BENCH_API_KEY belongs to. */
  planId: string;
  /** An access key allowed to invoke ANY /bench/signed/{proxy+} (AWS_IAM), when a backend was given. */
  signer?: { accessKeyId: string; secretAccessKey: string };
}

/** A benchmark Gatehouse's configuration (a fresh data directory, port 0), with `config` over it. */
export function benchConfig(config: Partial<GatehouseConfig> = {}): GatehouseConfig {
  // The account throttle (AWS's default: 10,000 rps) would cap what a benchmark measures: lifted unless `config` sets it.
  return {
    ...configFromEnv({}),
    port: 0,
    host: '127.0.0.1',
    dataDir: mkdtempSync(join(tmpdir(), 'gatehouse-bench-')),
    dev: false,
    accountId: '123456789012',
    defaultRegion: 'us-east-1',
    accountThrottle: UNLIMITED_ACCOUNT,
    // The benchmark servers' stdout carries their JSON status lines: no line per request there.
    logLevel: 'silent',
    ...config,
  };
}

export async function startBenchGatehouse(backendPort?: number, config: Partial<GatehouseConfig> = {}): Promise<BenchGatehouse> {
  const settings = benchConfig(config);
  const dataDir = settings.dataDir;
  const gh = createGatehouse(settings);
  const port = await gh.listen();
  const c = new AG.APIGatewayClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'secret' } });
  const restApiId = (await c.send(new AG.CreateRestApiCommand({ name: 'bench' }))).id!;
  const root = (await c.send(new AG.GetResourcesCommand({ restApiId }))).items!.find((r) => r.path === '/')!.id!;
  for (const [pathPart, apiKeyRequired] of [['mock', false], ['keyedmock', true]] as const) {
    await addMockMethod(c, restApiId, root, pathPart, { apiKeyRequired });
  }
  for (const [pathPart, apiKeyRequired, authorizationType] of backendPort === undefined ? [] : ([['proxy', false, 'NONE'], ['keyed', true, 'NONE'], ['signed', false, 'AWS_IAM']] as const)) {
    await addProxyMethod(c, restApiId, root, pathPart, backendPort!, { apiKeyRequired, authorizationType });
  }
  await c.send(new AG.CreateDeploymentCommand({ restApiId, stageName: 'bench' }));
  const key = await c.send(new AG.CreateApiKeyCommand({ name: 'bench', enabled: true, value: BENCH_API_KEY }));
  const plan = await c.send(new AG.CreateUsagePlanCommand({ name: 'bench', apiStages: [{ apiId: restApiId, stage: 'bench' }] }));
  await c.send(new AG.CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id!, keyType: 'API_KEY' }));
  c.destroy();
  let signer: { accessKeyId: string; secretAccessKey: string } | undefined;
  if (backendPort !== undefined) {
    const iam = new IAM.IAMClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'secret' } });
    await iam.send(new IAM.CreateUserCommand({ UserName: 'bench' }));
    const invoke = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `arn:aws:execute-api:us-east-1:123456789012:${restApiId}/bench/*/signed/*` }] };
    await iam.send(new IAM.PutUserPolicyCommand({ UserName: 'bench', PolicyName: 'invoke', PolicyDocument: JSON.stringify(invoke) }));
    const k = (await iam.send(new IAM.CreateAccessKeyCommand({ UserName: 'bench' }))).AccessKey!;
    iam.destroy();
    signer = { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
  }
  return { gh, port, apiId: restApiId, dataDir, planId: plan.id!, ...(signer ? { signer } : {}) };
}

/**
 * Gives the bench usage plan a throttle and a quota that no run reaches, so every keyed request goes through the
 * plan's bucket and the quota (bench/traffic, bench/scale-out).
 */
export async function liftPlanLimits(port: number, planId: string): Promise<void> {
  const c = new AG.APIGatewayClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'secret' } });
  await c.send(
    new AG.UpdateUsagePlanCommand({
      usagePlanId: planId,
      patchOperations: [
        { op: 'replace', path: '/throttle/rateLimit', value: '1000000' },
        { op: 'replace', path: '/throttle/burstLimit', value: '1000000' },
        { op: 'replace', path: '/quota/limit', value: '1000000000' },
        { op: 'replace', path: '/quota/period', value: 'DAY' },
      ],
    }),
  );
  c.destroy();
}

/** Method settings of the benchmark methods (authorization NONE unless given). */
type MethodSettings = Partial<Pick<AG.PutMethodCommandInput, 'authorizationType' | 'authorizerId' | 'apiKeyRequired'>>;

/** `GET {parent}/{pathPart}`: MOCK with a real VTL response template. */
export async function addMockMethod(c: AG.APIGatewayClient, restApiId: string, parentId: string, pathPart: string, method: MethodSettings = {}): Promise<void> {
  const mock = (await c.send(new AG.CreateResourceCommand({ restApiId, parentId, pathPart }))).id!;
  await c.send(new AG.PutMethodCommand({ restApiId, resourceId: mock, httpMethod: 'GET', authorizationType: 'NONE', ...method }));
  await c.send(new AG.PutIntegrationCommand({ restApiId, resourceId: mock, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  await c.send(new AG.PutMethodResponseCommand({ restApiId, resourceId: mock, httpMethod: 'GET', statusCode: '200' }));
  await c.send(
    new AG.PutIntegrationResponseCommand({
      restApiId,
      resourceId: mock,
      httpMethod: 'GET',
      statusCode: '200',
      // A real template (VTL references), not a literal: the benchmark measures template rendering too.
      responseTemplates: { 'application/json': '{"message":"hello","stage":"$context.stage","items":[1,2,3]}' },
    }),
  );
}

/** `ANY {parent}/{pathPart}/{proxy+}`: HTTP_PROXY to the backend on `backendPort`. */
export async function addProxyMethod(c: AG.APIGatewayClient, restApiId: string, parentId: string, pathPart: string, backendPort: number, method: MethodSettings = {}): Promise<void> {
  const parent = (await c.send(new AG.CreateResourceCommand({ restApiId, parentId, pathPart }))).id!;
  const proxy = (await c.send(new AG.CreateResourceCommand({ restApiId, parentId: parent, pathPart: '{proxy+}' }))).id!;
  await c.send(new AG.PutMethodCommand({ restApiId, resourceId: proxy, httpMethod: 'ANY', authorizationType: 'NONE', ...method, requestParameters: { 'method.request.path.proxy': true } }));
  await c.send(
    new AG.PutIntegrationCommand({
      restApiId,
      resourceId: proxy,
      httpMethod: 'ANY',
      type: 'HTTP_PROXY',
      integrationHttpMethod: 'ANY',
      uri: `http://127.0.0.1:${backendPort}/{proxy}`,
      requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' },
    }),
  );
}

/** The headers of `GET {path}` on the bench API signed now with `signer` (SigV4 for execute-api), as wrk -H lines. */
export function signedHeaders(signer: { accessKeyId: string; secretAccessKey: string }, host: string, path: string): string[] {
  const signed = aws4.sign({ host, method: 'GET', path, service: 'execute-api', region: 'us-east-1' }, signer);
  return Object.entries(signed.headers!).filter(([k]) => k.toLowerCase() !== 'host').map(([k, v]) => `${k}: ${String(v)}`);
}

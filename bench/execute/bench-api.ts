// The Gatehouse the execute-api benchmarks run against: one API deployed to stage `bench` with GET /mock (MOCK with a
// real VTL response template) and, given a backend port, ANY /proxy/{proxy+} (HTTP_PROXY to that backend).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as AG from '@aws-sdk/client-api-gateway';
import { createGatehouse, type Gatehouse } from '../../src/server/app.ts';
import { configFromEnv, type GatehouseConfig } from '../../src/server/config.ts';

export interface BenchGatehouse {
  gh: Gatehouse;
  port: number;
  apiId: string;
  dataDir: string;
}

export async function startBenchGatehouse(backendPort?: number, config: Partial<GatehouseConfig> = {}): Promise<BenchGatehouse> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
  const gh = createGatehouse({ ...configFromEnv({}), port: 0, host: '127.0.0.1', dataDir, dev: false, accountId: '123456789012', defaultRegion: 'us-east-1', ...config });
  const port = await gh.listen();
  const c = new AG.APIGatewayClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'secret' } });
  const restApiId = (await c.send(new AG.CreateRestApiCommand({ name: 'bench' }))).id!;
  const root = (await c.send(new AG.GetResourcesCommand({ restApiId }))).items!.find((r) => r.path === '/')!.id!;
  const mock = (await c.send(new AG.CreateResourceCommand({ restApiId, parentId: root, pathPart: 'mock' }))).id!;
  await c.send(new AG.PutMethodCommand({ restApiId, resourceId: mock, httpMethod: 'GET', authorizationType: 'NONE' }));
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
  if (backendPort !== undefined) {
    const parent = (await c.send(new AG.CreateResourceCommand({ restApiId, parentId: root, pathPart: 'proxy' }))).id!;
    const proxy = (await c.send(new AG.CreateResourceCommand({ restApiId, parentId: parent, pathPart: '{proxy+}' }))).id!;
    await c.send(new AG.PutMethodCommand({ restApiId, resourceId: proxy, httpMethod: 'ANY', authorizationType: 'NONE', requestParameters: { 'method.request.path.proxy': true } }));
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
  await c.send(new AG.CreateDeploymentCommand({ restApiId, stageName: 'bench' }));
  c.destroy();
  return { gh, port, apiId: restApiId, dataDir };
}

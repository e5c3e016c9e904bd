// The Gatehouse of bench/execute/lambda-authorizer.bench.ts, in its own process: bench-api.ts's API (GET /mock,
// ANY /proxy/{proxy+} to the backend on PORT) plus the same two methods behind a Lambda TOKEN authorizer
// (GET /authz/mock, ANY /authz/proxy/{proxy+}), whose function allows everything for an hour. Prints {port, apiId}
// once the first (uncached) authorized request has passed, so every measured request hits the authorizer cache.
// Answers SIGUSR2 with its CPU time, as servers.ts does.
import * as AG from '@aws-sdk/client-api-gateway';
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { zipSync } from 'fflate';
import { request } from 'undici';
import { addMockMethod, addProxyMethod, startBenchGatehouse } from './bench-api.ts';
import { answerCpuSignals } from './bench-server.ts';

const backendPort = Number(process.argv[2]);
const { port, apiId } = await startBenchGatehouse(backendPort);
const endpoint = `http://127.0.0.1:${port}`;
const credentials = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'secret' };
const lambda = new LambdaClient({ endpoint, region: 'us-east-1', credentials });
const c = new AG.APIGatewayClient({ endpoint, region: 'us-east-1', credentials });
const code = `export const handler = async (event) => ({ principalId: 'bench', policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn.split('/')[0] + '/*' }] }, context: { user: 'bench', tier: 1 } });`;
await lambda.send(
  new CreateFunctionCommand({ FunctionName: 'bench-authorizer', Runtime: 'nodejs24.x', Role: 'arn:aws:iam::123456789012:role/r', Handler: 'index.handler', Code: { ZipFile: zipSync({ 'index.mjs': new TextEncoder().encode(code) }) } }),
);
await lambda.send(new AddPermissionCommand({ FunctionName: 'bench-authorizer', StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' }));
const authorizerId = (
  await c.send(
    new AG.CreateAuthorizerCommand({
      restApiId: apiId,
      name: 'bench',
      type: 'TOKEN',
      authorizerUri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:bench-authorizer/invocations',
      identitySource: 'method.request.header.Authorization',
      authorizerResultTtlInSeconds: 3600,
    }),
  )
).id!;
const resources = (await c.send(new AG.GetResourcesCommand({ restApiId: apiId }))).items!;
const root = resources.find((r) => r.path === '/')!.id!;
const authz = (await c.send(new AG.CreateResourceCommand({ restApiId: apiId, parentId: root, pathPart: 'authz' }))).id!;
const method = { authorizationType: 'CUSTOM', authorizerId };
await addMockMethod(c, apiId, authz, 'mock', method);
await addProxyMethod(c, apiId, authz, 'proxy', backendPort, method);
await c.send(new AG.CreateDeploymentCommand({ restApiId: apiId, stageName: 'bench' }));
c.destroy();
lambda.destroy();
// The one uncached decision, before anything is measured.
const first = await request(`${endpoint}/bench/authz/mock`, { headers: { host: `${apiId}.execute-api.us-east-1.amazonaws.com`, authorization: 'allow' } });
await first.body.text();
if (first.statusCode !== 200) throw new Error(`the authorized request answered ${first.statusCode}`);
process.stdout.write(`${JSON.stringify({ port, apiId })}\n`);

answerCpuSignals();

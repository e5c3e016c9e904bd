// The Gatehouse of bench/execute/aws-integration.bench.ts, in its own process: bench-api.ts's API plus two methods
// reading the same DynamoDB item from dynalite on PORT with the same request and response templates —
// GET /aws (an AWS integration, `dynamodb:action/GetItem` with a role of Gatehouse's IAM: signed for each request)
// and GET /http (an HTTP integration POSTing to the same endpoint with X-Amz-Target and a fixed Authorization
// mapped as static headers). Prints {port, apiId}; answers SIGUSR2 with its CPU time, as servers.ts does.
import * as AG from '@aws-sdk/client-api-gateway';
import * as IAM from '@aws-sdk/client-iam';
import { startBenchGatehouse } from './bench-api.ts';
import { answerCpuSignals } from './bench-server.ts';

const dynalitePort = Number(process.argv[2]);
const endpointUrl = `http://127.0.0.1:${dynalitePort}`;
const { port, apiId } = await startBenchGatehouse(undefined, { awsEndpointUrls: { AWS_ENDPOINT_URL_DYNAMODB: endpointUrl } });
const endpoint = `http://127.0.0.1:${port}`;
const credentials = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'secret' };
const iam = new IAM.IAMClient({ endpoint, region: 'us-east-1', credentials });
const role = await iam.send(
  new IAM.CreateRoleCommand({
    RoleName: 'bench-dynamodb',
    AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
  }),
);
iam.destroy();
const c = new AG.APIGatewayClient({ endpoint, region: 'us-east-1', credentials });
const root = (await c.send(new AG.GetResourcesCommand({ restApiId: apiId }))).items!.find((r) => r.path === '/')!.id!;
const template = { 'application/json': '{"TableName": "Bench", "Key": {"id": {"S": "k1"}}}' };
const response = { 'application/json': '{"name": "$input.path(\'$.Item.name.S\')"}' };
const integrations: Record<string, Omit<AG.PutIntegrationCommandInput, 'restApiId' | 'resourceId' | 'httpMethod'>> = {
  aws: { type: 'AWS', integrationHttpMethod: 'POST', uri: 'arn:aws:apigateway:us-east-1:dynamodb:action/GetItem', credentials: role.Role!.Arn!, requestTemplates: template },
  http: {
    type: 'HTTP',
    integrationHttpMethod: 'POST',
    uri: `${endpointUrl}/`,
    requestTemplates: template,
    requestParameters: {
      'integration.request.header.X-Amz-Target': "'DynamoDB_20120810.GetItem'",
      'integration.request.header.Content-Type': "'application/x-amz-json-1.0'",
      'integration.request.header.X-Amz-Date': "'20260101T000000Z'",
      'integration.request.header.Authorization': "'AWS4-HMAC-SHA256 Credential=AKIDBENCH/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00'",
    },
  },
};
for (const [pathPart, integration] of Object.entries(integrations)) {
  const resourceId = (await c.send(new AG.CreateResourceCommand({ restApiId: apiId, parentId: root, pathPart }))).id!;
  await c.send(new AG.PutMethodCommand({ restApiId: apiId, resourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
  await c.send(new AG.PutIntegrationCommand({ restApiId: apiId, resourceId, httpMethod: 'GET', ...integration }));
  await c.send(new AG.PutMethodResponseCommand({ restApiId: apiId, resourceId, httpMethod: 'GET', statusCode: '200' }));
  await c.send(new AG.PutIntegrationResponseCommand({ restApiId: apiId, resourceId, httpMethod: 'GET', statusCode: '200', responseTemplates: response }));
}
await c.send(new AG.CreateDeploymentCommand({ restApiId: apiId, stageName: 'bench' }));
c.destroy();
process.stdout.write(`${JSON.stringify({ port, apiId })}\n`);

answerCpuSignals();

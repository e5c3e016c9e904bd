// Builds a REST API that AWS would accept for deployment (a GET method with a MOCK integration on the root and on
// /pets), for the deployment, stage, usage-plan and tag tests.
import {
  type APIGatewayClient,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  PutIntegrationCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway';

export interface DeployableApi {
  apiId: string;
  rootId: string;
  petsId: string;
}

export async function deployableApi(c: APIGatewayClient, name = 'deployable'): Promise<DeployableApi> {
  const api = await c.send(new CreateRestApiCommand({ name }));
  const apiId = api.id!;
  const rootId = api.rootResourceId!;
  const pets = await c.send(new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: 'pets' }));
  for (const resourceId of [rootId, pets.id!]) {
    await c.send(new PutMethodCommand({ restApiId: apiId, resourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
    await c.send(
      new PutIntegrationCommand({
        restApiId: apiId,
        resourceId,
        httpMethod: 'GET',
        type: 'MOCK',
        requestTemplates: { 'application/json': '{"statusCode": 200}' },
      }),
    );
  }
  return { apiId, rootId, petsId: pets.id! };
}

/** A deployed API with stage `stageName`. */
export async function deployedApi(c: APIGatewayClient, stageName = 'dev'): Promise<DeployableApi & { deploymentId: string }> {
  const api = await deployableApi(c);
  const d = await c.send(new CreateDeploymentCommand({ restApiId: api.apiId, stageName }));
  return { ...api, deploymentId: d.id! };
}

/** Runs `fn` and returns the AWS error it throws (fails if it does not throw). */
export async function awsError(fn: () => Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await fn();
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected an AWS error, but the call succeeded');
}

// The REST API the Lambda benchmarks call: GET /pets/{id} → AWS_PROXY → a function (`bench` unless named), deployed
// to `prod`; the API is named after the function.
import * as AG from '@aws-sdk/client-api-gateway';

export async function deployPetsProxyApi(ag: AG.APIGatewayClient, fn = 'bench'): Promise<string> {
  const restApiId = (await ag.send(new AG.CreateRestApiCommand({ name: fn }))).id!;
  const root = (await ag.send(new AG.GetResourcesCommand({ restApiId }))).items!.find((r) => r.path === '/')!.id!;
  const pets = (await ag.send(new AG.CreateResourceCommand({ restApiId, parentId: root, pathPart: 'pets' }))).id!;
  const pet = (await ag.send(new AG.CreateResourceCommand({ restApiId, parentId: pets, pathPart: '{id}' }))).id!;
  await ag.send(new AG.PutMethodCommand({ restApiId, resourceId: pet, httpMethod: 'GET', authorizationType: 'NONE' }));
  await ag.send(
    new AG.PutIntegrationCommand({
      restApiId,
      resourceId: pet,
      httpMethod: 'GET',
      type: 'AWS_PROXY',
      integrationHttpMethod: 'POST',
      uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${fn}/invocations`,
    }),
  );
  await ag.send(new AG.CreateDeploymentCommand({ restApiId, stageName: 'prod' }));
  return restApiId;
}

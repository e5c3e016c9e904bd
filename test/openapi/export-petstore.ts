// The PetStore API of LocalStack's tests/aws/files/petstore-swagger.json, built through the SDK call by call, so
// its export can be compared with the export AWS recorded for the same API after importing that file
// (tests/aws/services/apigateway/test_apigateway_extended.snapshot.json, test_export_swagger_openapi and
// test_export_oas30_openapi[TEST_IMPORT_PETSTORE_SWAGGER]). `recordedPetStoreExport` is that recording's body with
// its placeholders filled in; only facts are kept (the structure AWS answered), not LocalStack's code.
import {
  type APIGatewayClient,
  CreateModelCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  DeleteModelCommand,
  GetModelsCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  UpdateModelCommand,
} from '@aws-sdk/client-api-gateway';

export const PETSTORE_DESCRIPTION =
  'Your first API with Amazon API Gateway. This is a sample API that integrates via HTTP with our demo Pet Store endpoints';
export const BACKEND = 'http://petstore.execute-api.us-east-1.amazonaws.com/petstore/pets';
export const HTML = '<html><body><h1>Welcome to your Pet Store API</h1></body></html>';
const MOCK_TEMPLATE = { 'application/json': '{"statusCode": 200}' };
const CORS = "'Content-Type,X-Amz-Date,Authorization,X-Api-Key'";

export async function buildPetStore(c: APIGatewayClient): Promise<string> {
  const api = await c.send(new CreateRestApiCommand({ name: 'PetStore', description: PETSTORE_DESCRIPTION }));
  const restApiId = api.id!;
  const url = (name: string) => `https://apigateway.amazonaws.com/restapis/${restApiId}/models/${name}`;
  // AWS's import created only the file's models: drop the default Error model, make Empty the file's.
  await c.send(new DeleteModelCommand({ restApiId, modelName: 'Error' }));
  await c.send(new UpdateModelCommand({ restApiId, modelName: 'Empty', patchOperations: [{ op: 'replace', path: '/schema', value: '{"type":"object"}' }] }));
  const model = (name: string, schema: unknown) =>
    c.send(new CreateModelCommand({ restApiId, name, contentType: 'application/json', schema: JSON.stringify(schema) }));
  await model('Pet', { type: 'object', properties: { id: { type: 'integer' }, type: { type: 'string' }, price: { type: 'number' } } });
  await model('PetType', { type: 'string', enum: ['dog', 'cat', 'fish', 'bird', 'gecko'] });
  await model('Pets', { type: 'array', items: { $ref: url('Pet') } });
  await model('NewPetResponse', { type: 'object', properties: { pet: { $ref: url('Pet') }, message: { type: 'string' } } });
  await model('NewPet', { type: 'object', properties: { type: { $ref: url('PetType') }, price: { type: 'number' } } });

  const root = api.rootResourceId!;
  const pets = (await c.send(new CreateResourceCommand({ restApiId, parentId: root, pathPart: 'pets' }))).id!;
  const pet = (await c.send(new CreateResourceCommand({ restApiId, parentId: pets, pathPart: '{petId}' }))).id!;

  interface Spec {
    resourceId: string;
    httpMethod: string;
    operationName?: string;
    requestParameters?: Record<string, boolean>;
    requestModels?: Record<string, string>;
    responseHeaders: string[];
    responseModel?: string;
    integration: { type: 'MOCK' | 'HTTP'; httpMethod?: string; uri?: string; requestParameters?: Record<string, string> };
    integrationResponseParameters: Record<string, string>;
    responseTemplates?: Record<string, string>;
  }
  const origin = 'Access-Control-Allow-Origin';
  const specs: Spec[] = [
    {
      resourceId: root, httpMethod: 'GET', responseHeaders: ['Content-Type'], integration: { type: 'MOCK' },
      integrationResponseParameters: { 'method.response.header.Content-Type': "'text/html'" }, responseTemplates: { 'text/html': HTML },
    },
    {
      resourceId: pets, httpMethod: 'GET',
      requestParameters: { 'method.request.querystring.type': false, 'method.request.querystring.page': false },
      responseHeaders: [origin], responseModel: 'Pets',
      integration: {
        type: 'HTTP', httpMethod: 'GET', uri: BACKEND,
        requestParameters: { 'integration.request.querystring.page': 'method.request.querystring.page', 'integration.request.querystring.type': 'method.request.querystring.type' },
      },
      integrationResponseParameters: { [`method.response.header.${origin}`]: "'*'" },
    },
    {
      resourceId: pets, httpMethod: 'POST', operationName: 'CreatePet', requestModels: { 'application/json': 'NewPet' },
      responseHeaders: [origin], responseModel: 'NewPetResponse', integration: { type: 'HTTP', httpMethod: 'POST', uri: BACKEND },
      integrationResponseParameters: { [`method.response.header.${origin}`]: "'*'" },
    },
    {
      resourceId: pets, httpMethod: 'OPTIONS', responseHeaders: [origin, 'Access-Control-Allow-Methods', 'Access-Control-Allow-Headers'], responseModel: 'Empty',
      integration: { type: 'MOCK' },
      integrationResponseParameters: {
        'method.response.header.Access-Control-Allow-Methods': "'POST,GET,OPTIONS'",
        'method.response.header.Access-Control-Allow-Headers': CORS,
        [`method.response.header.${origin}`]: "'*'",
      },
    },
    {
      resourceId: pet, httpMethod: 'GET', operationName: 'GetPet', requestParameters: { 'method.request.path.petId': true },
      responseHeaders: [origin], responseModel: 'Pet',
      integration: { type: 'HTTP', httpMethod: 'GET', uri: `${BACKEND}/{petId}`, requestParameters: { 'integration.request.path.petId': 'method.request.path.petId' } },
      integrationResponseParameters: { [`method.response.header.${origin}`]: "'*'" },
    },
    {
      resourceId: pet, httpMethod: 'OPTIONS', requestParameters: { 'method.request.path.petId': true },
      responseHeaders: [origin, 'Access-Control-Allow-Methods', 'Access-Control-Allow-Headers'], responseModel: 'Empty', integration: { type: 'MOCK' },
      integrationResponseParameters: {
        'method.response.header.Access-Control-Allow-Methods': "'GET,OPTIONS'",
        'method.response.header.Access-Control-Allow-Headers': CORS,
        [`method.response.header.${origin}`]: "'*'",
      },
    },
  ];
  for (const s of specs) {
    const base = { restApiId, resourceId: s.resourceId, httpMethod: s.httpMethod };
    await c.send(new PutMethodCommand({
      ...base, authorizationType: 'NONE', operationName: s.operationName, requestParameters: s.requestParameters, requestModels: s.requestModels,
    }));
    await c.send(new PutMethodResponseCommand({
      ...base, statusCode: '200',
      responseParameters: Object.fromEntries(s.responseHeaders.map((h) => [`method.response.header.${h}`, false])),
      responseModels: s.responseModel ? { 'application/json': s.responseModel } : undefined,
    }));
    await c.send(new PutIntegrationCommand({
      ...base, type: s.integration.type, integrationHttpMethod: s.integration.httpMethod, uri: s.integration.uri,
      requestParameters: s.integration.requestParameters, requestTemplates: s.integration.type === 'MOCK' ? MOCK_TEMPLATE : undefined,
      passthroughBehavior: 'WHEN_NO_MATCH',
    }));
    await c.send(new PutIntegrationResponseCommand({
      ...base, statusCode: '200', responseParameters: s.integrationResponseParameters, responseTemplates: s.responseTemplates,
    }));
  }
  const models = await c.send(new GetModelsCommand({ restApiId }));
  if (models.items?.length !== 6) throw new Error('PetStore fixture: expected 6 models');
  return restApiId;
}

export const PETS_BACKEND = 'http://petstore-demo-endpoint.execute-api.com/petstore/pets';

/**
 * The "Simple PetStore (Swagger)" API of LocalStack's tests/aws/files/pets.json (a version, two binary media types,
 * two HTTP GET methods, no models), recorded by AWS in the same snapshot file under [TEST_IMPORT_PETS].
 */
export async function buildSimplePets(c: APIGatewayClient): Promise<string> {
  const api = await c.send(new CreateRestApiCommand({ name: 'Simple PetStore (Swagger)', version: '1.0.0', binaryMediaTypes: ['image/png', 'image/jpg'] }));
  const restApiId = api.id!;
  for (const modelName of ['Empty', 'Error']) await c.send(new DeleteModelCommand({ restApiId, modelName }));
  const pets = (await c.send(new CreateResourceCommand({ restApiId, parentId: api.rootResourceId!, pathPart: 'pets' }))).id!;
  const pet = (await c.send(new CreateResourceCommand({ restApiId, parentId: pets, pathPart: '{petId}' }))).id!;
  for (const [resourceId, uri, withId] of [[pets, PETS_BACKEND, false], [pet, `${PETS_BACKEND}/{id}`, true]] as const) {
    const base = { restApiId, resourceId, httpMethod: 'GET' };
    await c.send(new PutMethodCommand({ ...base, authorizationType: 'NONE', requestParameters: withId ? { 'method.request.path.petId': true } : undefined }));
    await c.send(new PutMethodResponseCommand({ ...base, statusCode: '200' }));
    await c.send(new PutIntegrationCommand({
      ...base, type: 'HTTP', integrationHttpMethod: 'GET', uri, passthroughBehavior: 'WHEN_NO_MATCH',
      requestParameters: withId ? { 'integration.request.path.id': 'method.request.path.petId' } : undefined,
    }));
    await c.send(new PutIntegrationResponseCommand({ ...base, statusCode: '200' }));
  }
  return restApiId;
}

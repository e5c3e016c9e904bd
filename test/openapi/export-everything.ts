// An API built through the SDK with every setting an export carries: integrations of every type (MOCK, HTTP,
// HTTP_PROXY over a VPC link, AWS, AWS_PROXY), the three authorizer kinds, AWS_IAM and API keys, a request
// validator, models referring to each other, gateway responses, a resource policy, binary media types, the
// AUTHORIZER key source, a compression threshold, an ANY method and a documentation version on the stage.
import {
  type APIGatewayClient,
  CreateAuthorizerCommand,
  CreateDeploymentCommand,
  CreateDocumentationPartCommand,
  CreateDocumentationVersionCommand,
  CreateModelCommand,
  CreateRequestValidatorCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  PutGatewayResponseCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
} from '@aws-sdk/client-api-gateway';

export const FN = (name: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${name}/invocations`;
export const POOL = 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abcDEF123';
export const ROLE = 'arn:aws:iam::123456789012:role/apigw';
export const POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' }],
};

export interface Everything {
  apiId: string;
  ids: { token: string; request: string; pool: string; validator: string; items: string; item: string };
}

export async function buildEverything(c: APIGatewayClient, stageName: string): Promise<Everything> {
  const api = await c.send(new CreateRestApiCommand({
    name: 'Everything', description: 'Every exported setting', version: '2.1', binaryMediaTypes: ['image/png', 'application/octet-stream'],
    apiKeySource: 'AUTHORIZER', minimumCompressionSize: 1024, policy: JSON.stringify(POLICY), endpointConfiguration: { types: ['REGIONAL'] },
  }));
  const restApiId = api.id!;
  const token = (await c.send(new CreateAuthorizerCommand({
    restApiId, name: 'TokenAuth', type: 'TOKEN', authorizerUri: FN('token'), identitySource: 'method.request.header.X-Token',
    identityValidationExpression: '^Bearer .+$', authorizerResultTtlInSeconds: 60,
  }))).id!;
  const request = (await c.send(new CreateAuthorizerCommand({
    restApiId, name: 'ReqAuth', type: 'REQUEST', authorizerUri: FN('request'), authorizerCredentials: ROLE,
    identitySource: 'method.request.header.A, method.request.querystring.b', authorizerResultTtlInSeconds: 300,
  }))).id!;
  const pool = (await c.send(new CreateAuthorizerCommand({
    restApiId, name: 'Pool', type: 'COGNITO_USER_POOLS', providerARNs: [POOL], identitySource: 'method.request.header.Authorization',
  }))).id!;
  const validator = (await c.send(new CreateRequestValidatorCommand({ restApiId, name: 'body-only', validateRequestBody: true, validateRequestParameters: false }))).id!;
  const url = (name: string) => `https://apigateway.amazonaws.com/restapis/${restApiId}/models/${name}`;
  await c.send(new CreateModelCommand({ restApiId, name: 'Tag', contentType: 'application/json', schema: JSON.stringify({ type: 'string', maxLength: 20 }) }));
  await c.send(new CreateModelCommand({
    restApiId, name: 'Item', contentType: 'application/json',
    schema: JSON.stringify({ $schema: 'http://json-schema.org/draft-04/schema#', title: 'Item', type: 'object', required: ['name'], properties: { name: { type: 'string' }, tags: { type: 'array', items: { $ref: url('Tag') } } } }),
  }));
  await c.send(new PutGatewayResponseCommand({ restApiId, responseType: 'DEFAULT_4XX', responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" } }));
  await c.send(new PutGatewayResponseCommand({ restApiId, responseType: 'UNAUTHORIZED', statusCode: '401', responseTemplates: { 'application/json': '{"error":"$context.error.messageString"}' } }));

  const root = api.rootResourceId!;
  const items = (await c.send(new CreateResourceCommand({ restApiId, parentId: root, pathPart: 'items' }))).id!;
  const item = (await c.send(new CreateResourceCommand({ restApiId, parentId: items, pathPart: '{id}' }))).id!;
  const health = (await c.send(new CreateResourceCommand({ restApiId, parentId: root, pathPart: 'health' }))).id!;

  // GET /items: AWS_IAM + API key, HTTP_PROXY over a VPC link named by a stage variable, 5 s timeout.
  await c.send(new PutMethodCommand({ restApiId, resourceId: items, httpMethod: 'GET', authorizationType: 'AWS_IAM', apiKeyRequired: true, requestParameters: { 'method.request.header.X-Trace': false, 'method.request.querystring.limit': true } }));
  await c.send(new PutIntegrationCommand({
    restApiId, resourceId: items, httpMethod: 'GET', type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: 'http://backend.internal/items',
    connectionType: 'VPC_LINK', connectionId: '${stageVariables.vpcLinkId}', timeoutInMillis: 5000,
    requestParameters: { 'integration.request.querystring.limit': 'method.request.querystring.limit' },
  }));
  // POST /items: TOKEN authorizer, body validation against Item, AWS_PROXY Lambda.
  await c.send(new PutMethodCommand({
    restApiId, resourceId: items, httpMethod: 'POST', authorizationType: 'CUSTOM', authorizerId: token, requestValidatorId: validator,
    operationName: 'CreateItem', requestModels: { 'application/json': 'Item' },
  }));
  await c.send(new PutMethodResponseCommand({ restApiId, resourceId: items, httpMethod: 'POST', statusCode: '201', responseModels: { 'application/json': 'Item' }, responseParameters: { 'method.response.header.Location': true } }));
  await c.send(new PutIntegrationCommand({ restApiId, resourceId: items, httpMethod: 'POST', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: FN('items'), contentHandling: 'CONVERT_TO_TEXT' }));
  // ANY /items/{id}: Cognito with scopes, HTTP with cache keys, TLS check off, two integration responses.
  await c.send(new PutMethodCommand({
    restApiId, resourceId: item, httpMethod: 'ANY', authorizationType: 'COGNITO_USER_POOLS', authorizerId: pool, authorizationScopes: ['items/read'],
    requestParameters: { 'method.request.path.id': true },
  }));
  await c.send(new PutMethodResponseCommand({ restApiId, resourceId: item, httpMethod: 'ANY', statusCode: '200' }));
  await c.send(new PutMethodResponseCommand({ restApiId, resourceId: item, httpMethod: 'ANY', statusCode: '404', responseModels: { 'application/json': 'Error' } }));
  await c.send(new PutIntegrationCommand({
    restApiId, resourceId: item, httpMethod: 'ANY', type: 'HTTP', integrationHttpMethod: 'ANY', uri: 'https://backend.example.com/items/{id}',
    requestParameters: { 'integration.request.path.id': 'method.request.path.id' }, cacheKeyParameters: ['method.request.path.id'],
    tlsConfig: { insecureSkipVerification: true }, passthroughBehavior: 'WHEN_NO_TEMPLATES',
    requestTemplates: { 'application/json': '{"id":"$input.params(\'id\')"}' },
  }));
  await c.send(new PutIntegrationResponseCommand({ restApiId, resourceId: item, httpMethod: 'ANY', statusCode: '200' }));
  await c.send(new PutIntegrationResponseCommand({
    restApiId, resourceId: item, httpMethod: 'ANY', statusCode: '404', selectionPattern: '4\\d{2}',
    responseTemplates: { 'application/json': '{"message":"not found"}' }, contentHandling: 'CONVERT_TO_TEXT',
  }));
  // DELETE /items/{id}: REQUEST authorizer, AWS service integration with a role.
  await c.send(new PutMethodCommand({ restApiId, resourceId: item, httpMethod: 'DELETE', authorizationType: 'CUSTOM', authorizerId: request, requestParameters: { 'method.request.path.id': true } }));
  await c.send(new PutIntegrationCommand({
    restApiId, resourceId: item, httpMethod: 'DELETE', type: 'AWS', integrationHttpMethod: 'POST', credentials: ROLE,
    uri: 'arn:aws:apigateway:us-east-1:dynamodb:action/DeleteItem', requestTemplates: { 'application/json': '{"TableName":"items"}' },
  }));
  await c.send(new PutMethodResponseCommand({ restApiId, resourceId: item, httpMethod: 'DELETE', statusCode: '204' }));
  await c.send(new PutIntegrationResponseCommand({ restApiId, resourceId: item, httpMethod: 'DELETE', statusCode: '204' }));
  // GET /health: MOCK.
  await c.send(new PutMethodCommand({ restApiId, resourceId: health, httpMethod: 'GET', authorizationType: 'NONE' }));
  await c.send(new PutMethodResponseCommand({ restApiId, resourceId: health, httpMethod: 'GET', statusCode: '200', responseModels: { 'application/json': 'Empty' } }));
  await c.send(new PutIntegrationCommand({ restApiId, resourceId: health, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  await c.send(new PutIntegrationResponseCommand({ restApiId, resourceId: health, httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': '{"ok":true}' } }));

  await c.send(new CreateDeploymentCommand({ restApiId, stageName }));
  await c.send(new CreateDocumentationPartCommand({ restApiId, location: { type: 'API' }, properties: JSON.stringify({ description: 'Everything, documented' }) }));
  await c.send(new CreateDocumentationPartCommand({ restApiId, location: { type: 'METHOD', path: '/items', method: 'GET' }, properties: JSON.stringify({ summary: 'List items' }) }));
  await c.send(new CreateDocumentationVersionCommand({ restApiId, documentationVersion: 'v1', stageName }));
  return { apiId: restApiId, ids: { token, request, pool, validator, items, item } };
}

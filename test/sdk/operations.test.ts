// What a generated client offers, read from a deployment snapshot: function names in API Gateway's
// `{path}{Verb}` style, parameters, models; ANY methods left out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { functionNameOf, operationsOf } from '../../src/sdk/operations.ts';
import { generateJavaScriptSdk } from '../../src/sdk/javascript/generate.ts';
import type { DeploymentSnapshot } from '../../src/store/entities.ts';

test('function names: path words capitalised and joined, then the verb', () => {
  assert.equal(functionNameOf('/', 'GET'), 'rootGet');
  assert.equal(functionNameOf('/pets', 'POST'), 'petsPost');
  assert.equal(functionNameOf('/pets/{petId}', 'GET'), 'petsPetIdGet');
  assert.equal(functionNameOf('/my-items/{item_id}/v2.json', 'DELETE'), 'myItemsItemIdV2JsonDelete');
  assert.equal(functionNameOf('/files/{proxy+}', 'OPTIONS'), 'filesProxyOptions');
  assert.equal(functionNameOf('/2024/report', 'GET'), '_2024ReportGet');
});

test('operations: one per method except ANY, numbered when two paths spell the same name', () => {
  const method = (httpMethod: string, extra: object = {}) => ({ httpMethod, ...extra });
  const snapshot = {
    restApi: { id: 'a', name: 'x' },
    models: [],
    requestValidators: [],
    authorizers: [],
    gatewayResponses: [],
    resources: [
      { id: '1', path: '/', resourceMethods: { ANY: method('ANY') } },
      { id: '2', path: '/a-b', resourceMethods: { GET: method('GET') } },
      { id: '3', path: '/aB', resourceMethods: { GET: method('GET') } },
      {
        id: '4',
        path: '/pets/{petId}',
        resourceMethods: {
          PUT: method('PUT', {
            authorizationType: 'AWS_IAM',
            apiKeyRequired: true,
            requestParameters: { 'method.request.querystring.dry': true, 'method.request.header.X-Trace': false, 'method.request.path.petId': true },
            requestModels: { 'application/json': 'Pet' },
            methodResponses: { '201': { statusCode: '201', responseModels: { 'application/json': 'Created' } }, '400': { statusCode: '400', responseModels: { 'application/json': 'Error' } } },
          }),
        },
      },
    ],
  } as unknown as DeploymentSnapshot;
  assert.deepEqual(operationsOf(snapshot), [
    { functionName: 'aBGet', path: '/a-b', verb: 'GET', authorizationType: 'NONE', apiKeyRequired: false, pathParameters: [], queryParameters: [], headerParameters: [] },
    { functionName: 'aBGet2', path: '/aB', verb: 'GET', authorizationType: 'NONE', apiKeyRequired: false, pathParameters: [], queryParameters: [], headerParameters: [] },
    {
      functionName: 'petsPetIdPut',
      path: '/pets/{petId}',
      verb: 'PUT',
      authorizationType: 'AWS_IAM',
      apiKeyRequired: true,
      pathParameters: [{ name: 'petId', required: true }],
      queryParameters: [{ name: 'dry', required: true }],
      headerParameters: [{ name: 'X-Trace', required: false }],
      requestModel: 'Pet',
      responseModel: 'Created',
    },
  ]);
});

test('an API with only ANY methods gets no apigClient.js, as API Gateway generates it', () => {
  const target = { apiId: 'a', apiName: 'x', stageName: 's', region: 'us-east-1', invokeUrl: 'http://localhost/restapis/a/s/_user_request_' };
  const files = generateJavaScriptSdk(target, []);
  assert.equal(files['apiGateway-js-sdk/apigClient.js'], undefined);
  assert.ok(files['apiGateway-js-sdk/README.md']!.includes('there is no apigClient.js'));
  assert.ok(!files['apiGateway-js-sdk/node.cjs']!.includes('apigClient.js'));
});

// ImportRestApi and PutRestApi through the AWS SDK. Expected shapes: AWS recordings in localstack's
// tests/aws/services/apigateway/test_apigateway_import.snapshot.json (the definitions here are modelled on the
// files those tests import), and AWS's error texts quoted in the modules of src/openapi/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as ag from '@aws-sdk/client-api-gateway';
import { type Running, startGatehouse } from '../helpers/gatehouse.ts';
import { body, rejectsWith } from '../control/rest-api-helpers.ts';
import { invoke, startEcho, type EchoServer } from '../execute/helpers.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runAws } from '../helpers/aws-cli.ts';
import { tempDataDir } from '../helpers/temp.ts';

let gh: Running;
let c: ag.APIGatewayClient;
let echo: EchoServer;
before(async () => {
  gh = await startGatehouse();
  c = gh.apigateway;
  echo = await startEcho();
});
after(async () => {
  await echo.close();
  await gh.stop();
});

const enc = (doc: unknown) => Buffer.from(typeof doc === 'string' ? doc : JSON.stringify(doc));
const importApi = (doc: unknown, extra: Partial<ag.ImportRestApiCommandInput> = {}) =>
  c.send(new ag.ImportRestApiCommand({ body: enc(doc), ...extra }));

async function resources(apiId: string) {
  const out = await c.send(new ag.GetResourcesCommand({ restApiId: apiId, limit: 500 }));
  return Object.fromEntries(out.items!.map((r) => [r.path!, r]));
}
const method = (restApiId: string, resourceId: string, httpMethod: string) =>
  c.send(new ag.GetMethodCommand({ restApiId, resourceId, httpMethod })).then(body);

const PETSTORE = {
  swagger: '2.0',
  info: { title: 'PetStore', version: '1.0', description: 'Pets via HTTP' },
  schemes: ['https'],
  paths: {
    '/': {
      get: {
        produces: ['text/html'],
        responses: { '200': { description: 'ok', headers: { 'Content-Type': { type: 'string' } } } },
        security: [{ 'test-authorizer': [] }],
        'x-amazon-apigateway-integration': {
          type: 'mock',
          passthroughBehavior: 'when_no_match',
          requestTemplates: { 'application/json': '{"statusCode": 200}' },
          responses: {
            default: { statusCode: '200', responseParameters: { 'method.response.header.Content-Type': "'text/html'" }, responseTemplates: { 'text/html': '<html>$context.stage</html>' } },
          },
        },
      },
    },
    '/pets': {
      get: {
        produces: ['application/json'],
        parameters: [
          { name: 'type', in: 'query', required: false, type: 'string' },
          { name: 'page', in: 'query', required: false, type: 'string' },
        ],
        responses: { '200': { description: 'ok', schema: { $ref: '#/definitions/Pets' }, headers: { 'Access-Control-Allow-Origin': { type: 'string' } } } },
        security: [{ 'test-authorizer': [] }],
        'x-amazon-apigateway-integration': {
          type: 'http',
          httpMethod: 'GET',
          uri: 'http://petstore.example.com/petstore/pets',
          passthroughBehavior: 'when_no_match',
          requestParameters: { 'integration.request.querystring.page': 'method.request.querystring.page', 'integration.request.querystring.type': 'method.request.querystring.type' },
          responses: { default: { statusCode: '200', responseParameters: { 'method.response.header.Access-Control-Allow-Origin': "'*'" } } },
        },
      },
      post: {
        operationId: 'CreatePet',
        consumes: ['application/json'],
        produces: ['application/json'],
        parameters: [{ in: 'body', name: 'NewPet', required: true, schema: { $ref: '#/definitions/NewPet' } }],
        responses: { '200': { description: 'ok', schema: { $ref: '#/definitions/NewPetResponse' }, headers: { 'Access-Control-Allow-Origin': { type: 'string' } } } },
        'x-amazon-apigateway-integration': {
          type: 'http',
          httpMethod: 'POST',
          uri: 'http://petstore.example.com/petstore/pets',
          passthroughBehavior: 'when_no_match',
          responses: { default: { statusCode: '200', responseParameters: { 'method.response.header.Access-Control-Allow-Origin': "'*'" } } },
        },
      },
    },
    '/pets/{petId}': {
      get: {
        operationId: 'GetPet',
        parameters: [{ name: 'petId', in: 'path', required: true, type: 'string' }],
        responses: { '200': { description: 'ok', schema: { $ref: '#/definitions/Pet' } } },
        'x-amazon-apigateway-integration': {
          type: 'http',
          httpMethod: 'GET',
          uri: 'http://petstore.example.com/petstore/pets/{petId}',
          requestParameters: { 'integration.request.path.petId': 'method.request.path.petId' },
          responses: { default: { statusCode: '200' } },
        },
      },
    },
  },
  securityDefinitions: {
    'test-authorizer': {
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authtype': 'oauth2',
      'x-amazon-apigateway-authorizer': {
        type: 'token',
        authorizerUri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations',
        authorizerCredentials: 'arn:aws:iam::123456789012:role/invoker',
        identityValidationExpression: '^x-[a-z]+',
        authorizerResultTtlInSeconds: 60,
      },
    },
    'test-authorizer-not-used': {
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authtype': 'oauth2',
      'x-amazon-apigateway-authorizer': {
        type: 'token',
        authorizerUri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations',
      },
    },
  },
  definitions: {
    Pets: { type: 'array', items: { $ref: '#/definitions/Pet' } },
    Empty: { type: 'object' },
    NewPetResponse: { type: 'object', properties: { pet: { $ref: '#/definitions/Pet' }, message: { type: 'string' } } },
    Pet: { type: 'object', properties: { petid: { type: 'integer' }, type: { type: 'string' }, price: { type: 'number' } } },
    NewPet: { type: 'object', properties: { type: { $ref: '#/definitions/PetType' }, price: { type: 'number' } } },
    PetType: { type: 'string', enum: ['dog', 'cat', 'fish'] },
  },
};

describe('ImportRestApi: Swagger 2.0', () => {
  test('the API, its authorizers, models, resources and methods are as AWS imports them', async () => {
    const out = await importApi(PETSTORE, { failOnWarnings: true });
    assert.equal(out.$metadata.httpStatusCode, 201);
    const api = body(out);
    assert.equal(api.name, 'PetStore');
    assert.equal(api.description, 'Pets via HTTP');
    assert.equal(api.version, '1.0');
    assert.equal(api.apiKeySource, 'HEADER');
    assert.deepEqual(api.endpointConfiguration, { types: ['EDGE'], ipAddressType: 'ipv4' });
    assert.equal(api.warnings, undefined);
    assert.equal(api.tags, undefined);
    const id = api.id!;

    const authorizers = (await c.send(new ag.GetAuthorizersCommand({ restApiId: id }))).items!.sort((a, b) => a.name!.localeCompare(b.name!));
    assert.deepEqual(
      authorizers.map(({ id: _i, ...a }) => a),
      [
        {
          name: 'test-authorizer',
          type: 'TOKEN',
          authType: 'oauth2',
          authorizerUri: PETSTORE.securityDefinitions['test-authorizer']['x-amazon-apigateway-authorizer'].authorizerUri,
          authorizerCredentials: 'arn:aws:iam::123456789012:role/invoker',
          identitySource: 'method.request.header.Authorization',
          identityValidationExpression: '^x-[a-z]+',
          authorizerResultTtlInSeconds: 60,
        },
        {
          name: 'test-authorizer-not-used',
          type: 'TOKEN',
          authType: 'oauth2',
          authorizerUri: PETSTORE.securityDefinitions['test-authorizer']['x-amazon-apigateway-authorizer'].authorizerUri,
          identitySource: 'method.request.header.Authorization',
        },
      ],
    );

    const models = (await c.send(new ag.GetModelsCommand({ restApiId: id }))).items!;
    assert.deepEqual(models.map((m) => m.name).sort(), ['Empty', 'NewPet', 'NewPetResponse', 'Pet', 'PetType', 'Pets']);
    const pets = models.find((m) => m.name === 'Pets')!;
    assert.equal(pets.contentType, 'application/json');
    assert.deepEqual(JSON.parse(pets.schema!), { type: 'array', items: { $ref: `https://apigateway.amazonaws.com/restapis/${id}/models/Pet` } });
    // Written as API Gateway writes JSON (Jackson's pretty printer).
    assert.equal(models.find((m) => m.name === 'PetType')!.schema, '{\n  "type" : "string",\n  "enum" : [ "dog", "cat", "fish" ]\n}');

    const res = await resources(id);
    assert.deepEqual(Object.keys(res).sort(), ['/', '/pets', '/pets/{petId}']);
    assert.equal(res['/']!.id, api.rootResourceId);
    assert.deepEqual(res['/pets']!.resourceMethods, { GET: {}, POST: {} });

    const authorizerId = authorizers[0]!.id;
    assert.deepEqual(await method(id, res['/pets']!.id!, 'GET'), {
      httpMethod: 'GET',
      authorizationType: 'CUSTOM',
      authorizerId,
      apiKeyRequired: false,
      requestParameters: { 'method.request.querystring.page': false, 'method.request.querystring.type': false },
      methodResponses: {
        '200': { statusCode: '200', responseModels: { 'application/json': 'Pets' }, responseParameters: { 'method.response.header.Access-Control-Allow-Origin': false } },
      },
      methodIntegration: {
        type: 'HTTP',
        httpMethod: 'GET',
        uri: 'http://petstore.example.com/petstore/pets',
        connectionType: 'INTERNET',
        requestParameters: {
          'integration.request.querystring.page': 'method.request.querystring.page',
          'integration.request.querystring.type': 'method.request.querystring.type',
        },
        passthroughBehavior: 'WHEN_NO_MATCH',
        timeoutInMillis: 29000,
        cacheNamespace: res['/pets']!.id,
        cacheKeyParameters: [],
        integrationResponses: { '200': { statusCode: '200', responseParameters: { 'method.response.header.Access-Control-Allow-Origin': "'*'" } } },
      },
    });
    const post = await method(id, res['/pets']!.id!, 'POST');
    assert.equal(post.operationName, 'CreatePet');
    assert.equal(post.authorizationType, 'NONE');
    assert.deepEqual(post.requestModels, { 'application/json': 'NewPet' });
    const root = await method(id, api.rootResourceId!, 'GET');
    assert.equal(root.methodIntegration!.type, 'MOCK');
    assert.deepEqual(root.methodIntegration!.requestTemplates, { 'application/json': '{"statusCode": 200}' });
    assert.deepEqual(root.methodIntegration!.integrationResponses!['200']!.responseTemplates, { 'text/html': '<html>$context.stage</html>' });
    const pet = await method(id, res['/pets/{petId}']!.id!, 'GET');
    assert.deepEqual(pet.requestParameters, { 'method.request.path.petId': true });
  });

  test('YAML definitions import like JSON ones, anchors included', async () => {
    const yaml = [
      "swagger: '2.0'",
      'info: { title: yaml-api, version: "2" }',
      'x-mock: &mock',
      '  type: mock',
      '  requestTemplates: { application/json: "{\\"statusCode\\": 200}" }',
      '  responses: { default: { statusCode: 200 } }',
      'paths:',
      '  /a:',
      '    get:',
      '      responses: { 200: { description: ok } }',
      '      x-amazon-apigateway-integration: *mock',
      '  /b:',
      '    get:',
      '      responses: { 200: { description: ok } }',
      '      x-amazon-apigateway-integration: *mock',
    ].join('\n');
    const api = await importApi(yaml, { failOnWarnings: true });
    assert.equal(api.name, 'yaml-api');
    // A byte order mark and an unquoted `openapi: 3.0` (a YAML number) are accepted.
    const bom = await importApi(`\uFEFF${JSON.stringify({ swagger: '2.0', info: { title: 'bom', version: '1' }, paths: {} })}`);
    assert.equal(bom.name, 'bom');
    const three = await importApi('openapi: 3.0\ninfo: { title: three, version: "1" }\npaths: {}\n');
    assert.equal(three.name, 'three');
    assert.equal(api.version, '2');
    const res = await resources(api.id!);
    const m = await method(api.id!, res['/b']!.id!, 'GET');
    // Integer status codes are read as strings (recorded: test_import_with_integer_http_status_code).
    assert.deepEqual(m.methodResponses, { '200': { statusCode: '200' } });
    assert.deepEqual(m.methodIntegration!.integrationResponses, { '200': { statusCode: '200' } });
    // `<<` is an ordinary key, as for AWS's parser (Jackson has no merge keys): the integration below has no type.
    const merge = `${yaml}\n  /c:\n    get:\n      responses: { 200: { description: ok } }\n      x-amazon-apigateway-integration:\n        <<: *mock\n        passthroughBehavior: never\n`;
    await rejectsWith(importApi(merge), 'BadRequestException', 'Unable to parse API definition because of a malformed integration at path /c.', 400);
  });
});

describe('ImportRestApi: OpenAPI 3.0', () => {
  const CIRCULAR = {
    openapi: '3.0.2',
    info: { title: 'Circular model reference', version: '1.0' },
    'x-amazon-apigateway-request-validators': { basic: { validateRequestBody: true, validateRequestParameters: true } },
    'x-amazon-apigateway-request-validator': 'basic',
    paths: {
      '/person': {
        post: {
          operationId: 'CreatePerson',
          requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Person' } } }, required: true },
          responses: { '200': { description: 'Empty', content: { 'application/json': { schema: { $ref: '#/components/schemas/Empty' } } } } },
          'x-amazon-apigateway-integration': {
            type: 'mock',
            responses: { default: { statusCode: '200', responseTemplates: { 'application/json': '{"echo": $input.json(\'$\'), "response": "mocked"}' } } },
            requestTemplates: { 'application/json': '{"statusCode": 200}' },
            passthroughBehavior: 'when_no_templates',
          },
        },
      },
    },
    components: {
      schemas: {
        Person: {
          type: 'object',
          description: 'Random person schema.',
          properties: { name: { type: 'string' }, b: { type: 'number' }, house: { $ref: '#/components/schemas/House' } },
          required: ['name', 'b'],
        },
        House: {
          type: 'object',
          description: 'Where a Person can live',
          properties: { contains: { type: 'array', items: { $ref: '#/components/schemas/Person' }, minItems: 1 } },
        },
        Empty: { title: 'Empty Schema', type: 'object' },
      },
    },
  };

  test('circular models, request models and validators import; the deployed API validates bodies against them', async () => {
    const api = await importApi(CIRCULAR, { failOnWarnings: true });
    const id = api.id!;
    const models = (await c.send(new ag.GetModelsCommand({ restApiId: id }))).items!;
    const person = models.find((m) => m.name === 'Person')!;
    assert.equal(person.description, 'Random person schema.');
    assert.equal(JSON.parse(person.schema!).properties.house.$ref, `https://apigateway.amazonaws.com/restapis/${id}/models/House`);
    assert.equal(JSON.parse(models.find((m) => m.name === 'House')!.schema!).properties.contains.items.$ref, `https://apigateway.amazonaws.com/restapis/${id}/models/Person`);
    const validators = (await c.send(new ag.GetRequestValidatorsCommand({ restApiId: id }))).items!;
    assert.deepEqual(validators.map(({ id: _i, ...v }) => v), [{ name: 'basic', validateRequestBody: true, validateRequestParameters: true }]);
    const res = await resources(id);
    const m = await method(id, res['/person']!.id!, 'POST');
    assert.equal(m.requestValidatorId, validators[0]!.id);
    assert.deepEqual(m.requestModels, { 'application/json': 'Person' });
    assert.equal(m.operationName, 'CreatePerson');
    assert.deepEqual(m.methodResponses, { '200': { statusCode: '200', responseModels: { 'application/json': 'Empty' } } });

    await c.send(new ag.CreateDeploymentCommand({ restApiId: id, stageName: 'dev' }));
    const good = await invoke(gh.endpoint, id, 'dev', '/person', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'P1', b: 2, house: { contains: [{ name: 'P2', b: 3 }] } }),
    });
    assert.equal(good.status, 200);
    // A MOCK integration has no response body: `$input.json('$')` renders `{}`.
    assert.deepEqual(JSON.parse(good.body), { echo: {}, response: 'mocked' });
    const bad = await invoke(gh.endpoint, id, 'dev', '/person', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'P1', b: 2, house: { contains: [{ random: 1 }] } }),
    });
    assert.equal(bad.status, 400);
    assert.deepEqual(JSON.parse(bad.body), { message: 'Invalid request body' });
  });

  test('security schemes: request authorizer, api key source, any-method, undeclared path parameters', async () => {
    const doc = {
      openapi: '3.0.2',
      info: { title: 'Test Global Authorizer', version: '1.0' },
      paths: {
        '/pets': {
          get: {
            responses: { '200': { description: '200 response' } },
            'x-amazon-apigateway-integration': { type: 'http', httpMethod: 'GET', uri: `${echo.url}/pets`, passthroughBehavior: 'when_no_match', responses: { default: { statusCode: '200' } } },
          },
        },
        '/echo/{data}': {
          'x-amazon-apigateway-any-method': {
            responses: { '200': { description: '200 response', content: { 'application/json': { schema: { $ref: '#/components/schemas/Empty' } } } } },
            'x-amazon-apigateway-integration': {
              type: 'mock',
              responses: { default: { statusCode: '200', responseTemplates: { 'application/json': '{"echo": "$input.params(\'data\')"}' } } },
              requestTemplates: { 'application/json': '{"statusCode": 200}' },
              passthroughBehavior: 'when_no_templates',
            },
          },
        },
      },
      components: {
        schemas: { Empty: { title: 'Empty Schema', type: 'object' } },
        securitySchemes: {
          GatewayAuthorizer: {
            type: 'apiKey',
            name: 'X-Api-Key',
            in: 'header',
            'x-amazon-apigateway-authorizer': {
              type: 'request',
              authorizerUri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations',
              identitySource: 'method.request.header.Custom-Authorization',
              authorizerResultTtlInSeconds: 300,
            },
            'x-amazon-apigateway-authtype': 'custom',
          },
        },
      },
      security: [{ GatewayAuthorizer: [] }],
      'x-amazon-apigateway-api-key-source': 'AUTHORIZER',
    };
    const api = await importApi(doc, { failOnWarnings: true });
    assert.equal(api.apiKeySource, 'AUTHORIZER');
    const authorizers = (await c.send(new ag.GetAuthorizersCommand({ restApiId: api.id! }))).items!;
    assert.deepEqual(authorizers.map(({ id: _i, ...a }) => a), [
      {
        name: 'GatewayAuthorizer',
        type: 'REQUEST',
        authType: 'custom',
        authorizerUri: doc.components.securitySchemes.GatewayAuthorizer['x-amazon-apigateway-authorizer'].authorizerUri,
        identitySource: 'method.request.header.Custom-Authorization',
        authorizerResultTtlInSeconds: 300,
      },
    ]);
    const res = await resources(api.id!);
    assert.equal(res['/echo']!.resourceMethods, undefined);
    const any = await method(api.id!, res['/echo/{data}']!.id!, 'ANY');
    assert.equal(any.authorizationType, 'CUSTOM');
    assert.equal(any.authorizerId, authorizers[0]!.id);
    assert.deepEqual(any.requestParameters, { 'method.request.path.data': true });
    assert.equal(any.methodIntegration!.passthroughBehavior, 'WHEN_NO_TEMPLATES');
  });

  test('cognito authorizers with scopes, sigv4, api keys and x-amazon-apigateway-auth', async () => {
    const mock = { type: 'mock', requestTemplates: { 'application/json': '{"statusCode": 200}' }, responses: { default: { statusCode: '200' } } };
    const ok = { '200': { description: 'ok' } };
    const doc = {
      openapi: '3.0.1',
      info: { title: 'auth', version: '1' },
      security: [{ cognito: ['email'] }],
      paths: {
        '/default': { get: { responses: ok, 'x-amazon-apigateway-integration': mock } },
        '/scoped': { get: { security: [{ cognito: ['openid'] }], responses: ok, 'x-amazon-apigateway-integration': mock } },
        '/none': { get: { security: [{ cognito: [] }], responses: ok, 'x-amazon-apigateway-integration': mock } },
        '/iam': { get: { security: [{ sigv4: [] }], responses: ok, 'x-amazon-apigateway-integration': mock } },
        '/key': { get: { security: [{ api_key: [] }], responses: ok, 'x-amazon-apigateway-integration': mock } },
        '/open': { get: { 'x-amazon-apigateway-auth': { type: 'NONE' }, responses: ok, 'x-amazon-apigateway-integration': mock } },
      },
      components: {
        securitySchemes: {
          cognito: {
            type: 'apiKey',
            name: 'TestHeaderAuth',
            in: 'header',
            'x-amazon-apigateway-authtype': 'cognito_user_pools',
            'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools', providerARNs: ['arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_ABC123'] },
          },
          sigv4: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' },
          api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' },
        },
      },
    };
    const api = await importApi(doc, { failOnWarnings: true });
    const [authorizer] = (await c.send(new ag.GetAuthorizersCommand({ restApiId: api.id! }))).items!;
    assert.deepEqual({ ...authorizer, id: undefined }, {
      id: undefined,
      name: 'cognito',
      type: 'COGNITO_USER_POOLS',
      authType: 'cognito_user_pools',
      providerARNs: ['arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_ABC123'],
      identitySource: 'method.request.header.TestHeaderAuth',
    });
    const res = await resources(api.id!);
    const get = (p: string) => method(api.id!, res[p]!.id!, 'GET');
    assert.deepEqual((await get('/default')).authorizationScopes, ['email']);
    assert.deepEqual((await get('/scoped')).authorizationScopes, ['openid']);
    const none = await get('/none');
    assert.equal(none.authorizationType, 'COGNITO_USER_POOLS');
    assert.equal(none.authorizationScopes, undefined);
    assert.equal((await get('/iam')).authorizationType, 'AWS_IAM');
    const key = await get('/key');
    assert.equal(key.apiKeyRequired, true);
    assert.equal(key.authorizationType, 'NONE');
    assert.equal((await get('/open')).authorizationType, 'NONE');
  });
});

describe('references between components', () => {
  test('parameters, request bodies and responses by $ref; path-level parameters; explicit empty security', async () => {
    const doc = {
      openapi: '3.0.3',
      info: { title: 'refs', version: '1' },
      security: [{ key: [] }],
      paths: {
        '/orders/{orderId}': {
          parameters: [{ $ref: '#/components/parameters/OrderId' }],
          put: {
            parameters: [{ $ref: '#/components/parameters/Trace' }, { name: 'dry', in: 'query', schema: { type: 'boolean' } }, { name: 'sid', in: 'cookie' }],
            requestBody: { $ref: '#/components/requestBodies/OrderBody' },
            responses: { '200': { $ref: '#/components/responses/Ok' }, default: { description: 'anything else' } },
          },
          get: { security: [], responses: { '200': { $ref: '#/components/responses/Ok' } } },
        },
      },
      components: {
        parameters: {
          OrderId: { name: 'orderId', in: 'path', required: true, schema: { type: 'string' } },
          Trace: { name: 'X-Trace', in: 'header', required: true, schema: { type: 'string' } },
        },
        requestBodies: { OrderBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } } } },
        responses: { Ok: { description: 'ok', headers: { 'X-Request-Id': { schema: { type: 'string' } } }, content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } } } },
        schemas: { Order: { type: 'object', properties: { id: { type: 'string' } } } },
        securitySchemes: { key: { type: 'apiKey', name: 'x-api-key', in: 'header' } },
      },
    };
    const api = await importApi(doc, { failOnWarnings: true });
    const res = await resources(api.id!);
    const put = await method(api.id!, res['/orders/{orderId}']!.id!, 'PUT');
    assert.equal(put.apiKeyRequired, true);
    assert.deepEqual(put.requestParameters, {
      'method.request.path.orderId': true,
      'method.request.header.X-Trace': true,
      'method.request.querystring.dry': false,
    });
    assert.deepEqual(put.requestModels, { 'application/json': 'Order' });
    assert.deepEqual(put.methodResponses, {
      '200': { statusCode: '200', responseModels: { 'application/json': 'Order' }, responseParameters: { 'method.response.header.X-Request-Id': false } },
    });
    const get = await method(api.id!, res['/orders/{orderId}']!.id!, 'GET');
    assert.equal(get.apiKeyRequired, false);
  });
});

describe('API-level extensions', () => {
  test('binary media types, compression, policy, endpoint configuration, tags, gateway responses, documentation', async () => {
    const doc = {
      openapi: '3.0.1',
      info: { title: 'extensions', version: '3' },
      tags: [{ name: 'team', 'x-amazon-apigateway-tag-value': 'payments' }, { name: 'plain' }],
      'x-amazon-apigateway-importexport-version': '1.0',
      'x-amazon-apigateway-binary-media-types': ['image/png', '*/*'],
      'x-amazon-apigateway-minimum-compression-size': 1024,
      'x-amazon-apigateway-policy': {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: ['execute-api:/*'] }],
      },
      'x-amazon-apigateway-endpoint-configuration': { disableExecuteApiEndpoint: true },
      'x-amazon-apigateway-gateway-responses': {
        MISSING_AUTHENTICATION_TOKEN: {
          statusCode: 404,
          responseParameters: { 'gatewayresponse.header.x-where': "'here'" },
          responseTemplates: { 'application/json': '{"message": "no such route"}' },
        },
      },
      'x-amazon-apigateway-documentation': {
        version: '1',
        documentationParts: [{ location: { type: 'API' }, properties: { description: 'documented' } }],
      },
      paths: {},
    };
    const api = await importApi(doc, { failOnWarnings: true, parameters: { endpointConfigurationTypes: 'REGIONAL' } });
    assert.deepEqual(api.binaryMediaTypes, ['image/png', '*/*']);
    assert.equal(api.minimumCompressionSize, 1024);
    assert.deepEqual(api.endpointConfiguration, { types: ['REGIONAL'], ipAddressType: 'ipv4' });
    assert.equal(api.disableExecuteApiEndpoint, true);
    assert.deepEqual(api.tags, { team: 'payments' });
    assert.equal(
      api.policy,
      `{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[{\\"Effect\\":\\"Allow\\",\\"Principal\\":\\"*\\",\\"Action\\":\\"execute-api:Invoke\\",\\"Resource\\":\\"arn:aws:execute-api:us-east-1:123456789012:${api.id}\\/*\\"}]}`,
    );
    const gr = await c.send(new ag.GetGatewayResponseCommand({ restApiId: api.id!, responseType: 'MISSING_AUTHENTICATION_TOKEN' }));
    assert.equal(gr.statusCode, '404');
    assert.equal(gr.defaultResponse, false);
    assert.deepEqual(gr.responseParameters, { 'gatewayresponse.header.x-where': "'here'" });
    const parts = (await c.send(new ag.GetDocumentationPartsCommand({ restApiId: api.id! }))).items!;
    assert.deepEqual(parts.map((p) => [p.location!.type, JSON.parse(p.properties!)]), [['API', { description: 'documented' }]]);
    // parameters ignore=documentation leaves the documentation out.
    const undocumented = await importApi(doc, { parameters: { ignore: 'documentation' } });
    assert.deepEqual((await c.send(new ag.GetDocumentationPartsCommand({ restApiId: undocumented.id! }))).items, []);
  });

  test('integration fields: credentials, cache keys, content handling, timeout, tls, VPC link by stage variable', async () => {
    const doc = {
      swagger: '2.0',
      info: { title: 'integrations', version: '1' },
      paths: {
        '/items/{id}': {
          get: {
            parameters: [{ name: 'id', in: 'path', required: true, type: 'string' }, { name: 'x-trace', in: 'header', required: true, type: 'string' }],
            responses: { '200': { description: 'ok' }, '404': { description: 'missing' } },
            'x-amazon-apigateway-integration': {
              type: 'http_proxy',
              httpMethod: 'ANY',
              uri: 'https://backend.example.com/items/{id}',
              connectionType: 'vpc_link',
              connectionId: '${stageVariables.vpcLinkId}',
              cacheNamespace: 'items',
              cacheKeyParameters: ['method.request.path.id'],
              contentHandling: 'convert_to_text',
              timeoutInMillis: 5000,
              tlsConfig: { insecureSkipVerification: true },
              requestParameters: { 'integration.request.path.id': 'method.request.path.id', 'integration.request.header.x-trace': 'method.request.header.x-trace' },
              responses: {
                default: { statusCode: 200 },
                '.*not found.*': { statusCode: 404, contentHandling: 'CONVERT_TO_BINARY' },
              },
            },
          },
        },
      },
    };
    const api = await importApi(doc, { failOnWarnings: true });
    const res = await resources(api.id!);
    const m = await method(api.id!, res['/items/{id}']!.id!, 'GET');
    assert.deepEqual(m.requestParameters, { 'method.request.path.id': true, 'method.request.header.x-trace': true });
    assert.deepEqual(m.methodIntegration, {
      type: 'HTTP_PROXY',
      httpMethod: 'ANY',
      uri: 'https://backend.example.com/items/{id}',
      connectionType: 'VPC_LINK',
      connectionId: '${stageVariables.vpcLinkId}',
      requestParameters: { 'integration.request.path.id': 'method.request.path.id', 'integration.request.header.x-trace': 'method.request.header.x-trace' },
      passthroughBehavior: 'WHEN_NO_MATCH',
      contentHandling: 'CONVERT_TO_TEXT',
      timeoutInMillis: 5000,
      cacheNamespace: 'items',
      cacheKeyParameters: ['method.request.path.id'],
      tlsConfig: { insecureSkipVerification: true },
      integrationResponses: {
        '200': { statusCode: '200' },
        '404': { statusCode: '404', selectionPattern: '.*not found.*', contentHandling: 'CONVERT_TO_BINARY' },
      },
    });
  });
});

describe('as recorded on AWS', () => {
  test('empty authorizer fields count as absent; non-string mapping values are dropped', async () => {
    const doc = {
      swagger: '2.0',
      info: { title: 'pulumi-like', version: '1.0' },
      'x-amazon-apigateway-binary-media-types': ['*/*'],
      securityDefinitions: {
        Auth0: {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          'x-amazon-apigateway-authtype': 'oauth2',
          'x-amazon-apigateway-authorizer': {
            type: 'token',
            authorizerUri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations',
            authorizerCredentials: '',
            identitySource: '',
          },
        },
      },
      paths: {
        '/test': {
          get: {
            security: [{ Auth0: [] }],
            responses: { '200': { description: 'ok' } },
            'x-amazon-apigateway-integration': {
              type: 'mock',
              requestParameters: { 'integration.request.header.X-Amz-Invocation-Type': "'Event'", 'integration.request.header.nothing': true },
              requestTemplates: { 'application/json': '{"statusCode": 200}' },
              responses: { default: { statusCode: '200' } },
            },
          },
        },
      },
    };
    const api = await importApi(doc, { failOnWarnings: true });
    assert.deepEqual(api.binaryMediaTypes, ['*/*']);
    const [authorizer] = (await c.send(new ag.GetAuthorizersCommand({ restApiId: api.id! }))).items!;
    assert.equal(authorizer!.identitySource, 'method.request.header.Authorization');
    assert.equal(authorizer!.authorizerCredentials, undefined);
    const res = await resources(api.id!);
    const m = await method(api.id!, res['/test']!.id!, 'GET');
    assert.deepEqual(m.methodIntegration!.requestParameters, { 'integration.request.header.X-Amz-Invocation-Type': "'Event'" });
  });
});

describe('inline schemas', () => {
  test('become models: named by their title, else MODEL and a hash; a title naming an existing model is warned about', async () => {
    const doc = {
      openapi: '3.0.1',
      info: { title: 'inline', version: '1' },
      servers: [{ url: 'https://a.example.com' }, { url: 'https://b.example.com' }],
      paths: {
        '/things': {
          post: {
            requestBody: { content: { 'application/json': { schema: { title: 'NewThing', type: 'object', required: ['name'], properties: { name: { type: 'string' } } } } } },
            responses: {
              '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object', properties: { id: { type: 'string' } } } } } },
              '400': { description: 'bad', content: { 'application/json': { schema: { title: 'Error', type: 'object' } } } },
            },
            'x-amazon-apigateway-request-validator': 'body',
            'x-amazon-apigateway-integration': { type: 'mock', requestTemplates: { 'application/json': '{"statusCode": 200}' }, responses: { default: { statusCode: '200' } } },
          },
        },
      },
      'x-amazon-apigateway-request-validators': { body: { validateRequestBody: true, validateRequestParameters: false } },
      components: { schemas: { Error: { type: 'object', properties: { message: { type: 'string' } } } } },
    };
    const api = await importApi(doc);
    assert.deepEqual(api.warnings, [
      'More than one server provided. Ignoring all but the first for defining endpoint configuration',
      "Ignoring response model for 400 response on method 'POST /things' because a model with the same name already exists. Please reference the defined model/schema, rather than redefine it on this method.",
    ]);
    const models = (await c.send(new ag.GetModelsCommand({ restApiId: api.id! }))).items!.map((m) => m.name!).sort();
    assert.equal(models.length, 3);
    assert.deepEqual(models.filter((n) => !n.startsWith('MODEL')), ['Error', 'NewThing']);
    const res = await resources(api.id!);
    const m = await method(api.id!, res['/things']!.id!, 'POST');
    assert.deepEqual(m.requestModels, { 'application/json': 'NewThing' });
    assert.match(m.methodResponses!['200']!.responseModels!['application/json']!, /^MODEL[0-9a-f]{6}$/);
    assert.deepEqual(m.methodResponses!['400']!.responseModels, { 'application/json': 'Error' });
    await c.send(new ag.CreateDeploymentCommand({ restApiId: api.id!, stageName: 'dev' }));
    const bad = await invoke(gh.endpoint, api.id!, 'dev', '/things', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(bad.status, 400);
    assert.deepEqual(JSON.parse(bad.body), { message: 'Invalid request body' });
    const good = await invoke(gh.endpoint, api.id!, 'dev', '/things', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"x"}' });
    assert.equal(good.status, 200);
  });
});

describe('basepath', () => {
  const doc = {
    swagger: '2.0',
    info: { title: 'based', version: '1' },
    basePath: '/base/v1',
    paths: { '/test': { get: { responses: { '200': { description: 'ok' } }, 'x-amazon-apigateway-integration': { type: 'mock', requestTemplates: { 'application/json': '{"statusCode": 200}' }, responses: { default: { statusCode: '200' } } } } } },
  };
  for (const [mode, paths] of [
    ['ignore', ['/', '/test']],
    ['prepend', ['/', '/base', '/base/v1', '/base/v1/test']],
    ['split', ['/', '/v1', '/v1/test']],
  ] as const) {
    test(`basepath=${mode}`, async () => {
      const api = await importApi(doc, { parameters: { basepath: mode } });
      assert.deepEqual(Object.keys(await resources(api.id!)).sort(), paths);
    });
  }

  test('OpenAPI 3: the server URL path, or its only basePath variable', async () => {
    const oas = (servers: unknown) => ({ openapi: '3.0.1', info: { title: 't', version: '1' }, servers, paths: { '/test': { get: { responses: { '200': { description: 'ok' } } } } } });
    const a = await importApi(oas([{ url: 'https://testdomain.com/base-url/part/' }]), { parameters: { basepath: 'split' } });
    assert.deepEqual(Object.keys(await resources(a.id!)).sort(), ['/', '/part', '/part/test']);
    const b = await importApi(oas([{ url: 'https://testdomain.com', variables: { basePath: { default: '/base-var' } } }]), { parameters: { basepath: 'prepend' } });
    assert.deepEqual(Object.keys(await resources(b.id!)).sort(), ['/', '/base-var', '/base-var/test']);
  });
});

const small = (paths: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  swagger: '2.0',
  info: { title: 'put-api', version: '1.0.0' },
  'x-amazon-apigateway-binary-media-types': ['image/png', 'image/jpg'],
  paths,
  ...extra,
});
const get = { get: { responses: { '200': { description: 'ok' } }, 'x-amazon-apigateway-integration': { type: 'mock', requestTemplates: { 'application/json': '{"statusCode": 200}' }, responses: { default: { statusCode: '200' } } } } };


describe('PutRestApi', () => {
  test('merge keeps what the definition does not name and appends binary media types; overwrite replaces everything', async () => {
    const created = await c.send(new ag.CreateRestApiCommand({ name: 'before', binaryMediaTypes: ['image/heif'] }));
    const id = created.id!;
    await c.send(new ag.CreateResourceCommand({ restApiId: id, parentId: created.rootResourceId!, pathPart: 'kept' }));
    const merged = await c.send(new ag.PutRestApiCommand({ restApiId: id, mode: 'merge', body: enc(small({ '/new': get })) }));
    assert.equal(merged.$metadata.httpStatusCode, 200);
    assert.deepEqual(
      { ...body(merged), createdDate: undefined },
      {
        id,
        name: 'put-api',
        version: '1.0.0',
        createdDate: undefined,
        apiKeySource: 'HEADER',
        binaryMediaTypes: ['image/heif', 'image/png', 'image/jpg'],
        endpointConfiguration: { types: ['EDGE'], ipAddressType: 'ipv4' },
        disableExecuteApiEndpoint: false,
        rootResourceId: created.rootResourceId,
        tags: {},
      },
    );
    assert.deepEqual(Object.keys(await resources(id)).sort(), ['/', '/kept', '/new']);
    // The default models CreateRestApi made survive a merge.
    assert.ok((await c.send(new ag.GetModelsCommand({ restApiId: id }))).items!.some((m) => m.name === 'Error'));

    const over = await c.send(new ag.PutRestApiCommand({ restApiId: id, mode: 'overwrite', body: enc(small({ '/other': get })) }));
    assert.deepEqual(over.binaryMediaTypes, ['image/png', 'image/jpg']);
    assert.equal(over.rootResourceId, created.rootResourceId);
    assert.deepEqual(Object.keys(await resources(id)).sort(), ['/', '/other']);
    assert.deepEqual((await c.send(new ag.GetModelsCommand({ restApiId: id }))).items, []);
  });

  test('merge replaces a method the definition redefines', async () => {
    const api = await importApi(small({ '/m': get }));
    const res = await resources(api.id!);
    await c.send(new ag.UpdateMethodCommand({ restApiId: api.id!, resourceId: res['/m']!.id!, httpMethod: 'GET', patchOperations: [{ op: 'replace', path: '/operationName', value: 'old' }] }));
    await c.send(new ag.PutRestApiCommand({ restApiId: api.id!, mode: 'merge', body: enc(small({ '/m': get })) }));
    assert.equal((await method(api.id!, res['/m']!.id!, 'GET')).operationName, undefined);
  });

  test('merge replaces authorizers and validators by name, keeping their ids for methods the definition does not name', async () => {
    const auth = (ttl: number) => ({
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authorizer': {
        type: 'token',
        authorizerUri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations',
        authorizerResultTtlInSeconds: ttl,
      },
    });
    const op = { security: [{ tok: [] }], 'x-amazon-apigateway-request-validator': 'all', ...get.get };
    const first = small({ '/a': { get: op } }, {
      securityDefinitions: { tok: auth(60) },
      'x-amazon-apigateway-request-validators': { all: { validateRequestBody: true, validateRequestParameters: true } },
    });
    const api = await importApi(first, { failOnWarnings: true });
    const [before] = (await c.send(new ag.GetAuthorizersCommand({ restApiId: api.id! }))).items!;
    const [validatorBefore] = (await c.send(new ag.GetRequestValidatorsCommand({ restApiId: api.id! }))).items!;
    const second = small({ '/b': { get: op } }, {
      securityDefinitions: { tok: auth(120) },
      'x-amazon-apigateway-request-validators': { all: { validateRequestBody: false, validateRequestParameters: true } },
    });
    await c.send(new ag.PutRestApiCommand({ restApiId: api.id!, mode: 'merge', failOnWarnings: true, body: enc(second) }));
    const after = (await c.send(new ag.GetAuthorizersCommand({ restApiId: api.id! }))).items!;
    assert.deepEqual(after.map((a) => [a.id, a.authorizerResultTtlInSeconds]), [[before!.id, 120]]);
    const validators = (await c.send(new ag.GetRequestValidatorsCommand({ restApiId: api.id! }))).items!;
    assert.deepEqual(validators, [{ id: validatorBefore!.id, name: 'all', validateRequestBody: false, validateRequestParameters: true }]);
    const res = await resources(api.id!);
    for (const p of ['/a', '/b']) {
      const m = await method(api.id!, res[p]!.id!, 'GET');
      assert.equal(m.authorizerId, before!.id);
      assert.equal(m.requestValidatorId, validatorBefore!.id);
    }
  });

  test('an unknown API is answered as GetRestApi answers it', async () => {
    await rejectsWith(c.send(new ag.PutRestApiCommand({ restApiId: 'nope', body: enc(small({})) })), 'NotFoundException', 'Invalid API identifier specified 123456789012:nope', 404);
  });
});

describe('errors and warnings', () => {
  test('unreadable documents and unsupported versions: "Invalid OpenAPI input."', async () => {
    const bad = ['test:\n  value:\n    - "value ... \\"escaped\\": $var, \\"dt\\": $(var +"%a")}\\"\n', "{'key:value}", '[1,2]', '{"openapi":"3.1.0","info":{"title":"x","version":"1"},"paths":{}}', '{"info":{"title":"x"}}'];
    for (const text of bad) {
      await rejectsWith(importApi(text), 'BadRequestException', 'Invalid OpenAPI input.', 400);
    }
    const created = await c.send(new ag.CreateRestApiCommand({ name: 'target' }));
    await rejectsWith(c.send(new ag.PutRestApiCommand({ restApiId: created.id!, body: enc(bad[0]) })), 'BadRequestException', 'Invalid OpenAPI input.', 400);
  });

  test('errors found during import fail it whole and change nothing', async () => {
    const before = (await c.send(new ag.GetRestApisCommand({ limit: 500 }))).items!.length;
    const doc = {
      swagger: '2.0',
      info: { title: 'broken', version: '1' },
      paths: {
        '/ok': { get: { responses: { '200': { description: 'ok' } }, 'x-amazon-apigateway-integration': { type: 'mock', responses: { default: { statusCode: '200' } } } } },
        '/{proxy+}': { 'x-amazon-apigateway-any-method': { responses: {}, 'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: 'not-an-arn' } } },
      },
      definitions: { body_1: { type: 'object' } },
    };
    await rejectsWith(
      importApi(doc),
      'BadRequestException',
      "Errors found during import:\n\tUnable to create model for 'body_1': Model name must be alphanumeric: body_1\n\tUnable to put integration on 'ANY' for resource at path '/{proxy+}': Invalid ARN specified in the request",
      400,
    );
    assert.equal((await c.send(new ag.GetRestApisCommand({ limit: 500 }))).items!.length, before);

    const target = await importApi(small({ '/kept': get }));
    await rejectsWith(c.send(new ag.PutRestApiCommand({ restApiId: target.id!, mode: 'overwrite', body: enc(doc) })), 'BadRequestException', /^Errors found during import:/, 400);
    assert.deepEqual(Object.keys(await resources(target.id!)).sort(), ['/', '/kept']);
    assert.equal((await c.send(new ag.GetRestApiCommand({ restApiId: target.id! }))).name, 'put-api');
  });

  test('a malformed integration is refused with AWS text', async () => {
    const doc = { swagger: '2.0', info: { title: 'x', version: '1' }, paths: { '/': { get: { responses: {}, 'x-amazon-apigateway-integration': { type: 'teleport' } } } } };
    await rejectsWith(importApi(doc), 'BadRequestException', 'Unable to parse API definition because of a malformed integration at path /.', 400);
    const noStatus = { swagger: '2.0', info: { title: 'x', version: '1' }, paths: { '/p': { get: { responses: {}, 'x-amazon-apigateway-integration': { type: 'mock', responses: { default: {} } } } } } };
    await rejectsWith(importApi(noStatus), 'BadRequestException', 'Unable to parse API definition because of a malformed integration at path /p.', 400);
    const fnSub = { swagger: '2.0', info: { title: 'x', version: '1' }, paths: { '/': { get: { responses: {}, 'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: { 'Fn::Sub': 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations' } } } } } };
    await rejectsWith(importApi(fnSub), 'BadRequestException', 'Unable to parse API definition because of a malformed integration at path /.', 400);
  });

  test('warnings are returned, or fail the import with failonwarnings', async () => {
    const doc = {
      swagger: '2.0',
      info: { title: 'warned', version: '1' },
      paths: { '/w': { get: { responses: { '200': { description: 'ok', schema: { $ref: '#/definitions/Missing' } } } } } },
    };
    const api = await importApi(doc);
    assert.deepEqual(api.warnings, ["Reference to model 'Missing' not found. Ignoring. (GET /w)"]);
    const res = await resources(api.id!);
    assert.deepEqual((await method(api.id!, res['/w']!.id!, 'GET')).methodResponses, { '200': { statusCode: '200' } });
    await rejectsWith(importApi(doc, { failOnWarnings: true }), 'BadRequestException', "Warnings found during import:\n\tReference to model 'Missing' not found. Ignoring. (GET /w)", 400);
  });
});

describe('deploy and invoke', () => {
  test('stage variables in an imported HTTP_PROXY URI (recorded: test_import_with_stage_variables)', async () => {
    const doc = {
      openapi: '3.0.1',
      info: { title: 'example', version: '1.0' },
      paths: {
        '/path1': {
          get: {
            'x-amazon-apigateway-integration': {
              httpMethod: 'POST',
              payloadFormatVersion: '1.0',
              type: 'HTTP_PROXY',
              uri: 'http://${stageVariables.TestHost}/${stageVariables.testPath}?${stageVariables.querystring}',
            },
            responses: { '200': { description: 'OK' } },
          },
        },
      },
    };
    const api = await importApi(doc, { failOnWarnings: true });
    const deployment = await c.send(new ag.CreateDeploymentCommand({ restApiId: api.id! }));
    const host = echo.url.replace('http://', '');
    await c.send(new ag.CreateStageCommand({ restApiId: api.id!, stageName: 'v1', deploymentId: deployment.id!, variables: { TestHost: host, testPath: 'test-path', querystring: 'qs_key=qs_value' } }));
    const ok = await invoke(gh.endpoint, api.id!, 'v1', '/path1');
    assert.equal(ok.status, 200);
    const seen = JSON.parse(ok.body);
    assert.equal(seen.method, 'POST');
    assert.equal(seen.url, '/test-path?qs_key=qs_value');
    await c.send(new ag.CreateStageCommand({ restApiId: api.id!, stageName: 'v2', deploymentId: deployment.id! }));
    const failed = await invoke(gh.endpoint, api.id!, 'v2', '/path1');
    assert.equal(failed.status, 500);
    assert.deepEqual(JSON.parse(failed.body), { message: 'Internal server error' });
    assert.equal(failed.headers['x-amzn-errortype'], 'InternalServerErrorException');
  });

  test('an imported MOCK and HTTP API answers as defined', async () => {
    const doc = {
      openapi: '3.0.1',
      info: { title: 'live', version: '1' },
      paths: {
        '/mock': {
          get: {
            responses: { '200': { description: 'ok', headers: { 'X-Kind': { schema: { type: 'string' } } } } },
            'x-amazon-apigateway-integration': {
              type: 'mock',
              requestTemplates: { 'application/json': '{"statusCode": 200}' },
              responses: { default: { statusCode: '200', responseParameters: { 'method.response.header.X-Kind': "'mock'" }, responseTemplates: { 'application/json': '{"hello": "$context.stage"}' } } },
            },
          },
        },
        '/items/{id}': {
          get: {
            parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
            responses: { '200': { description: 'ok' } },
            'x-amazon-apigateway-integration': {
              type: 'http',
              httpMethod: 'GET',
              uri: `${echo.url}/backend/{id}`,
              requestParameters: { 'integration.request.path.id': 'method.request.path.id' },
              responses: { default: { statusCode: '200' } },
            },
          },
        },
      },
    };
    const api = await importApi(doc, { failOnWarnings: true });
    await c.send(new ag.CreateDeploymentCommand({ restApiId: api.id!, stageName: 'live' }));
    const mock = await invoke(gh.endpoint, api.id!, 'live', '/mock');
    assert.equal(mock.status, 200);
    assert.equal(mock.headers['x-kind'], 'mock');
    assert.deepEqual(JSON.parse(mock.body), { hello: 'live' });
    const http = await invoke(gh.endpoint, api.id!, 'live', '/items/42');
    assert.equal(http.status, 200);
    assert.equal(JSON.parse(http.body).url, '/backend/42');
  });
});

describe('AWS CLI', () => {
  test('import-rest-api with parameters and fail-on-warnings, then put-rest-api --mode overwrite', async () => {
    const dir = tempDataDir();
    const file = join(dir, 'api.yaml');
    writeFileSync(
      file,
      [
        "swagger: '2.0'",
        'info: { title: cli-api, version: "1" }',
        'basePath: /v1',
        'paths:',
        '  /hello:',
        '    get:',
        "      responses: { '200': { description: ok } }",
        '      x-amazon-apigateway-integration: { type: mock, requestTemplates: { application/json: \'{"statusCode": 200}\' }, responses: { default: { statusCode: 200 } } }',
      ].join('\n'),
    );
    const imported = await runAws({ endpoint: gh.endpoint }, 'apigateway', 'import-rest-api', '--body', `fileb://${file}`, '--parameters', 'basepath=prepend,endpointConfigurationTypes=REGIONAL', '--fail-on-warnings');
    assert.equal(imported.code, 0, imported.stderr);
    assert.equal(imported.json.name, 'cli-api');
    // (This CLI's model predates ipAddressType, so it shows the types only.)
    assert.deepEqual(imported.json.endpointConfiguration.types, ['REGIONAL']);
    assert.deepEqual(Object.keys(await resources(imported.json.id)).sort(), ['/', '/v1', '/v1/hello']);

    const put = await runAws({ endpoint: gh.endpoint }, 'apigateway', 'put-rest-api', '--rest-api-id', imported.json.id, '--mode', 'overwrite', '--body', `fileb://${file}`);
    assert.equal(put.code, 0, put.stderr);
    assert.deepEqual(Object.keys(await resources(imported.json.id)).sort(), ['/', '/hello']);

    const badFile = join(dir, 'bad.json');
    writeFileSync(badFile, "{'key:value}");
    const bad = await runAws({ endpoint: gh.endpoint }, 'apigateway', 'import-rest-api', '--body', `fileb://${badFile}`);
    assert.equal(bad.code, 254);
    assert.match(bad.stderr, /BadRequestException\) when calling the ImportRestApi operation.*: Invalid OpenAPI input\./);
  });
});

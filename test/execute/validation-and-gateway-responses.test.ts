// Request validation (required parameters, bodies against draft-04 models with $ref between models) and gateway
// responses: AWS defaults, per-API overrides with status, headers and templates ($context.error.*), DEFAULT_4XX /
// DEFAULT_5XX inheritance, x-amzn-ErrorType, and the 413 payload limit.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AG, ApiBuilder, startGatehouse } from './helpers.ts';
import type { Running } from '../helpers/gatehouse.ts';

describe('request validation and gateway responses', () => {
  let gh: Running;
  let api: ApiBuilder;
  let plain: ApiBuilder;

  before(async () => {
    gh = await startGatehouse();
    const c = gh.apigateway;
    api = await ApiBuilder.create(gh);
    await c.send(
      new AG.CreateModelCommand({
        restApiId: api.apiId,
        name: 'Owner',
        contentType: 'application/json',
        schema: JSON.stringify({ $schema: 'http://json-schema.org/draft-04/schema#', type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 2 } } }),
      }),
    );
    await c.send(
      new AG.CreateModelCommand({
        restApiId: api.apiId,
        name: 'Pet',
        contentType: 'application/json',
        schema: JSON.stringify({
          $schema: 'http://json-schema.org/draft-04/schema#',
          type: 'object',
          required: ['type', 'price'],
          properties: {
            type: { type: 'string', enum: ['dog', 'cat'] },
            price: { type: 'number', minimum: 25, maximum: 500 },
            owner: { $ref: `https://apigateway.amazonaws.com/restapis/${api.apiId}/models/Owner` },
          },
        }),
      }),
    );
    const all = await c.send(new AG.CreateRequestValidatorCommand({ restApiId: api.apiId, name: 'all', validateRequestBody: true, validateRequestParameters: true }));
    const params = await c.send(new AG.CreateRequestValidatorCommand({ restApiId: api.apiId, name: 'params', validateRequestBody: false, validateRequestParameters: true }));
    const mock = { type: 'MOCK' as const, requestTemplates: { 'application/json': '{"statusCode": 200}' } };
    const ok = [{ statusCode: '200', responseTemplates: { 'application/json': '{"ok":true}' } }];
    await api.method('/pets', 'POST', mock, {
      method: { requestValidatorId: all.id, requestModels: { 'application/json': 'Pet' }, requestParameters: { 'method.request.header.X-Key': true } },
      responses: ok,
    });
    await api.method('/search', 'GET', mock, {
      method: { requestValidatorId: params.id, requestParameters: { 'method.request.querystring.q': true, 'method.request.querystring.page': true, 'method.request.querystring.opt': false } },
      responses: ok,
    });
    await api.method('/upload', 'POST', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}', 'text/plain': '{"statusCode": 200}' } }, { responses: ok });
    await api.method('/broken', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, { responses: [{ statusCode: '201', selectionPattern: '5\\d\\d' }] });
    // Overrides: MISSING_AUTHENTICATION_TOKEN with its own status, header and template; DEFAULT_4XX for the rest.
    await c.send(
      new AG.PutGatewayResponseCommand({
        restApiId: api.apiId,
        responseType: 'MISSING_AUTHENTICATION_TOKEN',
        statusCode: '404',
        responseParameters: { 'gatewayresponse.header.X-Why': "'no such route'" },
        responseTemplates: { 'application/json': '{"error":"$context.error.message","type":"$context.error.responseType"}' },
      }),
    );
    await c.send(
      new AG.PutGatewayResponseCommand({
        restApiId: api.apiId,
        responseType: 'DEFAULT_4XX',
        responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'", 'gatewayresponse.header.X-Key-Was': 'method.request.header.X-Key' },
        responseTemplates: { 'application/json': '{"msg":$context.error.messageString,"details":"$context.error.validationErrorString"}' },
      }),
    );
    await api.deploy('test');

    plain = await ApiBuilder.create(gh);
    await plain.method('/x', 'POST', mock, { responses: ok });
    const plainValidator = await c.send(new AG.CreateRequestValidatorCommand({ restApiId: plain.apiId, name: 'all', validateRequestBody: true, validateRequestParameters: true }));
    await plain.method('/v', 'POST', mock, {
      method: { requestValidatorId: plainValidator.id, requestModels: { 'application/json': 'Error' }, requestParameters: { 'method.request.querystring.q': true } },
      responses: ok,
    });
    await plain.deploy('test');
  });

  after(() => gh.stop());

  test('missing required parameters: 400 with their names, through the DEFAULT_4XX override', async () => {
    const r = await api.invoke('test', '/search?opt=1');
    assert.equal(r.status, 400);
    assert.equal(r.headers['x-amzn-errortype'], 'BadRequestException');
    assert.equal(r.headers['access-control-allow-origin'], '*');
    // Named in the order of their sorted keys, as AWS does (see fidelity-context.test.ts).
    assert.deepEqual(r.json(), { msg: 'Missing required request parameters: [page, q]', details: 'Missing required request parameters: [page, q]' });
    assert.equal((await api.invoke('test', '/search?q=a&page=1')).status, 200);
  });

  test('an invalid body: 400 Invalid request body with the validation errors', async () => {
    const r = await api.invoke('test', '/pets', { method: 'POST', body: '{"type":"bird","price":10,"owner":{}}', headers: { 'content-type': 'application/json', 'x-key': 'k1' } });
    assert.equal(r.status, 400);
    assert.equal(r.headers['x-key-was'], 'k1');
    const body = r.json();
    assert.equal(body.msg, 'Invalid request body');
    assert.match(body.details, /instance value \("bird"\) not found in enum/);
    assert.match(body.details, /numeric instance is lower than the required minimum \(minimum: 25, found: 10\)/);
    assert.match(body.details, /object has missing required properties \(\[\\?"name\\?"\]\)/);
  });

  test('a valid body passes, $ref between models included', async () => {
    const r = await api.invoke('test', '/pets', { method: 'POST', body: '{"type":"dog","price":30,"owner":{"name":"ann"}}', headers: { 'content-type': 'application/json', 'x-key': 'k1' } });
    assert.equal(r.status, 200);
    assert.equal(r.body, '{"ok":true}');
  });

  test('parameters are validated before the body', async () => {
    const r = await api.invoke('test', '/pets', { method: 'POST', body: 'not json', headers: { 'content-type': 'application/json' } });
    assert.equal(r.status, 400);
    assert.equal(r.json().msg, 'Missing required request parameters: [X-Key]');
  });

  test('a per-API override of a response type sets status, headers and template', async () => {
    const r = await api.invoke('test', '/nowhere');
    assert.equal(r.status, 404);
    assert.equal(r.headers['x-why'], 'no such route');
    assert.equal(r.headers['x-amzn-errortype'], 'MissingAuthenticationTokenException');
    assert.deepEqual(r.json(), { error: 'Missing Authentication Token', type: 'MISSING_AUTHENTICATION_TOKEN' });
  });

  test('5XX responses keep AWS defaults when only DEFAULT_4XX is overridden', async () => {
    const r = await api.invoke('test', '/broken');
    assert.equal(r.status, 500);
    assert.equal(r.body, '{"message": "Internal server error"}');
    assert.equal(r.headers['access-control-allow-origin'], undefined);
  });

  test('an API without overrides answers AWS defaults', async () => {
    const r = await plain.invoke('test', '/nowhere');
    assert.equal(r.status, 403);
    assert.equal(r.body, '{"message":"Missing Authentication Token"}');
  });

  test("a body over 10 MB: the front end's 413, whatever the API", async () => {
    for (const target of [plain, api]) {
      const r = await target.invoke('test', '/x', { method: 'POST', body: Buffer.alloc(10 * 1024 * 1024 + 1, 97), headers: { 'content-type': 'application/json' } });
      assert.equal(r.status, 413);
      assert.equal(r.body, 'HTTP content length exceeded 10485760 bytes.');
      assert.equal(r.headers['content-type'], 'text; charset=utf-8');
      assert.equal(r.headers['x-amzn-errortype'], undefined);
    }
  });

  test('validation failures without overrides: AWS default bodies and error types', async () => {
    const params = await plain.invoke('test', '/v', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    assert.equal(params.status, 400);
    assert.equal(params.body, '{"message": "Missing required request parameters: [q]"}');
    assert.equal(params.headers['x-amzn-errortype'], 'BadRequestException');
    // The built-in Error model requires an object: a JSON array is not one.
    const body = await plain.invoke('test', '/v?q=1', { method: 'POST', body: '[1]', headers: { 'content-type': 'application/json' } });
    assert.equal(body.status, 400);
    assert.equal(body.body, '{"message": "Invalid request body"}');
    assert.equal(body.headers['x-amzn-errortype'], 'BadRequestException');
    const ok = await plain.invoke('test', '/v?q=1', { method: 'POST', body: '{"message":"x"}', headers: { 'content-type': 'application/json' } });
    assert.equal(ok.status, 200);
  });
});

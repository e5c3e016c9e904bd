// MOCK integrations with request and response templates: status selection by the request template's statusCode,
// selection patterns on it, response templates chosen by Accept, $input / $context / $stageVariables bindings,
// $context.responseOverride, response parameters and the method-response header filter.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiBuilder, startGatehouse } from './helpers.ts';
import type { Running } from '../helpers/gatehouse.ts';

describe('MOCK integrations and mapping templates', () => {
  let gh: Running;
  let api: ApiBuilder;

  before(async () => {
    gh = await startGatehouse();
    api = await ApiBuilder.create(gh);
    // The status comes from the request template; 4\d\d selects the error response.
    await api.method(
      '/status',
      'GET',
      {
        type: 'MOCK',
        requestTemplates: { 'application/json': '{"statusCode": $input.params("code")}' },
      },
      {
        method: { requestParameters: { 'method.request.querystring.code': true } },
        responses: [
          { statusCode: '200', responseTemplates: { 'application/json': '{"result":"ok"}', 'text/plain': 'ok' } },
          {
            statusCode: '404',
            selectionPattern: '4\\d\\d',
            responseTemplates: { 'application/json': '{"result":"missing","requestId":"$context.requestId"}' },
          },
        ],
      },
    );
    await api.method(
      '/echo/{name}',
      'POST',
      {
        type: 'MOCK',
        requestTemplates: { 'application/json': '{"statusCode": 200}' },
      },
      {
        method: { requestParameters: { 'method.request.path.name': true } },
        responses: [
          {
            statusCode: '200',
            methodHeaders: ['X-Static', 'X-Stage', 'X-Declared-Only'],
            responseParameters: {
              'method.response.header.X-Static': "'fixed value'",
              'method.response.header.X-Stage': 'stageVariables.color',
            },
            responseTemplates: {
              'application/json': [
                '#set($name = $input.params("name"))',
                '{"name":"$name","stage":"$context.stage","color":"$stageVariables.color","path":"$context.resourcePath",',
                '"method":"$context.httpMethod","accountId":"$context.accountId","apiId":"$context.apiId"}',
              ].join('\n'),
            },
          },
        ],
      },
    );
    await api.method(
      '/override',
      'GET',
      { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } },
      {
        responses: [
          {
            statusCode: '200',
            responseTemplates: {
              'application/json': '#set($context.responseOverride.status = 418)#set($context.responseOverride.header.X-Teapot = "yes"){"short":"and stout"}',
            },
          },
        ],
      },
    );
    await api.method(
      '/unmatched',
      'GET',
      { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 500}' } },
      { responses: [{ statusCode: '200', selectionPattern: '2\\d\\d' }] },
    );
    await api.deploy('test', { color: 'blue' });
  });

  after(() => gh.stop());

  test('the request template statusCode selects the default response', async () => {
    const r = await api.invoke('test', '/status?code=200');
    assert.equal(r.status, 200);
    assert.equal(r.body, '{"result":"ok"}');
    assert.equal(r.headers['content-type'], 'application/json');
  });

  test('a selection pattern matches the whole status code', async () => {
    const r = await api.invoke('test', '/status?code=404');
    assert.equal(r.status, 404);
    assert.deepEqual(r.json(), { result: 'missing', requestId: r.headers['x-amzn-requestid'] });
  });

  test('the response template is chosen by Accept', async () => {
    const r = await api.invoke('test', '/status?code=200', { headers: { accept: 'text/plain' } });
    assert.equal(r.status, 200);
    assert.equal(r.body, 'ok');
    assert.equal(r.headers['content-type'], 'text/plain');
  });

  test('templates see $input.params, $context and $stageVariables; response parameters map declared headers', async () => {
    const r = await api.invoke('test', '/echo/rex', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json(), {
      name: 'rex',
      stage: 'test',
      color: 'blue',
      path: '/echo/{name}',
      method: 'POST',
      accountId: '123456789012',
      apiId: api.apiId,
    });
    assert.equal(r.headers['x-static'], 'fixed value');
    assert.equal(r.headers['x-stage'], 'blue');
    assert.equal(r.headers['x-declared-only'], undefined);
  });

  test('$context.responseOverride sets status and headers', async () => {
    const r = await api.invoke('test', '/override');
    assert.equal(r.status, 418);
    assert.equal(r.headers['x-teapot'], 'yes');
    assert.equal(r.body, '{"short":"and stout"}');
  });

  test('no matching integration response and no default: 500 Internal server error', async () => {
    const r = await api.invoke('test', '/unmatched');
    assert.equal(r.status, 500);
    assert.equal(r.body, '{"message": "Internal server error"}');
    assert.equal(r.headers['x-amzn-errortype'], 'InternalServerErrorException');
  });
});

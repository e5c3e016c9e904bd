// HTTP (non-proxy) and HTTP_PROXY integrations against a local echo backend: what the backend receives (method,
// path, query, headers API Gateway adds, mapped parameters, transformed body) and what the client gets back
// (mapped headers only for HTTP, the backend's headers with x-amzn-Remapped-* for HTTP_PROXY), passthrough
// behaviours (an empty response template passes the body through), stage variables in URIs, timeouts and
// unreachable backends.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as AG from '@aws-sdk/client-api-gateway';
import { ApiBuilder, startEcho, startGatehouse, type EchoServer } from './helpers.ts';
import type { Running } from '../helpers/gatehouse.ts';

describe('HTTP and HTTP_PROXY integrations', () => {
  let gh: Running;
  let echo: EchoServer;
  let api: ApiBuilder;

  before(async () => {
    gh = await startGatehouse();
    echo = await startEcho();
    api = await ApiBuilder.create(gh);
    await api.method(
      '/items/{id}',
      'POST',
      {
        type: 'HTTP',
        integrationHttpMethod: 'PUT',
        uri: 'http://${stageVariables.backend}/things/{thing}',
        requestParameters: {
          'integration.request.path.thing': 'method.request.path.id',
          'integration.request.querystring.tag': 'method.request.multivaluequerystring.tag',
          'integration.request.querystring.fixed': "'static value'",
          'integration.request.header.X-Owner': 'method.request.body.owner.name',
          'integration.request.header.X-Stage': 'context.stage',
          'integration.request.header.X-Color': 'stageVariables.color',
          'integration.request.header.X-Trace': 'method.request.header.X-Trace',
          'integration.request.header.X-Multi': 'method.request.multivalueheader.X-Multi',
          'integration.request.header.X-Request-Id': 'context.requestId',
          'integration.request.querystring.source': 'context.identity.sourceIp',
        },
        requestTemplates: { 'application/json': '{"wrapped":$input.json("$"),"id":"$input.params("id")"}' },
      },
      {
        responses: [
          {
            statusCode: '200',
            methodHeaders: ['X-Backend', 'X-Body-Method', 'Server'],
            responseParameters: {
              'method.response.header.X-Backend': 'integration.response.header.X-Backend',
              'method.response.header.X-Body-Method': 'integration.response.body.method',
              'method.response.header.Server': "'mapped-server'",
            },
          },
          { statusCode: '400', selectionPattern: '4\\d\\d', responseTemplates: { 'application/json': '{"error":$input.json("$.method")}' } },
        ],
      },
    );
    await api.method(
      '/never',
      'POST',
      { type: 'HTTP', integrationHttpMethod: 'POST', uri: `${echo.url}/never`, passthroughBehavior: 'NEVER', requestTemplates: { 'application/json': '{}' } },
      { responses: [{ statusCode: '200' }] },
    );
    await api.method(
      '/when-no-templates',
      'POST',
      {
        type: 'HTTP',
        integrationHttpMethod: 'POST',
        uri: `${echo.url}/wnt`,
        passthroughBehavior: 'WHEN_NO_TEMPLATES',
        requestTemplates: { 'application/json': '{"templated":true}' },
      },
      { responses: [{ statusCode: '200' }] },
    );
    await api.method(
      '/passthrough',
      'POST',
      { type: 'HTTP', integrationHttpMethod: 'POST', uri: `${echo.url}/pt`, requestTemplates: { 'application/json': '{"templated":true}' } },
      { responses: [{ statusCode: '200' }] },
    );
    await api.method(
      '/status/{code}',
      'GET',
      {
        type: 'HTTP',
        integrationHttpMethod: 'GET',
        uri: `${echo.url}/status/{code}`,
        requestParameters: { 'integration.request.path.code': 'method.request.path.code' },
      },
      { responses: [{ statusCode: '200' }, { statusCode: '400', selectionPattern: '4\\d\\d' }] },
    );
    await api.method(
      '/empty-template',
      'GET',
      { type: 'HTTP', integrationHttpMethod: 'GET', uri: `${echo.url}/empty-template` },
      { responses: [{ statusCode: '200', responseTemplates: { 'application/json': '' } }] },
    );
    await api.method('/slow', 'GET', { type: 'HTTP', integrationHttpMethod: 'GET', uri: `${echo.url}/delay/1000`, timeoutInMillis: 100 }, { responses: [{ statusCode: '200' }] });
    await api.method('/slow-proxy', 'GET', { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `${echo.url}/delay/1000`, timeoutInMillis: 100 });
    await api.method('/down', 'GET', { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: 'http://127.0.0.1:1/nothing' });
    await api.method('/proxy/{proxy+}', 'ANY', {
      type: 'HTTP_PROXY',
      integrationHttpMethod: 'ANY',
      uri: `${echo.url}/{proxy}`,
      requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy', 'integration.request.header.X-Added': "'by-mapping'" },
    });
    await api.method('/s3', 'GET', {
      type: 'AWS',
      integrationHttpMethod: 'GET',
      uri: 'arn:aws:apigateway:us-east-1:s3:path/bucket/key',
      credentials: 'arn:aws:iam::123456789012:role/apigw-s3',
    }, { responses: [{ statusCode: '200' }] });
    await api.deploy('test', { backend: `127.0.0.1:${echo.port}`, color: 'green' });
  });

  after(async () => {
    await gh.stop();
    await echo.close();
  });

  test('HTTP: mappings, template, stage-variable URI and the headers API Gateway adds reach the backend', async () => {
    echo.requests.length = 0;
    const r = await api.invoke('test', '/items/42?tag=a&tag=b', {
      method: 'POST',
      body: '{"owner":{"name":"ann"},"n":1.50}',
      headers: { 'content-type': 'application/json', 'x-trace': 't-1', 'x-not-mapped': 'dropped', 'x-multi': 'one' },
    });
    assert.equal(r.status, 200);
    const seen = echo.requests[0]!;
    assert.equal(seen.method, 'PUT');
    assert.equal(seen.url, '/things/42?tag=a&tag=b&fixed=static%20value&source=127.0.0.1');
    assert.equal(seen.headers['x-multi'], 'one');
    assert.equal(seen.headers['x-request-id'], r.headers['x-amzn-requestid']);
    assert.equal(seen.body, '{"wrapped":{"owner":{"name":"ann"},"n":1.5},"id":"42"}');
    assert.equal(seen.headers['x-owner'], 'ann');
    assert.equal(seen.headers['x-stage'], 'test');
    assert.equal(seen.headers['x-color'], 'green');
    assert.equal(seen.headers['x-trace'], 't-1');
    assert.equal(seen.headers['x-not-mapped'], undefined);
    assert.equal(seen.headers['user-agent'], `AmazonAPIGateway_${api.apiId}`);
    assert.equal(seen.headers['x-amzn-apigateway-api-id'], api.apiId);
    assert.match(String(seen.headers['x-amzn-trace-id']), /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    assert.equal(seen.headers['content-type'], 'application/json');
    // Only declared, mapped headers come back; a mapped Server header is remapped; Content-Type defaults to JSON.
    assert.equal(r.headers['x-backend'], 'echo');
    assert.equal(r.headers['x-body-method'], 'PUT');
    assert.equal(r.headers['x-amzn-remapped-server'], 'mapped-server');
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.json().method, 'PUT');
  });

  test('HTTP: the backend status selects the integration response', async () => {
    const r = await api.invoke('test', '/status/404');
    assert.equal(r.status, 400);
    const ok = await api.invoke('test', '/status/201');
    assert.equal(ok.status, 200);
  });

  test('an empty response template ("", read back as null) passes the backend body through, as on AWS', async () => {
    const stored = await gh.apigateway.send(new AG.GetIntegrationResponseCommand({ restApiId: api.apiId, resourceId: await api.resource('/empty-template'), httpMethod: 'GET', statusCode: '200' }));
    assert.deepEqual(stored.responseTemplates, { 'application/json': null });
    const r = await api.invoke('test', '/empty-template');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json');
    const seen = JSON.parse(r.body) as { method: string; url: string };
    assert.deepEqual([seen.method, seen.url], ['GET', '/empty-template']);
  });

  test('passthroughBehavior NEVER answers 415 for an unmapped content type', async () => {
    const r = await api.invoke('test', '/never', { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } });
    assert.equal(r.status, 415);
    assert.equal(r.body, '{"message": "Unsupported Media Type"}');
    assert.equal(r.headers['x-amzn-errortype'], 'UnsupportedMediaTypeException');
  });

  test('WHEN_NO_TEMPLATES with templates defined answers 415 for an unmapped type; the mapped one is templated', async () => {
    const r = await api.invoke('test', '/when-no-templates', { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } });
    assert.equal(r.status, 415);
    echo.requests.length = 0;
    const ok = await api.invoke('test', '/when-no-templates', { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
    assert.equal(ok.status, 200);
    assert.equal(echo.requests[0]!.body, '{"templated":true}');
  });

  test('WHEN_NO_MATCH passes an unmapped content type through untouched', async () => {
    echo.requests.length = 0;
    const r = await api.invoke('test', '/passthrough', { method: 'POST', body: '<a/>', headers: { 'content-type': 'application/xml' } });
    assert.equal(r.status, 200);
    assert.equal(echo.requests[0]!.body, '<a/>');
    assert.equal(echo.requests[0]!.headers['content-type'], 'application/xml');
  });

  test('a request without Content-Type uses the application/json template', async () => {
    echo.requests.length = 0;
    const r = await api.invoke('test', '/passthrough', { method: 'POST', body: 'anything' });
    assert.equal(r.status, 200);
    assert.equal(echo.requests[0]!.body, '{"templated":true}');
  });

  test('HTTP_PROXY: method, greedy path, query, headers and body pass both ways; reserved headers are remapped', async () => {
    echo.requests.length = 0;
    const r = await api.invoke('test', '/proxy/a/b%20c?q=1&q=2&x=%2F', {
      method: 'PATCH',
      body: 'raw body',
      headers: { 'content-type': 'text/plain', 'x-custom': 'v', 'user-agent': 'test-agent' },
    });
    assert.equal(r.status, 200);
    const seen = echo.requests[0]!;
    assert.equal(seen.method, 'PATCH');
    assert.equal(seen.url, '/a/b%20c?q=1&q=2&x=%2F');
    assert.equal(seen.body, 'raw body');
    assert.equal(seen.headers['x-custom'], 'v');
    assert.equal(seen.headers['x-added'], 'by-mapping');
    assert.equal(seen.headers['user-agent'], 'test-agent');
    assert.equal(seen.headers['x-amzn-apigateway-api-id'], api.apiId);
    assert.equal(seen.headers.host, `127.0.0.1:${echo.port}`);
    assert.equal(seen.headers['x-forwarded-for'], '127.0.0.1');
    assert.equal(seen.headers['x-forwarded-proto'], 'http');
    // The backend's own headers come back; Date and Content-Length are remapped, ids added.
    assert.equal(r.headers['x-backend'], 'echo');
    assert.ok(r.headers['x-amzn-remapped-date']);
    assert.equal(r.headers['x-amzn-remapped-content-length'], String(r.raw.length));
    assert.equal(r.headers['content-length'], String(r.raw.length));
    assert.equal(r.headers['x-amzn-remapped-connection'], 'keep-alive');
    assert.ok(r.headers['x-amzn-requestid']);
    assert.ok(r.headers['x-amz-apigw-id']);
    assert.equal(r.headers['x-amzn-trace-id'], undefined);
  });

  test('HTTP_PROXY: the backend status and error bodies pass unchanged', async () => {
    const r = await api.invoke('test', '/proxy/status/503');
    assert.equal(r.status, 503);
    assert.equal(r.json().url, '/status/503');
  });

  test('HTTP_PROXY streams large bodies both ways', async () => {
    const down = await api.invoke('test', '/proxy/big/300000');
    assert.equal(down.status, 200);
    assert.equal(down.raw.length, 300000);
    assert.equal(down.headers['content-length'], '300000');
    assert.deepEqual(down.raw.subarray(0, 12), Buffer.from('abcdefghijab'));
    echo.requests.length = 0;
    const payload = Buffer.alloc(2 * 1024 * 1024, 'xyz');
    const up = await api.invoke('test', '/proxy/upload', { method: 'POST', body: payload, headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(up.status, 200);
    assert.equal(up.json().bodyLength, payload.length);
    assert.deepEqual(echo.requests[0]!.bodyBytes, payload);
  });

  test('an integration slower than timeoutInMillis: 504 Endpoint request timed out', async () => {
    for (const path of ['/slow', '/slow-proxy']) {
      const r = await api.invoke('test', path);
      assert.equal(r.status, 504, path);
      assert.equal(r.body, '{"message": "Endpoint request timed out"}');
      assert.equal(r.headers['x-amzn-errortype'], 'InternalServerErrorException');
    }
  });

  test('an unreachable backend: 504 with Internal server error', async () => {
    const r = await api.invoke('test', '/down');
    assert.equal(r.status, 504);
    assert.equal(r.body, '{"message": "Internal server error"}');
  });

  test('AWS service integrations other than Lambda answer 500 Internal server error (not available)', async () => {
    const r = await api.invoke('test', '/s3');
    assert.equal(r.status, 500);
    assert.equal(r.body, '{"message": "Internal server error"}');
    assert.equal(r.headers['x-amzn-errortype'], 'InternalServerErrorException');
  });
});

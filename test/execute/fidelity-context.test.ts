// Invocation fidelity, context and tracing: $context.domainName / domainPrefix / path / isCanaryRequest, the
// X-Amzn-Trace-Id header (accepted from the client or generated, passed to backends, to Lambda functions' events
// and environments, returned where AWS returns it), the template chosen for a request without Content-Type, the
// order of names in "Missing required request parameters", and what a MOCK integration keeps. Expected values are
// AWS's, recorded in LocalStack's AWS-validated snapshots (test_apigateway_common: test_invocation_trace_id,
// test_api_gateway_request_validator; test_apigateway_integrations: TestApiGatewayHeaderRemapping,
// test_integration_mock_with_path_param; test_apigateway_canary: test_invoking_canary_deployment).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import { AG, ApiBuilder, startEcho, type EchoServer } from './helpers.ts';
import { startGatehouse, type Running } from '../helpers/gatehouse.ts';
import { createFunction } from '../functions/helpers.ts';

const ACCOUNT = '123456789012';
const FN_URI = `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:${ACCOUNT}:function:trace-echo/invocations`;
const ROOT = /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/;
const FULL = /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=[01]$/;
const CLIENT_FULL = 'Root=1-3152b799-8954dae64eda91bc9a23a7e8;Parent=7fa8c0f79203be72;Sampled=1';
const CLIENT_ROOT = 'Root=1-3152b799-8954dae64eda91bc9a23a7e8';

let gh: Running;
let echo: EchoServer;
let api: ApiBuilder;
let host: string;

async function call(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string; pathStyle?: boolean } = {}) {
  const url = opts.pathStyle ? `${gh.endpoint}/restapis/${api.apiId}/dev/_user_request_${path}` : `${gh.endpoint}/dev${path}`;
  const headers: Record<string, string> = { ...opts.headers };
  if (!opts.pathStyle) headers.host ??= host;
  const res = await request(url, { method: (opts.method ?? 'GET') as 'GET', headers, body: opts.body });
  const body = await res.body.text();
  return { status: res.statusCode, headers: res.headers, body, json: () => JSON.parse(body) };
}

const CONTEXT_TEMPLATE = '{"domainName":"$context.domainName","domainPrefix":"$context.domainPrefix","path":"$context.path","isCanary":"$context.isCanaryRequest"}';

before(async () => {
  gh = await startGatehouse();
  echo = await startEcho();
  await createFunction(gh.lambda, 'trace-env', {
    'index.mjs': 'export const handler = async () => ({ env: process.env._X_AMZN_TRACE_ID ?? null });',
  });
  await gh.lambda.send(
    new AddPermissionCommand({ FunctionName: 'trace-env', StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', SourceArn: `arn:aws:execute-api:us-east-1:${ACCOUNT}:*` }),
  );
  await createFunction(gh.lambda, 'trace-echo', {
    'index.mjs': 'export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ event, env: process.env._X_AMZN_TRACE_ID ?? null }) });',
  });
  await gh.lambda.send(
    new AddPermissionCommand({ FunctionName: 'trace-echo', StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', SourceArn: `arn:aws:execute-api:us-east-1:${ACCOUNT}:*` }),
  );
  api = await ApiBuilder.create(gh);
  host = `${api.apiId}.execute-api.us-east-1.amazonaws.com`;
  await api.method('/mock', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, {
    responses: [{ statusCode: '200', responseTemplates: { 'application/json': CONTEXT_TEMPLATE } }],
  });
  await api.method('/{proxy+}', 'ANY', { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: FN_URI });
  await api.method('/fn-aws', 'GET', { type: 'AWS', integrationHttpMethod: 'POST', uri: FN_URI.replace('trace-echo', 'trace-env') }, { responses: [{ statusCode: '200' }] });
  await api.method('/http', 'GET', { type: 'HTTP', integrationHttpMethod: 'GET', uri: `${echo.url}/http` }, { responses: [{ statusCode: '200' }] });
  await api.method('/http-proxy', 'GET', { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `${echo.url}/http-proxy` });
  await api.method('/templated', 'POST', {
    type: 'HTTP',
    integrationHttpMethod: 'POST',
    uri: `${echo.url}/templated`,
    requestTemplates: { 'text/plain': '{"chosen":"text/plain"}', 'application/json': '{"chosen":"application/json"}' },
    passthroughBehavior: 'NEVER',
  }, { responses: [{ statusCode: '200' }] });
  await api.method('/mock-unquoted', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '{statusCode: 404}' } }, {
    responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"selected":"default"}' } }, { statusCode: '404', selectionPattern: '404', responseTemplates: { 'application/json': '{"selected":"404"}' } }],
  });
  const validator = await gh.apigateway.send(new AG.CreateRequestValidatorCommand({ restApiId: api.apiId, name: 'params', validateRequestParameters: true }));
  await api.method('/nested/{issuer}', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, {
    method: {
      requestValidatorId: validator.id,
      // Declared in an order that is not AWS's: AWS names missing ones sorted by their key.
      requestParameters: { 'method.request.querystring.qs1': true, 'method.request.path.issuer': true, 'method.request.header.x-header-param': true },
    },
    responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"ok":true}' } }],
  });
  await api.deploy('dev');
});

after(async () => {
  await gh.stop();
  await echo.close();
});

describe('$context.domainName, domainPrefix, path, isCanaryRequest', () => {
  test('host-style: the Host the client called; prefix its first label', async () => {
    const r = await call('/mock');
    assert.equal(r.status, 200);
    assert.deepEqual(r.json(), { domainName: host, domainPrefix: api.apiId, path: '/dev/mock', isCanary: 'false' });
    const other = `${api.apiId}.execute-api.localhost:4566`;
    const o = await call('/mock/', { headers: { host: other } });
    assert.deepEqual(o.json(), { domainName: other, domainPrefix: api.apiId, path: '/dev/mock/', isCanary: 'false' });
  });

  test('path-style: the API\'s own execute-api host in its region, whatever the Host', async () => {
    const r = await call('/mock', { pathStyle: true });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json(), { domainName: host, domainPrefix: api.apiId, path: '/dev/mock', isCanary: 'false' });
  });

  test('TestInvokeMethod: AWS\'s placeholder domain testPrefix.testDomainName', async () => {
    const resourceId = await api.resource('/mock');
    const r = await gh.apigateway.send(new AG.TestInvokeMethodCommand({ restApiId: api.apiId, resourceId, httpMethod: 'GET', pathWithQueryString: '/mock' }));
    assert.equal(r.status, 200);
    const body = JSON.parse(r.body!);
    assert.deepEqual([body.domainName, body.domainPrefix, body.isCanary], ['testPrefix.testDomainName', 'testPrefix', 'false']);
  });

  test('the Lambda proxy event carries the same values', async () => {
    for (const pathStyle of [false, true]) {
      const { event } = (await call('/fn', { pathStyle })).json();
      assert.equal(event.requestContext.domainName, host);
      assert.equal(event.requestContext.domainPrefix, api.apiId);
      assert.equal(event.requestContext.path, '/dev/fn');
      assert.equal('isCanaryRequest' in event.requestContext, false);
    }
  });
});

describe('X-Amzn-Trace-Id', () => {
  test('generated when the client sends none: Root in the event, Root;Parent;Sampled in the response and the function', async () => {
    const r = await call('/fn');
    assert.equal(r.status, 200);
    const { event, env } = r.json();
    const returned = String(r.headers['x-amzn-trace-id']);
    assert.match(event.headers['X-Amzn-Trace-Id'], ROOT);
    assert.deepEqual(event.multiValueHeaders['X-Amzn-Trace-Id'], [event.headers['X-Amzn-Trace-Id']]);
    assert.match(returned, FULL);
    assert.equal(returned.startsWith(`${event.headers['X-Amzn-Trace-Id']};`), true);
    assert.equal(env, returned);
    // The root's time part is the request's epoch second.
    const seconds = parseInt(returned.slice('Root=1-'.length, 'Root=1-'.length + 8), 16);
    assert.ok(Math.abs(seconds - Date.now() / 1000) < 60);
  });

  test('the client\'s Root, Parent and Sampled are kept', async () => {
    const r = await call('/fn', { headers: { 'x-amzn-trace-id': CLIENT_FULL } });
    const { event, env } = r.json();
    assert.equal(r.headers['x-amzn-trace-id'], CLIENT_FULL);
    assert.equal(event.headers['X-Amzn-Trace-Id'], CLIENT_FULL);
    assert.equal(env, CLIENT_FULL);
  });

  test('a client Root without Parent gets a generated Parent', async () => {
    const r = await call('/fn', { headers: { 'x-amzn-trace-id': CLIENT_ROOT } });
    const { event, env } = r.json();
    const returned = String(r.headers['x-amzn-trace-id']);
    assert.match(returned, new RegExp(`^${CLIENT_ROOT};Parent=[0-9a-f]{16};Sampled=0$`));
    assert.notEqual(returned.split(';')[1], 'Parent=7fa8c0f79203be72');
    assert.equal(event.headers['X-Amzn-Trace-Id'], CLIENT_ROOT);
    assert.equal(env, returned);
  });

  test('a header without a valid Root is replaced by a generated one', async () => {
    const r = await call('/fn', { headers: { 'x-amzn-trace-id': 'garbage' } });
    const { event } = r.json();
    assert.match(event.headers['X-Amzn-Trace-Id'], ROOT);
    assert.match(String(r.headers['x-amzn-trace-id']), FULL);
  });

  test('AWS (Lambda, non-proxy): the function\'s trace is the one returned', async () => {
    const r = await call('/fn-aws', { headers: { 'x-amzn-trace-id': CLIENT_ROOT } });
    assert.equal(r.status, 200);
    const returned = String(r.headers['x-amzn-trace-id']);
    assert.match(returned, new RegExp(`^${CLIENT_ROOT};Parent=[0-9a-f]{16};Sampled=0$`));
    assert.deepEqual(r.json(), { env: returned });
  });

  test('MOCK responses and gateway errors carry no trace header', async () => {
    for (const headers of [{}, { 'x-amzn-trace-id': CLIENT_FULL }] as Array<Record<string, string>>) {
      const r = await call('/mock', { headers });
      assert.equal(r.status, 200);
      assert.equal(r.headers['x-amzn-trace-id'], undefined);
    }
    const missing = await call('/nested/x');
    assert.equal(missing.status, 400);
    assert.equal(missing.headers['x-amzn-trace-id'], undefined);
  });

  test('HTTP: the backend gets the request\'s trace header, the client the full trace', async () => {
    const r = await call('/http', { headers: { 'x-amzn-trace-id': CLIENT_FULL } });
    assert.equal(r.status, 200);
    assert.equal(r.json().headers['x-amzn-trace-id'], CLIENT_FULL);
    assert.equal(r.headers['x-amzn-trace-id'], CLIENT_FULL);
    const g = await call('/http');
    const sent = g.json().headers['x-amzn-trace-id'];
    assert.match(sent, ROOT);
    assert.match(String(g.headers['x-amzn-trace-id']), FULL);
    assert.equal(String(g.headers['x-amzn-trace-id']).startsWith(`${sent};`), true);
  });

  test('HTTP_PROXY: the backend gets the request\'s trace header; the response is the backend\'s own', async () => {
    const r = await call('/http-proxy', { headers: { 'x-amzn-trace-id': CLIENT_FULL } });
    assert.equal(r.status, 200);
    assert.equal(r.json().headers['x-amzn-trace-id'], CLIENT_FULL);
    assert.equal(r.headers['x-amzn-trace-id'], undefined);
    const g = await call('/http-proxy');
    assert.match(g.json().headers['x-amzn-trace-id'], ROOT);
  });
});

describe('smaller recorded details', () => {
  test('a request without Content-Type takes the application/json template', async () => {
    const r = await call('/templated', { method: 'POST', body: 'plain' });
    assert.equal(r.status, 200);
    assert.equal(r.json().body, '{"chosen":"application/json"}');
    assert.equal(r.json().headers['content-type'], 'application/json');
    const t = await call('/templated', { method: 'POST', body: 'plain', headers: { 'content-type': 'text/plain' } });
    assert.equal(t.json().body, '{"chosen":"text/plain"}');
  });

  test('missing required parameters are named in the order of their sorted keys: header, path, querystring', async () => {
    // {issuer} is always present when routed; drop the others.
    const r = await call('/nested/x');
    assert.equal(r.status, 400);
    assert.deepEqual(r.json(), { message: 'Missing required request parameters: [x-header-param, qs1]' });
    assert.equal(r.headers['x-amzn-errortype'], 'BadRequestException');
    const h = await call('/nested/x?qs1=1');
    assert.deepEqual(h.json(), { message: 'Missing required request parameters: [x-header-param]' });
    const q = await call('/nested/x', { headers: { 'x-header-param': 'v' } });
    assert.deepEqual(q.json(), { message: 'Missing required request parameters: [qs1]' });
    const ok = await call('/nested/x?qs1=1', { headers: { 'x-header-param': 'v' } });
    assert.equal(ok.status, 200);
  });

  test('$context.isCanaryRequest is true on requests the canary takes', async () => {
    await gh.apigateway.send(new AG.CreateDeploymentCommand({ restApiId: api.apiId, stageName: 'canaried' }));
    await gh.apigateway.send(new AG.CreateDeploymentCommand({ restApiId: api.apiId, stageName: 'canaried', canarySettings: { percentTraffic: 100 } }));
    const res = await request(`${gh.endpoint}/canaried/mock`, { headers: { host } });
    assert.equal(res.statusCode, 200);
    assert.equal((await res.body.json() as { isCanary: string }).isCanary, 'true');
  });

  test('MOCK: a template with an unquoted statusCode key selects that status', async () => {
    const r = await call('/mock-unquoted');
    assert.equal(r.status, 404);
    assert.deepEqual(r.json(), { selected: '404' });
  });

  test('MOCK: AWS keeps no httpMethod (nor uri) for a MOCK integration', async () => {
    const resourceId = await api.resource('/mock');
    const put = await gh.apigateway.send(new AG.PutIntegrationCommand({ restApiId: api.apiId, resourceId, httpMethod: 'GET', type: 'MOCK', integrationHttpMethod: 'POST', uri: 'http://example.com', requestTemplates: { 'application/json': '{statusCode: 200}' } }));
    assert.equal(put.httpMethod, undefined);
    assert.equal(put.uri, undefined);
    assert.equal(put.type, 'MOCK');
    assert.deepEqual(put.requestTemplates, { 'application/json': '{statusCode: 200}' });
    const got = await gh.apigateway.send(new AG.GetIntegrationCommand({ restApiId: api.apiId, resourceId, httpMethod: 'GET' }));
    assert.equal(got.httpMethod, undefined);
  });
});

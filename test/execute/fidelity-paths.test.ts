// Invocation fidelity, paths: how API Gateway reports and forwards the request path, checked over HTTP against
// deployed APIs (a Lambda proxy function on the embedded runtime, and a local echo backend). The expected values
// are AWS's own, recorded in LocalStack's AWS-validated snapshots (tests/aws/services/apigateway/
// test_apigateway_lambda.snapshot.json, test_lambda_aws_proxy_integration): trailing slashes kept in `path` but not
// in `{proxy+}`, slashes before and after the stage collapsed for routing, empty inner segments kept, percent-encoding
// kept in `path` and path parameters, form-decoded query strings.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import { ApiBuilder, startEcho, type EchoServer } from './helpers.ts';
import { startGatehouse, type Running } from '../helpers/gatehouse.ts';
import { createFunction } from '../functions/helpers.ts';

const ACCOUNT = '123456789012';
const FN_URI = `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:${ACCOUNT}:function:event-echo/invocations`;

let gh: Running;
let echo: EchoServer;
let api: ApiBuilder;
let host: string;

/** GET of a raw path (sent exactly as written, `//` and escapes included), Host-style unless `path-style`. */
async function raw(rawPath: string, opts: { pathStyle?: boolean; headers?: Record<string, string> } = {}) {
  const url = opts.pathStyle ? `${gh.endpoint}/restapis/${api.apiId}/${rawPath.replace(/^\//, '')}` : `${gh.endpoint}${rawPath}`;
  const headers: Record<string, string> = { ...opts.headers };
  if (!opts.pathStyle) headers.host = host;
  const res = await request(url, { method: 'GET', headers });
  const body = await res.body.text();
  return { status: res.statusCode, headers: res.headers, body, json: () => JSON.parse(body) };
}

before(async () => {
  gh = await startGatehouse();
  echo = await startEcho();
  await createFunction(gh.lambda, 'event-echo', {
    'index.mjs': 'export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event) });',
  });
  await gh.lambda.send(
    new AddPermissionCommand({ FunctionName: 'event-echo', StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', SourceArn: `arn:aws:execute-api:us-east-1:${ACCOUNT}:*` }),
  );
  api = await ApiBuilder.create(gh);
  host = `${api.apiId}.execute-api.us-east-1.amazonaws.com`;
  const lambdaProxy = { type: 'AWS_PROXY' as const, integrationHttpMethod: 'POST', uri: FN_URI };
  await api.method('/{proxy+}', 'ANY', lambdaProxy);
  await api.method('/hardcoded', 'GET', lambdaProxy);
  await api.method('/pets/{id}', 'GET', lambdaProxy);
  await api.method('/files/{proxy+}', 'ANY', {
    type: 'HTTP_PROXY',
    integrationHttpMethod: 'ANY',
    uri: `${echo.url}/store/{proxy}`,
    requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' },
  });
  await api.method('/h/{id}', 'GET', {
    type: 'HTTP',
    integrationHttpMethod: 'GET',
    uri: `${echo.url}/h/{id}`,
    requestParameters: { 'integration.request.path.id': 'method.request.path.id' },
  }, { responses: [{ statusCode: '200' }] });
  await api.method('/from-query', 'GET', {
    type: 'HTTP',
    integrationHttpMethod: 'GET',
    uri: `${echo.url}/q/{name}`,
    requestParameters: { 'integration.request.path.name': 'method.request.querystring.name' },
  }, { responses: [{ statusCode: '200' }] });
  await api.deploy('stage');
});

after(async () => {
  await gh.stop();
  await echo.close();
});

/** The parts of the proxy event that carry the path. */
function pathsOf(event: any) {
  return { resource: event.resource, path: event.path, pathParameters: event.pathParameters, rcPath: event.requestContext.path, resourcePath: event.requestContext.resourcePath };
}

describe('Lambda proxy event paths, as recorded on AWS', () => {
  test('a plain path', async () => {
    const r = await raw('/stage/proxy-value');
    assert.equal(r.status, 200);
    // Host arrives named as AWS's front end names it, whatever case the client used.
    assert.equal(r.json().headers.Host, host);
    assert.equal('host' in r.json().headers, false);
    assert.deepEqual(pathsOf(r.json()), { resource: '/{proxy+}', path: '/proxy-value', pathParameters: { proxy: 'proxy-value' }, rcPath: '/stage/proxy-value', resourcePath: '/{proxy+}' });
  });

  test('a trailing slash stays in path and requestContext.path, not in {proxy+}', async () => {
    const r = await raw('/stage/proxy-value/');
    assert.deepEqual(pathsOf(r.json()), { resource: '/{proxy+}', path: '/proxy-value/', pathParameters: { proxy: 'proxy-value' }, rcPath: '/stage/proxy-value/', resourcePath: '/{proxy+}' });
    const q = (await raw('/stage/proxy-value/?urlparam=test')).json();
    assert.equal(q.path, '/proxy-value/');
    assert.deepEqual(q.queryStringParameters, { urlparam: 'test' });
    assert.deepEqual(q.multiValueQueryStringParameters, { urlparam: ['test'] });
  });

  test('a double slash inside the path is kept, in path and in {proxy+}', async () => {
    const r = await raw('/stage/proxy-value//double-slash');
    assert.deepEqual(pathsOf(r.json()), {
      resource: '/{proxy+}', path: '/proxy-value//double-slash', pathParameters: { proxy: 'proxy-value//double-slash' }, rcPath: '/stage/proxy-value//double-slash', resourcePath: '/{proxy+}',
    });
  });

  test('slashes before the stage are collapsed everywhere', async () => {
    const r = await raw('//stage/proxy-value');
    assert.equal(r.status, 200);
    assert.deepEqual(pathsOf(r.json()), { resource: '/{proxy+}', path: '/proxy-value', pathParameters: { proxy: 'proxy-value' }, rcPath: '/stage/proxy-value', resourcePath: '/{proxy+}' });
  });

  test('slashes after the stage are collapsed for routing and path, kept in requestContext.path', async () => {
    const r = await raw('/stage//proxy-value');
    assert.deepEqual(pathsOf(r.json()), { resource: '/{proxy+}', path: '/proxy-value', pathParameters: { proxy: 'proxy-value' }, rcPath: '/stage//proxy-value', resourcePath: '/{proxy+}' });
    const h = await raw('/stage//hardcoded');
    assert.deepEqual(pathsOf(h.json()), { resource: '/hardcoded', path: '/hardcoded', pathParameters: null, rcPath: '/stage//hardcoded', resourcePath: '/hardcoded' });
  });

  test('percent-encoding stays as sent in path, requestContext.path and {proxy+}', async () => {
    const r = await raw('/stage/proxy-value/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com');
    const p = 'proxy-value/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com';
    assert.deepEqual(pathsOf(r.json()), { resource: '/{proxy+}', path: `/${p}`, pathParameters: { proxy: p }, rcPath: `/stage/${p}`, resourcePath: '/{proxy+}' });
  });

  test('{param} values keep their encoding too: %20, %2F (one segment), %2B', async () => {
    for (const [sent, id] of [['a%20b', 'a%20b'], ['a%2Fb', 'a%2Fb'], ['x%2By', 'x%2By']]) {
      const e = (await raw(`/stage/pets/${sent}`)).json();
      assert.equal(e.resource, '/pets/{id}');
      assert.equal(e.path, `/pets/${sent}`);
      assert.deepEqual(e.pathParameters, { id });
    }
  });

  test('an encoded literal path part still routes to its resource', async () => {
    const e = (await raw('/stage/hardcode%64')).json();
    assert.equal(e.resource, '/hardcoded');
    assert.equal(e.path, '/hardcode%64');
  });

  test('query strings are form-decoded: + is a space, %2B a plus, the last value wins in the single map', async () => {
    const q = [
      'dateTimeOffset=2023-06-12T18:05:10.123456+00:00',
      'email=test%2Balias@gmail.com',
      'plus=test+alias@gmail.com',
      'url=https://www.google.com/',
      'whitespace=foo%20bar',
      'zhash=abort/',
      'multi=1',
      'multi=2',
    ].join('&');
    const e = (await raw(`/stage/proxy-value/api?${q}`)).json();
    assert.equal(e.path, '/proxy-value/api');
    assert.deepEqual(e.queryStringParameters, {
      dateTimeOffset: '2023-06-12T18:05:10.123456 00:00',
      email: 'test+alias@gmail.com',
      plus: 'test alias@gmail.com',
      url: 'https://www.google.com/',
      whitespace: 'foo bar',
      zhash: 'abort/',
      multi: '2',
    });
    assert.deepEqual(e.multiValueQueryStringParameters.multi, ['1', '2']);
  });

  test('path-style invoke URLs report the same paths', async () => {
    const r = await raw('/stage/_user_request_/proxy-value/', { pathStyle: true });
    assert.equal(r.status, 200);
    assert.deepEqual(pathsOf(r.json()), { resource: '/{proxy+}', path: '/proxy-value/', pathParameters: { proxy: 'proxy-value' }, rcPath: '/stage/proxy-value/', resourcePath: '/{proxy+}' });
  });
});

describe('paths towards HTTP backends', () => {
  test('HTTP_PROXY: {proxy+} goes to the backend with its encoding and inner empty segments, without the trailing slash', async () => {
    const cases: Array<[string, string]> = [
      ['/stage/files/a%20b/c%2Fd', '/store/a%20b/c%2Fd'],
      ['/stage/files/a/b/', '/store/a/b'],
      ['/stage/files/x//y?q=1+2', '/store/x//y?q=1+2'],
      ['/stage//files/test%2Balias@gmail.com', '/store/test%2Balias@gmail.com'],
    ];
    for (const [sent, received] of cases) {
      const r = await raw(sent);
      assert.equal(r.status, 200, sent);
      assert.equal(r.json().url, received, sent);
    }
  });

  test('HTTP: a path parameter goes to the backend URI as the client encoded it', async () => {
    for (const [sent, received] of [['a%20b', '/h/a%20b'], ['a%2Fb', '/h/a%2Fb'], ['test%2Balias@gmail.com', '/h/test%2Balias@gmail.com'], ['x+y', '/h/x+y']]) {
      const r = await raw(`/stage/h/${sent}/`);
      assert.equal(r.status, 200, sent);
      assert.equal(r.json().url, received, sent);
    }
  });

  test('HTTP: a decoded value mapped into the path is percent-encoded for it', async () => {
    const r = await raw('/stage/from-query?name=a+b%2Fc%25');
    assert.equal(r.status, 200);
    assert.equal(r.json().url, '/q/a%20b%2Fc%25');
  });
});

// The headers API Gateway adds, drops, remaps or refuses on the way to and from HTTP, HTTP_PROXY, AWS and AWS_PROXY
// integrations, as recorded on AWS: LocalStack's AWS-validated TestApiGatewayHeaderRemapping
// (tests/aws/services/apigateway/test_apigateway_integrations.snapshot.json) and test_http_integration_with_lambda
// (test_apigateway_http.snapshot.json), replayed against a local echo backend and an embedded function.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync, deflateSync } from 'node:zlib';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import { ApiBuilder, startEcho, startGatehouse, type EchoServer } from './helpers.ts';
import type { Running } from '../helpers/gatehouse.ts';
import { createFunction } from '../functions/helpers.ts';

const ACCOUNT = '123456789012';
const FN_URI = `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:${ACCOUNT}:function:headers-echo/invocations`;

/** What the recording's client sends (minus what an HTTP client library cannot: Expect, Transfer-Encoding, Connection). */
const CLIENT_HEADERS: Record<string, string> = {
  Accept: 'text/html',
  'Accept-Charset': 'UTF-8',
  'Accept-Encoding': 'br',
  Age: 'request_Age',
  Authorization: 'Unauthorized',
  'Content-Encoding': 'deflate',
  'Content-MD5': 'request_Content-MD5',
  'Content-Type': 'application/json',
  Date: 'request_Date',
  'Max-Forwards': '2',
  Pragma: 'cache',
  'Proxy-Authenticate': 'Basic',
  Range: 'bytes=500-999',
  Referer: 'https://example.com/',
  Server: 'https://example.com/',
  TE: 'deflate',
  Trailer: 'Expires',
  'User-Agent': 'localStack/0.0',
  Via: 'p.example.net',
  Warn: '299 localStack/0.0',
  'WWW-Authenticate': 'Basic YWxhZGRpbjpvcGVuc2VzYW1l',
};

/** The recording's request parameters for the "full" resource (Content-Length and Transfer-Encoding apart). */
const FULL_MAPPING: Record<string, string> = {
  'integration.request.header.Accept': "'text/xml'",
  'integration.request.header.Accept-Charset': "'UTF-16'",
  'integration.request.header.Accept-Encoding': "'zstd'",
  'integration.request.header.Age': "'request_params_age'",
  'integration.request.header.Authorization': "'request_params_authorization'",
  'integration.request.header.Content-Encoding': "'compress'",
  'integration.request.header.Content-MD5': "'request_params_Content-MD5'",
  'integration.request.header.Content-Type': "'application/json'",
  'integration.request.header.Date': "'request_params_Date'",
  'integration.request.header.Expect': "'200-ok'",
  'integration.request.header.Host': 'method.request.header.Host',
  'integration.request.header.Max-Forwards': "'2'",
  'integration.request.header.Pragma': "'no-cache'",
  'integration.request.header.Range': "'bytes=0-499'",
  'integration.request.header.Referer': "'https://example.com/page'",
  'integration.request.header.Server': "'https://example.com/page'",
  'integration.request.header.Trailer': "'user-agent'",
  'integration.request.header.Upgrade': "'HTTP/2.0'",
  'integration.request.header.User-Agent': "'Override-Agent'",
  'integration.request.header.Warn': "'110 anderson/1.3.37'",
  'integration.request.header.WWW-Authenticate': "'Basic YWxhZGRpbjpvcGVuc2VzYW1l'",
  'integration.request.header.Connection': "'keep-alive'",
  'integration.request.header.Proxy-Authenticate': "'Basic realm=site'",
  'integration.request.header.TE': "'gzip'",
  'integration.request.header.Via': "'othersite.net'",
};

/** Response parameters of the recording's "full" integration response: every header set to 'response_param_X'. */
const RESPONSE_HEADERS = [
  'Accept', 'Accept-Charset', 'Accept-Encoding', 'Age', 'Authorization', 'Connection', 'Content-Encoding', 'Content-Length', 'Content-MD5',
  'Content-Type', 'Date', 'Expect', 'Host', 'Max-Forwards', 'Pragma', 'Proxy-Authenticate', 'Range', 'Referer', 'Server', 'TE',
  'Transfer-Encoding', 'Trailer', 'Upgrade', 'User-Agent', 'Via', 'Warn', 'WWW-Authenticate',
];

const INTERNAL_ERROR = '{"message": "Internal server error"}';

describe('header rules towards and from integrations', () => {
  let gh: Running;
  let echo: EchoServer;
  let api: ApiBuilder;
  let host: string;

  const last = () => echo.requests[echo.requests.length - 1]!;
  /** The header names the backend received, lowercased and sorted. */
  const names = (h: Record<string, unknown>) => Object.keys(h).sort();

  before(async () => {
    gh = await startGatehouse();
    echo = await startEcho();
    await createFunction(gh.lambda, 'headers-echo', {
      'index.mjs': 'export const handler = async (event) => event.httpMethod ? { statusCode: 200, body: JSON.stringify(event.headers) } : event;',
    });
    await gh.lambda.send(
      new AddPermissionCommand({ FunctionName: 'headers-echo', StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', SourceArn: `arn:aws:execute-api:us-east-1:${ACCOUNT}:*` }),
    );
    api = await ApiBuilder.create(gh);
    const methodHeaders = { ...Object.fromEntries(Object.keys(CLIENT_HEADERS).map((h) => [`method.request.header.${h}`, false])), 'method.request.header.Host': false };
    for (const [type, uri] of [['HTTP', `${echo.url}/echo`], ['HTTP_PROXY', `${echo.url}/echo`], ['AWS', FN_URI], ['AWS_PROXY', FN_URI]] as const) {
      const base = `/${type.toLowerCase().replace('_', '-')}`;
      const responses = type.endsWith('PROXY') ? [] : [{ statusCode: '200' }];
      await api.method(`${base}/no-param`, 'GET', { type, integrationHttpMethod: 'POST', uri }, { method: { requestParameters: methodHeaders }, responses });
      for (const special of ['Content-Length', 'Transfer-Encoding', 'Authorization', 'Connection', 'Expect', 'Proxy-Authenticate', 'TE']) {
        await api.method(`${base}/${special.toLowerCase()}`, 'GET', { type, integrationHttpMethod: 'POST', uri, requestParameters: { [`integration.request.header.${special}`]: "'x'" } }, { responses });
      }
    }
    await api.method('/http/full', 'GET', { type: 'HTTP', integrationHttpMethod: 'POST', uri: `${echo.url}/echo`, requestParameters: FULL_MAPPING }, {
      method: { requestParameters: methodHeaders },
      responses: [{ statusCode: '200', responseParameters: Object.fromEntries(RESPONSE_HEADERS.map((h) => [`method.response.header.${h}`, `'response_param_${h}'`])) }],
    });
    await api.method('/http-proxy/full', 'GET', { type: 'HTTP_PROXY', integrationHttpMethod: 'POST', uri: `${echo.url}/echo`, requestParameters: FULL_MAPPING }, {
      method: { requestParameters: methodHeaders },
    });
    await api.method('/http/post', 'POST', { type: 'HTTP', integrationHttpMethod: 'POST', uri: `${echo.url}/echo`, requestTemplates: { 'application/json': '{"templated": true}' } }, { responses: [{ statusCode: '200' }] });
    await api.method('/http-proxy/bare', 'POST', { type: 'HTTP_PROXY', integrationHttpMethod: 'POST', uri: `${echo.url}/echo` });
    await api.method('/http/passthrough', 'POST', { type: 'HTTP', integrationHttpMethod: 'POST', uri: `${echo.url}/echo` }, { responses: [{ statusCode: '200' }] });
    await api.deploy('test');
    host = `${api.apiId}.execute-api.us-east-1.amazonaws.com`;
  });

  after(async () => {
    await echo?.close();
    await gh?.stop();
  });

  const call = (path: string, headers: Record<string, string> = CLIENT_HEADERS, opts: { method?: string; body?: string } = {}) =>
    api.invoke('test', path, { headers, method: opts.method, body: opts.body });

  test('HTTP without mappings: only what API Gateway adds reaches the backend (Accept defaults to application/json)', async () => {
    const r = await call('/http/no-param');
    assert.equal(r.status, 200);
    const got = last().headers;
    assert.deepEqual(names(got), ['accept', 'connection', 'content-length', 'host', 'user-agent', 'x-amzn-apigateway-api-id', 'x-amzn-trace-id']);
    assert.equal(got.accept, 'application/json');
    assert.equal(got['content-length'], '0');
    assert.equal(got.host, `127.0.0.1:${echo.port}`);
    assert.equal(got['user-agent'], `AmazonAPIGateway_${api.apiId}`);
    assert.equal(got['x-amzn-apigateway-api-id'], api.apiId);
    // A GET's Content-Type is not passed on (recorded); a POST's is: the media type of the template applied.
    await call('/http/post', { 'Content-Type': 'application/json; charset=utf-8' }, { method: 'POST', body: '{"a": 1}' });
    assert.equal(last().headers['content-type'], 'application/json');
    assert.equal(last().body, '{"templated": true}');
  });

  test('HTTP with every header mapped: mapped values go through, Expect, Proxy-Authenticate, TE, Via and Connection do not', async () => {
    const r = await call('/http/full');
    assert.equal(r.status, 200);
    const got = last().headers;
    assert.deepEqual(got, {
      accept: 'text/xml',
      'accept-charset': 'UTF-16',
      'accept-encoding': 'zstd',
      age: 'request_params_age',
      authorization: 'request_params_authorization',
      'content-encoding': 'compress',
      'content-md5': 'request_params_Content-MD5',
      'content-type': 'application/json',
      date: 'request_params_Date',
      // The mapped Host (the client's) is the one sent.
      host,
      'max-forwards': '2',
      pragma: 'no-cache',
      range: 'bytes=0-499',
      referer: 'https://example.com/page',
      server: 'https://example.com/page',
      trailer: 'user-agent',
      'user-agent': 'Override-Agent',
      warn: '110 anderson/1.3.37',
      'www-authenticate': 'Basic YWxhZGRpbjpvcGVuc2VzYW1l',
      'x-amzn-apigateway-api-id': api.apiId,
      'x-amzn-trace-id': got['x-amzn-trace-id'],
      'content-length': got['content-length'],
      connection: 'keep-alive',
    });
    assert.match(String(got['x-amzn-trace-id']), /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}/);
  });

  test('HTTP response parameters to reserved headers come back as x-amzn-Remapped-*; Transfer-Encoding is dropped', async () => {
    const r = await call('/http/full');
    const remapped = ['Authorization', 'Connection', 'Content-Length', 'Content-MD5', 'Date', 'Expect', 'Host', 'Max-Forwards', 'Proxy-Authenticate', 'Server', 'Trailer', 'Upgrade', 'User-Agent', 'WWW-Authenticate'];
    for (const h of remapped) {
      assert.equal(r.headers[`x-amzn-remapped-${h.toLowerCase()}`], `response_param_${h}`, h);
    }
    for (const h of ['Accept', 'Accept-Charset', 'Accept-Encoding', 'Age', 'Content-Encoding', 'Content-Type', 'Pragma', 'Range', 'Referer', 'TE', 'Via', 'Warn']) {
      assert.equal(r.headers[h.toLowerCase()], `response_param_${h}`, h);
    }
    assert.equal(r.headers['transfer-encoding'], undefined);
    assert.equal(r.headers['x-amzn-remapped-transfer-encoding'], undefined);
  });

  test("HTTP_PROXY without mappings: the client's headers minus the connection-level ones and Via", async () => {
    const r = await call('/http-proxy/no-param');
    assert.equal(r.status, 200);
    const got = last().headers;
    for (const gone of ['content-encoding', 'content-md5', 'max-forwards', 'proxy-authenticate', 'server', 'te', 'trailer', 'via', 'www-authenticate']) {
      assert.equal(got[gone], undefined, gone);
    }
    for (const [name, value] of Object.entries(CLIENT_HEADERS)) {
      if (['Content-Encoding', 'Content-MD5', 'Max-Forwards', 'Proxy-Authenticate', 'Server', 'TE', 'Trailer', 'Via', 'WWW-Authenticate'].includes(name)) continue;
      assert.equal(got[name.toLowerCase()], value, name);
    }
    assert.equal(got['x-amzn-apigateway-api-id'], api.apiId);
    assert.equal(got.host, `127.0.0.1:${echo.port}`);
    // Without the client's Accept, API Gateway's default.
    await call('/http-proxy/bare', { 'content-type': 'text/plain' }, { method: 'POST', body: 'x' });
    assert.equal(last().headers.accept, 'application/json');
    assert.equal(last().headers['content-type'], 'text/plain');
  });

  test('HTTP_PROXY with mappings: mapped values win, the dropped ones stay dropped', async () => {
    const r = await call('/http-proxy/full');
    assert.equal(r.status, 200);
    const got = last().headers;
    assert.equal(got.accept, 'text/xml');
    assert.equal(got['content-encoding'], 'compress');
    assert.equal(got.server, 'https://example.com/page');
    assert.equal(got.trailer, 'user-agent');
    assert.equal(got.host, host);
    for (const gone of ['expect', 'proxy-authenticate', 'te', 'via', 'upgrade']) assert.equal(got[gone], undefined, gone);
  });

  test("HTTP_PROXY: a compressed payload reaches the backend decompressed, without the client's Content-Encoding", async () => {
    const payload = JSON.stringify({ pets: Array.from({ length: 50 }, (_, i) => ({ id: i })) });
    for (const [coding, body] of [['gzip', gzipSync(payload)], ['deflate', deflateSync(payload)], ['identity', Buffer.from(payload)]] as const) {
      const r = await api.invoke('test', '/http-proxy/bare', { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': coding }, body });
      assert.equal(r.status, 200, coding);
      assert.equal(last().body, payload, coding);
      assert.equal(last().headers['content-encoding'], undefined, coding);
      assert.equal(last().headers['content-length'], String(payload.length), coding);
    }
    // A coding API Gateway does not support, or a payload that is not in the coding it claims: 415.
    const before = echo.requests.length;
    for (const [coding, body] of [['br', Buffer.from(payload)], ['gzip', Buffer.from(payload)]] as const) {
      const r = await api.invoke('test', '/http-proxy/bare', { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': coding }, body });
      assert.equal(r.status, 415, coding);
      assert.equal(r.headers['x-amzn-errortype'], 'UnsupportedMediaTypeException');
      assert.equal(r.body, '{"message": "Unsupported Media Type"}');
    }
    // Over 10 MB once decompressed (11 kB on the wire): 413 Request Too Long.
    const bomb = await api.invoke('test', '/http-proxy/bare', { method: 'POST', headers: { 'content-encoding': 'gzip' }, body: gzipSync(Buffer.alloc(11 * 1024 * 1024)) });
    assert.equal(bomb.status, 413);
    assert.equal(bomb.body, '{"message": "Request Too Long"}');
    assert.equal(echo.requests.length, before);
  });

  test('HTTP (non-proxy): mappings and passthrough see the payload decompressed, bounded to 10 MB', async () => {
    const payload = '{"name": "zipped"}';
    const r = await api.invoke('test', '/http/passthrough', { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync(payload) });
    assert.equal(r.status, 200);
    assert.equal(last().body, payload);
    assert.equal(last().headers['content-encoding'], undefined);
    const before = echo.requests.length;
    const bomb = await api.invoke('test', '/http/passthrough', { method: 'POST', headers: { 'content-encoding': 'gzip' }, body: gzipSync(Buffer.alloc(64 * 1024 * 1024)) });
    assert.equal(bomb.status, 413);
    assert.equal(bomb.body, '{"message": "Request Too Long"}');
    const bad = await api.invoke('test', '/http/passthrough', { method: 'POST', headers: { 'content-encoding': 'deflate' }, body: 'not deflated' });
    assert.equal(bad.status, 415);
    assert.equal(echo.requests.length, before);
  });

  for (const type of ['HTTP', 'HTTP_PROXY', 'AWS', 'AWS_PROXY']) {
    const refused = type.startsWith('AWS')
      ? ['Content-Length', 'Transfer-Encoding', 'Authorization', 'Connection', 'Expect', 'Proxy-Authenticate', 'TE']
      : ['Content-Length', 'Transfer-Encoding'];
    test(`${type}: mapping ${refused.join(', ')} is answered 500 before the integration is called`, async () => {
      const base = `/${type.toLowerCase().replace('_', '-')}`;
      const ok = await call(`${base}/no-param`);
      assert.equal(ok.status, 200, ok.body);
      for (const special of refused) {
        const before = echo.requests.length;
        const r = await call(`${base}/${special.toLowerCase()}`);
        assert.equal(r.status, 500, special);
        assert.equal(r.headers['x-amzn-errortype'], 'InternalServerErrorException');
        assert.equal(r.body, INTERNAL_ERROR);
        assert.equal(echo.requests.length, before, `${special} reached the backend`);
      }
      if (type === 'HTTP' || type === 'HTTP_PROXY') {
        // The others are accepted and (see above) dropped on the way.
        for (const special of ['Authorization', 'Connection', 'Expect', 'Proxy-Authenticate', 'TE']) {
          assert.equal((await call(`${base}/${special.toLowerCase()}`)).status, 200, special);
        }
        assert.equal(last().headers.te, undefined);
      }
    });
  }

  test('AWS_PROXY: the event carries the method request headers, connection-level ones removed', async () => {
    const r = await call('/aws-proxy/no-param');
    assert.equal(r.status, 200);
    const event = r.json();
    for (const [name, value] of Object.entries(CLIENT_HEADERS)) {
      const dropped = ['Content-MD5', 'Max-Forwards', 'Proxy-Authenticate', 'Server', 'TE', 'Trailer', 'WWW-Authenticate'].includes(name);
      assert.equal(event[name], dropped ? undefined : value, name);
    }
  });
});

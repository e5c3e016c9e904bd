// Pinned attacks on the control APIs from the issue-8 review: plain cross-origin POSTs that created and invoked
// functions, DNS rebinding through any Host, and the dev-mode reset driven by a page. Each attack must fail with
// AWS's answer and change nothing; the server stays healthy.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { GetRestApisCommand } from '@aws-sdk/client-api-gateway';
import { ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { sigv4Headers, startGatehouse, type Running } from '../helpers/gatehouse.ts';
import { CREATE_FUNCTION } from './payloads.ts';

let gh: Running;
before(async () => {
  gh = await startGatehouse({ dev: true, config: { publicHosts: ['gatehouse.internal', '*.corp.example'], corsOrigins: ['https://console.example'] } });
});
after(() => gh.stop());

async function call(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  const res = await request(`${gh.endpoint}${path}`, { method: method as 'GET', headers, body });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) };
}

async function nothingChanged() {
  assert.deepEqual((await gh.apigateway.send(new GetRestApisCommand({}))).items ?? [], []);
  assert.deepEqual((await gh.lambda.send(new ListFunctionsCommand({}))).Functions ?? [], []);
  const health = await call('GET', '/_gatehouse/health');
  assert.equal(health.status, 200);
}


describe('every control request needs a SigV4 shape', () => {
  test('an unsigned request is 403 Missing Authentication Token (apigateway and lambda)', async () => {
    for (const [method, path, body] of [
      ['POST', '/restapis', '{"name":"pwned"}'],
      ['POST', '/2015-03-31/functions', CREATE_FUNCTION],
      ['GET', '/restapis', undefined],
    ] as const) {
      const r = await call(method, path, { 'content-type': 'text/plain' }, body);
      assert.equal(r.status, 403, `${method} ${path}`);
      assert.equal(r.headers['x-amzn-errortype'], 'MissingAuthenticationTokenException');
      assert.deepEqual(r.json(), { message: 'Missing Authentication Token' });
    }
    await nothingChanged();
  });

  test('a bearer token is IncompleteSignatureException with AWS text', async () => {
    const r = await call('POST', '/restapis', { authorization: 'Bearer tok', 'content-type': 'application/json' }, '{"name":"x"}');
    assert.equal(r.status, 403);
    assert.equal(r.headers['x-amzn-errortype'], 'IncompleteSignatureException');
    assert.deepEqual(r.json(), { message: "'tok' not a valid key=value pair (missing equal-sign) in Authorization header: 'Bearer tok'." });
    await nothingChanged();
  });

  test('an Authorization header without the SigV4 parameters names each missing one', async () => {
    const r = await call('GET', '/restapis', { authorization: 'eyJhbGciOi' });
    assert.equal(r.status, 403);
    assert.equal(r.headers['x-amzn-errortype'], 'IncompleteSignatureException');
    assert.deepEqual(r.json(), {
      message:
        "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
        "Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a " +
        "'X-Amz-Date' or a 'Date' header. Authorization=eyJhbGciOi",
    });
  });

  test('a partial presigned query names the missing parameters', async () => {
    const r = await call('GET', '/restapis?X-Amz-Credential=AKID%2F20260101%2Fus-east-1%2Fapigateway%2Faws4_request');
    assert.equal(r.status, 403);
    assert.equal(r.headers['x-amzn-errortype'], 'IncompleteSignatureException');
    assert.equal(
      r.json().message,
      "AWS query-string parameters must include 'X-Amz-Algorithm'. AWS query-string parameters must include 'X-Amz-Signature'. " +
        "AWS query-string parameters must include 'X-Amz-Date'. AWS query-string parameters must include 'X-Amz-SignedHeaders'. " +
        'Re-examine the query-string parameters.',
    );
  });

  test('a well-shaped presigned query passes the front door', async () => {
    const q = new URLSearchParams({
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': 'AKID/20260101/us-east-1/apigateway/aws4_request',
      'X-Amz-Date': '20260101T000000Z',
      'X-Amz-SignedHeaders': 'host',
      'X-Amz-Signature': '00',
    });
    const r = await call('GET', `/restapis?${q}`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json(), { item: [] });
  });
});

describe('no web page can drive the control APIs', () => {
  test("a foreign page's signed-looking POST is refused by its Origin", async () => {
    for (const origin of ['https://evil.example', 'null', 'http://127.0.0.1:1']) {
      const r = await call('POST', '/2015-03-31/functions', { ...sigv4Headers('lambda'), origin, 'content-type': 'application/json' }, CREATE_FUNCTION);
      assert.equal(r.status, 403, origin);
      assert.equal(r.headers['x-amzn-errortype'], 'AccessDeniedException');
      assert.equal(r.headers['access-control-allow-origin'], undefined);
      assert.equal(r.json().message, `Cross-origin requests from '${origin}' to Gatehouse's control APIs are refused; the operator can allow an origin with --cors-origin`);
    }
    await nothingChanged();
  });

  test('a no-cors subresource request (Sec-Fetch-Site: cross-site, no Origin) is refused', async () => {
    const r = await call('GET', '/restapis', { ...sigv4Headers(), 'sec-fetch-site': 'cross-site' });
    assert.equal(r.status, 403);
    assert.equal(r.headers['x-amzn-errortype'], 'AccessDeniedException');
  });

  test('a presigned-looking query from a foreign page is refused too', async () => {
    const q = 'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=A%2F20260101%2Fus-east-1%2Fapigateway%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-SignedHeaders=host&X-Amz-Signature=0';
    const r = await call('POST', `/restapis?${q}`, { origin: 'https://evil.example', 'content-type': 'text/plain' }, '{"name":"pwned"}');
    assert.equal(r.status, 403);
    await nothingChanged();
  });

  test('CORS preflights succeed only for allowed origins', async () => {
    const refused = await call('OPTIONS', '/restapis', {
      origin: 'https://evil.example',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,x-amz-date,content-type',
    });
    assert.equal(refused.status, 403);
    assert.equal(refused.headers['access-control-allow-origin'], undefined);
    const allowed = await call('OPTIONS', '/restapis', {
      origin: 'https://console.example',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,x-amz-date,content-type',
    });
    assert.equal(allowed.status, 204);
    assert.equal(allowed.headers['access-control-allow-origin'], 'https://console.example');
    assert.equal(allowed.headers['access-control-allow-headers'], 'authorization,x-amz-date,content-type');
    assert.equal(allowed.headers['access-control-allow-methods'], 'GET, HEAD, POST, PUT, PATCH, DELETE');
    assert.equal(allowed.headers.vary, 'Origin');
  });

  test('an allowed origin and the page’s own origin may call, with CORS headers on the answer', async () => {
    const fromConsole = await call('GET', '/restapis', { ...sigv4Headers(), origin: 'https://console.example' });
    assert.equal(fromConsole.status, 200);
    assert.equal(fromConsole.headers['access-control-allow-origin'], 'https://console.example');
    assert.match(String(fromConsole.headers['access-control-expose-headers']), /x-amzn-RequestId/);
    const sameOrigin = await call('GET', '/restapis', { ...sigv4Headers(), origin: gh.endpoint });
    assert.equal(sameOrigin.status, 200);
  });
});

describe('DNS rebinding: only served Host names', () => {
  test('a foreign Host is refused on the control APIs, product endpoints and path-style invokes', async () => {
    for (const path of ['/restapis', '/_gatehouse/health', '/restapis/abcdefghij/dev/_user_request_/x']) {
      const r = await call('GET', path, { ...sigv4Headers(), host: `attacker.example:${gh.port}` });
      assert.equal(r.status, 403, path);
      assert.equal(r.headers['x-amzn-errortype'], 'ForbiddenException');
      assert.deepEqual(r.json(), { message: `Host 'attacker.example:${gh.port}' is not served by this Gatehouse; the operator can serve a name with --public-host` });
    }
    const reset = await call('POST', '/_gatehouse/reset', { host: 'attacker.example', 'x-gatehouse-confirm': 'reset' });
    assert.equal(reset.status, 403);
  });

  test('loopback names, *.localhost, IP literals and --public-host names are served', async () => {
    for (const host of ['localhost', `localhost:${gh.port}`, 'api.localhost', '127.0.0.1', '[::1]:80', 'gatehouse.internal', 'a.b.corp.example', 'LOCALHOST.']) {
      const r = await call('GET', '/restapis', { ...sigv4Headers(), host });
      assert.equal(r.status, 200, host);
    }
    const other = await call('GET', '/restapis', { ...sigv4Headers(), host: 'corp.example.evil' });
    assert.equal(other.status, 403);
  });
});

describe('the dev-mode reset', () => {
  test('needs the confirmation header and no foreign origin', async () => {
    await gh.apigateway.send(new (await import('@aws-sdk/client-api-gateway')).CreateRestApiCommand({ name: 'keep' }));
    const plain = await call('POST', '/_gatehouse/reset', { 'content-type': 'text/plain' }, 'x');
    assert.equal(plain.status, 400);
    const foreign = await call('POST', '/_gatehouse/reset', { origin: 'https://evil.example', 'x-gatehouse-confirm': 'reset' });
    assert.equal(foreign.status, 403);
    assert.equal((await gh.apigateway.send(new GetRestApisCommand({}))).items?.length, 1);
    const ok = await call('POST', '/_gatehouse/reset', { 'x-gatehouse-confirm': 'reset' });
    assert.equal(ok.status, 200);
    await nothingChanged();
  });
});

// Fuzzing the data plane's front door: 10,000 generated hostile invocations of a deployed API (MOCK with request
// and response templates, a validated body, HTTP_PROXY to a local echo backend), host-style and path-style, with
// hostile paths, methods, queries, headers and bodies. No answer may be a 5xx, every gateway error is AWS-shaped,
// and the server still answers correctly afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuzz, pick, prng, wirePath, type FuzzRequest } from '../helpers/fuzz.ts';
import { ApiBuilder, AG, startEcho, startGatehouse } from '../execute/helpers.ts';

const REQUESTS = 10_000;
const PARALLEL = 16;

const PATHS = ['/mock', '/mock/', '//mock', '/mock//', '/pets/1', '/pets/%2F', '/pets/%', '/pets/%zz', '/pets/..', '/pets/%2e%2e/x', '/proxy/a/b/c', '/proxy/%00', '/proxy/😀', '/proxy/' + 'a'.repeat(4000), '/validated', '/nope', '/', '', '/mock?', '/%', '/proxy/a%20b+c', '/pets/{id}', '/proxy/..%2F..%2Fetc%2Fpasswd'];
const QUERIES = ['', 'a=1', 'a=1&a=2', '=', '&&', '%', 'q=%E0%A4%A', 'x=' + 'y'.repeat(3000), 'statusCode=500', '__proto__[polluted]=1', 'constructor.prototype.polluted=1'];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'FOO'];
const BODIES = ['', '{', '{"name":"x"}', '{"name":1}', '[]', 'null', '"s"', '{"__proto__":{"polluted":true}}', '{"a":'.repeat(5000), '\u0000\u0001', 'x'.repeat(200_000), '{"name":"' + 'n'.repeat(10_000) + '"}'];
const CONTENT_TYPES = ['application/json', 'text/plain', '', 'application/xml', 'application/json; charset=utf-16', 'multipart/form-data; boundary=x', '*/*'];
const ACCEPTS = ['', 'application/json', 'text/html', '*/*', 'application/xml;q=0.1, */*'];
const EXTRA_HEADERS: Array<Record<string, string>> = [
  {},
  { 'x-amzn-trace-id': 'Root=garbage' },
  { 'x-amzn-trace-id': 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1' },
  { authorization: 'Bearer x' },
  { 'x-api-key': 'k'.repeat(300) },
  { 'content-encoding': 'gzip' },
  { 'cache-control': 'max-age=0' },
  { cookie: 'a=b; '.repeat(200) },
  { 'x-forwarded-for': '1.2.3.4, '.repeat(50) },
];

test(`${REQUESTS} hostile invocations: no 5xx, AWS-shaped errors, server still alive`, async () => {
  const gh = await startGatehouse();
  const echo = await startEcho();
  try {
    const api = await ApiBuilder.create(gh);
    await api.method('/mock', 'ANY', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, {
      responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"path": "$context.path", "q": "$util.escapeJavaScript($input.params(\'a\'))", "body": $input.json(\'$\')}' } }],
    });
    await api.method('/pets/{id}', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, {
      responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"id": "$util.escapeJavaScript($input.params(\'id\'))"}' } }],
    });
    await api.method('/proxy/{proxy+}', 'ANY', { type: 'HTTP_PROXY', integrationHttpMethod: 'ANY', uri: `${echo.url}/{proxy}`, requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' } });
    const model = await gh.apigateway.send(
      new AG.CreateModelCommand({ restApiId: api.apiId, name: 'Pet', contentType: 'application/json', schema: JSON.stringify({ type: 'object', required: ['name'], properties: { name: { type: 'string', pattern: '^[a-z]+$' } } }) }),
    );
    const validator = await gh.apigateway.send(new AG.CreateRequestValidatorCommand({ restApiId: api.apiId, name: 'body', validateRequestBody: true }));
    await api.method('/validated', 'POST', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, {
      method: { requestValidatorId: validator.id, requestModels: { 'application/json': model.name! } },
      responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"ok": true}' } }],
    });
    await api.deploy('fuzz');

    const rand = prng(20261205);
    const next = (): FuzzRequest => {
      const hostStyle = rand() < 0.5;
      const method = pick(rand, METHODS);
      const q = pick(rand, QUERIES);
      const p = wirePath(pick(rand, PATHS));
      const path = (hostStyle ? `/fuzz${p}` : `/restapis/${api.apiId}/fuzz/_user_request_${p}`) + (q ? `?${q}` : '');
      const body = method === 'GET' || method === 'HEAD' ? '' : pick(rand, BODIES);
      const headers: Record<string, string> = { ...pick(rand, EXTRA_HEADERS) };
      const ct = pick(rand, CONTENT_TYPES);
      if (ct) headers['content-type'] = ct;
      const accept = pick(rand, ACCEPTS);
      if (accept) headers.accept = accept;
      if (hostStyle) headers.host = `${api.apiId}.execute-api.us-east-1.amazonaws.com`;
      return { method, path, headers, body };
    };
    // The echo backend's own answers pass through HTTP_PROXY as they are.
    const { failures, statuses } = await fuzz(gh.port, REQUESTS, PARALLEL, next, (h) => h['x-backend'] !== undefined);
    assert.deepEqual(failures.slice(0, 20), []);
    assert.equal([...statuses.values()].reduce((a, b) => a + b, 0), REQUESTS);
    // Every kind of answer happened: successes, refusals, validation failures.
    assert.ok((statuses.get(200) ?? 0) > 1000, JSON.stringify([...statuses]));
    assert.ok((statuses.get(403) ?? 0) > 100, JSON.stringify([...statuses]));
    assert.ok((statuses.get(400) ?? 0) > 10, JSON.stringify([...statuses]));
    // Still alive and correct afterwards, and nothing was polluted.
    const after = await api.invoke('fuzz', '/pets/7');
    assert.equal(after.status, 200);
    assert.deepEqual(after.json(), { id: '7' });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  } finally {
    await echo.close();
    await gh.stop();
  }
});

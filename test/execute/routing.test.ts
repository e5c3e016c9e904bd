// Routing of execute-api requests: Host-style and path-style invoke URLs, stages, resources with {param},
// greedy {proxy+}, ANY vs explicit verbs, trailing slashes, encoded segments, and AWS's 403 for everything else.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiBuilder, invoke, startEcho, startGatehouse, type EchoServer } from './helpers.ts';
import type { Running } from '../helpers/gatehouse.ts';

const MOCK = (body: string) => ({
  integration: { type: 'MOCK' as const, requestTemplates: { 'application/json': '{"statusCode": 200}' } },
  responses: [{ statusCode: '200', responseTemplates: { 'application/json': body } }],
});

const MISSING_TOKEN = '{"message":"Missing Authentication Token"}';

describe('execute-api routing', () => {
  let gh: Running;
  let echo: EchoServer;
  let api: ApiBuilder;

  before(async () => {
    gh = await startGatehouse();
    echo = await startEcho();
    api = await ApiBuilder.create(gh);
    const mock = async (path: string, verb: string, body: string) => {
      const m = MOCK(body);
      await api.method(path, verb, m.integration, { responses: m.responses });
    };
    await mock('/', 'GET', '{"at":"root"}');
    await mock('/pets', 'GET', '{"at":"pets"}');
    await mock('/pets', 'ANY', '{"at":"pets ANY"}');
    await mock('/pets/special', 'GET', '{"at":"special"}');
    await api.method('/pets/{petId}', 'GET', {
      type: 'HTTP',
      integrationHttpMethod: 'GET',
      uri: `${echo.url}/pets/{id}`,
      requestParameters: { 'integration.request.path.id': 'method.request.path.petId' },
    }, { responses: [{ statusCode: '200' }] });
    await api.method('/files/{proxy+}', 'ANY', {
      type: 'HTTP_PROXY',
      integrationHttpMethod: 'ANY',
      uri: `${echo.url}/store/{proxy}`,
      requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' },
    });
    await api.deploy('test');
  });

  after(async () => {
    await gh.stop();
    await echo.close();
  });

  test('Host-style and path-style invoke URLs reach the same method', async () => {
    for (const style of ['host', 'path'] as const) {
      const r = await api.invoke('test', '/pets', { style });
      assert.equal(r.status, 200);
      assert.equal(r.body, '{"at":"pets"}');
      assert.equal(r.headers['content-type'], 'application/json');
      assert.match(String(r.headers['x-amzn-requestid']), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.match(String(r.headers['x-amz-apigw-id']), /^[A-Za-z0-9]{15}=$/);
      // AWS returns no trace header from a MOCK integration (fidelity-context.test.ts pins where it does).
      assert.equal(r.headers['x-amzn-trace-id'], undefined);
    }
  });

  test('the root resource answers with and without a trailing slash', async () => {
    for (const path of ['', '/']) {
      const r = await api.invoke('test', path);
      assert.equal(r.status, 200);
      assert.equal(r.body, '{"at":"root"}');
    }
  });

  test('a trailing slash reaches the same resource', async () => {
    const r = await api.invoke('test', '/pets/');
    assert.equal(r.status, 200);
    assert.equal(r.body, '{"at":"pets"}');
  });

  test('an explicit verb wins over ANY; other verbs take ANY', async () => {
    assert.equal((await api.invoke('test', '/pets', { method: 'GET' })).body, '{"at":"pets"}');
    assert.equal((await api.invoke('test', '/pets', { method: 'DELETE' })).body, '{"at":"pets ANY"}');
    assert.equal((await api.invoke('test', '/pets', { method: 'POST', body: '{}' , headers: { 'content-type': 'application/json' } })).body, '{"at":"pets ANY"}');
  });

  test('a literal path part wins over {param}', async () => {
    assert.equal((await api.invoke('test', '/pets/special')).body, '{"at":"special"}');
  });

  test('{param} values are decoded and mapped into the integration URI', async () => {
    const r = await api.invoke('test', '/pets/a%20b');
    assert.equal(r.status, 200);
    assert.equal(r.json().url, '/pets/a%20b');
    assert.equal(r.json().method, 'GET');
  });

  test('an encoded slash in a {param} stays one value and stays encoded', async () => {
    const r = await api.invoke('test', '/pets/a%2Fb');
    assert.equal(r.status, 200);
    assert.equal(r.json().url, '/pets/a%2Fb');
  });

  test('greedy {proxy+} forwards the rest of the path', async () => {
    const r = await api.invoke('test', '/files/a/b/c.txt?x=1&x=2', { method: 'PUT', body: 'hello', headers: { 'content-type': 'text/plain' } });
    assert.equal(r.status, 200);
    const seen = r.json();
    assert.equal(seen.url, '/store/a/b/c.txt?x=1&x=2');
    assert.equal(seen.method, 'PUT');
    assert.equal(seen.body, 'hello');
  });

  test('{proxy+} needs at least one segment', async () => {
    const r = await api.invoke('test', '/files');
    assert.equal(r.status, 403);
    assert.equal(r.body, MISSING_TOKEN);
  });

  test('HEAD takes ANY, answers without a body', async () => {
    const r = await api.invoke('test', '/pets', { method: 'HEAD' });
    assert.equal(r.status, 200);
    assert.equal(r.body, '');
  });

  test('unknown API, stage, path and method: 403 Missing Authentication Token', async () => {
    const cases: Array<[string, string, string, string]> = [
      ['abcdefghij', 'test', '/pets', 'GET'],
      [api.apiId, 'nostage', '/pets', 'GET'],
      [api.apiId, 'test', '/nothing/here', 'GET'],
      [api.apiId, 'test', '/pets/special', 'POST'],
    ];
    for (const [apiId, stage, path, method] of cases) {
      for (const style of ['host', 'path'] as const) {
        const r = await invoke(gh.endpoint, apiId, stage, path, { method, style });
        assert.equal(r.status, 403, `${method} ${apiId}/${stage}${path} (${style})`);
        assert.equal(r.body, MISSING_TOKEN);
        assert.equal(r.headers['x-amzn-errortype'], 'MissingAuthenticationTokenException');
        assert.equal(r.headers['content-type'], 'application/json');
        assert.ok(r.headers['x-amzn-requestid']);
        assert.ok(r.headers['x-amz-apigw-id']);
      }
    }
  });
});

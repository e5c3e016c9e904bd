// TestInvokeMethod through the data plane's testInvoke (the control handler calls it): the current, undeployed
// API runs with the given path, query, headers, body and stage variables; the answer carries status, body,
// headers, multiValueHeaders, latency and AWS's execution log.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiBuilder, startEcho, startGatehouse, type EchoServer } from './helpers.ts';
import type { Running } from '../helpers/gatehouse.ts';
import type { DataPlane } from '../../src/execute/data-plane.ts';
import { scopedStore } from '../../src/store/scoped.ts';

describe('TestInvokeMethod', () => {
  let gh: Running;
  let echo: EchoServer;
  let api: ApiBuilder;
  let mockId: string;
  let httpId: string;
  let dataPlane: DataPlane;

  before(async () => {
    gh = await startGatehouse();
    echo = await startEcho();
    api = await ApiBuilder.create(gh);
    mockId = await api.method(
      '/pets/{petId}',
      'GET',
      { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } },
      {
        responses: [
          {
            statusCode: '200',
            responseParameters: { 'method.response.header.X-Color': 'stageVariables.color' },
            responseTemplates: { 'application/json': '{"pet":"$input.params("petId")","q":"$input.params("q")","stage":"$context.stage"}' },
          },
        ],
      },
    );
    httpId = await api.method(
      '/http',
      'POST',
      { type: 'HTTP', integrationHttpMethod: 'POST', uri: `${echo.url}/ti` },
      { responses: [{ statusCode: '200' }] },
    );
    dataPlane = gh.gatehouse.services.dataPlane as DataPlane;
  });

  after(async () => {
    await gh.stop();
    await echo.close();
  });

  test('TestInvokeMethod through the AWS SDK answers status, body, headers, latency and the execution log', async () => {
    const { TestInvokeMethodCommand } = await import('@aws-sdk/client-api-gateway');
    const r = await gh.apigateway.send(
      new TestInvokeMethodCommand({
        restApiId: api.apiId,
        resourceId: mockId,
        httpMethod: 'GET',
        pathWithQueryString: '/pets/9?q=sdk',
        stageVariables: { color: 'green' },
      }),
    );
    assert.equal(r.$metadata.httpStatusCode, 200);
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(r.body ?? ''), { pet: '9', q: 'sdk', stage: 'test-invoke-stage' });
    assert.equal(r.headers?.['X-Color'], 'green');
    assert.equal(typeof r.latency, 'number');
    assert.match(r.log ?? '', /Method request path: \{petId=9\}/);
    assert.match(r.log ?? '', /Method completed with status: 200/);
  });

  test('runs an undeployed MOCK method with path, query and stage variables', async () => {
    const r = await dataPlane.testInvoke(scopedStore(gh.gatehouse.store, 'us-east-1'), {
      restApiId: api.apiId,
      resourceId: mockId,
      httpMethod: 'GET',
      pathWithQueryString: '/pets/7?q=fluffy',
      stageVariables: { color: 'blue' },
    });
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(r.body), { pet: '7', q: 'fluffy', stage: 'test-invoke-stage' });
    assert.equal(r.headers['X-Color'], 'blue');
    assert.deepEqual(r.multiValueHeaders['X-Color'], ['blue']);
    assert.equal(r.headers['Content-Type'], 'application/json');
    assert.equal(typeof r.latency, 'number');
    const lines = r.log.trimEnd().split('\n');
    assert.match(lines[0]!, /^Execution log for request [0-9a-f-]{36}$/);
    const text = lines.slice(1).map((l) => l.replace(/^\w{3} \w{3} \d\d \d\d:\d\d:\d\d UTC \d{4} : /, ''));
    assert.ok(text.includes('Method request path: {petId=7}'), r.log);
    assert.ok(text.includes('Method request query string: {q=fluffy}'), r.log);
    assert.ok(text.includes('Method response body after transformations: {"pet":"7","q":"fluffy","stage":"test-invoke-stage"}'), r.log);
    assert.equal(text.at(-1), 'Method completed with status: 200');
  });

  test('runs an HTTP integration and logs the endpoint request', async () => {
    echo.requests.length = 0;
    const r = await dataPlane.testInvoke(scopedStore(gh.gatehouse.store, 'us-east-1'), {
      restApiId: api.apiId,
      resourceId: httpId,
      httpMethod: 'POST',
      pathWithQueryString: '/http',
      body: '{"a":1}',
      headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(r.status, 200);
    assert.equal(echo.requests[0]!.body, '{"a":1}');
    assert.match(r.log, / : Endpoint request URI: http:\/\/127\.0\.0\.1:\d+\/ti\n/);
    assert.match(r.log, / : Received response\. Status: 200, Integration latency: \d+ ms\n/);
    assert.match(r.log, / : Method completed with status: 200\n$/);
  });

  test('unknown API, resource or method: NotFoundException', async () => {
    const db = scopedStore(gh.gatehouse.store, 'us-east-1');
    await assert.rejects(dataPlane.testInvoke(db, { restApiId: 'nope', resourceId: mockId, httpMethod: 'GET' }), { name: 'NotFoundException', message: 'Invalid API identifier specified 123456789012:nope' });
    await assert.rejects(dataPlane.testInvoke(db, { restApiId: api.apiId, resourceId: 'nope', httpMethod: 'GET' }), { name: 'NotFoundException', message: 'Invalid Resource identifier specified' });
    await assert.rejects(dataPlane.testInvoke(db, { restApiId: api.apiId, resourceId: mockId, httpMethod: 'PUT' }), { name: 'NotFoundException', message: 'Invalid Method identifier specified' });
  });
});

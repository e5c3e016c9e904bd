// Requests to custom domain names, over plain HTTP with the domain as Host: base path mappings (`(none)`, single-level,
// with or without a stage), multi-level API mappings made through the apigatewayv2 API, longest match, base-path
// stripping, $context.domainName / $context.path, AWS's 403 Forbidden for unmapped paths, and
// disableExecuteApiEndpoint closing the default endpoints only.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { AG, ApiBuilder, startEcho, startGatehouse, type EchoServer } from './helpers.ts';
import { sigv4Headers, type Running } from '../helpers/gatehouse.ts';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import { createFunction } from '../functions/helpers.ts';
import { tempDataDir } from '../helpers/temp.ts';
import { rmSync } from 'node:fs';

const DOMAIN = 'api.example.localhost';
const CERT_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/0f6b8c1e-1111-2222-3333-444455556666';
// What each API answers: which API, stage, resource and how API Gateway saw the request.
const TEMPLATE = (name: string) =>
  `{"api":"${name}","stage":"$context.stage","resourcePath":"$context.resourcePath","path":"$context.path",` +
  `"domainName":"$context.domainName","domainPrefix":"$context.domainPrefix","proxy":"$input.params('proxy')"}`;

async function mockApi(gh: Running, name: string, input: Partial<AG.CreateRestApiCommandInput> = {}): Promise<ApiBuilder> {
  const api = await ApiBuilder.create(gh, { name, ...input });
  for (const path of ['/', '/{proxy+}']) {
    await api.method(path, 'ANY', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, {
      responses: [{ statusCode: '200', responseTemplates: { 'application/json': TEMPLATE(name) } }],
    });
  }
  return api;
}

/** A request to Gatehouse's plain-HTTP port with the given Host. */
async function onDomain(gh: Running, path: string, host = DOMAIN, init: { method?: string } = {}) {
  const res = await request(`${gh.endpoint}${path}`, { method: (init.method ?? 'GET') as 'GET', headers: { host } });
  const body = await res.body.text();
  return { status: res.statusCode, headers: res.headers, body, json: () => JSON.parse(body) };
}

/** apigatewayv2 over the wire (the SigV4 scope names `apigateway`, as the v2 clients sign). */
async function v2(gh: Running, method: string, path: string, body?: unknown) {
  const res = await request(`${gh.endpoint}${path}`, {
    method: method as 'GET',
    headers: { ...sigv4Headers(), 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, body: text, json: () => JSON.parse(text) };
}

describe('custom domain names', () => {
  let gh: Running;
  let a: ApiBuilder;
  let b: ApiBuilder;
  let echo: EchoServer;

  before(async () => {
    gh = await startGatehouse();
    echo = await startEcho();
    a = await mockApi(gh, 'a');
    await a.deploy('prod');
    await a.deploy('dev');
    b = await mockApi(gh, 'b', { disableExecuteApiEndpoint: true });
    await b.method('/backend/{proxy+}', 'GET', { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `${echo.url}/{proxy}` });
    await b.deploy('beta');
    await gh.apigateway.send(new AG.CreateDomainNameCommand({
      domainName: DOMAIN,
      regionalCertificateArn: CERT_ARN,
      endpointConfiguration: { types: ['REGIONAL'] },
      securityPolicy: 'TLS_1_2',
    }));
    await gh.apigateway.send(new AG.CreateBasePathMappingCommand({ domainName: DOMAIN, basePath: 'orders', restApiId: a.apiId, stage: 'prod' }));
    await gh.apigateway.send(new AG.CreateBasePathMappingCommand({ domainName: DOMAIN, basePath: 'pick', restApiId: a.apiId }));
    const created = await v2(gh, 'POST', `/v2/domainnames/${DOMAIN}/apimappings`, { apiId: b.apiId, apiMappingKey: 'orders/v2', stage: 'beta' });
    assert.equal(created.status, 201, created.body);
  });

  after(async () => {
    await gh.stop();
    await echo.close();
  });

  test('a single-level base path is stripped; $context.path keeps it, $context.domainName is the domain', async () => {
    const r = await onDomain(gh, '/orders/items/5');
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(r.json(), {
      api: 'a', stage: 'prod', resourcePath: '/{proxy+}', path: '/orders/items/5', domainName: DOMAIN, domainPrefix: 'api', proxy: 'items/5',
    });
    const root = await onDomain(gh, '/orders');
    assert.equal(root.json().resourcePath, '/');
    assert.equal(root.json().api, 'a');
  });

  test('the longest matching base path wins, segment by segment', async () => {
    const r = await onDomain(gh, '/orders/v2/items');
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(
      { api: r.json().api, stage: r.json().stage, proxy: r.json().proxy, path: r.json().path },
      { api: 'b', stage: 'beta', proxy: 'items', path: '/orders/v2/items' },
    );
    // `orders/v2x` is not under `orders/v2`: it belongs to `orders`.
    const other = await onDomain(gh, '/orders/v2x');
    assert.deepEqual({ api: other.json().api, proxy: other.json().proxy }, { api: 'a', proxy: 'v2x' });
  });

  test('a mapping without a stage takes the stage from the next segment', async () => {
    const r = await onDomain(gh, '/pick/dev/things');
    assert.equal(r.status, 200, r.body);
    assert.deepEqual({ api: r.json().api, stage: r.json().stage, proxy: r.json().proxy }, { api: 'a', stage: 'dev', proxy: 'things' });
  });

  test('an unmapped path: 403 {"message":"Forbidden"}', async () => {
    const r = await onDomain(gh, '/nothing/here');
    assert.equal(r.status, 403);
    assert.equal(r.body, '{"message":"Forbidden"}');
    assert.equal(r.headers['x-amzn-errortype'], 'ForbiddenException');
    assert.equal(r.headers['content-type'], 'application/json');
    assert.ok(r.headers['x-amzn-requestid']);
  });

  test('the Host matches with a port, in any case; the HTTP backend gets the path without the base path', async () => {
    const r = await onDomain(gh, '/orders/v2/backend/x/y?q=1', 'API.Example.LOCALHOST:4567');
    assert.equal(r.status, 200, r.body);
    assert.equal(echo.requests.at(-1)!.url, '/x/y?q=1');
  });

  test('disableExecuteApiEndpoint: 403 Forbidden on execute-api, both styles; the custom domain still serves', async () => {
    for (const style of ['host', 'path'] as const) {
      const r = await b.invoke('beta', '/x', { style });
      assert.equal(r.status, 403, style);
      assert.equal(r.body, '{"message":"Forbidden"}');
      assert.equal(r.headers['x-amzn-errortype'], 'ForbiddenException');
    }
    assert.equal((await onDomain(gh, '/orders/v2/x')).status, 200);
  });

  test('an empty base path takes what nothing else matches; deleting a mapping unmaps at once', async () => {
    const none = await v2(gh, 'POST', `/v2/domainnames/${DOMAIN}/apimappings`, { apiId: a.apiId, stage: 'dev' });
    assert.equal(none.status, 201, none.body);
    const r = await onDomain(gh, '/nothing/here');
    assert.equal(r.status, 200, r.body);
    assert.deepEqual({ api: r.json().api, stage: r.json().stage, proxy: r.json().proxy, path: r.json().path }, { api: 'a', stage: 'dev', proxy: 'nothing/here', path: '/nothing/here' });
    const del = await v2(gh, 'DELETE', `/v2/domainnames/${DOMAIN}/apimappings/${none.json().apiMappingId}`);
    assert.equal(del.status, 204, del.body);
    assert.equal((await onDomain(gh, '/nothing/here')).status, 403);
  });

  test('a deleted domain is no longer served: its Host is refused like any unknown name', async () => {
    await gh.apigateway.send(new AG.CreateDomainNameCommand({ domainName: 'gone.example.com', regionalCertificateArn: CERT_ARN, endpointConfiguration: { types: ['REGIONAL'] } }));
    await gh.apigateway.send(new AG.CreateBasePathMappingCommand({ domainName: 'gone.example.com', restApiId: a.apiId, stage: 'prod' }));
    const served = await onDomain(gh, '/', 'gone.example.com');
    assert.equal(served.status, 200, served.body);
    assert.equal(served.json().domainName, 'gone.example.com');
    await gh.apigateway.send(new AG.DeleteBasePathMappingCommand({ domainName: 'gone.example.com', basePath: '(none)' }));
    await gh.apigateway.send(new AG.DeleteDomainNameCommand({ domainName: 'gone.example.com' }));
    const refused = await onDomain(gh, '/', 'gone.example.com');
    assert.equal(refused.status, 403);
    assert.notEqual(refused.body, served.body);
    assert.match(refused.body, /not served by this Gatehouse/);
  });
});

// The Lambda proxy event through a custom domain, as AWS builds it (LocalStack PR #12296 lists what AWS sends): `path`
// and `requestContext.path` are the path the client sent, base path (and, for a mapping without a stage, the stage
// segment) included; `requestContext.domainName` is the domain.
describe('Lambda proxy events through a custom domain', () => {
  let gh: Running;
  let api: ApiBuilder;
  const ACCOUNT = '123456789012';

  before(async () => {
    gh = await startGatehouse();
    await createFunction(gh.lambda, 'event-echo', {
      'index.mjs': 'export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event) });',
    });
    await gh.lambda.send(new AddPermissionCommand({
      FunctionName: 'event-echo', StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', SourceArn: `arn:aws:execute-api:us-east-1:${ACCOUNT}:*`,
    }));
    api = await ApiBuilder.create(gh);
    const uri = `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:${ACCOUNT}:function:event-echo/invocations`;
    await api.method('/{proxy+}', 'ANY', { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri });
    await api.deploy('prod');
    for (const domainName of ['lambda.example.localhost', 'nostage.example.localhost']) {
      await gh.apigateway.send(new AG.CreateDomainNameCommand({ domainName, regionalCertificateArn: CERT_ARN, endpointConfiguration: { types: ['REGIONAL'] } }));
    }
    await gh.apigateway.send(new AG.CreateBasePathMappingCommand({ domainName: 'lambda.example.localhost', basePath: 'svc', restApiId: api.apiId, stage: 'prod' }));
    await gh.apigateway.send(new AG.CreateBasePathMappingCommand({ domainName: 'nostage.example.localhost', restApiId: api.apiId }));
  });

  after(async () => {
    await gh.stop();
  });

  const paths = (e: any) => ({
    path: e.path, resource: e.resource, proxy: e.pathParameters?.proxy, contextPath: e.requestContext.path, stage: e.requestContext.stage,
    domainName: e.requestContext.domainName, domainPrefix: e.requestContext.domainPrefix, host: e.headers.Host ?? e.headers.host,
  });

  test('base path and stage mapped: the event keeps the base path in path and requestContext.path', async () => {
    const r = await onDomain(gh, '/svc/items/5', 'lambda.example.localhost');
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(paths(r.json()), {
      path: '/svc/items/5', resource: '/{proxy+}', proxy: 'items/5', contextPath: '/svc/items/5', stage: 'prod',
      domainName: 'lambda.example.localhost', domainPrefix: 'lambda', host: 'lambda.example.localhost',
    });
  });

  test('no base path, no stage: the stage segment stays in the event\'s paths', async () => {
    const r = await onDomain(gh, '/prod/items', 'nostage.example.localhost');
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(paths(r.json()), {
      path: '/prod/items', resource: '/{proxy+}', proxy: 'items', contextPath: '/prod/items', stage: 'prod',
      domainName: 'nostage.example.localhost', domainPrefix: 'nostage', host: 'nostage.example.localhost',
    });
  });
});

describe('custom domains stored before the host index existed', () => {
  test('are indexed when Gatehouse starts, and served', async () => {
    const dataDir = tempDataDir();
    let gh = await startGatehouse({ dataDir });
    try {
      const api = await mockApi(gh, 'old');
      await api.deploy('prod');
      await gh.apigateway.send(new AG.CreateDomainNameCommand({ domainName: 'old.example.localhost', regionalCertificateArn: CERT_ARN, endpointConfiguration: { types: ['REGIONAL'] } }));
      await gh.apigateway.send(new AG.CreateBasePathMappingCommand({ domainName: 'old.example.localhost', restApiId: api.apiId, stage: 'prod' }));
      // What a data directory of an earlier version holds: the domain without its index row.
      assert.equal(await gh.gatehouse.store.write((tx) => tx.deletePrefix('domainhosts', '')), 1);
      await gh.stop();
      gh = await startGatehouse({ dataDir });
      const r = await onDomain(gh, '/x', 'old.example.localhost');
      assert.equal(r.status, 200, r.body);
      assert.deepEqual({ api: r.json().api, domainName: r.json().domainName }, { api: 'old', domainName: 'old.example.localhost' });
    } finally {
      await gh.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

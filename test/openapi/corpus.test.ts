// Every definition of the corpus (test/openapi/corpus/) through the real control API: imported (ImportRestApi),
// deployed, invoked over HTTP (answers asserted exactly: MOCK, HTTP, HTTP_PROXY, AWS and AWS_PROXY integrations,
// TOKEN/REQUEST/Cognito authorizers, API keys, SigV4, validators, gateway responses, CORS), then exported as Swagger
// 2.0 and as OpenAPI 3.0 with API Gateway's extensions (GetExport) and each export imported again: the re-imported
// API must equal the original in everything the control API shows (api-snapshot.ts) — a lossless round trip.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as AG from '@aws-sdk/client-api-gateway';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import { startGatehouse, type Running } from '../helpers/gatehouse.ts';
import { startEcho, type EchoServer } from '../execute/helpers.ts';
import { createFunction } from '../functions/helpers.ts';
import { loadOrCreateLocalKey } from '../../src/auth/jwt/local-keys.ts';
import { issueLocalTokens } from '../../src/auth/jwt/local-tokens.ts';
import { userPoolOfArn } from '../../src/auth/jwt/user-pool.ts';
import { apiSnapshot } from './api-snapshot.ts';

const CORPUS = join(import.meta.dirname, 'corpus');
const POOL_ARN = 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_CorpusPool1';

let gh: Running;
let echo: EchoServer;

interface Answer {
  status: number;
  headers: Headers;
  body: string;
}

before(async () => {
  gh = await startGatehouse();
  echo = await startEcho();
  const fns: Record<string, string> = {
    // AWS_PROXY: the proxy event in, a proxy answer out.
    'petstore-handler': `export const handler = async (event) => ({ statusCode: 200, headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pet: { id: 1, ...JSON.parse(event.body) }, message: event.httpMethod + ' ' + event.resource }) });`,
    // AWS (no proxy): the mapped request in, an object out for the response template.
    'petstore-owner': `export const handler = async (event) => ({ owner: { name: 'Ada' }, petId: event.petId });`,
    'token-authorizer': `export const handler = async (event) => {
      if (event.authorizationToken !== 'Bearer good') throw new Error('Unauthorized');
      return { principalId: 'user-1', context: { tier: 'gold' },
        policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }] } };
    };`,
    'request-authorizer': `export const handler = async (event) => ({ principalId: 'tenant',
      context: { tenant: event.headers['X-Tenant'] ?? event.headers['x-tenant'] },
      policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: event.queryStringParameters.key === 'k' ? 'Allow' : 'Deny', Resource: event.methodArn }] } });`,
  };
  for (const [name, code] of Object.entries(fns)) {
    await createFunction(gh.lambda, name, { 'index.mjs': code });
    await gh.lambda.send(new AddPermissionCommand({ FunctionName: name, StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' }));
  }
});

after(async () => {
  await echo.close();
  await gh.stop();
});

async function importFile(name: string): Promise<string> {
  const api = await gh.apigateway.send(new AG.ImportRestApiCommand({ body: readFileSync(join(CORPUS, name)) }));
  await gh.apigateway.send(new AG.CreateDeploymentCommand({ restApiId: api.id!, stageName: 'test', variables: { backend: `127.0.0.1:${echo.port}` } }));
  return api.id!;
}

function invoker(apiId: string) {
  return async (method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}): Promise<Answer> => {
    const res = await fetch(`${gh.endpoint}/restapis/${apiId}/test/_user_request_${path}`, { method, headers: init.headers, body: init.body });
    return { status: res.status, headers: res.headers, body: await res.text() };
  };
}

/** Export as Swagger 2.0 and OpenAPI 3.0 with API Gateway's extensions, import each, compare with the original. */
async function roundTrip(apiId: string): Promise<void> {
  const original = await apiSnapshot(gh.apigateway, apiId);
  for (const exportType of ['swagger', 'oas30']) {
    const exported = await gh.apigateway.send(
      new AG.GetExportCommand({ restApiId: apiId, stageName: 'test', exportType, parameters: { extensions: 'apigateway' }, accepts: 'application/json' }),
    );
    const again = await gh.apigateway.send(new AG.ImportRestApiCommand({ body: exported.body! }));
    // The resource policy is exported with its ARNs expanded (execute-api:/* became arn:…:{id}/*), so the copy's
    // policy names the original API, as it would on AWS: both ids are API_ID in the copy.
    const copy = await apiSnapshot(gh.apigateway, again.id!, [apiId]);
    assert.deepEqual(copy, original, `${exportType} export re-imported`);
    await gh.apigateway.send(new AG.DeleteRestApiCommand({ restApiId: again.id! }));
  }
}

describe('petstore-integrations.yaml: every integration type', () => {
  let id: string;
  let call: ReturnType<typeof invoker>;
  before(async () => {
    id = await importFile('petstore-integrations.yaml');
    call = invoker(id);
  });

  test('MOCK answers from its template with a mapped header', async () => {
    const r = await call('GET', '/health');
    assert.equal(r.status, 200);
    assert.equal(r.body, '{"status": "ok", "stage": "test"}');
    assert.equal(r.headers.get('cache-control'), 'no-store');
  });

  test('HTTP reaches the backend named by a stage variable, with mapped query, path and header', async () => {
    const list = await call('GET', '/pets?type=dog');
    assert.equal(list.status, 200);
    assert.equal(list.body, '{"backendSaw": "/pets?type=dog", "method": "GET"}\n');
    const one = await call('GET', '/pets/7');
    assert.equal(one.status, 200);
    assert.equal(one.headers.get('x-backend-name'), 'echo');
    const seen = JSON.parse(one.body);
    assert.equal(seen.url, '/pets/7');
    assert.equal(seen.headers['x-requested-by'], 'gatehouse-petstore');
  });

  test('HTTP_PROXY passes any method and the greedy path through', async () => {
    const r = await call('POST', '/legacy/a/b?x=1', { body: 'raw', headers: { 'content-type': 'text/plain' } });
    assert.equal(r.status, 200);
    const seen = JSON.parse(r.body);
    assert.deepEqual([seen.method, seen.url, seen.body], ['POST', '/legacy/a/b?x=1', 'raw']);
  });

  test('AWS_PROXY invokes the function with the proxy event', async () => {
    const r = await call('POST', '/pets', { body: '{"type":"dog","price":30}', headers: { 'content-type': 'application/json' } });
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(r.body), { pet: { id: 1, type: 'dog', price: 30 }, message: 'POST /pets' });
  });

  test('AWS invokes the function with the mapped request and maps its answer', async () => {
    const r = await call('GET', '/pets/7/owner');
    assert.equal(r.status, 200);
    assert.equal(r.body, '{"owner": {"name":"Ada"}, "petId": "7"}');
  });

  test('exports and re-imports losslessly', () => roundTrip(id));
});

describe('guide-petstore.json: the developer guide\'s PetStore', () => {
  let id: string;
  let call: ReturnType<typeof invoker>;
  before(async () => {
    id = await importFile('guide-petstore.json');
    call = invoker(id);
  });

  test('the root answers HTML from a MOCK', async () => {
    const r = await call('GET', '/');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'text/html');
    assert.match(r.body, /^<html><head><title>PetStore<\/title><\/head><body><h1>Welcome to your Pet Store API<\/h1>/);
  });

  test('GET /pets maps its query to the backend and allows any origin', async () => {
    const r = await call('GET', '/pets?type=cat&page=2');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('access-control-allow-origin'), '*');
    const url = new URL(JSON.parse(r.body).url, 'http://x');
    assert.equal(url.pathname, '/petstore/pets');
    assert.deepEqual(Object.fromEntries(url.searchParams), { type: 'cat', page: '2' });
  });

  test('POST /pets validates the body against NewPet; the BAD_REQUEST_BODY gateway response shapes the refusal', async () => {
    const bad = await call('POST', '/pets', { body: '{"type":"lizard","price":10}', headers: { 'content-type': 'application/json' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.headers.get('access-control-allow-origin'), '*');
    assert.match(bad.body, /^\{"message": "Invalid pet: \[.+\]"\}$/);
    const good = await call('POST', '/pets', { body: '{"type":"dog","price":30}', headers: { 'content-type': 'application/json' } });
    assert.equal(good.status, 200);
    assert.deepEqual([JSON.parse(good.body).method, JSON.parse(good.body).body], ['POST', '{"type":"dog","price":30}']);
  });

  test('OPTIONS answers the CORS preflight from a MOCK', async () => {
    const r = await call('OPTIONS', '/pets/3');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('access-control-allow-methods'), 'GET,OPTIONS');
    assert.equal(r.headers.get('access-control-allow-headers'), 'Content-Type,X-Amz-Date,Authorization,X-Api-Key');
    assert.equal(r.headers.get('access-control-allow-origin'), '*');
  });

  test('exports and re-imports losslessly', () => roundTrip(id));
});

describe('authorizers-validators.yaml: authorizers, API keys, SigV4, validators', () => {
  let id: string;
  let call: ReturnType<typeof invoker>;
  before(async () => {
    id = await importFile('authorizers-validators.yaml');
    call = invoker(id);
  });

  test('TOKEN authorizer: refused without a token, context passed with one; the query is validated', async () => {
    assert.deepEqual(await call('GET', '/orders?status=open').then((r) => [r.status, r.body]), [401, '{"message":"Unauthorized"}']);
    const ok = await call('GET', '/orders?status=open', { headers: { authorization: 'Bearer good' } });
    assert.deepEqual([ok.status, ok.body], [200, '{"principal": "user-1", "tier": "gold", "status": "open"}']);
    const missing = await call('GET', '/orders', { headers: { authorization: 'Bearer good' } });
    assert.deepEqual([missing.status, missing.body], [400, '{"message": "Missing required request parameters: [status]"}']);
  });

  test('Cognito authorizer with a scope, and body validation against NewOrder', async () => {
    const pool = userPoolOfArn(POOL_ARN)!;
    const key = await loadOrCreateLocalKey(gh.dataDir, pool.poolId);
    const { accessToken } = await issueLocalTokens(pool, key, { sub: 'user-2', scopes: ['orders/write'] });
    const headers = { authorization: accessToken, 'content-type': 'application/json' };
    const ok = await call('POST', '/orders', { headers, body: '{"sku":"ABC-1234","quantity":2}' });
    assert.deepEqual([ok.status, ok.body], [201, '{"accepted": true, "by": "user-2"}']);
    const invalid = await call('POST', '/orders', { headers, body: '{"sku":"ABC-1234","quantity":0}' });
    assert.deepEqual([invalid.status, invalid.body], [400, '{"message": "Invalid request body"}']);
    const anonymous = await call('POST', '/orders', { headers: { 'content-type': 'application/json' }, body: '{"sku":"ABC-1234","quantity":2}' });
    assert.deepEqual([anonymous.status, anonymous.body], [401, '{"message":"Unauthorized"}']);
  });

  test('REQUEST authorizer on a header and a query parameter', async () => {
    const ok = await call('GET', '/orders/42?key=k', { headers: { 'x-tenant': 'acme' } });
    assert.deepEqual([ok.status, ok.body], [200, '{"orderId": "42", "tenant": "acme"}']);
    const denied = await call('GET', '/orders/42?key=nope', { headers: { 'x-tenant': 'acme' } });
    assert.deepEqual([denied.status, denied.body], [403, '{"Message":"User is not authorized to access this resource with an explicit deny"}']);
    const missing = await call('GET', '/orders/42?key=k');
    assert.deepEqual([missing.status, missing.body], [401, '{"message":"Unauthorized"}']);
  });

  test('API key required: refused without, accepted with a key of a usage plan of the stage', async () => {
    assert.deepEqual(await call('GET', '/reports').then((r) => [r.status, r.body]), [403, '{"message":"Forbidden"}']);
    const k = await gh.apigateway.send(new AG.CreateApiKeyCommand({ name: 'corpus', enabled: true }));
    const plan = await gh.apigateway.send(new AG.CreateUsagePlanCommand({ name: 'corpus', apiStages: [{ apiId: id, stage: 'test' }] }));
    await gh.apigateway.send(new AG.CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: k.id!, keyType: 'API_KEY' }));
    const r = await call('GET', '/reports', { headers: { 'x-api-key': k.value! } });
    assert.deepEqual([r.status, r.body], [200, '{"reports": []}']);
  });

  test('AWS_IAM (sigv4 security scheme): an unsigned call is refused', async () => {
    const r = await call('GET', '/admin');
    assert.deepEqual([r.status, r.body], [403, '{"message":"Missing Authentication Token"}']);
  });

  test('exports and re-imports losslessly', () => roundTrip(id));
});

describe('oas30-components.json: OpenAPI 3.0 components, $refs and callbacks', () => {
  let id: string;
  let call: ReturnType<typeof invoker>;
  before(async () => {
    id = await importFile('oas30-components.json');
    call = invoker(id);
  });

  test('the request body $ref is validated; path-level $ref parameters and $ref headers work', async () => {
    const headers = { 'content-type': 'application/json' };
    const bad = await call('POST', '/subscriptions', { headers, body: '{"callbackUrl":"https://x.example/cb","events":[]}' });
    assert.deepEqual([bad.status, bad.body], [400, '{"message": "Invalid request body"}']);
    const ok = await call('POST', '/subscriptions', { headers, body: '{"callbackUrl":"https://x.example/cb","events":["order.created"]}' });
    assert.equal(ok.status, 201);
    assert.match(ok.body, /^\{"id": "sub-[0-9a-f-]{36}"\}$/);
    // The $ref parameters became method request parameters.
    const resources = await gh.apigateway.send(new AG.GetResourcesCommand({ restApiId: id, embed: ['methods'] }));
    const list = resources.items!.find((r) => r.path === '/subscriptions')!.resourceMethods!.GET!;
    assert.deepEqual(list.requestParameters, { 'method.request.header.X-Request-Id': false, 'method.request.querystring.limit': false });
    const one = await call('GET', '/subscriptions/abc');
    assert.deepEqual([one.status, one.headers.get('etag'), one.body], [200, '"v1"', '{"id": "abc", "events": ["order.created"]}']);
    const gone = await call('DELETE', '/subscriptions/abc');
    assert.deepEqual([gone.status, gone.body], [204, '']);
  });

  test('components.schemas became models, $refs between them model URLs', async () => {
    const model = await gh.apigateway.send(new AG.GetModelCommand({ restApiId: id, modelName: 'Subscription' }));
    assert.deepEqual(JSON.parse(model.schema!).allOf[0], { $ref: `https://apigateway.amazonaws.com/restapis/${id}/models/NewSubscription` });
  });

  test('exports and re-imports losslessly', () => roundTrip(id));
});

describe('anchors.yaml: YAML anchors and aliases', () => {
  let id: string;
  before(async () => {
    id = await importFile('anchors.yaml');
  });

  test('each aliased integration answers', async () => {
    const r = await invoker(id)('GET', '/products/ABC-1/reviews');
    assert.deepEqual([r.status, r.headers.get('access-control-allow-origin'), r.body], [200, '*', '{"sku": "ABC-1", "resource": "/products/{sku}/reviews"}']);
    const one = await invoker(id)('GET', '/products/ABC-2');
    assert.deepEqual([one.status, one.body], [200, '{"sku": "ABC-2", "resource": "/products/{sku}"}']);
  });

  test('exports and re-imports losslessly', () => roundTrip(id));
});

describe('large-500-paths.json: 500 paths', () => {
  let id: string;
  before(async () => {
    id = await importFile('large-500-paths.json');
  });

  test('every path became a resource, and methods answer', async () => {
    const snapshot = await apiSnapshot(gh.apigateway, id);
    const paths = Object.keys(snapshot.resources);
    const defined = Object.keys(JSON.parse(readFileSync(join(CORPUS, 'large-500-paths.json'), 'utf8')).paths);
    for (const p of defined) assert.ok(paths.includes(p), p);
    const call = invoker(id);
    assert.deepEqual(await call('GET', '/v1/orders/search?q=x').then((r) => [r.status, r.body]), [200, '{"q": "x", "items": []}']);
    const item = await call('GET', '/v1/shipments/5');
    assert.equal(JSON.parse(item.body).url, '/v1/shipments/5');
  });

  test('exports and re-imports losslessly', () => roundTrip(id));
});

describe('settings-policy-docs.yaml: API settings, resource policy, documentation, rare integration fields', () => {
  let id: string;
  let call: ReturnType<typeof invoker>;
  before(async () => {
    id = await importFile('settings-policy-docs.yaml');
    call = invoker(id);
    // GetExport writes documentation from the stage's documentation version (as AWS does): publish one.
    await gh.apigateway.send(new AG.CreateDocumentationVersionCommand({ restApiId: id, documentationVersion: 'v1', stageName: 'test' }));
  });

  test('the settings and documentation parts are the API\'s', async () => {
    const api = await gh.apigateway.send(new AG.GetRestApiCommand({ restApiId: id }));
    assert.deepEqual([api.binaryMediaTypes, api.minimumCompressionSize, api.apiKeySource, api.disableExecuteApiEndpoint], [['application/pdf', 'image/*'], 0, 'HEADER', false]);
    assert.equal(JSON.parse(api.policy!.replaceAll('\\"', '"')).Statement.length, 2);
    const parts = await gh.apigateway.send(new AG.GetDocumentationPartsCommand({ restApiId: id }));
    assert.deepEqual(parts.items!.map((p) => p.location!.type).sort(), ['API', 'METHOD', 'RESOURCE']);
  });

  test('the policy allows GET and denies DELETE; a gateway response reshapes the denial and unknown routes', async () => {
    const r = await call('GET', '/reports/r-1?format=json', { headers: { accept: 'application/json' } });
    assert.equal(r.status, 200);
    const seen = JSON.parse(r.body);
    assert.deepEqual([seen.url, seen.headers.accept], ['/reports/r-1?format=json', 'application/json']);
    const denied = await call('DELETE', '/reports/r-1');
    assert.deepEqual([denied.status, denied.body], [403, '{"error": "denied", "reason": "User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********9012:' + id + '/test/DELETE/reports/r-1 with an explicit deny"}']);
    const unknown = await call('GET', '/nowhere');
    assert.deepEqual([unknown.status, unknown.headers.get('x-reports-error'), unknown.body], [404, 'no-such-route', '{"error": "no such route", "path": "/test/nowhere"}']);
  });

  test('exports and re-imports losslessly', () => roundTrip(id));
});

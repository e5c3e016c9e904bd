// API keys on the data plane (issue 10 item 7): methods with apiKeyRequired admit a request only with an enabled key
// that a usage plan covering the API stage has, from the x-api-key header (apiKeySource HEADER) or a Lambda
// authorizer's usageIdentifierKey (AUTHORIZER); everything else is INVALID_API_KEY, 403 {"message":"Forbidden"}.
// Key and plan changes apply to the next request; apiKeySource, a RestApi setting, with the next deployment.
// $context.identity.apiKey / apiKeyId in a MOCK template and in the Lambda proxy event. AUTHORIZER keys come from a
// real Lambda TOKEN authorizer deployed through the Lambda API.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import { AG, ApiBuilder, startGatehouse, type Invoked } from './helpers.ts';
import type { Running } from '../helpers/gatehouse.ts';
import { createFunction } from '../functions/helpers.ts';
import { runAws } from '../helpers/aws-cli.ts';

const ACCOUNT = '123456789012';
const IDENTITY_TEMPLATE = '{"apiKey":"$!context.identity.apiKey","apiKeyId":"$!context.identity.apiKeyId"}';
const mock = { type: 'MOCK' as const, requestTemplates: { 'application/json': '{"statusCode": 200}' } };
const ok = [{ statusCode: '200', responseTemplates: { 'application/json': IDENTITY_TEMPLATE } }];

function assertForbidden(r: Invoked): void {
  assert.equal(r.status, 403, r.body);
  assert.equal(r.body, '{"message":"Forbidden"}');
  assert.equal(r.headers['x-amzn-errortype'], 'ForbiddenException');
}

describe('API keys, source HEADER', () => {
  let gh: Running;
  let api: ApiBuilder;
  let other: ApiBuilder;
  let planId: string;
  let key: { id: string; value: string };

  const send = <T>(cmd: { input: unknown }) => gh.apigateway.send(cmd as never) as Promise<T>;
  /** `value` null: no x-api-key header at all. */
  const call = (path = '/keyed', value: string | null = key.value, stage = 'test', headerName = 'x-api-key') =>
    api.invoke(stage, path, { headers: value === null ? {} : { [headerName]: value } });

  async function newKey(enabled = true, value?: string): Promise<{ id: string; value: string }> {
    const k = await send<AG.CreateApiKeyCommandOutput>(new AG.CreateApiKeyCommand({ name: `k${Math.random()}`, enabled, value }));
    return { id: k.id!, value: k.value! };
  }
  async function newPlan(stages: Array<{ apiId: string; stage: string }>, keyIds: string[] = []): Promise<string> {
    const p = await send<AG.CreateUsagePlanCommandOutput>(new AG.CreateUsagePlanCommand({ name: `p${Math.random()}`, apiStages: stages }));
    for (const keyId of keyIds) await send(new AG.CreateUsagePlanKeyCommand({ usagePlanId: p.id!, keyId, keyType: 'API_KEY' }));
    return p.id!;
  }

  before(async () => {
    gh = await startGatehouse();
    api = await ApiBuilder.create(gh);
    await api.method('/keyed', 'GET', mock, { method: { apiKeyRequired: true }, responses: ok });
    await api.method('/open', 'GET', mock, { responses: ok });
    await api.deploy('test');
    await api.deploy('other');
    other = await ApiBuilder.create(gh);
    await other.method('/keyed', 'GET', mock, { method: { apiKeyRequired: true }, responses: ok });
    await other.deploy('test');
    key = await newKey();
    planId = await newPlan([{ apiId: api.apiId, stage: 'test' }], [key.id]);
  });

  after(() => gh.stop());

  test('an enabled key of a usage plan covering the stage is admitted; $context.identity.apiKey and apiKeyId are set', async () => {
    const r = await call();
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(r.json(), { apiKey: key.value, apiKeyId: key.id });
  });

  test('the header name is case-insensitive', async () => {
    const r = await call('/keyed', key.value, 'test', 'X-API-Key');
    assert.equal(r.status, 200, r.body);
  });

  test('no key, an empty key, an unknown key: 403 Forbidden', async () => {
    assertForbidden(await call('/keyed', null));
    assertForbidden(await call('/keyed', ''));
    assertForbidden(await call('/keyed', 'not-a-key-of-this-account-at-all'));
    assertForbidden(await call('/keyed', key.id)); // the id is not the key
    assertForbidden(await call('/keyed', key.value.toUpperCase() === key.value ? key.value.toLowerCase() : key.value.toUpperCase()));
  });

  test('a key that is disabled is refused from the next request on, and admitted again once enabled', async () => {
    const k = await newKey();
    await send(new AG.CreateUsagePlanKeyCommand({ usagePlanId: planId, keyId: k.id, keyType: 'API_KEY' }));
    assert.equal((await call('/keyed', k.value)).status, 200);
    await send(new AG.UpdateApiKeyCommand({ apiKey: k.id, patchOperations: [{ op: 'replace', path: '/enabled', value: 'false' }] }));
    assertForbidden(await call('/keyed', k.value));
    await send(new AG.UpdateApiKeyCommand({ apiKey: k.id, patchOperations: [{ op: 'replace', path: '/enabled', value: 'true' }] }));
    assert.equal((await call('/keyed', k.value)).status, 200);
  });

  test('a key created disabled (the default) is refused even in a plan', async () => {
    const k = await newKey(false);
    await send(new AG.CreateUsagePlanKeyCommand({ usagePlanId: planId, keyId: k.id, keyType: 'API_KEY' }));
    assertForbidden(await call('/keyed', k.value));
  });

  test('a key in no usage plan is refused', async () => {
    const k = await newKey(true, 'a-given-key-value-0123456789');
    assertForbidden(await call('/keyed', k.value));
  });

  test("a plan covering another stage or another API does not admit the key on this one", async () => {
    const k = await newKey();
    await newPlan([{ apiId: api.apiId, stage: 'other' }, { apiId: other.apiId, stage: 'test' }], [k.id]);
    assertForbidden(await call('/keyed', k.value, 'test'));
    const onOther = await call('/keyed', k.value, 'other');
    assert.equal(onOther.status, 200, onOther.body);
    assert.equal((await other.invoke('test', '/keyed', { headers: { 'x-api-key': k.value } })).status, 200);
    // `key` (only in the plan of api/test) is refused on the other API and stage.
    assertForbidden(await other.invoke('test', '/keyed', { headers: { 'x-api-key': key.value } }));
    assertForbidden(await call('/keyed', key.value, 'other'));
  });

  test('leaving the plan, the plan leaving the stage, deleting the key: refused at once', async () => {
    const k1 = await newKey();
    const k2 = await newKey();
    const k3 = await newKey();
    const plan = await newPlan([{ apiId: api.apiId, stage: 'other' }], [k1.id, k2.id, k3.id]);
    for (const k of [k1, k2, k3]) assert.equal((await call('/keyed', k.value, 'other')).status, 200);
    await send(new AG.DeleteUsagePlanKeyCommand({ usagePlanId: plan, keyId: k1.id }));
    assertForbidden(await call('/keyed', k1.value, 'other'));
    await send(new AG.DeleteApiKeyCommand({ apiKey: k2.id }));
    assertForbidden(await call('/keyed', k2.value, 'other'));
    assert.equal((await call('/keyed', k3.value, 'other')).status, 200);
    await send(new AG.UpdateUsagePlanCommand({ usagePlanId: plan, patchOperations: [{ op: 'remove', path: '/apiStages', value: `${api.apiId}:other` }] }));
    assertForbidden(await call('/keyed', k3.value, 'other'));
  });

  test('set up with the aws CLI (create-api-key, create-usage-plan, create-usage-plan-key, update-api-key): the key works at once', async () => {
    const cli = (...args: string[]) => runAws({ endpoint: gh.endpoint }, 'apigateway', ...args);
    const k = await cli('create-api-key', '--name', 'from-cli', '--enabled', '--value', 'cli-key-value-0123456789');
    assert.equal(k.code, 0, k.stderr);
    const p = await cli('create-usage-plan', '--name', 'cli-plan', '--api-stages', `apiId=${other.apiId},stage=test`);
    assert.equal(p.code, 0, p.stderr);
    const headers = { 'x-api-key': 'cli-key-value-0123456789' };
    assertForbidden(await other.invoke('test', '/keyed', { headers }));
    const upk = await cli('create-usage-plan-key', '--usage-plan-id', p.json.id, '--key-id', k.json.id, '--key-type', 'API_KEY');
    assert.equal(upk.code, 0, upk.stderr);
    assert.equal((await other.invoke('test', '/keyed', { headers })).status, 200);
    const off = await cli('update-api-key', '--api-key', k.json.id, '--patch-operations', 'op=replace,path=/enabled,value=false');
    assert.equal(off.code, 0, off.stderr);
    assertForbidden(await other.invoke('test', '/keyed', { headers }));
  });

  test('a method that does not require a key ignores one: $context.identity.apiKey and apiKeyId stay null', async () => {
    const without = await call('/open', null);
    assert.equal(without.status, 200);
    assert.deepEqual(without.json(), { apiKey: '', apiKeyId: '' });
    const withKey = await call('/open', key.value);
    assert.deepEqual(withKey.json(), { apiKey: '', apiKeyId: '' });
    const bogus = await call('/open', 'bogus');
    assert.equal(bogus.status, 200);
  });

  test('the INVALID_API_KEY gateway response can be customised', async () => {
    const custom = await ApiBuilder.create(gh);
    await custom.method('/keyed', 'GET', mock, { method: { apiKeyRequired: true }, responses: ok });
    await send(
      new AG.PutGatewayResponseCommand({
        restApiId: custom.apiId,
        responseType: 'INVALID_API_KEY',
        statusCode: '401',
        responseParameters: { 'gatewayresponse.header.x-why': "'key'" },
        responseTemplates: { 'application/json': '{"error":"$context.error.message","type":"$context.error.responseType"}' },
      }),
    );
    await custom.deploy('test');
    const r = await custom.invoke('test', '/keyed');
    assert.equal(r.status, 401);
    assert.equal(r.headers['x-why'], 'key');
    assert.deepEqual(r.json(), { error: 'Forbidden', type: 'INVALID_API_KEY' });
  });

  test('apiKeySource is deployed with the API: AUTHORIZER applies after a redeployment, then x-api-key counts for nothing', async () => {
    const source = await ApiBuilder.create(gh);
    await source.method('/keyed', 'GET', mock, { method: { apiKeyRequired: true }, responses: ok });
    await source.deploy('test');
    const k = await newKey();
    await newPlan([{ apiId: source.apiId, stage: 'test' }], [k.id]);
    const headers = { 'x-api-key': k.value };
    assert.equal((await source.invoke('test', '/keyed', { headers })).status, 200);
    await send(new AG.UpdateRestApiCommand({ restApiId: source.apiId, patchOperations: [{ op: 'replace', path: '/apiKeySource', value: 'AUTHORIZER' }] }));
    assert.equal((await source.invoke('test', '/keyed', { headers })).status, 200, 'not deployed yet');
    await source.deploy('test');
    // No authorizer supplies a usageIdentifierKey to this method (authorization NONE): no key, whatever the header.
    assertForbidden(await source.invoke('test', '/keyed', { headers }));
    assertForbidden(await source.invoke('test', '/keyed'));
  });

  test('a canary deployment of the stage is covered by the stage\'s usage plans', async () => {
    const canaryApi = await ApiBuilder.create(gh);
    await canaryApi.method('/keyed', 'GET', mock, { method: { apiKeyRequired: true }, responses: ok });
    await canaryApi.deploy('live');
    await send(new AG.CreateDeploymentCommand({ restApiId: canaryApi.apiId, stageName: 'live', canarySettings: { percentTraffic: 100 } }));
    const k = await newKey();
    await newPlan([{ apiId: canaryApi.apiId, stage: 'live' }], [k.id]);
    const r = await canaryApi.invoke('live', '/keyed', { headers: { 'x-api-key': k.value } });
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(r.json(), { apiKey: k.value, apiKeyId: k.id });
    assertForbidden(await canaryApi.invoke('live', '/keyed'));
  });

  test('the Lambda proxy event carries requestContext.identity.apiKey and apiKeyId; without a key requirement it has neither', async () => {
    await createFunction(gh.lambda, 'keyecho', { 'index.mjs': 'export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event.requestContext.identity) });' });
    await gh.lambda.send(
      new AddPermissionCommand({ FunctionName: 'keyecho', StatementId: 'apigateway', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', SourceArn: `arn:aws:execute-api:us-east-1:${ACCOUNT}:*` }),
    );
    const uri = `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:${ACCOUNT}:function:keyecho/invocations`;
    const fnApi = await ApiBuilder.create(gh);
    await fnApi.method('/keyed', 'GET', { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri }, { method: { apiKeyRequired: true } });
    await fnApi.method('/open', 'GET', { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri });
    await fnApi.deploy('prod');
    const k = await newKey();
    await newPlan([{ apiId: fnApi.apiId, stage: 'prod' }], [k.id]);
    const keyed = await fnApi.invoke('prod', '/keyed', { headers: { 'x-api-key': k.value } });
    assert.equal(keyed.status, 200, keyed.body);
    const identity = keyed.json();
    assert.equal(identity.apiKey, k.value);
    assert.equal(identity.apiKeyId, k.id);
    const open = (await fnApi.invoke('prod', '/open', { headers: { 'x-api-key': k.value } })).json();
    assert.equal('apiKey' in open, false);
    assert.equal('apiKeyId' in open, false);
  });
});

describe('API keys, source AUTHORIZER (a real Lambda TOKEN authorizer supplies usageIdentifierKey)', () => {
  let gh: Running;
  let key: { id: string; value: string };
  // The token says what the authorizer answers: `key:VALUE` allows with usageIdentifierKey VALUE, `nokey` allows
  // without one; the policy always allows the method.
  const AUTHORIZER = `export const handler = async (event) => {
    const token = event.authorizationToken;
    const out = { principalId: 'p', policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }] } };
    if (token.startsWith('key:')) out.usageIdentifierKey = token.slice(4);
    return out;
  };`;

  async function keyedApi(apiKeySource: 'HEADER' | 'AUTHORIZER'): Promise<ApiBuilder> {
    const api = await ApiBuilder.create(gh, { apiKeySource });
    const uri = `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:${ACCOUNT}:function:keyauth/invocations`;
    const authorizer = await gh.apigateway.send(
      new AG.CreateAuthorizerCommand({ restApiId: api.apiId, name: 'k', type: 'TOKEN', authorizerUri: uri, identitySource: 'method.request.header.Authorization', authorizerResultTtlInSeconds: 0 }),
    );
    await api.method('/keyed', 'GET', mock, { method: { authorizationType: 'CUSTOM', authorizerId: authorizer.id, apiKeyRequired: true }, responses: ok });
    await api.deploy('test');
    const plan = await gh.apigateway.send(new AG.CreateUsagePlanCommand({ name: `p-${apiKeySource}`, apiStages: [{ apiId: api.apiId, stage: 'test' }] }));
    await gh.apigateway.send(new AG.CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id, keyType: 'API_KEY' }));
    return api;
  }

  before(async () => {
    gh = await startGatehouse();
    await createFunction(gh.lambda, 'keyauth', { 'index.mjs': AUTHORIZER });
    await gh.lambda.send(new AddPermissionCommand({ FunctionName: 'keyauth', StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' }));
    const k = await gh.apigateway.send(new AG.CreateApiKeyCommand({ name: 'authz', enabled: true }));
    key = { id: k.id!, value: k.value! };
  });

  after(() => gh.stop());

  test("the authorizer's usageIdentifierKey is the key: admitted, and $context.identity.apiKey / apiKeyId name it", async () => {
    const api = await keyedApi('AUTHORIZER');
    const r = await api.invoke('test', '/keyed', { headers: { Authorization: `key:${key.value}` } });
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(r.json(), { apiKey: key.value, apiKeyId: key.id });
  });

  test('an unknown usageIdentifierKey, or none, is 403 Forbidden; x-api-key counts for nothing', async () => {
    const api = await keyedApi('AUTHORIZER');
    assertForbidden(await api.invoke('test', '/keyed', { headers: { Authorization: 'key:not-a-key-of-this-account' } }));
    assertForbidden(await api.invoke('test', '/keyed', { headers: { Authorization: 'nokey', 'x-api-key': key.value } }));
    assertForbidden(await api.invoke('test', '/keyed', { headers: { Authorization: 'key:', 'x-api-key': key.value } }));
  });

  test('with apiKeySource HEADER the authorizer\'s usageIdentifierKey is ignored: x-api-key decides', async () => {
    const api = await keyedApi('HEADER');
    assertForbidden(await api.invoke('test', '/keyed', { headers: { Authorization: `key:${key.value}` } }));
    const r = await api.invoke('test', '/keyed', { headers: { Authorization: 'nokey', 'x-api-key': key.value } });
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(r.json(), { apiKey: key.value, apiKeyId: key.id });
  });

  test('a missing Authorization token is the authorizer\'s 401, before any key check', async () => {
    const api = await keyedApi('AUTHORIZER');
    const r = await api.invoke('test', '/keyed', { headers: { 'x-api-key': key.value } });
    assert.equal(r.status, 401);
    assert.equal(r.body, '{"message":"Unauthorized"}');
  });
});

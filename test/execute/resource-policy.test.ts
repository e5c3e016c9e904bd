// Resource policies on execute-api for methods without authentication (the guide's "API Gateway resource policy
// only" workflow: an explicit Allow is needed), the execute-api:/ shorthand, each condition-operator family, the
// need to redeploy for a policy change, and PRIVATE endpoints reached through configured VPC-endpoint networks.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AG, ApiBuilder, startGatehouse } from './helpers.ts';
import type { Running } from '../helpers/gatehouse.ts';

const mock = { type: 'MOCK' as const, requestTemplates: { 'application/json': '{"statusCode": 200}' } };
const ok = [{ statusCode: '200', responseTemplates: { 'application/json': '{"ok":true}' } }];
const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const allowAll = { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' };

async function apiWith(gh: Running, policy: string | undefined, paths = ['/pets', '/admin'], extra: Partial<AG.CreateRestApiCommandInput> = {}): Promise<ApiBuilder> {
  const api = await ApiBuilder.create(gh, { ...(policy ? { policy } : {}), ...extra });
  for (const p of paths) await api.method(p, 'GET', mock, { responses: ok });
  await api.deploy('test');
  return api;
}

const denied = (api: ApiBuilder, path: string, explicit: boolean, method = 'GET') =>
  `{"Message":"User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********9012:${api.apiId}/test/${method}${path}${explicit ? ' with an explicit deny' : ''}"}`;

describe('resource policies (no authentication)', () => {
  let gh: Running;
  before(async () => {
    gh = await startGatehouse();
  });
  after(() => gh.stop());

  test('no policy: open; Allow: 200; no matching statement: 403 implicit; Deny: 403 explicit (AccessDeniedException)', async () => {
    const open = await apiWith(gh, undefined);
    assert.equal((await open.invoke('test', '/pets')).status, 200);
    const api = await apiWith(gh, doc(
      { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/test/GET/pets' },
      { Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*/*/admin' },
    ), ['/pets', '/admin', '/other']);
    assert.equal((await api.invoke('test', '/pets')).status, 200);
    const implicit = await api.invoke('test', '/other');
    assert.equal(implicit.status, 403);
    assert.equal(implicit.body, denied(api, '/other', false));
    assert.equal(implicit.headers['x-amzn-errortype'], 'AccessDeniedException');
    const explicit = await api.invoke('test', '/admin');
    assert.equal(explicit.status, 403);
    assert.equal(explicit.body, denied(api, '/admin', true));
  });

  test('Allow and Deny both matching: the explicit deny wins', async () => {
    const api = await apiWith(gh, doc(allowAll, { Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*/GET/pets' }));
    assert.equal((await api.invoke('test', '/pets')).body, denied(api, '/pets', true));
    assert.equal((await api.invoke('test', '/admin')).status, 200);
  });

  test('the root resource\'s ARN ends in /GET/ and the path is the one sent', async () => {
    const api = await ApiBuilder.create(gh, { policy: doc({ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*/*/nothing' }) });
    await api.method('/', 'GET', mock, { responses: ok });
    await api.deploy('test');
    assert.equal((await api.invoke('test', '/')).body, denied(api, '/', false));
  });

  test('a principal naming an IAM user does not match anonymous callers', async () => {
    const api = await apiWith(gh, doc({ ...allowAll, Principal: { AWS: 'arn:aws:iam::123456789012:user/alice' } }));
    assert.equal((await api.invoke('test', '/pets')).status, 403);
    const any = await apiWith(gh, doc({ ...allowAll, Principal: { AWS: '*' } }));
    assert.equal((await any.invoke('test', '/pets')).status, 200);
  });

  test('a policy change needs a new deployment, as on AWS', async () => {
    const api = await apiWith(gh, doc(allowAll));
    await gh.apigateway.send(new AG.UpdateRestApiCommand({ restApiId: api.apiId, patchOperations: [{ op: 'replace', path: '/policy', value: doc({ ...allowAll, Effect: 'Deny' }) }] }));
    assert.equal((await api.invoke('test', '/pets')).status, 200, 'the deployed policy still applies');
    await api.deploy('test');
    assert.equal((await api.invoke('test', '/pets')).body, denied(api, '/pets', true));
  });

  describe('condition operators through a resource policy', () => {
    // Each row: a condition on an Allow statement and whether the local test request (from 127.0.0.1, plain HTTP,
    // user agent undici) satisfies it.
    const now = Date.now();
    const rows: Array<[string, object, boolean]> = [
      ['IpAddress', { IpAddress: { 'aws:SourceIp': ['127.0.0.0/8'] } }, true],
      ['IpAddress (other network)', { IpAddress: { 'aws:SourceIp': '192.0.2.0/24' } }, false],
      ['NotIpAddress', { NotIpAddress: { 'aws:SourceIp': '192.0.2.0/24' } }, true],
      ['StringEquals', { StringEquals: { 'aws:SourceIp': '127.0.0.1' } }, true],
      ['StringLike', { StringLike: { 'aws:UserAgent': 'undici*' } }, true],
      ['StringNotLike', { StringNotLike: { 'aws:UserAgent': 'curl*' } }, true],
      ['Bool aws:SecureTransport false', { Bool: { 'aws:SecureTransport': 'false' } }, true],
      ['Bool aws:SecureTransport true', { Bool: { 'aws:SecureTransport': 'true' } }, false],
      ['DateGreaterThan', { DateGreaterThan: { 'aws:CurrentTime': new Date(now - 86_400_000).toISOString() } }, true],
      ['DateLessThan (past)', { DateLessThan: { 'aws:CurrentTime': new Date(now - 86_400_000).toISOString() } }, false],
      ['NumericGreaterThan aws:EpochTime', { NumericGreaterThan: { 'aws:EpochTime': String(Math.floor(now / 1000) - 3600) } }, true],
      ['Null (no VPC endpoint)', { Null: { 'aws:SourceVpce': 'true' } }, true],
      ['StringEquals on an absent key', { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } }, false],
      ['StringEqualsIfExists on an absent key', { StringEqualsIfExists: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } }, true],
      ['ArnLike on an absent key', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/*' } }, false],
      ['ForAnyValue:StringEquals', { 'ForAnyValue:StringEquals': { 'aws:SourceIp': ['10.0.0.1', '127.0.0.1'] } }, true],
    ];
    for (const [name, Condition, allowed] of rows) {
      test(`${name}: ${allowed ? 200 : 403}`, async () => {
        const api = await apiWith(gh, doc({ ...allowAll, Condition }), ['/x']);
        const r = await api.invoke('test', '/x', { headers: { 'user-agent': 'undici-test' } });
        assert.equal(r.status, allowed ? 200 : 403, r.body);
      });
    }
  });
});

describe('PRIVATE endpoints and aws:SourceVpce', () => {
  let gh: Running;
  before(async () => {
    gh = await startGatehouse({ config: { vpcEndpoints: [{ id: 'vpce-1a2b3c4d', vpcId: 'vpc-2f09a348', cidrs: ['127.0.0.0/8'] }] } });
  });
  after(() => gh.stop());

  test('a PRIVATE API is served through the configured VPC endpoint when its policy allows it', async () => {
    const api = await apiWith(gh, doc({ ...allowAll, Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d', 'aws:SourceVpc': 'vpc-2f09a348' } } }), ['/x'], { endpointConfiguration: { types: ['PRIVATE'] } });
    assert.equal((await api.invoke('test', '/x')).status, 200);
    const other = await apiWith(gh, doc({ ...allowAll, Effect: 'Deny', Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-99999999' } } }), ['/x'], { endpointConfiguration: { types: ['PRIVATE'] } });
    const r = await other.invoke('test', '/x');
    assert.equal(r.body, denied(other, '/x', true));
  });
});

describe('PRIVATE endpoints on the control plane', () => {
  let gh: Running;
  before(async () => {
    gh = await startGatehouse();
  });
  after(() => gh.stop());

  test("a PRIVATE API without a resource policy cannot be deployed (AWS's BadRequestException)", async () => {
    const api = await ApiBuilder.create(gh, { endpointConfiguration: { types: ['PRIVATE'] } });
    await api.method('/x', 'GET', mock, { responses: ok });
    await assert.rejects(api.deploy('test'), (e: Error) => e.name === 'BadRequestException' && e.message === "Private REST API doesn't have a resource policy attached to it");
  });
});

describe('PRIVATE endpoints without a configured VPC endpoint', () => {
  let gh: Running;
  before(async () => {
    gh = await startGatehouse({ config: { vpcEndpoints: [{ id: 'vpce-1a2b3c4d', vpcId: undefined, cidrs: ['192.0.2.0/24'] }], vpceHeaderFrom: ['10.9.9.9'] } });
  });
  after(() => gh.stop());

  test('a request from elsewhere: 403 Forbidden; an untrusted peer\'s x-amzn-vpce-id header counts for nothing', async () => {
    const api = await apiWith(gh, doc(allowAll), ['/x'], { endpointConfiguration: { types: ['PRIVATE'] } });
    const r = await api.invoke('test', '/x', { headers: { 'x-amzn-vpce-id': 'vpce-1a2b3c4d' } });
    assert.equal(r.status, 403);
    assert.equal(r.body, '{"message":"Forbidden"}');
    assert.equal(r.headers['x-amzn-errortype'], 'ForbiddenException');
    const regional = await apiWith(gh, doc(allowAll), ['/x'], { endpointConfiguration: { types: ['REGIONAL'] } });
    assert.equal((await regional.invoke('test', '/x')).status, 200);
  });
});

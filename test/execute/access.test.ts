// Access answers the data plane gives before any integration runs: disableExecuteApiEndpoint (403 Forbidden),
// AWS_IAM methods called unsigned (403 Missing Authentication Token), API keys missing (403 Forbidden). Signed AWS_IAM
// calls: authorization-iam.test.ts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiBuilder, startGatehouse } from './helpers.ts';
import type { Running } from '../helpers/gatehouse.ts';

describe('access checks of the method request', () => {
  let gh: Running;
  let api: ApiBuilder;
  let disabled: ApiBuilder;
  const mock = { type: 'MOCK' as const, requestTemplates: { 'application/json': '{"statusCode": 200}' } };
  const ok = [{ statusCode: '200', responseTemplates: { 'application/json': '{"ok":true}' } }];

  before(async () => {
    gh = await startGatehouse();
    api = await ApiBuilder.create(gh);
    await api.method('/iam', 'GET', mock, { method: { authorizationType: 'AWS_IAM' }, responses: ok });
    await api.method('/keyed', 'GET', mock, { method: { apiKeyRequired: true }, responses: ok });
    await api.deploy('test');
    disabled = await ApiBuilder.create(gh, { disableExecuteApiEndpoint: true });
    await disabled.method('/x', 'GET', mock, { responses: ok });
    await disabled.deploy('test');
  });

  after(() => gh.stop());

  test('an API with disableExecuteApiEndpoint answers 403 Forbidden', async () => {
    const r = await disabled.invoke('test', '/x');
    assert.equal(r.status, 403);
    assert.equal(r.body, '{"message":"Forbidden"}');
    assert.equal(r.headers['x-amzn-errortype'], 'ForbiddenException');
  });

  test('an unsigned call to an AWS_IAM method: 403 Missing Authentication Token', async () => {
    const r = await api.invoke('test', '/iam');
    assert.equal(r.status, 403);
    assert.equal(r.body, '{"message":"Missing Authentication Token"}');
    assert.equal(r.headers['x-amzn-errortype'], 'MissingAuthenticationTokenException');
  });

  test('a method requiring an API key, called without one: 403 Forbidden', async () => {
    const r = await api.invoke('test', '/keyed');
    assert.equal(r.status, 403);
    assert.equal(r.body, '{"message":"Forbidden"}');
    assert.equal(r.headers['x-amzn-errortype'], 'ForbiddenException');
  });
});

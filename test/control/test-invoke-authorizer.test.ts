// TestInvokeAuthorizer (SDK and aws CLI) on Lambda TOKEN and REQUEST authorizers: the same identity checks and
// function call as deployed requests, never the result cache; and the identifier checks AWS makes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import { CreateAuthorizerCommand, CreateRestApiCommand, TestInvokeAuthorizerCommand } from '@aws-sdk/client-api-gateway';
import { startGatehouse, type Running } from '../helpers/gatehouse.ts';
import { runAws } from '../helpers/aws-cli.ts';
import { createFunction, startProbe, type Probe } from '../functions/helpers.ts';

const ACCOUNT = '123456789012';
const uri = (name: string) => `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}/invocations`;
const AUTHORIZER = `
export const handler = async (event) => {
  await fetch(process.env.PROBE + '/record/tia', { method: 'POST', body: JSON.stringify(event) });
  const token = event.type === 'TOKEN' ? event.authorizationToken : event.headers?.['X-Token'];
  if (token === 'unauthorized') throw new Error('Unauthorized');
  if (token === 'boom') throw new Error('boom');
  return { principalId: 'user-1', policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: token === 'deny' ? 'Deny' : 'Allow', Resource: event.methodArn }] }, context: { a: 'b' } };
};`;

let gh: Running;
let probe: Probe;
let apiId: string;
let tokenAuthorizer: string;
let requestAuthorizer: string;

before(async () => {
  gh = await startGatehouse();
  probe = await startProbe();
  await createFunction(gh.lambda, 'tia', { 'index.mjs': AUTHORIZER }, { env: { PROBE: probe.url } });
  await gh.lambda.send(new AddPermissionCommand({ FunctionName: 'tia', StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' }));
  apiId = (await gh.apigateway.send(new CreateRestApiCommand({ name: 'tia' }))).id!;
  tokenAuthorizer = (await gh.apigateway.send(new CreateAuthorizerCommand({ restApiId: apiId, name: 'tok', type: 'TOKEN', authorizerUri: uri('tia'), identitySource: 'method.request.header.Authorization', identityValidationExpression: '[a-z]+' }))).id!;
  requestAuthorizer = (await gh.apigateway.send(new CreateAuthorizerCommand({ restApiId: apiId, name: 'req', type: 'REQUEST', authorizerUri: uri('tia'), identitySource: 'method.request.header.X-Token, method.request.querystring.q' }))).id!;
});
after(async () => {
  await probe.close();
  await gh.stop();
});

const testInvoke = (authorizerId: string, input: Partial<ConstructorParameters<typeof TestInvokeAuthorizerCommand>[0]> = {}) =>
  gh.apigateway.send(new TestInvokeAuthorizerCommand({ restApiId: apiId, authorizerId, ...input }));

describe('TestInvokeAuthorizer', () => {
  test('TOKEN: clientStatus 200 with principalId, the returned policy, the log and latency; never cached', async () => {
    const before = probe.records('tia').length;
    for (let i = 0; i < 2; i++) {
      const r = await testInvoke(tokenAuthorizer, { headers: { Authorization: 'allow' } });
      assert.equal(r.$metadata.httpStatusCode, 200);
      assert.equal(r.clientStatus, 200);
      assert.equal(r.principalId, 'user-1');
      const policy = JSON.parse(r.policy!);
      assert.equal(policy.Statement[0].Effect, 'Allow');
      assert.equal(policy.Statement[0].Resource, `arn:aws:execute-api:us-east-1:${ACCOUNT}:${apiId}/ESTestInvoke-stage/GET/`);
      assert.equal(typeof r.latency, 'number');
      assert.match(r.log!, /^Execution log for request [0-9a-f-]{36}\n/);
      assert.match(r.log!, new RegExp(`: Starting authorizer: ${tokenAuthorizer} for request: `));
      assert.match(r.log!, /Authorizer result body before parsing: \{"principalId":"user-1"/);
      assert.match(r.log!, / : Incoming identity: \{method\.request\.header\.Authorization=allow\}\n/);
    }
    assert.equal(probe.records('tia').length, before + 2);
    assert.deepEqual(JSON.parse(probe.records('tia').at(-1)!), {
      type: 'TOKEN',
      authorizationToken: 'allow',
      methodArn: `arn:aws:execute-api:us-east-1:${ACCOUNT}:${apiId}/ESTestInvoke-stage/GET/`,
    });
  });

  test('TOKEN: a Deny policy is still a successful authorizer run (no method to match it against)', async () => {
    const r = await testInvoke(tokenAuthorizer, { headers: { Authorization: 'deny' } });
    assert.equal(r.clientStatus, 200);
    assert.equal(JSON.parse(r.policy!).Statement[0].Effect, 'Deny');
  });

  test('TOKEN: missing token, failed validation expression, "Unauthorized" → 401; other failures → 500', async () => {
    const before = probe.records('tia').length;
    assert.equal((await testInvoke(tokenAuthorizer, {})).clientStatus, 401);
    assert.equal((await testInvoke(tokenAuthorizer, { headers: { Authorization: 'NOT-LOWER' } })).clientStatus, 401);
    assert.equal(probe.records('tia').length, before);
    const masked = await testInvoke(tokenAuthorizer, { headers: { Authorization: 'abcdefghijklmnop' } });
    assert.match(masked.log!, / : Incoming identity: \{method\.request\.header\.Authorization=\*{10}klmnop\}\n/);
    const unauthorized = await testInvoke(tokenAuthorizer, { headers: { Authorization: 'unauthorized' } });
    assert.equal(unauthorized.clientStatus, 401);
    assert.equal(unauthorized.principalId, undefined);
    assert.match(unauthorized.log!, / : Unauthorized request: [0-9a-f-]{36}\n.* : Unauthorized\n$/);
    const boom = await testInvoke(tokenAuthorizer, { headers: { Authorization: 'boom' } });
    assert.equal(boom.clientStatus, 500);
    assert.match(boom.log!, /Execution failed due to configuration error: Authorizer error/);
    assert.match(boom.log!, /AuthorizerConfigurationException/);
  });

  test('REQUEST: headers, multi-value headers, path and query, stage variables reach the event', async () => {
    const r = await testInvoke(requestAuthorizer, {
      multiValueHeaders: { 'X-Token': ['allow'] },
      pathWithQueryString: '/pets/1?q=x&q=y',
      stageVariables: { v: '1' },
    });
    assert.equal(r.clientStatus, 200);
    const event = JSON.parse(probe.records('tia').at(-1)!);
    assert.equal(event.type, 'REQUEST');
    assert.equal(event.methodArn, `arn:aws:execute-api:us-east-1:${ACCOUNT}:${apiId}/ESTestInvoke-stage/GET/pets/1`);
    assert.equal(event.path, '/pets/1');
    assert.deepEqual(event.multiValueQueryStringParameters, { q: ['x', 'y'] });
    assert.deepEqual(event.stageVariables, { v: '1' });
    assert.deepEqual(event.pathParameters, {});
    // The requestContext of AWS's test invocations.
    assert.equal(event.requestContext.stage, 'test-invoke-stage');
    assert.equal(event.requestContext.resourceId, 'test-invoke-resource-id');
    assert.equal(event.requestContext.domainPrefix, 'testPrefix');
    assert.equal(event.requestContext.identity.apiKey, 'test-invoke-api-key');
    assert.equal(event.requestContext.identity.sourceIp, 'test-invoke-source-ip');
    assert.equal(event.requestContext.identity.accountId, ACCOUNT);
    assert.equal((await testInvoke(requestAuthorizer, { headers: { 'X-Token': 'allow' } })).clientStatus, 401);
  });

  test('unknown API or authorizer: AWS\'s NotFoundException texts', async () => {
    await assert.rejects(gh.apigateway.send(new TestInvokeAuthorizerCommand({ restApiId: 'nope', authorizerId: 'x' })), {
      name: 'NotFoundException',
      message: `Invalid API identifier specified ${ACCOUNT}:nope`,
    });
    await assert.rejects(testInvoke('nope00'), { name: 'NotFoundException', message: 'Invalid Authorizer identifier specified' });
  });

  test('through the aws CLI', async () => {
    const r = await runAws({ endpoint: gh.endpoint }, 'apigateway', 'test-invoke-authorizer', '--rest-api-id', apiId, '--authorizer-id', tokenAuthorizer, '--headers', 'Authorization=allow');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json.clientStatus, 200);
    assert.equal(r.json.principalId, 'user-1');
  });
});

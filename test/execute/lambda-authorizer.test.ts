// Lambda authorizers end to end: authorizer functions deployed through the Lambda API, REST APIs with CUSTOM
// methods invoked over real HTTP. Every authorizer invocation is recorded by a probe server the function calls, so
// caching is shown by call counts; time moves on the server's injectable clock.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import { IAMClient, CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { ApiBuilder, AG } from './helpers.ts';
import { startGatehouse, TEST_CREDENTIALS, type Running } from '../helpers/gatehouse.ts';
import { createFunction, startProbe, type Probe } from '../functions/helpers.ts';

const ACCOUNT = '123456789012';
const fnArn = (name: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`;
const uriOf = (functionArn: string) => `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${functionArn}/invocations`;

// The authorizer: records its event, then answers according to the token (TOKEN) or the X-Token header / token
// query string (REQUEST).
const AUTHORIZER = `
export const handler = async (event) => {
  await fetch(process.env.PROBE + '/record/' + process.env.NAME, { method: 'POST', body: JSON.stringify(event) });
  const token = event.type === 'TOKEN' ? event.authorizationToken : (event.headers?.['X-Token'] ?? event.queryStringParameters?.token);
  const [base] = event.methodArn.split('/');
  const policy = (effect, resource) => ({ Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }] });
  const context = { user: 'alice', n: 7, admin: true };
  if (token.startsWith('key:')) return { principalId: 'keyed', policyDocument: policy('Allow', base + '/*'), usageIdentifierKey: token.slice(4) };
  switch (token) {
    case 'allow': return { principalId: 'p-' + token, policyDocument: policy('Allow', event.methodArn), context };
    case 'allow-all': return { principalId: 'everyone', policyDocument: policy('Allow', base + '/*/GET/*'), context, usageIdentifierKey: 'key-from-authorizer' };
    case 'allow-pets': return { principalId: 'p', policyDocument: policy('Allow', base + '/*/GET/pets/*') };
    case 'deny': return { principalId: 'p', policyDocument: policy('Deny', event.methodArn), context: { reason: 'account suspended' } };
    case 'unauthorized': throw new Error('Unauthorized');
    case 'boom': throw new Error('boom');
    case 'garbage': return 'not a policy';
    case 'no-policy': return { principalId: 'p' };
    case 'no-principal': return { policyDocument: policy('Allow', event.methodArn) };
    case 'nested': return { principalId: 'p', policyDocument: policy('Allow', event.methodArn), context: { deep: { a: 1 } } };
    case 'recorded': return { principalId: 'my-username', policyDocument: policy('Allow', event.methodArn), context: { str: 'hello', num: 123, bool: true, null: null, undefined: undefined } };
    case 'array': return { principalId: 'p', policyDocument: policy('Allow', event.methodArn), context: { list: [1] } };
    default: return { principalId: 'p', policyDocument: policy('Deny', '*') };
  }
};`;

let gh: Running;
let probe: Probe;
let iam: IAMClient;
let now = Date.parse('2026-12-01T00:00:00Z');

before(async () => {
  gh = await startGatehouse({ now: () => new Date(now) });
  probe = await startProbe();
  iam = new IAMClient({ endpoint: gh.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  for (const name of ['auth', 'auth-request', 'auth-private', 'auth-role']) {
    await createFunction(gh.lambda, name, { 'index.mjs': AUTHORIZER }, { env: { PROBE: probe.url, NAME: name } });
  }
  for (const name of ['auth', 'auth-request']) {
    await gh.lambda.send(
      new AddPermissionCommand({ FunctionName: name, StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', SourceArn: `arn:aws:execute-api:us-east-1:${ACCOUNT}:*/authorizers/*` }),
    );
  }
  await createFunction(gh.lambda, 'echo', { 'index.mjs': 'export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event) });' });
  await gh.lambda.send(new AddPermissionCommand({ FunctionName: 'echo', StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' }));
});
after(async () => {
  iam.destroy();
  await probe.close();
  await gh.stop();
});
beforeEach(() => {
  now += 3_600_000; // every test starts with every earlier result expired
});

const calls = (name: string) => probe.records(name).length;
const lastEvent = (name: string) => JSON.parse(probe.records(name).at(-1)!);

interface AuthorizerOptions {
  type?: 'TOKEN' | 'REQUEST';
  identitySource?: string;
  ttl?: number;
  fn?: string;
  validation?: string;
  credentials?: string;
  uri?: string;
  /** The API's resource policy. */
  policy?: string;
}

/** An API whose GET /pets/{id} and GET /other are CUSTOM-authorized (MOCK answering $context.authorizer) and GET /proxy goes to a Lambda proxy. */
async function apiWith(o: AuthorizerOptions = {}) {
  const api = await ApiBuilder.create(gh, o.policy ? { policy: o.policy } : {});
  const authorizer = await gh.apigateway.send(
    new AG.CreateAuthorizerCommand({
      restApiId: api.apiId,
      name: 'lambda',
      type: o.type ?? 'TOKEN',
      authorizerUri: o.uri ?? uriOf(fnArn(o.fn ?? 'auth')),
      identitySource: o.identitySource ?? 'method.request.header.Authorization',
      authorizerResultTtlInSeconds: o.ttl,
      identityValidationExpression: o.validation,
      authorizerCredentials: o.credentials,
    }),
  );
  const method = { authorizationType: 'CUSTOM', authorizerId: authorizer.id };
  const mock = { type: 'MOCK' as const, requestTemplates: { 'application/json': '{"statusCode": 200}' } };
  const responses = [
    {
      statusCode: '200',
      responseTemplates: {
        'application/json':
          '{"principalId":"$context.authorizer.principalId","user":"$context.authorizer.user","n":"$context.authorizer.n","admin":"$context.authorizer.admin"}',
      },
    },
  ];
  await api.method('/pets/{id}', 'GET', mock, { method, responses });
  await api.method('/other', 'GET', mock, { method, responses });
  await api.method('/other', 'POST', mock, { method, responses });
  await api.method('/proxy', 'GET', { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: uriOf(fnArn('echo')) }, { method });
  await api.deploy('prod', { fn: o.fn ?? 'auth' });
  return { api, authorizerId: authorizer.id! };
}

const authz = (token: string) => ({ headers: { Authorization: token } });

describe('Table A: the authorizer\'s policy × the resource policy (same account)', () => {
  // Rows of the developer guide's "Policy evaluation outcome tables" for a Lambda authorizer: the resource policy's
  // explicit deny is final before the authorizer runs; otherwise either policy's Allow admits unless the authorizer
  // denies. Tokens: `allow` allows the method, `allow-pets` is silent on GET /other, `deny` denies it.
  const statement = (Effect: string, Resource: string) => ({ Effect, Principal: '*', Action: 'execute-api:Invoke', Resource });
  const policies: Record<string, string> = {
    Allow: JSON.stringify({ Version: '2012-10-17', Statement: [statement('Allow', 'execute-api:/*')] }),
    Neither: JSON.stringify({ Version: '2012-10-17', Statement: [statement('Allow', 'execute-api:/*/GET/pets/*')] }),
    Deny: JSON.stringify({ Version: '2012-10-17', Statement: [statement('Allow', 'execute-api:/*'), statement('Deny', 'execute-api:/*/GET/other')] }),
  };
  const rows: Array<[authorizer: string, token: string, resource: string, status: number, message: string | undefined]> = [
    ['Allow', 'allow', 'Allow', 200, undefined],
    ['Allow', 'allow', 'Neither', 200, undefined],
    ['Allow', 'allow', 'Deny', 403, 'with an explicit deny'],
    ['Neither', 'allow-pets', 'Allow', 200, undefined],
    ['Neither', 'allow-pets', 'Neither', 403, 'User is not authorized to access this resource'],
    ['Neither', 'allow-pets', 'Deny', 403, 'with an explicit deny'],
    ['Deny', 'deny', 'Allow', 403, 'User is not authorized to access this resource with an explicit deny'],
    ['Deny', 'deny', 'Neither', 403, 'User is not authorized to access this resource with an explicit deny'],
  ];
  for (const [authorizer, token, resource, status, message] of rows) {
    test(`authorizer ${authorizer}, resource policy ${resource}: ${status}`, async () => {
      const { api } = await apiWith({ policy: policies[resource] });
      const before = calls('auth');
      const r = await api.invoke('prod', '/other', authz(token));
      assert.equal(r.status, status, r.body);
      if (message) assert.match(r.json().Message, new RegExp(message));
      // The resource policy's explicit deny is found before the authorizer would be called.
      assert.equal(calls('auth'), before + (resource === 'Deny' ? 0 : 1));
    });
  }
});

describe('TOKEN authorizers', () => {
  test('an allowed token reaches the integration with $context.authorizer; the TOKEN event is AWS\'s', async () => {
    const { api } = await apiWith();
    const before = calls('auth');
    const r = await api.invoke('prod', '/pets/7', authz('allow'));
    assert.equal(r.status, 200);
    assert.deepEqual(r.json(), { principalId: 'p-allow', user: 'alice', n: '7', admin: 'true' });
    assert.equal(calls('auth'), before + 1);
    assert.deepEqual(lastEvent('auth'), {
      type: 'TOKEN',
      authorizationToken: 'allow',
      methodArn: `arn:aws:execute-api:us-east-1:${ACCOUNT}:${api.apiId}/prod/GET/pets/7`,
    });
  });

  test('missing or empty token: 401 Unauthorized without invoking the function', async () => {
    const { api } = await apiWith();
    const before = calls('auth');
    for (const opts of [{}, authz('')]) {
      const r = await api.invoke('prod', '/pets/1', opts);
      assert.equal(r.status, 401);
      assert.equal(r.body, '{"message":"Unauthorized"}');
      assert.equal(r.headers['x-amzn-errortype'], 'UnauthorizedException');
    }
    assert.equal(calls('auth'), before);
  });

  test('identityValidationExpression (a Java regex, whole match): a token that fails it is 401 without invoking', async () => {
    const { api } = await apiWith({ validation: '^allow(-all)?$' });
    const before = calls('auth');
    assert.equal((await api.invoke('prod', '/pets/1', authz('Bearer allow'))).status, 401);
    assert.equal(calls('auth'), before);
    assert.equal((await api.invoke('prod', '/pets/1', authz('allow-all'))).status, 200);
    assert.equal(calls('auth'), before + 1);
  });

  test('results are cached per token for the TTL (default 300 s), and re-matched against each method', async () => {
    const { api } = await apiWith();
    const before = calls('auth');
    assert.equal((await api.invoke('prod', '/pets/1', authz('allow-pets'))).status, 200);
    assert.equal((await api.invoke('prod', '/pets/2', authz('allow-pets'))).status, 200);
    assert.equal(calls('auth'), before + 1);
    // The cached policy allows GET /pets/* only: another method is denied without invoking again.
    const other = await api.invoke('prod', '/other', authz('allow-pets'));
    assert.equal(other.status, 403);
    assert.equal(other.body, '{"Message":"User is not authorized to access this resource"}');
    assert.equal(other.headers['x-amzn-errortype'], 'AccessDeniedException');
    assert.equal(calls('auth'), before + 1);
    // Another token is another cache entry.
    assert.equal((await api.invoke('prod', '/pets/1', authz('allow'))).status, 200);
    assert.equal(calls('auth'), before + 2);
    // 299 s later still cached; at 300 s expired.
    now += 299_000;
    assert.equal((await api.invoke('prod', '/pets/3', authz('allow-pets'))).status, 200);
    assert.equal(calls('auth'), before + 2);
    now += 1_000;
    assert.equal((await api.invoke('prod', '/pets/3', authz('allow-pets'))).status, 200);
    assert.equal(calls('auth'), before + 3);
  });

  test('a cached result keeps integrationLatency 0 and the same context', async () => {
    const { api } = await apiWith();
    const first = (await api.invoke('prod', '/proxy', authz('allow-all'))).json().requestContext.authorizer;
    const second = (await api.invoke('prod', '/proxy', authz('allow-all'))).json().requestContext.authorizer;
    // Java HashMap order, as API Gateway writes the map (see the next test).
    assert.deepEqual(Object.keys(first), ['admin', 'principalId', 'integrationLatency', 'user', 'n']);
    assert.equal(typeof first.integrationLatency, 'number');
    assert.deepEqual(second, { admin: 'true', principalId: 'everyone', integrationLatency: 0, user: 'alice', n: '7' });
  });

  test('requestContext.authorizer exactly as recorded on AWS: values stringified, null kept, HashMap order', async () => {
    // The authorizer output and the backend's view of it from DefinitelyTyped/DefinitelyTyped#69823 (real AWS).
    const { api } = await apiWith();
    await api.invoke('prod', '/proxy', authz('recorded'));
    const cached = await api.invoke('prod', '/proxy', authz('recorded'));
    assert.equal(
      JSON.stringify(cached.json().requestContext.authorizer),
      '{"str":"hello","bool":"true","null":null,"num":"123","principalId":"my-username","integrationLatency":0}',
    );
  });

  test('TTL 0 invokes every time', async () => {
    const { api } = await apiWith({ ttl: 0 });
    const before = calls('auth');
    await api.invoke('prod', '/pets/1', authz('allow'));
    await api.invoke('prod', '/pets/1', authz('allow'));
    assert.equal(calls('auth'), before + 2);
  });

  // AWS spells the key `Message` in these (see lambda-authorizer.ts).
  test('Deny: 403 with the explicit-deny text; Deny results are cached too', async () => {
    const { api } = await apiWith();
    const before = calls('auth');
    for (let i = 0; i < 2; i++) {
      const r = await api.invoke('prod', '/pets/1', authz('deny'));
      assert.equal(r.status, 403);
      assert.equal(r.body, '{"Message":"User is not authorized to access this resource with an explicit deny"}');
      assert.equal(r.headers['x-amzn-errortype'], 'AccessDeniedException');
    }
    assert.equal(calls('auth'), before + 1);
  });

  test('the function failing with "Unauthorized" is 401 (not cached); other failures are 500 AuthorizerConfigurationException with a null message', async () => {
    const { api } = await apiWith();
    const before = calls('auth');
    for (let i = 0; i < 2; i++) {
      const r = await api.invoke('prod', '/pets/1', authz('unauthorized'));
      assert.equal(r.status, 401);
      assert.equal(r.body, '{"message":"Unauthorized"}');
    }
    assert.equal(calls('auth'), before + 2);
    for (const token of ['boom', 'garbage', 'no-policy', 'no-principal', 'nested', 'array']) {
      const r = await api.invoke('prod', '/pets/1', authz(token));
      assert.equal(r.status, 500, token);
      assert.equal(r.body, '{"message":null}', token);
      assert.equal(r.headers['x-amzn-errortype'], 'AuthorizerConfigurationException', token);
    }
  });

  test('the authorizer in the Lambda proxy event', async () => {
    const { api } = await apiWith();
    const event = (await api.invoke('prod', '/proxy', authz('allow-all'))).json();
    assert.equal(event.requestContext.authorizer.principalId, 'everyone');
    assert.equal(event.requestContext.authorizer.user, 'alice');
  });

  test('FlushStageAuthorizersCache empties the stage cache (202), and only that stage\'s', async () => {
    const { api } = await apiWith();
    const before = calls('auth');
    await api.invoke('prod', '/pets/1', authz('allow-all'));
    await api.invoke('prod', '/pets/1', authz('allow-all'));
    assert.equal(calls('auth'), before + 1);
    // Another stage of the API has its own cache, which the flush of prod leaves alone.
    await api.deploy('beta', { fn: 'auth' });
    await api.invoke('beta', '/pets/1', authz('allow-all'));
    await api.invoke('beta', '/pets/1', authz('allow-all'));
    assert.equal(calls('auth'), before + 2);
    const flushed = await gh.apigateway.send(new AG.FlushStageAuthorizersCacheCommand({ restApiId: api.apiId, stageName: 'prod' }));
    assert.equal(flushed.$metadata.httpStatusCode, 202);
    await api.invoke('prod', '/pets/1', authz('allow-all'));
    assert.equal(calls('auth'), before + 3);
    await api.invoke('beta', '/pets/1', authz('allow-all'));
    assert.equal(calls('auth'), before + 3);
    await assert.rejects(gh.apigateway.send(new AG.FlushStageAuthorizersCacheCommand({ restApiId: api.apiId, stageName: 'nope' })), {
      name: 'NotFoundException',
      message: 'Invalid stage identifier specified',
    });
  });
});

describe('REQUEST authorizers', () => {
  test('the REQUEST event, identity sources from headers, query strings and stage variables', async () => {
    const { api } = await apiWith({ type: 'REQUEST', fn: 'auth-request', identitySource: 'method.request.header.X-Token, method.request.querystring.q, stageVariables.fn' });
    const before = calls('auth-request');
    const r = await api.invoke('prod', '/pets/9?q=1&q=2', { headers: { 'X-Token': 'allow' } });
    assert.equal(r.status, 200);
    assert.equal(calls('auth-request'), before + 1);
    const event = lastEvent('auth-request');
    assert.deepEqual(Object.keys(event), [
      'type', 'methodArn', 'resource', 'path', 'httpMethod', 'headers', 'multiValueHeaders', 'queryStringParameters',
      'multiValueQueryStringParameters', 'pathParameters', 'stageVariables', 'requestContext',
    ]);
    assert.equal(event.type, 'REQUEST');
    assert.equal(event.methodArn, `arn:aws:execute-api:us-east-1:${ACCOUNT}:${api.apiId}/prod/GET/pets/9`);
    assert.equal(event.resource, '/pets/{id}');
    assert.equal(event.path, '/pets/9');
    assert.equal(event.headers['X-Token'], 'allow');
    assert.deepEqual(event.multiValueQueryStringParameters, { q: ['1', '2'] });
    assert.deepEqual(event.pathParameters, { id: '9' });
    assert.deepEqual(event.stageVariables, { fn: 'auth-request' });
    assert.equal(event.requestContext.resourcePath, '/pets/{id}');
    assert.equal(event.requestContext.authorizer, undefined);
    // Same identity values: cached; a different query value: invoked again.
    await api.invoke('prod', '/pets/9?q=1&q=2', { headers: { 'X-Token': 'allow-all' } });
    assert.equal(calls('auth-request'), before + 2);
    await api.invoke('prod', '/pets/9?q=1&q=2', { headers: { 'X-Token': 'allow-all' } });
    assert.equal(calls('auth-request'), before + 2);
    await api.invoke('prod', '/pets/9?q=3', { headers: { 'X-Token': 'allow-all' } });
    assert.equal(calls('auth-request'), before + 3);
  });

  test('any identity source missing: 401 without invoking', async () => {
    const { api } = await apiWith({ type: 'REQUEST', fn: 'auth-request', identitySource: 'method.request.header.X-Token, method.request.querystring.q' });
    const before = calls('auth-request');
    assert.equal((await api.invoke('prod', '/pets/1', { headers: { 'X-Token': 'allow' } })).status, 401);
    assert.equal((await api.invoke('prod', '/pets/1?q=1')).status, 401);
    assert.equal(calls('auth-request'), before);
  });

  test('without identity sources and TTL 0, every request invokes the function', async () => {
    const { api } = await apiWith({ type: 'REQUEST', fn: 'auth-request', identitySource: '', ttl: 0 });
    const before = calls('auth-request');
    assert.equal((await api.invoke('prod', '/pets/1?token=allow')).status, 200);
    assert.equal((await api.invoke('prod', '/pets/1?token=deny')).status, 403);
    assert.equal(calls('auth-request'), before + 2);
    // Absent maps are {} in a REQUEST event (null in a proxy event).
    assert.equal((await api.invoke('prod', '/other?token=allow')).status, 200);
    assert.deepEqual(lastEvent('auth-request').pathParameters, {});
  });

  test('a $context identity source; $context.authorizer in templates after a REQUEST authorizer', async () => {
    const { api } = await apiWith({ type: 'REQUEST', fn: 'auth-request', identitySource: 'context.identity.sourceIp' });
    const r = await api.invoke('prod', '/pets/1?token=allow');
    assert.equal(r.status, 200);
    assert.deepEqual(r.json(), { principalId: 'p-allow', user: 'alice', n: '7', admin: 'true' });
    const cached = await api.invoke('prod', '/pets/1?token=allow');
    assert.deepEqual(cached.json(), { principalId: 'p-allow', user: 'alice', n: '7', admin: 'true' });
  });

  test('the function name from a stage variable in the authorizerUri', async () => {
    const { api } = await apiWith({ type: 'REQUEST', fn: 'auth-request', identitySource: 'method.request.querystring.token', uri: uriOf(`arn:aws:lambda:us-east-1:${ACCOUNT}:function:\${stageVariables.fn}`) });
    const before = calls('auth-request');
    assert.equal((await api.invoke('prod', '/pets/1?token=allow')).status, 200);
    assert.equal(calls('auth-request'), before + 1);
  });
});

describe('invoke permission and authorizerCredentials', () => {
  test('without credentials, the function\'s resource policy must allow apigateway: otherwise 500 AuthorizerConfigurationException', async () => {
    const { api, authorizerId } = await apiWith({ fn: 'auth-private' });
    const before = calls('auth-private');
    const r = await api.invoke('prod', '/pets/1', authz('allow'));
    assert.equal(r.status, 500);
    assert.equal(r.body, '{"message":null}');
    assert.equal(r.headers['x-amzn-errortype'], 'AuthorizerConfigurationException');
    assert.equal(calls('auth-private'), before);
    await gh.lambda.send(
      new AddPermissionCommand({ FunctionName: 'auth-private', StatementId: 'this', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', SourceArn: `arn:aws:execute-api:us-east-1:${ACCOUNT}:${api.apiId}/authorizers/${authorizerId}` }),
    );
    assert.equal((await api.invoke('prod', '/pets/1', authz('allow'))).status, 200);
  });

  test('with credentials: the role must exist, trust apigateway and allow lambda:InvokeFunction', async () => {
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    const role = await iam.send(new CreateRoleCommand({ RoleName: 'authorizer-invoker', AssumeRolePolicyDocument: trust }));
    const other = await iam.send(new CreateRoleCommand({ RoleName: 'lambda-only', AssumeRolePolicyDocument: trust.replace('apigateway', 'lambda') }));
    const missing = `arn:aws:iam::${ACCOUNT}:role/nobody`;
    for (const credentials of [missing, other.Role!.Arn!, role.Role!.Arn!]) {
      const { api } = await apiWith({ fn: 'auth-role', credentials });
      const r = await api.invoke('prod', '/pets/1', authz('allow'));
      assert.equal(r.status, 500, credentials);
      assert.equal(r.body, '{"message":null}');
      assert.equal(r.headers['x-amzn-errortype'], 'AuthorizerConfigurationException');
    }
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'authorizer-invoker',
        PolicyName: 'invoke',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: fnArn('auth-role') }] }),
      }),
    );
    const { api } = await apiWith({ fn: 'auth-role', credentials: role.Role!.Arn! });
    const before = calls('auth-role');
    assert.equal((await api.invoke('prod', '/pets/1', authz('allow'))).status, 200);
    assert.equal(calls('auth-role'), before + 1);
  });

  test('an authorizer whose function does not exist: 500 AuthorizerConfigurationException', async () => {
    const { api } = await apiWith({ uri: uriOf(fnArn('does-not-exist')) });
    const r = await api.invoke('prod', '/pets/1', authz('allow'));
    assert.equal(r.status, 500);
    assert.equal(r.headers['x-amzn-errortype'], 'AuthorizerConfigurationException');
  });
});

describe('usageIdentifierKey', () => {
  test('with apiKeySource AUTHORIZER, the key the authorizer names must be in a usage plan of the stage', async () => {
    const api = await ApiBuilder.create(gh, { apiKeySource: 'AUTHORIZER' });
    const authorizer = await gh.apigateway.send(
      new AG.CreateAuthorizerCommand({ restApiId: api.apiId, name: 'keyed', type: 'TOKEN', authorizerUri: uriOf(fnArn('auth')), identitySource: 'method.request.header.Authorization' }),
    );
    const mock = { type: 'MOCK' as const, requestTemplates: { 'application/json': '{"statusCode": 200}' } };
    const responses = [{ statusCode: '200', responseTemplates: { 'application/json': '{"apiKeyId":"$context.identity.apiKeyId","principalId":"$context.authorizer.principalId"}' } }];
    await api.method('/keyed', 'GET', mock, { method: { authorizationType: 'CUSTOM', authorizerId: authorizer.id, apiKeyRequired: true }, responses });
    await api.deploy('prod');
    const key = await gh.apigateway.send(new AG.CreateApiKeyCommand({ name: 'k', enabled: true, value: 'authorizer-supplied-key-0001' }));
    const plan = await gh.apigateway.send(new AG.CreateUsagePlanCommand({ name: 'p', apiStages: [{ apiId: api.apiId, stage: 'prod' }] }));
    await gh.apigateway.send(new AG.CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }));
    const ok = await api.invoke('prod', '/keyed', authz('key:authorizer-supplied-key-0001'));
    assert.equal(ok.status, 200, ok.body);
    assert.deepEqual(ok.json(), { apiKeyId: key.id, principalId: 'keyed' });
    const unknown = await api.invoke('prod', '/keyed', authz('key:not-a-key-of-any-plan-0001'));
    assert.equal(unknown.status, 403);
    assert.equal(unknown.body, '{"message":"Forbidden"}');
    // The authorizer runs first: no token is 401, whatever key header is sent.
    assert.equal((await api.invoke('prod', '/keyed', { headers: { 'x-api-key': 'authorizer-supplied-key-0001' } })).status, 401);
  });
});

describe('gateway responses', () => {
  test('UNAUTHORIZED and ACCESS_DENIED overrides apply', async () => {
    const { api } = await apiWith();
    await gh.apigateway.send(
      new AG.PutGatewayResponseCommand({ restApiId: api.apiId, responseType: 'UNAUTHORIZED', statusCode: '401', responseTemplates: { 'application/json': '{"error":"login"}' } }),
    );
    await api.deploy('prod', { fn: 'auth' });
    const r = await api.invoke('prod', '/pets/1');
    assert.equal(r.status, 401);
    assert.equal(r.body, '{"error":"login"}');
  });

  test('a denying authorizer\'s context reaches the ACCESS_DENIED gateway response (custom deny messages)', async () => {
    const { api } = await apiWith();
    await gh.apigateway.send(
      new AG.PutGatewayResponseCommand({ restApiId: api.apiId, responseType: 'ACCESS_DENIED', statusCode: '403', responseTemplates: { 'application/json': '{"error":"$context.authorizer.reason","who":"$context.authorizer.principalId"}' } }),
    );
    await api.deploy('prod', { fn: 'auth' });
    for (let i = 0; i < 2; i++) {
      const r = await api.invoke('prod', '/pets/1', authz('deny')); // invoked, then cached
      assert.equal(r.status, 403);
      assert.equal(r.body, '{"error":"account suspended","who":"p"}');
    }
  });
});

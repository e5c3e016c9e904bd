// COGNITO_USER_POOLS authorizers on deployed methods: tokens of a stand-in OIDC issuer (a loopback JWKS server with
// its own keys, pointed at by --user-pool-jwks) and of a local pool (gatehouse tokens issue's key), each check
// failing alone with AWS's 401 {"message":"Unauthorized"}, scopes (access tokens only) versus ID tokens, the
// audience rule of identityValidationExpression, claims as AWS hands them on (all strings, dates as Java prints
// them, lists joined by commas) in templates and Lambda proxy events, key rotation (an unknown kid fetches the
// JWKS again), the refetch bound, and verified tokens served from cache.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { AddPermissionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { AG, ApiBuilder } from './helpers.ts';
import { startGatehouse, type Running } from '../helpers/gatehouse.ts';
import { createFunction } from '../functions/helpers.ts';
import { accessClaims, idClaims, startJwksServer, type JwksServer, type SigningKey } from '../helpers/jwks-server.ts';
import { loadOrCreateLocalKey } from '../../src/auth/jwt/local-keys.ts';
import { issueLocalTokens } from '../../src/auth/jwt/local-tokens.ts';
import { javaDateString } from '../../src/auth/jwt/claims.ts';
import { runAws } from '../helpers/aws-cli.ts';
import { spawnGatehouse, tempDataDir, clients } from '../helpers/gatehouse.ts';

const ACCOUNT = '123456789012';
const REMOTE = 'us-east-1_Remote1';
const LOCAL = 'us-east-1_Local1';
const NOWHERE = 'us-east-1_NoJwks1';
const arn = (pool: string) => `arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/${pool}`;
const iss = (pool: string) => `https://cognito-idp.us-east-1.amazonaws.com/${pool}`;
const FN_URI = `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:${ACCOUNT}:function:claims-echo/invocations`;
const CLAIMS_TEMPLATE =
  '{"sub":"$context.authorizer.claims.sub","exp":"$context.authorizer.claims.exp","authTime":"$context.authorizer.claims.auth_time",' +
  '"groups":"$context.authorizer.claims.get(\'cognito:groups\')","verified":"$context.authorizer.claims.email_verified","tokenUse":"$context.authorizer.claims.token_use"}';

const UNAUTHORIZED = { message: 'Unauthorized' };

let gh: Running;
let jwks: JwksServer;
let key: SigningKey;
let api: ApiBuilder;
let poolsAuthorizerId: string;

async function call(path: string, token?: string, headerName = 'Authorization') {
  return api.invoke('test', path, { headers: token === undefined ? {} : { [headerName]: token } });
}

function assertUnauthorized(r: { status: number; headers: Record<string, unknown>; body: string }) {
  assert.equal(r.status, 401, r.body);
  assert.deepEqual(JSON.parse(r.body), UNAUTHORIZED);
  assert.equal(r.headers['x-amzn-errortype'], 'UnauthorizedException');
}

before(async () => {
  jwks = await startJwksServer();
  key = await jwks.addKey('key-1');
  gh = await startGatehouse({ config: { userPoolJwks: { [REMOTE]: jwks.url }, userPoolJwksRefetchMs: 0 } });
  api = await ApiBuilder.create(gh);
  const c = gh.apigateway;
  const pools = await c.send(new AG.CreateAuthorizerCommand({
    restApiId: api.apiId, name: 'pools', type: 'COGNITO_USER_POOLS', providerARNs: [arn(REMOTE), arn(LOCAL)], identitySource: 'method.request.header.Authorization',
  }));
  poolsAuthorizerId = pools.id!;
  const custom = await c.send(new AG.CreateAuthorizerCommand({
    restApiId: api.apiId, name: 'custom-header', type: 'COGNITO_USER_POOLS', providerARNs: [arn(REMOTE)], identitySource: 'method.request.header.X-Token',
  }));
  const audience = await c.send(new AG.CreateAuthorizerCommand({
    restApiId: api.apiId, name: 'audience', type: 'COGNITO_USER_POOLS', providerARNs: [arn(REMOTE)], identitySource: 'method.request.header.Authorization',
    identityValidationExpression: 'client-[0-9]',
  }));
  const nowhere = await c.send(new AG.CreateAuthorizerCommand({
    restApiId: api.apiId, name: 'nowhere', type: 'COGNITO_USER_POOLS', providerARNs: [arn(NOWHERE)], identitySource: 'method.request.header.Authorization',
  }));
  const mock = { type: 'MOCK' as const, requestTemplates: { 'application/json': '{"statusCode": 200}' } };
  const claimsOut = [{ statusCode: '200', responseTemplates: { 'application/json': CLAIMS_TEMPLATE } }];
  const cognito = (authorizerId: string, scopes?: string[]) => ({ method: { authorizationType: 'COGNITO_USER_POOLS', authorizerId, authorizationScopes: scopes } });
  await api.method('/claims', 'GET', mock, { ...cognito(pools.id!), responses: claimsOut });
  await api.method('/scoped', 'GET', mock, { ...cognito(pools.id!, ['orders/read', 'orders/write']), responses: claimsOut });
  await api.method('/x-token', 'GET', mock, { ...cognito(custom.id!), responses: claimsOut });
  await api.method('/audience', 'GET', mock, { ...cognito(audience.id!), responses: claimsOut });
  await api.method('/audience-scoped', 'GET', mock, { ...cognito(audience.id!, ['orders/read']), responses: claimsOut });
  await api.method('/nowhere', 'GET', mock, { ...cognito(nowhere.id!), responses: claimsOut });
  await api.method('/proxy', 'GET', { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: FN_URI }, cognito(pools.id!));
  await createFunction(gh.lambda, 'claims-echo', {
    'index.mjs': 'export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event.requestContext.authorizer ?? null) });',
  });
  await gh.lambda.send(new AddPermissionCommand({
    FunctionName: 'claims-echo', StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', SourceArn: `arn:aws:execute-api:us-east-1:${ACCOUNT}:*`,
  }));
  await api.deploy('test');
});

after(async () => {
  await gh.stop();
  await jwks.close();
});

describe('COGNITO_USER_POOLS: a valid ID token', () => {
  test('passes; the claims reach templates as AWS hands them on (strings; exp as Java prints a Date; lists joined)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await key.sign(idClaims(iss(REMOTE), {}, now));
    const r = await call('/claims', token);
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(r.json(), {
      sub: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
      exp: javaDateString(now + 3600),
      authTime: String(now - 10),
      groups: 'admins,readers',
      verified: 'true',
      tokenUse: 'id',
    });
    assert.match(javaDateString(now), /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/);
  });

  test('with a "Bearer " prefix, as clients and AWS\'s console test send it', async () => {
    const r = await call('/claims', `Bearer ${await key.sign(idClaims(iss(REMOTE)))}`);
    assert.equal(r.status, 200, r.body);
  });

  test('from the identity source the authorizer names (X-Token), not Authorization', async () => {
    const token = await key.sign(idClaims(iss(REMOTE)));
    assert.equal((await call('/x-token', token, 'X-Token')).status, 200);
    assertUnauthorized(await call('/x-token', token, 'Authorization'));
  });

  test('the Lambda proxy event carries requestContext.authorizer.claims, every value a string', async () => {
    const now = Math.floor(Date.now() / 1000);
    const r = await call('/proxy', await key.sign(idClaims(iss(REMOTE), { 'custom:tier': 3 }, now)));
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(r.json(), {
      claims: {
        sub: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
        'cognito:groups': 'admins,readers',
        email_verified: 'true',
        iss: iss(REMOTE),
        'cognito:username': 'alice',
        origin_jti: 'f0f0f0f0-0000-1111-2222-333333333333',
        aud: 'client-1',
        event_id: 'e0e0e0e0-0000-1111-2222-333333333333',
        token_use: 'id',
        auth_time: String(now - 10),
        exp: javaDateString(now + 3600),
        iat: javaDateString(now - 10),
        jti: 'a0a0a0a0-0000-1111-2222-333333333333',
        email: 'alice@example.com',
        'custom:tier': '3',
      },
    });
  });
});

describe('COGNITO_USER_POOLS: each check failing alone answers 401 Unauthorized', () => {
  test('no token', async () => assertUnauthorized(await call('/claims')));
  test('an empty token, and "Bearer " alone', async () => {
    assertUnauthorized(await call('/claims', ''));
    assertUnauthorized(await call('/claims', 'Bearer '));
  });
  test('not a JWT', async () => assertUnauthorized(await call('/claims', 'not-a-token')));
  test('expired', async () => {
    const now = Math.floor(Date.now() / 1000);
    assertUnauthorized(await call('/claims', await key.sign(idClaims(iss(REMOTE), { exp: now - 1 }))));
  });
  test('not valid yet (nbf in the future)', async () => {
    const now = Math.floor(Date.now() / 1000);
    assertUnauthorized(await call('/claims', await key.sign(idClaims(iss(REMOTE), { nbf: now + 600 }))));
  });
  test('no exp', async () => {
    const claims = idClaims(iss(REMOTE));
    delete claims.exp;
    assertUnauthorized(await call('/claims', await key.sign(claims)));
  });
  test('a signature by another key under the same kid', async () => {
    const impostor = await jwks.addKey('key-1', { publish: false });
    assertUnauthorized(await call('/claims', await impostor.sign(idClaims(iss(REMOTE)))));
  });
  test('a tampered payload', async () => {
    const [h, , s] = (await key.sign(idClaims(iss(REMOTE)))).split('.');
    const forged = Buffer.from(JSON.stringify(idClaims(iss(REMOTE), { sub: 'mallory' }))).toString('base64url');
    assertUnauthorized(await call('/claims', `${h}.${forged}.${s}`));
  });
  test('an issuer that is not one of the authorizer\'s pools', async () => {
    assertUnauthorized(await call('/claims', await key.sign(idClaims(iss('us-east-1_Other1')))));
    assertUnauthorized(await call('/claims', await key.sign(idClaims('https://evil.example'))));
  });
  test('a pool of another authorizer (the token verifies, the method\'s authorizer does not name its pool)', async () => {
    const local = await loadOrCreateLocalKey(gh.dataDir, LOCAL);
    const { idToken } = await issueLocalTokens({ poolId: LOCAL, region: 'us-east-1', issuer: iss(LOCAL) }, local, { sub: 'bob' });
    assert.equal((await call('/claims', idToken)).status, 200);
    assertUnauthorized(await call('/audience', idToken));
  });
  test('no token_use, or one that is neither id nor access', async () => {
    const claims = idClaims(iss(REMOTE));
    delete claims.token_use;
    assertUnauthorized(await call('/claims', await key.sign(claims)));
    assertUnauthorized(await call('/claims', await key.sign(idClaims(iss(REMOTE), { token_use: 'refresh' }))));
  });
  test('an access token on a method without scopes (ID tokens only)', async () => {
    assertUnauthorized(await call('/claims', await key.sign(accessClaims(iss(REMOTE), 'orders/read'))));
  });
  test('a kid the JWKS does not have', async () => {
    const stray = await jwks.addKey('stray', { publish: false });
    assertUnauthorized(await call('/claims', await stray.sign(idClaims(iss(REMOTE)))));
  });
  test('a pool with no JWKS URL and no local key (Cognito itself is not reachable)', async () => {
    assertUnauthorized(await call('/nowhere', await key.sign(idClaims(iss(NOWHERE)))));
  });
});

describe('COGNITO_USER_POOLS: authorizationScopes', () => {
  test('an access token with one of the method\'s scopes passes', async () => {
    const r = await call('/scoped', await key.sign(accessClaims(iss(REMOTE), 'profile orders/write')));
    assert.equal(r.status, 200, r.body);
    assert.equal(r.json().tokenUse, 'access');
  });
  test('an access token with none of them: 401', async () => {
    assertUnauthorized(await call('/scoped', await key.sign(accessClaims(iss(REMOTE), 'profile orders/delete'))));
    assertUnauthorized(await call('/scoped', await key.sign(accessClaims(iss(REMOTE), ''))));
  });
  test('a scope matches whole, not as a prefix or substring', async () => {
    assertUnauthorized(await call('/scoped', await key.sign(accessClaims(iss(REMOTE), 'orders/readonly orders'))));
  });
  test('an ID token on a method with scopes: 401, even carrying a scope claim', async () => {
    assertUnauthorized(await call('/scoped', await key.sign(idClaims(iss(REMOTE), { scope: 'orders/read' }))));
  });
});

describe('COGNITO_USER_POOLS: identityValidationExpression is matched against the ID token\'s aud', () => {
  test('an aud matching the whole expression passes', async () => {
    assert.equal((await call('/audience', await key.sign(idClaims(iss(REMOTE), { aud: 'client-7' })))).status, 200);
  });
  test('an aud that does not match (a partial match is no match): 401', async () => {
    assertUnauthorized(await call('/audience', await key.sign(idClaims(iss(REMOTE), { aud: 'other' }))));
    assertUnauthorized(await call('/audience', await key.sign(idClaims(iss(REMOTE), { aud: 'client-77' }))));
  });
  test('an access token (no aud) is refused by an authorizer with an expression, even with the right scope', async () => {
    assertUnauthorized(await call('/audience-scoped', await key.sign(accessClaims(iss(REMOTE), 'orders/read'))));
  });
});

describe('COGNITO_USER_POOLS: keys and caching', () => {
  test('key rotation: a token with a new kid makes Gatehouse fetch the JWKS again', async () => {
    const before = jwks.requests;
    const rotated = await jwks.addKey('key-2');
    const r = await call('/claims', await rotated.sign(idClaims(iss(REMOTE))));
    assert.equal(r.status, 200, r.body);
    assert.equal(jwks.requests, before + 1);
  });

  test('a verified token is served from cache: the JWKS is not read again, even when it has gone bad', async () => {
    const token = await key.sign(idClaims(iss(REMOTE), { jti: 'cached-1' }));
    assert.equal((await call('/claims', token)).status, 200);
    const before = jwks.requests;
    jwks.mode = 'garbage';
    try {
      for (let i = 0; i < 3; i++) assert.equal((await call('/claims', token)).status, 200);
      assert.equal(jwks.requests, before);
    } finally {
      jwks.mode = 'ok';
    }
  });

  test('a function may read the local pool\'s JWKS (public keys) though its other product calls stay refused', async () => {
    const local = await loadOrCreateLocalKey(gh.dataDir, LOCAL);
    await createFunction(gh.lambda, 'jwks-reader', {
      'index.mjs': `export const handler = async (event) => {
        const jwks = await fetch(event.endpoint + '/_gatehouse/user-pools/${LOCAL}/.well-known/jwks.json');
        const health = await fetch(event.endpoint + '/_gatehouse/health');
        return { jwks: jwks.status, kid: (await jwks.json()).keys[0].kid, health: health.status };
      };`,
    });
    const out = await gh.lambda.send(new InvokeCommand({ FunctionName: 'jwks-reader', Payload: Buffer.from(JSON.stringify({ endpoint: gh.endpoint })) }));
    assert.deepEqual(JSON.parse(Buffer.from(out.Payload!).toString()), { jwks: 200, kid: local.publicJwk.kid, health: 403 });
  });

  test('the local pool\'s JWKS is served at /_gatehouse/user-pools/{poolId}/.well-known/jwks.json', async () => {
    const local = await loadOrCreateLocalKey(gh.dataDir, LOCAL);
    const res = await request(`${gh.endpoint}/_gatehouse/user-pools/${LOCAL}/.well-known/jwks.json`);
    assert.equal(res.statusCode, 200);
    const doc = (await res.body.json()) as { keys: Array<Record<string, unknown>> };
    assert.deepEqual(doc.keys.map((k) => k.kid), [local.publicJwk.kid]);
    assert.equal(doc.keys[0]!.d, undefined);
    const missing = await request(`${gh.endpoint}/_gatehouse/user-pools/us-east-1_None9/.well-known/jwks.json`);
    assert.equal(missing.statusCode, 404);
    await missing.body.dump();
  });
});

describe('COGNITO_USER_POOLS: the refetch bound', () => {
  test('unknown kids fetch a pool\'s JWKS at most once per interval (default 10 s)', async () => {
    const jw = await startJwksServer();
    const g = await startGatehouse({ config: { userPoolJwks: { [REMOTE]: jw.url } } });
    try {
      const a = await ApiBuilder.create(g);
      const auth = await g.apigateway.send(new AG.CreateAuthorizerCommand({
        restApiId: a.apiId, name: 'p', type: 'COGNITO_USER_POOLS', providerARNs: [arn(REMOTE)], identitySource: 'method.request.header.Authorization',
      }));
      await a.method('/x', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, {
        method: { authorizationType: 'COGNITO_USER_POOLS', authorizerId: auth.id }, responses: [{ statusCode: '200' }],
      });
      await a.deploy('test');
      const known = await jw.addKey('known');
      assert.equal((await a.invoke('test', '/x', { headers: { Authorization: await known.sign(idClaims(iss(REMOTE))) } })).status, 200);
      assert.equal(jw.requests, 1);
      for (let i = 0; i < 5; i++) {
        const stray = await jw.addKey(`stray-${i}`, { publish: false });
        assertUnauthorized(await a.invoke('test', '/x', { headers: { Authorization: await stray.sign(idClaims(iss(REMOTE))) } }));
      }
      assert.equal(jw.requests, 1);
    } finally {
      await g.stop();
      await jw.close();
    }
  });
});

describe('TestInvokeAuthorizer on a COGNITO_USER_POOLS authorizer', () => {
  test('an ID token: clientStatus 200 and its claims (SDK)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const out = await gh.apigateway.send(new AG.TestInvokeAuthorizerCommand({
      restApiId: api.apiId, authorizerId: poolsAuthorizerId, headers: { Authorization: await key.sign(idClaims(iss(REMOTE), {}, now)) },
    }));
    assert.equal(out.clientStatus, 200);
    assert.equal(out.claims?.sub, 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee');
    assert.equal(out.claims?.exp, javaDateString(now + 3600));
    assert.equal(out.claims?.['cognito:groups'], 'admins,readers');
    assert.match(out.log!, /^Execution log for request [0-9a-f-]{36}\n/);
    assert.equal(out.principalId, undefined);
  });

  test('an access token (the test has no method scopes), a bad token, no token: clientStatus 401, no claims', async () => {
    const cases: Array<Record<string, string>> = [{ Authorization: await key.sign(accessClaims(iss(REMOTE), 'orders/read')) }, { Authorization: 'garbage' }, {}];
    for (const headers of cases) {
      const out = await gh.apigateway.send(new AG.TestInvokeAuthorizerCommand({ restApiId: api.apiId, authorizerId: poolsAuthorizerId, headers }));
      assert.equal(out.clientStatus, 401);
      assert.equal(out.claims, undefined);
      assert.match(out.log!, /Unauthorized request: /);
    }
  });

  test('through the aws CLI', async () => {
    const token = await key.sign(idClaims(iss(REMOTE)));
    const r = await runAws({ endpoint: gh.endpoint }, 'apigateway', 'test-invoke-authorizer', '--rest-api-id', api.apiId, '--authorizer-id', poolsAuthorizerId,
      '--headers', JSON.stringify({ Authorization: token }));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json.clientStatus, 200);
    assert.equal(r.json.claims['cognito:username'], 'alice');
  });
});

describe('COGNITO_USER_POOLS with a resource policy', () => {
  test('the token is checked first (401), then the resource policy (403 on its explicit deny)', async () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: `arn:aws:execute-api:us-east-1:${ACCOUNT}:*/*/GET/*` },
        { Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: `arn:aws:execute-api:us-east-1:${ACCOUNT}:*/*/GET/denied` },
      ],
    });
    const guarded = await ApiBuilder.create(gh, { policy });
    const auth = await gh.apigateway.send(new AG.CreateAuthorizerCommand({
      restApiId: guarded.apiId, name: 'p', type: 'COGNITO_USER_POOLS', providerARNs: [arn(REMOTE)], identitySource: 'method.request.header.Authorization',
    }));
    const mock = { type: 'MOCK' as const, requestTemplates: { 'application/json': '{"statusCode": 200}' } };
    const method = { method: { authorizationType: 'COGNITO_USER_POOLS', authorizerId: auth.id }, responses: [{ statusCode: '200' }] };
    await guarded.method('/allowed', 'GET', mock, method);
    await guarded.method('/denied', 'GET', mock, method);
    await guarded.deploy('test');
    const token = await key.sign(idClaims(iss(REMOTE)));
    assert.equal((await guarded.invoke('test', '/allowed', { headers: { Authorization: token } })).status, 200);
    const denied = await guarded.invoke('test', '/denied', { headers: { Authorization: token } });
    assert.equal(denied.status, 403, denied.body);
    assert.match(denied.body, /explicit deny/);
    assertUnauthorized(await guarded.invoke('test', '/denied'));
  });
});

describe('--user-pool-jwks through gatehouse serve', () => {
  test('the flag points the pool at the JWKS URL', async () => {
    const dataDir = tempDataDir();
    const served = await spawnGatehouse({ dataDir, extraArgs: ['--user-pool-jwks', `${REMOTE}=${jwks.url}`] });
    const { apigateway } = clients(served.endpoint);
    try {
      const restApiId = (await apigateway.send(new AG.CreateRestApiCommand({ name: 'flag' }))).id!;
      const root = (await apigateway.send(new AG.GetResourcesCommand({ restApiId }))).items![0]!.id!;
      const auth = await apigateway.send(new AG.CreateAuthorizerCommand({
        restApiId, name: 'p', type: 'COGNITO_USER_POOLS', providerARNs: [arn(REMOTE)], identitySource: 'method.request.header.Authorization',
      }));
      await apigateway.send(new AG.PutMethodCommand({ restApiId, resourceId: root, httpMethod: 'GET', authorizationType: 'COGNITO_USER_POOLS', authorizerId: auth.id }));
      await apigateway.send(new AG.PutIntegrationCommand({ restApiId, resourceId: root, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
      await apigateway.send(new AG.PutMethodResponseCommand({ restApiId, resourceId: root, httpMethod: 'GET', statusCode: '200' }));
      await apigateway.send(new AG.PutIntegrationResponseCommand({ restApiId, resourceId: root, httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': '{"sub":"$context.authorizer.claims.sub"}' } }));
      await apigateway.send(new AG.CreateDeploymentCommand({ restApiId, stageName: 'test' }));
      const ok = await request(`${served.endpoint}/test/`, { headers: { host: `${restApiId}.execute-api.us-east-1.amazonaws.com`, authorization: await key.sign(idClaims(iss(REMOTE))) } });
      assert.equal(ok.statusCode, 200);
      assert.deepEqual(await ok.body.json(), { sub: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee' });
    } finally {
      apigateway.destroy();
      await served.stop();
    }
  });
});

describe('a pool pointed at another OIDC issuer\'s JWKS', () => {
  const oidc = (extra: Record<string, unknown>) => {
    const now = Math.floor(Date.now() / 1000);
    return { sub: 'oidc-user', iss: jwks.issuer, aud: 'client-3', iat: now, exp: now + 600, ...extra };
  };
  test('its issuer (the JWKS URL without /.well-known/jwks.json) is accepted beside Cognito\'s', async () => {
    const r = await call('/claims', await key.sign(oidc({ token_use: 'id' })));
    assert.equal(r.status, 200, r.body);
    assert.equal(r.json().sub, 'oidc-user');
    assertUnauthorized(await call('/claims', await key.sign(oidc({ token_use: 'id', iss: `${jwks.issuer}/other` }))));
  });
  test('without token_use: a token with scopes is an access token, one without an ID token', async () => {
    assert.equal((await call('/claims', await key.sign(oidc({})))).status, 200);
    assertUnauthorized(await call('/scoped', await key.sign(oidc({}))));
    assert.equal((await call('/scoped', await key.sign(oidc({ scope: 'openid orders/read' })))).status, 200);
    assertUnauthorized(await call('/claims', await key.sign(oidc({ scope: 'openid orders/read' }))));
    assert.equal((await call('/scoped', await key.sign(oidc({ scp: ['orders/write'] })))).status, 200);
  });
  test('an aud list matches identityValidationExpression when one of its items does', async () => {
    assert.equal((await call('/audience', await key.sign(oidc({ aud: ['api://x', 'client-3'] })))).status, 200);
    assertUnauthorized(await call('/audience', await key.sign(oidc({ aud: ['api://x', 'other'] }))));
  });
});

describe('a provider ARN naming its pool by a stage variable', () => {
  test('each stage verifies the pool its variable names; an unset variable admits no pool', async () => {
    const staged = await ApiBuilder.create(gh);
    const auth = await gh.apigateway.send(new AG.CreateAuthorizerCommand({
      restApiId: staged.apiId, name: 'p', type: 'COGNITO_USER_POOLS', identitySource: 'method.request.header.Authorization',
      providerARNs: [`arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/\${stageVariables.UserPool}`],
    }));
    assert.deepEqual((await gh.apigateway.send(new AG.GetAuthorizerCommand({ restApiId: staged.apiId, authorizerId: auth.id }))).providerARNs,
      [`arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/\${stageVariables.UserPool}`]);
    await staged.method('/x', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, {
      method: { authorizationType: 'COGNITO_USER_POOLS', authorizerId: auth.id }, responses: [{ statusCode: '200' }],
    });
    await staged.deploy('remote', { UserPool: REMOTE });
    await staged.deploy('other', { UserPool: 'us-east-1_Other1' });
    await staged.deploy('unset');
    const token = await key.sign(idClaims(iss(REMOTE)));
    assert.equal((await staged.invoke('remote', '/x', { headers: { Authorization: token } })).status, 200);
    assertUnauthorized(await staged.invoke('other', '/x', { headers: { Authorization: token } }));
    assertUnauthorized(await staged.invoke('unset', '/x', { headers: { Authorization: token } }));
  });

  test('other ARN shapes with stage variables are still refused', async () => {
    const c = gh.apigateway;
    await assert.rejects(
      c.send(new AG.CreateAuthorizerCommand({
        restApiId: api.apiId, name: 'bad', type: 'COGNITO_USER_POOLS', identitySource: 'method.request.header.Authorization',
        providerARNs: ['arn:aws:cognito-idp:${stageVariables.Region}:123456789012:userpool/us-east-1_X1'],
      })),
      (e: Error) => e.name === 'BadRequestException' && /Invalid Cognito user pool ARN specified/.test(e.message),
    );
  });
});

// Fuzz of the credentials deployed APIs check: 6,000 requests to an AWS_IAM method, a Cognito user-pool method, a
// Lambda TOKEN authorizer's method and an API-key method, each with malformed or forged credentials — garbage and
// truncated SigV4 Authorization headers and presigned queries, signatures made with the wrong secret, session
// tokens that name nothing, JWTs that are not JWTs, `alg: none`, tokens signed by a key the pool does not publish,
// truncated and oversized tokens, and junk API keys. Every answer must be an AWS-shaped 401 or 403 (JSON message
// with x-amzn-ErrorType), never a 5xx, a 2xx or a dropped connection; the methods still admit good credentials
// afterwards.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import aws4 from 'aws4';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import { AG, ApiBuilder } from '../execute/helpers.ts';
import { startGatehouse, type Running } from '../helpers/gatehouse.ts';
import { createFunction } from '../functions/helpers.ts';
import { fuzz, pick, prng, type FuzzRequest } from '../helpers/fuzz.ts';
import { idClaims, startJwksServer, type JwksServer, type SigningKey } from '../helpers/jwks-server.ts';

const REQUESTS = 6000;
const PARALLEL = 8;
const SEED = 0xa17e;
const ACCOUNT = '123456789012';
const POOL = 'us-east-1_Fuzz1';
const POOL_ARN = `arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/${POOL}`;
const ISSUER = `https://cognito-idp.us-east-1.amazonaws.com/${POOL}`;
const AUTHORIZER_FN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:fuzz-authorizer`;
const GOOD_TOKEN = 'allow-me';
// Allows only the one good token; anything else is AWS's "Unauthorized" (401).
const AUTHORIZER = `export const handler = async (event) => {
  if (event.authorizationToken !== ${JSON.stringify(GOOD_TOKEN)}) throw new Error('Unauthorized');
  return { principalId: 'fuzz', policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }] } };
};`;

const JUNK = ['', ' ', '=', ',', '.', '..', '/', '%', '%zz', 'null', '{}', '[]', '0', '-1', 'Bearer', 'Bearer ', 'AWS4-HMAC-SHA256', 'eyJ', 'e30', 'a'.repeat(4000), '\t', '"', ';', '${x}', '\u00e9', '__proto__'];

const b64 = (s: string) => Buffer.from(s).toString('base64url');

describe('fuzz: malformed and forged credentials on deployed methods', () => {
  let gh: Running;
  let jwks: JwksServer;
  let poolKey: SigningKey;
  let strangerKey: SigningKey;
  let api: ApiBuilder;
  let host: string;
  let adminKey: string;
  let adminSecret: string;
  let goodApiKey: string;
  let goodIdToken: string;

  before(async () => {
    jwks = await startJwksServer();
    poolKey = await jwks.addKey('pool-key');
    strangerKey = await jwks.addKey('stranger', { publish: false });
    gh = await startGatehouse({ config: { userPoolJwks: { [POOL]: jwks.url } } });
    adminKey = gh.gatehouse.bootstrap!.accessKeyId;
    adminSecret = gh.gatehouse.bootstrap!.secretAccessKey;
    api = await ApiBuilder.create(gh);
    host = `${api.apiId}.execute-api.us-east-1.amazonaws.com`;
    const c = gh.apigateway;
    await createFunction(gh.lambda, 'fuzz-authorizer', { 'index.mjs': AUTHORIZER });
    await gh.lambda.send(new AddPermissionCommand({ FunctionName: 'fuzz-authorizer', StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' }));
    const token = await c.send(new AG.CreateAuthorizerCommand({
      restApiId: api.apiId, name: 'token', type: 'TOKEN', identitySource: 'method.request.header.Authorization',
      authorizerUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${AUTHORIZER_FN}/invocations`,
    }));
    const pool = await c.send(new AG.CreateAuthorizerCommand({
      restApiId: api.apiId, name: 'pool', type: 'COGNITO_USER_POOLS', providerARNs: [POOL_ARN], identitySource: 'method.request.header.Authorization',
    }));
    const mock = { type: 'MOCK' as const, requestTemplates: { 'application/json': '{"statusCode": 200}' } };
    const ok = [{ statusCode: '200', responseTemplates: { 'application/json': '{"ok":true}' } }];
    await api.method('/iam', 'GET', mock, { method: { authorizationType: 'AWS_IAM' }, responses: ok });
    await api.method('/cognito', 'GET', mock, { method: { authorizationType: 'COGNITO_USER_POOLS', authorizerId: pool.id }, responses: ok });
    await api.method('/token', 'GET', mock, { method: { authorizationType: 'CUSTOM', authorizerId: token.id }, responses: ok });
    await api.method('/key', 'GET', mock, { method: { apiKeyRequired: true }, responses: ok });
    await api.deploy('test');
    const key = await c.send(new AG.CreateApiKeyCommand({ name: 'good', enabled: true }));
    const plan = await c.send(new AG.CreateUsagePlanCommand({ name: 'plan', apiStages: [{ apiId: api.apiId, stage: 'test' }] }));
    await c.send(new AG.CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }));
    goodApiKey = key.value!;
    goodIdToken = await poolKey.sign(idClaims(ISSUER));
  });

  after(async () => {
    await gh.stop();
    await jwks.close();
  });

  /** The good credential for each method, sent after the fuzz: the methods must still work. */
  const signedIam = (): Record<string, string> => {
    const signed = aws4.sign({ host, path: '/test/iam', method: 'GET', service: 'execute-api', region: 'us-east-1' }, { accessKeyId: adminKey, secretAccessKey: adminSecret });
    const { Host: _host, ...headers } = signed.headers as Record<string, string>;
    return headers;
  };

  it('good credentials are admitted on every method (the baseline the fuzz must not change)', async () => {
    assert.equal((await api.invoke('test', '/iam', { headers: signedIam() })).status, 200);
    assert.equal((await api.invoke('test', '/cognito', { headers: { authorization: goodIdToken } })).status, 200);
    assert.equal((await api.invoke('test', '/token', { headers: { authorization: GOOD_TOKEN } })).status, 200);
    assert.equal((await api.invoke('test', '/key', { headers: { 'x-api-key': goodApiKey } })).status, 200);
  });

  it(`${REQUESTS} requests: AWS-shaped 401/403 answers only, the server healthy and still admitting good credentials`, async () => {
    const rand = prng(SEED);
    const junk = () => (rand() < 0.5 ? pick(rand, JUNK) : rand().toString(36).slice(2, 2 + Math.floor(rand() * 30)));
    const amzDate = () => pick(rand, [new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z'), '20200101T000000Z', '99991231T235959Z', '00000000T000000Z', '20261305T250000Z', junk()]);
    // Tokens made well in advance (signing is async): a pool token with a wrong claim, one by a key not published.
    const now = Math.floor(Date.now() / 1000);
    const forged = await Promise.all([
      strangerKey.sign(idClaims(ISSUER)),
      poolKey.sign(idClaims(ISSUER, { exp: now - 60 }, now - 3700)),
      poolKey.sign(idClaims('https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other', {})),
      poolKey.sign(idClaims(ISSUER, { token_use: 'refresh' })),
      poolKey.sign(idClaims(ISSUER), { alg: 'RS256', kid: 'unknown-kid' }),
    ]);
    const jwtLike = (): string => {
      switch (Math.floor(rand() * 7)) {
        case 0: return `${b64('{"alg":"none","typ":"JWT"}')}.${b64(JSON.stringify(idClaims(ISSUER)))}.`;
        case 1: return `${b64(junk())}.${b64(junk())}.${junk()}`;
        case 2: return pick(rand, forged);
        case 3: return goodIdToken.slice(0, Math.floor(rand() * goodIdToken.length));
        case 4: return `${goodIdToken.slice(0, -4)}${junk()}`;
        case 5: return `Bearer ${pick(rand, forged)}`;
        default: return `${b64(JSON.stringify({ alg: pick(rand, ['HS256', 'RS256', 'ES256', 'none', junk()]), kid: pick(rand, ['pool-key', junk()]) }))}.${b64('{"exp":' + junk() + '}')}.${b64(junk())}`;
      }
    };
    const sigv4Like = (): Record<string, string> => {
      const kind = rand();
      if (kind < 0.3) {
        // A real signature with the wrong secret, or over another request, or with a bogus session token.
        const opts: aws4.Request = { host, path: '/test/iam', method: 'GET', service: pick(rand, ['execute-api', 'execute-api', 'apigateway', junk()]), region: pick(rand, ['us-east-1', 'eu-west-1', junk()]) };
        const creds = { accessKeyId: pick(rand, [adminKey, 'AKIAIOSFODNN7EXAMPLE', `${adminKey}X`]), secretAccessKey: pick(rand, [`${adminSecret}x`, 'wrong', adminSecret.slice(1)]), sessionToken: rand() < 0.3 ? junk() : undefined };
        const signed = aws4.sign(opts, creds).headers as Record<string, string>;
        if (rand() < 0.5) signed['x-amz-date'] = amzDate();
        return signed;
      }
      const parts = [
        `Credential=${pick(rand, [adminKey, junk()])}/${pick(rand, ['20261205', junk()])}/${pick(rand, ['us-east-1', junk()])}/${pick(rand, ['execute-api', junk()])}/${pick(rand, ['aws4_request', junk()])}`,
        `SignedHeaders=${pick(rand, ['host;x-amz-date', junk()])}`,
        `Signature=${rand() < 0.5 ? 'a'.repeat(64) : junk()}`,
      ].filter(() => rand() < 0.85);
      return { authorization: `${pick(rand, ['AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA512', junk()])} ${parts.join(pick(rand, [', ', ',', ' ', junk()]))}`, 'x-amz-date': amzDate() };
    };
    const presignedQuery = (): string => {
      const q = new URLSearchParams();
      for (const [k, v] of [
        ['X-Amz-Algorithm', pick(rand, ['AWS4-HMAC-SHA256', junk()])],
        ['X-Amz-Credential', `${pick(rand, [adminKey, junk()])}/20261205/us-east-1/execute-api/aws4_request`],
        ['X-Amz-Date', amzDate()],
        ['X-Amz-Expires', pick(rand, ['300', '0', '-5', '999999999', junk()])],
        ['X-Amz-SignedHeaders', pick(rand, ['host', junk()])],
        ['X-Amz-Signature', rand() < 0.5 ? 'b'.repeat(64) : junk()],
        ['X-Amz-Security-Token', junk()],
      ] as const) {
        if (rand() < 0.85) q.set(k, v);
      }
      return `?${q.toString()}`;
    };
    const next = (): FuzzRequest => {
      const target = pick(rand, ['/iam', '/iam', '/cognito', '/token', '/key']);
      const headers: Record<string, string> = { host };
      let path = `/test${target}`;
      if (target === '/iam') {
        if (rand() < 0.25) path += presignedQuery();
        else Object.assign(headers, sigv4Like());
      } else if (target === '/key') {
        headers['x-api-key'] = rand() < 0.2 ? `${goodApiKey}${junk()}` : junk();
        // HTTP drops a value's surrounding whitespace: the good key plus a space or a tab is the good key.
        if (headers['x-api-key'].trim() === goodApiKey) headers['x-api-key'] = `${goodApiKey}x`;
      } else {
        headers.authorization = rand() < 0.7 ? jwtLike() : junk();
        if (headers.authorization.trim() === GOOD_TOKEN) headers.authorization = `${GOOD_TOKEN}x`;
      }
      // Header values node cannot send (control characters) are dropped: the wire never carries them.
      for (const [k, v] of Object.entries(headers)) if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(v)) delete headers[k];
      return { method: 'GET', path, headers, body: '' };
    };
    const { failures, statuses } = await fuzz(gh.port, REQUESTS, PARALLEL, next);
    assert.deepEqual(failures.slice(0, 10), [], `${failures.length} bad answers`);
    for (const status of statuses.keys()) assert.ok(status === 401 || status === 403, `status ${status} (${statuses.get(status)} times)`);
    assert.ok((statuses.get(401) ?? 0) > 500 && (statuses.get(403) ?? 0) > 500, JSON.stringify([...statuses]));

    assert.equal((await api.invoke('test', '/iam', { headers: signedIam() })).status, 200);
    assert.equal((await api.invoke('test', '/cognito', { headers: { authorization: goodIdToken } })).status, 200);
    assert.equal((await api.invoke('test', '/token', { headers: { authorization: GOOD_TOKEN } })).status, 200);
    assert.equal((await api.invoke('test', '/key', { headers: { 'x-api-key': goodApiKey } })).status, 200);
  });
});

// Hostile tokens and hostile JWKS endpoints against COGNITO_USER_POOLS authorizers: `alg: none`, HMAC signed with
// the published public key as the secret, algorithm/key mismatches, critical headers, huge and malformed tokens,
// a `__proto__` claim, and JWKS endpoints that hang, answer garbage, an error, too much, or only symmetric keys.
// Every case is AWS's 401 {"message":"Unauthorized"}: never a 5xx, never a crash, never a pass.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, createPublicKey } from 'node:crypto';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import { AG, ApiBuilder } from '../execute/helpers.ts';
import { startGatehouse, type Running } from '../helpers/gatehouse.ts';
import { createFunction } from '../functions/helpers.ts';
import { idClaims, startJwksServer, type JwksServer, type SigningKey } from '../helpers/jwks-server.ts';
import { UserPoolKeys } from '../../src/auth/jwt/user-pool-keys.ts';
import { UserPoolTokens } from '../../src/auth/jwt/user-pool-tokens.ts';
import { fileKeyring, loadOrCreateLocalKey } from '../../src/auth/jwt/local-keys.ts';
import { issueLocalTokens } from '../../src/auth/jwt/local-tokens.ts';
import { tempDataDir } from '../helpers/temp.ts';

const ACCOUNT = '123456789012';
const POOL = 'us-east-1_Hostile1';
const ISS = `https://cognito-idp.us-east-1.amazonaws.com/${POOL}`;
const FN_URI = `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:${ACCOUNT}:function:claims-echo-sec/invocations`;
const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

let gh: Running;
let jwks: JwksServer;
let key: SigningKey;
let api: ApiBuilder;

const call = (token: string, path = '/x') => api.invoke('test', path, { headers: { Authorization: token } });

async function assertUnauthorized(token: string) {
  const r = await call(token);
  assert.equal(r.status, 401, `${r.status} ${r.body} for ${token.slice(0, 80)}`);
  assert.deepEqual(JSON.parse(r.body), { message: 'Unauthorized' });
}

before(async () => {
  jwks = await startJwksServer();
  key = await jwks.addKey('good');
  gh = await startGatehouse({ config: { userPoolJwks: { [POOL]: jwks.url }, userPoolJwksRefetchMs: 0, userPoolJwksTimeoutMs: 300 } });
  api = await ApiBuilder.create(gh);
  const auth = await gh.apigateway.send(new AG.CreateAuthorizerCommand({
    restApiId: api.apiId, name: 'p', type: 'COGNITO_USER_POOLS', providerARNs: [`arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/${POOL}`], identitySource: 'method.request.header.Authorization',
  }));
  const cognito = { method: { authorizationType: 'COGNITO_USER_POOLS', authorizerId: auth.id } };
  await api.method('/x', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, { ...cognito, responses: [{ statusCode: '200' }] });
  await api.method('/mutate', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, {
    ...cognito,
    responses: [{ statusCode: '200', responseTemplates: { 'application/json': '#set($c = $context.authorizer.claims)#set($ignored = $c.put("sub", "mallory"))#set($ignored = $c.remove("email"))$c.sub' } }],
  });
  await api.method('/proxy', 'GET', { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: FN_URI }, cognito);
  await createFunction(gh.lambda, 'claims-echo-sec', {
    'index.mjs': 'export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ claims: event.requestContext.authorizer.claims, polluted: ({}).polluted ?? null }) });',
  });
  await gh.lambda.send(new AddPermissionCommand({
    FunctionName: 'claims-echo-sec', StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', SourceArn: `arn:aws:execute-api:us-east-1:${ACCOUNT}:*`,
  }));
  await api.deploy('test');
  assert.equal((await call(await key.sign(idClaims(ISS)))).status, 200);
});

after(async () => {
  await gh.stop();
  await jwks.close();
});

describe('forged tokens', () => {
  test('alg none (unsigned), with and without the kid of a published key', async () => {
    await assertUnauthorized(`${b64({ alg: 'none' })}.${b64(idClaims(ISS))}.`);
    await assertUnauthorized(`${b64({ alg: 'none', kid: 'good' })}.${b64(idClaims(ISS))}.`);
    await assertUnauthorized(`${b64({ alg: 'NONE', kid: 'good' })}.${b64(idClaims(ISS))}.`);
  });

  test('HS256 signed with the published public key as the HMAC secret (PEM, DER and the JWK\'s n)', async () => {
    const pub = createPublicKey({ key: key.publicJwk as never, format: 'jwk' });
    const secrets = [pub.export({ type: 'spki', format: 'pem' }), pub.export({ type: 'spki', format: 'der' }), pub.export({ type: 'pkcs1', format: 'pem' }), String(key.publicJwk.n)];
    for (const alg of ['HS256', 'HS384', 'HS512']) {
      for (const secret of secrets) {
        const input = `${b64({ alg, kid: 'good', typ: 'JWT' })}.${b64(idClaims(ISS))}`;
        const sig = createHmac(`sha${alg.slice(2)}`, secret).update(input).digest('base64url');
        await assertUnauthorized(`${input}.${sig}`);
      }
    }
  });

  test('an RSA key used with another algorithm named in the header (ES256, PS256 against an RS256 key)', async () => {
    const ec = await jwks.addKey('ec-key', { alg: 'ES256', publish: false });
    await assertUnauthorized(await ec.sign(idClaims(ISS), { kid: 'good' }));
    const [, payload, sig] = (await key.sign(idClaims(ISS))).split('.');
    await assertUnauthorized(`${b64({ alg: 'PS256', kid: 'good' })}.${payload}.${sig}`);
  });

  test('a critical header extension Gatehouse does not understand', async () => {
    // The same signing without `crit` passes: only the unknown critical extension refuses it.
    assert.equal((await call(key.signRaw({ alg: 'RS256', kid: 'good' }, idClaims(ISS)))).status, 200);
    await assertUnauthorized(key.signRaw({ alg: 'RS256', kid: 'good', crit: ['x-unknown'], 'x-unknown': 1 }, idClaims(ISS)));
  });

  test('a signature stripped, truncated or swapped', async () => {
    const token = await key.sign(idClaims(ISS));
    const [h, p, s] = token.split('.');
    await assertUnauthorized(`${h}.${p}.`);
    await assertUnauthorized(`${h}.${p}.${s!.slice(0, 20)}`);
    const other = await key.sign(idClaims(ISS, { sub: 'someone-else' }));
    await assertUnauthorized(`${h}.${p}.${other.split('.')[2]}`);
  });

  test('huge tokens are refused unread; a header beyond the server\'s limit gets 431, not a 5xx', async () => {
    const big = await key.sign(idClaims(ISS, { pad: 'x'.repeat(12 * 1024) }));
    assert.ok(big.length > 16 * 1024);
    const r = await call(big).catch(() => undefined);
    assert.ok(r === undefined || r.status === 431 || r.status === 401, `status ${r?.status}`);
    await assertUnauthorized(`${'a'.repeat(15_000)}.b.c`);
  });

  test('malformed tokens: wrong part counts, bad base64url, JSON that is not an object, non-string kid or iss', async () => {
    const payload = b64(idClaims(ISS));
    const cases = [
      '.', '..', '...', 'a.b', 'a.b.c.d', `${b64({ alg: 'RS256', kid: 'good' })}.${payload}`,
      `${b64({ alg: 'RS256', kid: 'good' })}.${payload}.!!!`, `%%%.${payload}.abc`, `${b64('[1,2]')}.${payload}.abc`,
      `${b64('null')}.${payload}.abc`, `${b64('"RS256"')}.${payload}.abc`, `${b64({ alg: 'RS256', kid: 7 })}.${payload}.abc`,
      `${b64({ alg: 'RS256', kid: 'good' })}.${b64({ ...idClaims(ISS), iss: 42 })}.abc`, `${b64({ alg: 'RS256', kid: 'good' })}.${b64('{"iss":')}.abc`,
      `${b64({ alg: 'RS256', kid: 'good' })}.${b64('\u0000')}.abc`, 'Bearer Bearer x', 'eyJ', '\u00e9\u00e9.\u00e9.\u00e9',
    ];
    for (const t of cases) {
      const r = await api.invoke('test', '/x', { headers: { Authorization: encodeURI(t) === t ? t : Buffer.from(t).toString('latin1') } }).catch(() => undefined);
      if (r) assert.equal(r.status, 401, `${r.status} for ${JSON.stringify(t)}`);
    }
  });

  test('a template changing $context.authorizer.claims changes nothing for the next request with the same (cached) token', async () => {
    const token = await key.sign(idClaims(ISS, { jti: 'mutate-1' }));
    const first = await call(token, '/mutate');
    assert.equal(first.status, 200, first.body);
    assert.equal(first.body, 'mallory');
    const r = await call(token, '/proxy');
    assert.equal(r.status, 200, r.body);
    assert.equal(r.json().claims.sub, 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee');
    assert.equal(r.json().claims.email, 'alice@example.com');
  });

  test('a __proto__ claim stays a plain claim: nothing is polluted', async () => {
    const payload = `{"__proto__":{"polluted":"yes"},"iss":${JSON.stringify(ISS)},"token_use":"id","sub":"p","exp":${Math.floor(Date.now() / 1000) + 600}}`;
    const token = await key.sign(JSON.parse(payload));
    const r = await call(token, '/proxy');
    assert.equal(r.status, 200, r.body);
    const out = r.json();
    assert.equal(out.polluted, null);
    assert.equal(out.claims.__proto__, '{"polluted":"yes"}');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test('a fuzz of 1,000 mutated tokens: each 401 or, when the mutation kept it valid, 200; never anything else', async () => {
    const base = await key.sign(idClaims(ISS));
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ';
    let seed = 12345;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    for (let i = 0; i < 1000; i++) {
      const chars = base.split('');
      const edits = 1 + rand(4);
      for (let e = 0; e < edits; e++) {
        const at = rand(chars.length);
        const op = rand(3);
        if (op === 0) chars[at] = alphabet[rand(alphabet.length)]!;
        else if (op === 1) chars.splice(at, 1);
        else chars.splice(at, 0, alphabet[rand(alphabet.length)]!);
      }
      const t = chars.join('').trim();
      if (t === base) continue;
      const r = await call(t);
      assert.ok(r.status === 401 || r.status === 200, `${r.status} ${r.body} for mutation ${i}`);
    }
  });
});

describe('hostile JWKS endpoints', () => {
  for (const mode of ['hang', 'garbage', 'status500', 'huge', 'no-keys'] as const) {
    test(`a JWKS endpoint that ${mode === 'hang' ? 'never answers' : `answers ${mode}`}: 401 within the fetch time limit, the gateway keeps serving`, async () => {
      const fresh = await jwks.addKey(`fresh-${mode}`);
      jwks.mode = mode;
      try {
        const token = await fresh.sign(idClaims(ISS));
        const [a, b] = await Promise.all([call(token), call(token)]);
        for (const r of [a, b]) {
          assert.equal(r.status, 401, r.body);
          assert.deepEqual(JSON.parse(r.body), { message: 'Unauthorized' });
        }
      } finally {
        jwks.mode = 'ok';
      }
      // Known keys still verify new tokens while the endpoint misbehaved and after.
      assert.equal((await call(await key.sign(idClaims(ISS, { jti: `after-${mode}` })))).status, 200);
    });
  }
});

describe('the verified-token cache is bounded', () => {
  test('past its size, the oldest entries are dropped', async () => {
    const dir = tempDataDir();
    const pool = { poolId: 'us-east-1_Bound1', region: 'us-east-1', issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Bound1' };
    const local = await loadOrCreateLocalKey(dir, pool.poolId);
    const tokens = new UserPoolTokens(new UserPoolKeys({ keyring: fileKeyring(dir), jwksUrls: new Map() }), { maxEntries: 3 });
    const now = Date.now();
    const issued = [];
    for (let i = 0; i < 5; i++) issued.push((await issueLocalTokens(pool, local, { sub: `u${i}` })).idToken);
    for (const t of issued) assert.ok('token' in (await tokens.verify(t, (iss) => (iss === pool.issuer ? pool : undefined), now)));
    assert.deepEqual(issued.map((t) => tokens.cached(t, now) !== undefined), [false, false, true, true, true]);
    // An expired entry is not served (and is dropped).
    assert.equal(tokens.cached(issued[4]!, now + 3601_000), undefined);
  });

  test('and in bytes: large tokens push the oldest out before the entry count is reached', async () => {
    const dir = tempDataDir();
    const pool = { poolId: 'us-east-1_Bound2', region: 'us-east-1', issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Bound2' };
    const local = await loadOrCreateLocalKey(dir, pool.poolId);
    const tokens = new UserPoolTokens(new UserPoolKeys({ keyring: fileKeyring(dir), jwksUrls: new Map() }), { maxEntries: 100, maxBytes: 50_000 });
    const now = Date.now();
    const issued = [];
    // Each entry counts its token (~5.8 K characters: 4,000 padded, base64url) and claims (~4.3 K): ~20.6 KB; two fit.
    for (let i = 0; i < 4; i++) issued.push((await issueLocalTokens(pool, local, { sub: `u${i}`, claims: { pad: 'x'.repeat(4000) } })).idToken);
    for (const t of issued) assert.ok('token' in (await tokens.verify(t, (iss) => (iss === pool.issuer ? pool : undefined), now)));
    assert.deepEqual(issued.map((t) => tokens.cached(t, now) !== undefined), [false, false, true, true]);
  });
});

// `gatehouse tokens issue` end to end: the spawned CLI signs an ID token and an access token with the pool's local
// key in the data directory while a server holds that directory, and the server's COGNITO_USER_POOLS authorizer
// accepts them; --scope, --claim (exp and aud included, JSON values) and --client-id shape them; the key is made
// once and kept private; bad arguments are refused in one line.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { statSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { AG, ApiBuilder } from '../execute/helpers.ts';
import { ROOT, startGatehouse, tempDataDir, type Running } from '../helpers/gatehouse.ts';

const run = promisify(execFile);
const POOL = 'us-east-1_CliPool1';
const ARN = `arn:aws:cognito-idp:us-east-1:123456789012:userpool/${POOL}`;
const ISS = `https://cognito-idp.us-east-1.amazonaws.com/${POOL}`;

async function issue(dataDir: string, ...args: string[]): Promise<{ idToken: string; accessToken: string }> {
  const { stdout } = await run(process.execPath, [join(ROOT, 'src/cli/main.ts'), 'tokens', 'issue', '--data-dir', dataDir, ...args]);
  return JSON.parse(stdout);
}

async function fails(...args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    await run(process.execPath, [join(ROOT, 'src/cli/main.ts'), 'tokens', 'issue', ...args]);
  } catch (err) {
    const e = err as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
  throw new Error('expected the command to fail');
}

describe('gatehouse tokens issue', () => {
  let gh: Running;
  let api: ApiBuilder;

  before(async () => {
    gh = await startGatehouse();
    api = await ApiBuilder.create(gh);
    const auth = await gh.apigateway.send(new AG.CreateAuthorizerCommand({
      restApiId: api.apiId, name: 'local', type: 'COGNITO_USER_POOLS', providerARNs: [ARN], identitySource: 'method.request.header.Authorization',
      identityValidationExpression: 'client-[0-9]+|[a-z0-9]{26}',
    }));
    const scoped = await gh.apigateway.send(new AG.CreateAuthorizerCommand({
      restApiId: api.apiId, name: 'local-scoped', type: 'COGNITO_USER_POOLS', providerARNs: [ARN], identitySource: 'method.request.header.Authorization',
    }));
    const mock = { type: 'MOCK' as const, requestTemplates: { 'application/json': '{"statusCode": 200}' } };
    const out = [{ statusCode: '200', responseTemplates: { 'application/json': '{"sub":"$context.authorizer.claims.sub","groups":"$context.authorizer.claims.get(\'cognito:groups\')","tier":"$context.authorizer.claims.get(\'custom:tier\')"}' } }];
    const method = (authorizerId: string, scopes?: string[]) => ({ method: { authorizationType: 'COGNITO_USER_POOLS', authorizerId, authorizationScopes: scopes }, responses: out });
    await api.method('/me', 'GET', mock, method(auth.id!));
    // Access tokens have no aud, so they meet no identityValidationExpression: this method's authorizer has none.
    await api.method('/orders', 'GET', mock, method(scoped.id!, ['orders/read']));
    await api.deploy('test');
  });

  after(() => gh.stop());

  test('prints an ID and an access token shaped as Cognito\'s, which the running server accepts', async () => {
    const t = await issue(gh.dataDir, '--user-pool', ARN, '--sub', 'user-1', '--scope', 'orders/read', '--scope', 'profile');
    assert.deepEqual(Object.keys(t), ['idToken', 'accessToken']);
    const id = decodeJwt(t.idToken);
    const access = decodeJwt(t.accessToken);
    assert.equal(decodeProtectedHeader(t.idToken).alg, 'RS256');
    assert.equal(decodeProtectedHeader(t.idToken).kid, decodeProtectedHeader(t.accessToken).kid);
    assert.equal(id.iss, ISS);
    assert.equal(id.token_use, 'id');
    assert.equal(id.sub, 'user-1');
    assert.equal(id['cognito:username'], 'user-1');
    assert.match(String(id.aud), /^[a-z0-9]{26}$/);
    assert.equal(id.exp! - id.iat!, 3600);
    assert.equal(access.token_use, 'access');
    assert.equal(access.client_id, id.aud);
    assert.equal(access.scope, 'orders/read profile');
    assert.equal(access.username, 'user-1');

    const me = await api.invoke('test', '/me', { headers: { Authorization: t.idToken } });
    assert.equal(me.status, 200, me.body);
    assert.equal(me.json().sub, 'user-1');
    assert.equal((await api.invoke('test', '/orders', { headers: { Authorization: t.accessToken } })).status, 200);
    // Each token only where AWS takes it: ID tokens without scopes, access tokens with them.
    assert.equal((await api.invoke('test', '/me', { headers: { Authorization: t.accessToken } })).status, 401);
    assert.equal((await api.invoke('test', '/orders', { headers: { Authorization: t.idToken } })).status, 401);
  });

  test('--claim sets or overrides any claim (JSON values), exp and aud included', async () => {
    const t = await issue(gh.dataDir, '--user-pool', ARN, '--sub', 'user-2', '--claim', 'cognito:groups=["admins","ops"]', '--claim', 'custom:tier=3', '--claim', 'aud=client-42');
    assert.deepEqual(decodeJwt(t.idToken)['cognito:groups'], ['admins', 'ops']);
    assert.equal(decodeJwt(t.idToken).aud, 'client-42');
    const r = await api.invoke('test', '/me', { headers: { Authorization: t.idToken } });
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(r.json(), { sub: 'user-2', groups: 'admins,ops', tier: '3' });

    const past = Math.floor(Date.now() / 1000) - 60;
    const expired = await issue(gh.dataDir, '--user-pool', ARN, '--sub', 'user-2', '--claim', `exp=${past}`);
    assert.equal(decodeJwt(expired.idToken).exp, past);
    const r2 = await api.invoke('test', '/me', { headers: { Authorization: expired.idToken } });
    assert.equal(r2.status, 401);
    assert.deepEqual(r2.json(), { message: 'Unauthorized' });

    // aud outside the authorizer's identityValidationExpression.
    const other = await issue(gh.dataDir, '--user-pool', ARN, '--sub', 'user-2', '--claim', 'aud=somebody-else');
    assert.equal((await api.invoke('test', '/me', { headers: { Authorization: other.idToken } })).status, 401);
    // A quoted JSON string stays text.
    const quoted = await issue(gh.dataDir, '--user-pool', ARN, '--sub', 'user-2', '--claim', 'custom:tier="007"');
    assert.equal(decodeJwt(quoted.idToken)['custom:tier'], '007');
  });

  test('--client-id and --expires-in', async () => {
    const t = await issue(gh.dataDir, '--user-pool', ARN, '--sub', 'u', '--client-id', 'client-5', '--expires-in', '60');
    const id = decodeJwt(t.idToken);
    assert.equal(id.aud, 'client-5');
    assert.equal(decodeJwt(t.accessToken).client_id, 'client-5');
    assert.equal(id.exp! - id.iat!, 60);
  });

  test('without a server: the pool key is made once (mode 0600) and reused', async () => {
    const dir = tempDataDir();
    try {
      const a = await issue(dir, '--user-pool', ARN, '--sub', 'x');
      const b = await issue(dir, '--user-pool', ARN, '--sub', 'y');
      assert.equal(decodeProtectedHeader(a.idToken).kid, decodeProtectedHeader(b.idToken).kid);
      assert.equal(decodeJwt(a.idToken).aud, decodeJwt(b.idToken).aud);
      assert.equal(statSync(join(dir, 'user-pools', `${POOL}.json`)).mode & 0o777, 0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('bad arguments are refused in one line, exit 1', async () => {
    const badArn = await fails('--user-pool', 'arn:aws:iam::123456789012:role/x', '--sub', 'x');
    assert.equal(badArn.code, 1);
    assert.match(badArn.stderr, /^gatehouse: option '--user-pool <arn>' argument .* is invalid\. not a user pool ARN/);
    const noSub = await fails('--user-pool', ARN);
    assert.equal(noSub.code, 1);
    assert.match(noSub.stderr, /required option '--sub <sub>' not specified/);
    const badClaim = await fails('--user-pool', ARN, '--sub', 'x', '--claim', 'novalue');
    assert.match(badClaim.stderr, /not NAME=VALUE/);
  });
});

// Attacks on execute-api authorization: forged, replayed and malformed SigV4 credentials on AWS_IAM methods (a
// 5,000-request fuzz among them), deleted and deactivated keys, borrowed session tokens, spoofed source addresses
// and VPC-endpoint headers, and resource policies the engine cannot read. Every answer is AWS's 403 (never a 5xx),
// and no refused request reaches the integration.
import { after, before, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import aws4 from 'aws4';
import { request } from 'undici';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, DeleteAccessKeyCommand, PutRolePolicyCommand, PutUserPolicyCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { ApiBuilder, startEcho, startGatehouse, type EchoServer } from '../execute/helpers.ts';
import { identityClients, type Credentials } from '../identity/helpers.ts';
import { fuzz, pick, prng, type FuzzRequest } from '../helpers/fuzz.ts';
import type { Running } from '../helpers/gatehouse.ts';

const REQUESTS = 5000;
const allowAll = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }] });
const JUNK = ['', ' ', '=', ',', '/', '//', '\u00e9', '%', '%zz', 'null', '0', '-1', 'AWS4-HMAC-SHA256', 'aws4_request', 'a'.repeat(300), '\t', 'Credential', '"', "'", ';', '${x}'];

describe('execute-api AWS_IAM under attack', () => {
  let gh: Running;
  let echo: EchoServer;
  let api: ApiBuilder;
  let host: string;
  let mallory: Credentials;
  let trudy: Credentials;
  const iamClients = () => identityClients(gh.endpoint);

  const signed = (creds: Credentials, path: string, opts: { method?: string; body?: string; host?: string } = {}) =>
    aws4.sign({ host: opts.host ?? host, method: opts.method ?? 'GET', path: `/test${path}`, service: 'execute-api', region: 'us-east-1', body: opts.body }, creds);
  const send = async (path: string, headers: Record<string, unknown>, opts: { method?: string; body?: string } = {}) => {
    const res = await request(`${gh.endpoint}/test${path}`, { method: (opts.method ?? 'GET') as 'GET', headers: headers as Record<string, string>, body: opts.body });
    return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
  };

  before(async () => {
    gh = await startGatehouse();
    echo = await startEcho();
    api = await ApiBuilder.create(gh);
    host = `${api.apiId}.execute-api.us-east-1.amazonaws.com`;
    const proxy = (path: string) => ({ type: 'HTTP_PROXY' as const, integrationHttpMethod: 'ANY', uri: `${echo.url}${path}` });
    await api.method('/open', 'ANY', proxy('/open'), { method: { authorizationType: 'AWS_IAM' } });
    await api.method('/secret', 'ANY', proxy('/secret'), { method: { authorizationType: 'AWS_IAM' } });
    await api.deploy('test');
    const { iam } = iamClients();
    await iam.send(new CreateUserCommand({ UserName: 'mallory' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'mallory', PolicyName: 'open', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `arn:aws:execute-api:*:*:${api.apiId}/*/*/open` }] }) }));
    const k = (await iam.send(new CreateAccessKeyCommand({ UserName: 'mallory' }))).AccessKey!;
    mallory = { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
    await iam.send(new CreateUserCommand({ UserName: 'trudy' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'trudy', PolicyName: 'all', PolicyDocument: allowAll }));
    const t = (await iam.send(new CreateAccessKeyCommand({ UserName: 'trudy' }))).AccessKey!;
    trudy = { accessKeyId: t.AccessKeyId!, secretAccessKey: t.SecretAccessKey! };
    iam.destroy();
  });

  after(async () => {
    await gh.stop();
    await echo.close();
  });

  test('a signature for /open replayed on /secret: 403, the backend never called', async () => {
    const before = echo.requests.length;
    const s = signed(mallory, '/open');
    const r = await send('/secret', s.headers!);
    assert.equal(r.status, 403);
    assert.equal(r.headers['x-amzn-errortype'], 'InvalidSignatureException');
    assert.equal(echo.requests.length, before);
  });

  test('a signature for another API (Host signed) replayed here: 403', async () => {
    const s = signed(trudy, '/open', { host: 'zzzzzzzzzz.execute-api.us-east-1.amazonaws.com' });
    const headers = Object.fromEntries(Object.entries(s.headers!).filter(([k]) => k.toLowerCase() !== 'host'));
    const r = await send('/open', { ...headers, host });
    assert.equal(r.status, 403);
    assert.equal(r.headers['x-amzn-errortype'], 'InvalidSignatureException');
  });

  test('a body swapped under a signed payload hash: 403; a method changed: 403', async () => {
    const s = signed(trudy, '/open', { method: 'POST', body: 'amount=1' });
    const h = Object.fromEntries(Object.entries(s.headers!).filter(([k]) => k.toLowerCase() !== 'content-length'));
    assert.equal((await send('/open', h, { method: 'POST', body: 'amount=9' })).status, 403);
    assert.equal((await send('/open', h, { method: 'POST', body: 'amount=1000' })).status, 403);
    assert.equal((await send('/open', h, { method: 'PUT', body: 'amount=1' })).status, 403);
    assert.equal((await send('/open', h, { method: 'POST', body: 'amount=1' })).status, 200);
  });

  test('allowed for /open only: /secret is 403 AccessDenied even with a valid signature', async () => {
    const r = await send('/secret', signed(mallory, '/secret').headers!);
    assert.equal(r.status, 403);
    assert.equal(r.headers['x-amzn-errortype'], 'AccessDeniedException');
    assert.equal((await send('/open', signed(mallory, '/open').headers!)).status, 200);
  });

  test('a deactivated, then deleted key is refused at once', async () => {
    const { iam } = iamClients();
    await iam.send(new CreateUserCommand({ UserName: 'leaver' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'leaver', PolicyName: 'all', PolicyDocument: allowAll }));
    const k = (await iam.send(new CreateAccessKeyCommand({ UserName: 'leaver' }))).AccessKey!;
    const creds = { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
    assert.equal((await send('/open', signed(creds, '/open').headers!)).status, 200);
    await iam.send(new UpdateAccessKeyCommand({ UserName: 'leaver', AccessKeyId: creds.accessKeyId, Status: 'Inactive' }));
    const inactive = await send('/open', signed(creds, '/open').headers!);
    assert.equal(inactive.status, 403);
    assert.equal(inactive.body, '{"message":"The security token included in the request is invalid."}');
    await iam.send(new DeleteAccessKeyCommand({ UserName: 'leaver', AccessKeyId: creds.accessKeyId }));
    assert.equal((await send('/open', signed(creds, '/open').headers!)).status, 403);
    iam.destroy();
  });

  test("a session's keys with another session's token: 403", async () => {
    const { iam, sts } = iamClients();
    await iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'sts:AssumeRole' }] }) }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'r', PolicyName: 'all', PolicyDocument: allowAll }));
    const a = (await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 'sa' }))).Credentials!;
    const b = (await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 'sb' }))).Credentials!;
    const mixed = { accessKeyId: a.AccessKeyId!, secretAccessKey: a.SecretAccessKey!, sessionToken: b.SessionToken! };
    const r = await send('/open', signed(mixed, '/open').headers!);
    assert.equal(r.status, 403);
    assert.equal(r.headers['x-amzn-errortype'], 'UnrecognizedClientException');
    const own = { accessKeyId: a.AccessKeyId!, secretAccessKey: a.SecretAccessKey!, sessionToken: a.SessionToken! };
    assert.equal((await send('/open', signed(own, '/open').headers!)).status, 200);
    iam.destroy();
    sts.destroy();
  });

  it(`fuzz: ${REQUESTS} malformed or forged credentials on AWS_IAM methods get AWS-shaped 403s, nothing reaches the backend`, async () => {
    const rand = prng(0x1a3);
    const before = echo.requests.length;
    const now = () => new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
    const junk = () => (rand() < 0.5 ? pick(rand, JUNK) : rand().toString(36).slice(2, 2 + Math.floor(rand() * 30)));
    const keyId = () => pick(rand, [mallory.accessKeyId, trudy.accessKeyId, 'AKIAIOSFODNN7EXAMPLE', 'ASIAXXXXXXXXXXXXXXXX', junk()]);
    const next = (): FuzzRequest => {
      const path = pick(rand, ['/test/open', '/test/secret', '/test/open?x=1', '/test/secret/../open']);
      const headers: Record<string, string> = { host };
      const kind = Math.floor(rand() * 5);
      if (kind === 0) {
        // Well-formed signatures with a wrong secret (or for a wrong service/region, or a junk session token).
        const s = aws4.sign(
          { host, method: 'GET', path, service: rand() < 0.8 ? 'execute-api' : pick(rand, ['apigateway', 's3']), region: rand() < 0.8 ? 'us-east-1' : junk() || 'x', signQuery: rand() < 0.3 },
          { accessKeyId: keyId(), secretAccessKey: rand() < 0.5 ? `${trudy.secretAccessKey.slice(0, -1)}#` : junk(), sessionToken: rand() < 0.2 ? junk() : undefined },
        );
        return { method: 'GET', path: s.path!, headers: Object.fromEntries(Object.entries(s.headers!).map(([k, v]) => [k, String(v)])), body: '' };
      }
      if (kind <= 2) {
        const parts = [
          `Credential=${rand() < 0.8 ? `${keyId()}/${rand() < 0.7 ? now().slice(0, 8) : junk()}/${rand() < 0.8 ? 'us-east-1' : junk()}/${rand() < 0.8 ? 'execute-api' : junk()}/${rand() < 0.9 ? 'aws4_request' : junk()}` : junk()}`,
          `SignedHeaders=${pick(rand, ['host;x-amz-date', 'host', '', junk()])}`,
          `Signature=${pick(rand, ['0'.repeat(64), 'f'.repeat(63), junk(), ''])}`,
        ].filter(() => rand() < 0.9);
        headers.authorization = `${rand() < 0.85 ? 'AWS4-HMAC-SHA256' : junk()} ${parts.join(rand() < 0.8 ? ', ' : pick(rand, [',', ' ', ';']))}`;
        if (rand() < 0.9) headers['x-amz-date'] = pick(rand, [now(), '20260101T000000Z', '99991231T235959Z', '20261305T250000Z', junk(), '']);
        if (rand() < 0.2) headers['x-amz-security-token'] = junk();
        if (rand() < 0.1) headers['x-amz-content-sha256'] = pick(rand, ['UNSIGNED-PAYLOAD', junk()]);
        return { method: 'GET', path, headers, body: '' };
      }
      if (kind === 3) {
        headers.authorization = pick(rand, ['Bearer x', 'Basic YTpi', junk(), 'AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA256 ', `AWS ${trudy.accessKeyId}:sig`]);
        return { method: 'GET', path, headers, body: '' };
      }
      const q = new URLSearchParams();
      const add = (k: string, v: string) => rand() < 0.92 && q.set(k, v);
      add('X-Amz-Algorithm', rand() < 0.85 ? 'AWS4-HMAC-SHA256' : junk());
      add('X-Amz-Credential', `${keyId()}/${now().slice(0, 8)}/us-east-1/execute-api/${rand() < 0.9 ? 'aws4_request' : junk()}`);
      add('X-Amz-Date', pick(rand, [now(), junk()]));
      add('X-Amz-SignedHeaders', pick(rand, ['host', '', junk()]));
      add('X-Amz-Signature', pick(rand, ['0'.repeat(64), junk()]));
      if (rand() < 0.6) q.set('X-Amz-Expires', pick(rand, ['60', '0', '-5', '99999999999', junk()]));
      return { method: 'GET', path: `${path}${path.includes('?') ? '&' : '?'}${q}`, headers, body: '' };
    };
    const { failures, statuses } = await fuzz(gh.port, REQUESTS, 8, next);
    assert.deepEqual(failures.slice(0, 10), [], `${failures.length} failures`);
    assert.deepEqual([...statuses.keys()], [403], `statuses ${[...statuses].join(' ')}`);
    assert.equal(echo.requests.length, before, 'no forged request reached the backend');
    assert.equal((await fetch(`${gh.endpoint}/_gatehouse/health`)).status, 200);
  });
});

describe('resource policies under attack', () => {
  let gh: Running;
  before(async () => {
    gh = await startGatehouse({ config: { vpcEndpoints: [{ id: 'vpce-0aaaaaaa', vpcId: undefined, cidrs: ['192.0.2.0/24'] }], vpceHeaderFrom: ['198.51.100.7'] } });
  });
  after(() => gh.stop());

  const mock = { type: 'MOCK' as const, requestTemplates: { 'application/json': '{"statusCode": 200}' } };
  const ok = [{ statusCode: '200', responseTemplates: { 'application/json': '{}' } }];
  async function withPolicy(policy: object): Promise<ApiBuilder> {
    const api = await ApiBuilder.create(gh, { policy: JSON.stringify(policy) });
    await api.method('/x', 'GET', mock, { responses: ok });
    await api.deploy('test');
    return api;
  }

  test('X-Forwarded-For does not change aws:SourceIp', async () => {
    const api = await withPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*', Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }] });
    const r = await api.invoke('test', '/x', { headers: { 'x-forwarded-for': '203.0.113.5' } });
    assert.equal(r.status, 403);
  });

  test('an x-amzn-vpce-id header from an untrusted peer does not satisfy aws:SourceVpce', async () => {
    const api = await withPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0aaaaaaa' } } }] });
    assert.equal((await api.invoke('test', '/x', { headers: { 'x-amzn-vpce-id': 'vpce-0aaaaaaa' } })).status, 403);
  });

  test('a policy the engine cannot read (unknown operator, bad shapes) denies with 403, never a 500', async () => {
    for (const Statement of [
      [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*', Condition: { NoSuchOperator: { 'aws:SourceIp': '0.0.0.0/0' } } }],
      [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*', Condition: { IpAddress: { 'aws:SourceIp': 'not-a-cidr' } } }],
      [{ Effect: 'Maybe', Principal: '*', Action: 'execute-api:Invoke', Resource: '*' }],
      [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: `${'*'.repeat(200)}a` }],
    ]) {
      const api = await withPolicy({ Version: '2012-10-17', Statement });
      const r = await api.invoke('test', '/x');
      assert.equal(r.status, 403, JSON.stringify(Statement));
      assert.equal(r.headers['x-amzn-errortype'], 'AccessDeniedException');
    }
  });
});

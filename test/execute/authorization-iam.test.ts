// AWS_IAM methods: SigV4 on execute-api verified with independent signers (the AWS SDK's @smithy/signature-v4 and
// aws4), the caller's identity policies and the resource policy combined as the developer guide's Table A says, and
// $context.identity filled as AWS fills it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

import { Sha256 } from '../helpers/smithy-sha256.ts';
import aws4 from 'aws4';
import { request } from 'undici';
import { spawnSync } from 'node:child_process';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, PutRolePolicyCommand, PutUserPolicyCommand, DeleteUserPolicyCommand, GetUserCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { AG, ApiBuilder, startGatehouse } from './helpers.ts';
import { identityClients, type Credentials } from '../identity/helpers.ts';
import type { Running } from '../helpers/gatehouse.ts';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import { createFunction } from '../functions/helpers.ts';

const invokeAll = (resource = '*') => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: resource }] });

interface Signed {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

describe('AWS_IAM methods', () => {
  let gh: Running;
  let api: ApiBuilder;
  let host: string;
  let alice: Credentials;
  let aliceId: string;
  let bob: Credentials;
  let session: Credentials & { arn: string; userId: string };
  const mock = { type: 'MOCK' as const, requestTemplates: { 'application/json': '{"statusCode": 200}' } };
  const identityTemplate = '{"caller":"$context.identity.caller","user":"$context.identity.user","userArn":"$context.identity.userArn","accountId":"$context.identity.accountId","accessKey":"$context.identity.accessKey","cognitoIdentityId":"$context.identity.cognitoIdentityId"}';

  /** Signs with the AWS SDK's signer (as every SDK's execute-api client does) and sends. */
  async function sdkSigned(creds: Credentials, path: string, opts: { method?: string; body?: string; at?: Date; service?: string; region?: string; unsignedPayload?: boolean; tamper?: (h: Record<string, string>) => void } = {}): Promise<Signed> {
    const signer = new SignatureV4({ service: opts.service ?? 'execute-api', region: opts.region ?? 'us-east-1', credentials: creds, sha256: Sha256, applyChecksum: !opts.unsignedPayload });
    const [p, q] = path.split('?') as [string, string | undefined];
    const query = Object.fromEntries(new URLSearchParams(q ?? ''));
    const req = await signer.sign(
      { method: opts.method ?? 'GET', protocol: 'http:', hostname: host, path: `/test${p}`, query, headers: { host, ...(opts.unsignedPayload ? { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } : {}) }, body: opts.body },
      { signingDate: opts.at ?? new Date() },
    );
    const headers = { ...(req.headers as Record<string, string>) };
    opts.tamper?.(headers);
    const res = await request(`${gh.endpoint}/test${path}`, { method: (opts.method ?? 'GET') as 'GET', headers, body: opts.body });
    return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
  }

  before(async () => {
    gh = await startGatehouse();
    const { iam, sts } = identityClients(gh.endpoint);
    api = await ApiBuilder.create(gh);
    host = `${api.apiId}.execute-api.us-east-1.amazonaws.com`;
    const ok = [{ statusCode: '200', responseTemplates: { 'application/json': identityTemplate } }];
    await api.method('/pets', 'GET', mock, { method: { authorizationType: 'AWS_IAM' }, responses: ok });
    await api.method('/pets', 'POST', mock, { method: { authorizationType: 'AWS_IAM' }, responses: ok });
    await api.method('/admin', 'GET', mock, { method: { authorizationType: 'AWS_IAM' }, responses: ok });
    await createFunction(gh.lambda, 'identity-echo', { 'index.mjs': 'export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event.requestContext.identity) });' });
    await gh.lambda.send(new AddPermissionCommand({ FunctionName: 'identity-echo', StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', SourceArn: 'arn:aws:execute-api:us-east-1:123456789012:*' }));
    await api.method('/fn', 'GET', { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:identity-echo/invocations' }, { method: { authorizationType: 'AWS_IAM' } });
    await api.deploy('test');

    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    aliceId = (await iam.send(new GetUserCommand({ UserName: 'alice' }))).User!.UserId!;
    await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'invoke', PolicyDocument: invokeAll(`arn:aws:execute-api:us-east-1:123456789012:${api.apiId}/test/*/pets`) }));
    const k = (await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }))).AccessKey!;
    alice = { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
    await iam.send(new CreateUserCommand({ UserName: 'bob' }));
    const kb = (await iam.send(new CreateAccessKeyCommand({ UserName: 'bob' }))).AccessKey!;
    bob = { accessKeyId: kb.AccessKeyId!, secretAccessKey: kb.SecretAccessKey! };
    await iam.send(new CreateRoleCommand({ RoleName: 'caller', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'sts:AssumeRole' }] }) }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'caller', PolicyName: 'invoke', PolicyDocument: invokeAll() }));
    const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/caller', RoleSessionName: 'sess1' }));
    session = {
      accessKeyId: assumed.Credentials!.AccessKeyId!,
      secretAccessKey: assumed.Credentials!.SecretAccessKey!,
      sessionToken: assumed.Credentials!.SessionToken!,
      arn: assumed.AssumedRoleUser!.Arn!,
      userId: assumed.AssumedRoleUser!.AssumedRoleId!,
    };
    iam.destroy();
    sts.destroy();
  });

  after(() => gh.stop());

  test('a user allowed by its identity policy: 200, $context.identity filled, Cognito fields empty', async () => {
    const r = await sdkSigned(alice, '/pets');
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(JSON.parse(r.body), {
      caller: aliceId,
      user: aliceId,
      userArn: 'arn:aws:iam::123456789012:user/alice',
      accountId: '123456789012',
      accessKey: alice.accessKeyId,
      cognitoIdentityId: '',
    });
  });

  test('a Lambda proxy event carries the caller in requestContext.identity', async () => {
    const r = await sdkSigned(session, '/fn');
    assert.equal(r.status, 200, r.body);
    const id = JSON.parse(r.body);
    assert.equal(id.caller, session.userId);
    assert.equal(id.user, session.userId);
    assert.equal(id.userArn, session.arn);
    assert.equal(id.accountId, '123456789012');
    assert.equal(id.accessKey, session.accessKeyId);
    for (const k of ['cognitoIdentityPoolId', 'cognitoIdentityId', 'cognitoAuthenticationType', 'cognitoAuthenticationProvider', 'principalOrgId']) assert.equal(id[k], null, k);
  });

  test('aws4 (an independent signer) with a body, and a query string', async () => {
    const body = '{"name":"rex"}';
    const opts = aws4.sign({ host, method: 'POST', path: '/test/pets?b=2&a=1', service: 'execute-api', region: 'us-east-1', body, headers: { 'content-type': 'application/json' } }, alice);
    const res = await request(`${gh.endpoint}/test/pets?b=2&a=1`, { method: 'POST', headers: opts.headers as Record<string, string>, body });
    assert.equal(res.statusCode, 200, await res.body.text());
  });

  test("botocore's signer (the Debian aws CLI v2's, through /usr/bin/python3) with a body and a query string", async () => {
    const body = '{"from":"botocore"}';
    const script = [
      'import json, sys',
      // The botocore that Debian's aws CLI v2 (installed by .ci/run) carries inside its own package.
      "sys.path.insert(0, '/usr/lib/python3/dist-packages/awscli')",
      'from botocore.auth import SigV4Auth',
      'from botocore.awsrequest import AWSRequest',
      'from botocore.credentials import Credentials',
      'a = json.loads(sys.argv[1])',
      "r = AWSRequest(method='POST', url=a['url'], data=a['body'], headers={'Host': a['host'], 'Content-Type': 'application/json'})",
      "SigV4Auth(Credentials(a['key'], a['secret']), 'execute-api', 'us-east-1').add_auth(r)",
      'print(json.dumps(dict(r.headers.items())))',
    ].join('\n');
    const url = `https://${host}/test/pets?q=a%20b&z=1`;
    const out = spawnSync('/usr/bin/python3', ['-c', script, JSON.stringify({ url, host, body, key: alice.accessKeyId, secret: alice.secretAccessKey })], { encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    const headers = JSON.parse(out.stdout) as Record<string, string>;
    const res = await request(`${gh.endpoint}/test/pets?q=a%20b&z=1`, { method: 'POST', headers, body });
    assert.equal(res.statusCode, 200, await res.body.text());
  });

  test('the same signature replayed with a changed body: 403 InvalidSignatureException with the canonical request', async () => {
    const r = await sdkSigned(alice, '/pets', { method: 'POST', body: '{"a":1}', tamper: () => undefined });
    assert.equal(r.status, 200);
    const opts = aws4.sign({ host, method: 'POST', path: '/test/pets', service: 'execute-api', region: 'us-east-1', body: '{"a":1}' }, alice);
    const res = await request(`${gh.endpoint}/test/pets`, { method: 'POST', headers: opts.headers as Record<string, string>, body: '{"a":2}' });
    const text = await res.body.text();
    assert.equal(res.statusCode, 403);
    assert.equal(res.headers['x-amzn-errortype'], 'InvalidSignatureException');
    const message = JSON.parse(text).message as string;
    assert.match(message, /^The request signature we calculated does not match the signature you provided\. Check your AWS Secret Access Key and signing method\. Consult the service documentation for details\.\n\nThe Canonical String for this request should have been\n'POST\n\/test\/pets\n/);
    assert.ok(message.includes(createHash('sha256').update('{"a":2}').digest('hex')));
  });

  test('through a custom domain name: the signature covers the Host and path the client sent (base path included)', async () => {
    const domain = 'signed.example.localhost';
    await gh.apigateway.send(new AG.CreateDomainNameCommand({ domainName: domain, regionalCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0f6b8c1e-1111-2222-3333-444455556666', endpointConfiguration: { types: ['REGIONAL'] }, securityPolicy: 'TLS_1_2' }));
    await gh.apigateway.send(new AG.CreateBasePathMappingCommand({ domainName: domain, basePath: 'zoo', restApiId: api.apiId, stage: 'test' }));
    const o = aws4.sign({ host: domain, method: 'GET', path: '/zoo/pets', service: 'execute-api', region: 'us-east-1' }, alice);
    const res = await request(`${gh.endpoint}/zoo/pets`, { headers: o.headers as Record<string, string> });
    assert.equal(res.statusCode, 200, await res.body.text());
    // The same signature for the path without the base path does not match what was sent.
    const wrong = aws4.sign({ host: domain, method: 'GET', path: '/pets', service: 'execute-api', region: 'us-east-1' }, alice);
    const res2 = await request(`${gh.endpoint}/zoo/pets`, { headers: wrong.headers as Record<string, string> });
    assert.equal(res2.statusCode, 403);
    assert.equal(res2.headers['x-amzn-errortype'], 'InvalidSignatureException');
    await res2.body.text();
  });

  test('UNSIGNED-PAYLOAD leaves the body out of the signature', async () => {
    const r = await sdkSigned(alice, '/pets', { method: 'POST', body: '{"x":1}', unsignedPayload: true });
    assert.equal(r.status, 200, r.body);
  });

  test('a tampered signature: 403 InvalidSignatureException', async () => {
    const r = await sdkSigned(alice, '/pets', { tamper: (h) => (h.authorization = h.authorization!.replace(/Signature=(.)/, (_m, c: string) => `Signature=${c === '0' ? '1' : '0'}`)) });
    assert.equal(r.status, 403);
    assert.equal(r.headers['x-amzn-errortype'], 'InvalidSignatureException');
  });

  test('a signature older than 5 minutes: AWS\'s "Signature expired" text', async () => {
    const at = new Date(Date.now() - 6 * 60_000);
    const r = await sdkSigned(alice, '/pets', { at });
    assert.equal(r.status, 403);
    assert.equal(r.headers['x-amzn-errortype'], 'InvalidSignatureException');
    assert.match(JSON.parse(r.body).message, /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/);
  });

  test('an unknown access key: 403 "The security token included in the request is invalid."', async () => {
    const r = await sdkSigned({ accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'x'.repeat(40) }, '/pets');
    assert.equal(r.status, 403);
    assert.equal(r.body, '{"message":"The security token included in the request is invalid."}');
    assert.equal(r.headers['x-amzn-errortype'], 'UnrecognizedClientException');
  });

  test('signed for another service or region: 403 with AWS\'s scope texts', async () => {
    const s = await sdkSigned(alice, '/pets', { service: 'apigateway' });
    assert.equal(s.status, 403);
    assert.equal(JSON.parse(s.body).message, "Credential should be scoped to correct service: 'execute-api'. ");
    const r = await sdkSigned(alice, '/pets', { region: 'eu-west-1' });
    assert.equal(r.status, 403);
    assert.equal(JSON.parse(r.body).message, "Credential should be scoped to a valid region, not 'eu-west-1'. ");
  });

  test('a presigned URL (query-string signature) works until X-Amz-Expires', async () => {
    const signer = new SignatureV4({ service: 'execute-api', region: 'us-east-1', credentials: alice, sha256: Sha256 });
    const presigned = await signer.presign({ method: 'GET', protocol: 'http:', hostname: host, path: '/test/pets', query: {}, headers: { host } }, { expiresIn: 60 });
    const qs = new URLSearchParams(presigned.query as Record<string, string>).toString();
    const res = await request(`${gh.endpoint}/test/pets?${qs}`, { headers: { host } });
    assert.equal(res.statusCode, 200, await res.body.text());
    const old = await signer.presign({ method: 'GET', protocol: 'http:', hostname: host, path: '/test/pets', query: {}, headers: { host } }, { expiresIn: 60, signingDate: new Date(Date.now() - 120_000) });
    const res2 = await request(`${gh.endpoint}/test/pets?${new URLSearchParams(old.query as Record<string, string>)}`, { headers: { host } });
    assert.equal(res2.statusCode, 403);
    assert.match(JSON.parse(await res2.body.text()).message, /^Signature expired: .* - 60 sec\.\)$/);
  });

  test('an assumed-role session (STS): token required; identity is the session', async () => {
    const r = await sdkSigned(session, '/admin');
    assert.equal(r.status, 200, r.body);
    const id = JSON.parse(r.body);
    assert.equal(id.userArn, session.arn);
    assert.equal(id.caller, session.userId);
    assert.equal(id.accessKey, session.accessKeyId);
    const noToken = await sdkSigned({ accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey }, '/admin');
    assert.equal(noToken.status, 403);
    assert.equal(noToken.headers['x-amzn-errortype'], 'UnrecognizedClientException');
  });

  test('no identity policy allows it and no resource policy: 403 AccessDeniedException, implicit', async () => {
    const r = await sdkSigned(bob, '/pets');
    assert.equal(r.status, 403);
    assert.equal(r.headers['x-amzn-errortype'], 'AccessDeniedException');
    assert.equal(r.body, `{"Message":"User: arn:aws:iam::123456789012:user/bob is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********9012:${api.apiId}/test/GET/pets"}`);
    const a = await sdkSigned(alice, '/admin');
    assert.equal(a.status, 403, 'alice may invoke /pets only');
  });

  test('policy changes apply at once (the identity directory follows IAM writes)', async () => {
    const { iam } = identityClients(gh.endpoint);
    await iam.send(new PutUserPolicyCommand({ UserName: 'bob', PolicyName: 'p', PolicyDocument: invokeAll() }));
    assert.equal((await sdkSigned(bob, '/pets')).status, 200);
    await iam.send(new PutUserPolicyCommand({ UserName: 'bob', PolicyName: 'deny', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'execute-api:*', Resource: '*' }] }) }));
    const r = await sdkSigned(bob, '/pets');
    assert.equal(r.status, 403);
    assert.match(r.body, / with an explicit deny"\}$/);
    await iam.send(new DeleteUserPolicyCommand({ UserName: 'bob', PolicyName: 'deny' }));
    await iam.send(new DeleteUserPolicyCommand({ UserName: 'bob', PolicyName: 'p' }));
    iam.destroy();
  });

  test('unsigned: 403 Missing Authentication Token; a Bearer header: AWS\'s key=value text', async () => {
    const r = await api.invoke('test', '/pets');
    assert.equal(r.status, 403);
    assert.equal(r.body, '{"message":"Missing Authentication Token"}');
    const b = await api.invoke('test', '/pets', { headers: { authorization: 'Bearer abc' } });
    assert.equal(b.status, 403);
    assert.equal(b.body, `{"message":"'abc' not a valid key=value pair (missing equal-sign) in Authorization header: 'Bearer abc'."}`);
    assert.equal(b.headers['x-amzn-errortype'], 'IncompleteSignatureException');
  });

  describe('Table A: identity policy × resource policy (same account)', () => {
    // Rows of "Policy evaluation outcome tables" (Table A) in the API Gateway developer guide.
    const rows: Array<[identity: 'Allow' | 'Neither' | 'Deny', resource: 'Allow' | 'Neither' | 'Deny', status: number]> = [
      ['Allow', 'Allow', 200], ['Allow', 'Neither', 200], ['Allow', 'Deny', 403],
      ['Neither', 'Allow', 200], ['Neither', 'Neither', 403], ['Neither', 'Deny', 403],
      ['Deny', 'Allow', 403], ['Deny', 'Neither', 403], ['Deny', 'Deny', 403],
    ];
    for (const [identity, resource, status] of rows) {
      test(`identity ${identity}, resource policy ${resource}: ${status}`, async () => {
        const { iam } = identityClients(gh.endpoint);
        const name = `t-${identity}-${resource}`.toLowerCase();
        await iam.send(new CreateUserCommand({ UserName: name }));
        const k = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
        if (identity !== 'Neither') {
          await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: identity, Action: 'execute-api:Invoke', Resource: '*' }] }) }));
        }
        iam.destroy();
        const userArn = `arn:aws:iam::123456789012:user/${name}`;
        const t = await ApiBuilder.create(gh, resource === 'Neither' ? {
          policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:user/someone-else' }, Action: 'execute-api:Invoke', Resource: 'execute-api:/*' }] }),
        } : {
          policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: resource, Principal: { AWS: userArn }, Action: 'execute-api:Invoke', Resource: 'execute-api:/*' }] }),
        });
        await t.method('/x', 'GET', mock, { method: { authorizationType: 'AWS_IAM' }, responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{}' } }] });
        await t.deploy('test');
        const h = `${t.apiId}.execute-api.us-east-1.amazonaws.com`;
        const o = aws4.sign({ host: h, method: 'GET', path: '/test/x', service: 'execute-api', region: 'us-east-1' }, { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! });
        const res = await request(`${gh.endpoint}/test/x`, { headers: o.headers as Record<string, string> });
        const text = await res.body.text();
        assert.equal(res.statusCode, status, text);
        if (status === 403) {
          const explicit = identity === 'Deny' || resource === 'Deny';
          assert.equal(text, `{"Message":"User: ${userArn} is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********9012:${t.apiId}/test/GET/x${explicit ? ' with an explicit deny' : ''}"}`);
        }
      });
    }
  });
});

describe('AWS_IAM with temporary credentials over time (fake clock)', () => {
  let gh: Running;
  const clock = { t: Date.UTC(2026, 11, 5, 12, 0, 0) };

  before(async () => {
    gh = await startGatehouse({ now: () => new Date(clock.t) });
  });
  after(() => gh.stop());

  test('an STS session works until its expiry, then 403 ExpiredTokenException (EXPIRED_TOKEN)', async () => {
    const { iam, sts } = identityClients(gh.endpoint);
    await iam.send(new CreateRoleCommand({ RoleName: 'short', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'sts:AssumeRole' }] }) }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'short', PolicyName: 'invoke', PolicyDocument: invokeAll() }));
    const c = (await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/short', RoleSessionName: 'brief', DurationSeconds: 900 }))).Credentials!;
    iam.destroy();
    sts.destroy();
    const api = await ApiBuilder.create(gh);
    await api.method('/x', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, { method: { authorizationType: 'AWS_IAM' }, responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{}' } }] });
    await api.deploy('test');
    const host = `${api.apiId}.execute-api.us-east-1.amazonaws.com`;
    const creds = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
    const call = async () => {
      const signer = new SignatureV4({ service: 'execute-api', region: 'us-east-1', credentials: creds, sha256: Sha256 });
      const req = await signer.sign({ method: 'GET', protocol: 'http:', hostname: host, path: '/test/x', headers: { host } }, { signingDate: new Date(clock.t) });
      const res = await request(`${gh.endpoint}/test/x`, { headers: req.headers as Record<string, string> });
      return { status: res.statusCode, type: res.headers['x-amzn-errortype'], body: await res.body.text() };
    };
    assert.equal((await call()).status, 200);
    clock.t = c.Expiration!.getTime() + 1_000;
    const expired = await call();
    assert.equal(expired.status, 403);
    assert.equal(expired.type, 'ExpiredTokenException');
    assert.equal(expired.body, '{"message":"The security token included in the request is expired"}');
  });
});

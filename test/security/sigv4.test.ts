// SigV4 verification under `--require-auth`: every control API (apigateway, apigatewayv2, lambda, iam, sts) checks
// the signature against the stored access keys. Requests are signed by independent signers — the AWS SDK's own, the
// `aws4` package, botocore through the aws CLI v2 — then forged, signed with a wrong secret, tampered with (body,
// header, path, query), replayed past the clock-skew window, presigned and expired, sent with an unknown or
// deactivated key, or with an STS session token that is missing, wrong or expired. Each is refused with AWS's status,
// error type and text, nothing it asked for happens, and the server stays healthy. Without --require-auth, any key
// is accepted (today's anonymous use).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import aws4 from 'aws4';
import * as AG from '@aws-sdk/client-api-gateway';
import * as IAM from '@aws-sdk/client-iam';
import * as STS from '@aws-sdk/client-sts';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { startGatehouse, tempDataDir, TEST_CREDENTIALS, type Running } from '../helpers/gatehouse.ts';
import { rejects } from '../helpers/aws-assert.ts';
import { awsCli, cliFailed, identityClients, type Credentials } from '../identity/helpers.ts';

const MISMATCH = 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const INVALID_TOKEN = 'The security token included in the request is invalid.';
const EXPIRED_TOKEN = 'The security token included in the request is expired';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends exactly the given request (node:http adds nothing that is signed). */
function send(port: number, method: string, path: string, headers: Record<string, string | number>, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: data }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const amzDate = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');

interface SignOptions {
  method?: string;
  path: string;
  body?: string;
  headers?: Record<string, string>;
  service?: string;
  date?: Date;
  presign?: boolean;
}

/** Signs with `aws4` (an independent implementation) and returns what to send. */
function sign(port: number, creds: Credentials, o: SignOptions): { method: string; path: string; headers: Record<string, string | number>; body?: string } {
  const headers: Record<string, string> = { ...(o.headers ?? {}) };
  let path = o.path;
  if (o.date && !o.presign) headers['X-Amz-Date'] = amzDate(o.date);
  if (o.date && o.presign) path += `${path.includes('?') ? '&' : '?'}X-Amz-Date=${amzDate(o.date)}`;
  const signed = aws4.sign(
    { host: '127.0.0.1', port, method: o.method ?? 'GET', path, body: o.body, headers, service: o.service ?? 'apigateway', region: 'us-east-1', signQuery: o.presign },
    { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey, sessionToken: creds.sessionToken },
  );
  return { method: signed.method!, path: signed.path!, headers: signed.headers as Record<string, string | number>, body: o.body };
}

function assertJsonError(r: Reply, type: string, message: string | RegExp): void {
  assert.equal(r.status, 403, r.body);
  assert.equal(r.headers['x-amzn-errortype'], type);
  const m = (JSON.parse(r.body) as { message: string }).message;
  if (typeof message === 'string') assert.equal(m, message);
  else assert.match(m, message);
}

describe('SigV4 verification (--require-auth)', () => {
  let gh: Running;
  let admin: Credentials;
  let home: string;
  const go = (s: ReturnType<typeof sign>) => send(gh.port, s.method, s.path, s.headers, s.body);

  before(async () => {
    gh = await startGatehouse({ config: { requireAuth: true } });
    home = tempDataDir();
    const b = gh.gatehouse.bootstrap!;
    admin = { accessKeyId: b.accessKeyId, secretAccessKey: b.secretAccessKey };
  });
  after(async () => {
    const health = await fetch(`${gh.endpoint}/_gatehouse/health`);
    assert.equal(health.status, 200, 'the server stays healthy');
    await gh.stop();
  });

  it('correctly signed requests pass: SDK clients for apigateway, lambda, iam and sts; aws4 header and presigned forms', async () => {
    const ag = new AG.APIGatewayClient({ endpoint: gh.endpoint, region: 'us-east-1', credentials: admin, maxAttempts: 1 });
    assert.deepEqual((await ag.send(new AG.GetRestApisCommand({}))).items, []);
    const lambda = new LambdaClient({ endpoint: gh.endpoint, region: 'us-east-1', credentials: admin, maxAttempts: 1 });
    assert.deepEqual((await lambda.send(new ListFunctionsCommand({}))).Functions, []);
    const { iam, sts } = identityClients(gh.endpoint, admin);
    assert.equal((await sts.send(new STS.GetCallerIdentityCommand({}))).Arn, 'arn:aws:iam::123456789012:user/admin');
    assert.ok((await iam.send(new IAM.ListUsersCommand({}))).Users!.some((u) => u.UserName === 'admin'));

    const header = await go(sign(gh.port, admin, { path: '/restapis?limit=5' }));
    assert.equal(header.status, 200, header.body);
    const presigned = await go(sign(gh.port, admin, { path: '/restapis?X-Amz-Expires=60', presign: true }));
    assert.equal(presigned.status, 200, presigned.body);
    const post = await go(sign(gh.port, admin, { method: 'POST', path: '/restapis', body: '{"name":"signed"}', headers: { 'Content-Type': 'application/json' } }));
    assert.equal(post.status, 201, post.body);
    const v2 = await go(sign(gh.port, admin, { path: '/v2/domainnames?maxResults=5' }));
    assert.equal(v2.status, 200, v2.body);
    const form = await go(sign(gh.port, admin, { method: 'POST', path: '/', service: 'iam', body: 'Action=GetUser&Version=2010-05-08&UserName=admin' }));
    assert.equal(form.status, 200, form.body);
    assert.match(form.body, /<UserName>admin<\/UserName>/);
    for (const c of [ag, lambda, iam, sts]) c.destroy();
  });

  it('a wrong secret: InvalidSignatureException with the expected canonical request (rest-json), SignatureDoesNotMatch (iam, sts)', async () => {
    const wrong = { accessKeyId: admin.accessKeyId, secretAccessKey: 'x'.repeat(40) };
    const ag = new AG.APIGatewayClient({ endpoint: gh.endpoint, region: 'us-east-1', credentials: wrong, maxAttempts: 1 });
    await rejects(ag.send(new AG.CreateRestApiCommand({ name: 'forged' })), 'InvalidSignatureException', 403, /^The request signature we calculated does not match/);
    const lambda = new LambdaClient({ endpoint: gh.endpoint, region: 'us-east-1', credentials: wrong, maxAttempts: 1 });
    await rejects(lambda.send(new ListFunctionsCommand({})), 'InvalidSignatureException', 403, /^The request signature we calculated does not match/);
    const { iam, sts } = identityClients(gh.endpoint, wrong);
    await rejects(iam.send(new IAM.CreateUserCommand({ UserName: 'forged' })), 'SignatureDoesNotMatch', 403, MISMATCH);
    await rejects(sts.send(new STS.GetCallerIdentityCommand({})), 'SignatureDoesNotMatch', 403, MISMATCH);

    // The rest-json text explains, as AWS's does, what was expected.
    const r = await go(sign(gh.port, wrong, { path: '/restapis', date: new Date() }));
    const date = r.headers['x-amzn-errortype'] ? JSON.parse(r.body).message.match(/x-amz-date:(\d{8}T\d{6}Z)/)[1] : '';
    assertJsonError(
      r,
      'InvalidSignatureException',
      new RegExp(
        `^${escape(MISMATCH)}\\n\\nThe Canonical String for this request should have been\\n'GET\\n/restapis\\n\\nhost:127\\.0\\.0\\.1:${gh.port}\\nx-amz-date:${date}\\n\\nhost;x-amz-date\\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'\\n\\n` +
          `The String-to-Sign should have been\\n'AWS4-HMAC-SHA256\\n${date}\\n${date.slice(0, 8)}/us-east-1/apigateway/aws4_request\\n[0-9a-f]{64}'\\n$`,
      ),
    );
    const xml = await go(sign(gh.port, wrong, { method: 'POST', path: '/', service: 'sts', body: 'Action=GetCallerIdentity&Version=2011-06-15' }));
    assert.equal(xml.status, 403);
    assert.equal(xml.headers['content-type'], 'text/xml');
    assert.equal(
      xml.body.replace(/<RequestId>[^<]+<\/RequestId>/, '<RequestId>RID</RequestId>'),
      `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>${MISMATCH}</Message></Error><RequestId>RID</RequestId></ErrorResponse>`,
    );
    cliFailed(await awsCli(gh.endpoint, home, wrong, 'sts', 'get-caller-identity'), 'GetCallerIdentity', 'SignatureDoesNotMatch', MISMATCH);
    for (const c of [ag, lambda, iam, sts]) c.destroy();
  });

  it('a forged signature in a hand-made header, and a signature of the wrong length', async () => {
    const now = amzDate(new Date());
    for (const sig of ['0'.repeat(64), 'abc', '']) {
      const r = await send(gh.port, 'GET', '/restapis', {
        host: `127.0.0.1:${gh.port}`,
        'x-amz-date': now,
        authorization: `AWS4-HMAC-SHA256 Credential=${admin.accessKeyId}/${now.slice(0, 8)}/us-east-1/apigateway/aws4_request, SignedHeaders=host;x-amz-date, Signature=${sig}`,
      });
      if (sig === '') {
        // An empty signature is a shape error, answered before verification.
        assert.equal(r.status, 403);
        continue;
      }
      assertJsonError(r, 'InvalidSignatureException', /^The request signature we calculated does not match/);
    }
  });

  it('unknown and deactivated keys: UnrecognizedClientException (rest-json), InvalidClientTokenId (iam, sts)', async () => {
    const unknown = { accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'y'.repeat(40) };
    assertJsonError(await go(sign(gh.port, unknown, { path: '/restapis' })), 'UnrecognizedClientException', INVALID_TOKEN);
    const { iam: badIam, sts: badSts } = identityClients(gh.endpoint, unknown);
    await rejects(badIam.send(new IAM.ListUsersCommand({})), 'InvalidClientTokenId', 403, INVALID_TOKEN);
    await rejects(badSts.send(new STS.GetCallerIdentityCommand({})), 'InvalidClientTokenId', 403, INVALID_TOKEN);
    cliFailed(await awsCli(gh.endpoint, home, unknown, 'iam', 'list-users'), 'ListUsers', 'InvalidClientTokenId', INVALID_TOKEN);
    // TEST_CREDENTIALS, which every other test uses anonymously, are unknown here.
    const lambda = new LambdaClient({ endpoint: gh.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    await rejects(lambda.send(new ListFunctionsCommand({})), 'UnrecognizedClientException', 403, INVALID_TOKEN);

    const { iam } = identityClients(gh.endpoint, admin);
    await iam.send(new IAM.CreateUserCommand({ UserName: 'paused' }));
    await iam.send(new IAM.PutUserPolicyCommand({ UserName: 'paused', PolicyName: 'read', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'apigateway:GET', Resource: '*' }] }) }));
    const k = (await iam.send(new IAM.CreateAccessKeyCommand({ UserName: 'paused' }))).AccessKey!;
    const key = { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
    assert.equal((await go(sign(gh.port, key, { path: '/restapis' }))).status, 200);
    await iam.send(new IAM.UpdateAccessKeyCommand({ UserName: 'paused', AccessKeyId: key.accessKeyId, Status: 'Inactive' }));
    assertJsonError(await go(sign(gh.port, key, { path: '/restapis' })), 'UnrecognizedClientException', INVALID_TOKEN);
    await iam.send(new IAM.DeleteAccessKeyCommand({ UserName: 'paused', AccessKeyId: key.accessKeyId }));
    assertJsonError(await go(sign(gh.port, key, { path: '/restapis' })), 'UnrecognizedClientException', INVALID_TOKEN);
    for (const c of [badIam, badSts, lambda, iam]) c.destroy();
  });

  it('tampering after signing: body, a signed header, path and query are each refused, and nothing is created', async () => {
    const base = sign(gh.port, admin, { method: 'POST', path: '/restapis', body: '{"name":"original"}', headers: { 'Content-Type': 'application/json', 'X-Trace': 'a' } });
    assertJsonError(await go({ ...base, body: '{"name":"tampered"}' }), 'InvalidSignatureException', /^The request signature we calculated/);
    assertJsonError(await go({ ...base, headers: { ...base.headers, 'X-Trace': 'b' } }), 'InvalidSignatureException', /^The request signature we calculated/);
    assertJsonError(await go({ ...base, path: '/restapis?mode=import' }), 'InvalidSignatureException', /^The request signature we calculated/);
    const q = sign(gh.port, admin, { path: '/restapis?limit=1' });
    assertJsonError(await go({ ...q, path: '/restapis?limit=2' }), 'InvalidSignatureException', /^The request signature we calculated/);
    const p = sign(gh.port, admin, { path: '/restapis?X-Amz-Expires=60', presign: true });
    assertJsonError(await go({ ...p, path: p.path.replace('/restapis?', '/apikeys?') }), 'InvalidSignatureException', /^The request signature we calculated/);
    const iamForm = sign(gh.port, admin, { method: 'POST', path: '/', service: 'iam', body: 'Action=CreateUser&Version=2010-05-08&UserName=original' });
    const tampered = await go({ ...iamForm, body: 'Action=CreateUser&Version=2010-05-08&UserName=tampered' });
    assert.equal(tampered.status, 403);
    assert.match(tampered.body, /<Code>SignatureDoesNotMatch<\/Code>/);

    const ag = new AG.APIGatewayClient({ endpoint: gh.endpoint, region: 'us-east-1', credentials: admin, maxAttempts: 1 });
    const names = (await ag.send(new AG.GetRestApisCommand({}))).items!.map((a) => a.name);
    assert.ok(!names.includes('tampered') && !names.includes('original') && !names.includes('forged'), `no API was created by a refused request: ${names}`);
    const { iam } = identityClients(gh.endpoint, admin);
    await rejects(iam.send(new IAM.GetUserCommand({ UserName: 'tampered' })), 'NoSuchEntityException', 404, 'The user with name tampered cannot be found.');
    await rejects(iam.send(new IAM.GetUserCommand({ UserName: 'forged' })), 'NoSuchEntityException', 404, 'The user with name forged cannot be found.');
    ag.destroy();
    iam.destroy();
  });

  it("UNSIGNED-PAYLOAD leaves the body out of the signature, as the signers allow; any other declared hash must be the body's", async () => {
    const unsigned = sign(gh.port, admin, { method: 'POST', path: '/restapis', body: '{"name":"unsigned-body"}', headers: { 'Content-Type': 'application/json', 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' } });
    const r = await go(unsigned);
    assert.equal(r.status, 201, r.body);
    assert.equal(JSON.parse(r.body).name, 'unsigned-body');
    const lying = sign(gh.port, admin, { method: 'POST', path: '/restapis', body: '{"name":"x"}', headers: { 'Content-Type': 'application/json', 'X-Amz-Content-Sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' } });
    assertJsonError(await go(lying), 'InvalidSignatureException', /^The request signature we calculated/);
  });

  it("clock skew: 5 minutes for apigateway and lambda, 15 for iam and sts, with AWS's texts; presigned URLs until X-Amz-Expires", async () => {
    const check = (r: Reply, signedAt: Date, minutes: number, sign: '-' | '+') => {
      // Lambda's errors spell the member `Message`.
      const body = JSON.parse(r.body) as { message?: string; Message?: string };
      const m = (body.message ?? body.Message)!;
      const re = sign === '-' ? /^Signature expired: (\d{8}T\d{6}Z) is now earlier than (\d{8}T\d{6}Z) \((\d{8}T\d{6}Z) - (\d+) min\.\)$/ : /^Signature not yet current: (\d{8}T\d{6}Z) is still later than (\d{8}T\d{6}Z) \((\d{8}T\d{6}Z) \+ (\d+) min\.\)$/;
      const parts = re.exec(m);
      assert.ok(parts, m);
      assert.equal(parts[1], amzDate(signedAt));
      assert.equal(Number(parts[4]), minutes);
      const t = (s: string) => Date.parse(`${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`);
      assert.equal(t(parts[2]!) - t(parts[3]!), (sign === '-' ? -1 : 1) * minutes * 60_000);
      assert.ok(Math.abs(t(parts[3]!) - Date.now()) < 60_000, 'the server time is now');
    };
    const sixAgo = new Date(Date.now() - 6 * 60_000);
    const r1 = await go(sign(gh.port, admin, { path: '/restapis', date: sixAgo }));
    assert.equal(r1.status, 403);
    assert.equal(r1.headers['x-amzn-errortype'], 'InvalidSignatureException');
    check(r1, sixAgo, 5, '-');
    const future = new Date(Date.now() + 6 * 60_000);
    const r2 = await go(sign(gh.port, admin, { path: '/restapis', date: future }));
    assert.equal(r2.headers['x-amzn-errortype'], 'InvalidSignatureException');
    check(r2, future, 5, '+');
    const lambdaOld = await go(sign(gh.port, admin, { path: '/2015-03-31/functions/', service: 'lambda', date: sixAgo }));
    check(lambdaOld, sixAgo, 5, '-');

    // Six minutes is within IAM's window; sixteen is not.
    const iamOk = await go(sign(gh.port, admin, { method: 'POST', path: '/', service: 'iam', body: 'Action=ListUsers&Version=2010-05-08', date: sixAgo }));
    assert.equal(iamOk.status, 200, iamOk.body);
    const sixteenAgo = new Date(Date.now() - 16 * 60_000);
    const iamOld = await go(sign(gh.port, admin, { method: 'POST', path: '/', service: 'sts', body: 'Action=GetCallerIdentity&Version=2011-06-15', date: sixteenAgo }));
    assert.equal(iamOld.status, 403);
    const msg = /<Code>SignatureDoesNotMatch<\/Code><Message>([^<]+)<\/Message>/.exec(iamOld.body)![1]!;
    check({ ...iamOld, body: JSON.stringify({ message: msg }) }, sixteenAgo, 15, '-');

    // A presigned URL is good until X-Amz-Expires seconds after its date, skew window or not.
    const tenAgo = new Date(Date.now() - 10 * 60_000);
    assert.equal((await go(sign(gh.port, admin, { path: '/restapis?X-Amz-Expires=900', presign: true, date: tenAgo }))).status, 200);
    const stale = await go(sign(gh.port, admin, { path: '/restapis?X-Amz-Expires=60', presign: true, date: new Date(Date.now() - 120_000) }));
    assertJsonError(stale, 'InvalidSignatureException', /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 60 sec\.\)$/);
  });

  it('STS session credentials: accepted with their token; refused without it, with a wrong one, and once expired', async () => {
    const { iam, sts } = identityClients(gh.endpoint, admin);
    await iam.send(new IAM.CreateRoleCommand({ RoleName: 'session-role', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }] }) }));
    await iam.send(new IAM.PutRolePolicyCommand({ RoleName: 'session-role', PolicyName: 'read', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'apigateway:GET', Resource: '*' }] }) }));
    const c = (await sts.send(new STS.AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/session-role', RoleSessionName: 'sess' }))).Credentials!;
    const session = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
    const asSession = identityClients(gh.endpoint, session).sts;
    assert.equal((await asSession.send(new STS.GetCallerIdentityCommand({}))).Arn, 'arn:aws:sts::123456789012:assumed-role/session-role/sess');
    assert.equal((await go(sign(gh.port, session, { path: '/restapis' }))).status, 200);
    assert.equal((await go(sign(gh.port, session, { path: '/restapis?X-Amz-Expires=60', presign: true }))).status, 200);

    const noToken = { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey };
    assertJsonError(await go(sign(gh.port, noToken, { path: '/restapis' })), 'UnrecognizedClientException', INVALID_TOKEN);
    assertJsonError(await go(sign(gh.port, { ...session, sessionToken: `${session.sessionToken.slice(0, -4)}AAAA` }, { path: '/restapis' })), 'UnrecognizedClientException', INVALID_TOKEN);
    // A long-term key with a session token is refused too.
    assertJsonError(await go(sign(gh.port, { ...admin, sessionToken: session.sessionToken }, { path: '/restapis' })), 'UnrecognizedClientException', INVALID_TOKEN);

    // Time passes: the session's expiry is moved into the past in the store.
    await gh.gatehouse.store.write(async (tx) => {
      const s = await tx.get<{ Expiration: number }>('sts-sessions', session.accessKeyId);
      await tx.put('sts-sessions', session.accessKeyId, { ...s, Expiration: Date.now() - 1000 });
    });
    assertJsonError(await go(sign(gh.port, session, { path: '/restapis' })), 'ExpiredTokenException', EXPIRED_TOKEN);
    await rejects(asSession.send(new STS.GetCallerIdentityCommand({})), 'ExpiredToken', 403, EXPIRED_TOKEN);
    cliFailed(await awsCli(gh.endpoint, home, session, 'sts', 'get-caller-identity'), 'GetCallerIdentity', 'ExpiredToken', EXPIRED_TOKEN);
    for (const cl of [iam, sts, asSession]) cl.destroy();
  });

  it('the aws CLI v2 (botocore signing) works with the administrator key on every control API', async () => {
    for (const args of [['apigateway', 'get-rest-apis'], ['lambda', 'list-functions'], ['iam', 'list-roles'], ['sts', 'get-caller-identity'], ['apigatewayv2', 'get-domain-names', '--max-results', '5']]) {
      const r = await awsCli(gh.endpoint, home, admin, ...args);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    }
  });
});

describe('without --require-auth, signatures are not verified', () => {
  it('any key and any secret are accepted', async () => {
    const gh = await startGatehouse();
    try {
      const forged = sign(gh.port, { accessKeyId: 'AKIAANYTHINGATALL000', secretAccessKey: 'nope' }, { path: '/restapis', date: new Date(Date.now() - 3_600_000) });
      const r = await send(gh.port, forged.method, forged.path, forged.headers);
      assert.equal(r.status, 200, r.body);
      const { sts } = identityClients(gh.endpoint, { accessKeyId: 'AKIAANYTHINGATALL000', secretAccessKey: 'nope' });
      assert.equal((await sts.send(new STS.GetCallerIdentityCommand({}))).Arn, 'arn:aws:iam::123456789012:root');
      sts.destroy();
    } finally {
      await gh.stop();
    }
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

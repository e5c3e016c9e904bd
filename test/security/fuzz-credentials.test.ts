// Fuzz of SigV4 credentials under --require-auth: 6,000 requests to every control API (apigateway, apigatewayv2,
// lambda, iam, sts) with malformed or forged credentials — garbage and truncated Authorization headers, odd
// parameters, bad or extreme dates, wrong scopes, presigned queries with broken values, session tokens, and
// well-formed signatures made with the wrong secret for the administrator's real key id. Every answer must be an
// AWS-shaped 4xx (JSON with x-amzn-ErrorType for rest-json, `<ErrorResponse>` XML for iam and sts), never a 5xx or
// a dropped connection; nothing the requests ask for may happen; the server stays healthy.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import aws4 from 'aws4';
import * as AG from '@aws-sdk/client-api-gateway';
import * as IAM from '@aws-sdk/client-iam';
import { startGatehouse, type Running } from '../helpers/gatehouse.ts';
import { fuzz, pick, prng, type FuzzRequest } from '../helpers/fuzz.ts';
import { identityClients } from '../identity/helpers.ts';

const REQUESTS = 6000;
const PARALLEL = 8;
const SEED = 0x5164;

const TARGETS: Array<{ service: string; method: string; path: string; body: string; type?: string }> = [
  { service: 'apigateway', method: 'POST', path: '/restapis', body: '{"name":"fuzzed"}', type: 'application/json' },
  { service: 'apigateway', method: 'GET', path: '/restapis', body: '' },
  { service: 'apigateway', method: 'GET', path: '/v2/domainnames', body: '' },
  { service: 'lambda', method: 'GET', path: '/2015-03-31/functions/', body: '' },
  { service: 'iam', method: 'POST', path: '/', body: 'Action=CreateUser&Version=2010-05-08&UserName=fuzzed', type: 'application/x-www-form-urlencoded' },
  { service: 'sts', method: 'POST', path: '/', body: 'Action=GetCallerIdentity&Version=2011-06-15', type: 'application/x-www-form-urlencoded' },
];

const JUNK = ['', ' ', '=', ',', '/', '//', '\u00e9', '%', '%zz', 'null', '0', '-1', 'AWS4-HMAC-SHA256', 'aws4_request', 'a'.repeat(300), '\t', 'Credential', '"', "'", ';', '${x}'];

describe('fuzz: malformed and forged SigV4 credentials (--require-auth)', () => {
  let gh: Running;
  let adminKey: string;
  let adminSecret: string;

  before(async () => {
    gh = await startGatehouse({ config: { requireAuth: true } });
    adminKey = gh.gatehouse.bootstrap!.accessKeyId;
    adminSecret = gh.gatehouse.bootstrap!.secretAccessKey;
  });
  after(async () => {
    await gh.stop();
  });

  it(`${REQUESTS} requests: AWS-shaped 4xx answers only, nothing created, the server healthy`, async () => {
    const rand = prng(SEED);
    const now = () => new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
    const junk = () => (rand() < 0.5 ? pick(rand, JUNK) : rand().toString(36).slice(2, 2 + Math.floor(rand() * 30)));
    const dates = () => pick(rand, [now(), '20260101T000000Z', '99991231T235959Z', '00000000T000000Z', '20261305T250000Z', now().slice(0, 8), junk(), '']);
    const keyId = () => pick(rand, [adminKey, 'AKIAIOSFODNN7EXAMPLE', 'ASIAXXXXXXXXXXXXXXXX', junk(), adminKey.toLowerCase(), `${adminKey}X`]);

    const next = (): FuzzRequest => {
      const t = pick(rand, TARGETS);
      const headers: Record<string, string> = { host: `127.0.0.1:${gh.port}` };
      if (t.type) headers['content-type'] = t.type;
      let path = t.path;
      const kind = Math.floor(rand() * 6);
      if (kind === 0) {
        // A real signature, made with a wrong secret (sometimes for a wrong service or region, sometimes with a token).
        const signed = aws4.sign(
          {
            host: '127.0.0.1',
            port: gh.port,
            method: t.method,
            path,
            body: t.body,
            headers: { 'Content-Type': t.type ?? 'application/json' },
            service: rand() < 0.8 ? t.service : pick(rand, ['s3', 'execute-api', 'iam']),
            region: rand() < 0.8 ? 'us-east-1' : junk() || 'x',
            signQuery: rand() < 0.3,
          },
          { accessKeyId: keyId(), secretAccessKey: rand() < 0.5 ? `${adminSecret.slice(0, -1)}${adminSecret.endsWith('A') ? 'B' : 'A'}` : junk(), sessionToken: rand() < 0.2 ? junk() : undefined },
        );
        return { method: t.method, path: signed.path!, headers: Object.fromEntries(Object.entries(signed.headers!).map(([k, v]) => [k, String(v)])), body: t.body };
      }
      if (kind <= 3) {
        // An Authorization header assembled from parts, each possibly broken.
        const parts = [
          `Credential=${rand() < 0.8 ? `${keyId()}/${rand() < 0.7 ? now().slice(0, 8) : junk()}/${rand() < 0.8 ? 'us-east-1' : junk()}/${rand() < 0.8 ? t.service : junk()}/${rand() < 0.9 ? 'aws4_request' : junk()}` : junk()}`,
          `SignedHeaders=${pick(rand, ['host;x-amz-date', 'host', '', junk(), 'content-type;host;x-amz-date', 'x-amz-date'])}`,
          `Signature=${pick(rand, ['0'.repeat(64), 'f'.repeat(63), junk(), ''])}`,
        ].filter(() => rand() < 0.9);
        if (rand() < 0.2) parts.push(`${junk()}=${junk()}`);
        const algorithm = rand() < 0.85 ? 'AWS4-HMAC-SHA256' : junk();
        headers.authorization = `${algorithm} ${parts.join(rand() < 0.8 ? ', ' : pick(rand, [',', ' ', ';', ',,']))}`;
        if (rand() < 0.9) headers['x-amz-date'] = dates();
        else if (rand() < 0.5) headers.date = pick(rand, [new Date().toUTCString(), junk()]);
        if (rand() < 0.2) headers['x-amz-security-token'] = junk();
        if (rand() < 0.1) headers['x-amz-content-sha256'] = pick(rand, ['UNSIGNED-PAYLOAD', junk()]);
      } else {
        // A presigned query, each parameter possibly missing or broken.
        const q = new URLSearchParams();
        const add = (k: string, v: string) => rand() < 0.92 && q.set(k, v);
        add('X-Amz-Algorithm', rand() < 0.85 ? 'AWS4-HMAC-SHA256' : junk());
        add('X-Amz-Credential', `${keyId()}/${now().slice(0, 8)}/us-east-1/${t.service}/${rand() < 0.9 ? 'aws4_request' : junk()}`);
        add('X-Amz-Date', dates());
        add('X-Amz-SignedHeaders', pick(rand, ['host', '', junk()]));
        add('X-Amz-Signature', pick(rand, ['0'.repeat(64), junk()]));
        if (rand() < 0.6) q.set('X-Amz-Expires', pick(rand, ['60', '0', '-5', '604801', '99999999999', junk()]));
        if (rand() < 0.2) q.set('X-Amz-Security-Token', junk());
        path = `${path}${path.includes('?') ? '&' : '?'}${q.toString()}`;
      }
      return { method: t.method, path, headers, body: t.body };
    };

    // The runner checks rest-json errors for their shape; awsQuery ones (text/xml) are checked by the test below.
    const { failures, statuses } = await fuzz(gh.port, REQUESTS, PARALLEL, next, (h) => String(h['content-type']).startsWith('text/xml'));
    assert.deepEqual(failures.slice(0, 10), [], `${failures.length} failures`);
    for (const status of statuses.keys()) assert.ok(status === 400 || status === 403, `status ${status} (${[...statuses].join(' ')})`);
    assert.ok((statuses.get(403) ?? 0) > REQUESTS / 2, `mostly 403s: ${[...statuses].join(' ')}`);

    const admin = { accessKeyId: adminKey, secretAccessKey: adminSecret };
    const ag = new AG.APIGatewayClient({ endpoint: gh.endpoint, region: 'us-east-1', credentials: admin, maxAttempts: 1 });
    assert.deepEqual((await ag.send(new AG.GetRestApisCommand({}))).items, [], 'no API was created');
    const { iam } = identityClients(gh.endpoint, admin);
    assert.deepEqual((await iam.send(new IAM.ListUsersCommand({}))).Users!.map((u) => u.UserName), ['admin'], 'no user was created');
    ag.destroy();
    iam.destroy();
    assert.equal((await fetch(`${gh.endpoint}/_gatehouse/health`)).status, 200);
  });

  it('the awsQuery refusals are XML error documents', async () => {
    const res = await fetch(`${gh.endpoint}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-amz-date': '20260101T000000Z',
        authorization: `AWS4-HMAC-SHA256 Credential=${adminKey}/20260101/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
      },
      body: 'Action=ListUsers&Version=2010-05-08',
    });
    assert.equal(res.status, 403);
    assert.equal(res.headers.get('content-type'), 'text/xml');
    assert.match(await res.text(), /^<ErrorResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/"><Error><Type>Sender<\/Type><Code>SignatureDoesNotMatch<\/Code><Message>Signature expired: 20260101T000000Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/);
  });
});

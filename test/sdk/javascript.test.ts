// GetSdk sdkType=javascript: the zip API Gateway's layout has (apiGateway-js-sdk/apigClient.js, lib/…, README.md),
// fetched through the AWS SDK and the AWS CLI, then loaded in a child Node process and used to call the deployed API:
// plain, API-keyed and SigV4-signed (AWS_IAM) methods, path/query/header parameters, JSON bodies, and the
// failures a wrong key, a wrong secret or no credentials get. Also GetSdk's errors.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash, createHmac } from 'node:crypto';
import { runInNewContext } from 'node:vm';
import { GetSdkCommand } from '@aws-sdk/client-api-gateway';
import { runAws } from '../helpers/aws-cli.ts';
import { sigv4Headers, startGatehouse, tempDataDir } from '../helpers/gatehouse.ts';
import { Agent, request } from 'undici';
import { ApiBuilder } from '../execute/helpers.ts';
import { awsError } from '../control/deployable-api.ts';
import { runNode, startSdkFixture, unzipTo, type SdkFixture } from './fixture.ts';

const LIBRARY = [
  'apiGateway-js-sdk/lib/CryptoJS/components/enc-base64.js',
  'apiGateway-js-sdk/lib/CryptoJS/components/hmac.js',
  'apiGateway-js-sdk/lib/CryptoJS/rollups/hmac-sha256.js',
  'apiGateway-js-sdk/lib/CryptoJS/rollups/sha256.js',
  'apiGateway-js-sdk/lib/apiGatewayCore/apiGatewayClient.js',
  'apiGateway-js-sdk/lib/apiGatewayCore/sigV4Client.js',
  'apiGateway-js-sdk/lib/apiGatewayCore/simpleHttpClient.js',
  'apiGateway-js-sdk/lib/apiGatewayCore/utils.js',
  'apiGateway-js-sdk/lib/axios/dist/axios.standalone.js',
  'apiGateway-js-sdk/lib/url-template/url-template.js',
];

/** A CommonJS script that makes the calls described by CALLS and prints each outcome. */
const CALLER = `
const apigClientFactory = require('./apiGateway-js-sdk/node.cjs');
const calls = JSON.parse(process.env.CALLS);
(async () => {
  const out = [];
  for (const c of calls) {
    const client = apigClientFactory.newClient(c.config);
    try {
      const r = await client[c.fn](c.params, c.binary ? new Uint8Array(c.binary) : c.body, c.additional);
      out.push({ status: r.status, data: r.data, contentType: r.headers['content-type'] });
    } catch (e) {
      out.push(e.response ? { status: e.response.status, data: e.response.data, failed: true } : { error: e.message });
    }
  }
  console.log(JSON.stringify(out));
})();
`;

describe('GetSdk javascript', () => {
  let f: SdkFixture;
  let dir: string;
  let entries: string[];
  let response: { contentType?: string; contentDisposition?: string };

  before(async () => {
    f = await startSdkFixture();
    const r = await f.gh.apigateway.send(new GetSdkCommand({ restApiId: f.apiId, stageName: 'test', sdkType: 'javascript' }));
    response = { contentType: r.contentType, contentDisposition: r.contentDisposition };
    ({ dir, entries } = unzipTo(r.body!));
  });
  after(() => f.stop());

  const call = (calls: unknown[]) => runNode(dir, `call-${Math.random().toString(36).slice(2)}.cjs`, CALLER, { CALLS: JSON.stringify(calls) });

  test('answers a zip laid out as API Gateway lays out its JavaScript SDK', () => {
    assert.equal(response.contentType, 'application/octet-stream');
    assert.match(response.contentDisposition!, /^attachment; filename="javascript_\d{4}-\d{2}-\d{2}_\d{2}-\d{2}Z\.zip"$/);
    assert.deepEqual(entries, ['apiGateway-js-sdk/README.md', 'apiGateway-js-sdk/apigClient.js', ...LIBRARY, 'apiGateway-js-sdk/node.cjs'].sort());
    const client = readFileSync(join(dir, 'apiGateway-js-sdk/apigClient.js'), 'utf8');
    // One function per method (ANY methods excepted, as API Gateway does), named {path}{Verb}.
    const functions = [...client.matchAll(/apigClient\.(\w+) = function \(params, body, additionalParams\)/g)].map((m) => m[1]);
    assert.deepEqual(functions, ['rootGet', 'filesProxyGet', 'keyedGet', 'petsGet', 'petsPost', 'petsPetIdGet', 'secureGet', 'securePost', 'secureItemGet']);
    assert.ok(client.includes(`/restapis/${f.apiId}/test/_user_request_`));
    const readme = readFileSync(join(dir, 'apiGateway-js-sdk/README.md'), 'utf8');
    assert.ok(readme.includes('<script type="text/javascript" src="lib/axios/dist/axios.standalone.js"></script>'));
    assert.ok(readme.includes('| `petsPetIdGet` | GET /pets/{petId} | petId, fields | NONE |'));
  });

  test('calls plain methods with path, query and header parameters and JSON bodies', async () => {
    const results = await call([
      { fn: 'rootGet', config: {} },
      { fn: 'petsGet', config: {}, params: { type: 'dog', 'X-Trace': 'trace-1' } },
      { fn: 'petsPetIdGet', config: {}, params: { petId: 42, fields: 'name' } },
      { fn: 'petsPost', config: {}, body: { name: 'Rex', tag: 'dog' } },
      { fn: 'petsGet', config: {}, params: { type: 'a b&c' }, additional: { headers: { 'X-Trace': 'from-additional' } } },
      { fn: 'filesProxyGet', config: {}, params: { proxy: 'a/b c.txt' } },
      { fn: 'petsPetIdGet', config: {}, params: { petId: 42 } },
    ]);
    assert.deepEqual(results[0], { status: 200, data: { hello: 'root' }, contentType: 'application/json' });
    assert.deepEqual(results[1], { status: 200, data: { type: 'dog', trace: 'trace-1' }, contentType: 'application/json' });
    assert.deepEqual(results[2], { status: 200, data: { id: 42, name: 'pet 42', fields: 'name' }, contentType: 'application/json' });
    assert.equal(results[3].status, 200);
    assert.equal(results[3].data.method, 'POST');
    assert.equal(results[3].data.url, '/pets');
    assert.deepEqual(JSON.parse(results[3].data.body), { name: 'Rex', tag: 'dog' });
    assert.equal(results[3].data.headers['content-type'], 'application/json');
    assert.deepEqual(results[4].data, { type: 'a b&c', trace: 'from-additional' });
    assert.equal(results[5].status, 200);
    assert.equal(results[5].data.url, '/files/a/b%20c.txt');
    // A required parameter left out is refused by the client before any request.
    assert.deepEqual(results[6], { error: 'fields must be defined' });
  });

  test('sends the API key as x-api-key; a wrong or missing key gets 403 Forbidden', async () => {
    const [ok, wrong, none] = await call([
      { fn: 'keyedGet', config: { apiKey: f.apiKey } },
      { fn: 'keyedGet', config: { apiKey: 'not-a-key-of-this-plan-000000000000' } },
      { fn: 'keyedGet', config: {} },
    ]);
    assert.equal(ok.status, 200);
    assert.match(ok.data.apiKeyId, /^[a-z0-9]{10}$/);
    assert.deepEqual(wrong, { status: 403, data: { message: 'Forbidden' }, failed: true });
    assert.deepEqual(none, { status: 403, data: { message: 'Forbidden' }, failed: true });
  });

  test('signs AWS_IAM methods with SigV4: the right secret is admitted, a wrong one or none is refused', async () => {
    const creds = { accessKey: f.alice.accessKeyId, secretKey: f.alice.secretAccessKey, region: 'us-east-1' };
    const [get, post, postQuery, wrongSecret, unknownKey, unsigned, binary, encoded] = await call([
      { fn: 'secureGet', config: creds },
      { fn: 'securePost', config: creds, body: { hello: 'wörld', n: [1, 2] } },
      { fn: 'securePost', config: creds, body: 'plain text', additional: { queryParams: { 'a b': 'c/d', z: '1' }, headers: { 'Content-Type': 'text/plain' } } },
      { fn: 'secureGet', config: { ...creds, secretKey: 'wrong-secret' } },
      { fn: 'secureGet', config: { ...creds, accessKey: 'AKIAUNKNOWNKEY000000' } },
      { fn: 'secureGet', config: {} },
      { fn: 'securePost', config: creds, binary: [0, 1, 2, 0x80, 0xff], additional: { headers: { 'Content-Type': 'application/octet-stream' } } },
      { fn: 'secureItemGet', config: creds, params: { item: "a b/c%d'é" }, additional: { queryParams: { q: 'x y+z' }, headers: { 'X-Unset': undefined } } },
    ]);
    assert.deepEqual(get, { status: 200, data: { user: get.data.user, arn: 'arn:aws:iam::123456789012:user/alice' }, contentType: 'application/json' });
    assert.equal(post.status, 200);
    assert.deepEqual(JSON.parse(post.data.body), { hello: 'wörld', n: [1, 2] });
    assert.equal(postQuery.status, 200);
    assert.equal(postQuery.data.body, 'plain text');
    assert.equal(postQuery.data.url, '/secure?a%20b=c%2Fd&z=1');
    assert.equal(wrongSecret.status, 403);
    assert.match(wrongSecret.data.message, /^The request signature we calculated does not match the signature you provided\./);
    assert.deepEqual(unknownKey, { status: 403, data: { message: 'The security token included in the request is invalid.' }, failed: true });
    assert.deepEqual(unsigned, { status: 403, data: { message: 'Missing Authentication Token' }, failed: true });
    // Binary bodies are signed byte for byte.
    assert.equal(binary.status, 200);
    assert.equal(binary.data.headers['content-type'], 'application/octet-stream');
    assert.equal(binary.data.headers['content-length'], '5');
    // Characters a path segment or query must encode are signed as AWS canonicalises them (the path parameter keeps
    // the client's percent-encoding, as API Gateway passes it on).
    assert.deepEqual(encoded, { status: 200, data: { item: 'a%20b%2Fc%25d%27%C3%A9', q: 'x y+z' }, contentType: 'application/json' });
  });

  test('signs with an STS session token (x-amz-security-token); the session keys without it are refused', async () => {
    const s = f.session;
    const [withToken, withoutToken] = await call([
      { fn: 'secureGet', config: { accessKey: s.accessKeyId, secretKey: s.secretAccessKey, sessionToken: s.sessionToken } },
      { fn: 'secureGet', config: { accessKey: s.accessKeyId, secretKey: s.secretAccessKey } },
    ]);
    assert.equal(withToken.status, 200);
    assert.equal(withToken.data.arn, s.arn);
    assert.equal(withoutToken.status, 403);
    assert.equal(withoutToken.failed, true);
  });

  test('the AWS CLI writes the same SDK to its outfile', async () => {
    const out = join(tempDataDir(), 'sdk.zip');
    const r = await runAws({ endpoint: f.gh.endpoint }, 'apigateway', 'get-sdk', '--rest-api-id', f.apiId, '--stage-name', 'test', '--sdk-type', 'javascript', out);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json.contentType, 'application/octet-stream');
    assert.match(r.json.contentDisposition, /^attachment; filename="javascript_.*Z\.zip"$/);
    const cli = unzipTo(readFileSync(out));
    assert.deepEqual(cli.entries, entries);
    const [root] = await runNode(cli.dir, 'cli.cjs', CALLER, { CALLS: JSON.stringify([{ fn: 'rootGet', config: {} }]) });
    assert.deepEqual(root, { status: 200, data: { hello: 'root' }, contentType: 'application/json' });
  });

  test("GetSdk's errors: unknown API, stage and type; AWS types Gatehouse does not generate; parameters", async () => {
    const get = (restApiId: string, stageName: string, sdkType: string, parameters?: Record<string, string>) =>
      awsError(() => f.gh.apigateway.send(new GetSdkCommand({ restApiId, stageName, sdkType, parameters })));
    assert.deepEqual(await get('nope', 'test', 'javascript'), { name: 'NotFoundException', message: 'Invalid API identifier specified 123456789012:nope', status: 404 });
    assert.deepEqual(await get(f.apiId, 'nope', 'javascript'), { name: 'NotFoundException', message: 'Invalid stage identifier specified', status: 404 });
    assert.deepEqual(await get(f.apiId, 'test', 'cobol'), { name: 'NotFoundException', message: 'Invalid SDK type specified: cobol', status: 404 });
    assert.deepEqual(await get(f.apiId, 'test', 'java'), { name: 'BadRequestException', message: 'Missing required SDK parameters for java: serviceName, javaPackageName', status: 400 });
    for (const [type, parameters] of [
      ['java', { serviceName: 'Pets', javaPackageName: 'com.example' }],
      ['android', { groupId: 'g', invokerPackage: 'p', artifactId: 'a', artifactVersion: '1' }],
      ['objectivec', { classPrefix: 'PS' }],
      ['swift', { classPrefix: 'PS' }],
      ['ruby', { 'service.name': 'Pets' }],
    ] as const) {
      assert.deepEqual(await get(f.apiId, 'test', type, parameters), {
        name: 'BadRequestException',
        message: `SDK type ${type} is not generated by Gatehouse; supported SDK types: javascript, typescript`,
        status: 400,
      });
    }
    assert.deepEqual(await get(f.apiId, 'test', 'javascript', { classPrefix: 'X' }), { name: 'BadRequestException', message: 'Unsupported SDK parameter for javascript: classPrefix', status: 400 });
  });

  test("the SDK's own SHA-256 and HMAC-SHA256 agree with node:crypto at every block boundary", () => {
    const g: any = { TextEncoder, TextDecoder, btoa, atob, Uint8Array, DataView, Uint32Array };
    runInNewContext(readFileSync(join(dir, 'apiGateway-js-sdk/lib/CryptoJS/rollups/sha256.js'), 'utf8'), g);
    for (let n = 0; n < 300; n++) {
      const msg = 'é'.repeat(n % 7) + 'x'.repeat(n);
      assert.equal(g.CryptoJS.SHA256(msg).toString(), createHash('sha256').update(msg).digest('hex'), `length ${n}`);
      const key = 'k'.repeat(n);
      assert.equal(g.CryptoJS.HmacSHA256(msg, key).toString(g.CryptoJS.enc.Hex), createHmac('sha256', key).update(msg).digest('hex'), `key length ${n}`);
    }
    assert.equal(g.CryptoJS.SHA256('abc').toString(g.CryptoJS.enc.Base64), createHash('sha256').update('abc').digest('base64'));
  });
});

describe('GetSdk over HTTPS (--tls-port)', () => {
  test('the generated client calls the stage over HTTPS at the address GetSdk was reached at', async () => {
    const gh = await startGatehouse({ config: { tlsPort: 0 } });
    try {
      const api = await ApiBuilder.create(gh, { name: 'Tls' });
      await api.method('/', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, { responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"over":"tls"}' } }] });
      await api.deploy('test');
      const ca = readFileSync(gh.gatehouse.tls!.caFile, 'utf8');
      const port = gh.gatehouse.tls!.port;
      const dispatcher = new Agent({ connect: { ca } });
      const r = await request(`https://localhost:${port}/restapis/${api.apiId}/stages/test/sdks/javascript`, { headers: sigv4Headers(), dispatcher });
      assert.equal(r.statusCode, 200);
      assert.equal(r.headers['content-type'], 'application/octet-stream');
      const { dir } = unzipTo(new Uint8Array(await r.body.arrayBuffer()));
      await dispatcher.close();
      assert.ok(readFileSync(join(dir, 'apiGateway-js-sdk/apigClient.js'), 'utf8').includes(`"https://localhost:${port}/restapis/${api.apiId}/test/_user_request_"`));
      const [root] = await runNode(dir, 'tls.cjs', CALLER, { CALLS: JSON.stringify([{ fn: 'rootGet', config: {} }]), NODE_EXTRA_CA_CERTS: gh.gatehouse.tls!.caFile });
      assert.deepEqual(root, { status: 200, data: { over: 'tls' }, contentType: 'application/json' });
    } finally {
      await gh.stop();
    }
  });
});

// GetSdk sdkType=typescript (Gatehouse's extension): a typed client generated from the stage's models, fetched
// through the AWS SDK and the AWS CLI, type-checked with the project's tsc (strict, erasable syntax only), then run
// by Node's type stripping against the deployed API: plain, API-keyed and SigV4-signed (WebCrypto) methods, typed
// parameters and bodies, ApiError for refusals.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetSdkCommand } from '@aws-sdk/client-api-gateway';
import { runAws } from '../helpers/aws-cli.ts';
import { tempDataDir } from '../helpers/gatehouse.ts';
import { runNode, startSdkFixture, typeCheck, unzipTo, type SdkFixture } from './fixture.ts';

const USE = `
declare const process: { env: Record<string, string | undefined> };
import { newClient, ApiError, type Pet, type Owner, type PetsPetIdGetParams } from './apiGateway-ts-sdk/client.ts';

const env = JSON.parse(process.env.FIXTURE!) as { apiKey: string; accessKey: string; secretKey: string; sessionKey: string; sessionSecret: string; sessionToken: string };
const out: Record<string, unknown> = {};
const plain = newClient();
const root = await plain.rootGet();
out.root = { status: root.status, data: root.data };
const pets = await plain.petsGet({ type: 'cat', 'X-Trace': 't-9' });
out.pets = pets.data;
const params: PetsPetIdGetParams = { petId: 7, fields: 'tag' };
const pet = await plain.petsPetIdGet(params);
const typed: Pet = pet.data;
out.pet = { status: pet.status, name: typed.name, id: typed.id, contentType: pet.headers['content-type'] };
const owner: Owner = { 'full-name': 'Ann', pets: ['Rex'] };
const created = await plain.petsPost({}, { name: 'Rex', tag: 'dog', owner });
out.created = created.data;
out.keyed = (await newClient({ apiKey: env.apiKey }).keyedGet()).data;
try {
  await plain.keyedGet();
} catch (e) {
  out.unkeyed = e instanceof ApiError ? { status: e.response.status, data: e.response.data } : String(e);
}
const signed = newClient({ accessKey: env.accessKey, secretKey: env.secretKey });
out.session = (await newClient({ accessKey: env.sessionKey, secretKey: env.sessionSecret, sessionToken: env.sessionToken }).secureGet()).data;
out.secure = (await signed.secureGet()).data;
const posted = await signed.securePost({}, { n: 1 }, { queryParams: { q: ['b', 'a'] } });
out.securePost = posted.data;
out.encoded = (await signed.secureItemGet({ item: "a b/c%d'é" }, undefined, { queryParams: { q: 'x y+z' } })).data;
const binary = await signed.securePost({}, new Uint8Array([0, 1, 2, 0x80, 0xff]), { headers: { 'Content-Type': 'application/octet-stream' } });
out.binary = { status: binary.status, length: (binary.data as { headers: Record<string, string> }).headers['content-length'] };
try {
  await newClient({ accessKey: env.accessKey, secretKey: 'wrong' }).secureGet();
} catch (e) {
  out.wrongSecret = e instanceof ApiError ? e.response.status : String(e);
}
try {
  await plain.secureGet();
} catch (e) {
  out.unsigned = e instanceof ApiError ? { status: e.response.status, data: e.response.data } : String(e);
}
console.log(JSON.stringify(out));
`;

describe('GetSdk typescript', () => {
  let f: SdkFixture;
  let dir: string;
  let entries: string[];
  let contentDisposition: string | undefined;

  before(async () => {
    f = await startSdkFixture();
    const r = await f.gh.apigateway.send(new GetSdkCommand({ restApiId: f.apiId, stageName: 'test', sdkType: 'typescript' }));
    assert.equal(r.contentType, 'application/octet-stream');
    contentDisposition = r.contentDisposition;
    ({ dir, entries } = unzipTo(r.body!));
  });
  after(() => f.stop());

  test('answers a zip with client.ts, runtime.ts and a README', () => {
    assert.match(contentDisposition!, /^attachment; filename="typescript_\d{4}-\d{2}-\d{2}_\d{2}-\d{2}Z\.zip"$/);
    assert.deepEqual(entries, ['apiGateway-ts-sdk/README.md', 'apiGateway-ts-sdk/client.ts', 'apiGateway-ts-sdk/runtime.ts']);
  });

  test('declares one interface per model and typed functions per method', () => {
    const client = readFileSync(join(dir, 'apiGateway-ts-sdk/client.ts'), 'utf8');
    assert.ok(client.includes(`/** A pet of the store */
export interface Pet {
  id?: number;
  /** What the pet answers to */
  name: string;
  tag?: "dog" | "cat";
  owner?: Owner;
}`), client);
    assert.ok(client.includes(`export interface Owner {
  "full-name"?: string;
  pets?: Array<string>;
}`));
    assert.ok(client.includes('petsPetIdGet(params: PetsPetIdGetParams, body?: undefined, options?: RequestOptions): Promise<ApiResponse<Pet>>;'));
    assert.ok(client.includes('petsPost(params?: PetsPostParams, body?: Pet, options?: RequestOptions): Promise<ApiResponse<unknown>>;'));
    assert.ok(!client.includes('anything'), 'ANY methods get no function');
  });

  test('type-checks with tsc --strict, and a call with a wrongly typed body does not', async () => {
    writeFileSync(join(dir, 'use.ts'), USE);
    assert.equal(await typeCheck(dir, ['use.ts'], 'browser'), '');
    assert.equal(await typeCheck(dir, ['apiGateway-ts-sdk/client.ts'], 'node'), '');
    writeFileSync(join(dir, 'bad.ts'), `import { newClient } from './apiGateway-ts-sdk/client.ts';\nawait newClient().petsPost({}, { name: 3 });\nawait newClient().petsPetIdGet({ fields: 'x' });\n`);
    const errors = await typeCheck(dir, ['bad.ts'], 'browser');
    assert.equal(errors, [
      "bad.ts(2,34): error TS2322: Type 'number' is not assignable to type 'string'.",
      "bad.ts(3,32): error TS2741: Property 'petId' is missing in type '{ fields: string; }' but required in type 'PetsPetIdGetParams'.",
    ].join('\n'));
  });

  test('calls the deployed API from Node by type stripping: parameters, bodies, API key, SigV4 through WebCrypto', async () => {
    const out = await runNode(dir, 'use.ts', USE, { FIXTURE: JSON.stringify({ apiKey: f.apiKey, accessKey: f.alice.accessKeyId, secretKey: f.alice.secretAccessKey, sessionKey: f.session.accessKeyId, sessionSecret: f.session.secretAccessKey, sessionToken: f.session.sessionToken }) });
    assert.deepEqual(out.root, { status: 200, data: { hello: 'root' } });
    assert.deepEqual(out.pets, { type: 'cat', trace: 't-9' });
    assert.deepEqual(out.pet, { status: 200, name: 'pet 7', id: 7, contentType: 'application/json' });
    assert.equal(out.created.method, 'POST');
    assert.deepEqual(JSON.parse(out.created.body), { name: 'Rex', tag: 'dog', owner: { 'full-name': 'Ann', pets: ['Rex'] } });
    assert.match(out.keyed.apiKeyId, /^[a-z0-9]{10}$/);
    assert.deepEqual(out.unkeyed, { status: 403, data: { message: 'Forbidden' } });
    assert.equal(out.secure.arn, 'arn:aws:iam::123456789012:user/alice');
    assert.equal(out.session.arn, f.session.arn);
    assert.equal(out.securePost.url, '/secure?q=b&q=a');
    assert.deepEqual(JSON.parse(out.securePost.body), { n: 1 });
    assert.deepEqual(out.binary, { status: 200, length: '5' });
    assert.deepEqual(out.encoded, { item: 'a%20b%2Fc%25d%27%C3%A9', q: 'x y+z' });
    assert.equal(out.wrongSecret, 403);
    assert.deepEqual(out.unsigned, { status: 403, data: { message: 'Missing Authentication Token' } });
  });

  test('the AWS CLI writes the same client', async () => {
    const out = join(tempDataDir(), 'ts.zip');
    const r = await runAws({ endpoint: f.gh.endpoint }, 'apigateway', 'get-sdk', '--rest-api-id', f.apiId, '--stage-name', 'test', '--sdk-type', 'typescript', out);
    assert.equal(r.code, 0, r.stderr);
    const cli = unzipTo(readFileSync(out));
    assert.deepEqual(cli.entries, entries);
    assert.equal(readFileSync(join(cli.dir, 'apiGateway-ts-sdk/client.ts'), 'utf8'), readFileSync(join(dir, 'apiGateway-ts-sdk/client.ts'), 'utf8'));
  });
});

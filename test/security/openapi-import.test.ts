// Hostile definitions given to ImportRestApi / PutRestApi: each is refused with AWS's 400 (never a 5xx, never a
// crash), nothing is fetched from the network, and a refused import leaves the store as it was.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import * as ag from '@aws-sdk/client-api-gateway';
import { type Running, startGatehouse } from '../helpers/gatehouse.ts';
import { rejectsWith } from '../control/rest-api-helpers.ts';

let gh: Running;
let c: ag.APIGatewayClient;
before(async () => {
  gh = await startGatehouse();
  c = gh.apigateway;
});
after(() => gh.stop());

const importText = (text: string | Buffer) => c.send(new ag.ImportRestApiCommand({ body: typeof text === 'string' ? Buffer.from(text) : text }));
const apiCount = async () => (await c.send(new ag.GetRestApisCommand({ limit: 500 }))).items!.length;

test('a definition over 6 MB is refused before it is parsed', async () => {
  const big = Buffer.alloc(6 * 1024 * 1024 + 1, ' ');
  big.write('{"swagger":"2.0","info":{"title":"big","version":"1"},"paths":{}}');
  await rejectsWith(importText(big), 'BadRequestException', 'API definition file size exceeds the maximum allowed size of 6291456 bytes', 400);
});

test('deeply nested documents are invalid input, JSON or YAML, without exhausting the stack', async () => {
  const depth = 5000;
  const json = `{"swagger":"2.0","info":{"title":"deep","version":"1"},"paths":{},"x-deep":${'['.repeat(depth)}${']'.repeat(depth)}}`;
  await rejectsWith(importText(json), 'BadRequestException', 'Invalid OpenAPI input.', 400);
  const yaml = `swagger: "2.0"\ninfo: {title: deep, version: "1"}\npaths: {}\nx-deep: ${'['.repeat(200)}${']'.repeat(200)}\n`;
  await rejectsWith(importText(yaml), 'BadRequestException', 'Invalid OpenAPI input.', 400);
});

test('YAML alias expansion ("billion laughs") is bounded', async () => {
  const lines = ['swagger: "2.0"', 'info: {title: laughs, version: "1"}', 'paths: {}', 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(',')}]`);
  await rejectsWith(importText(lines.join('\n')), 'BadRequestException', 'Invalid OpenAPI input.', 400);
});

test('remote $refs are never fetched: the definition is refused', async () => {
  let hits = 0;
  const server = createServer((_req, res) => {
    hits++;
    res.end('{"type":"object"}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/schema.json`;
  try {
    const before = await apiCount();
    for (const ref of [url, 'other-file.yaml#/Pet', 'file:///etc/passwd']) {
      const doc = {
        swagger: '2.0',
        info: { title: 'remote', version: '1' },
        paths: { '/p': { get: { responses: { '200': { description: 'ok', schema: { $ref: ref } } } } } },
      };
      await rejectsWith(importText(JSON.stringify(doc)), 'BadRequestException', 'Invalid OpenAPI input.', 400);
    }
    assert.equal(hits, 0);
    assert.equal(await apiCount(), before);
  } finally {
    server.close();
  }
});

test('prototype keys, odd types and self-referencing $refs are handled as data', async () => {
  const docs: unknown[] = [
    { swagger: '2.0', info: { title: 'proto', version: '1' }, paths: { __proto__: { get: {} }, '/constructor': { constructor: {} } } },
    { swagger: '2.0', info: { title: 'types', version: '1' }, paths: { '/a': 'nope', '/b': { get: 'x' }, '/c': { get: { parameters: 'x', responses: 7 } } } },
    { swagger: '2.0', info: { title: 'loop', version: '1' }, parameters: { p: { $ref: '#/parameters/p' } }, paths: { '/a': { get: { parameters: [{ $ref: '#/parameters/p' }], responses: {} } } } },
    { swagger: '2.0', info: { title: 'self', version: '1' }, definitions: { Node: { type: 'object', properties: { next: { $ref: '#/definitions/Node' } } } }, paths: {} },
  ];
  for (const doc of docs) {
    const out = await importText(JSON.stringify(doc));
    assert.equal(out.$metadata.httpStatusCode, 201);
  }
  assert.equal(({} as Record<string, unknown>).get, undefined);
});

test('invalid resource path parts are import errors, not crashes', async () => {
  const before = await apiCount();
  const doc = { swagger: '2.0', info: { title: 'paths', version: '1' }, paths: { '/a b/{x}': { get: { responses: {} } }, '/{a}': { get: { responses: {} } }, '/{b}': { get: { responses: {} } } } };
  await rejectsWith(
    importText(JSON.stringify(doc)),
    'BadRequestException',
    "Errors found during import:\n\tUnable to create resource at path '/a b': Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.\n\tUnable to create resource at path '/{b}': A sibling ({a}) of this resource already has a variable path part -- only one is allowed",
    400,
  );
  assert.equal(await apiCount(), before);
});

test('a policy that is no JSON object and a bad compression size are refused with CreateRestApi texts', async () => {
  const base = { swagger: '2.0', info: { title: 'settings', version: '1' }, paths: {} };
  await rejectsWith(
    importText(JSON.stringify({ ...base, 'x-amazon-apigateway-policy': '[not json' })),
    'BadRequestException',
    'Invalid policy document. Please check the policy syntax and ensure that Principals are valid.',
    400,
  );
  await rejectsWith(
    importText(JSON.stringify({ ...base, 'x-amazon-apigateway-minimum-compression-size': -5 })),
    'BadRequestException',
    'Invalid minimum compression size, must be between 0 and 10485760',
    400,
  );
});

test('YAML nested to the 6 MB limit is refused before the parser recurses into it (it once held the event loop 30 s, then ran out of memory)', async () => {
  const head = 'swagger: "2.0"\ninfo: {title: deep, version: "1"}\npaths: {}\n';
  const room = 6 * 1024 * 1024 - head.length - 64;
  const flows = `${head}x-deep: ${'['.repeat(room / 2)}${']'.repeat(room / 2)}\n`;
  const sequences = `${head}x-deep:\n${'- '.repeat(room / 2)}x\n`;
  const indents = `${head}x-deep:\n${Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i + 1)}k:`).join('\n')} 1\n`;
  for (const text of [flows, sequences, indents]) {
    await rejectsWith(importText(text), 'BadRequestException', 'Invalid OpenAPI input.', 400);
  }
  const api = await c.send(new ag.CreateRestApiCommand({ name: 'docs' }));
  await assert.rejects(
    c.send(new ag.ImportDocumentationPartsCommand({ restApiId: api.id, body: Buffer.from(flows.slice(0, 1024 * 1024)) })),
    (e: ag.BadRequestException) => e.name === 'BadRequestException' && e.$metadata.httpStatusCode === 400,
  );
  assert.equal((await c.send(new ag.GetRestApisCommand({}))).items!.some((a) => a.name === 'deep'), false);
});

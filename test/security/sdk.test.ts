// Generated SDKs carry text the API's owner wrote (API name, model descriptions, property names, enum values,
// parameter names) into source code. None of it may escape its string or comment and run when the SDK is loaded,
// and a hostile model (deeply nested) must not break generation: the SDK still loads and type-checks.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetSdkCommand } from '@aws-sdk/client-api-gateway';
import { AG, ApiBuilder, startGatehouse } from '../execute/helpers.ts';
import type { Running } from '../helpers/gatehouse.ts';
import { runNode, typeCheck, unzipTo } from '../sdk/fixture.ts';

const EVIL = '*/ globalThis.pwned = 1; /*\n globalThis.pwned = 2;\u2028 // `${globalThis.pwned = 3}` "\' </script>';

let gh: Running;
let apiId: string;

before(async () => {
  gh = await startGatehouse();
  const api = await ApiBuilder.create(gh, { name: EVIL, description: EVIL });
  apiId = api.apiId;
  let deep: Record<string, unknown> = { type: 'string' };
  for (let i = 0; i < 200; i++) deep = { type: 'object', properties: { [`${EVIL}${i}`]: deep }, description: EVIL };
  const schema = {
    type: 'object',
    description: EVIL,
    required: [EVIL],
    properties: {
      [EVIL]: { type: 'string', description: EVIL, enum: [EVIL, 'ok'] },
      deep,
    },
    additionalProperties: { type: 'number' },
  };
  await gh.apigateway.send(new AG.CreateModelCommand({ restApiId: apiId, name: 'Evil', description: EVIL, contentType: 'application/json', schema: JSON.stringify(schema) }));
  // Model names that would collide with the client's own declarations, a global (the API's default model Error), or
  // each other's new names.
  for (const name of ['ErrorModel', 'ItemsPostParams', 'Promise']) {
    await gh.apigateway.send(new AG.CreateModelCommand({ restApiId: apiId, name, contentType: 'application/json', schema: JSON.stringify({ type: 'object', properties: { [name]: { type: 'string' } } }) }));
  }
  await api.method('/items', 'POST', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, {
    method: {
      requestModels: { 'application/json': 'Evil' },
      requestParameters: { 'method.request.header.X-a$b': true, 'method.request.querystring.q-$x.y': false },
    },
    responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"ok":true}' } }],
  });
  await api.deploy('test');
});
after(() => gh.stop());

test('hostile names and descriptions stay inside the JavaScript SDK strings and comments', async () => {
  const r = await gh.apigateway.send(new GetSdkCommand({ restApiId: apiId, stageName: 'test', sdkType: 'javascript' }));
  const { dir } = unzipTo(r.body!);
  const out = await runNode(dir, 'load.cjs', `
    const f = require('./apiGateway-js-sdk/node.cjs');
    console.log(JSON.stringify({ pwned: globalThis.pwned ?? null, functions: Object.keys(f.newClient()) }));
  `);
  assert.deepEqual(out, { pwned: null, functions: ['itemsPost'] });
});

test('hostile models stay inside the TypeScript client: it loads, sets nothing, and type-checks', async () => {
  const r = await gh.apigateway.send(new GetSdkCommand({ restApiId: apiId, stageName: 'test', sdkType: 'typescript' }));
  const { dir } = unzipTo(r.body!);
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  const out = await runNode(dir, 'load.ts', `
    import { newClient } from './apiGateway-ts-sdk/client.ts';
    console.log(JSON.stringify({ pwned: (globalThis as { pwned?: unknown }).pwned ?? null, functions: Object.keys(newClient()) }));
  `);
  assert.deepEqual(out, { pwned: null, functions: ['itemsPost'] });
  const client = readFileSync(join(dir, 'apiGateway-ts-sdk/client.ts'), 'utf8');
  assert.ok(client.includes('export interface Evil {'));
  for (const declared of ['ErrorModel', 'ErrorModel_', 'ItemsPostParamsModel', 'PromiseModel', 'ItemsPostParams']) {
    assert.ok(client.includes(`export interface ${declared} {`), declared);
  }
  const errors = await typeCheck(dir, ['apiGateway-ts-sdk/client.ts'], 'browser');
  assert.equal(errors, '');
});

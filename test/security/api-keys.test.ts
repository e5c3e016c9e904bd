// Hostile x-api-key headers on a method that requires a key: huge values, thousands of repeated headers, a valid key
// repeated beside another value, prototype-chain names, bytes outside ASCII, keys of another region. Each gets
// AWS's INVALID_API_KEY answer (403 {"message":"Forbidden"}) or the front end's own refusal, never a 5xx, and the
// server keeps serving the real key afterwards.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { AG, ApiBuilder, startGatehouse } from '../execute/helpers.ts';
import { TEST_CREDENTIALS, type Running } from '../helpers/gatehouse.ts';

/** Sends raw header lines (repeats, odd bytes) and returns the status code and body. */
function raw(port: number, host: string, path: string, headerLines: string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
    socket.write(Buffer.from(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n${headerLines.map((l) => `${l}\r\n`).join('')}\r\n`, 'latin1'));
  });
}

describe('hostile API key headers', () => {
  let gh: Running;
  let api: ApiBuilder;
  let host: string;
  let value: string;
  const FORBIDDEN = '{"message":"Forbidden"}';

  before(async () => {
    gh = await startGatehouse();
    api = await ApiBuilder.create(gh);
    await api.method('/keyed', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, {
      method: { apiKeyRequired: true },
      responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"id":"$context.identity.apiKeyId"}' } }],
    });
    await api.deploy('test');
    host = `${api.apiId}.execute-api.us-east-1.amazonaws.com`;
    const key = await gh.apigateway.send(new AG.CreateApiKeyCommand({ name: 'k', enabled: true }));
    value = key.value!;
    const plan = await gh.apigateway.send(new AG.CreateUsagePlanCommand({ name: 'p', apiStages: [{ apiId: api.apiId, stage: 'test' }] }));
    await gh.apigateway.send(new AG.CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id!, keyType: 'API_KEY' }));
  });

  after(() => gh.stop());

  async function stillServes(): Promise<void> {
    const r = await raw(gh.port, host, '/test/keyed', [`x-api-key: ${value}`]);
    assert.equal(r.status, 200, r.body);
  }

  test('a huge value (12 KB) is not a key: 403', async () => {
    const r = await raw(gh.port, host, '/test/keyed', [`x-api-key: ${'k'.repeat(12 * 1024)}`]);
    assert.equal(r.status, 403);
    assert.equal(r.body, FORBIDDEN);
    await stillServes();
  });

  test('a header block past the front end\'s limit is refused by the front end, not a 5xx', async () => {
    const r = await raw(gh.port, host, '/test/keyed', [`x-api-key: ${'k'.repeat(64 * 1024)}`]);
    assert.ok(r.status >= 400 && r.status < 500, `status ${r.status}`);
    await stillServes();
  });

  test('hundreds of repeated x-api-key headers (within the front end\'s header limit): 403', async () => {
    const lines = Array.from({ length: 700 }, (_, i) => `x-api-key: g${i}`);
    const r = await raw(gh.port, host, '/test/keyed', lines);
    assert.equal(r.status, 403);
    assert.equal(r.body, FORBIDDEN);
    await stillServes();
  });

  test('the valid key repeated beside another value names no one key: 403, whichever comes first', async () => {
    for (const lines of [[`x-api-key: ${value}`, 'x-api-key: other'], ['x-api-key: other', `X-Api-Key: ${value}`]]) {
      const r = await raw(gh.port, host, '/test/keyed', lines);
      assert.equal(r.status, 403);
      assert.equal(r.body, FORBIDDEN);
    }
    const same = await raw(gh.port, host, '/test/keyed', [`x-api-key: ${value}`, `x-api-key: ${value}`]);
    assert.equal(same.status, 200);
  });

  test('prototype-chain names, whitespace and bytes outside ASCII are not keys', async () => {
    for (const v of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '\u00ff\u00fe'.repeat(20), `${value}\u00a0`, `${value}x`, value.slice(1)]) {
      const r = await raw(gh.port, host, '/test/keyed', [`x-api-key: ${v}`]);
      assert.equal(r.status, 403, `value ${JSON.stringify(v)}`);
      assert.equal(r.body, FORBIDDEN);
    }
    // Leading and trailing spaces are not part of an HTTP header value.
    assert.equal((await raw(gh.port, host, '/test/keyed', [`x-api-key:    ${value}   `])).status, 200);
    await stillServes();
  });

  test('a key of another region does not open this region\'s API', async () => {
    const west = new APIGatewayClient({ endpoint: gh.endpoint, region: 'eu-west-1', credentials: TEST_CREDENTIALS });
    const other = await west.send(new AG.CreateApiKeyCommand({ name: 'west', enabled: true }));
    const r = await raw(gh.port, host, '/test/keyed', [`x-api-key: ${other.value}`]);
    assert.equal(r.status, 403);
    west.destroy();
  });

  test('usage plan entities with hostile names do not confuse the directory', async () => {
    const k = await gh.apigateway.send(new AG.CreateApiKeyCommand({ name: '__proto__', enabled: true, value: '__proto__constructor__x' }));
    const plan = await gh.apigateway.send(new AG.CreateUsagePlanCommand({ name: '__proto__', apiStages: [{ apiId: api.apiId, stage: 'test' }] }));
    await gh.apigateway.send(new AG.CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: k.id!, keyType: 'API_KEY' }));
    const r = await raw(gh.port, host, '/test/keyed', ['x-api-key: __proto__constructor__x']);
    assert.equal(r.status, 200);
    assert.equal(r.body, `{"id":"${k.id}"}`);
    await stillServes();
  });
});

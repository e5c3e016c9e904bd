// CORS as the console's "Enable CORS" sets it up (an OPTIONS method with a MOCK integration and static response
// parameters), response compression (minimumCompressionSize, gzip / deflate by Accept-Encoding), decompression of
// request bodies for mapping, binary media types and content handling.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync, gzipSync, inflateSync } from 'node:zlib';
import { ApiBuilder, startEcho, startGatehouse, type EchoServer } from './helpers.ts';
import type { Running } from '../helpers/gatehouse.ts';

describe('CORS, compression and binary payloads', () => {
  let gh: Running;
  let echo: EchoServer;
  let api: ApiBuilder;
  let binary: ApiBuilder;
  const big = JSON.stringify({ items: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `item ${i}` })) });

  before(async () => {
    gh = await startGatehouse();
    echo = await startEcho();
    api = await ApiBuilder.create(gh, { minimumCompressionSize: 1000 });
    await api.method(
      '/things',
      'OPTIONS',
      { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } },
      {
        responses: [
          {
            statusCode: '200',
            responseParameters: {
              'method.response.header.Access-Control-Allow-Headers': "'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token'",
              'method.response.header.Access-Control-Allow-Methods': "'GET,OPTIONS'",
              'method.response.header.Access-Control-Allow-Origin': "'*'",
            },
            responseTemplates: { 'application/json': '' },
          },
        ],
      },
    );
    await api.method(
      '/things',
      'GET',
      { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } },
      {
        responses: [
          {
            statusCode: '200',
            responseParameters: { 'method.response.header.Access-Control-Allow-Origin': "'*'" },
            responseTemplates: { 'application/json': big },
          },
        ],
      },
    );
    await api.method('/small', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, { responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"small":true}' } }] });
    await api.method(
      '/unzip',
      'POST',
      { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } },
      { responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"seen":$input.json("$.name")}' } }] },
    );
    await api.method(
      '/echo-body',
      'POST',
      { type: 'HTTP', integrationHttpMethod: 'POST', uri: `${echo.url}/body`, requestTemplates: { 'application/json': '{"name":$input.json("$.name")}' } },
      { responses: [{ statusCode: '200' }] },
    );
    await api.deploy('test');

    binary = await ApiBuilder.create(gh, { binaryMediaTypes: ['image/*'] });
    await binary.method('/raw', 'POST', { type: 'HTTP', integrationHttpMethod: 'POST', uri: `${echo.url}/raw-in` }, { responses: [{ statusCode: '200' }] });
    await binary.method(
      '/as-text',
      'POST',
      { type: 'HTTP', integrationHttpMethod: 'POST', uri: `${echo.url}/text-in`, contentHandling: 'CONVERT_TO_TEXT' },
      { responses: [{ statusCode: '200' }] },
    );
    await binary.method(
      '/decode',
      'GET',
      { type: 'HTTP', integrationHttpMethod: 'GET', uri: `${echo.url}/raw/aGVsbG8gYmluYXJ5` },
      { responses: [{ statusCode: '200', contentHandling: 'CONVERT_TO_BINARY' }] },
    );
    await binary.method('/image', 'GET', { type: 'HTTP', integrationHttpMethod: 'GET', uri: `${echo.url}/big/4?respond-header=Content-Type:image/png` }, { responses: [{ statusCode: '200' }] });
    await binary.deploy('test');
  });

  after(async () => {
    await gh.stop();
    await echo.close();
  });

  test('a CORS preflight is answered by the MOCK OPTIONS method with its static headers', async () => {
    const r = await api.invoke('test', '/things', { method: 'OPTIONS', headers: { origin: 'https://example.com', 'access-control-request-method': 'GET' } });
    assert.equal(r.status, 200);
    assert.equal(r.body, '');
    assert.equal(r.headers['access-control-allow-origin'], '*');
    assert.equal(r.headers['access-control-allow-methods'], 'GET,OPTIONS');
    assert.equal(r.headers['access-control-allow-headers'], 'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token');
    assert.equal(r.headers['content-type'], 'application/json');
  });

  test('bodies at least minimumCompressionSize are gzipped for clients that accept it', async () => {
    const r = await api.invoke('test', '/things', { headers: { 'accept-encoding': 'gzip, deflate' } });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-encoding'], 'gzip');
    assert.equal(r.headers['access-control-allow-origin'], '*');
    assert.equal(gunzipSync(r.raw).toString(), big);
  });

  test('deflate when only deflate is accepted; none without Accept-Encoding or below the minimum', async () => {
    const d = await api.invoke('test', '/things', { headers: { 'accept-encoding': 'deflate' } });
    assert.equal(d.headers['content-encoding'], 'deflate');
    assert.equal(inflateSync(d.raw).toString(), big);
    const plain = await api.invoke('test', '/things');
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.body, big);
    const small = await api.invoke('test', '/small', { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(small.headers['content-encoding'], undefined);
    assert.equal(small.body, '{"small":true}');
  });

  test('a gzip request body is decompressed before mapping when compression is enabled', async () => {
    echo.requests.length = 0;
    const r = await api.invoke('test', '/echo-body', {
      method: 'POST',
      body: gzipSync('{"name":"zipped"}'),
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    assert.equal(r.status, 200);
    assert.equal(echo.requests[0]!.body, '{"name":"zipped"}');
  });

  test('binary media types pass through untouched; CONVERT_TO_TEXT sends base64', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0xfe]);
    echo.requests.length = 0;
    const raw = await binary.invoke('test', '/raw', { method: 'POST', body: bytes, headers: { 'content-type': 'image/png' } });
    assert.equal(raw.status, 200);
    assert.deepEqual(echo.requests[0]!.bodyBytes, bytes);
    assert.equal(echo.requests[0]!.headers['content-type'], 'image/png');
    const asText = await binary.invoke('test', '/as-text', { method: 'POST', body: bytes, headers: { 'content-type': 'image/png' } });
    assert.equal(asText.status, 200);
    assert.equal(echo.requests[1]!.body, bytes.toString('base64'));
  });

  test('a binary endpoint response goes out base64-encoded unless the client accepts the binary type', async () => {
    const expected = Buffer.from('abcd');
    const text = await binary.invoke('test', '/image');
    assert.equal(text.status, 200);
    assert.equal(text.body, expected.toString('base64'));
    const bytes = await binary.invoke('test', '/image', { headers: { accept: 'image/png' } });
    assert.deepEqual(bytes.raw, expected);
  });

  test('CONVERT_TO_BINARY decodes a base64 endpoint response', async () => {
    const r = await binary.invoke('test', '/decode');
    assert.equal(r.status, 200);
    assert.equal(r.raw.toString('utf8'), 'hello binary');
  });
});

// Fuzzing the control plane's front door: 10,000 generated malformed requests (paths from the apigateway and
// lambda models' templates with hostile labels, odd methods and queries, broken or mistyped JSON bodies, missing or
// malformed SigV4 shapes, foreign origins). None may be answered with a 5xx, every error must be AWS-shaped, and the
// server must still serve a valid call afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GetRestApisCommand } from '@aws-sdk/client-api-gateway';
import { loadServiceModel } from '../../src/aws/model.ts';
import { fuzz, pick, prng, wirePath, type FuzzRequest } from '../helpers/fuzz.ts';
import { sigv4Headers, startGatehouse } from '../helpers/gatehouse.ts';

const REQUESTS = 10_000;
const PARALLEL = 16;

const LABELS = ['abc', '', '..', '%2e%2e', '%2F', '%00', '%E0%A4%A', '%', '%zz', 'a'.repeat(3000), '😀', '%F0%9F%98%80', '{restapi_id}', '(none)', '%28none%29', '*', '~1', 'null', '-1', '9'.repeat(40), "'", '"', '<script>', 'a%20b', 'a+b'];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'FOO'];
const QUERIES = ['', 'limit=0', 'limit=-1', 'limit=abc', 'limit=501', 'limit=99999999999999999999', 'position=%%%', 'position=bm9wZQ', 'embed=methods&embed=x', 'mode=import', 'mode=import&format=xml', 'includeValue=maybe', 'a=1&a=2&a=3', '=', '&&&', 'x'.repeat(5000)];
const BODIES = [
  '',
  '{',
  '}',
  '[]',
  'null',
  '123',
  '"str"',
  '{"name":null}',
  '{"name":123}',
  '{"name":"x","tags":[1]}',
  '{"name":"x","minimumCompressionSize":"a"}',
  '{"name":"x","minimumCompressionSize":1e309}',
  '{"patchOperations":"x"}',
  '{"patchOperations":[{"op":"explode","path":"/x"}]}',
  '{"patchOperations":[{"op":"replace","path":"/name"}]}',
  '{"patchOperations":[{"op":"replace","path":"","value":"x"}]}',
  '{"patchOperations":[null,1,"a"]}',
  '{"__proto__":{"polluted":true},"name":"x"}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  `{"name":"${'x'.repeat(100_000)}"}`,
  '['.repeat(50_000),
  '{"a":'.repeat(10_000),
  '\u0000\u0001\u0002',
  '\ufeff{"name":"bom"}',
  '{"name":"x","endpointConfiguration":{"types":"EDGE"}}',
  '{"name":"x","endpointConfiguration":{"types":[null]}}',
  '{"type":"HTTP","uri":123}',
  '{"stageName":{},"deploymentId":[]}',
];
/** Authorization variants: mostly well-shaped (so requests reach the services), some missing or malformed. */
const AUTHS: Array<Record<string, string> | 'signed'> = [
  'signed',
  'signed',
  'signed',
  'signed',
  'signed',
  'signed',
  {},
  { authorization: 'Bearer abc' },
  { authorization: 'AWS4-HMAC-SHA256' },
  { authorization: 'AWS4-HMAC-SHA256 Credential=a/b, Signature=x, SignedHeaders=host', 'x-amz-date': '20260101T000000Z' },
  { authorization: 'AWS4-HMAC-SHA256 ,,,=,=' },
  { authorization: '\u00ff'.repeat(3) },
];
const CONTENT_TYPES = ['application/json', 'application/x-amz-json-1.1', 'text/plain', '', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16'];

test(`${REQUESTS} malformed control requests: no 5xx, AWS-shaped errors, server still alive`, async () => {
  const gh = await startGatehouse();
  const templates = ['apigateway-2015-07-09.json', 'lambda-2015-03-31.json'].flatMap((file) =>
    Object.values(loadServiceModel(file).operations).map((o) => ({ uri: o.http.requestUri.split('?')[0]!, service: file.split('-')[0]! })),
  );
  const rand = prng(20261121);
  const next = (): FuzzRequest => {
    const template = pick(rand, templates);
    const path = template.uri.replace(/\{[^}]+\}/g, () => pick(rand, LABELS));
    const q = pick(rand, QUERIES);
    const method = pick(rand, METHODS);
    const body = method === 'HEAD' ? '' : method === 'GET' ? (rand() < 0.1 ? pick(rand, BODIES) : '') : pick(rand, BODIES);
    const contentType = pick(rand, CONTENT_TYPES);
    const auth = pick(rand, AUTHS);
    const headers: Record<string, string> = auth === 'signed' ? sigv4Headers(template.service) : { ...auth };
    if (contentType) headers['content-type'] = contentType;
    if (rand() < 0.03) headers.origin = pick(rand, ['https://evil.example', 'null', `http://127.0.0.1:${gh.port}`]);
    const rawPath = (rand() < 0.05 ? '//' : '') + wirePath(path) + (rand() < 0.1 ? '/' : '') + (q ? `?${q}` : '');
    return { method, path: rawPath, headers, body };
  };
  try {
    const { failures, statuses } = await fuzz(gh.port, REQUESTS, PARALLEL, next);
    assert.deepEqual(failures.slice(0, 20), []);
    assert.equal([...statuses.values()].reduce((a, b) => a + b, 0), REQUESTS);
    // Refusals at the front door and answers from the services both happened.
    assert.ok((statuses.get(403) ?? 0) > 500, JSON.stringify([...statuses]));
    assert.ok((statuses.get(400) ?? 0) > 500, JSON.stringify([...statuses]));
    // Still alive and correct afterwards, and nothing was polluted.
    const list = await gh.apigateway.send(new GetRestApisCommand({}));
    assert.equal(list.$metadata.httpStatusCode, 200);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  } finally {
    await gh.stop();
  }
});

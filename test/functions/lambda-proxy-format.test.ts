// The Lambda proxy response rules (payload format 1.0), one rule per case: what API Gateway accepts from a function
// and what it answers 502 "Malformed Lambda proxy response" to.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProxyResult } from '../../src/execute/integrations/lambda-proxy-format.ts';
import { GatewayError } from '../../src/execute/responses/gateway-errors.ts';

const parse = (v: unknown, binaryAccepted = false) => parseProxyResult(Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)), binaryAccepted);

function malformed(v: unknown): void {
  assert.throws(() => parse(v), (e: unknown) => {
    assert.ok(e instanceof GatewayError);
    assert.equal(e.status, 502);
    assert.equal(e.message, 'Internal server error');
    assert.equal(e.logLine, 'Execution failed due to configuration error: Malformed Lambda proxy response');
    return true;
  });
}

describe('Lambda proxy responses', () => {
  test('every member is optional: an empty object is 200 with an empty JSON-typed body', () => {
    const r = parse({});
    assert.equal(r.statusCode, 200);
    assert.equal(r.body.length, 0);
    assert.deepEqual(r.headers.multi(), { 'Content-Type': ['application/json'] });
  });

  test('statusCode may be a numeric string', () => {
    assert.equal(parse({ statusCode: '404' }).statusCode, 404);
    malformed({ statusCode: 'abc' });
    malformed({ statusCode: 20.5 });
  });

  test('headers: strings, booleans and numbers; multiValueHeaders: lists; both combine', () => {
    const r = parse({ headers: { 'X-A': 'a', 'X-B': true, 'X-N': 3, 'Set-Cookie': 'c=3' }, multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] } });
    assert.deepEqual(r.headers.multi(), { 'X-A': ['a'], 'X-B': ['true'], 'X-N': ['3'], 'Set-Cookie': ['a=1', 'b=2', 'c=3'], 'Content-Type': ['application/json'] });
    malformed({ headers: { 'X-A': { nested: 1 } } });
    malformed({ headers: ['x'] });
    malformed({ multiValueHeaders: { 'X-A': 'not-a-list' } });
  });

  test('body must be a string; base64 bodies are decoded only when the client accepts a binary type', () => {
    malformed({ body: { a: 1 } });
    malformed({ body: 42 });
    const b64 = Buffer.from([1, 2, 3]).toString('base64');
    assert.deepEqual([...parse({ body: b64, isBase64Encoded: true }, true).body], [1, 2, 3]);
    assert.equal(parse({ body: b64, isBase64Encoded: true }, false).body.toString(), b64);
    malformed({ body: 'x', isBase64Encoded: 'yes' });
  });

  test('anything else is malformed: unknown members, non-objects, function errors, invalid JSON', () => {
    malformed({ statusCode: 200, body: 'x', extra: 1 });
    malformed([1, 2]);
    malformed('"just a string"');
    malformed('null');
    malformed({ errorType: 'Error', errorMessage: 'boom', trace: [] });
    malformed('{not json');
  });
});

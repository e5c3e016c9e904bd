// Hostile input to the logs part: filter patterns built to backtrack or nest without end, forged pagination tokens,
// names CloudWatch Logs refuses, access-log formats reaching into JavaScript's prototypes, and audit records that
// must never carry secrets. Every case answers AWS's error (never a 5xx) and leaves the server responsive; each
// test has a time limit, so a pattern that stalled matching would fail it (no timing is asserted).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import aws4 from 'aws4';
import { startGatehouse, TEST_CREDENTIALS, type Running } from '../helpers/gatehouse.ts';
import { compileFilterPattern, FilterPatternError } from '../../src/observe/logs/filter-pattern.ts';
import { AccessLogFormat } from '../../src/observe/access-log.ts';
import type { LogStore } from '../../src/observe/logs/log-store.ts';
import { AG, ApiBuilder } from '../execute/helpers.ts';

let gh: Running;

before(async () => {
  gh = await startGatehouse();
});
after(async () => {
  await gh.stop();
});

/** One signed CloudWatch Logs call (awsJson1.1), as the SDKs send it. */
async function logs(operation: string, body: unknown): Promise<{ status: number; json: any }> {
  const url = new URL(gh.endpoint);
  const opts = aws4.sign(
    {
      host: url.host,
      path: '/',
      method: 'POST',
      service: 'logs',
      region: 'us-east-1',
      headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `Logs_20140328.${operation}` },
      body: JSON.stringify(body),
    },
    TEST_CREDENTIALS,
  );
  const res = await fetch(`${gh.endpoint}/`, { method: 'POST', headers: opts.headers as Record<string, string>, body: opts.body as string });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

test('filter patterns built to stall a matcher finish, or are refused as invalid', { timeout: 20_000 }, () => {
  const long = 'a'.repeat(200_000);
  // Backtracking bait for a naive regex engine: RE2 runs it in linear time.
  assert.equal(compileFilterPattern('%(a+)+$b%')(long), false);
  assert.equal(compileFilterPattern('%(a|aa)*c%')(long), false);
  // Wildcards: greedy two-pointer matching, no exponential search.
  const stars = `{ $.m = "${'*a'.repeat(100)}b" }`;
  assert.equal(compileFilterPattern(stars)(JSON.stringify({ m: 'a'.repeat(5_000) })), false);
  // Many ellipses over many fields: dynamic programming.
  const fields = Array.from({ length: 2_000 }, (_, i) => `f${i}`).join(' ');
  assert.equal(compileFilterPattern(`[${Array(150).fill('...').join(',')}, x = nomatch]`)(fields), false);
  // Nesting past 20 levels, unbalanced brackets and quotes, bad operators: invalid, not a crash.
  for (const bad of [`{ ${'('.repeat(200)}$.a = 1${')'.repeat(200)} }`, '{ $.a = "x }', '[a, b = ]', '{ $.a ~ 1 }', '%(%', '"unterminated', '{ $. = 1 }', '[a, "b]']) {
    assert.throws(() => compileFilterPattern(bad), FilterPatternError, bad);
  }
  // Selectors cannot reach JavaScript prototypes.
  assert.equal(compileFilterPattern('{ $.__proto__ NOT EXISTS }')('{"a":1}'), true);
  assert.equal(compileFilterPattern('{ $.constructor.name = "Object" }')('{"a":1}'), false);
  assert.equal(compileFilterPattern('{ $.a.length = 3 }')('{"a":"abc"}'), false);
});

test('hostile API input answers AWS errors, never a 5xx', { timeout: 30_000 }, async () => {
  assert.equal((await logs('CreateLogGroup', { logGroupName: 'sec' })).status, 200);
  assert.equal((await logs('CreateLogStream', { logGroupName: 'sec', logStreamName: 's' })).status, 200);
  // A name with ':' (the store's separator) or '*' is refused by the model's pattern.
  for (const [op, body] of [
    ['CreateLogGroup', { logGroupName: 'a:b' }],
    ['CreateLogStream', { logGroupName: 'sec', logStreamName: 'x:y' }],
    ['CreateLogStream', { logGroupName: 'sec', logStreamName: 'x*' }],
  ] as const) {
    const r = await logs(op, body);
    assert.equal(r.status, 400, JSON.stringify(r.json));
    assert.equal(r.json.__type, 'InvalidParameterException');
  }
  // Forged tokens.
  const forged = [Buffer.from('{"x":1}').toString('base64url'), Buffer.from('"zzz"').toString('base64url'), '%%%', 'a'.repeat(2000)];
  for (const nextToken of forged) {
    const r = await logs('FilterLogEvents', { logGroupName: 'sec', nextToken });
    assert.deepEqual([r.status, r.json.__type, r.json.message], [400, 'InvalidParameterException', 'The specified nextToken is invalid.'], nextToken);
  }
  for (const nextToken of ['f/abc', 'b/', 'x/00000000000000000000000000', 'f/1e30']) {
    const r = await logs('GetLogEvents', { logGroupName: 'sec', logStreamName: 's', nextToken });
    assert.equal(r.json.message, 'The specified nextToken is invalid.', nextToken);
  }
  // Wrong JSON types, an unknown target, a body that is not JSON.
  assert.equal((await logs('PutLogEvents', { logGroupName: 'sec', logStreamName: 's', logEvents: 'x' })).json.__type, 'SerializationException');
  assert.deepEqual((await logs('NoSuchOperation', {})), { status: 400, json: { __type: 'UnknownOperationException' } });
  // Too many events in one call: the model's limit.
  const many = Array.from({ length: 10_001 }, (_, i) => ({ timestamp: Date.now(), message: String(i) }));
  const r = await logs('PutLogEvents', { logGroupName: 'sec', logStreamName: 's', logEvents: many });
  assert.equal(r.status, 400);
  assert.equal(r.json.__type, 'InvalidParameterException');
  // An over-long filter pattern (the model allows 1024 characters).
  const longPattern = await logs('FilterLogEvents', { logGroupName: 'sec', filterPattern: 'a'.repeat(1025) });
  assert.equal(longPattern.json.__type, 'InvalidParameterException');
  // The server still answers.
  assert.equal((await logs('DescribeLogGroups', {})).status, 200);
});

test('access-log formats cannot reach JavaScript prototypes and render hostile text as it is', { timeout: 30_000 }, async () => {
  const format = new AccessLogFormat('$context.__proto__.constructor.name $context.constructor $context.requestId.length $context.toString');
  const b = await ApiBuilder.create(gh);
  await b.method('/', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, { responses: [{ statusCode: '200' }] });
  await b.deploy('p');
  assert.equal((await logs('CreateLogGroup', { logGroupName: 'proto' })).status, 200);
  await gh.apigateway.send(
    new AG.UpdateStageCommand({
      restApiId: b.apiId,
      stageName: 'p',
      patchOperations: [
        { op: 'replace', path: '/accessLogSettings/destinationArn', value: 'arn:aws:logs:us-east-1:123456789012:log-group:proto' },
        { op: 'replace', path: '/accessLogSettings/format', value: format.source },
      ],
    }),
  );
  // A header full of control characters and quotes goes into the line as sent (the user chose the format).
  assert.equal((await b.invoke('p', '/', { headers: { 'user-agent': '"><script>' } })).status, 200);
  await (gh.gatehouse.services.logs as LogStore).flush();
  const r = await logs('FilterLogEvents', { logGroupName: 'proto' });
  assert.deepEqual(r.json.events.map((e: { message: string }) => e.message), ['- - - -']);
});

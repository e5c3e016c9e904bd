// Concurrency (parallel environments, reserved concurrency and throttling) and Event invocations with Lambda's
// retry behaviour. Retry delays are shortened through the documented GATEHOUSE_LAMBDA_ASYNC_* settings.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteFunctionConcurrencyCommand, InvokeCommand, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { sigv4Headers, startGatehouse, type Running } from '../helpers/gatehouse.ts';
import { createFunction, decode, json } from './helpers.ts';
import type { EmbeddedFunctions } from '../../src/functions/index.ts';

process.env.GATEHOUSE_LAMBDA_ASYNC_RETRY_DELAYS_MS = '20,40';
process.env.GATEHOUSE_LAMBDA_ASYNC_THROTTLE_DELAY_MS = '20';

let gh: Running;
let svc: EmbeddedFunctions;
let dir: string;
before(async () => {
  gh = await startGatehouse();
  svc = gh.gatehouse.services.functions as EmbeddedFunctions;
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-fn-'));
});
after(async () => {
  await gh.stop();
  rmSync(dir, { recursive: true, force: true });
});

// Waits for a file to appear, so an invocation stays in flight until the test lets it go.
const GATED = `
const { existsSync } = require('node:fs');
exports.handler = async (event) => {
  while (!existsSync(event.gate)) await new Promise((r) => setTimeout(r, 5));
  return { pid: process.pid };
};`;

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 5));
}

describe('concurrency', () => {
  test('parallel invocations run in separate environments', async () => {
    await createFunction(gh.lambda, 'parallel', { 'index.js': GATED });
    const gate = join(dir, 'parallel');
    const a = gh.lambda.send(new InvokeCommand({ FunctionName: 'parallel', Payload: JSON.stringify({ gate }) }));
    const b = gh.lambda.send(new InvokeCommand({ FunctionName: 'parallel', Payload: JSON.stringify({ gate }) }));
    await until(() => svc.environments('us-east-1', 'parallel').length === 2);
    writeFileSync(gate, '');
    const [ra, rb] = await Promise.all([a, b]);
    assert.notEqual(json(ra.Payload).pid, json(rb.Payload).pid);
  });

  test('reserved concurrency throttles with TooManyRequestsException (Rate Exceeded.)', async () => {
    await createFunction(gh.lambda, 'reserved', { 'index.js': GATED });
    await gh.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'reserved', ReservedConcurrentExecutions: 1 }));
    const gate = join(dir, 'reserved');
    const first = gh.lambda.send(new InvokeCommand({ FunctionName: 'reserved', Payload: JSON.stringify({ gate }) }));
    await until(() => svc.environments('us-east-1', 'reserved').some((e) => e.state === 'busy'));
    const res = await fetch(`${gh.endpoint}/2015-03-31/functions/reserved/invocations`, { method: 'POST', body: JSON.stringify({ gate }), headers: sigv4Headers('lambda') });
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('x-amzn-errortype'), 'TooManyRequestsException');
    assert.equal(res.headers.get('retry-after'), '1');
    const body: any = await res.json();
    assert.equal(body.Reason, 'ReservedFunctionConcurrentInvocationLimitExceeded');
    assert.equal(body.Type, 'User');
    await assert.rejects(gh.lambda.send(new InvokeCommand({ FunctionName: 'reserved', Payload: JSON.stringify({ gate }) })), (err: any) => {
      assert.equal(err.name, 'TooManyRequestsException');
      assert.equal(err.message, 'Rate Exceeded.');
      assert.equal(err.$metadata.httpStatusCode, 429);
      return true;
    });
    writeFileSync(gate, '');
    assert.equal((await first).StatusCode, 200);
    // The slot is free again.
    assert.equal((await gh.lambda.send(new InvokeCommand({ FunctionName: 'reserved', Payload: JSON.stringify({ gate }) }))).StatusCode, 200);
  });

  test('reserved concurrency 0 throttles every invocation', async () => {
    await createFunction(gh.lambda, 'disabled', { 'index.js': 'exports.handler = async () => 1;' });
    await gh.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'disabled', ReservedConcurrentExecutions: 0 }));
    await assert.rejects(gh.lambda.send(new InvokeCommand({ FunctionName: 'disabled' })), { name: 'TooManyRequestsException' });
  });
});

describe('Event invocations', () => {
  test('accepted with 202 and run once', async () => {
    const log = join(dir, 'once.log');
    await createFunction(gh.lambda, 'event-ok', { 'index.js': `const fs = require('node:fs'); exports.handler = async (e, c) => { fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify(e) + '\\n'); };` });
    const out = await gh.lambda.send(new InvokeCommand({ FunctionName: 'event-ok', InvocationType: 'Event', Payload: '{"n":1}' }));
    assert.equal(out.StatusCode, 202);
    assert.equal(decode(out.Payload), '');
    await svc.asyncIdle();
    assert.equal(readFileSync(log, 'utf8'), '{"n":1}\n');
  });

  test('a failing function is retried twice, with the same request id', async () => {
    const log = join(dir, 'retries.log');
    await createFunction(gh.lambda, 'event-fail', {
      'index.js': `const fs = require('node:fs'); exports.handler = async (e, c) => { fs.appendFileSync(${JSON.stringify(log)}, c.awsRequestId + '\\n'); throw new Error('no'); };`,
    });
    const out = await gh.lambda.send(new InvokeCommand({ FunctionName: 'event-fail', InvocationType: 'Event', Payload: '{}' }));
    await svc.asyncIdle();
    const attempts = readFileSync(log, 'utf8').trim().split('\n');
    assert.deepEqual(attempts, [out.$metadata.requestId, out.$metadata.requestId, out.$metadata.requestId]);
  });

  test('a throttled event waits and runs once concurrency is available', async () => {
    const log = join(dir, 'throttled.log');
    await createFunction(gh.lambda, 'event-throttled', { 'index.js': `const fs = require('node:fs'); exports.handler = async () => { fs.appendFileSync(${JSON.stringify(log)}, 'ran\\n'); };` });
    await gh.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'event-throttled', ReservedConcurrentExecutions: 0 }));
    const out = await gh.lambda.send(new InvokeCommand({ FunctionName: 'event-throttled', InvocationType: 'Event', Payload: '{}' }));
    assert.equal(out.StatusCode, 202);
    assert.equal(existsSync(log), false);
    await gh.lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'event-throttled' }));
    await svc.asyncIdle();
    assert.equal(readFileSync(log, 'utf8'), 'ran\n');
  });
});

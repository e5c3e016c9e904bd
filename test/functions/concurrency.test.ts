// Concurrency (parallel environments, reserved concurrency and throttling) and Event invocations with Lambda's
// retry behaviour. Retry delays are shortened through the documented GATEHOUSE_LAMBDA_ASYNC_* settings.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DeleteFunctionConcurrencyCommand, InvokeCommand, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { sigv4Headers, startGatehouse, type Running } from '../helpers/gatehouse.ts';
import { createFunction, decode, json, startProbe, type Probe } from './helpers.ts';
import type { EmbeddedFunctions } from '../../src/functions/index.ts';
import { until } from '../helpers/until.ts';

process.env.GATEHOUSE_LAMBDA_ASYNC_RETRY_DELAYS_MS = '20,40';
process.env.GATEHOUSE_LAMBDA_ASYNC_THROTTLE_DELAY_MS = '20';

let gh: Running;
let svc: EmbeddedFunctions;
let probe: Probe;
before(async () => {
  gh = await startGatehouse();
  svc = gh.gatehouse.services.functions as EmbeddedFunctions;
  probe = await startProbe();
});
after(async () => {
  await gh.stop();
  await probe.close();
});

// Waits for the test's gate to open, so an invocation stays in flight until the test lets it go. \`boot\` tells
// environments apart (pids do not: each sandbox has its own pid namespace).
const GATED = `
const boot = Math.random();
exports.handler = async (event) => {
  while ((await fetch(event.gate)).status !== 200) await new Promise((r) => setTimeout(r, 5));
  return { boot };
};`;

describe('concurrency', () => {
  test('parallel invocations run in separate environments', async () => {
    await createFunction(gh.lambda, 'parallel', { 'index.js': GATED });
    const gate = `${probe.url}/gate/parallel`;
    const a = gh.lambda.send(new InvokeCommand({ FunctionName: 'parallel', Payload: JSON.stringify({ gate }) }));
    const b = gh.lambda.send(new InvokeCommand({ FunctionName: 'parallel', Payload: JSON.stringify({ gate }) }));
    await until(() => svc.environments('us-east-1', 'parallel').length === 2, 'two environments of parallel');
    probe.open('parallel');
    const [ra, rb] = await Promise.all([a, b]);
    assert.notEqual(json(ra.Payload).boot, json(rb.Payload).boot);
  });

  test('reserved concurrency throttles with TooManyRequestsException (Rate Exceeded.)', async () => {
    await createFunction(gh.lambda, 'reserved', { 'index.js': GATED });
    await gh.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'reserved', ReservedConcurrentExecutions: 1 }));
    const gate = `${probe.url}/gate/reserved`;
    const first = gh.lambda.send(new InvokeCommand({ FunctionName: 'reserved', Payload: JSON.stringify({ gate }) }));
    await until(() => svc.environments('us-east-1', 'reserved').some((e) => e.state === 'busy'), 'a busy environment of reserved');
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
    probe.open('reserved');
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
    await createFunction(gh.lambda, 'event-ok', { 'index.js': `exports.handler = async (e, c) => { await fetch('${probe.url}/record/once', { method: 'POST', body: JSON.stringify(e) }); };` });
    const out = await gh.lambda.send(new InvokeCommand({ FunctionName: 'event-ok', InvocationType: 'Event', Payload: '{"n":1}' }));
    assert.equal(out.StatusCode, 202);
    assert.equal(decode(out.Payload), '');
    await svc.asyncIdle();
    assert.deepEqual(probe.records('once'), ['{"n":1}']);
  });

  test('a failing function is retried twice, with the same request id', async () => {
    await createFunction(gh.lambda, 'event-fail', {
      'index.js': `exports.handler = async (e, c) => { await fetch('${probe.url}/record/retries', { method: 'POST', body: c.awsRequestId }); throw new Error('no'); };`,
    });
    const out = await gh.lambda.send(new InvokeCommand({ FunctionName: 'event-fail', InvocationType: 'Event', Payload: '{}' }));
    await svc.asyncIdle();
    const attempts = probe.records('retries');
    assert.deepEqual(attempts, [out.$metadata.requestId, out.$metadata.requestId, out.$metadata.requestId]);
  });

  test('a throttled event waits and runs once concurrency is available', async () => {
    await createFunction(gh.lambda, 'event-throttled', { 'index.js': `exports.handler = async () => { await fetch('${probe.url}/record/throttled', { method: 'POST', body: 'ran' }); };` });
    await gh.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'event-throttled', ReservedConcurrentExecutions: 0 }));
    const out = await gh.lambda.send(new InvokeCommand({ FunctionName: 'event-throttled', InvocationType: 'Event', Payload: '{}' }));
    assert.equal(out.StatusCode, 202);
    assert.deepEqual(probe.records('throttled'), []);
    await gh.lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'event-throttled' }));
    await svc.asyncIdle();
    assert.deepEqual(probe.records('throttled'), ['ran']);
  });
});

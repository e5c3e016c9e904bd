// Functions across the server's lifecycle: they survive a restart (records in the store, code on disk), and the
// dev-mode reset removes them with their environments and files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteFunctionConcurrencyCommand, GetFunctionConfigurationCommand, InvokeCommand, ListFunctionsCommand, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { clients, spawnGatehouse, startGatehouse, tempDataDir } from '../helpers/gatehouse.ts';
import { createFunction, decode, startProbe } from './helpers.ts';
import type { EmbeddedFunctions } from '../../src/functions/index.ts';
import { until } from '../helpers/until.ts';

test('functions and their code survive a restart', async () => {
  const dataDir = tempDataDir();
  try {
    let server = await spawnGatehouse({ dataDir, env: { AWS_ENDPOINT_URL_LAMBDA: '' } });
    let lambda = clients(server.endpoint).lambda;
    const created = await createFunction(lambda, 'durable', { 'index.js': 'exports.handler = async (e) => ({ twice: e.n * 2 });' }, { timeout: 11 });
    assert.equal(decode((await lambda.send(new InvokeCommand({ FunctionName: 'durable', Payload: '{"n":2}' }))).Payload), '{"twice":4}');
    lambda.destroy();
    assert.equal(await server.stop(), 0);

    server = await spawnGatehouse({ dataDir, env: { AWS_ENDPOINT_URL_LAMBDA: '' } });
    lambda = clients(server.endpoint).lambda;
    const cfg = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'durable' }));
    assert.equal(cfg.RevisionId, created.RevisionId);
    assert.equal(cfg.Timeout, 11);
    assert.equal(decode((await lambda.send(new InvokeCommand({ FunctionName: 'durable', Payload: '{"n":5}' }))).Payload), '{"twice":10}');
    lambda.destroy();
    assert.equal(await server.stop(), 0);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('an accepted Event invocation survives a restart and runs once it can', async () => {
  const dataDir = tempDataDir();
  // The function reports to an HTTP server of the test (the sandbox shares the network, not the file system).
  const probe = await startProbe();
  const env = { AWS_ENDPOINT_URL_LAMBDA: '', GATEHOUSE_LAMBDA_ASYNC_THROTTLE_DELAY_MS: '20' };
  try {
    let server = await spawnGatehouse({ dataDir, env });
    let lambda = clients(server.endpoint).lambda;
    await createFunction(lambda, 'later', { 'index.js': `exports.handler = async (e) => { await fetch('${probe.url}/record/later', { method: 'POST', body: JSON.stringify(e) }); };` });
    // No concurrency: the event is accepted and waits in the queue.
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'later', ReservedConcurrentExecutions: 0 }));
    const accepted = await lambda.send(new InvokeCommand({ FunctionName: 'later', InvocationType: 'Event', Payload: '{"job":7}' }));
    assert.equal(accepted.StatusCode, 202);
    lambda.destroy();
    assert.equal(await server.stop(), 0);
    assert.deepEqual(probe.records('later'), []);

    server = await spawnGatehouse({ dataDir, env });
    lambda = clients(server.endpoint).lambda;
    await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'later' }));
    await until(() => probe.records('later').length > 0, 'the queued event invoked once concurrency allows', 20_000);
    assert.deepEqual(probe.records('later'), ['{"job":7}']);
    lambda.destroy();
    assert.equal(await server.stop(), 0);
  } finally {
    await probe.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('the dev-mode reset removes functions, their environments and their files', async () => {
  const gh = await startGatehouse({ dev: true });
  try {
    await createFunction(gh.lambda, 'temporary', { 'index.js': 'exports.handler = async () => 1;' });
    await gh.lambda.send(new InvokeCommand({ FunctionName: 'temporary' }));
    const svc = gh.gatehouse.services.functions as EmbeddedFunctions;
    assert.equal(svc.environments().length, 1);
    const res = await fetch(`${gh.endpoint}/_gatehouse/reset`, { method: 'POST', headers: { 'x-gatehouse-confirm': 'reset' } });
    assert.equal(res.status, 200);
    assert.deepEqual((await gh.lambda.send(new ListFunctionsCommand({}))).Functions, []);
    assert.equal(svc.environments().length, 0);
    assert.equal(existsSync(join(gh.dataDir, 'functions')), false);
    await assert.rejects(gh.lambda.send(new InvokeCommand({ FunctionName: 'temporary' })), { name: 'ResourceNotFoundException' });
  } finally {
    await gh.stop();
  }
});

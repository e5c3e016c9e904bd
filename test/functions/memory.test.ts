// The memory limit: a function that stays within its MemorySize is never stopped as out of memory, however many
// invocations it serves (the limit counts the environment's private memory, not the Node binary's shared pages,
// and V8's young generation is sized from MemorySize as Lambda's Node runtime sizes it); one that outgrows it is
// stopped and reported as Lambda does.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { startGatehouse, type Running } from '../helpers/gatehouse.ts';
import { createFunction, json, logOf } from './helpers.ts';
import type { EmbeddedFunctions } from '../../src/functions/index.ts';
import { nodeMemoryArgs } from '../../src/functions/environment.ts';

let gh: Running;
before(async () => {
  gh = await startGatehouse();
});
after(async () => {
  await gh.stop();
});

const functions = () => gh.gatehouse.services.functions as EmbeddedFunctions;

describe('memory limit', () => {
  test("V8's heap is sized from MemorySize as Lambda's Node.js bootstrap sizes it", () => {
    assert.deepEqual(nodeMemoryArgs(128), ['--max-semi-space-size=6', '--max-old-space-size=116']);
    assert.deepEqual(nodeMemoryArgs(1024), ['--max-semi-space-size=51', '--max-old-space-size=922']);
    assert.deepEqual(nodeMemoryArgs(10240), ['--max-semi-space-size=512', '--max-old-space-size=9216']);
  });

  test('a 128 MB function allocating short-lived garbage serves 400 invocations without a false out-of-memory stop', { timeout: 120_000 }, async () => {
    // Each invocation builds ~6 MB of objects that live across a few event-loop turns (so they survive young
    // collections) and keeps nothing after it returns: the live heap stays small, but an uncapped young generation
    // grows to V8's default (128 MB of new space) and the process's memory passes 128 MB.
    await createFunction(
      gh.lambda,
      'garbage',
      {
        'index.js': `exports.handler = async (event) => {
          const tmp = [];
          for (let round = 0; round < 4; round++) {
            for (let i = 0; i < 12000; i++) tmp.push({ i, s: 'item-' + i + '-' + event.k, a: [i, i + 1] });
            await new Promise((r) => setImmediate(r));
          }
          return { statusCode: 200, body: String(tmp.length) };
        };`,
      },
      { memory: 128, timeout: 10 },
    );
    const svc = functions();
    const invocations = 400;
    for (let i = 0; i < invocations; i++) {
      const r = await svc.invoke({ functionName: 'garbage', region: 'us-east-1', payload: Buffer.from(`{"k":${i}}`), invocationType: 'RequestResponse' });
      assert.equal(r.functionError, undefined, `invocation ${i}: ${r.payload.toString()}`);
      assert.deepEqual(JSON.parse(r.payload.toString()), { statusCode: 200, body: '48000' });
    }
    // One environment served them all: it was never stopped and replaced.
    assert.equal(svc.environments('us-east-1', 'garbage').length, 1);
    const out = await gh.lambda.send(new InvokeCommand({ FunctionName: 'garbage', Payload: '{"k":0}', LogType: 'Tail' }));
    const report = logOf(out.LogResult).split('\n').find((l) => l.startsWith('REPORT '))!;
    const used = Number(/\tMax Memory Used: (\d+) MB\t/.exec(report)![1]);
    assert.ok(used > 0 && used <= 128, report);
  });

  test('an environment stopped for memory reports Runtime.OutOfMemory with Max Memory Used = MemorySize', async () => {
    await createFunction(
      gh.lambda,
      'hungry',
      { 'index.js': 'exports.handler = async () => { const keep = []; for (let i = 0; i < 40; i++) { keep.push(Buffer.alloc(8 * 1024 * 1024, 1)); await new Promise((r) => setTimeout(r, 10)); } return keep.length; };' },
      { memory: 128, timeout: 10 },
    );
    const out = await gh.lambda.send(new InvokeCommand({ FunctionName: 'hungry', Payload: '{}', LogType: 'Tail' }));
    const id = out.$metadata.requestId;
    assert.equal(out.FunctionError, 'Unhandled');
    assert.deepEqual(json(out.Payload), { errorType: 'Runtime.OutOfMemory', errorMessage: `RequestId: ${id} Error: Runtime exited with error: signal: killed` });
    const report = logOf(out.LogResult).split('\n').find((l) => l.startsWith('REPORT '))!;
    assert.match(report, /\tMemory Size: 128 MB\tMax Memory Used: 128 MB\t/);
    assert.match(report, /\tStatus: error\tError Type: Runtime.OutOfMemory$/);
  });
});

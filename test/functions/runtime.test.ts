// The execution environments, driven through the Lambda API with @aws-sdk/client-lambda: handler styles, module
// formats, the context object and environment, errors, timeouts, memory, warm reuse and logs.
import { after, before, describe, test } from 'node:test';
import { existsSync, readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { InvokeCommand, UpdateFunctionConfigurationCommand, type InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { startGatehouse, type Running } from '../helpers/gatehouse.ts';
import { createFunction, decode, json, logOf, processesWith, waitForNoProcessWith, type FnOptions } from './helpers.ts';
import type { EmbeddedFunctions } from '../../src/functions/index.ts';
import { until } from '../helpers/until.ts';

let gh: Running;
before(async () => {
  gh = await startGatehouse();
});
after(async () => {
  await gh.stop();
});

async function invoke(name: string, payload: unknown = {}, extra: Partial<{ Qualifier: string; ClientContext: string }> = {}): Promise<InvokeCommandOutput> {
  return gh.lambda.send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify(payload), LogType: 'Tail', ...extra }));
}

let n = 0;
async function fn(files: Record<string, string>, o: FnOptions = {}): Promise<string> {
  const name = `fn-${++n}`;
  await createFunction(gh.lambda, name, files, o);
  return name;
}

describe('handlers', () => {
  test('async handler: result, context object and environment', async () => {
    const name = await fn(
      {
        'index.mjs': `export const handler = async (event, context) => ({
          event,
          functionName: context.functionName,
          functionVersion: context.functionVersion,
          invokedFunctionArn: context.invokedFunctionArn,
          memoryLimitInMB: context.memoryLimitInMB,
          awsRequestId: context.awsRequestId,
          logGroupName: context.logGroupName,
          logStreamName: context.logStreamName,
          remaining: context.getRemainingTimeInMillis(),
          waits: context.callbackWaitsForEmptyEventLoop,
          clientContext: context.clientContext,
          env: Object.fromEntries(['AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_REGION',
            'AWS_DEFAULT_REGION', 'AWS_EXECUTION_ENV', '_HANDLER', 'LAMBDA_TASK_ROOT', 'AWS_LAMBDA_RUNTIME_API', 'AWS_LAMBDA_LOG_GROUP_NAME',
            'AWS_LAMBDA_INITIALIZATION_TYPE', 'TZ', 'GREETING', 'GATEHOUSE_TEST'].map((k) => [k, process.env[k]])),
          cwd: process.cwd(),
        });`,
      },
      { env: { GREETING: 'hello' }, timeout: 7, memory: 256 },
    );
    const cc = Buffer.from(JSON.stringify({ custom: { a: 1 }, env: { locale: 'en' } })).toString('base64');
    const out = await invoke(name, { a: [1, 2] }, { ClientContext: cc });
    assert.equal(out.StatusCode, 200);
    assert.equal(out.FunctionError, undefined);
    assert.equal(out.ExecutedVersion, '$LATEST');
    const r = json(out.Payload);
    assert.deepEqual(r.event, { a: [1, 2] });
    assert.equal(r.functionName, name);
    assert.equal(r.functionVersion, '$LATEST');
    assert.equal(r.invokedFunctionArn, `arn:aws:lambda:us-east-1:123456789012:function:${name}`);
    assert.equal(r.memoryLimitInMB, '256');
    assert.equal(r.awsRequestId, out.$metadata.requestId, 'the invocation id is the response x-amzn-RequestId');
    assert.equal(r.logGroupName, `/aws/lambda/${name}`);
    assert.match(r.logStreamName, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    assert.ok(r.remaining > 5000 && r.remaining <= 7000, `remaining ${r.remaining}`);
    assert.equal(r.waits, true);
    assert.deepEqual(r.clientContext, { custom: { a: 1 }, env: { locale: 'en' } });
    assert.equal(r.env.AWS_LAMBDA_FUNCTION_NAME, name);
    assert.equal(r.env.AWS_LAMBDA_FUNCTION_VERSION, '$LATEST');
    assert.equal(r.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, '256');
    assert.equal(r.env.AWS_REGION, 'us-east-1');
    assert.equal(r.env.AWS_DEFAULT_REGION, 'us-east-1');
    assert.equal(r.env.AWS_EXECUTION_ENV, 'AWS_Lambda_nodejs22.x');
    assert.equal(r.env._HANDLER, 'index.handler');
    assert.equal(r.env.LAMBDA_TASK_ROOT, r.cwd);
    assert.match(r.env.AWS_LAMBDA_RUNTIME_API, /^127\.0\.0\.1:\d+\/[0-9a-f]{32}$/, 'host:port and the environment\'s secret path prefix');
    assert.equal(r.env.AWS_LAMBDA_LOG_GROUP_NAME, `/aws/lambda/${name}`);
    assert.equal(r.env.AWS_LAMBDA_INITIALIZATION_TYPE, 'on-demand');
    assert.equal(r.env.TZ, ':UTC');
    assert.equal(r.env.GREETING, 'hello');
    assert.equal(r.env.GATEHOUSE_TEST, undefined, "Gatehouse's own environment does not leak into functions");
  });

  test('callback handler waits for the empty event loop unless told not to', async () => {
    const name = await fn({
      'index.js': `exports.handler = (event, context, callback) => {
        context.callbackWaitsForEmptyEventLoop = event.wait;
        setTimeout(() => console.log('timer fired'), 100);
        callback(null, { wait: event.wait });
      };`,
    });
    const waited = await invoke(name, { wait: true });
    assert.deepEqual(json(waited.Payload), { wait: true });
    assert.match(logOf(waited.LogResult), /INFO\ttimer fired\n/);
    const quick = await invoke(name, { wait: false });
    assert.deepEqual(json(quick.Payload), { wait: false });
    assert.doesNotMatch(logOf(quick.LogResult), /timer fired/);
  });

  test('legacy context.succeed, context.fail and context.done', async () => {
    const name = await fn({
      'index.js': `exports.handler = function (event, context) {
        if (event.m === 'succeed') context.succeed({ ok: true });
        else if (event.m === 'fail') context.fail(new Error('failed'));
        else context.done(null, 'done');
      };`,
    });
    assert.deepEqual(json((await invoke(name, { m: 'succeed' })).Payload), { ok: true });
    const failed = await invoke(name, { m: 'fail' });
    assert.equal(failed.FunctionError, 'Unhandled');
    assert.equal(json(failed.Payload).errorMessage, 'failed');
    assert.equal(decode((await invoke(name, { m: 'done' })).Payload), '"done"');
  });

  test('module formats: CommonJS, ES modules by extension or package.json type, nested handler paths', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ 'index.js': 'exports.handler = async () => "cjs";' }, 'index.handler'],
      [{ 'app.cjs': 'module.exports.go = async () => "cjs-ext";' }, 'app.go'],
      [{ 'app.mjs': 'export const go = async () => "esm-ext";' }, 'app.go'],
      [{ 'package.json': '{"type":"module"}', 'index.js': 'export const handler = async () => "esm-type";' }, 'index.handler'],
      [{ 'src/lib/api.js': 'exports.handlers = { main: async () => "nested" };' }, 'src/lib/api.handlers.main'],
      [{ 'index.mjs': 'const v = await Promise.resolve("tla"); export const handler = async () => v;' }, 'index.handler'],
    ];
    for (const [files, handler] of cases) {
      const name = await fn(files, { handler });
      const out = await invoke(name);
      assert.equal(out.FunctionError, undefined, decode(out.Payload));
      assert.ok(['"cjs"', '"cjs-ext"', '"esm-ext"', '"esm-type"', '"nested"', '"tla"'].includes(decode(out.Payload)), decode(out.Payload));
    }
  });

  test('a handler returning undefined answers null', async () => {
    const name = await fn({ 'index.mjs': 'export const handler = async () => {};' });
    assert.equal(decode((await invoke(name)).Payload), 'null');
  });

  test('warm environments are reused; a changed configuration starts a new one', async () => {
    const name = await fn({ 'index.js': 'const boot = Math.random(); let count = 0; exports.handler = async () => ({ count: ++count, boot });' });
    const a = json((await invoke(name)).Payload);
    const b = json((await invoke(name)).Payload);
    assert.equal(a.count, 1);
    assert.equal(b.count, 2);
    assert.equal(a.boot, b.boot);
    await gh.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Description: 'changed' }));
    const c = await invoke(name);
    assert.equal(json(c.Payload).count, 1);
    assert.match(logOf(c.LogResult), /\tInit Duration: \d+\.\d\d ms\t/);
  });
});

describe('errors', () => {
  test('a thrown error: Unhandled, Node runtime error payload and log line', async () => {
    const name = await fn({
      'index.mjs': 'class ValidationError extends Error { constructor(m) { super(m); this.name = "ValidationError"; } }\nexport const handler = async () => { throw new ValidationError("bad input"); };',
    });
    const out = await invoke(name);
    assert.equal(out.StatusCode, 200);
    assert.equal(out.FunctionError, 'Unhandled');
    const p = json(out.Payload);
    assert.deepEqual(Object.keys(p), ['errorType', 'errorMessage', 'trace']);
    assert.equal(p.errorType, 'ValidationError');
    assert.equal(p.errorMessage, 'bad input');
    assert.equal(p.trace[0], 'ValidationError: bad input');
    const log = logOf(out.LogResult);
    assert.match(log, /\tERROR\tInvoke Error \t\{"errorType":"ValidationError","errorMessage":"bad input","stack":\["ValidationError: bad input",/);
  });

  test('callback with a non-Error value', async () => {
    const name = await fn({ 'index.js': 'exports.handler = (e, c, cb) => cb("plain failure");' });
    const out = await invoke(name);
    assert.equal(out.FunctionError, 'Unhandled');
    assert.deepEqual(json(out.Payload), { errorType: 'string', errorMessage: 'plain failure', trace: [] });
  });

  test('init errors: missing module, missing handler, syntax error', async () => {
    const missing = await fn({ 'other.js': '' });
    let p = json((await invoke(missing)).Payload);
    assert.equal(p.errorType, 'Runtime.ImportModuleError');
    assert.match(p.errorMessage, /^Error: Cannot find module 'index'\nRequire stack:\n- /);

    const noHandler = await fn({ 'index.js': 'exports.other = async () => 1;' });
    p = json((await invoke(noHandler)).Payload);
    assert.equal(p.errorType, 'Runtime.HandlerNotFound');
    assert.equal(p.errorMessage, 'index.handler is undefined or not exported');

    const syntax = await fn({ 'index.js': 'exports.handler = async () => {' });
    const out = await invoke(syntax);
    assert.equal(out.FunctionError, 'Unhandled');
    p = json(out.Payload);
    assert.equal(p.errorType, 'Runtime.UserCodeSyntaxError');
    assert.match(p.errorMessage, /^SyntaxError: /);
  });

  test('nodejs24.x refuses callback-style handlers', async () => {
    const name = await fn({ 'index.js': 'exports.handler = (event, context, callback) => callback(null, 1);' }, { runtime: 'nodejs24.x' });
    const out = await invoke(name);
    assert.equal(out.FunctionError, 'Unhandled');
    assert.equal(json(out.Payload).errorType, 'Runtime.CallbackHandlerDeprecated');
  });

  test('timeouts kill the environment with "Task timed out after N.NN seconds"', async () => {
    const name = await fn({ 'index.js': 'let n = 0; exports.handler = async (e) => { n++; if (e.hang) await new Promise(() => setInterval(() => {}, 1000)); return n; };' }, { timeout: 1 });
    assert.equal(decode((await invoke(name)).Payload), '1');
    const out = await invoke(name, { hang: true });
    assert.equal(out.StatusCode, 200);
    assert.equal(out.FunctionError, 'Unhandled');
    const id = out.$metadata.requestId;
    assert.deepEqual(json(out.Payload), { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${id} Error: Task timed out after 1.00 seconds` });
    const log = logOf(out.LogResult);
    assert.match(log, new RegExp(`\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z ${id} Task timed out after 1\\.00 seconds\\nEND RequestId: ${id}\\nREPORT RequestId: ${id}\\tDuration: `));
    assert.match(log, /\tStatus: timeout\n$/);
    // The timed-out environment is gone: the next invocation is a cold start with fresh module state.
    const next = await invoke(name);
    assert.equal(decode(next.Payload), '1');
    assert.match(logOf(next.LogResult), /Init Duration/);
  });

  test('a timeout also stops the processes the function started', async () => {
    const token = `gatehouse-timeout-child-${process.pid}-${Date.now()}`;
    const name = await fn(
      { 'index.js': `const { spawn } = require("node:child_process"); exports.handler = async () => { spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)", "${token}"], { stdio: "ignore" }); await new Promise(() => setInterval(() => {}, 1000)); };` },
      { timeout: 1 },
    );
    const running = invoke(name);
    await until(() => processesWith(token).length > 0, 'the handler\'s child process started');
    const out = await running;
    assert.equal(json(out.Payload).errorType, 'Sandbox.Timedout');
    // SIGKILL is immediate, but the kernel reaps asynchronously: wait for the process to go.
    assert.deepEqual(await waitForNoProcessWith(token), []);
  });

  test('process exit and out-of-memory end the invocation as the Lambda runtime reports them', async () => {
    const exiting = await fn({ 'index.js': 'exports.handler = async () => { process.exit(3); };' });
    let out = await invoke(exiting);
    let id = out.$metadata.requestId;
    assert.equal(out.FunctionError, 'Unhandled');
    assert.deepEqual(json(out.Payload), { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${id} Error: Runtime exited with error: exit status 3` });
    assert.match(logOf(out.LogResult), /\tStatus: error\tError Type: Runtime.ExitError\n$/);

    const hungry = await fn(
      { 'index.js': 'exports.handler = async () => { const keep = []; for (let i = 0; i < 40; i++) { keep.push(Buffer.alloc(8 * 1024 * 1024, 1)); await new Promise((r) => setTimeout(r, 10)); } return keep.length; };' },
      { memory: 128, timeout: 10 },
    );
    out = await invoke(hungry);
    id = out.$metadata.requestId;
    assert.equal(out.FunctionError, 'Unhandled');
    assert.deepEqual(json(out.Payload), { errorType: 'Runtime.OutOfMemory', errorMessage: `RequestId: ${id} Error: Runtime exited with error: signal: killed` });
  });

  test('a response over 6 MB is refused', async () => {
    const name = await fn({ 'index.js': 'exports.handler = async () => "x".repeat(7 * 1024 * 1024);' }, { memory: 512 });
    const out = await invoke(name);
    assert.equal(out.FunctionError, 'Unhandled');
    assert.deepEqual(json(out.Payload), {
      errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
      errorType: 'Function.ResponseSizeTooLarge',
    });
  });
});

describe('logs', () => {
  test('LogType Tail: START, console lines with level, END, REPORT; the function log file keeps them', async () => {
    const name = await fn({
      'index.js': 'console.log("init line"); exports.handler = async () => { console.log("a", { b: 1 }); console.warn("w"); console.error("e"); process.stdout.write("raw\\n"); return 1; };',
    });
    const out = await invoke(name);
    const id = out.$metadata.requestId!;
    const lines = logOf(out.LogResult).split('\n');
    const at = lines.indexOf(`START RequestId: ${id} Version: $LATEST`);
    assert.ok(at >= 0, lines.join('\n'));
    assert.match(lines[at + 1]!, new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\\t${id}\\tINFO\\ta \\{ b: 1 \\}$`));
    assert.match(lines[at + 2]!, new RegExp(`\\t${id}\\tWARN\\tw$`));
    assert.match(lines[at + 3]!, new RegExp(`\\t${id}\\tERROR\\te$`));
    assert.equal(lines[at + 4], 'raw');
    assert.equal(lines[at + 5], `END RequestId: ${id}`);
    assert.match(lines[at + 6]!, new RegExp(`^REPORT RequestId: ${id}\\tDuration: \\d+\\.\\d\\d ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB\\tInit Duration: \\d+\\.\\d\\d ms\\t$`));
    assert.match(lines.slice(0, at).join('\n'), /\tundefined\tINFO\tinit line/);
    const svc = gh.gatehouse.services.functions as EmbeddedFunctions;
    const { FunctionLogs } = await import('../../src/functions/logs.ts');
    // The log file is appended asynchronously: wait for it (a loaded machine can take a while).
    const logFile = FunctionLogs.file(svc.dataDir, 'us-east-1', name);
    const written = () => existsSync(logFile) && readFileSync(logFile, 'utf8').includes(`END RequestId: ${id}\n`);
    await until(written, 'the END line in the function log');
  });

  test('output on stderr alone, or none at all, is in the right invocation', async () => {
    const name = await fn({ 'index.js': 'exports.handler = async (e) => { if (e.say) process.stderr.write(e.say + "\\n"); return e.say ?? null; };' });
    for (const say of ['first', undefined, 'third', undefined]) {
      const out = await invoke(name, say ? { say } : {});
      const id = out.$metadata.requestId!;
      const lines = logOf(out.LogResult).split('\n');
      const start = lines.findIndex((l) => l.startsWith(`START RequestId: ${id} `));
      const end = lines.indexOf(`END RequestId: ${id}`);
      assert.deepEqual(lines.slice(start + 1, end), say ? [say] : []);
    }
  });

  test('without LogType there is no X-Amz-Log-Result', async () => {
    const name = await fn({ 'index.js': 'exports.handler = async () => 1;' });
    const out = await gh.lambda.send(new InvokeCommand({ FunctionName: name }));
    assert.equal(out.LogResult, undefined);
    assert.equal(decode(out.Payload), '1');
  });
});

describe('provided.al2023', () => {
  test('runs the zip\'s bootstrap executable against the Runtime API', async () => {
    const { CreateFunctionCommand } = await import('@aws-sdk/client-lambda');
    const { zipOf, ROLE } = await import('./helpers.ts');
    const bootstrap = `#!/bin/sh
set -eu
API="http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime"
while true; do
  HEADERS=$(mktemp)
  EVENT=$(curl -sS -D "$HEADERS" "$API/invocation/next")
  ID=$(grep -i '^lambda-runtime-aws-request-id:' "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)
  echo "handling $ID"
  curl -sS -X POST "$API/invocation/$ID/response" -d "{\\"echo\\":$EVENT,\\"handler\\":\\"$_HANDLER\\"}" > /dev/null
done
`;
    await gh.lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'custom-runtime',
        Runtime: 'provided.al2023',
        Role: ROLE,
        Handler: 'function.handler',
        Code: { ZipFile: zipOf({ bootstrap }, ['bootstrap']) },
      }),
    );
    const out = await invoke('custom-runtime', { n: 42 });
    assert.equal(out.FunctionError, undefined, decode(out.Payload));
    assert.deepEqual(json(out.Payload), { echo: { n: 42 }, handler: 'function.handler' });
    assert.match(logOf(out.LogResult), new RegExp(`handling ${out.$metadata.requestId}`));
  });

  test('a bootstrap that is not executable cannot start', async () => {
    const { CreateFunctionCommand } = await import('@aws-sdk/client-lambda');
    const { zipOf, ROLE } = await import('./helpers.ts');
    await gh.lambda.send(
      new CreateFunctionCommand({ FunctionName: 'not-executable', Runtime: 'provided.al2023', Role: ROLE, Handler: 'x', Code: { ZipFile: zipOf({ bootstrap: '#!/bin/sh\n' }) } }),
    );
    const out = await invoke('not-executable');
    const id = out.$metadata.requestId;
    assert.equal(out.FunctionError, 'Unhandled');
    assert.equal(json(out.Payload).errorType, 'Runtime.InvalidEntrypoint');
    assert.match(json(out.Payload).errorMessage, new RegExp(`^RequestId: ${id} Error: fork/exec .*/bootstrap: permission denied$`));
  });
});

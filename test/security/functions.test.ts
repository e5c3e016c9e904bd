// Attacks from inside a function (issue 8): each is a function created with a zip and invoked through
// @aws-sdk/client-lambda, as an attacker would deploy it; each test asserts the attack fails and the server stays
// healthy. Functions run in the bubblewrap sandbox (the default).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteFunctionCommand, InvokeCommand, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { ROOT, clients, startGatehouse, tempDataDir, type Running } from '../helpers/gatehouse.ts';
import { createFunction, decode, json, logOf, processesWith, waitForNoProcessWith } from '../functions/helpers.ts';
import type { EmbeddedFunctions } from '../../src/functions/index.ts';

// A variable only the server's own environment has: no function may see it.
const CANARY = `gatehouse-canary-${process.pid}`;
process.env.GATEHOUSE_SECURITY_CANARY = CANARY;

let gh: Running;
before(async () => {
  gh = await startGatehouse();
});
after(async () => {
  await gh.stop();
});

async function healthy(): Promise<void> {
  const res = await fetch(`${gh.endpoint}/_gatehouse/health`);
  assert.equal(res.status, 200);
}

async function invoke(name: string, payload: unknown = {}) {
  return gh.lambda.send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify(payload), LogType: 'Tail' }));
}

/** A function that runs `body` (CommonJS, `event` in scope) and returns what it evaluates to. */
async function attacker(name: string, body: string, o: { timeout?: number; memory?: number } = {}) {
  await createFunction(gh.lambda, name, { 'index.js': `const fs = require('node:fs'); const cp = require('node:child_process');\nexports.handler = async (event) => { ${body} };` }, o);
}

describe('file system', () => {
  test("a function sees neither the machine's secrets, Gatehouse's data and source, nor other functions' code", async () => {
    await createFunction(gh.lambda, 'victim', { 'index.js': 'exports.handler = async () => "secret code";' });
    await invoke('victim');
    await attacker(
      'reader',
      `const tryRead = (p) => { try { fs.readFileSync(p); return 'read'; } catch (e) { return e.code; } };
       const tryWrite = (p) => { try { fs.writeFileSync(p, 'x'); return 'written'; } catch (e) { return e.code; } };
       const tryList = (p) => { try { return fs.readdirSync(p); } catch (e) { return e.code; } };
       return {
         uid: process.getuid(), gid: process.getgid(),
         shadow: tryRead('/etc/shadow'),
         store: tryRead(event.dataDir + '/gatehouse.sqlite'),
         dataDir: tryList(event.dataDir),
         victim: tryList(event.dataDir + '/functions/us-east-1/victim'),
         source: tryRead(event.root + '/package.json'),
         writeSource: tryWrite(event.root + '/src/pwned.ts'),
         writeOwnCode: tryWrite('/var/task/index.js'),
         writeUsr: tryWrite('/usr/pwned'),
         writeEtc: tryWrite('/etc/passwd'),
         writeTmp: tryWrite('/tmp/mine'),
         root: tryList('/').sort(),
         etc: tryList('/etc').includes('shadow'),
         sslPrivate: tryList('/etc/ssl/private'),
       };`,
    );
    const r = json((await invoke('reader', { dataDir: gh.dataDir, root: ROOT })).Payload);
    assert.equal(r.uid, 65534, 'an unprivileged user');
    assert.equal(r.gid, 65534);
    assert.equal(r.shadow, 'ENOENT');
    assert.equal(r.store, 'ENOENT');
    assert.equal(r.dataDir, 'ENOENT');
    assert.equal(r.victim, 'ENOENT');
    assert.equal(r.source, 'ENOENT');
    assert.equal(r.writeSource, 'ENOENT');
    assert.equal(r.writeOwnCode, 'EROFS', 'the code is read-only');
    assert.ok(['EROFS', 'EACCES'].includes(r.writeUsr), r.writeUsr);
    assert.ok(['EROFS', 'EACCES'].includes(r.writeEtc), r.writeEtc);
    assert.equal(r.writeTmp, 'written', '/tmp is writable');
    assert.deepEqual(r.root, ['bin', 'dev', 'etc', 'lib', 'lib64', 'proc', 'sbin', 'tmp', 'usr', 'var'].filter((d) => d !== 'lib64' || r.root.includes('lib64')));
    assert.equal(r.etc, false);
    assert.equal(r.sslPrivate, 'ENOENT');
    assert.equal(decode((await invoke('victim')).Payload), '"secret code"', "the other function's code is intact");
    await healthy();
  });

  test("each environment's /tmp is its own", async () => {
    await attacker('tmp-writer', `fs.writeFileSync('/tmp/left-behind', 'x'); return fs.readdirSync('/tmp');`);
    await attacker('tmp-reader', `return fs.readdirSync('/tmp');`);
    assert.deepEqual(json((await invoke('tmp-writer')).Payload), ['left-behind']);
    assert.deepEqual(json((await invoke('tmp-reader')).Payload), []);
  });
});

describe('environment', () => {
  test("only Lambda's variables and the function's own: nothing of Gatehouse's environment, nor the server's /proc", async () => {
    await createFunction(
      gh.lambda,
      'env-reader',
      {
        'index.js': `const fs = require('node:fs');
        exports.handler = async () => {
          const environ = {};
          for (const pid of fs.readdirSync('/proc').filter((p) => /^\\d+$/.test(p))) {
            try { environ[pid] = fs.readFileSync('/proc/' + pid + '/environ', 'latin1'); } catch (e) { environ[pid] = e.code; }
          }
          return { env: process.env, ppid: process.ppid, environ };
        };`,
      },
      { env: { MINE: 'yes' } },
    );
    const r = json((await invoke('env-reader')).Payload);
    const allowed = new Set([
      'AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_LOG_GROUP_NAME',
      'AWS_LAMBDA_LOG_STREAM_NAME', 'AWS_LAMBDA_INITIALIZATION_TYPE', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_EXECUTION_ENV',
      'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR', '_HANDLER', '_X_AMZN_TRACE_ID', 'TZ', 'LANG', 'PATH', 'LD_LIBRARY_PATH',
      'NODE_PATH', 'AWS_LAMBDA_RUNTIME_API', 'PWD', 'MINE',
    ]);
    assert.deepEqual(Object.keys(r.env).filter((k) => !allowed.has(k)), []);
    assert.equal(r.env.MINE, 'yes');
    assert.equal(r.env.LAMBDA_TASK_ROOT, '/var/task');
    assert.ok(!JSON.stringify(r).includes(CANARY), "Gatehouse's environment is nowhere to be read");
    assert.ok(!JSON.stringify(r).includes(gh.dataDir), "nor the data directory's path");
    // Its pid namespace holds only the sandbox's init and the runtime: the server's process is not there.
    assert.deepEqual(Object.keys(r.environ).sort(), ['1', '2']);
    assert.equal(r.ppid, 1);
    assert.equal(r.environ['1'], 'EACCES', "the sandbox's init belongs to root");
    await healthy();
  });
});

describe('processes and memory', () => {
  test('a 663 MB child under MemorySize 128 ends the invocation with Runtime.OutOfMemory', async () => {
    await attacker('big-child', `cp.execFileSync(process.execPath, ['-e', 'const b = Buffer.alloc(663 * 1024 * 1024, 1); setTimeout(() => console.log(b.length), 2000)']); return 'survived';`, { memory: 128, timeout: 20 });
    const out = await invoke('big-child');
    assert.equal(out.FunctionError, 'Unhandled');
    const id = out.$metadata.requestId;
    assert.deepEqual(json(out.Payload), { errorType: 'Runtime.OutOfMemory', errorMessage: `RequestId: ${id} Error: Runtime exited with error: signal: killed` });
    assert.match(logOf(out.LogResult), /\tMax Memory Used: 128 MB\t.*\tStatus: error\tError Type: Runtime.OutOfMemory\n$/);
    await healthy();
  });

  test('a setsid double fork dies with its environment: on DeleteFunction and on timeout', async () => {
    const daemon = (token: string) =>
      `cp.spawn('/bin/sh', ['-c', 'setsid sh -c "exec ' + process.execPath + ' -e \\\\"setInterval(() => {}, 1000)\\\\" ${token}" &'], { stdio: 'ignore', detached: true }).unref();`;
    const deleted = `gatehouse-daemon-delete-${process.pid}-${Date.now()}`;
    await attacker('daemon', `${daemon(deleted)} await new Promise((r) => setTimeout(r, 300)); return 'forked';`, { timeout: 5 });
    assert.equal(decode((await invoke('daemon')).Payload), '"forked"');
    assert.equal(processesWith(deleted).length, 1, 'the daemon runs while the environment lives');
    await gh.lambda.send(new DeleteFunctionCommand({ FunctionName: 'daemon' }));
    assert.deepEqual(await waitForNoProcessWith(deleted), []);

    const timedOut = `gatehouse-daemon-timeout-${process.pid}-${Date.now()}`;
    await attacker('daemon-timeout', `${daemon(timedOut)} await new Promise(() => setInterval(() => {}, 1000));`, { timeout: 1 });
    const out = await invoke('daemon-timeout');
    assert.equal(json(out.Payload).errorType, 'Sandbox.Timedout');
    assert.deepEqual(await waitForNoProcessWith(timedOut), []);
    await healthy();
  });
});

describe('Runtime API', () => {
  test('reachable with its environment secret only: another function can neither take events nor post results', async () => {
    // The victim tells its Runtime API address (without the secret) and stays warm.
    await createFunction(gh.lambda, 'api-victim', {
      'index.js': 'exports.handler = async (e) => ({ address: process.env.AWS_LAMBDA_RUNTIME_API.split("/")[0], secretLength: process.env.AWS_LAMBDA_RUNTIME_API.split("/")[1].length, n: e.n });',
    });
    const victim = json((await invoke('api-victim', { n: 1 })).Payload);
    assert.equal(victim.secretLength, 32);
    await attacker(
      'api-thief',
      `const base = 'http://' + event.address;
       const status = async (path, init) => { try { return (await fetch(base + path, init)).status; } catch (e) { return e.code ?? String(e); } };
       return {
         next: await status('/2018-06-01/runtime/invocation/next'),
         guessed: await status('/00000000000000000000000000000000/2018-06-01/runtime/invocation/next'),
         forge: await status('/2018-06-01/runtime/invocation/' + event.id + '/response', { method: 'POST', body: '"forged"' }),
         initError: await status('/2018-06-01/runtime/init/error', { method: 'POST', body: '{}' }),
       };`,
    );
    const r = json((await invoke('api-thief', { address: victim.address, id: 'any-request-id' })).Payload);
    assert.deepEqual(r, { next: 403, guessed: 403, forge: 403, initError: 403 });
    // The victim's environment still serves its own invocations, with its own results.
    const again = await invoke('api-victim', { n: 2 });
    assert.equal(again.FunctionError, undefined);
    assert.equal(json(again.Payload).n, 2);
    assert.doesNotMatch(logOf(again.LogResult), /Init Duration/, 'the same warm environment');
    await healthy();
  });
});

describe('control plane', () => {
  test('a function has no credentials: its calls to the Lambda and API Gateway APIs and to the dev-mode reset are refused', async () => {
    await createFunction(gh.lambda, 'control-victim', { 'index.js': 'exports.handler = async () => "still here";' });
    await attacker(
      'control-caller',
      `const auth = { authorization: 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=0' };
       const call = async (path, init = {}) => { const r = await fetch(event.endpoint + path, { ...init, headers: { ...auth, ...init.headers } }); return [r.status, r.headers.get('x-amzn-errortype')]; };
       return {
         list: await call('/2015-03-31/functions'),
         remove: await call('/2015-03-31/functions/control-victim', { method: 'DELETE' }),
         apis: await call('/restapis', { headers: { authorization: auth.authorization.replace('/lambda/', '/apigateway/') } }),
         reset: await call('/_gatehouse/reset', { method: 'POST', headers: { 'x-gatehouse-confirm': 'reset' } }),
       };`,
    );
    const r = json((await invoke('control-caller', { endpoint: gh.endpoint })).Payload);
    const refused = [403, 'UnrecognizedClientException'];
    assert.deepEqual(r, { list: refused, remove: refused, apis: refused, reset: refused });
    assert.equal(decode((await invoke('control-victim')).Payload), '"still here"');
    await healthy();
  });
});

describe('output', () => {
  test('100 MB written without a newline: the invocation returns in time, its slot is released, the server stays small', async () => {
    // 512 MB: the function's own stream buffers hold what the pipe has not taken yet.
    await attacker('flood', `const chunk = 'x'.repeat(1024 * 1024); for (let i = 0; i < 100; i++) process.stdout.write(chunk); return 'done';`, { timeout: 30, memory: 512 });
    await gh.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'flood', ReservedConcurrentExecutions: 1 }));
    const rssBefore = process.memoryUsage().rss;
    const started = Date.now();
    const out = await invoke('flood');
    assert.ok(Date.now() - started < 30_000);
    assert.equal(out.FunctionError, undefined);
    assert.equal(decode(out.Payload), '"done"');
    // The line is cut to 256 KB (in this invocation's log, or after its END when the output outran the result).
    const logFile = join(gh.dataDir, 'functions/us-east-1/flood/function.log');
    const cut = /^x{262144} \[Gatehouse: 104595456 more characters of this line cut; lines are limited to 262144\]$/m;
    for (let i = 0; i < 500 && !(existsSync(logFile) && cut.test(readFileSync(logFile, 'latin1'))); i++) await new Promise((r) => setTimeout(r, 20));
    assert.match(readFileSync(logFile, 'latin1'), cut);
    assert.ok(process.memoryUsage().rss - rssBefore < 150 * 1024 * 1024, 'the server did not hold the output');
    // The one slot of its reserved concurrency is free again.
    assert.equal(decode((await invoke('flood')).Payload), '"done"');
    await healthy();
  });

  test('a flood of lines is kept to a bounded log per invocation, and a trailing partial line is not lost', async () => {
    await attacker('lines', `const line = 'y'.repeat(1023) + '\\n'; for (let i = 0; i < 20 * 1024; i++) process.stdout.write(line); process.stdout.write('tail without newline'); return 'ok';`, { timeout: 30 });
    const out = await invoke('lines');
    assert.equal(decode(out.Payload), '"ok"');
    const log = logOf(out.LogResult);
    assert.match(log, /Gatehouse: \d+ lines of output dropped \(more than 4194304 characters in one invocation\)\nEND RequestId: /);
    await healthy();
  });
});

describe('without a sandbox', () => {
  test('bubblewrap missing: one line at start naming the fix, and every invocation fails with it', async () => {
    const dataDir = tempDataDir();
    const child = spawn(process.execPath, [join(ROOT, 'src/cli/main.ts'), 'serve', '--port', '0', '--data-dir', dataDir], {
      env: { ...process.env, GATEHOUSE_BWRAP: '/nonexistent/bwrap' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    try {
      while (!/listening on http:\/\/127\.0\.0\.1:(\d+)/.test(output)) {
        if (child.exitCode !== null) assert.fail(output);
        await new Promise((r) => setTimeout(r, 20));
      }
      const endpoint = `http://127.0.0.1:${/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output)![1]}`;
      const warnings = output.split('\n').filter((l) => l.includes('bubblewrap'));
      assert.deepEqual(warnings, [
        'WARNING: Gatehouse cannot run functions: bubblewrap (/nonexistent/bwrap) is not installed; install bubblewrap (`apt-get install bubblewrap`) or start Gatehouse with --unsafe-functions to run functions without a sandbox.',
      ]);
      const { lambda } = clients(endpoint);
      await createFunction(lambda, 'nowhere', { 'index.js': 'exports.handler = async () => 1;' });
      await assert.rejects(lambda.send(new InvokeCommand({ FunctionName: 'nowhere' })), (err: any) => {
        assert.equal(err.name, 'ServiceException');
        assert.equal(err.$metadata.httpStatusCode, 500);
        assert.match(err.message, /bubblewrap .* is not installed; install bubblewrap .* or start Gatehouse with --unsafe-functions/);
        return true;
      });
      lambda.destroy();
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('--unsafe-functions says so at start', async () => {
    const dataDir = tempDataDir();
    const child = spawn(process.execPath, [join(ROOT, 'src/cli/main.ts'), 'serve', '--port', '0', '--data-dir', dataDir, '--unsafe-functions'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    try {
      while (!/listening on http/.test(output)) {
        if (child.exitCode !== null) assert.fail(output);
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.match(output, /^WARNING: --unsafe-functions: functions run unsandboxed, as processes of Gatehouse's own user, and can read and change everything it can\.$/m);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

test('after every attack the server still answers', async () => {
  await healthy();
  assert.ok((gh.gatehouse.services.functions as EmbeddedFunctions).sandbox.mode === 'bwrap');
});

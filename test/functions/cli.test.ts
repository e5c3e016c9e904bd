// The real `aws` CLI against Gatehouse's Lambda API, and `gatehouse functions deploy` with hot reload.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { startGatehouse, TEST_CREDENTIALS, type Running } from '../helpers/gatehouse.ts';
import { json, logOf, zipOf } from './helpers.ts';
import { deployDirectory } from '../../src/cli/functions.ts';

let gh: Running;
let dir: string;
before(async () => {
  gh = await startGatehouse();
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-'));
});
after(async () => {
  await gh.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `aws lambda ...` (asynchronously: the server answering it lives in this process). */
function aws(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn('aws', ['lambda', ...args, '--endpoint-url', gh.endpoint, '--region', 'us-east-1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_PAGER: '',
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

describe('aws CLI', () => {
  test('create-function, invoke with --log-type Tail, get-function-configuration, update, delete', async () => {
    const zipPath = join(dir, 'fn.zip');
    writeFileSync(zipPath, zipOf({ 'index.js': 'exports.handler = async (e) => { console.log("event", JSON.stringify(e)); return { got: e }; };' }));
    const created = await aws('create-function', '--function-name', 'cli-fn', '--runtime', 'nodejs22.x', '--handler', 'index.handler',
      '--role', 'arn:aws:iam::123456789012:role/r', '--zip-file', `fileb://${zipPath}`, '--timeout', '5');
    assert.equal(created.status, 0, created.stderr);
    const cfg = JSON.parse(created.stdout);
    assert.equal(cfg.FunctionArn, 'arn:aws:lambda:us-east-1:123456789012:function:cli-fn');
    assert.equal(cfg.Timeout, 5);
    assert.equal(cfg.State, 'Active');

    const outFile = join(dir, 'out.json');
    const invoked = await aws('invoke', '--function-name', 'cli-fn', '--payload', '{"a":1}', '--log-type', 'Tail', outFile);
    assert.equal(invoked.status, 0, invoked.stderr);
    const meta = JSON.parse(invoked.stdout);
    assert.equal(meta.StatusCode, 200);
    assert.equal(meta.ExecutedVersion, '$LATEST');
    assert.match(logOf(meta.LogResult), /\tINFO\tevent \{"a":1\}\n/);
    assert.deepEqual(JSON.parse(readFileSync(outFile, 'utf8')), { got: { a: 1 } });

    const updated = await aws('update-function-configuration', '--function-name', 'cli-fn', '--environment', 'Variables={STAGE=dev}', '--memory-size', '256');
    assert.equal(updated.status, 0, updated.stderr);
    assert.deepEqual(JSON.parse(updated.stdout).Environment, { Variables: { STAGE: 'dev' } });
    const got = JSON.parse((await aws('get-function-configuration', '--function-name', 'cli-fn')).stdout);
    assert.equal(got.MemorySize, 256);

    const published = JSON.parse((await aws('publish-version', '--function-name', 'cli-fn')).stdout);
    assert.equal(published.Version, '1');
    const alias = JSON.parse((await aws('create-alias', '--function-name', 'cli-fn', '--name', 'live', '--function-version', '1')).stdout);
    assert.equal(alias.AliasArn, 'arn:aws:lambda:us-east-1:123456789012:function:cli-fn:live');
    const perm = await aws('add-permission', '--function-name', 'cli-fn', '--statement-id', 'apigw', '--action', 'lambda:InvokeFunction', '--principal', 'apigateway.amazonaws.com');
    assert.equal(perm.status, 0, perm.stderr);
    assert.equal(JSON.parse(JSON.parse(perm.stdout).Statement).Principal.Service, 'apigateway.amazonaws.com');

    const deleted = await aws('delete-function', '--function-name', 'cli-fn');
    assert.equal(deleted.status, 0, deleted.stderr);
  });

  test('errors exit non-zero with the AWS error code and message', async () => {
    const missing = await aws('get-function', '--function-name', 'nope');
    assert.equal(missing.status, 255);
    assert.match(missing.stderr, /An error occurred \(ResourceNotFoundException\) when calling the GetFunction operation: Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope/);
    const badRuntime = await aws('create-function', '--function-name', 'x', '--runtime', 'java21', '--handler', 'h', '--role', 'arn:aws:iam::123456789012:role/r', '--zip-file', `fileb://${join(dir, 'fn.zip')}`);
    assert.equal(badRuntime.status, 255);
    assert.match(badRuntime.stderr, /InvalidParameterValueException/);
  });
});

describe('gatehouse functions deploy', () => {
  test('a directory function picks up code changes without a restart', async () => {
    const code = join(dir, 'hot');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(code);
    // `boot` is drawn when the module loads: it tells environments apart (pids do not inside the sandbox's namespace).
    writeFileSync(join(code, 'index.js'), 'const boot = Math.random(); exports.handler = async () => ({ version: 1, pid: boot });');
    const r = await deployDirectory({ dir: code, endpoint: gh.endpoint, env: { MODE: 'dev' }, dataDir: gh.dataDir });
    assert.deepEqual(r, { created: true, functionName: 'hot', functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:hot', registeredIn: gh.dataDir });
    const first = json((await gh.lambda.send(new InvokeCommand({ FunctionName: 'hot' }))).Payload);
    assert.equal(first.version, 1);
    assert.equal(json((await gh.lambda.send(new InvokeCommand({ FunctionName: 'hot' }))).Payload).pid, first.pid, 'warm until the code changes');

    writeFileSync(join(code, 'index.js'), 'const boot = Math.random(); exports.handler = async () => ({ version: 2, pid: boot });');
    // The change arrives through fs.watch; wait for it to be seen rather than for a fixed time.
    let now = first;
    for (let i = 0; i < 200 && now.version === 1; i++) {
      await new Promise((res) => setTimeout(res, 10));
      now = json((await gh.lambda.send(new InvokeCommand({ FunctionName: 'hot' }))).Payload);
    }
    assert.equal(now.version, 2);
    assert.notEqual(now.pid, first.pid);

    // Deploying again updates the same function; a published version freezes a copy of the directory.
    const again = await deployDirectory({ dir: code, endpoint: gh.endpoint, timeout: 9, dataDir: gh.dataDir });
    assert.equal(again.created, false);
    const { PublishVersionCommand } = await import('@aws-sdk/client-lambda');
    await gh.lambda.send(new PublishVersionCommand({ FunctionName: 'hot' }));
    writeFileSync(join(code, 'index.js'), 'exports.handler = async () => ({ version: 3 });');
    for (let i = 0; i < 200 && now.version !== 3; i++) {
      await new Promise((res) => setTimeout(res, 10));
      now = json((await gh.lambda.send(new InvokeCommand({ FunctionName: 'hot' }))).Payload);
    }
    assert.equal(now.version, 3);
    assert.equal(json((await gh.lambda.send(new InvokeCommand({ FunctionName: 'hot', Qualifier: '1' }))).Payload).version, 2);
  });
});

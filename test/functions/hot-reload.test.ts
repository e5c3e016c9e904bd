// Hot reload of `gatehouse functions deploy DIR` (issue 9): every kind of save editors make reloads the function,
// and the next invocation answers with the new code. A short debounce (20 ms) keeps the waits short; each save is
// followed by one wait and one invocation, never by polling until the answer changes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateFunctionCommand, DeleteFunctionCommand, InvokeCommand, UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { ROOT, startGatehouse, tempDataDir, type Running } from '../helpers/gatehouse.ts';
import { json, ROLE } from './helpers.ts';

const DEBOUNCE_MS = 20;
/** Long enough for the watch event and the debounce's trailing reload, with room for a loaded machine. */
const SETTLE_MS = 250;

let gh: Running;
let dataDir: string;
let work: string;
let code: string;
const savedDebounce = process.env.GATEHOUSE_LAMBDA_HOT_RELOAD_DEBOUNCE_MS;

/** A handler answering `version`, and `boot`, drawn when the module loads (it tells environments apart). */
const handler = (version: number, extra = '') => `${extra}const boot = Math.random(); exports.handler = async () => ({ version: ${version}, boot });\n`;

async function invoke(name = 'site'): Promise<{ version: number; boot: number; lib?: string }> {
  const out = await gh.lambda.send(new InvokeCommand({ FunctionName: name }));
  assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
  return json(out.Payload);
}

const settle = () => new Promise((r) => setTimeout(r, SETTLE_MS));

/** Runs `gatehouse functions deploy` as a user does; resolves with its exit code and output. */
function deployCli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'src/cli/main.ts'), 'functions', 'deploy', ...args, '--endpoint-url', gh.endpoint], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (c) => resolve({ code: c, stdout, stderr })));
}

before(async () => {
  process.env.GATEHOUSE_LAMBDA_HOT_RELOAD_DEBOUNCE_MS = String(DEBOUNCE_MS);
  dataDir = tempDataDir();
  work = mkdtempSync(join(tmpdir(), 'gatehouse-hot-'));
  mkdirSync(join(work, 'allowed'));
  gh = await startGatehouse({ dataDir, config: { hotReloadRoots: [join(work, 'allowed')] } });
  code = join(work, 'site');
  mkdirSync(code);
  writeFileSync(join(code, 'index.js'), handler(1));
});

after(async () => {
  await gh.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
  if (savedDebounce === undefined) delete process.env.GATEHOUSE_LAMBDA_HOT_RELOAD_DEBOUNCE_MS;
  else process.env.GATEHOUSE_LAMBDA_HOT_RELOAD_DEBOUNCE_MS = savedDebounce;
});

describe('gatehouse functions deploy DIR', () => {
  test('a directory the server does not allow is refused, naming --hot-reload-root, on one line', async () => {
    const r = await deployCli(code, '--data-dir', join(work, 'not-a-data-dir'));
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      `gatehouse: Hot reload from ${code} is not allowed: start Gatehouse with --hot-reload-root ${code} (or a parent directory), ` +
        `or deploy it with "gatehouse functions deploy ${code} --data-dir ${gh.dataDir}".\n`,
    );
  });

  test('deploy registers the directory in the data directory and creates the function', async () => {
    const r = await deployCli(code, '--data-dir', gh.dataDir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^Created arn:aws:lambda:us-east-1:123456789012:function:site from ${code} \\(changes are picked up on the next invocation\\)\n`));
    const first = await invoke();
    assert.equal(first.version, 1);
    assert.equal((await invoke()).boot, first.boot, 'warm while nothing changes');
  });

  test('write in place', async () => {
    writeFileSync(join(code, 'index.js'), handler(2));
    await settle();
    assert.equal((await invoke()).version, 2);
  });

  test('write to a temporary file, then rename over (atomic save)', async () => {
    writeFileSync(join(code, '.index.js.tmp'), handler(3));
    renameSync(join(code, '.index.js.tmp'), join(code, 'index.js'));
    await settle();
    assert.equal((await invoke()).version, 3);
  });

  test("vim's save: rename the original to a backup, write a new file, delete the backup", async () => {
    renameSync(join(code, 'index.js'), join(code, 'index.js~'));
    writeFileSync(join(code, 'index.js'), handler(4));
    unlinkSync(join(code, 'index.js~'));
    await settle();
    assert.equal((await invoke()).version, 4);
  });

  test('delete, then create', async () => {
    unlinkSync(join(code, 'index.js'));
    writeFileSync(join(code, 'index.js'), handler(5));
    await settle();
    assert.equal((await invoke()).version, 5);
  });

  test('a file in a directory created after the deploy', async () => {
    mkdirSync(join(code, 'lib'));
    writeFileSync(join(code, 'lib', 'answer.js'), 'module.exports = "one";');
    writeFileSync(join(code, 'index.js'), "const lib = require('./lib/answer.js');\n" + handler(6).replace('boot })', 'boot, lib })'));
    await settle();
    assert.equal((await invoke()).lib, 'one');
    writeFileSync(join(code, 'lib', 'answer.js'), 'module.exports = "two";');
    await settle();
    assert.equal((await invoke()).lib, 'two');
  });

  test('node_modules is not watched: writing there does not reload', async () => {
    const before = await invoke();
    mkdirSync(join(code, 'node_modules', 'dep'), { recursive: true });
    writeFileSync(join(code, 'node_modules', 'dep', 'index.js'), 'module.exports = 1;');
    await settle();
    // The directory's creation is a change at the top (a reload); what is written inside it afterwards is not.
    const afterCreate = await invoke();
    writeFileSync(join(code, 'node_modules', 'dep', 'index.js'), 'module.exports = 2;');
    await settle();
    assert.equal((await invoke()).boot, afterCreate.boot);
    assert.equal(afterCreate.version, before.version);
  });

  test('the whole directory removed and created again (a clean build): reloads, and keeps watching the new one', async () => {
    rmSync(code, { recursive: true });
    mkdirSync(code);
    writeFileSync(join(code, 'index.js'), handler(7));
    await settle();
    assert.equal((await invoke()).version, 7);
    await settle(); // the new directory is watched from the invocation that found it replaced
    writeFileSync(join(code, 'index.js'), handler(8));
    await settle();
    assert.equal((await invoke()).version, 8);
  });

  test('published versions (CreateFunction and UpdateFunctionCode with Publish) keep the code they were published with', async () => {
    const dir = join(work, 'allowed', 'versioned');
    mkdirSync(dir);
    writeFileSync(join(dir, 'index.js'), handler(1));
    const hot = { S3Bucket: 'hot-reload', S3Key: dir };
    const created = await gh.lambda.send(
      new CreateFunctionCommand({ FunctionName: 'versioned', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: hot, Publish: true }),
    );
    assert.equal(created.Version, '1');
    writeFileSync(join(dir, 'index.js'), handler(2));
    const updated = await gh.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'versioned', ...hot, Publish: true }));
    assert.equal(updated.Version, '2');
    writeFileSync(join(dir, 'index.js'), handler(3));
    await settle();
    const at = async (q?: string) => json((await gh.lambda.send(new InvokeCommand({ FunctionName: 'versioned', Qualifier: q }))).Payload).version;
    assert.deepEqual([await at('1'), await at('2'), await at()], [1, 2, 3]);
    await gh.lambda.send(new DeleteFunctionCommand({ FunctionName: 'versioned' }));
  });

  test('after a restart: the registered directory still runs, and is watched again', async () => {
    await gh.stop();
    gh = await startGatehouse({ dataDir, config: { hotReloadRoots: [join(work, 'allowed')] } });
    assert.equal((await invoke()).version, 8);
    writeFileSync(join(code, 'index.js'), handler(9));
    await settle();
    assert.equal((await invoke()).version, 9);
  });
});

// Pinned attacks on function code storage (issue 8, "bounded resources"), each through the Lambda API as a client
// sends it, each asserting AWS's error and a server that keeps answering:
// - a zip bomb whose central directory under-declares its sizes (it blocked the server for 25 s when inflated
//   synchronously): inflated off the event loop, stopped at Lambda's 250 MB on the bytes that come out;
// - a direct upload over Lambda's 50 MB (its request limit, 69,905,067 bytes);
// - zip slip, keeping the Unix modes of honest entries;
// - hot reload from any host directory (`/usr` took 136k inotify watches): only under --hot-reload-root, never the
//   data directory, watches bounded and released on DeleteFunction and on a code update;
// - PublishVersion of a hot-reload directory copies at most 250 MB, off the event loop.
// The server runs as a child process, so its event loop is measured alone.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, crc32, deflateRawSync } from 'node:zlib';
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  InvokeCommand,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { rejects } from '../helpers/aws-assert.ts';
import { clients, spawnGatehouse, tempDataDir, type Spawned } from '../helpers/gatehouse.ts';
import { ROLE, zipOf } from '../functions/helpers.ts';

const MB = 1024 * 1024;
const UNZIPPED_TOO_LARGE = 'Unzipped size must be smaller than 262144000 bytes';
const BAD_ZIP = 'Could not unzip uploaded file. Please check your file, then try to upload again.';

interface RawEntry {
  name: string;
  /** Deflated data (method 8) or, with `stored`, the bytes themselves. */
  data: Uint8Array;
  stored?: boolean;
  crc: number;
  /** The sizes the headers claim: the attack makes them small. */
  declaredSize: number;
  mode?: number;
}

/** A zip written field by field, so its headers can say whatever the attack needs. */
function rawZip(entries: RawEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.stored ? 0 : 8, 8);
    local.writeUInt32LE(e.crc >>> 0, 14);
    local.writeUInt32LE(e.data.byteLength, 18);
    local.writeUInt32LE(e.declaredSize, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(e.stored ? 0 : 8, 10);
    central.writeUInt32LE(e.crc >>> 0, 16);
    central.writeUInt32LE(e.data.byteLength, 20);
    central.writeUInt32LE(e.declaredSize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((e.mode ?? 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, Buffer.from(e.data));
    centrals.push(central, name);
    offset += 30 + name.length + e.data.byteLength;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/**
 * A deflate stream of `megabytes` MB of zeros built without compressing them: one fully flushed block of 1 MB of
 * zeros (about 1 KB, independent of what precedes it) repeated, then an empty final block.
 */
function zerosDeflated(megabytes: number): Buffer {
  const block = deflateRawSync(Buffer.alloc(MB), { finishFlush: constants.Z_FULL_FLUSH });
  return Buffer.concat([...Array<Buffer>(megabytes).fill(block), Buffer.from([0x03, 0x00])]);
}

let server: Spawned;
let lambda: LambdaClient;
let dataDir: string;
let work: string;
let root: string;

async function health(): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${server.endpoint}/_gatehouse/health`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { status: 'ok' });
  return performance.now() - started;
}

/**
 * Runs `attack` while asking /_gatehouse/health again and again (each must answer 200); returns the slowest answer
 * (ms) among those asked while `processing()` held, and how many those were. The request's own reading and JSON
 * parsing come before the code is processed and are not what is measured.
 */
async function whileHealthy(attack: Promise<unknown>, processing: () => boolean): Promise<{ slowest: number; checks: number }> {
  let done = false;
  const settled = attack.then(
    () => (done = true),
    () => (done = true),
  );
  let slowest = 0;
  let checks = 0;
  while (!done) {
    const during = processing();
    const took = await health();
    if (during && processing()) {
      slowest = Math.max(slowest, took);
      checks++;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  await settled;
  return { slowest, checks };
}

/**
 * How fast /_gatehouse/health must answer during an attack: within 200 ms, the bound. On a machine so loaded
 * that health answers take longer with no attack at all (CI runners, the shared machines of development), twice the
 * slowest of 20 answers measured just before. A server blocked by the attack (25 s before the fix) fails either way.
 */
async function healthBound(): Promise<number> {
  let slowest = 0;
  for (let i = 0; i < 20; i++) {
    slowest = Math.max(slowest, await health());
    await new Promise((r) => setTimeout(r, 5));
  }
  return Math.max(200, 2 * slowest);
}

/** Whether code is being written for the function (one of the worker's temporary directories exists). */
function unpacking(name: string): () => boolean {
  const dir = join(dataDir, 'functions', 'us-east-1', name);
  const busy = (d: string, depth: number): boolean =>
    existsSync(d) && readdirSync(d).some((n) => n.includes('.tmp-') || (depth > 0 && n.startsWith('snapshot-') && busy(join(d, n), depth - 1)));
  return () => busy(dir, 1);
}

/** inotify watches held by a process (one `inotify wd:` line per watch in its inotify descriptors' fdinfo). */
function inotifyWatches(pid: number): number {
  let n = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    let target = '';
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue;
    }
    if (target !== 'anon_inode:inotify') continue;
    n += readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8').split('\n').filter((l) => l.startsWith('inotify wd:')).length;
  }
  return n;
}

function leftovers(): string[] {
  const dir = join(dataDir, 'functions');
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string, depth: number) => {
    for (const name of readdirSync(d)) {
      if (name.includes('.tmp-')) out.push(join(d, name));
      else if (depth < 3 && statSync(join(d, name)).isDirectory()) walk(join(d, name), depth + 1);
    }
  };
  walk(dir, 0);
  return out;
}

const create = (name: string, code: { ZipFile?: Uint8Array; S3Bucket?: string; S3Key?: string }) =>
  lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: code }));

before(async () => {
  dataDir = tempDataDir();
  work = mkdtempSync(join(tmpdir(), 'gatehouse-code-'));
  root = join(work, 'allowed');
  mkdirSync(root);
  server = await spawnGatehouse({
    dataDir,
    env: { GATEHOUSE_HOT_RELOAD_ROOTS: root, GATEHOUSE_LAMBDA_HOT_RELOAD_MAX_DIRS: '20', GATEHOUSE_LAMBDA_HOT_RELOAD_MAX_WATCHES: '30' },
  });
  lambda = clients(server.endpoint).lambda;
});

after(async () => {
  lambda.destroy();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

describe('zip uploads', () => {
  test('a 7.7 MB zip bomb whose central directory under-declares its size: refused at 250 MB, health answers within 200 ms meanwhile', async () => {
    const data = zerosDeflated(7400); // 7.4 GB of zeros in about 7.7 MB
    assert.ok(data.byteLength > 7 * MB && data.byteLength < 8 * MB, `bomb size ${data.byteLength}`);
    const bomb = rawZip([{ name: 'index.js', data, crc: 0, declaredSize: 1000 }]);
    const bound = await healthBound();
    const attack = create('bomb', { ZipFile: bomb });
    const { slowest, checks } = await whileHealthy(attack, unpacking('bomb'));
    await rejects(attack, 'InvalidParameterValueException', 400, UNZIPPED_TOO_LARGE);
    assert.ok(checks >= 2, `health asked ${checks} times while the bomb was inflated`);
    assert.ok(slowest < bound, `slowest health answer ${slowest.toFixed(0)} ms (bound ${bound.toFixed(0)} ms)`);
    await rejects(lambda.send(new GetFunctionCommand({ FunctionName: 'bomb' })), 'ResourceNotFoundException', 404, /Function not found/);
    assert.deepEqual(leftovers(), []);
    await health();
  });

  test('entries that are each small but together pass 250 MB: the limit counts the bytes of all of them', async () => {
    const data = zerosDeflated(20);
    const crc = crc32(Buffer.alloc(20 * MB));
    const entries = Array.from({ length: 13 }, (_, i) => ({ name: `part${i}.bin`, data, crc, declaredSize: 20 * MB }));
    await rejects(create('bomb-parts', { ZipFile: rawZip(entries) }), 'InvalidParameterValueException', 400, UNZIPPED_TOO_LARGE);
    assert.deepEqual(leftovers(), []);
    await health();
  });

  test('honest headers declaring more than 250 MB unzipped: refused the same way', async () => {
    const data = zerosDeflated(251);
    await rejects(create('big', { ZipFile: rawZip([{ name: 'big.bin', data, crc: 0, declaredSize: 251 * MB }]) }), 'InvalidParameterValueException', 400, UNZIPPED_TOO_LARGE);
    await health();
  });

  test('sizes or CRC that do not match the data: not a zip Lambda would unpack', async () => {
    const text = Buffer.from('exports.handler = async () => 1;');
    const data = deflateRawSync(text);
    const lying = rawZip([{ name: 'index.js', data, crc: crc32(text), declaredSize: text.length - 1 }]);
    await rejects(create('lying', { ZipFile: lying }), 'InvalidParameterValueException', 400, BAD_ZIP);
    const badCrc = rawZip([{ name: 'index.js', data, crc: crc32(text) ^ 1, declaredSize: text.length }]);
    await rejects(create('crc', { ZipFile: badCrc }), 'InvalidParameterValueException', 400, BAD_ZIP);
    const honest = rawZip([{ name: 'index.js', data, crc: crc32(text), declaredSize: text.length }]);
    const created = await create('honest', { ZipFile: honest });
    assert.equal(created.CodeSize, honest.length);
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'honest' }));
  });

  test('a direct upload of 50 MB or more: RequestEntityTooLargeException, as Lambda answers', async () => {
    const zip = Buffer.alloc(52_428_800, 1); // 50 MB exactly: its base64 is 69,905,068 bytes
    await rejects(create('huge', { ZipFile: zip }), 'RequestEntityTooLargeException', 413, 'Request must be smaller than 69905067 bytes for the CreateFunction operation');
    const fn = await create('small', { ZipFile: zipOf({ 'index.js': 'exports.handler = async () => 1;' }) });
    assert.equal(fn.FunctionName, 'small');
    await rejects(
      lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'small', ZipFile: zip })),
      'RequestEntityTooLargeException',
      413,
      'Request must be smaller than 69905067 bytes for the UpdateFunctionCode operation',
    );
    // Far over: refused while the body streams in (never buffered or parsed), with the same answer.
    await rejects(create('huger', { ZipFile: Buffer.alloc(60 * MB, 1) }), 'RequestEntityTooLargeException', 413, 'Request must be smaller than 69905067 bytes for the CreateFunction operation');
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'small' }));
    await health();
  });

  test('zip slip is refused; honest entries keep their Unix modes', async () => {
    const text = Buffer.from('pwned');
    const entry = (name: string) => ({ name, data: text, stored: true, crc: crc32(text), declaredSize: text.length });
    for (const name of ['../escaped.js', '/tmp/escaped.js', 'a/../../escaped.js', 'a\\..\\..\\escaped.js']) {
      await rejects(create('slip', { ZipFile: rawZip([entry(name)]) }), 'InvalidParameterValueException', 400, BAD_ZIP);
    }
    assert.equal(existsSync(join(dataDir, 'functions', 'us-east-1', 'escaped.js')), false);
    assert.equal(existsSync('/tmp/escaped.js'), false);

    const zip = zipOf({ 'bootstrap': '#!/bin/sh\n', 'lib/data.txt': 'x' }, ['bootstrap']);
    await create('modes', { ZipFile: zip });
    const got = await lambda.send(new GetFunctionCommand({ FunctionName: 'modes' }));
    const task = join(new URL(got.Code!.Location!).pathname, '..', 'task');
    assert.equal(statSync(join(task, 'bootstrap')).mode & 0o777, 0o755);
    assert.equal(statSync(join(task, 'lib', 'data.txt')).mode & 0o777, 0o644);

    // A symbolic link pointing out of the package becomes a plain file holding its target's text.
    const target = Buffer.from('/etc/passwd');
    const link = { name: 'passwd', data: target, stored: true, crc: crc32(target), declaredSize: target.length, mode: 0o120777 };
    await create('link', { ZipFile: rawZip([link]) });
    const linked = await lambda.send(new GetFunctionCommand({ FunctionName: 'link' }));
    const file = join(new URL(linked.Code!.Location!).pathname, '..', 'task', 'passwd');
    assert.equal(lstatSync(file).isFile(), true);
    assert.equal(lstatSync(file).mode & 0o777, 0o644);
    assert.equal(readFileSync(file, 'utf8'), '/etc/passwd');
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'link' }));
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'modes' }));
  });
});

describe('hot reload', () => {
  const hot = (dir: string) => ({ S3Bucket: 'hot-reload', S3Key: dir });

  test('/usr and other directories outside --hot-reload-root are refused, naming the flag, and take no watch', async () => {
    const before = inotifyWatches(server.child.pid!);
    for (const dir of ['/usr', '/etc', work]) {
      await rejects(create('usr', hot(dir)), 'InvalidParameterValueException', 400, new RegExp(`^Hot reload from ${dir} is not allowed: start Gatehouse with --hot-reload-root `));
    }
    // A link under an allowed root is followed before the check.
    symlinkSync('/usr', join(root, 'usr-link'));
    await rejects(create('usr', hot(join(root, 'usr-link'))), 'InvalidParameterValueException', 400, /^Hot reload from .*usr-link is not allowed: start Gatehouse with --hot-reload-root \/usr /);
    await rejects(create('usr', hot('relative/dir')), 'InvalidParameterValueException', 400, 'S3Key of the hot-reload bucket must be an absolute path to an existing directory: relative/dir');
    assert.equal(inotifyWatches(server.child.pid!), before);
    await health();
  });

  test("Gatehouse's data directory, or a directory holding it, is never code", async () => {
    await rejects(
      create('data', hot(dataDir)),
      'InvalidParameterValueException',
      400,
      `Hot reload from ${dataDir} is not allowed: it is or holds Gatehouse's data directory (${dataDir}). ` +
        'Start Gatehouse with a --data-dir outside the code, or deploy a directory that does not hold it.',
    );
    mkdirSync(join(dataDir, 'inside'), { recursive: true });
    await rejects(create('data', hot(join(dataDir, 'inside'))), 'InvalidParameterValueException', 400, /is or holds Gatehouse's data directory/);
    await rejects(create('data', hot('/')), 'InvalidParameterValueException', 400, /^Hot reload from \/ is not allowed: it is or holds Gatehouse's data directory/);
  });

  test('watches are bounded per function and in all, and released on DeleteFunction and on a code update', async () => {
    const base = inotifyWatches(server.child.pid!);
    const big = join(root, 'big');
    for (let i = 0; i < 25; i++) mkdirSync(join(big, `d${i}`), { recursive: true });
    mkdirSync(join(big, 'node_modules', 'dep', 'lib'), { recursive: true }); // not watched
    await rejects(
      create('big', hot(big)),
      'InvalidParameterValueException',
      400,
      `Hot reload from ${big} would watch more than 20 directories (node_modules and .git are not watched): deploy a smaller directory (the build output, for instance) or upload a zip.`,
    );
    assert.equal(inotifyWatches(server.child.pid!), base);

    const a = join(root, 'a');
    for (let i = 0; i < 14; i++) mkdirSync(join(a, `d${i}`), { recursive: true });
    mkdirSync(join(a, 'node_modules', 'dep'), { recursive: true });
    await create('a', hot(a));
    assert.equal(inotifyWatches(server.child.pid!), base + 15);
    const b = join(root, 'b');
    for (let i = 0; i < 19; i++) mkdirSync(join(b, `d${i}`), { recursive: true });
    await rejects(
      create('b', hot(b)),
      'InvalidParameterValueException',
      400,
      `Hot reload from ${b} needs 20 directory watches, but 15 of the 30 Gatehouse allows are in use: delete hot-reload functions you no longer need, or upload a zip.`,
    );
    // A second function on the same directory shares its watches.
    await create('a2', hot(a));
    assert.equal(inotifyWatches(server.child.pid!), base + 15);
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'a' }));
    assert.equal(inotifyWatches(server.child.pid!), base + 15);
    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'a2', ZipFile: zipOf({ 'index.js': 'exports.handler = async () => 1;' }) }));
    assert.equal(inotifyWatches(server.child.pid!), base);
    await create('b', hot(b));
    assert.equal(inotifyWatches(server.child.pid!), base + 20);
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'b' }));
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'a2' }));
    assert.equal(inotifyWatches(server.child.pid!), base);
    await health();
  });

  test('PublishVersion copies at most 250 MB, off the event loop', async () => {
    const dir = join(root, 'fat');
    mkdirSync(dir);
    writeFileSync(join(dir, 'index.js'), 'exports.handler = async () => "v1";');
    await create('fat', hot(dir));
    const published = await lambda.send(new PublishVersionCommand({ FunctionName: 'fat' }));
    assert.equal(published.Version, '1');

    writeFileSync(join(dir, 'blob.bin'), '');
    truncateSync(join(dir, 'blob.bin'), 300 * MB); // sparse: 300 MB to read, nothing on disk
    const bound = await healthBound();
    const attack = lambda.send(new PublishVersionCommand({ FunctionName: 'fat' }));
    const { slowest, checks } = await whileHealthy(attack, unpacking('fat'));
    await rejects(attack, 'InvalidParameterValueException', 400, UNZIPPED_TOO_LARGE);
    assert.ok(checks >= 2, `health asked ${checks} times while the directory was copied`);
    assert.ok(slowest < bound, `slowest health answer ${slowest.toFixed(0)} ms (bound ${bound.toFixed(0)} ms)`);
    const fnDir = join(dataDir, 'functions', 'us-east-1', 'fat');
    assert.equal(readdirSync(fnDir).filter((n) => /^snapshot-[0-9a-f-]+$/.test(n)).length, 1, 'only version 1 has a copy');
    assert.deepEqual(leftovers(), []);
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'fat' }));
    await health();
  });

  test('a function saved from a directory the restarted server no longer allows is not run', async () => {
    const dir = join(root, 'kept');
    mkdirSync(dir);
    writeFileSync(join(dir, 'index.js'), 'exports.handler = async () => "ran";');
    await create('kept', hot(dir));
    lambda.destroy();
    await server.stop();
    server = await spawnGatehouse({ dataDir }); // no --hot-reload-root this time
    lambda = clients(server.endpoint).lambda;
    const before = inotifyWatches(server.child.pid!);
    for (let i = 0; i < 2; i++) {
      await rejects(
        lambda.send(new InvokeCommand({ FunctionName: 'kept' })),
        'InvalidParameterValueException',
        400,
        `Hot reload from ${dir} is not allowed: start Gatehouse with --hot-reload-root ${dir} (or a parent directory), or deploy it with "gatehouse functions deploy ${dir} --data-dir ${dataDir}".`,
      );
    }
    assert.equal(inotifyWatches(server.child.pid!), before);
    await health();
  });
});

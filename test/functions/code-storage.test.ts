// Deployment packages as real tools write them, unpacked by the code worker: Info-ZIP's zip(1) (plain, forced
// ZIP64, streamed from stdin with data descriptors), Python's zipfile, and ZIP64 end records as archives of more than
// 65,535 entries carry them. Checked on the unpacked task directory: same files, same bytes, same Unix modes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateFunctionCommand, GetFunctionCommand } from '@aws-sdk/client-lambda';
import { startGatehouse, type Running } from '../helpers/gatehouse.ts';
import { ROLE } from './helpers.ts';

let gh: Running;
let work: string;
let src: string;

before(async () => {
  gh = await startGatehouse();
  work = mkdtempSync(join(tmpdir(), 'gatehouse-zips-'));
  src = join(work, 'src');
  mkdirSync(join(src, 'lib', 'deep'), { recursive: true });
  writeFileSync(join(src, 'index.js'), 'exports.handler = async () => "ok";\n');
  writeFileSync(join(src, 'bootstrap'), '#!/bin/sh\necho hi\n');
  chmodSync(join(src, 'bootstrap'), 0o755);
  writeFileSync(join(src, 'lib', 'deep', 'data.bin'), randomBytes(200_000)); // incompressible: the zips pass 64 KB
  chmodSync(join(src, 'lib', 'deep', 'data.bin'), 0o600);
});

after(async () => {
  await gh.stop();
  rmSync(work, { recursive: true, force: true });
});

/**
 * The same archive with its end of central directory in ZIP64 form: a ZIP64 end record and locator, then the classic
 * record with its count and offset set to "see ZIP64" (0xFFFF, 0xFFFFFFFF), as writers do past 65,535 entries.
 */
function zip64EndRecords(zip: Buffer): Buffer {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(eocd + 10);
  const size = zip.readUInt32LE(eocd + 12);
  const offset = zip.readUInt32LE(eocd + 16);
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  record.writeBigUInt64LE(44n, 4);
  record.writeUInt16LE((3 << 8) | 45, 12);
  record.writeUInt16LE(45, 14);
  record.writeBigUInt64LE(BigInt(count), 24);
  record.writeBigUInt64LE(BigInt(count), 32);
  record.writeBigUInt64LE(BigInt(size), 40);
  record.writeBigUInt64LE(BigInt(offset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(eocd), 8);
  locator.writeUInt32LE(1, 16);
  const end = Buffer.from(zip.subarray(eocd, eocd + 22));
  end.writeUInt16LE(0xffff, 8);
  end.writeUInt16LE(0xffff, 10);
  end.writeUInt32LE(0xffffffff, 16);
  return Buffer.concat([zip.subarray(0, eocd), record, locator, end]);
}

/** Uploads a zip and returns the directory it was unpacked into. */
async function unpacked(name: string, zip: Buffer): Promise<string> {
  const sha = createHash('sha256').update(zip).digest('base64');
  const size = zip.length;
  const created = await gh.lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zip } }));
  assert.equal(created.CodeSize, size);
  assert.equal(created.CodeSha256, sha);
  const got = await gh.lambda.send(new GetFunctionCommand({ FunctionName: name }));
  return join(new URL(got.Code!.Location!).pathname, '..', 'task');
}

function assertSameTree(task: string): void {
  assert.deepEqual(readdirSync(task).sort(), ['bootstrap', 'index.js', 'lib']);
  for (const file of ['index.js', 'bootstrap', join('lib', 'deep', 'data.bin')]) {
    assert.deepEqual(readFileSync(join(task, file)), readFileSync(join(src, file)), file);
    assert.equal(statSync(join(task, file)).mode & 0o777, statSync(join(src, file)).mode & 0o777, `mode of ${file}`);
  }
}

describe('packages from real tools', () => {
  test("Info-ZIP's zip -r", async () => {
    execFileSync('zip', ['-q', '-r', join(work, 'plain.zip'), '.'], { cwd: src });
    assertSameTree(await unpacked('plain', readFileSync(join(work, 'plain.zip'))));
  });

  test('zip -fz (ZIP64 extra fields)', async () => {
    execFileSync('zip', ['-q', '-r', '-fz', join(work, 'z64.zip'), '.'], { cwd: src });
    assertSameTree(await unpacked('z64', readFileSync(join(work, 'z64.zip'))));
  });

  test('zip streamed from stdin (sizes in data descriptors after the data)', async () => {
    const zip = execFileSync('zip', ['-q', '-', '-'], { input: readFileSync(join(src, 'index.js')) });
    const task = await unpacked('streamed', zip);
    assert.deepEqual(readFileSync(join(task, '-')), readFileSync(join(src, 'index.js')));
  });

  test("Python's zipfile", async () => {
    const out = join(work, 'py.zip');
    execFileSync('python3', ['-c', `
import zipfile, os
with zipfile.ZipFile(${JSON.stringify(out)}, 'w', zipfile.ZIP_DEFLATED) as z:
    for f in ['index.js', 'bootstrap', 'lib/deep/data.bin']:
        z.write(os.path.join(${JSON.stringify(src)}, f), f)
`]);
    assertSameTree(await unpacked('py', readFileSync(out)));
  });

  test('ZIP64 end of central directory records (what archives of more than 65,535 entries carry)', async () => {
    execFileSync('zip', ['-q', '-r', join(work, 'for64.zip'), '.'], { cwd: src });
    assertSameTree(await unpacked('eocd64', zip64EndRecords(readFileSync(join(work, 'for64.zip')))));
  });
});

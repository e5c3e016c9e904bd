// Function code on disk: each uploaded zip is kept as uploaded and unpacked (fflate) into its own directory,
// `${dataDir}/functions/${region}/${name}/${sha256hex}/{code.zip,task/}`, which becomes LAMBDA_TASK_ROOT.
// Content-addressed per function, so versions that share code share the directory.
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import { unzipSync } from 'fflate';
import { InvalidParameterValueException, RequestTooLargeException } from '../aws/errors.ts';
import type { CodeLocation } from './records.ts';

/** Lambda's quota for the unzipped deployment package. */
export const MAX_UNZIPPED_BYTES = 262_144_000;
/** Lambda's quota for a zip uploaded directly in the request. */
export const MAX_ZIP_BYTES = 52_428_800;
/** The request size Lambda names when a direct upload is too large (the zip's base64 in JSON). */
const MAX_REQUEST_BYTES = 69_905_067;

export interface StoredCode {
  location: CodeLocation;
  CodeSha256: string;
  CodeSize: number;
}

export function codeSha256(zip: Uint8Array): string {
  return createHash('sha256').update(zip).digest('base64');
}

export class CodeStorage {
  readonly dataDir: string;
  constructor(dataDir: string) {
    this.dataDir = dataDir;
  }

  functionDir(region: string, name: string): string {
    return join('functions', region, name);
  }

  /** Validates, unpacks and keeps a zip; returns where it lives. */
  store(region: string, name: string, zip: Uint8Array, operation: string): StoredCode {
    if (zip.byteLength > MAX_ZIP_BYTES) {
      throw new RequestTooLargeException(`Request must be smaller than ${MAX_REQUEST_BYTES} bytes for the ${operation} operation`);
    }
    const entries = readZip(zip);
    const sha = createHash('sha256').update(zip).digest();
    const rel = join(this.functionDir(region, name), sha.toString('hex'));
    const abs = join(this.dataDir, rel);
    const location: CodeLocation = { kind: 'zip', dir: join(rel, 'task'), zipFile: join(rel, 'code.zip') };
    const stored = { location, CodeSha256: sha.toString('base64'), CodeSize: zip.byteLength };
    if (existsSync(join(abs, 'task'))) return stored;
    // Unpack beside the final place, then rename: a crash never leaves a half-written task directory.
    const tmp = `${abs}.tmp-${process.pid}-${Date.now()}`;
    const task = join(tmp, 'task');
    mkdirSync(task, { recursive: true });
    for (const e of entries) {
      const target = join(task, e.path);
      if (e.directory) {
        mkdirSync(target, { recursive: true });
        continue;
      }
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, e.data);
      if (e.mode) chmodSync(target, e.mode & 0o777);
    }
    writeFileSync(join(tmp, 'code.zip'), zip);
    mkdirSync(dirname(abs), { recursive: true });
    try {
      renameSync(tmp, abs);
    } catch {
      rmSync(tmp, { recursive: true, force: true }); // a concurrent upload of the same zip won the race
    }
    return stored;
  }

  /** A published version of a directory function gets a frozen copy of the directory, as a zip version is frozen. */
  snapshot(region: string, name: string, dir: string, version: string): CodeLocation {
    const rel = join(this.functionDir(region, name), `version-${version}`, 'task');
    const abs = join(this.dataDir, rel);
    rmSync(abs, { recursive: true, force: true });
    mkdirSync(dirname(abs), { recursive: true });
    cpSync(dir, abs, { recursive: true, dereference: false });
    return { kind: 'zip', dir: rel };
  }

  absolute(rel: string): string {
    return join(this.dataDir, rel);
  }

  removeFunction(region: string, name: string): void {
    rmSync(join(this.dataDir, this.functionDir(region, name)), { recursive: true, force: true });
  }

  /** Drops a zip's directory once no version refers to it any more. */
  removeCode(location: CodeLocation): void {
    if (location.kind === 'zip') rmSync(dirname(join(this.dataDir, location.dir)), { recursive: true, force: true });
  }

  sameCode(a: CodeLocation, b: CodeLocation): boolean {
    return a.kind === 'zip' && b.kind === 'zip' ? a.dir === b.dir : a.kind === 'directory' && b.kind === 'directory' && a.path === b.path;
  }

  removeAll(): void {
    rmSync(join(this.dataDir, 'functions'), { recursive: true, force: true });
  }
}

interface ZipEntry {
  path: string;
  directory: boolean;
  mode: number;
  data: Uint8Array;
}

const BAD_ZIP = 'Could not unzip uploaded file. Please check your file, then try to upload again.';

/**
 * Unzips with fflate and reads each entry's Unix mode from the central directory (fflate does not expose it), so
 * a `bootstrap` keeps its executable bit as on Lambda. Entries escaping the task directory are refused.
 */
function readZip(zip: Uint8Array): ZipEntry[] {
  let files: Record<string, Uint8Array>;
  let total = 0;
  try {
    files = unzipSync(zip, {
      filter: (f) => {
        total += f.originalSize;
        if (total > MAX_UNZIPPED_BYTES) throw new InvalidParameterValueException(`Unzipped size must be smaller than ${MAX_UNZIPPED_BYTES} bytes`);
        return true;
      },
    });
  } catch (err) {
    if (err instanceof InvalidParameterValueException) throw err;
    throw new InvalidParameterValueException(BAD_ZIP);
  }
  const modes = centralDirectoryModes(zip);
  const out: ZipEntry[] = [];
  for (const [name, data] of Object.entries(files)) {
    const path = normalize(name);
    if (path.startsWith('..') || path.startsWith(sep) || path.includes(`${sep}..${sep}`)) {
      throw new InvalidParameterValueException(BAD_ZIP);
    }
    out.push({ path, directory: name.endsWith('/'), mode: modes.get(name) ?? 0, data });
  }
  return out;
}

function centralDirectoryModes(zip: Uint8Array): Map<string, number> {
  const modes = new Map<string, number>();
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let eocd = -1;
  for (let i = zip.byteLength - 22; i >= Math.max(0, zip.byteLength - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return modes;
  const count = view.getUint16(eocd + 10, true);
  let p = view.getUint32(eocd + 16, true);
  const decoder = new TextDecoder();
  for (let n = 0; n < count && p + 46 <= zip.byteLength; n++) {
    if (view.getUint32(p, true) !== 0x02014b50) break;
    const madeBy = view.getUint16(p + 4, true) >> 8;
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    const external = view.getUint32(p + 38, true);
    const name = decoder.decode(zip.subarray(p + 46, p + 46 + nameLen));
    if (madeBy === 3) modes.set(name, external >>> 16); // 3 = Unix: the high half is st_mode
    p += 46 + nameLen + extraLen + commentLen;
  }
  return modes;
}

// The code worker: a worker thread (kept by code-storage.ts, one job at a time) that does the heavy, blocking part
// of storing function code, so the server's event loop never waits for it:
//   unpack  hash a zip, inflate it into a fresh directory with Lambda's unzipped-size limit checked on the bytes that
//           actually come out, keep the zip beside it, then rename into place (a crash never leaves half a task dir);
//   copy    freeze a copy of a hot-reload directory for PublishVersion, with the same limit on the bytes copied.
// Files are written with the Unix modes the archive or the source gives them; nothing is ever written through a
// symbolic link (the target directory is new and the unpacker creates none).
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fchmodSync, lstatSync, mkdirSync, openSync, readdirSync, readlinkSync, readSync, renameSync, rmSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { setPriority } from 'node:os';
import { dirname, join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { BadZipError, entryData, inflateEntry, readCentralDirectory, UnzippedTooLargeError } from './zip-archive.ts';

export type CodeJob =
  | { kind: 'unpack'; zip: Uint8Array; /** absolute: the function's code directory */ functionDir: string; maxUnzippedBytes: number }
  | { kind: 'copy'; from: string; /** absolute, must not exist */ to: string; maxBytes: number };

export type CodeJobResult =
  | { ok: true; sha256Hex?: string; bytes: number }
  | { ok: false; error: 'bad-zip' | 'too-large' | 'failed'; detail: string };

async function unpack(job: Extract<CodeJob, { kind: 'unpack' }>): Promise<CodeJobResult> {
  const sha256Hex = createHash('sha256').update(job.zip).digest('hex');
  const final = join(job.functionDir, sha256Hex);
  if (existsSync(join(final, 'task'))) return { ok: true, sha256Hex, bytes: 0 }; // the same bytes were unpacked before
  const entries = readCentralDirectory(job.zip);
  const tmp = `${final}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  const task = join(tmp, 'task');
  let left = job.maxUnzippedBytes - 1; // "Unzipped size must be smaller than" the limit
  try {
    mkdirSync(task, { recursive: true });
    for (const e of entries) {
      const target = join(task, e.path);
      if (e.directory) {
        mkdirSync(target, { recursive: true });
        continue;
      }
      mkdirSync(dirname(target), { recursive: true });
      // Symbolic-link entries are written as plain files holding the link text: a link could point writes (or a
      // later entry) outside the task directory.
      const fd = openSync(target, 'wx', 0o644);
      try {
        // Exactly as archived, whatever the umask; a link's own bits (always 0777) do not carry over to the file.
        const link = (e.mode & 0o170000) === 0o120000;
        if (e.mode & 0o777 && !link) fchmodSync(fd, e.mode & 0o777);
        left -= inflateEntry(entryData(job.zip, e), e, left, (chunk) => writeAll(fd, chunk));
      } finally {
        closeSync(fd);
      }
    }
    writeFileSync(join(tmp, 'code.zip'), job.zip);
    try {
      renameSync(tmp, final);
    } catch {
      rmSync(tmp, { recursive: true, force: true }); // a concurrent upload of the same zip won the race
    }
    return { ok: true, sha256Hex, bytes: job.maxUnzippedBytes - 1 - left };
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

function writeAll(fd: number, chunk: Uint8Array): void {
  for (let off = 0; off < chunk.byteLength; ) off += writeSync(fd, chunk, off);
}

/** Copies a directory tree: directories, regular files (bytes counted as read) and symbolic links (as links). */
function copy(job: Extract<CodeJob, { kind: 'copy' }>): CodeJobResult {
  const buf = Buffer.allocUnsafe(1 << 20);
  let bytes = 0;
  const tmp = `${job.to}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  const walk = (from: string, to: string) => {
    mkdirSync(to);
    for (const d of readdirSync(from, { withFileTypes: true })) {
      const src = join(from, d.name);
      const dst = join(to, d.name);
      if (d.isDirectory()) walk(src, dst);
      else if (d.isSymbolicLink()) symlinkSync(readlinkSync(src), dst);
      else if (d.isFile()) {
        // Read until EOF counting what arrives: a file growing while it is copied cannot pass the limit.
        const input = openSync(src, 'r');
        const output = openSync(dst, 'wx', 0o600);
        try {
          fchmodSync(output, lstatSync(src).mode & 0o777);
          for (let n; (n = readSync(input, buf, 0, buf.length, null)) > 0; ) {
            bytes += n;
            if (bytes >= job.maxBytes) throw new UnzippedTooLargeError();
            writeAll(output, buf.subarray(0, n));
          }
        } finally {
          closeSync(input);
          closeSync(output);
        }
      }
      // FIFOs, sockets and devices are not code, and reading a FIFO would wait forever: skipped.
    }
  };
  try {
    mkdirSync(dirname(job.to), { recursive: true });
    walk(job.from, tmp);
    renameSync(tmp, job.to);
    return { ok: true, bytes };
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

async function run(job: CodeJob): Promise<CodeJobResult> {
  try {
    return job.kind === 'unpack' ? await unpack(job) : copy(job);
  } catch (err) {
    if (err instanceof UnzippedTooLargeError) return { ok: false, error: 'too-large', detail: '' };
    if (err instanceof BadZipError) return { ok: false, error: 'bad-zip', detail: err.message };
    const e = err as NodeJS.ErrnoException;
    // A package whose entries collide (a file where a directory must go) cannot be unpacked either.
    if (job.kind === 'unpack' && (e.code === 'EEXIST' || e.code === 'ENOTDIR' || e.code === 'EISDIR')) return { ok: false, error: 'bad-zip', detail: e.message };
    return { ok: false, error: 'failed', detail: e.message ?? String(err) };
  }
}

const port = parentPort;
if (port) {
  // Below the server's threads: on a busy machine the event loop gets the CPU first (Linux nice values are per thread).
  try {
    setPriority(10);
  } catch {
    // not permitted here: the worker still runs, at the server's priority
  }
  port.on('message', (job: CodeJob) => void run(job).then((r) => port.postMessage(r)));
}

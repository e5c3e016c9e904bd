// Function code on disk: each uploaded zip is kept as uploaded and unpacked into its own directory,
// `${dataDir}/functions/${region}/${name}/${sha256hex}/{code.zip,task/}`, which becomes LAMBDA_TASK_ROOT.
// Content-addressed per function, so versions that share code share the directory. A published version of a
// hot-reload directory gets a frozen copy, `${dataDir}/functions/${region}/${name}/snapshot-${uuid}/task`.
//
// Scale-out (several nodes on one PostgreSQL): each zip is also kept once in the store (`functioncode`, keyed by its
// directory) and a node that lacks the directory unpacks it from there on the function's first use: the data
// directory is then only this node's cache of code.
//
// Unpacking and copying run on worker threads (code-worker.ts), kept for reuse, at most two jobs at a time, with
// Lambda's limits checked on the bytes actually written: the event loop keeps serving while a 50 MB upload (or a zip
// bomb whose headers lie about its sizes) is processed, and the bomb is stopped at 250 MB.
import { randomUUID } from 'node:crypto';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { AwsError, InvalidParameterValueException, ServiceException } from '../aws/errors.ts';
import type { CodeJob, CodeJobResult } from './code-worker.ts';
import type { CodeLocation } from './records.ts';
import type { Store, Tx } from '../store/store.ts';

/** Scale-out: zips in the shared store, keyed by their code directory (`functions/{region}/{name}/{sha256hex}`). */
const SHARED_CODE = 'functioncode';

/** Lambda's quota for the unzipped deployment package ("Unzipped size must be smaller than 262144000 bytes"). */
export const MAX_UNZIPPED_BYTES = 262_144_000;
/** Lambda's quota for a zip uploaded directly in the request (50 MB). */
export const MAX_ZIP_BYTES = 52_428_800;
/** The request size Lambda enforces for a direct upload: the 50 MB zip as base64 in JSON. */
export const MAX_UPLOAD_REQUEST_BYTES = 69_905_067;

const BAD_ZIP = 'Could not unzip uploaded file. Please check your file, then try to upload again.';
const TOO_LARGE = `Unzipped size must be smaller than ${MAX_UNZIPPED_BYTES} bytes`;
/** Jobs running at once; more wait (the machine's cores are better spent serving requests). */
const MAX_WORKERS = 2;
/** A worker idle this long is stopped. */
const WORKER_IDLE_MS = 60_000;
/** A job still running after this long is stopped (its worker with it). */
const JOB_TIMEOUT_MS = 300_000;

export interface StoredCode {
  location: CodeLocation;
  CodeSha256: string;
  CodeSize: number;
}

/** Lambda's answer to a request over its size limit (RequestEntityTooLargeException, 413). */
export class RequestEntityTooLargeException extends AwsError {
  constructor(operation: string, limit = MAX_UPLOAD_REQUEST_BYTES) {
    super('RequestEntityTooLargeException', 413, `Request must be smaller than ${limit} bytes for the ${operation} operation`, { extra: { Type: 'User' } });
  }
}

/**
 * The Lambda endpoint's answer to a body over MAX_UPLOAD_REQUEST_BYTES, refused while it streams in (never buffered
 * or parsed). Lambda names Invoke "InvokeFunction" here, with its own 6 MB limit.
 */
export function lambdaRequestTooLarge(operation: string | undefined): AwsError {
  if (operation === 'Invoke') return new RequestEntityTooLargeException('InvokeFunction', 6_291_456);
  return new RequestEntityTooLargeException(operation ?? 'Lambda');
}

export class CodeStorage {
  readonly dataDir: string;
  private idle: CodeWorker[] = [];
  private busy = 0;
  private readonly waiting: Array<(w: CodeWorker | undefined) => void> = [];
  private closed = false;
  /** Scale-out: the store every node shares, where zips are kept for the nodes that have not unpacked them yet. */
  private readonly shared: Store | undefined;
  /** Code directories being fetched from the store and unpacked, so concurrent first invocations share one job. */
  private readonly fetching = new Map<string, Promise<void>>();
  private readonly warn: (line: string) => void;

  constructor(dataDir: string, shared?: Store, warn: (line: string) => void = (line) => void process.stderr.write(`${line}\n`)) {
    this.dataDir = dataDir;
    this.shared = shared;
    this.warn = warn;
  }

  functionDir(region: string, name: string): string {
    return join('functions', region, name);
  }

  /**
   * Validates, unpacks and keeps a zip; returns where it lives. `requestBytes` is the request's Content-Length when
   * known: Lambda's limit is on the request (69,905,067 bytes, a 50 MB zip in base64), else on the zip's base64 size.
   */
  async store(region: string, name: string, zip: Uint8Array, operation: string, requestBytes?: number): Promise<StoredCode> {
    const base64Bytes = Math.ceil(zip.byteLength / 3) * 4;
    if ((requestBytes ?? 0) > MAX_UPLOAD_REQUEST_BYTES || base64Bytes > MAX_UPLOAD_REQUEST_BYTES) throw new RequestEntityTooLargeException(operation);
    const rel = this.functionDir(region, name);
    const size = zip.byteLength; // read first: a large zip's memory is handed to the worker
    const kept = this.shared ? Buffer.from(zip).toString('base64') : undefined;
    const r = await this.run({ kind: 'unpack', zip, functionDir: join(this.dataDir, rel), maxUnzippedBytes: MAX_UNZIPPED_BYTES });
    if (!r.ok) throw codeError(r);
    const hex = r.sha256Hex!;
    const location: CodeLocation = { kind: 'zip', dir: join(rel, hex, 'task'), zipFile: join(rel, hex, 'code.zip') };
    // Before the function record that names it is written, so no node can find the record without the code.
    if (kept !== undefined) await this.shared!.write((tx) => tx.put(SHARED_CODE, dirname(location.dir), { zip: kept }));
    return { location, CodeSha256: Buffer.from(hex, 'hex').toString('base64'), CodeSize: size };
  }

  /**
   * A published version of a directory function gets a frozen copy of the directory, as a zip version is frozen;
   * the copy is refused past Lambda's unzipped-size limit. Call before the transaction that records the version
   * (`removeCode` it if that transaction fails).
   */
  async snapshot(region: string, name: string, dir: string): Promise<CodeLocation> {
    const rel = join(this.functionDir(region, name), `snapshot-${randomUUID()}`, 'task');
    const r = await this.run({ kind: 'copy', from: dir, to: join(this.dataDir, rel), maxBytes: MAX_UNZIPPED_BYTES });
    if (!r.ok) {
      discard(dirname(join(this.dataDir, rel)));
      throw codeError(r);
    }
    return { kind: 'zip', dir: rel };
  }

  absolute(rel: string): string {
    return join(this.dataDir, rel);
  }

  /**
   * The absolute task directory of a zip's code, unpacked on this node: in scale-out, fetched from the store and
   * unpacked first when another node stored it.
   */
  async local(taskDir: string): Promise<string> {
    const abs = join(this.dataDir, taskDir);
    if (!this.shared || existsSync(abs)) return abs;
    const codeDir = dirname(taskDir);
    let job = this.fetching.get(codeDir);
    if (!job) {
      job = this.fetch(codeDir).finally(() => this.fetching.delete(codeDir));
      this.fetching.set(codeDir, job);
    }
    await job;
    return abs;
  }

  private async fetch(codeDir: string): Promise<void> {
    const kept = await this.shared!.read((tx) => tx.get<{ zip: string }>(SHARED_CODE, codeDir));
    if (!kept) throw new ServiceException(`The function's code (${codeDir}) is missing from the shared store.`);
    const r = await this.run({ kind: 'unpack', zip: Buffer.from(kept.zip, 'base64'), functionDir: dirname(join(this.dataDir, codeDir)), maxUnzippedBytes: MAX_UNZIPPED_BYTES });
    if (!r.ok) throw codeError(r);
  }

  removeFunction(region: string, name: string): void {
    discard(join(this.dataDir, this.functionDir(region, name)));
    this.forget((tx) => tx.deletePrefix(SHARED_CODE, `${this.functionDir(region, name)}/`));
  }

  /** Drops a zip's directory once no version refers to it any more. */
  removeCode(location: CodeLocation): void {
    if (location.kind !== 'zip') return;
    discard(dirname(join(this.dataDir, location.dir)));
    this.forget((tx) => tx.delete(SHARED_CODE, dirname(location.dir)));
  }

  /** Scale-out: removes kept zips (other nodes' unpacked copies stay in their caches until a reset). */
  private forget(fn: (tx: Tx) => Promise<unknown>): void {
    this.shared?.write(fn).catch((err: Error) => this.warn(`WARN could not remove function code from the store: ${err.message}`));
  }

  sameCode(a: CodeLocation, b: CodeLocation): boolean {
    return a.kind === 'zip' && b.kind === 'zip' ? a.dir === b.dir : a.kind === 'directory' && b.kind === 'directory' && a.path === b.path;
  }

  removeAll(): void {
    rmSync(join(this.dataDir, 'functions'), { recursive: true, force: true });
  }

  /** Runs one job on an idle code worker (started when none is idle, at most MAX_WORKERS); others wait. */
  private async run(job: CodeJob): Promise<CodeJobResult> {
    if (this.closed) return { ok: false, error: 'failed', detail: 'Gatehouse is stopping' };
    let worker: CodeWorker | undefined;
    while ((worker = this.idle.pop()) && !worker.alive); // an idle worker may have died (out of memory, terminated)
    if (!worker && this.busy >= MAX_WORKERS) {
      worker = await new Promise<CodeWorker | undefined>((resolve) => this.waiting.push(resolve));
    }
    this.busy++;
    try {
      clearTimeout(worker?.idleTimer);
      if (!worker?.alive) worker = startWorker(); // none idle, or the one handed over has died meanwhile
      const w = worker;
      const result = await new Promise<CodeJobResult>((resolve) => {
        // A job that never ends (a file system that stops answering) ends its worker; the caller gets an error.
        const timer = setTimeout(() => void w.thread.terminate(), JOB_TIMEOUT_MS);
        w.settle = (r) => {
          clearTimeout(timer);
          resolve(r);
        };
        w.thread.postMessage(job, transferable(job));
      });
      if (w.alive) this.release(w);
      else worker = undefined;
      return result;
    } catch (err) {
      return { ok: false, error: 'failed', detail: (err as Error).message };
    } finally {
      this.busy--;
      if (!worker) this.waiting.shift()?.(undefined);
    }
  }

  private release(w: CodeWorker): void {
    const next = this.waiting.shift();
    if (next) return next(w);
    this.idle.push(w);
    // Idle workers go after a while: each is a V8 isolate.
    w.idleTimer = setTimeout(() => {
      this.idle = this.idle.filter((x) => x !== w);
      void w.thread.terminate();
    }, WORKER_IDLE_MS);
    w.idleTimer.unref();
  }

  /** Stops the idle workers (running jobs finish). */
  close(): void {
    this.closed = true;
    for (const w of this.idle) void w.thread.terminate();
    this.idle = [];
  }
}

interface CodeWorker {
  thread: Worker;
  alive: boolean;
  settle: ((r: CodeJobResult) => void) | undefined;
  idleTimer: NodeJS.Timeout | undefined;
}

/**
 * A large zip's memory moves to the worker instead of being copied, when the zip is the only view of it (a blob
 * decoded from the request's JSON, which is not used again).
 */
function transferable(job: CodeJob): ArrayBuffer[] {
  if (job.kind !== 'unpack') return [];
  const { buffer, byteLength } = job.zip;
  return buffer instanceof ArrayBuffer && byteLength > 64 * 1024 && buffer.byteLength - byteLength < 16 ? [buffer] : [];
}

function startWorker(): CodeWorker {
  // The worker's own heap stays small: the zip and the file data live outside it, in buffers it streams.
  const thread = new Worker(new URL('./code-worker.ts', import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: 256 } });
  thread.unref();
  const w: CodeWorker = { thread, alive: true, settle: undefined, idleTimer: undefined };
  const answer = (r: CodeJobResult) => {
    const settle = w.settle;
    w.settle = undefined;
    settle?.(r);
  };
  thread.on('message', answer);
  thread.on('error', (err) => {
    w.alive = false;
    answer({ ok: false, error: 'failed', detail: err.message });
  });
  thread.on('exit', () => {
    w.alive = false;
    answer({ ok: false, error: 'failed', detail: 'the code worker stopped' });
  });
  return w;
}

/**
 * Removes a code directory without blocking the event loop (250 MB, or tens of thousands of files, take a while):
 * renamed aside at once, so a function created again under the same name never meets it, then deleted in the
 * background.
 */
function discard(dir: string): void {
  const trash = `${dir}.deleted-${randomUUID()}`;
  try {
    renameSync(dir, trash);
  } catch {
    return; // nothing there
  }
  rm(trash, { recursive: true, force: true }).catch((err: Error) => console.error(`gatehouse: could not remove ${trash}: ${err.message}`));
}

function codeError(r: Extract<CodeJobResult, { ok: false }>): Error {
  if (r.error === 'too-large') return new InvalidParameterValueException(TOO_LARGE);
  if (r.error === 'bad-zip') return new InvalidParameterValueException(BAD_ZIP);
  console.error(`gatehouse: storing function code failed: ${r.detail}`);
  return new ServiceException('Gatehouse could not store the function code; the server log says why.');
}

// One execution environment: a separate OS process running the function's runtime, and the Lambda Runtime API it
// talks to (an HTTP server of its own on 127.0.0.1, given to the process as AWS_LAMBDA_RUNTIME_API). Any runtime
// client works against it: Gatehouse's Node bootstrap, or a provided.al2023 function's own `bootstrap`.
//
// Life: init (process started, waiting for its first `GET /invocation/next`) → idle ⇄ busy → dead. A timeout,
// an out-of-memory kill or a crash kills the process; the environment is never reused after that.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

const RUNTIME_PATH = '/2018-06-01/runtime';
/** Lambda's limit on a synchronous response payload. */
export const MAX_RESPONSE_BYTES = 6_291_556;
/** Lambda's init phase limit for on-demand functions. */
const INIT_TIMEOUT_MS = 10_000;
const FLUSH_MARK = '\u0000gatehouse:flush\u0000';
/** Sent by Gatehouse's Node bootstrap with each result: how many flush marks it wrote (one per stream with output). */
const FLUSH_MARKS_HEADER = 'gatehouse-flush-marks';
/**
 * Sent by Gatehouse's Node bootstrap with each result: answer this POST with the next invocation, as a
 * `GET /invocation/next` would be answered, instead of a 202 — one HTTP exchange per invocation instead of two.
 */
const THEN_NEXT_HEADER = 'gatehouse-then-next';
/** The memory watchdog's sampling period while the environment is busy or starting; idle ones are sampled 10× less. */
const MEMORY_SAMPLE_MS = 50;
const NODE_BOOTSTRAP = join(import.meta.dirname, 'runtimes', 'node', 'bootstrap.mjs');

export interface EnvironmentSpec {
  /** Environments with the same key run the same code and configuration and may serve each other's requests. */
  key: string;
  region: string;
  functionName: string;
  version: string;
  runtime: string;
  handler: string;
  memoryMb: number;
  timeoutSec: number;
  taskRoot: string;
  userEnv: Record<string, string>;
  logGroup: string;
}

export interface Invocation {
  requestId: string;
  payload: Buffer;
  invokedFunctionArn: string;
  clientContext?: string;
  /** Lambda-Runtime-Trace-Id (the function's _X_AMZN_TRACE_ID): the caller's trace, else one made here. */
  traceId?: string;
}

export type Outcome =
  | { kind: 'response'; payload: Buffer }
  /** A function error reported through /error or /init/error (payload as the runtime posted it). */
  | { kind: 'error'; payload: Buffer; errorType: string }
  | { kind: 'timeout'; seconds: number }
  /** The runtime died or could not start: Runtime.ExitError, Runtime.OutOfMemory, Runtime.InvalidEntrypoint, ... */
  | { kind: 'crash'; errorType: string; message: string };

export interface InvocationResult {
  outcome: Outcome;
  /** The invocation's own output lines (init output included on a cold start). */
  log: string[];
  durationMs: number;
  initDurationMs?: number;
  maxMemoryUsedMb: number;
}

interface Pending {
  inv: Invocation;
  log: string[];
  started: number;
  deadline: number;
  resolve: (r: InvocationResult) => void;
  outcome?: Outcome;
  timer?: NodeJS.Timeout;
  delivered: boolean;
  initDurationMs?: number;
  /** How many flush marks to read before the output is complete (Node runtimes). */
  flushesExpected: number;
}

export type EnvironmentState = 'init' | 'idle' | 'busy' | 'dead';

export class ExecutionEnvironment {
  readonly spec: EnvironmentSpec;
  state: EnvironmentState = 'init';
  lastUsed = Date.now();
  /** Lines written while no invocation was running (init output, late output), for the function log. */
  readonly onStrayOutput: (lines: string[]) => void;
  /** Called once when the environment dies, whatever the cause. */
  onDeath: (() => void) | undefined;

  private server!: Server;
  private child: ChildProcess | undefined;
  private parkedNext: ServerResponse | undefined;
  private pending: Pending | undefined;
  private initLog: string[] = [];
  private initStarted = 0;
  private initDurationMs: number | undefined;
  private initError: Outcome | undefined;
  private readyWaiters: Array<() => void> = [];
  private readonly speaksFlush: boolean;
  private flushesSeen = 0;
  private partial = { stdout: '', stderr: '' };
  private memoryTimer: NodeJS.Timeout | undefined;
  private idleTicks = 0;
  /** The runtime process's peak RSS (VmHWM) at the last sample, in kB: Max Memory Used. */
  private peakRssKb = 0;
  private oomKilled = false;
  private initTimer: NodeJS.Timeout | undefined;

  constructor(spec: EnvironmentSpec, onStrayOutput: (lines: string[]) => void) {
    this.spec = spec;
    this.onStrayOutput = onStrayOutput;
    this.speaksFlush = spec.runtime.startsWith('nodejs');
  }

  /** Starts the runtime API server and the process; init goes on in the background. */
  async start(baseEnv: Record<string, string>): Promise<void> {
    this.server = createServer({ keepAliveTimeout: 0 }, (req, res) => this.onRuntimeRequest(req, res));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    const port = (this.server.address() as AddressInfo).port;
    const s = this.spec;
    const env: Record<string, string> = {
      ...baseEnv,
      ...s.userEnv,
      AWS_LAMBDA_RUNTIME_API: `127.0.0.1:${port}`,
    };
    let command: string;
    let args: string[];
    if (s.runtime.startsWith('nodejs')) {
      command = process.execPath;
      // V8's heap sized from the function's memory as Lambda's Node bootstrap sizes it; the watchdog enforces the rest.
      args = [...nodeMemoryArgs(s.memoryMb), '--no-warnings', NODE_BOOTSTRAP];
    } else {
      command = join(s.taskRoot, 'bootstrap');
      args = [];
    }
    this.initStarted = performance.now();
    // Its own process group, so stopping the environment also stops whatever the function started.
    const child = spawn(command, args, { cwd: s.taskRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.child = child;
    child.stdout!.setEncoding('utf8').on('data', (d: string) => this.onOutput('stdout', d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => this.onOutput('stderr', d));
    child.on('error', (err: NodeJS.ErrnoException) => {
      const reason = err.code === 'EACCES' ? 'permission denied' : err.code === 'ENOENT' ? 'no such file or directory' : err.message;
      this.die({ kind: 'crash', errorType: 'Runtime.InvalidEntrypoint', message: `fork/exec ${command}: ${reason}` });
    });
    child.on('exit', (code, signal) => {
      const how = signal ? `signal: ${signal === 'SIGKILL' ? 'killed' : signal}` : `exit status ${code}`;
      this.die({ kind: 'crash', errorType: this.oomKilled ? 'Runtime.OutOfMemory' : 'Runtime.ExitError', message: `Runtime exited with error: ${how}` });
    });
    this.initTimer = setTimeout(() => {
      if (this.state === 'init') this.die({ kind: 'timeout', seconds: INIT_TIMEOUT_MS / 1000 });
    }, INIT_TIMEOUT_MS);
    this.watchMemory();
  }

  /** Resolves once the runtime asked for its first invocation, or died trying. */
  ready(): Promise<void> {
    if (this.state !== 'init') return Promise.resolve();
    return new Promise((r) => this.readyWaiters.push(r));
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Runs one invocation; the environment must be idle (or still initialising, for a cold start). */
  invoke(inv: Invocation): Promise<InvocationResult> {
    return new Promise((resolve) => {
      const coldStart = this.initDurationMs === undefined;
      const p: Pending = { inv, log: [], started: performance.now(), deadline: 0, resolve, delivered: false, flushesExpected: 2 };
      if (coldStart) p.log.push(...this.initLog.splice(0));
      this.pending = p;
      if (this.state === 'dead') return this.finish(this.initError ?? { kind: 'crash', errorType: 'Runtime.Unknown', message: 'Runtime is not running' });
      if (this.state === 'idle') this.state = 'busy';
      if (this.state === 'busy') this.deliver();
    });
  }

  kill(): void {
    this.killProcesses();
    this.die({ kind: 'crash', errorType: 'Runtime.ExitError', message: 'Runtime exited with error: signal: killed' });
  }

  // ---- internals --------------------------------------------------------------------------------------------------

  private deliver(): void {
    const p = this.pending;
    const res = this.parkedNext;
    if (!p || p.delivered || !res) return;
    this.parkedNext = undefined;
    p.delivered = true;
    p.started = performance.now();
    p.initDurationMs = this.consumeInitDuration();
    p.log.push(`START RequestId: ${p.inv.requestId} Version: ${this.spec.version}`);
    const timeoutMs = this.spec.timeoutSec * 1000;
    const now = Date.now();
    p.deadline = now + timeoutMs;
    p.timer = setTimeout(() => {
      // The environment dies with the invocation: never handed out again.
      p.outcome = { kind: 'timeout', seconds: this.spec.timeoutSec };
      this.die(p.outcome);
    }, timeoutMs);
    const body = p.inv.payload.length ? p.inv.payload : EMPTY_EVENT;
    // A flat header list: Node writes it as given, without building and validating a header object.
    const headers = [
      'Content-Type', 'application/json',
      'Content-Length', String(body.length),
      'Lambda-Runtime-Aws-Request-Id', p.inv.requestId,
      'Lambda-Runtime-Deadline-Ms', String(p.deadline),
      'Lambda-Runtime-Invoked-Function-Arn', p.inv.invokedFunctionArn,
      'Lambda-Runtime-Trace-Id', p.inv.traceId ?? `Root=1-${Math.floor(now / 1000).toString(16)}-${p.inv.requestId.replace(/-/g, '').slice(0, 24)};Sampled=0`,
    ];
    if (p.inv.clientContext) headers.push('Lambda-Runtime-Client-Context', Buffer.from(p.inv.clientContext, 'base64').toString('utf8'));
    res.writeHead(200, headers);
    res.end(body);
  }

  private consumeInitDuration(): number | undefined {
    const d = this.initDurationMs;
    if (d !== undefined && d >= 0) {
      this.initDurationMs = -1; // reported once, on the cold start
      return d;
    }
    return undefined;
  }

  private onRuntimeRequest(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '';
    if (!url.startsWith(RUNTIME_PATH)) return reply(res, 404, { errorMessage: 'Not Found', errorType: 'InvalidRequest' });
    const path = url.slice(RUNTIME_PATH.length);
    if (req.method === 'GET' && path === '/invocation/next') {
      if (this.state === 'dead') return void res.destroy();
      this.park(res);
      if (this.state === 'init') {
        clearTimeout(this.initTimer);
        this.initDurationMs = performance.now() - this.initStarted;
        this.state = this.pending ? 'busy' : 'idle';
        if (!this.pending) this.onStrayOutput(this.initLog.splice(0));
        for (const w of this.readyWaiters.splice(0)) w();
      }
      this.deliver();
      return;
    }
    if (req.method === 'POST' && path === '/init/error') {
      return readLimited(req, MAX_RESPONSE_BYTES, (body) => {
        accepted(res);
        const errorType = header(req, 'lambda-runtime-function-error-type') ?? 'Runtime.Unknown';
        this.initError = { kind: 'error', payload: body ?? Buffer.from('{}'), errorType };
        this.killProcesses();
        this.die(this.initError);
      });
    }
    const m = /^\/invocation\/([^/]+)\/(response|error)$/.exec(path);
    if (req.method === 'POST' && m) {
      const p = this.pending;
      if (!p || !p.delivered || p.inv.requestId !== decodeURIComponent(m[1]!)) {
        return reply(res, 400, { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' });
      }
      return readLimited(req, MAX_RESPONSE_BYTES, (body) => {
        if (p.outcome) return reply(res, 410, { errorMessage: 'Invocation already finished', errorType: 'InvalidStateTransition' });
        const marks = header(req, FLUSH_MARKS_HEADER);
        if (marks !== undefined) p.flushesExpected = Number(marks) || 0;
        if (body === undefined) {
          reply(res, 413, { errorMessage: 'Exceeded maximum allowed payload size (6291556 bytes).', errorType: 'RequestEntityTooLarge' });
          return this.settle(p, {
            kind: 'error',
            errorType: 'Function.ResponseSizeTooLarge',
            payload: Buffer.from(JSON.stringify({ errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`, errorType: 'Function.ResponseSizeTooLarge' })),
          });
        }
        if (header(req, THEN_NEXT_HEADER) === undefined) accepted(res);
        else if (this.state === 'dead') res.destroy();
        else this.park(res); // delivered to by the next invoke()
        if (m[2] === 'response') this.settle(p, { kind: 'response', payload: body });
        else this.settle(p, { kind: 'error', payload: body, errorType: header(req, 'lambda-runtime-function-error-type') ?? 'Unhandled' });
      });
    }
    reply(res, 404, { errorMessage: 'Not Found', errorType: 'InvalidRequest' });
  }

  /** Holds the runtime's request for its next invocation until there is one. */
  private park(res: ServerResponse): void {
    this.parkedNext?.destroy();
    this.parkedNext = res;
  }

  /** The runtime reported a result: wait for its output to arrive, then finish. */
  private settle(p: Pending, outcome: Outcome): void {
    p.outcome = outcome;
    clearTimeout(p.timer);
    if (this.speaksFlush) {
      if (this.flushesSeen >= p.flushesExpected) this.finish(outcome);
      // else: finish() runs when the flush marks have been read (onOutput)
    } else {
      setImmediate(() => setImmediate(() => this.finish(outcome)));
    }
  }

  private onOutput(stream: 'stdout' | 'stderr', chunk: string): void {
    const text = this.partial[stream] + chunk;
    const lines = text.split('\n');
    this.partial[stream] = lines.pop()!;
    const target = this.pending ? this.pending.log : this.state === 'init' ? this.initLog : undefined;
    const stray: string[] = [];
    for (const line of lines) {
      if (line === FLUSH_MARK) {
        this.flushesSeen++;
        continue;
      }
      (target ?? stray).push(line);
    }
    if (stray.length) this.onStrayOutput(stray);
    const p = this.pending;
    if (p?.outcome && this.flushesSeen >= p.flushesExpected) this.finish(p.outcome);
  }

  private finish(outcome: Outcome): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    this.flushesSeen = 0;
    clearTimeout(p.timer);
    const durationMs = p.delivered ? performance.now() - p.started : 0;
    const result: InvocationResult = {
      outcome,
      log: p.log,
      durationMs,
      initDurationMs: p.initDurationMs,
      maxMemoryUsedMb: this.maxMemoryUsedMb(),
    };
    if (this.state === 'busy') {
      this.state = 'idle';
      this.lastUsed = Date.now();
    }
    p.resolve(result);
  }

  private die(outcome: Outcome): void {
    if (this.state === 'dead') return;
    this.state = 'dead';
    clearTimeout(this.initTimer);
    clearInterval(this.memoryTimer);
    this.initError ??= outcome.kind === 'error' ? outcome : undefined;
    this.parkedNext?.destroy();
    this.parkedNext = undefined;
    this.server?.close();
    this.server?.closeAllConnections();
    this.killProcesses();
    for (const w of this.readyWaiters.splice(0)) w();
    const p = this.pending;
    if (p && !p.outcome) {
      p.outcome = this.initError ?? outcome;
      // Let the last output of a dying process arrive before the invocation's log is closed.
      setImmediate(() => this.finish(p.outcome!));
    } else if (p?.outcome) {
      setImmediate(() => this.finish(p.outcome!));
    } else if (this.initLog.length) {
      this.onStrayOutput(this.initLog.splice(0));
    }
    this.onDeath?.();
  }

  /**
   * Lambda stops a function that outgrows its memory; V8's heap limit alone does not cover buffers or native code.
   * The limit applies to the process's private memory (RssAnon): its VmRSS also counts ~50 MB of file pages of the
   * Node binary, shared by every environment, which would leave a 128 MB function almost nothing. The samples also
   * give the REPORT line's Max Memory Used, so an invocation does not read /proc itself.
   */
  private watchMemory(): void {
    this.memoryTimer = setInterval(() => {
      if (this.state === 'idle' && ++this.idleTicks % 10 !== 0) return;
      this.sampleMemory();
    }, MEMORY_SAMPLE_MS);
    this.memoryTimer.unref();
  }

  private sampleMemory(): void {
    const m = procMemory(this.child?.pid);
    if (!m) return;
    if (m.peakRssKb > this.peakRssKb) this.peakRssKb = m.peakRssKb;
    if (m.privateKb / 1024 > this.spec.memoryMb && this.state !== 'dead') {
      this.oomKilled = true;
      this.killProcesses();
    }
  }

  /** SIGKILL to the environment's whole process group (the runtime and anything it spawned). */
  private killProcesses(): void {
    const pid = this.child?.pid;
    if (!pid) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }

  /** The process's peak RSS, at most MemorySize; an environment stopped for memory used all of it. */
  private maxMemoryUsedMb(): number {
    if (this.oomKilled) return this.spec.memoryMb;
    if (this.peakRssKb === 0 && this.state !== 'dead') this.sampleMemory(); // a first invocation faster than a sample
    return Math.min(this.spec.memoryMb, Math.ceil(this.peakRssKb / 1024));
  }
}

/**
 * V8's heap limits for a Node runtime of `memoryMb`, as Lambda's Node.js bootstrap computes them: a tenth of the
 * memory for the young generation (half of it per semi-space), the rest for the old generation. Without the
 * semi-space cap V8 grows the young generation to its default of 128 MB under a steady allocation rate.
 */
export function nodeMemoryArgs(memoryMb: number): string[] {
  const newSpace = Math.floor(memoryMb / 10);
  return [`--max-semi-space-size=${Math.max(1, Math.floor(newSpace / 2))}`, `--max-old-space-size=${memoryMb - newSpace}`];
}

/** RssAnon (private memory) and VmHWM (peak resident set) from /proc/PID/status, in kB. */
function procMemory(pid: number | undefined): { privateKb: number; peakRssKb: number } | undefined {
  if (!pid) return undefined;
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'latin1');
  } catch {
    return undefined;
  }
  const privateKb = statusField(status, 'RssAnon:');
  const peakRssKb = statusField(status, 'VmHWM:');
  return privateKb === undefined || peakRssKb === undefined ? undefined : { privateKb, peakRssKb };
}

function statusField(status: string, name: string): number | undefined {
  const at = status.indexOf(name);
  if (at === -1) return undefined;
  const n = parseInt(status.slice(at + name.length, status.indexOf('\n', at)), 10);
  return Number.isNaN(n) ? undefined : n;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

const EMPTY_EVENT = Buffer.from('{}');
const ACCEPTED = Buffer.from(JSON.stringify({ status: 'OK' }));
const ACCEPTED_HEADERS = ['Content-Type', 'application/json', 'Content-Length', String(ACCEPTED.length)];

/** 202 to the runtime's result (once per invocation: its body and headers are built once). */
function accepted(res: ServerResponse): void {
  res.writeHead(202, ACCEPTED_HEADERS);
  res.end(ACCEPTED);
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Reads a body up to `limit` bytes; calls back with undefined when it is larger. */
function readLimited(req: IncomingMessage, limit: number, cb: (body: Buffer | undefined) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size > limit) over = true;
    else chunks.push(c);
  });
  req.on('end', () => cb(over ? undefined : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
  req.on('error', () => cb(undefined));
}

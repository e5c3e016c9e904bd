// One execution environment: the function's runtime in a sandbox of its own (sandbox.ts), its processes in a
// memory cgroup of MemorySize (cgroups.ts), and the Lambda Runtime API it talks to: an HTTP server of its own on
// 127.0.0.1, given to the process as AWS_LAMBDA_RUNTIME_API = `127.0.0.1:PORT/SECRET`. The secret path prefix is
// the environment's own (128 random bits): clients that build `http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/...`
// work unchanged, and nothing else on the machine (another function's environment included) can take this
// environment's events or post its results. Any runtime client works against it: Gatehouse's Node bootstrap, the
// Python client, or a provided.al2023 function's own `bootstrap`.
//
// Life: init (process started, waiting for its first `GET /invocation/next`) → idle ⇄ busy → dead. A timeout,
// an out-of-memory kill or a crash kills every process of the environment; it is never reused after that.
//
// Output: stdout and stderr are read as lines of at most 256 KB (longer ones are cut, as CloudWatch Logs cuts
// events), at most 4 MB per invocation are kept (then one line says how much was dropped), and reading never
// waits for a newline, so no output can hold up an invocation or grow Gatehouse's memory.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { CgroupRoot, EnvironmentCgroup } from './cgroups.ts';
import { launchOf } from './runtimes/index.ts';
import type { Sandbox } from './sandbox.ts';

export { nodeMemoryArgs } from './runtimes/index.ts';

const RUNTIME_PATH = '/2018-06-01/runtime';
/** The longest output line kept (CloudWatch Logs' event size); the rest of the line is cut. */
export const MAX_LINE_CHARS = 256 * 1024;
/** Output kept per invocation (init output included); beyond it, lines are counted and dropped. */
export const MAX_INVOCATION_OUTPUT = 4 * 1024 * 1024;
/** How long a result waits for the runtime's output to be read (its flush marks) before the invocation ends anyway. */
const FLUSH_GRACE_MS = 1000;
/** Lambda's default /tmp (EphemeralStorage 512 MB). */
const TMP_BYTES = 512 * 1024 * 1024;
/** Lambda's limit on a synchronous response payload. */
export const MAX_RESPONSE_BYTES = 6_291_556;
/** Lambda's init phase limit for on-demand functions. */
const INIT_TIMEOUT_MS = 10_000;
/** The Node bootstrap's end-of-output mark (followed by a newline); output written without a newline precedes it. */
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

/** What every environment of a Gatehouse shares: how functions are sandboxed and where their cgroups go. */
export interface EnvironmentHost {
  sandbox: Sandbox;
  cgroups: CgroupRoot | undefined;
  /** The host's Node.js binary for a nodejs*.x runtime (process.execPath unless provisioned per version). */
  nodeBinary(runtime: string): Promise<string>;
}

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
  /** Ends the invocation when its flush marks are late (output lost or held by a child process). */
  graceTimer?: NodeJS.Timeout;
  delivered: boolean;
  initDurationMs?: number;
  /** How many flush marks to read before the output is complete (Node runtimes). */
  flushesExpected: number;
}

/** One output stream's line being read: at most MAX_LINE_CHARS kept, the rest counted. */
interface LineReader {
  line: string;
  cut: number;
  /** The last characters read on this line, to recognise a flush mark whatever was cut before it. */
  tail: string;
}

/** Output kept for one invocation (or the init phase): bounded by MAX_INVOCATION_OUTPUT. */
interface OutputBudget {
  chars: number;
  droppedLines: number;
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

  private readonly host: EnvironmentHost;
  private server!: Server;
  /** `/SECRET/2018-06-01/runtime`: every Runtime API path of this environment starts with it. */
  private runtimePrefix = '';
  private child: ChildProcess | undefined;
  private cgroup: EnvironmentCgroup | undefined;
  private parkedNext: ServerResponse | undefined;
  private pending: Pending | undefined;
  private initLog: string[] = [];
  private initStarted = 0;
  private initDurationMs: number | undefined;
  private initError: Outcome | undefined;
  /** Why the environment died (what an invocation handed to a dead environment reports). */
  private deathOutcome: Outcome | undefined;
  private readyWaiters: Array<() => void> = [];
  private readonly speaksFlush: boolean;
  private flushesSeen = 0;
  private readonly readers: Record<'stdout' | 'stderr', LineReader> = { stdout: { line: '', cut: 0, tail: '' }, stderr: { line: '', cut: 0, tail: '' } };
  private budget: OutputBudget = { chars: 0, droppedLines: 0 };
  private memoryTimer: NodeJS.Timeout | undefined;
  private idleTicks = 0;
  /** The environment's peak memory at the last sample, in kB: Max Memory Used. */
  private peakKb = 0;
  private oomKilled = false;
  private initTimer: NodeJS.Timeout | undefined;

  constructor(spec: EnvironmentSpec, host: EnvironmentHost, onStrayOutput: (lines: string[]) => void) {
    this.spec = spec;
    this.host = host;
    this.onStrayOutput = onStrayOutput;
    // Gatehouse's own Node and Python clients mark the end of each invocation's output.
    this.speaksFlush = spec.runtime.startsWith('nodejs') || spec.runtime.startsWith('python');
  }

  /** Starts the runtime API server and the process; init goes on in the background. */
  async start(baseEnv: Record<string, string>): Promise<void> {
    const s = this.spec;
    const sandboxed = this.host.sandbox.mode === 'bwrap';
    const nodeBinary = s.runtime.startsWith('nodejs') ? await this.host.nodeBinary(s.runtime) : undefined;
    const launch = launchOf({ runtime: s.runtime, memoryMb: s.memoryMb, taskRoot: s.taskRoot, sandboxed, nodeBinary });
    const secret = randomBytes(16).toString('hex');
    this.runtimePrefix = `/${secret}${RUNTIME_PATH}`;
    this.server = createServer({ keepAliveTimeout: 0 }, (req, res) => this.onRuntimeRequest(req, res));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    const port = (this.server.address() as AddressInfo).port;
    const env: Record<string, string> = {
      ...launch.env,
      ...baseEnv,
      LAMBDA_TASK_ROOT: launch.taskRoot,
      ...s.userEnv,
      AWS_LAMBDA_RUNTIME_API: `127.0.0.1:${port}/${secret}`,
    };
    this.initStarted = performance.now();
    const entry = launch.argv[0]!;
    if (entry.startsWith(launch.taskRoot)) {
      // provided.al2023: say as Lambda does when the code has no runnable bootstrap (checked on the host path).
      const problem = entrypointProblem(join(s.taskRoot, entry.slice(launch.taskRoot.length)));
      if (problem) {
        this.die({ kind: 'crash', errorType: 'Runtime.InvalidEntrypoint', message: `fork/exec ${entry}: ${problem}` });
        return;
      }
    }
    const wrapped = this.host.sandbox.wrap({ mounts: launch.mounts, argv: launch.argv, env, tmpBytes: TMP_BYTES, taskRoot: s.taskRoot });
    let command = wrapped.command;
    let args = wrapped.args;
    this.cgroup = this.host.cgroups?.create(s.memoryMb);
    if (this.cgroup) {
      // The first process joins the cgroups before it execs, so everything it ever starts is counted.
      args = ['-c', 'echo $$ > "$1" && echo $$ > "$2" && shift 2 && exec "$@"', 'sh', ...this.cgroup.procsFiles, command, ...args];
      command = '/bin/sh';
    }
    // Its own process group, so stopping an unsandboxed environment also stops whatever the function started.
    const child = spawn(command, args, {
      cwd: sandboxed ? '/' : s.taskRoot,
      env: sandboxed ? {} : env,
      stdio: ['ignore', 'pipe', 'pipe', wrapped.argsFd ? 'pipe' : 'ignore'],
      detached: true,
    });
    this.child = child;
    // A bwrap that exits before reading its options (EPIPE) is reported by its exit, not by this pipe.
    if (wrapped.argsFd) (child.stdio[3] as Writable).on('error', () => {}).end(wrapped.argsFd);
    child.stdout!.setEncoding('utf8').on('data', (d: string) => this.onOutput('stdout', d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => this.onOutput('stderr', d));
    child.on('error', (err: NodeJS.ErrnoException) => {
      const reason = err.code === 'EACCES' ? 'permission denied' : err.code === 'ENOENT' ? 'no such file or directory' : err.message;
      this.die({ kind: 'crash', errorType: 'Runtime.InvalidEntrypoint', message: `fork/exec ${entry}: ${reason}` });
    });
    child.on('exit', (code, signal) => {
      // bwrap reports a runtime killed by a signal as exit status 128 + signal.
      const sig = signal ?? (sandboxed && code !== null ? SIGNAL_EXITS[code] : undefined);
      const how = sig ? `signal: ${SIGNAL_NAMES[sig] ?? sig}` : `exit status ${code}`;
      if (!this.oomKilled && this.cgroup && this.cgroup.oomKills() > 0) this.oomKilled = true;
      this.die({ kind: 'crash', errorType: this.oomKilled ? 'Runtime.OutOfMemory' : 'Runtime.ExitError', message: `Runtime exited with error: ${this.oomKilled ? 'signal: killed' : how}` });
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
      else this.budget = { chars: 0, droppedLines: 0 };
      this.pending = p;
      if (this.state === 'dead') return this.finish(this.initError ?? this.deathOutcome ?? { kind: 'crash', errorType: 'Runtime.Unknown', message: 'Runtime is not running' });
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
    // Without this environment's secret prefix: refused, and the connection closed.
    if (!url.startsWith(this.runtimePrefix)) return reply(res, 403, { errorMessage: 'Forbidden', errorType: 'AccessDeniedException' }, true);
    const path = url.slice(this.runtimePrefix.length);
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

  /** The runtime reported a result: wait for its output to arrive (a bounded time), then finish. */
  private settle(p: Pending, outcome: Outcome): void {
    // A function error may be the kernel's OOM kill of a child (the handler saw it die): the environment is out of
    // memory, as Lambda reports it. Checked on errors only, so a successful warm invocation reads no file.
    if (outcome.kind === 'error' && this.cgroup && this.cgroup.oomKills() > 0) {
      this.oomKilled = true;
      this.killProcesses();
      this.die({ kind: 'crash', errorType: 'Runtime.OutOfMemory', message: 'Runtime exited with error: signal: killed' });
      return;
    }
    p.outcome = outcome;
    clearTimeout(p.timer);
    if (this.speaksFlush) {
      if (this.flushesSeen >= p.flushesExpected) this.finish(outcome);
      // else: finish() runs when the flush marks have been read (onOutput), or after the grace period
      else p.graceTimer = setTimeout(() => this.finish(outcome), FLUSH_GRACE_MS);
    } else {
      setImmediate(() => setImmediate(() => this.finish(outcome)));
    }
  }

  private onOutput(stream: 'stdout' | 'stderr', chunk: string): void {
    const r = this.readers[stream];
    const lines: string[] = [];
    let from = 0;
    for (;;) {
      const nl = chunk.indexOf('\n', from);
      const piece = nl === -1 ? (from === 0 ? chunk : chunk.slice(from)) : chunk.slice(from, nl);
      const room = MAX_LINE_CHARS - r.line.length;
      if (piece.length <= room) r.line += piece;
      else {
        r.line += piece.slice(0, room);
        r.cut += piece.length - room;
      }
      r.tail = (r.tail + piece.slice(-FLUSH_MARK.length)).slice(-FLUSH_MARK.length);
      if (nl === -1) break;
      from = nl + 1;
      let line = r.line;
      let cut = r.cut;
      const isMark = r.tail === FLUSH_MARK;
      r.line = '';
      r.cut = 0;
      r.tail = '';
      if (isMark) {
        this.flushesSeen++;
        // Output written without a trailing newline precedes the mark on its line: the mark is not output.
        const inLine = Math.max(0, FLUSH_MARK.length - cut);
        cut -= FLUSH_MARK.length - inLine;
        line = line.slice(0, line.length - inLine);
        if (!line) continue;
      }
      lines.push(cut > 0 ? `${line} [Gatehouse: ${cut} more characters of this line cut; lines are limited to ${MAX_LINE_CHARS}]` : line);
    }
    if (lines.length) this.keep(lines);
    const p = this.pending;
    if (p?.outcome && this.flushesSeen >= p.flushesExpected) this.finish(p.outcome);
    // Output still flowing after the result: keep waiting for the marks while it flows, until the deadline.
    else if (p?.graceTimer && Date.now() < p.deadline) p.graceTimer.refresh();
  }

  /** Adds output lines to the running invocation's log (or the init log), within its budget; else to the function log. */
  private keep(lines: string[]): void {
    const target = this.pending ? this.pending.log : this.state === 'init' ? this.initLog : undefined;
    if (!target) return this.onStrayOutput(lines);
    const b = this.budget;
    for (const line of lines) {
      if (b.chars + line.length > MAX_INVOCATION_OUTPUT) {
        b.droppedLines++;
        continue;
      }
      b.chars += line.length + 1;
      target.push(line);
    }
  }

  private finish(outcome: Outcome): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    this.flushesSeen = 0;
    clearTimeout(p.timer);
    clearTimeout(p.graceTimer);
    if (this.budget.droppedLines) {
      p.log.push(`Gatehouse: ${this.budget.droppedLines} lines of output dropped (more than ${MAX_INVOCATION_OUTPUT} characters in one invocation)`);
    }
    this.budget = { chars: 0, droppedLines: 0 };
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
    if (this.cgroup && !this.oomKilled && this.cgroup.oomKills() > 0) {
      this.oomKilled = true;
      if (outcome.kind === 'crash' || outcome.kind === 'timeout') outcome = { kind: 'crash', errorType: 'Runtime.OutOfMemory', message: 'Runtime exited with error: signal: killed' };
    }
    this.initError ??= outcome.kind === 'error' ? outcome : undefined;
    this.deathOutcome = outcome;
    this.parkedNext?.destroy();
    this.parkedNext = undefined;
    this.server?.close();
    this.server?.closeAllConnections();
    this.killProcesses();
    const cgroup = this.cgroup;
    if (cgroup) setTimeout(() => cgroup.remove(), 20).unref();
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
   * Lambda stops a function that outgrows its memory. With a cgroup, the kernel enforces MemorySize on every
   * process of the environment and the samples only notice an OOM kill (and read the peak for the REPORT line).
   * Without one, the samples add up the private memory (RssAnon) of the environment's process tree and stop it
   * when that passes MemorySize; a spike shorter than a sample can then go unseen.
   */
  private watchMemory(): void {
    this.memoryTimer = setInterval(() => {
      if (this.state === 'idle' && ++this.idleTicks % 10 !== 0) return;
      this.sampleMemory();
    }, MEMORY_SAMPLE_MS);
    this.memoryTimer.unref();
  }

  private sampleMemory(): void {
    if (this.state === 'dead') return;
    const cg = this.cgroup;
    if (cg) {
      this.peakKb = Math.max(this.peakKb, Math.ceil(cg.peakBytes() / 1024));
      if (cg.oomKills() > 0) {
        this.oomKilled = true;
        this.killProcesses();
      }
      return;
    }
    const m = treeMemory(this.child?.pid);
    if (!m) return;
    if (m.rssKb > this.peakKb) this.peakKb = m.rssKb;
    if (m.privateKb / 1024 > this.spec.memoryMb) {
      this.oomKilled = true;
      this.killProcesses();
    }
  }

  /** SIGKILL to the environment: its sandbox (whose pid namespace then ends), process group and cgroup. */
  private killProcesses(): void {
    const pid = this.child?.pid;
    if (pid) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    this.cgroup?.killAll();
  }

  /** The environment's peak memory, at most MemorySize; an environment stopped for memory used all of it. */
  private maxMemoryUsedMb(): number {
    if (this.oomKilled) return this.spec.memoryMb;
    // The samples (every 50 ms while busy) keep the peak; only a first invocation faster than a sample reads it here,
    // so warm invocations read no file.
    if (this.peakKb === 0 && this.state !== 'dead') this.sampleMemory();
    return Math.min(this.spec.memoryMb, Math.max(1, Math.ceil(this.peakKb / 1024)));
  }
}

const SIGNAL_EXITS: Record<number, NodeJS.Signals> = { 134: 'SIGABRT', 135: 'SIGBUS', 136: 'SIGFPE', 137: 'SIGKILL', 139: 'SIGSEGV', 143: 'SIGTERM' };
const SIGNAL_NAMES: Partial<Record<NodeJS.Signals, string>> = {
  SIGKILL: 'killed', SIGSEGV: 'segmentation fault', SIGABRT: 'aborted', SIGTERM: 'terminated', SIGBUS: 'bus error', SIGFPE: 'floating point exception',
};

/** Why an executable entry point cannot run, as fork/exec would say; undefined when it can. */
function entrypointProblem(file: string): string | undefined {
  try {
    const st = statSync(file);
    // The function runs as an unprivileged user: the file must be executable by others (or by Gatehouse's user).
    if (!st.isFile() || (st.mode & 0o111) === 0) return 'permission denied';
    return undefined;
  } catch {
    return 'no such file or directory';
  }
}

/** The private memory (RssAnon) and resident set (VmRSS) of a process and all its descendants, in kB. */
function treeMemory(root: number | undefined): { privateKb: number; rssKb: number } | undefined {
  if (!root) return undefined;
  let privateKb = 0;
  let rssKb = 0;
  let seen = 0;
  const queue = [root];
  while (queue.length && seen < 4096) {
    const pid = queue.pop()!;
    seen++;
    let status: string;
    try {
      status = readFileSync(`/proc/${pid}/status`, 'latin1');
    } catch {
      continue;
    }
    privateKb += statusField(status, 'RssAnon:') ?? 0;
    rssKb += statusField(status, 'VmRSS:') ?? 0;
    try {
      for (const c of readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1').split(' ')) if (c.trim()) queue.push(Number(c));
    } catch {
      // gone, or no children file
    }
  }
  return seen ? { privateKb, rssKb } : undefined;
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

function reply(res: ServerResponse, status: number, body: unknown, close = false): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...(close ? { Connection: 'close' } : {}) });
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

// Worker threads for the mapping templates that need more than an inline slice (runtime.ts, Slice). The data
// plane renders every template inline first, on the event loop, with a few milliseconds of budget: nearly all
// templates finish there, at no extra cost. A template that runs out of its slice is rendered again here, from the
// same inputs (templates are deterministic given $input, $context and $stageVariables), with the full limits, on
// a thread of its own, so that a slow or hostile template never holds up other requests.
//
// Each worker has a real heap cap (resourceLimits) behind the render's memory budget, and a watchdog terminates a
// worker that overruns the CPU budget inside one uninterruptible call. A worker that dies (out of heap,
// terminated) fails only its own render, with a VtlLimitError, and is replaced on the next job.
//
// One pool per process (renderPool()), started on first use; its threads do not keep the process alive.
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { DEFAULT_LIMITS } from './runtime.ts';
import { VtlLimitError, VtlRuntimeError, VtlSyntaxError } from './errors.ts';
import type { RequestOverride, ResponseOverride } from './bindings/context.ts';

/** One render: the template source and the plain inputs it sees. */
export interface PoolJob {
  readonly id: number;
  readonly source: string;
  readonly body: string;
  readonly params: {
    readonly path: Readonly<Record<string, string>>;
    readonly querystring: Readonly<Record<string, string>>;
    readonly header: Readonly<Record<string, string>>;
  };
  readonly context: Readonly<Record<string, unknown>>;
  readonly stageVariables: Readonly<Record<string, string>>;
}

export type PoolError =
  | { kind: 'limit'; limit: VtlLimitError['limit']; message: string }
  | { kind: 'runtime'; message: string; line: number; column: number; javaException: string }
  | { kind: 'syntax'; message: string; line: number; column: number }
  | { kind: 'other'; message: string };

export interface PoolResult {
  readonly output: string;
  readonly requestOverride: RequestOverride;
  readonly responseOverride: ResponseOverride;
}

export type PoolReply = ({ id: number } & PoolResult) | { id: number; error: PoolError };

export interface PoolOptions {
  /** Worker threads. */
  readonly size: number;
  /** Old-generation heap of each worker, in MB: the hard cap behind Limits.maxMemory. */
  readonly heapMb: number;
  /** A worker busy this long with one render is terminated (its CPU budget normally stops the render first). */
  readonly hardLimitMs: number;
  /** Renders waiting for a worker; more are refused at once. */
  readonly maxQueue: number;
}

export const DEFAULT_POOL_OPTIONS: PoolOptions = {
  // One core stays with the event loop.
  size: Math.max(1, Math.min(4, availableParallelism() - 1)),
  heapMb: 256,
  hardLimitMs: DEFAULT_LIMITS.maxRenderMillis + 2000,
  maxQueue: 256,
};

interface Pending {
  readonly job: PoolJob;
  readonly resolve: (r: PoolResult) => void;
  readonly reject: (e: Error) => void;
}

interface PoolWorker {
  readonly worker: Worker;
  pending: Pending | null;
  timer: NodeJS.Timeout | undefined;
}

const WORKER_URL = new URL('./render-worker.ts', import.meta.url);

export class RenderPool {
  readonly #options: PoolOptions;
  readonly #all = new Set<PoolWorker>();
  readonly #idle: PoolWorker[] = [];
  readonly #queue: Pending[] = [];
  #nextId = 1;
  #closed = false;
  /** Workers started since the pool was created (replacements included), for tests and metrics. */
  started = 0;

  constructor(options: Partial<PoolOptions> = {}) {
    this.#options = { ...DEFAULT_POOL_OPTIONS, ...options };
  }

  /** Renders in a worker; rejects with VtlLimitError / VtlRuntimeError / VtlSyntaxError as an inline render throws. */
  render(input: Omit<PoolJob, 'id'>): Promise<PoolResult> {
    return new Promise<PoolResult>((resolve, reject) => {
      if (this.#closed) return reject(new VtlLimitError('pool', 'The template render pool is closed'));
      if (this.#queue.length >= this.#options.maxQueue) {
        return reject(new VtlLimitError('pool', `The template render pool is busy (${this.#options.maxQueue} renders waiting)`));
      }
      this.#queue.push({ job: { ...input, id: this.#nextId++ }, resolve, reject });
      this.#pump();
    });
  }

  /** Stops every worker and refuses what is still waiting. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const p of this.#queue.splice(0)) p.reject(new VtlLimitError('pool', 'The template render pool is closed'));
    await Promise.all([...this.#all].map((w) => this.#retire(w)));
  }

  #pump(): void {
    while (this.#queue.length > 0 && !this.#closed) {
      let w = this.#idle.pop();
      if (w === undefined) {
        if (this.#all.size >= this.#options.size) return;
        w = this.#spawn();
      }
      this.#start(w, this.#queue.shift()!);
    }
  }

  #spawn(): PoolWorker {
    const worker = new Worker(WORKER_URL, {
      resourceLimits: { maxOldGenerationSizeMb: this.#options.heapMb, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
    });
    const w: PoolWorker = { worker, pending: null, timer: undefined };
    worker.on('message', (reply: PoolReply) => this.#done(w, reply));
    worker.on('error', (err) => this.#died(w, err));
    worker.on('exit', (code) => this.#died(w, new Error(`the render worker exited with code ${code}`)));
    // Idle workers never keep the process alive (a worker is ref'd only while it renders, see #start). After the
    // listeners: adding a 'message' listener refs the worker's port again.
    worker.unref();
    this.#all.add(w);
    this.started++;
    return w;
  }

  #start(w: PoolWorker, p: Pending): void {
    w.pending = p;
    w.worker.ref();
    w.timer = setTimeout(() => this.#overtime(w), this.#options.hardLimitMs);
    w.timer.unref();
    try {
      w.worker.postMessage(p.job);
    } catch (e) {
      // An input that cannot be copied to the worker: a bug of the caller, reported as this render's failure.
      clearTimeout(w.timer);
      w.pending = null;
      w.worker.unref();
      this.#idle.push(w);
      p.reject(e as Error);
    }
  }

  #done(w: PoolWorker, reply: PoolReply): void {
    const p = w.pending;
    if (p === null || reply.id !== p.job.id) return;
    clearTimeout(w.timer);
    w.pending = null;
    w.worker.unref();
    this.#idle.push(w);
    if ('error' in reply) p.reject(toError(reply.error));
    else p.resolve({ output: reply.output, requestOverride: reply.requestOverride, responseOverride: reply.responseOverride });
    this.#pump();
  }

  #overtime(w: PoolWorker): void {
    const p = w.pending;
    w.pending = null;
    void this.#retire(w);
    p?.reject(new VtlLimitError('time', `Template rendering exceeded its CPU budget (the render worker was stopped after ${this.#options.hardLimitMs} ms)`));
    this.#pump();
  }

  #died(w: PoolWorker, err: Error): void {
    if (!this.#all.has(w)) return;
    const p = w.pending;
    w.pending = null;
    void this.#retire(w);
    if (p !== null) {
      const outOfMemory = (err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
      p.reject(outOfMemory
        ? new VtlLimitError('memory', `Template rendering exceeded its memory limit (the render worker's ${this.#options.heapMb} MB heap)`)
        : new VtlLimitError('pool', `The template render worker stopped: ${err.message}`));
    }
    this.#pump();
  }

  async #retire(w: PoolWorker): Promise<void> {
    this.#all.delete(w);
    const i = this.#idle.indexOf(w);
    if (i >= 0) this.#idle.splice(i, 1);
    clearTimeout(w.timer);
    await w.worker.terminate();
  }
}

function toError(e: PoolError): Error {
  switch (e.kind) {
    case 'limit':
      return new VtlLimitError(e.limit, e.message);
    case 'runtime': {
      // The message already names the position; rebuild the error with the same fields.
      const err = new VtlRuntimeError('', e.line, e.column, e.javaException);
      err.message = e.message;
      return err;
    }
    case 'syntax': {
      const err = new VtlSyntaxError('', e.line, e.column);
      err.message = e.message;
      return err;
    }
    default:
      return new Error(e.message);
  }
}

let shared: RenderPool | undefined;

/** The process's render pool, created on first use. */
export function renderPool(): RenderPool {
  return (shared ??= new RenderPool());
}

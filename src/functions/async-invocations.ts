// Event (asynchronous) invocations: accepted with 202 and run from an internal queue with Lambda's retry
// behaviour — a function error (including a timeout or crash) is retried twice more, after about one and then
// two minutes; a throttle is retried with backoff until the event is six hours old. Delays are configurable so
// tests run fast. Accepted events are kept in the store until they are done, so a restart (or a crash) runs them
// again rather than losing them: at-least-once, as Lambda's own queue.
import { AwsError, TooManyRequestsException } from '../aws/errors.ts';

export interface AsyncJob {
  requestId: string;
  region: string;
  functionName: string;
  qualifier: string | undefined;
  payload: Buffer;
  enqueuedAt: number;
  /** Attempts that ended in a function error. */
  failures: number;
  throttles: number;
}

export interface AsyncSettings {
  /** Delay before each retry after a function error; Lambda: ~1 min, then ~2 min (MaximumRetryAttempts 2). */
  retryDelaysMs: number[];
  /** First delay after a throttle; doubles up to 5 minutes. */
  throttleDelayMs: number;
  /** Lambda's MaximumEventAgeInSeconds default: 6 hours. */
  maxEventAgeMs: number;
  /** Scale-out: how long a node's claim on an event lasts unless renewed (async-job-stores.ts). */
  leaseMs: number;
}

/** Where accepted events are kept until done. */
export interface AsyncJobStore {
  save(job: AsyncJob): Promise<void>;
  remove(job: AsyncJob): Promise<void>;
  loadAll(): Promise<AsyncJob[]>;
}

/** Runs one attempt; resolves with whether the function reported an error, throws on throttle or if gone. */
export type AttemptRunner = (job: AsyncJob) => Promise<{ functionError: boolean }>;

export class AsyncInvocationQueue {
  private readonly settings: AsyncSettings;
  private readonly attempt: AttemptRunner;
  private readonly onDrop: (job: AsyncJob, reason: string) => void;
  private readonly jobs: AsyncJobStore;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  constructor(settings: AsyncSettings, jobs: AsyncJobStore, attempt: AttemptRunner, onDrop: (job: AsyncJob, reason: string) => void) {
    this.settings = settings;
    this.jobs = jobs;
    this.attempt = attempt;
    this.onDrop = onDrop;
  }

  /** Accepts an event: resolves once it is durably queued. */
  async enqueue(job: AsyncJob): Promise<void> {
    await this.jobs.save(job);
    this.schedule(job, 0);
  }

  /** Queues again the events a previous run accepted but did not finish. */
  async resume(): Promise<void> {
    for (const job of await this.jobs.loadAll()) this.schedule(job, 0);
  }

  /** Resolves when no attempt is running or scheduled (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size || this.timers.size) {
      await Promise.race([...this.running, new Promise((r) => setTimeout(r, 10))]);
    }
  }

  get pending(): number {
    return this.running.size + this.timers.size;
  }

  private schedule(job: AsyncJob, delayMs: number): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const run = this.run(job).finally(() => this.running.delete(run));
      this.running.add(run);
    }, delayMs);
    this.timers.add(timer);
  }

  private async run(job: AsyncJob): Promise<void> {
    const s = this.settings;
    if (Date.now() - job.enqueuedAt > s.maxEventAgeMs) return this.done(job, 'EventAgeExceeded');
    try {
      const { functionError } = await this.attempt(job);
      if (!functionError) return this.done(job);
      job.failures++;
      if (job.failures > s.retryDelaysMs.length) return this.done(job, 'RetriesExhausted');
      this.retry(job, s.retryDelaysMs[job.failures - 1]!);
    } catch (err) {
      if (err instanceof TooManyRequestsException) {
        this.retry(job, Math.min(300_000, s.throttleDelayMs * 2 ** job.throttles++));
      } else {
        this.done(job, err instanceof AwsError ? err.code : 'ServiceException');
      }
    }
  }

  private retry(job: AsyncJob, delayMs: number): void {
    this.jobs.save(job).catch(() => {}); // the counts only shorten retries after a restart; the event itself is kept
    this.schedule(job, delayMs);
  }

  private done(job: AsyncJob, dropReason?: string): void {
    if (dropReason) this.onDrop(job, dropReason);
    this.jobs.remove(job).catch(() => {}); // at worst the event runs again after a restart (at-least-once)
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}

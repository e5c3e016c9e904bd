// The scale-out mode's connection to Redis (`--redis-url`, GATEHOUSE_REDIS_URL), shared by the Redis adapters of the
// traffic counters (src/traffic/redis-counters.ts), the stage cache (src/cache/redis-response-cache.ts) and the
// cluster events (./cluster-events.ts).
//
// Failure behaviour, the same for every user of the link:
// - A command never waits for a connection: while Redis is unreachable commands fail at once (no offline queue),
//   and a command Redis does not answer within COMMAND_TIMEOUT_MS fails. The caller then applies the configured
//   policy (`--redis-failure open|closed`, see RedisFailurePolicy); no request hangs on a dead Redis.
// - ioredis reconnects in the background for as long as the process runs (every 100 ms growing to 2 s), so a
//   restarted Redis is used again without restarting Gatehouse.
// - Failures are reported on stderr as WARN lines, at most one per WARN_EVERY_MS with the count of the failures it
//   stands for: a down Redis under load writes a line every few seconds, not one per request.
import { createRequire } from 'node:module';
import type { Redis, RedisOptions } from 'ioredis';

/** ioredis, loaded when a node is given a Redis (a single node never loads it). */
function redisClient(url: string, options: RedisOptions): Redis {
  const { Redis: Client } = createRequire(import.meta.url)('ioredis') as typeof import('ioredis');
  return new Client(url, options);
}

/**
 * What a request does when Redis cannot answer. `open` (the default): throttles and quotas are not enforced (the
 * request is admitted; its usage is still recorded, in the store) and the stage cache is skipped. `closed`: a
 * request whose limits cannot be checked is refused with 503 Service Unavailable; the cache is still only skipped (a
 * cache never fails a request).
 */
export type RedisFailurePolicy = 'open' | 'closed';
export const REDIS_FAILURE_POLICIES: readonly RedisFailurePolicy[] = ['open', 'closed'];

/** How long one command may take before it counts as a failure. */
export const COMMAND_TIMEOUT_MS = 1000;
const CONNECT_TIMEOUT_MS = 2000;
const WARN_EVERY_MS = 10_000;

export interface RedisLinkOptions {
  url: string;
  failure: RedisFailurePolicy;
  /** Prepended to every key and channel (`--redis-prefix`), so several Gatehouse clusters (or tests) can share a Redis. */
  prefix: string;
  /** Where WARN lines go (stderr by default). */
  warn?: (line: string) => void;
  /** How long one command may take before it counts as a failure (COMMAND_TIMEOUT_MS by default). */
  commandTimeoutMs?: number;
}

export interface RedisHealth {
  status: 'ok' | 'unavailable';
  /** The last failure, while unavailable. */
  error?: string;
}

export class RedisLink {
  readonly client: Redis;
  readonly prefix: string;
  readonly failure: RedisFailurePolicy;
  readonly #warn: (line: string) => void;
  readonly #where: string;
  #lastWarnAt = 0;
  #unreported = 0;
  #lastError: string | undefined;
  #wasDown = false;

  constructor(opts: RedisLinkOptions) {
    this.prefix = opts.prefix;
    this.failure = opts.failure;
    this.#warn = opts.warn ?? ((line) => void process.stderr.write(`${line}\n`));
    this.#where = redactedUrl(opts.url);
    this.client = redisClient(opts.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: opts.commandTimeoutMs ?? COMMAND_TIMEOUT_MS,
      connectTimeout: CONNECT_TIMEOUT_MS,
      retryStrategy: (times) => Math.min(100 * times, 2000),
      // Redis's own "ready" check (INFO loading) would refuse commands while a restarted Redis loads its data: wanted.
      enableReadyCheck: true,
    });
    this.client.on('error', (err: Error) => this.failed(err));
    this.client.on('ready', () => {
      this.#lastError = undefined;
      if (this.#wasDown) {
        this.#wasDown = false;
        this.#warn(`WARN Redis at ${this.#where} is reachable again`);
      }
    });
  }

  /** Writes a line where this link's WARN lines go (stderr by default). */
  notice(line: string): void {
    this.#warn(line);
  }

  /** The server's URL without its password, for log lines. */
  get where(): string {
    return this.#where;
  }

  /** Whether commands can be sent now. */
  get ready(): boolean {
    return this.client.status === 'ready';
  }

  /** Resolves once connected, or after `ms` (a node starts even when Redis is down: the policy applies meanwhile). */
  async waitReady(ms: number): Promise<boolean> {
    if (this.ready) return true;
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.client.off('ready', onReady);
        resolve(ok);
      };
      const onReady = () => done(true);
      const timer = setTimeout(() => done(false), ms);
      this.client.on('ready', onReady);
    });
  }

  /** Records a failed command or connection and writes a WARN line unless one was written in the last 10 s. */
  failed(err: unknown): void {
    const message = (err as Error)?.message ?? String(err);
    this.#lastError = message;
    this.#wasDown = true;
    this.#unreported++;
    const now = Date.now();
    if (now - this.#lastWarnAt < WARN_EVERY_MS) return;
    const count = this.#unreported;
    this.#unreported = 0;
    this.#lastWarnAt = now;
    const policy = this.failure === 'open' ? 'limits are not enforced and the stage cache is skipped meanwhile' : 'requests are refused with 503 meanwhile';
    this.#warn(`WARN Redis at ${this.#where} is unavailable (${message}; ${count} failure${count === 1 ? '' : 's'} since the last warning): --redis-failure ${this.failure}, ${policy}; reconnecting`);
  }

  health(): RedisHealth {
    return this.ready ? { status: 'ok' } : { status: 'unavailable', error: this.#lastError ?? `connection ${this.client.status}` };
  }

  /** Answers PING within the command timeout (the ready check of /_gatehouse/health/ready). */
  async ping(): Promise<RedisHealth> {
    if (!this.ready) return this.health();
    try {
      await this.client.ping();
      return { status: 'ok' };
    } catch (err) {
      return { status: 'unavailable', error: (err as Error).message };
    }
  }

  async close(): Promise<void> {
    try {
      if (this.ready) await this.client.quit();
    } catch {
      // closing anyway
    }
    this.client.disconnect();
  }
}

/** The URL without its password, for log lines. */
export function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.href;
  } catch {
    return '(invalid URL)';
  }
}

// The process log: one line per request on stdout (execute-api and control calls), as text or, with
// `--log-format json`, as pino's JSON; `--log-level` chooses what is shown (`silent`: nothing — the tests' quiet
// mode). Lines go through pino's asynchronous destination (SonicBoom, buffered and written off the request path),
// so a slow terminal or pipe never blocks a request; what the buffer holds is written at least every 100 ms (a
// developer trying one request sees its line at once, not after 4 KB of others) and on close.
import pino, { type Logger } from 'pino';

export const LOG_FORMATS = ['text', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface RequestLine {
  method: string;
  path: string;
  /** `{apiId}/{stage}` for execute-api, the service and operation for control calls. */
  target: string;
  status: number;
  latencyMs: number;
  integrationLatencyMs?: number;
  requestId: string;
  /** Why a request failed on the gateway's side: the backend or function and its error. */
  cause?: string;
}

export interface RequestLogOptions {
  format: LogFormat;
  level: LogLevel;
  /** File descriptor or path to write to; stdout by default. */
  destination?: number | string;
}

const RANK: Record<LogLevel, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, silent: Infinity };

export class RequestLog {
  private readonly logger: Logger;
  private readonly format: LogFormat;
  private readonly threshold: number;
  private readonly dest: ReturnType<typeof pino.destination>;
  private readonly flusher: ReturnType<typeof setInterval> | undefined;
  /** Lines written since the last flush. */
  private pending = false;

  constructor(opts: RequestLogOptions) {
    this.format = opts.format;
    this.threshold = RANK[opts.level];
    this.dest = pino.destination({ dest: opts.destination ?? 1, sync: false, minLength: 4096 });
    this.logger = pino({ level: opts.level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime, formatters: { level: (label) => ({ level: label }) } }, this.dest);
    if (this.threshold !== Infinity) {
      this.flusher = setInterval(() => {
        if (!this.pending) return;
        this.pending = false;
        try {
          this.dest.flush();
        } catch {
          // Destroyed (closing): close() flushes what is left.
        }
      }, 100);
      this.flusher.unref();
    }
  }

  /** Whether lines of this level are written (callers skip building them otherwise). */
  enabled(level: LogLevel): boolean {
    return RANK[level] >= this.threshold;
  }

  request(r: RequestLine): void {
    // Gateway failures (5xx) are errors with their cause; everything else is one info line.
    const level: LogLevel = r.status >= 500 ? 'error' : 'info';
    if (!this.enabled(level)) return;
    this.pending = true;
    if (this.format === 'json') {
      this.logger[level]({ requestId: r.requestId, method: r.method, path: r.path, target: r.target, status: r.status, latencyMs: r.latencyMs, integrationLatencyMs: r.integrationLatencyMs, cause: r.cause }, 'request');
      return;
    }
    const integration = r.integrationLatencyMs === undefined ? '' : ` (integration ${r.integrationLatencyMs} ms)`;
    const cause = r.cause ? ` — ${r.cause}` : '';
    this.dest.write(`${new Date().toISOString()} ${level.toUpperCase()} ${r.method} ${r.path} ${r.target} ${r.status} ${r.latencyMs} ms${integration} ${r.requestId}${cause}\n`);
  }

  /** Anything else worth a line (warnings about delivery, for instance). */
  message(level: Exclude<LogLevel, 'silent'>, text: string): void {
    if (!this.enabled(level)) return;
    this.pending = true;
    if (this.format === 'json') this.logger[level](text);
    else this.dest.write(`${new Date().toISOString()} ${level.toUpperCase()} ${text}\n`);
  }

  close(): Promise<void> {
    if (this.flusher) clearInterval(this.flusher);
    return new Promise((resolve) => {
      try {
        this.dest.flush((err) => {
          void err;
          resolve();
        });
      } catch {
        resolve();
      }
    });
  }
}

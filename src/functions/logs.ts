// Function logs as Lambda writes them: the function's own output between `START` and `END`/`REPORT` lines, kept
// per invocation (LogType Tail returns its last 4 KB) and appended per function to
// `${dataDir}/functions/${region}/${name}/function.log` (what CloudWatch Logs would hold).
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname, join } from 'node:path';

const TAIL_BYTES = 4096;
/**
 * Output waiting to be written per function log (pending text plus the file stream's own buffer). A function whose
 * processes write faster than the disk takes (a background child flooding stdout between invocations) loses lines
 * past this, counted in one note, instead of growing Gatehouse's memory.
 */
const MAX_BUFFERED = 16 * 1024 * 1024;

/** Where function log lines go besides the file: CloudWatch Logs' `/aws/lambda/{name}` (src/server/app.ts). */
export type FunctionLogSink = (region: string, functionName: string, lines: readonly string[]) => void;

export function startLine(requestId: string, version: string): string {
  return `START RequestId: ${requestId} Version: ${version}`;
}

export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}`;
}

export interface ReportFields {
  requestId: string;
  durationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  initDurationMs?: number;
  /** 'timeout' or 'error' (with errorType) when the invocation did not end normally. */
  status?: 'timeout' | 'error';
  errorType?: string;
}

export function reportLine(f: ReportFields): string {
  // Since August 2025 Lambda bills the init phase of on-demand functions: Billed Duration includes Init Duration.
  const billed = Math.ceil(f.durationMs + (f.initDurationMs ?? 0));
  let line =
    `REPORT RequestId: ${f.requestId}\tDuration: ${f.durationMs.toFixed(2)} ms\tBilled Duration: ${billed} ms\t` +
    `Memory Size: ${f.memorySizeMb} MB\tMax Memory Used: ${f.maxMemoryUsedMb} MB\t`;
  if (f.initDurationMs !== undefined) line += `Init Duration: ${f.initDurationMs.toFixed(2)} ms\t`;
  if (f.status) line += `Status: ${f.status}${f.errorType ? `\tError Type: ${f.errorType}` : ''}`;
  return line;
}

export function timedOutLine(requestId: string, seconds: number, now: Date): string {
  return `${now.toISOString()} ${requestId} Task timed out after ${seconds.toFixed(2)} seconds`;
}

/** Base64 of the last 4 KB of an invocation's log, as X-Amz-Log-Result carries it. */
export function tail(lines: readonly string[]): string {
  const text = Buffer.from(lines.map((l) => `${l}\n`).join(''));
  return text.subarray(Math.max(0, text.length - TAIL_BYTES)).toString('base64');
}

/**
 * One append-only log file per function; streams open lazily and close with the service. Lines written in the
 * same turn of the event loop go to the file in one write (under load, many invocations end in one turn).
 */
export class FunctionLogs {
  private readonly dataDir: string;
  private readonly sink: FunctionLogSink | undefined;
  private readonly streams = new Map<string, WriteStream>();
  private readonly pending = new Map<WriteStream, string>();
  private readonly dropped = new Map<WriteStream, number>();
  private flushScheduled = false;

  constructor(dataDir: string, sink?: FunctionLogSink) {
    this.dataDir = dataDir;
    this.sink = sink;
  }

  static file(dataDir: string, region: string, name: string): string {
    return join(dataDir, 'functions', region, name, 'function.log');
  }

  write(region: string, name: string, lines: readonly string[]): void {
    if (!lines.length) return;
    this.sink?.(region, name, lines);
    const file = FunctionLogs.file(this.dataDir, region, name);
    let s = this.streams.get(file);
    if (!s) {
      mkdirSync(dirname(file), { recursive: true });
      s = createWriteStream(file, { flags: 'a' });
      s.on('error', () => this.streams.delete(file));
      this.streams.set(file, s);
    }
    const waiting = this.pending.get(s) ?? '';
    if (waiting.length + s.writableLength > MAX_BUFFERED) {
      this.dropped.set(s, (this.dropped.get(s) ?? 0) + lines.length);
      return;
    }
    const note = this.dropped.get(s);
    this.dropped.delete(s);
    const text = (note ? `Gatehouse: ${note} lines of output dropped (written faster than the log file takes them)\n` : '') + lines.join('\n') + '\n';
    this.pending.set(s, waiting + text);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    for (const [s, text] of this.pending) if (!s.destroyed) s.write(text);
    this.pending.clear();
  }

  /** Closes a function's stream (before its directory is removed). */
  drop(region: string, name: string): void {
    const file = FunctionLogs.file(this.dataDir, region, name);
    const s = this.streams.get(file);
    if (s) {
      this.pending.delete(s);
      this.dropped.delete(s);
    }
    s?.destroy();
    this.streams.delete(file);
  }

  async close(): Promise<void> {
    this.flush();
    const all = [...this.streams.values()];
    this.streams.clear();
    await Promise.all(all.map((s) => new Promise<void>((r) => s.end(() => r()))));
  }
}

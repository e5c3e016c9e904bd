// Functions' output in CloudWatch Logs, as Lambda delivers it: group `/aws/lambda/{name}` (created on first output,
// as Lambda does with its execution role's permission), stream `YYYY/MM/DD/[$LATEST]{32 hex}`, one event per line
// ending with a newline (START, the function's own lines, END, REPORT with Duration, Billed Duration, Memory Size,
// Max Memory Used and, on a cold start, Init Duration: src/functions/logs.ts writes them).
//
// Lambda names a stream per execution environment; here one stream per function, process and day holds the lines
// of all its environments (the function logs' file, src/functions/logs.ts, does not say which environment wrote a
// line), and its version part is always `$LATEST`.
import { randomBytes } from 'node:crypto';
import type { LogStore } from './logs/log-store.ts';

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

export function lambdaLogStream(now: Date, id: string): string {
  return `${now.getUTCFullYear()}/${pad(now.getUTCMonth() + 1)}/${pad(now.getUTCDate())}/[$LATEST]${id}`;
}

/** The function-log sink (src/functions/logs.ts FunctionLogSink) that queues lines into `/aws/lambda/{name}`. */
export function lambdaLogSink(logs: LogStore, now: () => Date): (region: string, functionName: string, lines: readonly string[]) => void {
  const id = randomBytes(16).toString('hex');
  return (region, functionName, lines) => {
    const at = now();
    const timestamp = at.getTime();
    logs.append(region, `/aws/lambda/${functionName}`, lambdaLogStream(at, id), lines.map((l) => ({ timestamp, message: l.endsWith('\n') ? l : `${l}\n` })), true);
  };
}

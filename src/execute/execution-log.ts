// Helpers for AWS-style execution-log lines (what TestInvokeMethod returns and stage logging prints).
import { MultiMap } from './headers.ts';

/** Java's Map.toString(): `{a=1, b=2}`, as AWS prints parameter and header maps. */
export function javaMap(m: Record<string, string> | MultiMap): string {
  const entries = Object.entries(m instanceof MultiMap ? m.single() : m);
  return `{${entries.map(([k, v]) => `${k}=${v}`).join(', ')}}`;
}

/** Bodies are logged as text, truncated as AWS truncates them (to 1 KB, with a marker). */
export function logBody(body: string | Buffer): string {
  const s = typeof body === 'string' ? body : body.toString('utf8');
  return s.length > 1024 ? `${s.slice(0, 1024)} [TRUNCATED]` : s;
}

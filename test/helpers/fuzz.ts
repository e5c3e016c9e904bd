// Shared machinery of the fuzz tests: a replayable PRNG, and a runner that fires generated raw requests (node:http,
// so malformed paths reach the wire as written) with bounded parallelism and collects what violates the front
// door's contract: no 5xx, every error AWS-shaped, no transport failure.
import { request } from 'node:http';

/** Deterministic PRNG (mulberry32) so a failure can be replayed. */
export function prng(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)]!;
}

/** Characters Node's client refuses to put on the wire are sent percent-encoded; a stray '%' stays raw. */
export function wirePath(path: string): string {
  return path.replace(/[^\x21-\x7e]|["<>\\^`{|}]/gu, (c) => encodeURIComponent(c));
}

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface FuzzResult {
  failures: string[];
  statuses: Map<number, number>;
}

/**
 * Sends `count` requests made by `next` to 127.0.0.1:port, `parallel` at a time. An error answer counts as
 * AWS-shaped when it has `x-amzn-ErrorType` and a JSON message (`message`, or Lambda's `Message`);
 * `exempt(res)` lets a caller pass answers that are not Gatehouse's own (a backend's, through a proxy).
 */
export async function fuzz(
  port: number,
  count: number,
  parallel: number,
  next: () => FuzzRequest,
  exempt: (headers: Record<string, unknown>) => boolean = () => false,
): Promise<FuzzResult> {
  const failures: string[] = [];
  const statuses = new Map<number, number>();
  let issued = 0;
  const one = ({ method, path, headers, body }: FuzzRequest): Promise<void> =>
    new Promise((resolve) => {
      const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          const text = Buffer.concat(chunks).toString();
          const what = `${status} ${method} ${path.slice(0, 160)} body=${body.slice(0, 60)} → ${text.slice(0, 200)}`;
          if (status >= 500) failures.push(what);
          else if (status >= 400 && method !== 'HEAD' && !exempt(res.headers)) {
            let shaped = false;
            try {
              const parsed = JSON.parse(text);
              shaped = typeof (parsed.message ?? parsed.Message) === 'string' && !!res.headers['x-amzn-errortype'];
            } catch {
              shaped = false;
            }
            if (!shaped) failures.push(`not AWS-shaped: ${what}`);
          }
          resolve();
        });
      });
      req.on('error', (e) => {
        failures.push(`transport error ${e.message} for ${method} ${path.slice(0, 160)}`);
        resolve();
      });
      req.end(body);
    });
  const worker = async () => {
    while (issued < count) {
      issued++;
      await one(next());
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return { failures, statuses };
}

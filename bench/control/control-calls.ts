// What the control-plane benchmarks share: a `gatehouse serve` child process, and the latency of common control
// calls measured sequentially on one keep-alive connection (server time + loopback).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Pool } from 'undici';
import { sigv4Headers } from '../../test/helpers/gatehouse.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
/** A SigV4-shaped Authorization (the control guard checks the shape; signatures are not verified by default). */
export const SIGNED = sigv4Headers();

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function startServer(dataDir: string, extraArgs: string[] = []): Promise<{ port: number; pid: number; stop(): Promise<void>; readyMs: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [join(ROOT, 'src/cli/main.ts'), 'serve', '--port', '0', '--data-dir', dataDir, ...extraArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const port = await new Promise<number>((res, rej) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) res(Number(m[1]));
    });
    child.on('exit', (c) => rej(new Error(`exited ${c}`)));
  });
  // Ready = answers a control call that reads the store.
  const r = await fetch(`http://127.0.0.1:${port}/restapis?limit=1`, { headers: SIGNED });
  await r.text();
  const readyMs = performance.now() - t0;
  return {
    port,
    pid: child.pid!,
    readyMs,
    stop: () =>
      new Promise((res) => {
        child.once('exit', () => res());
        child.kill('SIGTERM');
      }),
  };
}

export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

export async function latency(port: number, N = 2000): Promise<Record<string, { p50: number; p99: number }>> {
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 1 });
  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'PUT', path: string, body?: unknown) => {
    const r = await pool.request({ method, path, headers: { ...SIGNED, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.body.text();
    if (r.statusCode >= 400) throw new Error(`${method} ${path}: ${r.statusCode} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const api = await call('POST', '/restapis', { name: 'bench' });
  const results: Record<string, { p50: number; p99: number }> = {};
  const measure = async (name: string, fn: (i: number) => Promise<unknown>) => {
    for (let i = 0; i < 100; i++) await fn(i); // warm-up
    const times: number[] = [];
    for (let i = 0; i < N; i++) {
      const t = performance.now();
      await fn(i + 100);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    results[name] = { p50: percentile(times, 50), p99: percentile(times, 99) };
  };
  await measure('GetRestApi', () => call('GET', `/restapis/${api.id}`));
  // Resources go into APIs of realistic size: a new API every 50 resources.
  let target = api;
  await measure('CreateResource', async (i) => {
    if (i % 50 === 0) target = await call('POST', '/restapis', { name: `bench-${i}` });
    return call('POST', `/restapis/${target.id}/resources/${target.rootResourceId}`, { pathPart: `r${i}` });
  });
  await measure('GetResources (50 resources)', () => call('GET', `/restapis/${target.id}/resources?limit=500`));
  await measure('UpdateRestApi', (i) => call('PATCH', `/restapis/${api.id}`, { patchOperations: [{ op: 'replace', path: '/description', value: `d${i}` }] }));
  await measure('GetRestApis', () => call('GET', '/restapis'));
  await pool.close();
  return results;
}


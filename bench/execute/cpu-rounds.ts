// The load loop the CPU-per-request benchmarks share: wrk on CPU 1 against each case in turn, rounds interleaved (so
// a busy moment on a shared machine hits every case alike), the server's CPU time read before and after each run.
import { spawnSync } from 'node:child_process';
import type { BenchServer } from './bench-server.ts';

export interface WrkRun {
  rps: number;
  requests: number;
  non2xx: number;
}

/** One wrk run (`-t1`, pinned to CPU 1) with the given connections, duration and extra headers. */
export function wrk(url: string, connections: number, seconds: number, headers: readonly string[] = []): WrkRun {
  const args = ['-c', '1', 'wrk', '-t1', `-c${connections}`, `-d${seconds}s`, ...headers.flatMap((h) => ['-H', h]), url];
  const r = spawnSync('taskset', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`wrk failed: ${r.stderr}`);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(r.stdout)![1]),
    requests: Number(/(\d+) requests in/.exec(r.stdout)![1]),
    non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(r.stdout)?.[1] ?? 0),
  };
}

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export interface CpuRounds {
  /** Server CPU µs per request, per case, one entry per round. */
  cpu: Record<string, number[]>;
  rps: Record<string, number[]>;
  non2xx: Record<string, number>;
}

/** A warm-up run of each case, then `rounds` interleaved rounds of `load` against `server`. */
export async function cpuRounds(cases: Record<string, string>, load: (url: string) => WrkRun, server: BenchServer, rounds: number): Promise<CpuRounds> {
  const out: CpuRounds = { cpu: {}, rps: {}, non2xx: {} };
  for (const [name, url] of Object.entries(cases)) {
    out.non2xx[name] = load(url).non2xx;
    out.cpu[name] = [];
    out.rps[name] = [];
  }
  for (let round = 0; round < rounds; round++) {
    for (const [name, url] of Object.entries(cases)) {
      const before = await server.cpu();
      const r = load(url);
      const after = await server.cpu();
      out.cpu[name]!.push((after - before) / r.requests);
      out.rps[name]!.push(r.rps);
      out.non2xx[name]! += r.non2xx;
    }
  }
  return out;
}

/** The medians as a Markdown table, then a warning per case that had non-2xx answers. */
export function printCpuTable(r: CpuRounds): void {
  console.log('| case | req/s | server CPU µs/req |');
  console.log('| --- | ---: | ---: |');
  for (const name of Object.keys(r.cpu)) console.log(`| ${name} | ${median(r.rps[name]!).toFixed(0)} | ${median(r.cpu[name]!).toFixed(1)} |`);
}

/** `with`'s median CPU per request minus `without`'s, and the same per round. */
export function addedCpu(r: CpuRounds, with_: string, without: string): string {
  const a = r.cpu[with_]!;
  const b = r.cpu[without]!;
  return `${(median(a) - median(b)).toFixed(1)} µs (per round: ${a.map((c, i) => (c - b[i]!).toFixed(1)).join(', ')})`;
}

export function warnNon2xx(r: CpuRounds): void {
  for (const [name, n] of Object.entries(r.non2xx)) if (n > 0) console.log(`WARNING: ${n} non-2xx responses to ${name}`);
}

// The load loop the wrk benchmarks share: wrk on CPU 1 against each case in turn, rounds interleaved (so a busy moment
// on a shared machine hits every case alike), the server's CPU time read before and after each run.
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import type { BenchServer } from './bench-server.ts';

export interface WrkRun {
  rps: number;
  requests: number;
  /** How long the run lasted, as wrk reports it. */
  seconds: number;
  non2xx: number;
  /** wrk's whole report, for what a caller reads beyond the above (latencyMs, statusCounts). */
  report: string;
}

/** wrk's arguments: `-t1`, pinned to CPU 1, `flags` (`--latency`, `-s script`) before the URL. */
function wrkArgs(url: string, connections: number, seconds: number, headers: readonly string[], flags: readonly string[]): string[] {
  return ['-c', '1', 'wrk', '-t1', `-c${connections}`, `-d${seconds}s`, ...headers.flatMap((h) => ['-H', h]), ...flags, url];
}

const SECONDS = { us: 1e-6, ms: 1e-3, s: 1, m: 60 } as const;

function parseWrk(report: string): WrkRun {
  const lasted = /(\d+) requests in ([\d.]+)(us|ms|s|m)\b/.exec(report)!;
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(report)![1]),
    requests: Number(lasted[1]),
    seconds: Number(lasted[2]) * SECONDS[lasted[3] as keyof typeof SECONDS],
    non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(report)?.[1] ?? 0),
    report,
  };
}

/** One wrk run with the given connections, duration, extra headers and flags. */
export function wrk(url: string, connections: number, seconds: number, headers: readonly string[] = [], flags: readonly string[] = []): WrkRun {
  const r = spawnSync('taskset', wrkArgs(url, connections, seconds, headers, flags), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`wrk failed: ${r.stderr}`);
  return parseWrk(r.stdout);
}

/** The same run without blocking this process (for a bench that serves something itself while wrk runs). */
export async function wrkAsync(url: string, connections: number, seconds: number, headers: readonly string[] = [], flags: readonly string[] = []): Promise<WrkRun> {
  const r = await promisify(execFile)('taskset', wrkArgs(url, connections, seconds, headers, flags), { encoding: 'utf8' });
  return parseWrk(r.stdout);
}

/** A latency percentile (50, 99…) in ms from a run made with `--latency`. */
export function latencyMs(run: WrkRun, percentile: number): number {
  const m = new RegExp(`\\s${percentile}%\\s+([\\d.]+)(us|ms|s)`).exec(run.report)!;
  return Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1);
}

/** Answers per status, from a run made with bench/traffic/status.lua (wrk itself only counts non-2xx). */
export function statusCounts(run: WrkRun): Map<number, number> {
  const status = new Map<number, number>();
  for (const m of run.report.matchAll(/^status (\d+) (\d+)$/gm)) status.set(Number(m[1]), Number(m[2]));
  return status;
}

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** One case of a comparison: the measured run and the server (or servers: serverGroup) its CPU time is charged to. */
export interface RoundCase {
  server: Pick<BenchServer, 'cpu'>;
  load: () => WrkRun | Promise<WrkRun>;
  /** Run once before the rounds (JIT, keep-alive pools): `load` unless given, nothing when null. */
  warmUp?: (() => WrkRun | Promise<WrkRun>) | null;
}

export interface CpuRounds {
  /** Server CPU µs per request, per case, one entry per round. */
  cpu: Record<string, number[]>;
  /** Requests per second, per case, one entry per round (its slices' requests over their time). */
  rps: Record<string, number[]>;
  non2xx: Record<string, number>;
  /** Each case's measured runs, one per round (one per slice with slices > 1). */
  runs: Record<string, WrkRun[]>;
}

type UrlLoad = (url: string) => WrkRun | Promise<WrkRun>;

/** Every URL a case on one server, loaded alike and warmed up alike (by `load` itself unless `warmUp` is given). */
export function urlCases(urls: Record<string, string>, server: BenchServer, load: UrlLoad, warmUp: UrlLoad = load): Record<string, RoundCase> {
  return Object.fromEntries(Object.entries(urls).map(([name, url]) => [name, { server, load: () => load(url), warmUp: () => warmUp(url) }]));
}

/**
 * A warm-up of each case, then `rounds` interleaved rounds of the cases. With `slices` > 1 a round is that many
 * passes over the cases, each case's `load` being one slice of its run (the caller sizes it): the cases then take
 * turns every slice, so a slow spell of a shared machine (seconds long on this VM) falls on all of them alike, not
 * on whichever case was running. A round's figures are its slices' requests, CPU time and duration summed.
 */
export async function cpuRounds(cases: Record<string, RoundCase>, rounds: number, slices = 1): Promise<CpuRounds> {
  const out: CpuRounds = { cpu: {}, rps: {}, non2xx: {}, runs: {} };
  for (const [name, c] of Object.entries(cases)) {
    const warmUp = c.warmUp === undefined ? c.load : c.warmUp;
    // The warm-up's non-2xx answers count too (warnNon2xx): a case failing from the start shows even in one round.
    out.non2xx[name] = warmUp ? (await warmUp()).non2xx : 0;
    out.cpu[name] = [];
    out.rps[name] = [];
    out.runs[name] = [];
  }
  const names = Object.keys(cases);
  for (let round = 0; round < rounds; round++) {
    const cpu = names.map(() => 0);
    const requests = names.map(() => 0);
    const seconds = names.map(() => 0);
    for (let slice = 0; slice < slices; slice++) {
      for (const [i, name] of names.entries()) {
        const c = cases[name]!;
        const before = await c.server.cpu();
        const r = await c.load();
        cpu[i]! += (await c.server.cpu()) - before;
        requests[i]! += r.requests;
        seconds[i]! += r.seconds;
        out.runs[name]!.push(r);
        out.non2xx[name]! += r.non2xx;
      }
    }
    for (const [i, name] of names.entries()) {
      out.cpu[name]!.push(cpu[i]! / requests[i]!);
      // One slice: wrk's own figure, as before slices existed.
      out.rps[name]!.push(slices === 1 ? out.runs[name]!.at(-1)!.rps : requests[i]! / seconds[i]!);
    }
  }
  return out;
}

/**
 * The medians as a Markdown table whose first column is headed `first`; with `errors`, a column so headed of what
 * `count` finds in the measured runs (their non-2xx answers unless told; else warnNon2xx says them).
 */
export function printCpuTable(r: CpuRounds, first = 'case', errors?: string, count = (run: WrkRun) => run.non2xx): void {
  console.log(`| ${first} | req/s | server CPU µs/req |${errors ? ` ${errors} |` : ''}`);
  console.log(`| --- | ---: | ---: |${errors ? ' ---: |' : ''}`);
  for (const name of Object.keys(r.cpu)) {
    const counted = errors ? ` ${r.runs[name]!.reduce((a, run) => a + count(run), 0)} |` : '';
    console.log(`| ${name} | ${median(r.rps[name]!).toFixed(0)} | ${median(r.cpu[name]!).toFixed(1)} |${counted}`);
  }
}

/** `with`'s median CPU per request minus `without`'s, and the same per round. */
export function addedCpu(r: CpuRounds, with_: string, without: string): string {
  const a = r.cpu[with_]!;
  const b = r.cpu[without]!;
  return `${(median(a) - median(b)).toFixed(1)} µs (per round: ${a.map((c, i) => (c - b[i]!).toFixed(1)).join(', ')})`;
}

/** `a`'s median req/s over `b`'s, and the per-round ratios (`0.81, 0.79, …`). */
export function rpsRatio(r: CpuRounds, a: string, b: string): { ratio: number; perRound: string } {
  const ra = r.rps[a]!;
  const rb = r.rps[b]!;
  return { ratio: median(ra) / median(rb), perRound: ra.map((x, i) => (x / rb[i]!).toFixed(2)).join(', ') };
}

/** `a`'s CPU efficiency against the baseline `b`: `b`'s median CPU per request over `a`'s (1 = as cheap as `b`). */
export function cpuRatio(r: CpuRounds, a: string, b: string): number {
  return median(r.cpu[b]!) / median(r.cpu[a]!);
}

export function warnNon2xx(r: CpuRounds): void {
  for (const [name, n] of Object.entries(r.non2xx)) if (n > 0) console.log(`WARNING: ${n} non-2xx responses to ${name}`);
}

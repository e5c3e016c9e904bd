// Starting one of bench/execute/servers.ts's servers in its own process, for run.ts and compare.ts: the child
// prints one JSON line when listening ({port, apiId?}), and answers SIGUSR2 with a line of its CPU time so far.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface BenchServer {
  child: ChildProcess;
  port: number;
  apiId?: string;
  /** An access key allowed to call the AWS_IAM HTTP_PROXY method (bench-api.ts). */
  signer?: { accessKeyId: string; secretAccessKey: string };
  /** Resolves with the process's CPU time so far (microseconds). */
  cpu(): Promise<number>;
}

/** Starts `kind` from the servers.ts of `tree` (a checkout of this project; this one by default). */
export function startBenchServer(kind: string, backendPort?: number, tree = join(import.meta.dirname, '..', '..'), cpus = '0'): Promise<BenchServer> {
  return startPinnedServer([join(tree, 'bench', 'execute', 'servers.ts'), kind, String(backendPort ?? '')], cpus);
}

/**
 * Runs `node ...args` pinned to `cpus` (taskset's list; CPU 0 by default: the load generator runs on CPU 1, the
 * benchmarks' method); resolves with the first JSON line it prints ({port, apiId?}). `taskset` execs node, so
 * SIGUSR2 reaches node itself.
 */
export function startPinnedServer(args: string[], cpus = '0'): Promise<BenchServer> {
  const child = spawn('taskset', ['-c', cpus, process.execPath, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let started = false;
    const waiting: Array<(n: number) => void> = [];
    const cpu = () =>
      new Promise<number>((r) => {
        waiting.push(r);
        child.kill('SIGUSR2');
      });
    child.stdout!.on('data', (d) => {
      out += d;
      for (let nl = out.indexOf('\n'); nl !== -1; nl = out.indexOf('\n')) {
        const msg = JSON.parse(out.slice(0, nl));
        out = out.slice(nl + 1);
        if (!started) {
          started = true;
          resolve({ child, cpu, ...msg });
        } else if (typeof msg.cpuMicros === 'number') waiting.shift()?.(msg.cpuMicros);
      }
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
  });
}

/** Several servers measured as one (the nodes of a cluster): their CPU times summed. */
export function serverGroup(servers: readonly BenchServer[]): Pick<BenchServer, 'cpu'> {
  return { cpu: async () => (await Promise.all(servers.map((s) => s.cpu()))).reduce((a, b) => a + b, 0) };
}

/**
 * The child side of `cpu()`: answers SIGUSR2 with a line of this process's CPU time (and what `more` adds); exits
 * normally on SIGTERM, after `close` when given (profiling runs with --cpu-prof need a normal exit for the profile).
 */
export function answerCpuSignals(more: () => object = () => ({}), close?: () => Promise<void>): void {
  process.on('SIGTERM', () => {
    if (!close) process.exit(0);
    void close().then(() => process.exit(0));
  });
  process.on('SIGUSR2', () => {
    const u = process.cpuUsage();
    process.stdout.write(`${JSON.stringify({ cpuMicros: u.user + u.system, ...more() })}\n`);
  });
}

// A Redis of the test's own: `redis-server` on a free loopback port, without persistence unless asked for (an
// append-only file in a temporary directory, as docs/scale-out.md advises operators), which the test may kill and
// start again (the machine's shared Redis on 6379 is never touched). Without `redis-server` the tests that need it
// fail under CI=true (CI installs it: .ci/run) and are skipped, saying why, elsewhere.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tempDataDir } from './temp.ts';

export const HAVE_REDIS = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

/** `test(name, { skip: redisSkip }, …)`: a reason to skip outside CI; under CI=true the test runs and fails. */
export const redisSkip: string | false = !HAVE_REDIS && process.env.CI !== 'true' ? 'redis-server is not installed (apt-get install redis-server)' : false;

export interface TestRedis {
  readonly port: number;
  readonly url: string;
  /** Stops the server (SIGKILL: as a crash). */
  kill(): Promise<void>;
  /** Starts it again on the same port: empty, or with what its append-only file kept. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** A loopback port nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface TestRedisOptions {
  /** Benchmarks pin it to a CPU of its own (bench/scale-out/run.ts), or a taskset CPU list (nodes.bench.ts). */
  cpu?: number | string;
  /** Persist every write in an append-only file, fsynced `always` (before each reply) or `everysec`. */
  appendfsync?: 'always' | 'everysec';
}

function launch(port: number, opts: TestRedisOptions, dir: string | undefined): ChildProcess {
  const { cpu } = opts;
  const persistence = opts.appendfsync ? ['--appendonly', 'yes', '--appendfsync', opts.appendfsync, '--dir', dir!] : ['--appendonly', 'no'];
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence, '--protected-mode', 'no'];
  return cpu === undefined ? spawn('redis-server', args, { stdio: 'ignore' }) : spawn('taskset', ['-c', String(cpu), 'redis-server', ...args], { stdio: 'ignore' });
}

async function started(child: ChildProcess, port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode} (port ${port})`);
    if (await accepting(port)) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`redis-server did not listen on ${port}`);
}

export async function startRedis(opts: TestRedisOptions = {}): Promise<TestRedis> {
  if (!HAVE_REDIS) throw new Error('redis-server is not installed: the Redis tests need it (apt-get install redis-server)');
  let port = 0;
  let child: ChildProcess | undefined;
  const dir = opts.appendfsync ? tempDataDir() : undefined;
  for (let attempt = 0; attempt < 5 && !child; attempt++) {
    port = await freePort();
    const c = launch(port, opts, dir);
    try {
      await started(c, port);
      child = c;
    } catch (err) {
      c.kill('SIGKILL');
      if (attempt === 4) throw err;
    }
  }
  const exited = (c: ChildProcess) => new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r())));
  const redis: TestRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async kill() {
      const c = child!;
      c.kill('SIGKILL');
      await exited(c);
    },
    async restart() {
      child = launch(port, opts, dir);
      await started(child, port);
    },
    async stop() {
      await redis.kill();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
  return redis;
}

// Test harness: a real Gatehouse on a free loopback port with its own temporary data directory, and real AWS
// SDK clients pointed at it. `startGatehouse()` runs it in this process; `spawnGatehouse()` runs the CLI as a
// child process (for restart, crash and signal tests).
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { createGatehouse, type Gatehouse, type GatehouseDeps } from '../../src/server/app.ts';
import { configFromEnv, type GatehouseConfig } from '../../src/server/config.ts';
import { tempDataDir } from './temp.ts';
import { freshDatabaseUrl } from './postgres.ts';

export const TEST_CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
export const ROOT = resolve(import.meta.dirname, '..', '..');

export interface Running {
  endpoint: string;
  port: number;
  dataDir: string;
  gatehouse: Gatehouse;
  apigateway: APIGatewayClient;
  lambda: LambdaClient;
  /** An APIGatewayClient for another region. */
  apigatewayIn(region: string): APIGatewayClient;
  stop(): Promise<void>;
}

export { tempDataDir };

export function clients(endpoint: string, region = 'us-east-1') {
  const common = { endpoint, region, credentials: TEST_CREDENTIALS, maxAttempts: 1 };
  return { apigateway: new APIGatewayClient(common), lambda: new LambdaClient(common) };
}

export async function startGatehouse(
  opts: { dev?: boolean; dataDir?: string; keepDataDir?: boolean; config?: Partial<GatehouseConfig> } & GatehouseDeps = {},
): Promise<Running> {
  const dataDir = opts.dataDir ?? tempDataDir();
  // GATEHOUSE_TEST_STORE=postgres runs these servers in scale-out mode, each data directory with its own PostgreSQL
  // schema (a restart on the same directory finds its state again).
  const databaseUrl = process.env.GATEHOUSE_TEST_STORE === 'postgres' ? await schemaOf(dataDir) : undefined;
  // Defaults as `gatehouse serve` has them with an empty environment; `config` overrides any setting.
  const gatehouse = createGatehouse({
    ...configFromEnv({}),
    port: 0,
    host: '127.0.0.1',
    dataDir,
    dev: opts.dev ?? true,
    accountId: '123456789012',
    defaultRegion: 'us-east-1',
    // Quiet: no line per request on the test runner's stdout (tests that read the process log set a level).
    logLevel: 'silent',
    databaseUrl,
    ...opts.config,
  }, { now: opts.now, responseCache: opts.responseCache });
  const port = await gatehouse.listen();
  const endpoint = `http://127.0.0.1:${port}`;
  const c = clients(endpoint);
  return {
    endpoint,
    port,
    dataDir,
    gatehouse,
    ...c,
    apigatewayIn: (region) => clients(endpoint, region).apigateway,
    async stop() {
      c.apigateway.destroy();
      c.lambda.destroy();
      await gatehouse.close();
      if (!opts.dataDir && !opts.keepDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const schemas = new Map<string, Promise<string>>();
function schemaOf(dataDir: string): Promise<string> {
  let url = schemas.get(dataDir);
  if (!url) schemas.set(dataDir, (url = freshDatabaseUrl()));
  return url;
}

export interface Spawned {
  endpoint: string;
  port: number;
  child: ChildProcess;
  output(): string;
  /**
   * Resolves once the output (stdout and stderr) matches `pattern` (a RegExp, or text it must contain): the process
   * log writes its lines within 100 ms, not at once. Rejects with the output so far if it does not within `ms`.
   */
  waitForOutput(pattern: RegExp | string, ms?: number): Promise<void>;
  /** SIGTERM and wait for exit; resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs `gatehouse serve` as a child process on a free port; resolves once it prints its endpoint. */
export async function spawnGatehouse(opts: { dataDir: string; dev?: boolean; env?: Record<string, string>; extraArgs?: string[] }): Promise<Spawned> {
  const args = [join(ROOT, 'src/cli/main.ts'), 'serve', '--port', '0', '--data-dir', opts.dataDir, ...(opts.extraArgs ?? [])];
  if (opts.dev ?? true) args.push('--dev');
  const child = spawn(process.execPath, args, { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const port = await new Promise<number>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`gatehouse did not start:\n${out}`)), 20_000);
    const check = () => {
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+).*\nTry: /.exec(out);
      if (m) {
        clearTimeout(timer);
        res(Number(m[1]));
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`gatehouse exited with ${code}:\n${out}`));
    });
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    child,
    output: () => out,
    waitForOutput(pattern, ms = 5000) {
      return new Promise((res, rej) => {
        const done = () => {
          clearTimeout(timer);
          child.stdout!.off('data', check);
          child.stderr!.off('data', check);
        };
        const check = () => {
          if (typeof pattern === 'string' ? !out.includes(pattern) : !pattern.test(out)) return;
          done();
          res();
        };
        const timer = setTimeout(() => {
          done();
          rej(new Error(`no output matching ${pattern} within ${ms} ms:\n${out}`));
        }, ms);
        child.stdout!.on('data', check);
        child.stderr!.on('data', check);
        check();
      });
    },
    stop(signal = 'SIGTERM') {
      return new Promise((res) => {
        if (child.exitCode !== null || child.signalCode !== null) return res(child.exitCode); // already exited (or killed)
        child.once('exit', (code) => res(code));
        child.kill(signal);
      });
    },
  };
}

/**
 * Headers that give a hand-made control request (plain HTTP, not an SDK client) the SigV4 shape every control
 * request must have. Signatures are not verified unless the server requires it, so the signature is a dummy.
 */
export function sigv4Headers(service = 'apigateway', region = 'us-east-1'): Record<string, string> {
  return {
    authorization:
      `AWS4-HMAC-SHA256 Credential=${TEST_CREDENTIALS.accessKeyId}/20260101/${region}/${service}/aws4_request, ` +
      'SignedHeaders=host;x-amz-date, Signature=0000000000000000000000000000000000000000000000000000000000000000',
    'x-amz-date': '20260101T000000Z',
  };
}

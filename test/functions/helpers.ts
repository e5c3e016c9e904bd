// Shared by the functions tests: zips built in memory, and a function created from handler source in one call.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import { CreateFunctionCommand, type LambdaClient, type Runtime } from '@aws-sdk/client-lambda';

export const ROLE = 'arn:aws:iam::123456789012:role/lambda-role';

// Node.js majors other than Gatehouse's own (nodejs22.x is the default here) are provisioned from the npm registry
// once per machine, not once per test's data directory: every server a test starts (in process or spawned, which
// inherits this environment) shares one runtime cache.
process.env.GATEHOUSE_RUNTIME_CACHE ??= join(import.meta.dirname, '..', '..', 'node_modules', '.cache', 'gatehouse-runtimes');

/** A zip of the given files; `executable` files get mode 0755 (Unix attributes, as `zip` writes them). */
export function zipOf(files: Record<string, string>, executable: string[] = []): Uint8Array {
  const entries: Zippable = {};
  for (const [path, text] of Object.entries(files)) {
    const mode = executable.includes(path) ? 0o100755 : 0o100644;
    entries[path] = [new TextEncoder().encode(text), { os: 3, attrs: mode << 16 }];
  }
  return zipSync(entries);
}

export interface FnOptions {
  runtime?: Runtime | string;
  handler?: string;
  timeout?: number;
  memory?: number;
  env?: Record<string, string>;
  publish?: boolean;
}

export async function createFunction(lambda: LambdaClient, name: string, files: Record<string, string>, o: FnOptions = {}) {
  return lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: (o.runtime ?? 'nodejs22.x') as Runtime,
      Role: ROLE,
      Handler: o.handler ?? 'index.handler',
      Code: { ZipFile: zipOf(files) },
      Timeout: o.timeout,
      MemorySize: o.memory,
      Environment: o.env ? { Variables: o.env } : undefined,
      Publish: o.publish,
    }),
  );
}

export const decode = (p: Uint8Array | undefined): string => Buffer.from(p ?? []).toString('utf8');
export const json = (p: Uint8Array | undefined): any => JSON.parse(decode(p));
export const logOf = (logResult: string | undefined): string => Buffer.from(logResult ?? '', 'base64').toString('utf8');

/**
 * An HTTP server in the test that functions reach from their sandbox (the network is shared, the file system is
 * not): gates an invocation waits on (`GET /gate/NAME`: 200 once opened, 204 before) and records of calls
 * (`POST /record/NAME`, the bodies kept in order).
 */
export interface Probe {
  url: string;
  open(name: string): void;
  records(name: string): string[];
  close(): Promise<void>;
}

export async function startProbe(): Promise<Probe> {
  const { createServer } = await import('node:http');
  const opened = new Set<string>();
  const recorded = new Map<string, string[]>();
  const server = createServer((req, res) => {
    const [, kind, name = ''] = (req.url ?? '').split('/');
    if (kind === 'gate') {
      res.writeHead(opened.has(name) ? 200 : 204).end();
      return;
    }
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d));
    req.on('end', () => {
      if (!recorded.has(name)) recorded.set(name, []);
      recorded.get(name)!.push(body);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    open: (name) => void opened.add(name),
    records: (name) => recorded.get(name) ?? [],
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

/** Host pids of live (not zombie) processes whose command line contains `token`: how tests find a function's processes. */
export function processesWith(token: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/cmdline`, 'latin1').includes(token)) continue;
      if (readFileSync(`/proc/${entry}/status`, 'latin1').includes('State:\tZ')) continue;
      pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}

/** Waits (up to `ms`) until no process carries `token`; returns those still alive. */
export async function waitForNoProcessWith(token: string, ms = 5000): Promise<number[]> {
  const end = Date.now() + ms;
  let left = processesWith(token);
  while (left.length && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 20));
    left = processesWith(token);
  }
  return left;
}

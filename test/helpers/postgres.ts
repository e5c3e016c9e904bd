// PostgreSQL for tests: each call gets a fresh schema (dropped at process exit), so parallel runs and parallel test
// files never see each other's rows. Tests that stop the database start one of their own (startPrivatePostgres). PostgreSQL is required: when it cannot be reached the test fails with the
// reason (CI starts it in .ci/run), it is never skipped. GATEHOUSE_TEST_DATABASE_URL names another server.
import { randomBytes } from 'node:crypto';
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './redis.ts';

export const TEST_DATABASE_URL = process.env.GATEHOUSE_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

const created: string[] = [];
let cleanupRegistered = false;

/** A URL whose search_path is a new, empty schema of the test database. */
export async function freshDatabaseUrl(): Promise<string> {
  const schema = `gh_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`PostgreSQL is required by this test and could not be reached at ${TEST_DATABASE_URL} (${(err as Error).message}); start it (.ci/run does) or set GATEHOUSE_TEST_DATABASE_URL`);
  }
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await admin.end();
  }
  created.push(schema);
  if (!cleanupRegistered) {
    cleanupRegistered = true;
    // At the end of the test file's process (a hook of node:test would belong to whichever test called this first).
    process.once('beforeExit', () => void dropSchemas());
  }
  return withSearchPath(TEST_DATABASE_URL, schema);
}

export function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.href;
}

/** Runs SQL against the test database (outside any Gatehouse store), e.g. to kill a store's connections. */
export async function adminQuery<R extends pg.QueryResultRow = any>(text: string, values: unknown[] = []): Promise<R[]> {
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    return (await admin.query<R>(text, values)).rows;
  } finally {
    await admin.end();
  }
}

async function dropSchemas(): Promise<void> {
  const schemas = created.splice(0);
  if (!schemas.length) return;
  await adminQuery(`DROP SCHEMA IF EXISTS ${schemas.join(', ')} CASCADE`).catch(() => undefined);
}

/**
 * A PostgreSQL server of the test's own (Debian's 15: initdb and pg_ctl in a temporary directory, on a free loopback
 * port, its socket in that directory too), for tests that stop and restart the database: the machine's shared
 * PostgreSQL, which other tests use, is never touched. Run as the `postgres` user when the test runs as root
 * (PostgreSQL refuses root). Durable as a real installation: fsync and synchronous_commit as their defaults (on).
 */
export interface PrivatePostgres {
  /** postgres://postgres@127.0.0.1:PORT/postgres (trust authentication, loopback only). */
  readonly url: string;
  /** Stops the server: `immediate` is a crash (no checkpoint; it recovers from its WAL on start). */
  stop(mode?: 'immediate' | 'fast'): Promise<void>;
  /** Starts it again on the same port and data directory. */
  start(): Promise<void>;
  /** Stops it and deletes its directory. */
  remove(): Promise<void>;
}

const PG_BIN = '/usr/lib/postgresql/15/bin';

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  if (!existsSync(join(PG_BIN, 'pg_ctl'))) throw new Error(`${PG_BIN}/pg_ctl is needed by this test (apt-get install postgresql-15; .ci/run installs it)`);
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, id('-u'), id('-g'));
  }
  const run = (bin: string, args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const argv = asRoot ? ['runuser', '-u', 'postgres', '--', join(PG_BIN, bin), ...args] : [join(PG_BIN, bin), ...args];
      execFile(argv[0]!, argv.slice(1), { cwd: dir }, (err, stdout, stderr) => (err ? reject(new Error(`${bin} ${args.join(' ')}: ${err.message}\n${stdout}${stderr}`)) : resolve()));
    });
  const data = join(dir, 'data');
  await run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`;
  const start = () => run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  const stop = (mode: 'immediate' | 'fast' = 'fast') => run('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop,
    start,
    async remove() {
      await stop('immediate').catch(() => undefined); // already stopped
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

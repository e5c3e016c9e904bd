// PostgreSQL for tests: each call gets a fresh schema (dropped at process exit), so parallel runs and parallel test
// files never see each other's rows. PostgreSQL is required: when it cannot be reached the test fails with the
// reason (CI starts it in .ci/run), it is never skipped. GATEHOUSE_TEST_DATABASE_URL names another server.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

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

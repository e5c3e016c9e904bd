// Scale-out control plane (issue 15): the latency of common control calls on a node whose store is PostgreSQL,
// beside the same calls on an embedded (SQLite) node in the same run, sequential on one keep-alive connection.
// Target: p50 <= 5 ms on PostgreSQL. Needs PostgreSQL (GATEHOUSE_BENCH_DATABASE_URL, default the tests' server);
// each run uses a fresh schema, dropped afterwards.
// Run: ./node_modules/.bin/node bench/scale-out/control.bench.ts
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { tempDataDir } from '../../test/helpers/temp.ts';
import { withSearchPath } from '../../test/helpers/postgres.ts';
import { latency, startServer } from '../control/control-calls.ts';

const URL_BASE = process.env.GATEHOUSE_BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const N = Number(process.env.BENCH_CALLS ?? 1000);
const schema = `gh_bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: URL_BASE });
await admin.connect();
await admin.query(`CREATE SCHEMA ${schema}`);
try {
  const measure = async (args: string[]) => {
    const server = await startServer(tempDataDir(), args);
    try {
      return await latency(server.port, N);
    } finally {
      await server.stop();
    }
  };
  const onSqlite = await measure([]);
  const onPostgres = await measure(['--database-url', withSearchPath(URL_BASE, schema)]);
  console.log(`\ncontrol call latency, ${N} sequential calls each on one keep-alive connection (ms), SQLite vs PostgreSQL:`);
  for (const [name, pgFig] of Object.entries(onPostgres)) {
    const lite = onSqlite[name]!;
    console.log(`  ${name.padEnd(28)} sqlite p50 ${lite.p50.toFixed(3)} p99 ${lite.p99.toFixed(3)}   postgres p50 ${pgFig.p50.toFixed(3)} p99 ${pgFig.p99.toFixed(3)}   (${(pgFig.p50 / lite.p50).toFixed(1)}x)`);
  }
} finally {
  await admin.query(`DROP SCHEMA ${schema} CASCADE`);
  await admin.end();
}

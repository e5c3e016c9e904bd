import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PostgresStore } from '../../src/store/postgres.ts';
import { scopedStore } from '../../src/store/scoped.ts';
import { MIGRATIONS } from '../../src/store/migrations.ts';
import { DatabaseError } from '../../src/store/database-url.ts';
import { adminQuery, freshDatabaseUrl, TEST_DATABASE_URL } from '../helpers/postgres.ts';
import { storeSuite } from './store-suite.ts';
import { keepOnce } from '../../src/store/keep-once.ts';

const quiet = { warn: () => undefined };
async function open(url?: string): Promise<PostgresStore> {
  const s = new PostgresStore(url ?? (await freshDatabaseUrl()), quiet);
  await s.ready;
  return s;
}

storeSuite('postgres', () => open());
storeSuite('postgres scoped view', async () => scopedStore(await open(), 'us-east-1'));

test('postgres: data survives reopening; the schema is at the latest version; documents keep their key order', async () => {
  const url = await freshDatabaseUrl();
  const a = await open(url);
  await a.write((tx) => tx.put('restapis', 'x', { id: 'x', b: 1, a: 2, nul: '\u0000' }));
  await a.close();
  const b = await open(url);
  const back = await b.read((tx) => tx.get('restapis', 'x'));
  assert.equal(JSON.stringify(back), JSON.stringify({ id: 'x', b: 1, a: 2, nul: '\u0000' }));
  await b.close();
  const schema = new URL(url).searchParams.get('options')!.split('=')[1];
  const [row] = await adminQuery(`SELECT version FROM ${schema}.gatehouse_schema`);
  assert.equal(row.version, MIGRATIONS.length);
});

test('postgres: eight nodes opening one fresh database at once migrate it once (advisory lock)', async () => {
  const url = await freshDatabaseUrl();
  const stores = Array.from({ length: 8 }, () => new PostgresStore(url, quiet));
  await Promise.all(stores.map((s) => s.ready));
  await Promise.all(stores.map((s, i) => s.write((tx) => tx.put('c', String(i), i))));
  assert.equal((await stores[0]!.read((tx) => tx.list('c'))).length, 8);
  const schema = new URL(url).searchParams.get('options')!.split('=')[1];
  assert.deepEqual(await adminQuery(`SELECT version FROM ${schema}.gatehouse_schema`), [{ version: MIGRATIONS.length }]);
  await Promise.all(stores.map((s) => s.close()));
});

test('postgres: a database written by a newer Gatehouse is refused, naming the versions', async () => {
  const url = await freshDatabaseUrl();
  (await open(url)).close();
  const schema = new URL(url).searchParams.get('options')!.split('=')[1];
  await adminQuery(`UPDATE ${schema}.gatehouse_schema SET version = 99`);
  const s = new PostgresStore(url, quiet);
  await assert.rejects(s.ready, (err: Error) => err instanceof DatabaseError && /newer Gatehouse \(schema version 99; this one knows up to 1\)/.test(err.message));
  await assert.rejects(s.read((tx) => tx.get('c', 'x')), DatabaseError);
  await s.close();
});

test('postgres: two nodes creating the same name at once: exactly one succeeds (serializable, retried)', async () => {
  const url = await freshDatabaseUrl();
  const nodes = [await open(url), await open(url)];
  for (let round = 0; round < 10; round++) {
    const outcomes = await Promise.allSettled(
      nodes.map((n, i) =>
        n.write(async (tx) => {
          // What a create handler does: look for the name, then write it with a fresh id.
          const taken = (await tx.list<{ name: string }>('restapis')).some((a) => a.value.name === `api-${round}`);
          if (taken) throw new Error('ConflictException');
          await new Promise((r) => setTimeout(r, 5)); // both look before either writes
          await tx.put('restapis', `id-${round}-${i}`, { name: `api-${round}` });
        }),
      ),
    );
    assert.deepEqual(outcomes.map((o) => o.status).sort(), ['fulfilled', 'rejected'], `round ${round}`);
    assert.match(String((outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult).reason), /ConflictException/);
  }
  assert.equal((await nodes[0]!.read((tx) => tx.list('restapis'))).length, 10);
  await Promise.all(nodes.map((n) => n.close()));
});

test('postgres: concurrent read-modify-writes from two nodes lose no update', async () => {
  const url = await freshDatabaseUrl();
  const nodes = [await open(url), await open(url)];
  await nodes[0]!.write((tx) => tx.put('counter', 'n', 0));
  await Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      nodes[i % 2]!.write(async (tx) => {
        const n = (await tx.get<number>('counter', 'n')) ?? 0;
        await tx.put('counter', 'n', n + 1);
      }),
    ),
  );
  assert.equal(await nodes[1]!.read((tx) => tx.get('counter', 'n')), 40);
  await Promise.all(nodes.map((n) => n.close()));
});

/** Resolves with the first change set a store's listeners hear that includes `collection`. */
function heard(store: PostgresStore, collection: string): Promise<ReadonlySet<string>> {
  return new Promise((resolve) => {
    const off = store.onCommit((c) => {
      if (!c.has(collection)) return;
      off();
      resolve(c);
    });
  });
}

test('postgres: a commit on one node is heard by the other (LISTEN/NOTIFY), well within a second', async () => {
  const url = await freshDatabaseUrl();
  const [a, b] = [await open(url), await open(url)];
  const ownHeard: string[][] = [];
  a.onCommit((c) => ownHeard.push([...c]));
  const remote = heard(b, 'stages');
  const started = Date.now();
  await a.write(async (tx) => {
    await tx.put('stages', 'api/prod', { x: 1 });
    await tx.put('deployments', 'api/d1', { y: 1 });
  });
  assert.deepEqual([...(await remote)].sort(), ['deployments', 'stages']);
  assert.ok(Date.now() - started < 1000);
  // A node hears its own commit once (synchronously), not again from the notification.
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(ownHeard, [['stages', 'deployments']]);
  // A wipe on one node is a change on the other too.
  const wiped = heard(b, 'stages');
  await a.wipe();
  await wiped;
  await Promise.all([a.close(), b.close()]);
});

test('postgres: after its notification connection is killed, a node reconnects and tells its listeners everything changed', async () => {
  const url = await freshDatabaseUrl();
  const [a, b] = [await open(url), await open(url)];
  await b.read((tx) => tx.list('apikeys')); // b's caches hold api keys (an empty collection)
  await a.write((tx) => tx.put('stages', 'api/prod', 1));
  const catchUp = heard(b, 'apikeys');
  // Kill b's LISTEN connection (what a PostgreSQL restart or a dropped network does to it).
  const schema = new URL(url).searchParams.get('options')!.split('=')[1];
  const killed = await adminQuery(
    `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE query LIKE 'LISTEN "gatehouse:${schema}"%' AND pid IN (SELECT pid FROM pg_stat_activity)`,
  );
  assert.ok(killed.length >= 2, 'both nodes listen');
  const all = await catchUp;
  assert.ok(all.has('stages') && all.has('apikeys'), [...all].join());
  assert.equal(b.listening, true);
  // …and it hears new commits again.
  const again = heard(b, 'plans');
  await a.write((tx) => tx.put('plans', 'p', 1));
  await again;
  await Promise.all([a.close(), b.close()]);
});

test('postgres: an unreachable server is refused in one sentence naming it, without the password', async () => {
  const s = new PostgresStore('postgres://gh:secret@127.0.0.1:1/nothing', quiet);
  await assert.rejects(s.ready, (err: Error) => {
    assert.ok(err instanceof DatabaseError);
    assert.equal(err.message, 'cannot use PostgreSQL at gh@127.0.0.1:1/nothing (--database-url / GATEHOUSE_DATABASE_URL): connection refused: is PostgreSQL running and listening there? (ECONNREFUSED)');
    return true;
  });
  await s.close();
  const missing = new PostgresStore(new URL('/no_such_database_gh', TEST_DATABASE_URL).href, quiet);
  await assert.rejects(missing.ready, /the database does not exist \(3D000\)/);
  await missing.close();
});

test('postgres: keepOnce from several nodes at once keeps one value, and every node gets that one', async () => {
  const url = await freshDatabaseUrl();
  const nodes = await Promise.all(Array.from({ length: 4 }, () => open(url)));
  try {
    const kept = await Promise.all(nodes.map((s, i) => keepOnce(s, 'tls', 'ca', async () => ({ node: i }))));
    const values = new Set(kept.map((k) => JSON.stringify(k.value)));
    assert.equal(values.size, 1, [...values].join(' '));
    assert.equal(kept.filter((k) => k.created).length, 1);
    assert.deepEqual(await nodes[3]!.read((tx) => tx.list('tls')), [{ key: 'ca', value: kept[0]!.value }]);
    // Kept: a later candidate is not stored.
    const later = await keepOnce(nodes[0]!, 'tls', 'ca', () => ({ node: 99 }));
    assert.deepEqual(later, { value: kept[0]!.value, created: false });
  } finally {
    for (const s of nodes) await s.close();
  }
});

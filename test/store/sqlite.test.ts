import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite.ts';
import { scopedStore } from '../../src/store/scoped.ts';
import { MIGRATIONS } from '../../src/store/migrations.ts';
import { tempDataDir } from '../helpers/temp.ts';
import { storeSuite } from './store-suite.ts';

storeSuite('sqlite', async () => new SqliteStore(tempDataDir()));
storeSuite('sqlite scoped view', async () => scopedStore(new SqliteStore(tempDataDir()), 'us-east-1'));

test('sqlite: data survives reopening, in WAL mode at the latest schema version', async () => {
  const dir = tempDataDir();
  const a = new SqliteStore(dir);
  await a.write((tx) => tx.put('restapis', 'x', { id: 'x' }));
  await a.close();
  const b = new SqliteStore(dir);
  assert.deepEqual(await b.read((tx) => tx.get('restapis', 'x')), { id: 'x' });
  await b.close();
  const raw = new DatabaseSync(join(dir, 'gatehouse.db'));
  assert.equal((raw.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode, 'wal');
  assert.equal((raw.prepare('PRAGMA user_version').get() as { user_version: number }).user_version, MIGRATIONS.length);
  raw.close();
});

test('scoped views of two regions do not see each other', async () => {
  const base = new SqliteStore(tempDataDir());
  const east = scopedStore(base, 'us-east-1');
  const west = scopedStore(base, 'us-west-2');
  await east.write((tx) => tx.put('restapis', 'a', { region: 'east' }));
  await west.write((tx) => tx.put('restapis', 'b', { region: 'west' }));
  assert.deepEqual((await east.read((tx) => tx.list('restapis'))).map((i) => i.key), ['a']);
  assert.deepEqual((await west.read((tx) => tx.list('restapis'))).map((i) => i.key), ['b']);
  assert.equal(await east.read((tx) => tx.get('restapis', 'b')), undefined);
  assert.deepEqual((await base.read((tx) => tx.list('restapis'))).map((i) => i.key), ['us-east-1/a', 'us-west-2/b']);
  await base.close();
});

test('a scoped transaction writes global indexes through unscoped(), atomically with its own writes', async () => {
  const base = new SqliteStore(tempDataDir());
  const east = scopedStore(base, 'us-east-1');
  await east.write(async (tx) => {
    await tx.put('restapis', 'a', { id: 'a' });
    await tx.unscoped().put('apiregions', 'a', { region: 'us-east-1' });
  });
  await assert.rejects(
    east.write(async (tx) => {
      await tx.put('restapis', 'b', { id: 'b' });
      await tx.unscoped().put('apiregions', 'b', { region: 'us-east-1' });
      throw new Error('crash before commit');
    }),
  );
  assert.deepEqual((await base.read((tx) => tx.list('apiregions'))).map((i) => i.key), ['a']);
  assert.deepEqual((await base.read((tx) => tx.list('restapis'))).map((i) => i.key), ['us-east-1/a']);
  await base.close();
});

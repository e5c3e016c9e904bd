// The behaviour every Store adapter must have. Each adapter's test file calls storeSuite with a factory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../src/store/store.ts';

export function storeSuite(name: string, make: () => Promise<Store>): void {
  const withStore = async (fn: (s: Store) => Promise<void>) => {
    const s = await make();
    try {
      await fn(s);
    } finally {
      await s.close();
    }
  };

  test(`${name}: put, get, overwrite and delete documents`, () =>
    withStore(async (s) => {
      await s.write(async (tx) => {
        await tx.put('things', 'a', { n: 1, nested: { list: [1, 'two', null] } });
      });
      assert.deepEqual(await s.read((tx) => tx.get('things', 'a')), { n: 1, nested: { list: [1, 'two', null] } });
      await s.write((tx) => tx.put('things', 'a', { n: 2 }));
      assert.deepEqual(await s.read((tx) => tx.get('things', 'a')), { n: 2 });
      assert.equal(await s.write((tx) => tx.delete('things', 'a')), true);
      assert.equal(await s.write((tx) => tx.delete('things', 'a')), false);
      assert.equal(await s.read((tx) => tx.get('things', 'a')), undefined);
    }));

  test(`${name}: collections are separate and list by prefix in key order`, () =>
    withStore(async (s) => {
      await s.write(async (tx) => {
        for (const k of ['api1/r2', 'api1/r1', 'api10/r1', 'api2/r1', 'api1/r1/GET']) await tx.put('resources', k, { k });
        await tx.put('other', 'api1/r1', { other: true });
      });
      const under = await s.read((tx) => tx.list('resources', 'api1/'));
      assert.deepEqual(under.map((i) => i.key), ['api1/r1', 'api1/r1/GET', 'api1/r2']);
      const all = await s.read((tx) => tx.list('resources'));
      assert.deepEqual(all.map((i) => i.key), ['api1/r1', 'api1/r1/GET', 'api1/r2', 'api10/r1', 'api2/r1']);
      assert.equal(await s.write((tx) => tx.deletePrefix('resources', 'api1/')), 3);
      assert.deepEqual((await s.read((tx) => tx.list('resources'))).map((i) => i.key), ['api10/r1', 'api2/r1']);
      assert.deepEqual(await s.read((tx) => tx.get('other', 'api1/r1')), { other: true });
    }));

  test(`${name}: keys with unicode and odd characters round-trip and list`, () =>
    withStore(async (s) => {
      const keys = ['d/(none)', 'd/ünï/cödé', 'd/a b', 'd/emoji-😀', 'd/%2F'];
      await s.write(async (tx) => {
        for (const k of keys) await tx.put('c', k, { k });
      });
      const listed = (await s.read((tx) => tx.list('c', 'd/'))).map((i) => i.key);
      assert.deepEqual([...listed].sort(), [...keys].sort());
      for (const k of keys) assert.deepEqual(await s.read((tx) => tx.get('c', k)), { k });
    }));

  test(`${name}: a key with U+0000 (as a request path may carry) finds nothing and deletes nothing`, () =>
    withStore(async (s) => {
      await s.write((tx) => tx.put('c', 'a', 1));
      assert.equal(await s.read((tx) => tx.get('c', 'a\u0000')), undefined);
      assert.deepEqual(await s.read((tx) => tx.list('c', '\u0000')), []);
      assert.equal(await s.write((tx) => tx.delete('c', '\u0000')), false);
      assert.equal(await s.write((tx) => tx.deletePrefix('c', 'a\u0000')), 0);
      assert.equal(await s.read((tx) => tx.get('c', 'a')), 1);
    }));

  test(`${name}: a failing write rolls back entirely`, () =>
    withStore(async (s) => {
      await s.write((tx) => tx.put('c', 'keep', 1));
      await assert.rejects(
        s.write(async (tx) => {
          await tx.put('c', 'new', 2);
          await tx.delete('c', 'keep');
          throw new Error('abort');
        }),
        /abort/,
      );
      assert.equal(await s.read((tx) => tx.get('c', 'new')), undefined);
      assert.equal(await s.read((tx) => tx.get('c', 'keep')), 1);
    }));

  test(`${name}: a write with { fsync: false } commits, notifies and rolls back like any other`, () =>
    withStore(async (s) => {
      const heard: string[][] = [];
      const off = s.onCommit((c) => heard.push([...c]));
      await s.write((tx) => tx.put('lazy', 'a', { n: 1 }), { fsync: false });
      await assert.rejects(s.write(async (tx) => {
        await tx.put('lazy', 'b', 2);
        throw new Error('abort');
      }, { fsync: false }), /abort/);
      // The next ordinary write is durable as ever (and on SQLite runs at synchronous=FULL again).
      await s.write((tx) => tx.put('lazy', 'c', 3));
      off();
      assert.deepEqual((await s.read((tx) => tx.list('lazy'))).map((i) => [i.key, i.value]), [['a', { n: 1 }], ['c', 3]]);
      assert.deepEqual(heard, [['lazy'], ['lazy']]);
    }));

  test(`${name}: concurrent writes are serialised (no lost updates)`, () =>
    withStore(async (s) => {
      await s.write((tx) => tx.put('counter', 'n', 0));
      await Promise.all(
        Array.from({ length: 50 }, () =>
          s.write(async (tx) => {
            const n = (await tx.get<number>('counter', 'n')) ?? 0;
            await new Promise((r) => setImmediate(r));
            await tx.put('counter', 'n', n + 1);
          }),
        ),
      );
      assert.equal(await s.read((tx) => tx.get('counter', 'n')), 50);
    }));

  test(`${name}: commit listeners hear which collections changed`, () =>
    withStore(async (s) => {
      const heard: string[][] = [];
      const off = s.onCommit((c) => heard.push([...c].sort()));
      await s.write(async (tx) => {
        await tx.put('a', '1', 1);
        await tx.put('b', '1', 1);
      });
      await s.write((tx) => tx.get('a', '1'));
      await s.write((tx) => tx.delete('a', 'missing'));
      off();
      await s.write((tx) => tx.put('c', '1', 1));
      assert.deepEqual(heard, [['a', 'b']]);
    }));

  test(`${name}: wipe deletes everything`, () =>
    withStore(async (s) => {
      await s.write(async (tx) => {
        await tx.put('a', '1', 1);
        await tx.put('b', '2', 2);
      });
      await s.wipe();
      assert.deepEqual(await s.read((tx) => tx.list('a')), []);
      assert.deepEqual(await s.read((tx) => tx.list('b')), []);
    }));
}

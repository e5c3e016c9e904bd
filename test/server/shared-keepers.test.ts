// The scale-out keepers of what embedded mode keeps as data-directory files (src/server/tls-ca.ts storedCaKeeper,
// src/auth/jwt/stored-keys.ts storedKeyring), on any Store: a data directory's own CA or pool key is handed to a store
// that has none; when the store already holds another, the store's wins, a WARN line names the file, and the CA's
// certificate file is rewritten to the shared one. (Across nodes on PostgreSQL: test/scale-out/shared-keys.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite.ts';
import { fileCaKeeper, newCa, storedCaKeeper } from '../../src/server/tls-ca.ts';
import { loadOrCreateLocalKey } from '../../src/auth/jwt/local-keys.ts';
import { storedKeyring } from '../../src/auth/jwt/stored-keys.ts';
import { tempDataDir } from '../helpers/temp.ts';

const POOL = 'us-east-1_Keeper1';

test("a data directory's CA joins an empty store; another directory's different CA yields to it, with a WARN", async () => {
  const store = new SqliteStore(tempDataDir());
  try {
    const first = tempDataDir();
    const local = (await fileCaKeeper(first).loadOrKeep(newCa)).pems;
    const warnings: string[] = [];
    const kept = await storedCaKeeper(store, first, (l) => warnings.push(l)).loadOrKeep(newCa);
    assert.deepEqual(kept, { pems: local, created: false }, 'the directory\'s CA, not a new one');
    assert.equal(warnings.length, 0);

    const other = tempDataDir();
    await fileCaKeeper(other).loadOrKeep(newCa); // its own, different CA
    const adopted = await storedCaKeeper(store, other, (l) => warnings.push(l)).loadOrKeep(newCa);
    assert.equal(adopted.pems.certPem, local.certPem);
    assert.equal(readFileSync(join(other, 'tls', 'ca.pem'), 'utf8'), local.certPem);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, new RegExp(`^WARN ${join(other, 'tls', 'ca.pem')} is not the CA the other nodes share`));

    const empty = tempDataDir();
    const fresh = await storedCaKeeper(store, empty, (l) => warnings.push(l)).loadOrKeep(newCa);
    assert.deepEqual(fresh, { pems: local, created: false });
    assert.equal(readFileSync(join(empty, 'tls', 'ca.pem'), 'utf8'), local.certPem);
  } finally {
    await store.close();
  }
});

test("a data directory's pool key joins an empty store; a different one yields to it, with a WARN", async () => {
  const store = new SqliteStore(tempDataDir());
  const warnings: string[] = [];
  const first = tempDataDir();
  const other = tempDataDir();
  const a = storedKeyring(store, first, (l) => warnings.push(l));
  const b = storedKeyring(store, other, (l) => warnings.push(l));
  try {
    const local = await loadOrCreateLocalKey(first, POOL);
    assert.deepEqual(await a.importFiles(), [POOL]);
    assert.equal((await b.read(POOL))?.privateJwk.kid, local.privateJwk.kid, 'seen through another directory');
    await loadOrCreateLocalKey(other, POOL); // a different key for the same pool
    assert.deepEqual(await b.importFiles(), []);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, new RegExp(`^WARN ${join(other, 'user-pools', `${POOL}.json`)} is not the key the other nodes share for user pool ${POOL}`));
    assert.equal((await b.loadOrCreate(POOL)).privateJwk.kid, local.privateJwk.kid);
  } finally {
    a.close();
    b.close();
    await store.close();
  }
});

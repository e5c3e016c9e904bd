// Scale-out mode's keyring of local user pools: each pool's key in the shared store (collection `userpoolkeys`, key
// the pool id, the document a key file holds), so a token signed through any node's data (`gatehouse tokens issue`
// with the nodes' --database-url) is verified by every node. Nodes and commands creating a pool's key at once agree
// on one (keepOnce). A key file of the data directory (`{dataDir}/user-pools/`, from embedded mode, or copied there
// as the scale-out docs once said, or written by `gatehouse tokens issue` run without --database-url) is handed to the
// store when the store has no key for its pool yet, so tokens it signed stay valid: all of them when the node starts,
// and a pool's file when its key is looked up and the store has none. Store reads are cached per pool (misses too)
// and dropped when any node commits to the collection.
import type { Store } from '../../store/store.ts';
import { keepOnce } from '../../store/keep-once.ts';
import { keptForm, localKeyPools, newLocalKey, parseLocalKey, readLocalKey, type LocalKeyring, type LocalPoolKey } from './local-keys.ts';
import { POOL_ID } from './user-pool.ts';

export const POOL_KEYS_COLLECTION = 'userpoolkeys';

export interface StoredKeyring extends LocalKeyring {
  /** Hands the data directory's key files to the store (those whose pool has no key there yet); returns their pools. */
  importFiles(): Promise<string[]>;
  /** Stops following the store's commits. */
  close(): void;
}

export function storedKeyring(store: Store, dataDir: string, warn: (line: string) => void): StoredKeyring {
  const cache = new Map<string, Promise<LocalPoolKey | undefined>>();
  const unsubscribe = store.onCommit((collections) => {
    if (collections.has(POOL_KEYS_COLLECTION)) cache.clear();
  });
  const check = (poolId: string) => {
    if (!POOL_ID.test(poolId)) throw new Error(`${JSON.stringify(poolId)} is not a user pool id`);
  };
  async function keep(poolId: string, make: () => Promise<LocalPoolKey>): Promise<{ key: LocalPoolKey; created: boolean }> {
    const kept = await keepOnce(store, POOL_KEYS_COLLECTION, poolId, async () => keptForm(await make()));
    cache.delete(poolId);
    return { key: parseLocalKey(kept.value, `the stored key of user pool ${poolId}`), created: kept.created };
  }
  const keyring: StoredKeyring = {
    async loadOrCreate(poolId) {
      return (await keyring.read(poolId)) ?? (await keep(poolId, () => newLocalKey(poolId))).key;
    },
    async read(poolId) {
      check(poolId);
      let hit = cache.get(poolId);
      if (!hit) {
        hit = store.read((tx) => tx.get(POOL_KEYS_COLLECTION, poolId)).then((doc) => (doc === undefined ? undefined : parseLocalKey(doc, `the stored key of user pool ${poolId}`)));
        hit.catch(() => cache.delete(poolId));
        cache.set(poolId, hit);
      }
      const stored = await hit;
      if (stored) return stored;
      const local = await readLocalKey(dataDir, poolId);
      return local && (await keep(poolId, async () => local)).key;
    },
    async stamp(poolId) {
      const key = await keyring.read(poolId);
      return key && `${key.privateJwk.kid} ${key.clientId}`;
    },
    async importFiles() {
      const imported: string[] = [];
      for (const poolId of await localKeyPools(dataDir)) {
        const local = await readLocalKey(dataDir, poolId);
        if (!local) continue;
        const { key, created } = await keep(poolId, async () => local);
        if (created) imported.push(poolId);
        else if (key.privateJwk.kid !== local.privateJwk.kid) {
          warn(`WARN ${dataDir}/user-pools/${poolId}.json is not the key the other nodes share for user pool ${poolId} (kept in the database): tokens it signed are not accepted; the shared key is used`);
        }
      }
      return imported;
    },
    close: unsubscribe,
  };
  return keyring;
}

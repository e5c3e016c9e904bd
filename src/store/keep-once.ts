// Create-if-absent for values every node must share exactly one of (Gatehouse's TLS CA, local user pools' signing
// keys): the first node to keep a value wins, the others adopt it. The candidate is made outside any transaction
// (key generation takes milliseconds to seconds) and then kept only if the key is still free, in one write
// transaction. On PostgreSQL two nodes doing so at once conflict under SERIALIZABLE: the loser's transaction is run
// again (PostgresStore.write) and finds the winner's value, so both return the same one.
import type { Store } from './store.ts';

export interface Kept<T> {
  readonly value: T;
  /** Whether this call stored it (false: it was there already, possibly stored by another node a moment before). */
  readonly created: boolean;
}

/** The value at (collection, key), or `make()`'s stored there when there is none. */
export async function keepOnce<T>(store: Store, collection: string, key: string, make: () => T | Promise<T>): Promise<Kept<T>> {
  const existing = await store.read((tx) => tx.get<T>(collection, key));
  if (existing !== undefined) return { value: existing, created: false };
  const candidate = await make();
  return store.write(async (tx) => {
    const winner = await tx.get<T>(collection, key);
    if (winner !== undefined) return { value: winner, created: false };
    await tx.put(collection, key, candidate);
    return { value: candidate, created: true };
  });
}

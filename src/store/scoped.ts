// A view of a Store that prefixes every key with `${scope}/`: API Gateway entities are regional, so each
// region's control calls see only their own region's entities while handlers use plain keys.
import type { Store, Tx } from './store.ts';

class ScopedTx implements Tx {
  private readonly tx: Tx;
  private readonly prefix: string;
  constructor(tx: Tx, prefix: string) {
    this.tx = tx;
    this.prefix = prefix;
  }
  get<T>(collection: string, key: string): Promise<T | undefined> {
    return this.tx.get<T>(collection, this.prefix + key);
  }
  put(collection: string, key: string, value: unknown): Promise<void> {
    return this.tx.put(collection, this.prefix + key, value);
  }
  delete(collection: string, key: string): Promise<boolean> {
    return this.tx.delete(collection, this.prefix + key);
  }
  async list<T>(collection: string, prefix = ''): Promise<Array<{ key: string; value: T }>> {
    const items = await this.tx.list<T>(collection, this.prefix + prefix);
    return items.map((i) => ({ key: i.key.slice(this.prefix.length), value: i.value }));
  }
  deletePrefix(collection: string, prefix: string): Promise<number> {
    return this.tx.deletePrefix(collection, this.prefix + prefix);
  }
  unscoped(): Tx {
    return this.tx.unscoped();
  }
}

export function scopedStore(store: Store, scope: string): Store {
  const prefix = `${scope}/`;
  return {
    read: (fn) => store.read((tx) => fn(new ScopedTx(tx, prefix))),
    write: (fn, options) => store.write((tx) => fn(new ScopedTx(tx, prefix)), options),
    onCommit: (l) => store.onCommit(l),
    wipe: () => store.wipe(),
    close: () => store.close(),
  };
}

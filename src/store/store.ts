// The persistence interface. Every adapter (sqlite: the embedded default; postgres: scale-out) implements it,
// and the same behavioural suite (test/store/store-suite.ts) runs against each.
//
// Data is JSON documents in named collections, ordered by key. Keys are '/'-separated paths so a family's items
// live under their parent (`methods` → `${apiId}/${resourceId}/${httpMethod}`), and list/deletePrefix work on
// that hierarchy. One operation = one transaction: `write` transactions are serialised and atomic, and a write
// that returned is durable (it survives kill -9).

export interface Tx {
  get<T = any>(collection: string, key: string): Promise<T | undefined>;
  put(collection: string, key: string, value: unknown): Promise<void>;
  /** Returns whether the key existed. */
  delete(collection: string, key: string): Promise<boolean>;
  /** Items whose key starts with `prefix` (all when omitted), ordered by key. */
  list<T = any>(collection: string, prefix?: string): Promise<Array<{ key: string; value: T }>>;
  /** Deletes every item whose key starts with `prefix`; returns how many. */
  deletePrefix(collection: string, prefix: string): Promise<number>;
  /** The same transaction without any key scoping (for global indexes written atomically with scoped data). */
  unscoped(): Tx;
}

export interface WriteOptions {
  /**
   * false: the commit returns without waiting for the disk (SQLite synchronous=NORMAL in WAL mode, PostgreSQL
   * synchronous_commit=off): what it wrote survives a kill -9 of the process but may be lost with the machine.
   * For counts that no client was told were stored (the data plane's metric and usage deltas, written every 100 ms):
   * an fsync per flush blocked the event loop ~2 ms every 100 ms. Default true (every acknowledged write).
   */
  fsync?: boolean;
}

export interface Store {
  /** A read-only view; may run concurrently with others. */
  read<T>(fn: (tx: Tx) => T | Promise<T>): Promise<T>;
  /** One atomic, serialised read-write transaction; rolled back if fn throws. */
  write<T>(fn: (tx: Tx) => T | Promise<T>, options?: WriteOptions): Promise<T>;
  /** Called after every committed write with the collections it touched (in-process change notification). */
  onCommit(listener: (collections: ReadonlySet<string>) => void): () => void;
  /** Deletes everything (dev-mode reset). */
  wipe(): Promise<void>;
  close(): Promise<void>;
}

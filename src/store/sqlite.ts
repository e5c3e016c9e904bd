// The embedded store: node:sqlite in WAL mode under the data directory. One connection; transactions are
// serialised through a queue, so an async handler's transaction never interleaves with another's. COMMIT with
// synchronous=FULL means a write that returned survives a crash of the process (and of the machine).
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { join } from 'node:path';
import type { Store, Tx, WriteOptions } from './store.ts';
import { MIGRATIONS } from './migrations.ts';
import { checkDataFile, DataDirError, prepareDataDir } from './data-dir.ts';
import { lockDataDir, sqliteCause, type DataDirLock } from './lock.ts';

const MAX_CHAR = '\u{10FFFF}';

export class SqliteStore implements Store {
  private readonly db: DatabaseSync;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(c: ReadonlySet<string>) => void>();
  private readonly stmts: {
    get: StatementSync;
    put: StatementSync;
    del: StatementSync;
    list: StatementSync;
    listAll: StatementSync;
    delPrefix: StatementSync;
  };
  private closed = false;
  private readonly lock: DataDirLock;

  /** Opens (or creates) the store in `dataDir`, which it locks; a DataDirError says why it cannot. */
  constructor(dataDir: string) {
    prepareDataDir(dataDir);
    this.lock = lockDataDir(dataDir);
    try {
      this.db = openDatabase(join(dataDir, 'gatehouse.db'));
    } catch (err) {
      this.lock.release();
      throw err;
    }
    this.stmts = {
      get: this.db.prepare('SELECT value FROM items WHERE collection = ? AND key = ?'),
      put: this.db.prepare('INSERT INTO items (collection, key, value) VALUES (?, ?, ?) ON CONFLICT (collection, key) DO UPDATE SET value = excluded.value'),
      del: this.db.prepare('DELETE FROM items WHERE collection = ? AND key = ?'),
      list: this.db.prepare('SELECT key, value FROM items WHERE collection = ? AND key >= ? AND key < ? ORDER BY key'),
      listAll: this.db.prepare('SELECT key, value FROM items WHERE collection = ? ORDER BY key'),
      delPrefix: this.db.prepare('DELETE FROM items WHERE collection = ? AND key >= ? AND key < ?'),
    };
  }

  read<T>(fn: (tx: Tx) => T | Promise<T>): Promise<T> {
    return this.enqueue(async () => fn(this.tx(new Set())));
  }

  write<T>(fn: (tx: Tx) => T | Promise<T>, options?: WriteOptions): Promise<T> {
    return this.enqueue(async () => {
      const touched = new Set<string>();
      // WAL with synchronous=NORMAL: the commit is in the WAL file (the OS has it), not forced to disk; the next
      // FULL commit's fsync covers it too. The level can only change outside a transaction.
      const lazy = options?.fsync === false;
      if (lazy) this.db.exec('PRAGMA synchronous=NORMAL');
      let result: T;
      try {
        this.db.exec('BEGIN IMMEDIATE');
        try {
          result = await fn(this.tx(touched));
          this.db.exec('COMMIT');
        } catch (err) {
          if (this.db.isTransaction) this.db.exec('ROLLBACK');
          throw err;
        }
      } finally {
        if (lazy) this.db.exec('PRAGMA synchronous=FULL');
      }
      if (touched.size) for (const l of this.listeners) l(touched);
      return result;
    });
  }

  onCommit(listener: (collections: ReadonlySet<string>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async wipe(): Promise<void> {
    await this.enqueue(async () => {
      const collections = new Set((this.db.prepare('SELECT DISTINCT collection FROM items').all() as Array<{ collection: string }>).map((r) => r.collection));
      this.db.exec('DELETE FROM items');
      for (const l of this.listeners) l(collections);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.queue.catch(() => undefined);
    this.closed = true;
    this.db.close();
    this.lock.release();
  }

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('store is closed'));
    const run = this.queue.then(job, job);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private tx(touched: Set<string>): Tx {
    const s = this.stmts;
    const tx: Tx = {
      get: async <V>(collection: string, key: string) => {
        const row = s.get.get(collection, key) as { value: string } | undefined;
        return row ? (JSON.parse(row.value) as V) : undefined;
      },
      put: async (collection, key, value) => {
        touched.add(collection);
        s.put.run(collection, key, JSON.stringify(value));
      },
      delete: async (collection, key) => {
        const r = s.del.run(collection, key);
        if (r.changes > 0) touched.add(collection);
        return r.changes > 0;
      },
      list: async <V>(collection: string, prefix?: string) => {
        const rows = (prefix ? s.list.all(collection, prefix, prefix + MAX_CHAR) : s.listAll.all(collection)) as Array<{ key: string; value: string }>;
        return rows.map((r) => ({ key: r.key, value: JSON.parse(r.value) as V }));
      },
      deletePrefix: async (collection, prefix) => {
        const r = s.delPrefix.run(collection, prefix, prefix + MAX_CHAR);
        if (r.changes > 0) touched.add(collection);
        return Number(r.changes);
      },
      unscoped: () => tx,
    };
    return tx;
  }
}

/** Opens the database file, with every way it can fail said in one sentence naming the file. */
function openDatabase(file: string): DatabaseSync {
  checkDataFile(file);
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(file);
    db.exec('PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;');
    const { user_version: version } = db.prepare('PRAGMA user_version').get() as { user_version: number };
    if (version > MIGRATIONS.length) {
      throw new DataDirError(`${file} was written by a newer Gatehouse (schema version ${version}; this one knows up to ${MIGRATIONS.length})`);
    }
    migrate(db);
    // A damaged page would otherwise surface later as 500s on whichever request reads it; the check reads the
    // whole file once (milliseconds for the few megabytes of configuration a Gatehouse keeps).
    const problems = (db.prepare('PRAGMA quick_check(3)').all() as Array<Record<string, string>>)
      .map((row) => Object.values(row)[0])
      .filter((v) => v !== 'ok');
    if (problems.length) throw new DataDirError(`${file} is corrupt (SQLite quick_check: ${problems.join('; ')})`);
    return db;
  } catch (err) {
    db?.close();
    if (err instanceof DataDirError) throw err;
    const errcode = ((err as { errcode?: number }).errcode ?? 0) % 256;
    // SQLITE_CORRUPT (11) and SQLITE_NOTADB (26): the file is not a usable SQLite database.
    if (errcode === 11 || errcode === 26) throw new DataDirError(`${file} is corrupt or not a SQLite database (SQLite: ${sqliteCause(err)})`);
    throw new DataDirError(`cannot open ${file}: ${sqliteCause(err)}`);
  }
}

/** Applies the migrations newer than the database's user_version, each in its own transaction. */
function migrate(db: DatabaseSync): void {
  const { user_version: current } = db.prepare('PRAGMA user_version').get() as { user_version: number };
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.exec('BEGIN');
    try {
      db.exec(MIGRATIONS[v]!.sqlite);
      db.exec(`PRAGMA user_version = ${v + 1}`);
      db.exec('COMMIT');
    } catch (e) {
      db.exec('ROLLBACK');
      throw e;
    }
  }
}

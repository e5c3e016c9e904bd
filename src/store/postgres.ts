// The scale-out store: PostgreSQL shared by every Gatehouse node (`--database-url`, GATEHOUSE_DATABASE_URL).
//
// - One transaction per operation. Writes run SERIALIZABLE, so two nodes creating the same name or id at once
//   cannot both succeed: PostgreSQL aborts one with a serialization failure (40001) or deadlock (40P01), and the
//   write is run again from the start (it then sees the other's row). Within one node writes are queued, as in
//   SQLite, so a node's own writes never conflict with each other. Reads are REPEATABLE READ snapshots.
// - Change propagation: each write that touched collections sends `pg_notify` inside its transaction (delivered on
//   commit only) with the collections and this node's id. Every node LISTENs on one connection and tells its
//   onCommit listeners about other nodes' commits; its own it told synchronously after COMMIT. When that connection
//   drops, the node reconnects and then tells its listeners that every collection changed (what happened meanwhile
//   is unknown), so its caches reload.
// - Migrations run under a session advisory lock: nodes starting together wait for the first to migrate.
// - A write that returned was committed with synchronous_commit as the server has it (on by default: durable).
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import type { Store, Tx, WriteOptions } from './store.ts';
import { MIGRATIONS } from './migrations.ts';
import { DatabaseError, describeConnectFailure, describeDatabase } from './database-url.ts';

const MAX_CHAR = '\u{10FFFF}';
/** PostgreSQL text cannot hold U+0000: no stored key has it, so a key with it (from a request path) finds nothing. */
const NUL = '\u0000';
/** Serialization failure and deadlock: PostgreSQL's "run the transaction again". */
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 20;
const RECONNECT_MS = { first: 100, max: 2000 };

export interface PostgresStoreOptions {
  /** Connections in this node's pool (default 10). */
  poolSize?: number;
  /** WARN lines (lost notification connection, idle connection errors); stderr by default. */
  warn?: (line: string) => void;
}

type Listener = (collections: ReadonlySet<string>) => void;

export class PostgresStore implements Store {
  /** Resolves once the schema is migrated and change notifications are heard; rejects with a DatabaseError saying why not. */
  readonly ready: Promise<void>;
  private readonly url: string;
  private readonly pool: pg.Pool;
  private readonly node = randomUUID();
  private readonly listeners = new Set<Listener>();
  /** Every collection this node has read or written: what its caches can hold, so what a catch-up must name. */
  private readonly seen = new Set<string>();
  private readonly warn: (line: string) => void;
  private writes: Promise<unknown> = Promise.resolve();
  private channel = '';
  private notifications: pg.Client | undefined;
  private reconnectDelay = RECONNECT_MS.first;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Whether this node is hearing other nodes' commits right now (for health checks). */
  listening = false;

  constructor(url: string, options: PostgresStoreOptions = {}) {
    this.url = url;
    this.warn = options.warn ?? ((line) => void process.stderr.write(`${line}\n`));
    this.pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, keepAlive: true });
    // An idle pooled connection the server closed (a PostgreSQL restart): the pool drops it and opens another when
    // needed; without this handler the error would stop the process.
    this.pool.on('error', (err) => this.warn(`WARN PostgreSQL connection lost (${describeDatabase(url)}): ${err.message}; reconnecting when needed`));
    // A connection in use (checked out for a transaction) has no 'error' listener of the pool's: one the server drops
    // between two of its queries would emit an unhandled 'error' and stop the node (seen when PostgreSQL restarted
    // under load). The transaction's next query fails instead, and the connection is discarded on release.
    this.pool.on('connect', (client) => client.on('error', () => undefined));
    this.ready = this.open();
    this.ready.catch(() => undefined); // observed by listen(); operations reject with it too
  }

  async read<T>(fn: (tx: Tx) => T | Promise<T>): Promise<T> {
    await this.ready;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const result = await fn(this.tx(client, new Set()));
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (err) {
      await rollback(client, err);
      throw err;
    }
  }

  write<T>(fn: (tx: Tx) => T | Promise<T>, options?: WriteOptions): Promise<T> {
    return this.serialised(async () => {
      await this.ready;
      for (let attempt = 1; ; attempt++) {
        const client = await this.pool.connect();
        const touched = new Set<string>();
        let result: T;
        try {
          await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
          // The commit returns once PostgreSQL has it in memory; its WAL writer flushes it within ~3 × wal_writer_delay.
          if (options?.fsync === false) await client.query('SET LOCAL synchronous_commit = off');
          result = await fn(this.tx(client, touched));
          if (touched.size) await client.query('SELECT pg_notify($1, $2)', [this.channel, this.payload(touched)]);
          await client.query('COMMIT');
          client.release();
        } catch (err) {
          await rollback(client, err);
          if (!RETRYABLE.has((err as { code?: string }).code ?? '') || attempt >= MAX_ATTEMPTS) throw err;
          // Another node's transaction won; back off a little (randomised, so two losers do not collide again).
          await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
          continue;
        }
        if (touched.size) {
          for (const c of touched) this.seen.add(c);
          this.tell(touched);
        }
        return result;
      }
    });
  }

  onCommit(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async wipe(): Promise<void> {
    await this.write(async (tx) => {
      for (const c of await this.collections()) await tx.deletePrefix(c, '');
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    await this.writes.catch(() => undefined);
    await this.notifications?.end().catch(() => undefined);
    this.listening = false;
    await this.pool.end();
  }

  private serialised<T>(job: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('store is closed'));
    const run = this.writes.then(job, job);
    this.writes = run.catch(() => undefined);
    return run;
  }

  private payload(touched: ReadonlySet<string>): string {
    return JSON.stringify({ node: this.node, collections: [...touched] });
  }

  private tell(collections: ReadonlySet<string>): void {
    for (const l of this.listeners) {
      try {
        l(collections);
      } catch (err) {
        this.warn(`WARN a change listener failed: ${(err as Error).message}`);
      }
    }
  }

  /** Every collection that has items (a skip scan over the primary key: one index probe per collection). */
  private async collections(): Promise<string[]> {
    const { rows } = await this.pool.query<{ collection: string }>(
      `WITH RECURSIVE c AS (
         (SELECT collection FROM items ORDER BY collection LIMIT 1)
         UNION ALL
         SELECT (SELECT i.collection FROM items i WHERE i.collection > c.collection ORDER BY i.collection LIMIT 1) FROM c WHERE c.collection IS NOT NULL
       ) SELECT collection FROM c WHERE collection IS NOT NULL`,
    );
    return rows.map((r) => r.collection);
  }

  private async open(): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw new DatabaseError(describeConnectFailure(this.url, err));
    }
    try {
      const schema = (await client.query<{ s: string | null }>('SELECT current_schema() AS s')).rows[0]?.s;
      if (!schema) throw new DatabaseError(`cannot use PostgreSQL at ${describeDatabase(this.url)}: its search_path names no schema that exists`);
      // One channel per schema: several Gatehouse installations may share a database in separate schemas.
      this.channel = `gatehouse:${schema}`;
      await migrate(client, schema, this.url);
      client.release();
    } catch (err) {
      client.release(true);
      if (err instanceof DatabaseError) throw err;
      throw new DatabaseError(describeConnectFailure(this.url, err));
    }
    await this.listen(false);
  }

  /** Opens the notification connection and LISTENs; after a reconnect, every listener hears that everything changed. */
  private async listen(catchUp: boolean): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, keepAlive: true });
    const lost = (err?: Error) => {
      if (this.notifications !== client) return;
      this.notifications = undefined;
      this.listening = false;
      client.end().catch(() => undefined);
      if (this.closed) return;
      this.warn(`WARN PostgreSQL change notifications lost (${describeDatabase(this.url)})${err ? `: ${err.message}` : ''}; reconnecting`);
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (n) => {
      if (n.channel !== this.channel || !n.payload) return;
      const { node, collections } = JSON.parse(n.payload) as { node: string; collections: string[] };
      if (node !== this.node) this.tell(new Set(collections));
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${quoteIdent(this.channel)}`);
    } catch (err) {
      client.end().catch(() => undefined);
      if (!catchUp) throw new DatabaseError(describeConnectFailure(this.url, err));
      this.scheduleReconnect();
      return;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.notifications = client;
    this.listening = true;
    this.reconnectDelay = RECONNECT_MS.first;
    if (catchUp) {
      this.warn(`PostgreSQL change notifications restored (${describeDatabase(this.url)}); reloading cached configuration`);
      // Named: every collection this node's caches may hold (an emptied one has no rows left to be found by).
      const all = await this.collections().catch(() => [] as string[]);
      this.tell(new Set([...this.seen, ...all]));
    }
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(RECONNECT_MS.max, delay * 2);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.listen(true);
    }, delay);
    this.reconnectTimer.unref();
  }

  private tx(client: pg.PoolClient, touched: Set<string>): Tx {
    const seen = this.seen;
    const tx: Tx = {
      get: async <V>(collection: string, key: string) => {
        seen.add(collection);
        if (key.includes(NUL)) return undefined;
        const { rows } = await client.query<{ value: string }>({ name: 'gh_get', text: 'SELECT value FROM items WHERE collection = $1 AND key = $2', values: [collection, key] });
        return rows[0] ? (JSON.parse(rows[0].value) as V) : undefined;
      },
      put: async (collection, key, value) => {
        if (key.includes(NUL)) throw new Error(`a store key cannot contain U+0000 (PostgreSQL text): ${JSON.stringify(key)}`);
        touched.add(collection);
        await client.query({
          name: 'gh_put',
          text: 'INSERT INTO items (collection, key, value) VALUES ($1, $2, $3) ON CONFLICT (collection, key) DO UPDATE SET value = excluded.value',
          values: [collection, key, JSON.stringify(value)],
        });
      },
      delete: async (collection, key) => {
        if (key.includes(NUL)) return false;
        const r = await client.query({ name: 'gh_del', text: 'DELETE FROM items WHERE collection = $1 AND key = $2', values: [collection, key] });
        if (r.rowCount) touched.add(collection);
        return (r.rowCount ?? 0) > 0;
      },
      list: async <V>(collection: string, prefix?: string) => {
        seen.add(collection);
        if (prefix?.includes(NUL)) return [];
        const { rows } = prefix
          ? await client.query<{ key: string; value: string }>({
              name: 'gh_list',
              text: 'SELECT key, value FROM items WHERE collection = $1 AND key >= $2 AND key < $3 ORDER BY key',
              values: [collection, prefix, prefix + MAX_CHAR],
            })
          : await client.query<{ key: string; value: string }>({ name: 'gh_list_all', text: 'SELECT key, value FROM items WHERE collection = $1 ORDER BY key', values: [collection] });
        return rows.map((r) => ({ key: r.key, value: JSON.parse(r.value) as V }));
      },
      deletePrefix: async (collection, prefix) => {
        if (prefix.includes(NUL)) return 0;
        const r = await client.query({
          name: 'gh_del_prefix',
          text: 'DELETE FROM items WHERE collection = $1 AND key >= $2 AND key < $3',
          values: [collection, prefix, prefix + MAX_CHAR],
        });
        if (r.rowCount) touched.add(collection);
        return r.rowCount ?? 0;
      },
      unscoped: () => tx,
    };
    return tx;
  }
}

/** Ends a failed transaction; a connection that cannot even roll back is discarded rather than reused. */
async function rollback(client: pg.PoolClient, cause: unknown): Promise<void> {
  try {
    await client.query('ROLLBACK');
    client.release();
  } catch {
    client.release(cause instanceof Error ? cause : true);
  }
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Applies the migrations newer than the schema's version, each in its own transaction, holding an advisory lock
 * (per schema) so that nodes starting at once migrate one after the other: the later ones find nothing to do.
 */
async function migrate(client: pg.PoolClient, schema: string, url: string): Promise<void> {
  await client.query('SELECT pg_advisory_lock(hashtext($1))', [`gatehouse-migrations:${schema}`]);
  try {
    await client.query('CREATE TABLE IF NOT EXISTS gatehouse_schema (version integer NOT NULL)');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM gatehouse_schema');
    let version = rows[0]?.version ?? 0;
    if (!rows.length) await client.query('INSERT INTO gatehouse_schema (version) VALUES (0)');
    if (version > MIGRATIONS.length) {
      throw new DatabaseError(`PostgreSQL at ${describeDatabase(url)} (schema ${schema}) was written by a newer Gatehouse (schema version ${version}; this one knows up to ${MIGRATIONS.length})`);
    }
    for (; version < MIGRATIONS.length; version++) {
      await client.query('BEGIN');
      try {
        await client.query(MIGRATIONS[version]!.postgres);
        await client.query('UPDATE gatehouse_schema SET version = $1', [version + 1]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`gatehouse-migrations:${schema}`]);
  }
}

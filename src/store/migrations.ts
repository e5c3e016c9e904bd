// Versioned schema migrations, in order; an adapter applies those newer than its database's version.
// Never edit a released migration: add a new one.
export interface Migration {
  description: string;
  sqlite: string;
  postgres: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    description: 'documents by collection and key',
    sqlite: `CREATE TABLE items (
      collection TEXT NOT NULL,
      key TEXT NOT NULL,
      value TEXT NOT NULL,
      PRIMARY KEY (collection, key)
    ) WITHOUT ROWID;`,
    // TEXT, not JSONB: documents come back byte for byte as written (JSONB reorders object keys and refuses \u0000),
    // as SQLite keeps them; keys in "C" collation order as SQLite's binary comparison does.
    postgres: `CREATE TABLE items (
      collection TEXT NOT NULL,
      key TEXT COLLATE "C" NOT NULL,
      value TEXT NOT NULL,
      PRIMARY KEY (collection, key)
    );`,
  },
];

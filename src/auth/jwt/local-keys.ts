// Local user pools: for work without Cognito, each pool named in `gatehouse tokens issue` gets its own RS256 signing
// key. The server verifies tokens of a pool that has no `--user-pool-jwks` URL with this key's public half, and
// publishes it at /_gatehouse/user-pools/{poolId}/.well-known/jwks.json. Where keys are kept is a LocalKeyring:
// - embedded mode: `{dataDir}/user-pools/{poolId}.json` (mode 0600), outside the store, so tokens can be issued while
//   a server holds the data directory's lock (fileKeyring, below);
// - scale-out mode: the shared store, so every node verifies what any node's `gatehouse tokens` signed
//   (./stored-keys.ts).
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, stat, unlink, writeFile, link } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { POOL_ID } from './user-pool.ts';

export interface LocalPoolKey {
  readonly poolId: string;
  /** The app client id written into the pool's tokens unless another is asked for (26 characters, as Cognito's). */
  readonly clientId: string;
  /** The private key (with kid and alg) tokens are signed with. */
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
}

/** Where local pools' keys are kept. */
export interface LocalKeyring {
  /** The pool's key, created on first use; concurrent creators (processes or nodes) agree on one. */
  loadOrCreate(poolId: string): Promise<LocalPoolKey>;
  /** The pool's key, or undefined when none was created. */
  read(poolId: string): Promise<LocalPoolKey | undefined>;
  /** Identifies the pool's key's current content cheaply (it is read again only when this changes). */
  stamp(poolId: string): Promise<string | undefined>;
}

/** Embedded mode: one file per pool in `{dataDir}/user-pools/`. */
export function fileKeyring(dataDir: string): LocalKeyring {
  return {
    loadOrCreate: (poolId) => loadOrCreateLocalKey(dataDir, poolId),
    read: (poolId) => readLocalKey(dataDir, poolId),
    stamp: (poolId) => localKeyStamp(dataDir, poolId),
  };
}

const ALG = 'RS256';
const PUBLIC_RSA = ['kty', 'n', 'e', 'kid', 'alg', 'use'] as const;

export function localKeyFile(dataDir: string, poolId: string): string {
  // The pool id pattern (letters, digits, '_' and '-') keeps the name inside the directory.
  if (!POOL_ID.test(poolId)) throw new Error(`${JSON.stringify(poolId)} is not a user pool id`);
  return join(dataDir, 'user-pools', `${poolId}.json`);
}

function publicHalf(jwk: JWK): JWK {
  const out: Record<string, unknown> = {};
  for (const m of PUBLIC_RSA) if (jwk[m] !== undefined) out[m] = jwk[m];
  return out as JWK;
}

/** A new key for `poolId`: RS256 (2048 bits), kid the JWK thumbprint, with a Cognito-shaped app client id. */
export async function newLocalKey(poolId: string): Promise<LocalPoolKey> {
  const { privateKey } = await generateKeyPair(ALG, { extractable: true, modulusLength: 2048 });
  const jwk = await exportJWK(privateKey);
  jwk.kid = await calculateJwkThumbprint(jwk);
  jwk.alg = ALG;
  jwk.use = 'sig';
  const clientId = Array.from(randomBytes(26), (b) => 'abcdefghijklmnopqrstuvwxyz0123456789'[b % 36]).join('');
  return { poolId, clientId, privateJwk: jwk, publicJwk: publicHalf(jwk) };
}

/** A kept key document ({poolId, clientId, privateJwk}, as the files hold it) as a LocalPoolKey. */
export function parseLocalKey(doc: unknown, where: string): LocalPoolKey {
  const d = doc as { poolId?: unknown; clientId?: unknown; privateJwk?: JWK } | null;
  if (!d || typeof d.poolId !== 'string' || typeof d.clientId !== 'string' || !d.privateJwk || typeof d.privateJwk.kid !== 'string') {
    throw new Error(`${where} is not a Gatehouse user-pool key`);
  }
  return { poolId: d.poolId, clientId: d.clientId, privateJwk: d.privateJwk, publicJwk: publicHalf(d.privateJwk) };
}

/** What is kept of a key (the public half is derived). */
export function keptForm(key: LocalPoolKey): { poolId: string; clientId: string; privateJwk: JWK } {
  return { poolId: key.poolId, clientId: key.clientId, privateJwk: key.privateJwk };
}

/** The pool's local key, created on first use. Safe against a concurrent creator: the first file written wins. */
export async function loadOrCreateLocalKey(dataDir: string, poolId: string): Promise<LocalPoolKey> {
  const file = localKeyFile(dataDir, poolId);
  const existing = await readLocalKey(dataDir, poolId);
  if (existing) return existing;
  await mkdir(join(dataDir, 'user-pools'), { recursive: true, mode: 0o700 });
  const text = `${JSON.stringify(keptForm(await newLocalKey(poolId)), null, 2)}\n`;
  // Written whole under a temporary name, then linked into place: link() refuses an existing name, so two
  // processes creating the same pool's key at once agree on one of them.
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, text, { mode: 0o600 });
  try {
    await link(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  return (await readLocalKey(dataDir, poolId))!;
}

/** The pool's local key, or undefined when none was created. */
export async function readLocalKey(dataDir: string, poolId: string): Promise<LocalPoolKey | undefined> {
  const file = localKeyFile(dataDir, poolId);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return parseLocalKey(JSON.parse(text), file);
}

/** The pool ids of the key files in `{dataDir}/user-pools/` (none when it does not exist). */
export async function localKeyPools(dataDir: string): Promise<string[]> {
  const names = await readdir(join(dataDir, 'user-pools')).catch(() => [] as string[]);
  return names.filter((n) => n.endsWith('.json') && POOL_ID.test(n.slice(0, -5))).map((n) => n.slice(0, -5));
}

/** Identifies the key file's current content cheaply (it is read again only when this changes). */
export async function localKeyStamp(dataDir: string, poolId: string): Promise<string | undefined> {
  const s = await stat(localKeyFile(dataDir, poolId)).catch(() => undefined);
  return s ? `${s.ino}:${s.size}:${s.mtimeMs}` : undefined;
}

/** The JWKS document of the pool's local key. */
export function localJwks(key: LocalPoolKey): { keys: JWK[] } {
  return { keys: [key.publicJwk] };
}

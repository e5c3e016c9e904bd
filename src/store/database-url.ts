// The PostgreSQL URL of scale-out mode (`--database-url`, GATEHOUSE_DATABASE_URL): checked before anything
// connects, and named in errors without its password, since startup lines end up in logs.

/** The database cannot be used; the message names the server (never the password) and the cause, for the operator. */
export class DatabaseError extends Error {
  override readonly name = 'DatabaseError';
}

/** `user@host:port/database` of a postgres URL: what an operator needs to find the server, without the secret. */
export function describeDatabase(url: string): string {
  try {
    const u = new URL(url);
    const user = u.username ? `${decodeURIComponent(u.username)}@` : '';
    return `${user}${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname.length > 1 ? u.pathname : '/'}`;
  } catch {
    return 'the database URL';
  }
}

/** The URL with its password replaced, for messages that must quote it. */
export function redactDatabaseUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}

/** Why a postgres URL cannot be used (undefined when it can): checked at startup, before any connection. */
export function databaseUrlProblem(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'is not a URL (e.g. postgres://user@127.0.0.1:5432/gatehouse)';
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') return `is not a postgres:// URL (scheme ${u.protocol.slice(0, -1)})`;
  if (!u.hostname && !u.searchParams.get('host')) return 'names no host (e.g. postgres://user@127.0.0.1:5432/gatehouse)';
  return undefined;
}

// libpq's and node's codes for why a connection failed, in the words an operator searches for.
const CONNECT_CAUSES: Record<string, string> = {
  ECONNREFUSED: 'connection refused: is PostgreSQL running and listening there?',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name does not resolve (temporary DNS failure)',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ECONNRESET: 'the server closed the connection',
  '28P01': 'password authentication failed',
  '28000': 'the server refused this user (pg_hba.conf or role)',
  '3D000': 'the database does not exist',
  '42501': 'permission denied',
  '53300': 'the server has too many connections',
  '57P03': 'the server is starting up or shutting down',
};

/** One sentence: which server, and why Gatehouse cannot use it. */
export function describeConnectFailure(url: string, err: unknown): string {
  const e = err as { code?: string; message?: string };
  const cause = e.code && CONNECT_CAUSES[e.code] ? `${CONNECT_CAUSES[e.code]} (${e.code})` : (e.message ?? String(err));
  return `cannot use PostgreSQL at ${describeDatabase(url)} (--database-url / GATEHOUSE_DATABASE_URL): ${cause}`;
}

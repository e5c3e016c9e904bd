// Why `gatehouse serve` could not start, in one line for the operator: the cause and the path, value or address it
// concerns, never a stack trace. Anything not foreseen here is still one line (its message), so a surprise does not
// bury the cause under node internals; GATEHOUSE_DEBUG=1 prints the stack as well.
import { DataDirError, fsCause } from '../store/data-dir.ts';
import { DatabaseError } from '../store/database-url.ts';

/** A setting (flag or environment variable) has a value Gatehouse cannot use; the message names both. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Where the server tried to listen, to name it when listening fails. */
export interface ListenTarget {
  host: string;
  port: number;
  /** Which setting the host came from, e.g. `--host` or `GATEHOUSE_HOST`. */
  hostSource?: string;
  /** The HTTPS listener's port, when there is one. */
  tlsPort?: number;
}

/** One line saying why startup failed. */
export function describeStartupError(err: unknown, listen?: ListenTarget): string {
  return oneLine(describe(err, listen));
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function describe(err: unknown, listen?: ListenTarget): string {
  if (err instanceof ConfigError || err instanceof DataDirError || err instanceof DatabaseError) return err.message;
  const e = err as NodeJS.ErrnoException & { syscall?: string; hostname?: string };
  if (listen && (e.syscall === 'listen' || e.syscall === 'bind' || e.syscall === 'getaddrinfo')) return listenFailure(e, listen);
  if (e?.code && e.syscall) return `${e.syscall} failed: ${fsCause(e)}${e.path ? ` (${e.path})` : ''}`;
  return `unexpected error: ${e?.message ?? String(err)}`;
}

function listenFailure(e: NodeJS.ErrnoException & { port?: number }, target: ListenTarget): string {
  // The error names the port it failed on (the HTTPS one, say, when both are served), else the target's.
  const port = typeof e.port === 'number' ? e.port : target.port;
  const { host, hostSource = '--host' } = target;
  const portFlag = port === target.tlsPort ? '--tls-port' : '--port';
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  switch (e.code) {
    case 'EADDRINUSE':
      return `port ${port} on ${host} is already in use (EADDRINUSE); stop what listens on ${where} or choose another ${portFlag}`;
    case 'EACCES':
      return `not allowed to listen on port ${port} on ${host} (EACCES); ports below 1024 need privileges, choose another ${portFlag}`;
    case 'EADDRNOTAVAIL':
      return `cannot listen on ${host} (${hostSource}): no network interface of this machine has that address (EADDRNOTAVAIL)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NONAME':
      return `cannot listen on ${host} (${hostSource}): not an IP address or a host name that resolves (${e.code})`;
    case 'EAFNOSUPPORT':
      return `cannot listen on ${host} (${hostSource}): this machine does not support that address family (EAFNOSUPPORT)`;
    default:
      return `cannot listen on ${where}: ${e.message}`;
  }
}

// A JSON Web Key Set (RFC 7517 §5) read from an issuer's JWKS URL: fetched with a time limit and a size limit,
// and reduced to the public signing keys it names by `kid`. Whatever is wrong with the answer (hangs, an error
// status, too large, not JSON, no usable keys) is a JwksError saying so, never a crash.
import { request } from 'undici';
import type { JWK } from 'jose';

export class JwksError extends Error {}

export interface JwksLimits {
  /** The whole exchange, connection to last byte. */
  readonly timeoutMs: number;
  readonly maxBytes: number;
}

export const DEFAULT_JWKS_LIMITS: JwksLimits = { timeoutMs: 5000, maxBytes: 256 * 1024 };
const MAX_KEYS = 100;
// Private-key members are never kept, even when a careless issuer publishes them.
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** Fetches a JWKS document and returns its signing keys by kid. */
export async function fetchJwks(url: string, limits: JwksLimits = DEFAULT_JWKS_LIMITS): Promise<Map<string, JWK>> {
  // One timer over the whole exchange, cleared when it ends (an abort after the end would reach a finished body).
  const aborter = new AbortController();
  const signal = aborter.signal;
  const timer = setTimeout(() => aborter.abort(), limits.timeoutMs);
  let text: string;
  try {
    const res = await request(url, { method: 'GET', headers: { accept: 'application/json' }, signal });
    // A body given up on early may still report its end as an error: nobody waits for it.
    res.body.on('error', () => undefined);
    if (res.statusCode !== 200) {
      res.body.destroy();
      throw new JwksError(`${url} answered HTTP ${res.statusCode}`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > limits.maxBytes) {
        res.body.destroy();
        throw new JwksError(`${url} answered more than ${limits.maxBytes} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
    text = Buffer.concat(chunks).toString('utf8');
  } catch (err) {
    if (err instanceof JwksError) throw err;
    if (signal.aborted) throw new JwksError(`${url} did not answer within ${limits.timeoutMs} ms`);
    throw new JwksError(`${url} could not be fetched: ${(err as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new JwksError(`${url} did not answer a JSON document`);
  }
  return signingKeys(doc, url);
}

/** The public signing keys of a JWKS document, by kid. */
export function signingKeys(doc: unknown, source: string): Map<string, JWK> {
  const keys = (doc as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw new JwksError(`${source} is not a JSON Web Key Set (no "keys" array)`);
  const out = new Map<string, JWK>();
  for (const k of keys.slice(0, MAX_KEYS)) {
    if (!k || typeof k !== 'object' || Array.isArray(k)) continue;
    const jwk = k as JWK;
    if (typeof jwk.kid !== 'string' || (jwk.kty !== 'RSA' && jwk.kty !== 'EC')) continue;
    if (jwk.use !== undefined && jwk.use !== 'sig') continue;
    const pub: Record<string, unknown> = { ...jwk };
    for (const m of PRIVATE_MEMBERS) delete pub[m];
    out.set(jwk.kid, pub as JWK);
  }
  if (out.size === 0) throw new JwksError(`${source} holds no RSA or EC signing key with a kid`);
  return out;
}

// A method response as the stage cache keeps it: status, headers (without what is per request: request ids, trace,
// Content-Length) and body, encoded into one opaque value (what a ResponseCache stores, in memory or remotely).
// Layout: 1 byte form (0 plain, 1 sealed by ./encryption.ts), then for a plain value: status (u16), header string
// count (u16), each string as u32 length + UTF-8 bytes, then the body's bytes to the end.
import type { CacheSealer } from './encryption.ts';

export interface CachedResponse {
  statusCode: number;
  /** [name, value, name, value, ...] in the order they were sent. */
  headers: string[];
  body: Buffer;
}

const PLAIN = 0;
const SEALED = 1;

export function encodeCachedResponse(r: CachedResponse, sealer?: CacheSealer): Buffer {
  const strings = r.headers.map((s) => Buffer.from(s, 'utf8'));
  let size = 5;
  for (const s of strings) size += 4 + s.length;
  const out = Buffer.allocUnsafe(size + r.body.length);
  out[0] = PLAIN;
  out.writeUInt16BE(r.statusCode, 1);
  out.writeUInt16BE(strings.length, 3);
  let o = 5;
  for (const s of strings) {
    out.writeUInt32BE(s.length, o);
    s.copy(out, o + 4);
    o += 4 + s.length;
  }
  r.body.copy(out, o);
  if (!sealer) return out;
  const sealed = sealer.seal(out.subarray(1));
  const tagged = Buffer.allocUnsafe(1 + sealed.length);
  tagged[0] = SEALED;
  sealed.copy(tagged, 1);
  return tagged;
}

export function isSealed(value: Buffer): boolean {
  return value[0] === SEALED;
}

/** The response, or undefined when the value is not one this process can read (damaged, or sealed by another key). */
export function decodeCachedResponse(value: Buffer, sealer: CacheSealer): CachedResponse | undefined {
  let plain: Buffer;
  if (value[0] === SEALED) {
    const opened = sealer.open(value.subarray(1));
    if (!opened) return undefined;
    plain = opened;
  } else if (value[0] === PLAIN) plain = value.subarray(1);
  else return undefined;
  if (plain.length < 4) return undefined;
  const statusCode = plain.readUInt16BE(0);
  const count = plain.readUInt16BE(2);
  // Filled by push, not preallocated: a packed array, the kind node's writeHead sees from every other response.
  const headers: string[] = [];
  let o = 4;
  for (let i = 0; i < count; i++) {
    if (o + 4 > plain.length) return undefined;
    const len = plain.readUInt32BE(o);
    if (o + 4 + len > plain.length) return undefined;
    headers.push(plain.toString('utf8', o + 4, o + 4 + len));
    o += 4 + len;
  }
  return { statusCode, headers, body: plain.subarray(o) };
}

// The stage cache's store, after the method response is made (DESIGN.md step 12): what a request that missed (or
// invalidated) its entry got is kept for the next ones. Only responses the integration produced reach here; gateway
// responses (throttling, authorization, validation, timeouts) are thrown, never stored. AWS caches every status the
// endpoint answers (it offers no setting to skip non-2xx ones: DianaIonita/serverless-api-gateway-caching#125,
// stackoverflow.com/questions/45883323), so does Gatehouse. A body over 1,048,576 bytes is served but not stored
// (AWS's limit); a streamed one is collected as it passes, up to that limit.
import type { CacheUse, Responded } from '../invocation.ts';
import { encodeCachedResponse } from '../../cache/cached-response.ts';
import { MAX_CACHED_RESPONSE_BYTES } from '../../cache/limits.ts';

/** Headers that belong to one request, never to the cached response: each hit gets its own. */
export const PER_REQUEST_HEADERS: ReadonlySet<string> = new Set(['content-length', 'x-amzn-requestid', 'x-amz-apigw-id', 'x-amzn-trace-id']);

/** The Warning AWS adds when it ignores an unauthorized client's Cache-Control: max-age=0. */
export const UNAUTHORIZED_CACHE_CONTROL_WARNING = '199 Cache-control headers were ignored because the caller was unauthorized.';

/** Stores the response; `headers` are the response's without PER_REQUEST_HEADERS, in the order they are sent. */
export function storeResponse(inv: Responded, c: CacheUse, statusCode: number, headers: string[], body: unknown): void {
  if (typeof body === 'string') {
    if (body.length > MAX_CACHED_RESPONSE_BYTES) return; // at least that many bytes
    return put(inv, c, statusCode, headers, Buffer.from(body));
  }
  if (Buffer.isBuffer(body)) return put(inv, c, statusCode, headers, body);
  // A streamed body (a large HTTP_PROXY one): collected alongside what goes to the client, if it stays small enough.
  const stream = body as NodeJS.ReadableStream | undefined;
  if (!stream || typeof stream.on !== 'function') return;
  const chunks: Buffer[] = [];
  let size = 0;
  const onData = (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_CACHED_RESPONSE_BYTES) {
      stream.removeListener('data', onData);
      chunks.length = 0;
    } else chunks.push(chunk);
  };
  stream.on('data', onData);
  stream.once('end', () => {
    if (size <= MAX_CACHED_RESPONSE_BYTES) put(inv, c, statusCode, headers, Buffer.concat(chunks, size));
  });
}

function put(inv: Responded, c: CacheUse, statusCode: number, headers: string[], body: Buffer): void {
  if (body.length > MAX_CACHED_RESPONSE_BYTES) return;
  const value = encodeCachedResponse({ statusCode, headers, body }, c.encrypted ? inv.env.cacheSealer : undefined);
  const done = inv.env.responseCache.set(c.partition, c.key, value, c.ttlMs, c.budgetBytes);
  // A remote cache that fails loses one entry; the response itself is not held up or failed by it.
  if (done instanceof Promise) done.catch(() => undefined);
}

/** [name, value, ...] without the per-request headers. */
export function withoutPerRequest(flat: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < flat.length; i += 2) {
    if (!PER_REQUEST_HEADERS.has(flat[i]!.toLowerCase())) out.push(flat[i]!, flat[i + 1]!);
  }
  return out;
}

// Step 12, method response: the headers API Gateway reserves are remapped to `x-amzn-Remapped-*` (more of them for
// non-proxy integrations), hop-by-hop headers dropped, request ids added, the response stored in the stage cache when
// the request uses it (./cache-store.ts), and the body compressed when the API has minimumCompressionSize and the
// client accepts gzip or deflate. A response served from the cache gets this request's ids, as a fresh one would.
import type { EndpointResponse, Integrated, MethodResponse, Responded } from '../invocation.ts';
import type { MultiMap } from '../headers.ts';
import { compressIfAccepted } from '../responses/compression.ts';
import { javaMap } from '../execution-log.ts';
import { CachedMethodResponse } from '../responses/cached-method-response.ts';
import { PER_REQUEST_HEADERS, storeResponse, UNAUTHORIZED_CACHE_CONTROL_WARNING, withoutPerRequest } from './cache-store.ts';

const REMAPPED_PROXY = new Set(['connection', 'content-length', 'date', 'server', 'x-amzn-requestid']);
const REMAPPED_NON_PROXY = new Set([
  'authorization', 'connection', 'content-length', 'content-md5', 'date', 'expect', 'host', 'max-forwards',
  'proxy-authenticate', 'server', 'trailer', 'upgrade', 'user-agent', 'www-authenticate', 'x-amzn-requestid',
]);
const DROPPED = ['transfer-encoding', 'keep-alive'];
// Backends' header names arrive lowercased from undici; AWS names remapped headers in their usual case.
const CANONICAL: ReadonlyMap<string, string> = new Map([
  ['authorization', 'Authorization'], ['connection', 'Connection'], ['content-length', 'Content-Length'], ['content-md5', 'Content-MD5'],
  ['date', 'Date'], ['expect', 'Expect'], ['host', 'Host'], ['max-forwards', 'Max-Forwards'], ['proxy-authenticate', 'Proxy-Authenticate'],
  ['server', 'Server'], ['trailer', 'Trailer'], ['upgrade', 'Upgrade'], ['user-agent', 'User-Agent'], ['www-authenticate', 'WWW-Authenticate'],
  ['x-amzn-requestid', 'x-amzn-RequestId'],
]);
/** Reserved name → [remapped name, its key]: built once, not per response. */
const REMAPPED = new Map([...CANONICAL].map(([lower, name]) => [lower, [`x-amzn-Remapped-${name}`, `x-amzn-remapped-${lower}`] as const]));

function remap(headers: MultiMap, reserved: ReadonlySet<string>): void {
  const found = headers.keysIn(reserved);
  if (!found) return;
  for (const lower of found) {
    const e = headers.take(lower)!;
    const remapped = REMAPPED.get(lower);
    if (remapped) headers.set(remapped[0], e.values, remapped[1]);
    else headers.set(`x-amzn-Remapped-${e.name}`, e.values);
  }
}

export function methodResponse(inv: Responded): void | Promise<void> {
  const mr = inv.methodResponse;
  const cache = inv.cache;
  if (mr instanceof WiredResponse) {
    // Finished when made.
    if (cache === undefined) return;
    storeResponse(inv, cache, mr.statusCode, withoutPerRequest(mr.wireHeaders), mr.body);
    if (cache.warn) mr.wireHeaders.push('Warning', UNAUTHORIZED_CACHE_CONTROL_WARNING);
    return;
  }
  if (mr instanceof CachedMethodResponse) finishCached(inv, mr);
  else {
    finishHeaders(inv, mr, inv.method.integration.module.proxy);
    if (cache !== undefined) {
      storeResponse(inv, cache, mr.statusCode, mr.headers.flat(PER_REQUEST_HEADERS), mr.body);
      if (cache.warn) mr.headers.set('Warning', UNAUTHORIZED_CACHE_CONTROL_WARNING, 'warning');
    }
  }
  const min = inv.deployment.minimumCompressionSize;
  if (min !== undefined && mr.compressible && inv.httpMethod !== 'HEAD') return compressIfAccepted(mr, min, inv.headers.get('accept-encoding'));
}

function finishHeaders(inv: Responded | Integrated, mr: MethodResponse, proxy: boolean): void {
  const headers = mr.headers;
  for (const d of DROPPED) headers.delete(d);
  const backendLength = proxy ? headers.first('content-length') : undefined;
  remap(headers, proxy ? REMAPPED_PROXY : REMAPPED_NON_PROXY);
  headers.set('x-amzn-RequestId', inv.requestId, 'x-amzn-requestid');
  headers.set('x-amz-apigw-id', inv.extendedRequestId, 'x-amz-apigw-id');
  // AWS returns the request's trace on HTTP, AWS and AWS_PROXY responses, not on MOCK or HTTP_PROXY ones
  // (recorded: LocalStack's test_invocation_trace_id and TestApiGatewayHeaderRemapping).
  const type = inv.method.integration.type;
  if (type !== 'MOCK' && type !== 'HTTP_PROXY') headers.set('X-Amzn-Trace-Id', inv.traceId, 'x-amzn-trace-id');
  if (proxy && backendLength !== undefined && !Buffer.isBuffer(mr.body)) headers.set('Content-Length', backendLength, 'content-length');
  if (inv.log) {
    if (inv.logData !== false) inv.log.push(`Method response headers: ${javaMap(headers)}`);
    inv.log.push('Successfully completed execution', `Method completed with status: ${mr.statusCode}`);
  }
}

/** A response from the stage cache gets what finishHeaders gives every response for this request. */
function finishCached(inv: Responded, mr: CachedMethodResponse): void {
  const type = inv.method.integration.type;
  mr.addOwn({
    requestId: inv.requestId,
    extendedRequestId: inv.extendedRequestId,
    traceId: type !== 'MOCK' && type !== 'HTTP_PROXY' ? inv.traceId : undefined,
    warning: inv.cache?.warn ? UNAUTHORIZED_CACHE_CONTROL_WARNING : undefined,
  });
  if (inv.log) {
    if (inv.logData !== false) inv.log.push(`Method response headers: ${javaMap(mr.headers)}`);
    inv.log.push('Successfully completed execution', `Method completed with status: ${mr.statusCode}`);
  }
}

const REMAPPED_PREFIX = 'x-amzn-remapped-';

/**
 * An HTTP_PROXY method response whose headers go from undici's parse of the backend's straight into the array
 * node's writeHead takes: the names, values and order finishHeaders gives, without a map per response. Only
 * when nothing else reads the headers (no execution log, no compression); the map is built if something does.
 */
export class WiredResponse implements MethodResponse {
  readonly statusCode: number;
  body: MethodResponse['body'];
  readonly compressible = true;
  /** [name, value, ...] without Content-Length (written from the body, or `contentLength` for a stream). */
  readonly wireHeaders: string[];
  /** The backend's Content-Length (the length of a streamed body). */
  readonly contentLength: string | undefined;
  readonly #inv: Integrated;
  readonly #er: EndpointResponse;
  #headers: MultiMap | undefined;
  constructor(inv: Integrated, er: EndpointResponse, wireHeaders: string[]) {
    this.#inv = inv;
    this.#er = er;
    this.statusCode = er.statusCode;
    this.body = er.body;
    this.wireHeaders = wireHeaders;
    const length = er.backendHeaders!['content-length'];
    this.contentLength = typeof length === 'string' ? length : length?.[0];
  }
  get headers(): MultiMap {
    if (this.#headers === undefined) {
      this.#headers = this.#er.headers;
      finishHeaders(this.#inv, this, true);
    }
    return this.#headers;
  }
}

/**
 * The wire headers of an HTTP_PROXY response (see WiredResponse), or undefined when the backend sent a name the
 * remapping could collide with (`x-amzn-Remapped-*`): those take the map.
 */
export function wiredHeaders(inv: Integrated, backend: Readonly<Record<string, string | string[] | undefined>>): string[] | undefined {
  const out: string[] = [];
  let remapped = false;
  let apigwId = false;
  for (const name in backend) {
    const v = backend[name];
    if (v === undefined || name === 'transfer-encoding' || name === 'keep-alive') continue;
    if (REMAPPED_PROXY.has(name)) {
      remapped = true;
      continue;
    }
    if (name.startsWith(REMAPPED_PREFIX)) return undefined;
    if (name === 'x-amz-apigw-id') {
      // Replaced where it stands, as the map's set does.
      out.push(name, inv.extendedRequestId);
      apigwId = true;
    } else if (typeof v === 'string') out.push(name, v);
    else for (let i = 0; i < v.length; i++) out.push(name, v[i]!);
  }
  if (remapped) {
    // After the others, in the backend's order: the map's take-then-set moves them to the end.
    for (const name in backend) {
      const v = backend[name];
      if (v === undefined || !REMAPPED_PROXY.has(name)) continue;
      const remappedName = REMAPPED.get(name)![0];
      if (typeof v === 'string') out.push(remappedName, v);
      else for (let i = 0; i < v.length; i++) out.push(remappedName, v[i]!);
    }
  }
  out.push('x-amzn-RequestId', inv.requestId);
  if (!apigwId) out.push('x-amz-apigw-id', inv.extendedRequestId);
  return out;
}

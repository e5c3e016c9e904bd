// Step 12, method response: the headers API Gateway reserves are remapped to `x-amzn-Remapped-*` (more of them for
// non-proxy integrations), hop-by-hop headers dropped, request ids added, and the body compressed when the API has
// minimumCompressionSize and the client accepts gzip or deflate.
import type { Responded } from '../invocation.ts';
import type { MultiMap } from '../headers.ts';
import { compressIfAccepted } from '../responses/compression.ts';
import { javaMap } from '../execution-log.ts';

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
  const proxy = inv.method.integration.module.proxy;
  const headers = mr.headers;
  for (const d of DROPPED) headers.delete(d);
  const backendLength = proxy ? headers.first('content-length') : undefined;
  remap(headers, proxy ? REMAPPED_PROXY : REMAPPED_NON_PROXY);
  headers.set('x-amzn-RequestId', inv.requestId, 'x-amzn-requestid');
  headers.set('x-amz-apigw-id', inv.extendedRequestId, 'x-amz-apigw-id');
  if (!proxy) headers.set('X-Amzn-Trace-Id', inv.traceId, 'x-amzn-trace-id');
  else if (backendLength !== undefined && !Buffer.isBuffer(mr.body)) headers.set('Content-Length', backendLength, 'content-length');
  if (inv.log) inv.log.push(`Method response headers: ${javaMap(headers)}`, 'Successfully completed execution', `Method completed with status: ${mr.statusCode}`);
  const min = inv.deployment.minimumCompressionSize;
  if (min !== undefined && mr.compressible && inv.httpMethod !== 'HEAD') return compressIfAccepted(mr, min, inv.headers.get('accept-encoding'));
}

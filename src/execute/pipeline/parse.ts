// Step 1, parse: the method request as API Gateway sees it: decoded path segments (raw path kept in the target),
// multi-value headers and query, the body (read on demand), request id, extended request id and trace id.
// Connection-level headers are dropped here and never reach mappings or backends; X-Forwarded-* are added as
// API Gateway's front end adds them.
import type { IncomingMessage } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import type { ExecuteTarget } from '../data-plane.ts';
import { decodeLenient, MultiMap, parseQuery } from '../headers.ts';
import type { ExecuteEnv, Invocation } from '../invocation.ts';
import { RequestBody } from '../request-body.ts';

const DROPPED = new Set([
  'connection', 'content-length', 'content-md5', 'expect', 'keep-alive', 'max-forwards', 'proxy-authenticate',
  'proxy-connection', 'server', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'www-authenticate',
]);

// Random bytes for ids come from a pooled buffer (as crypto.randomUUID does internally): a randomBytes call per
// id costs more than the rest of a MOCK invocation.
const POOL_SIZE = 64 * 1024;
let pool = randomBytes(POOL_SIZE);
let offset = 0;
function random(n: number): Buffer {
  if (offset + n > POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    offset = 0;
  }
  const out = pool.subarray(offset, offset + n);
  offset += n;
  return out;
}

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** x-amz-apigw-id: 15 alphanumerics and '=' (the shape of AWS's extended request ids). */
export function newExtendedRequestId(): string {
  const b = random(15);
  let id = '';
  for (let i = 0; i < 15; i++) id += ID_CHARS[b[i]! % 62];
  return `${id}=`;
}

export function newTraceId(epochMs: number): string {
  return `Root=1-${Math.floor(epochMs / 1000).toString(16)}-${random(12).toString('hex')}`;
}

/** Splits the raw resource path into decoded segments; a trailing slash is ignored, as on AWS. */
export function segmentsOf(rawPath: string): string[] {
  const parts = rawPath.split('/');
  parts.shift();
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  for (let i = 0; i < parts.length; i++) parts[i] = decodeLenient(parts[i]!);
  return parts;
}

export interface ParseInput {
  httpMethod: string;
  target: ExecuteTarget;
  /** Raw header pairs [name, value, name, value, ...] as node gives them. */
  rawHeaders: readonly string[];
  body: IncomingMessage | Buffer;
  sourceIp: string;
  localPort: number;
  protocol: string;
  req: IncomingMessage | undefined;
}

export function parse(input: ParseInput, env: ExecuteEnv): Invocation {
  const startedAt = env.now().getTime();
  const headers = new MultiMap(true);
  const raw = input.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (DROPPED.has(name.toLowerCase())) continue;
    headers.append(name, raw[i + 1]!);
  }
  const forwardedFor = headers.get('x-forwarded-for');
  headers.set('X-Forwarded-For', forwardedFor ? `${forwardedFor}, ${input.sourceIp}` : input.sourceIp);
  if (!headers.has('x-forwarded-port')) headers.set('X-Forwarded-Port', String(input.localPort));
  if (!headers.has('x-forwarded-proto')) headers.set('X-Forwarded-Proto', 'http');
  let traceId = headers.get('x-amzn-trace-id');
  if (!traceId) {
    traceId = newTraceId(startedAt);
    headers.set('X-Amzn-Trace-Id', traceId);
  }
  const segments = segmentsOf(input.target.rawPath);
  const inv: Invocation = {
    env,
    requestId: randomUUID(),
    extendedRequestId: newExtendedRequestId(),
    traceId,
    startedAt,
    target: input.target,
    accountId: env.accountId,
    httpMethod: input.httpMethod,
    path: segments.length === 0 ? '/' : `/${segments.join('/')}`,
    segments,
    headers,
    query: parseQuery(input.target.rawQuery),
    body: new RequestBody(input.body),
    sourceIp: input.sourceIp,
    protocol: input.protocol,
    req: input.req,
    log: null,
  };
  return inv;
}

// Step 1, parse: the method request as API Gateway sees it: decoded path segments (raw path kept in the target),
// multi-value headers and query, the body (read on demand), request id, extended request id and trace id.
// Connection-level headers are dropped here and never reach mappings or backends; X-Forwarded-* are added as
// API Gateway's front end adds them.
import type { IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { ExecuteTarget } from '../data-plane.ts';
import { decodeLenient, MultiMap, parseQuery } from '../headers.ts';
import type { ExecuteEnv, Invocation, Responded } from '../invocation.ts';
import { RequestBody } from '../request-body.ts';

const DROPPED = new Set([
  'connection', 'content-length', 'content-md5', 'expect', 'keep-alive', 'max-forwards', 'proxy-authenticate',
  'proxy-connection', 'server', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'www-authenticate',
]);

// Random parts of ids are sliced from pooled random text (as crypto.randomUUID pools its bytes): a randomBytes call,
// or even encoding a few bytes, per id costs more than the rest of a MOCK invocation. Each pool is random bytes
// encoded once per refill; slices of it are cheap substrings.
const POOL_SIZE = 64 * 1024;

class RandomText {
  #text = '';
  #offset = 0;
  readonly #encode: (bytes: Buffer) => string;
  constructor(encode: (bytes: Buffer) => string) {
    this.#encode = encode;
  }
  take(chars: number): string {
    if (this.#offset + chars > this.#text.length) {
      this.#text = this.#encode(randomBytes(POOL_SIZE));
      this.#offset = 0;
    }
    const out = this.#text.slice(this.#offset, this.#offset + chars);
    this.#offset += chars;
    return out;
  }
}

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Byte → alphanumeric character code. */
const ALPHANUMERIC = Buffer.from(Array.from({ length: 256 }, (_, i) => ID_CHARS.charCodeAt(i % 62)));
const alphanumerics = new RandomText((b) => {
  for (let i = 0; i < b.length; i++) b[i] = ALPHANUMERIC[b[i]!]!;
  return b.toString('latin1');
});
const hex = new RandomText((b) => b.toString('hex'));

const HEX_CODES = Buffer.from('0123456789abcdef', 'latin1');
/** Version 4 UUIDs (RFC 9562), formatted a pool at a time: what randomUUID does per call, done in bulk. */
const uuids = new RandomText((b) => {
  const out = Buffer.allocUnsafe((b.length / 16) * 36);
  let o = 0;
  for (let i = 0; i < b.length; i += 16) {
    b[i + 6] = (b[i + 6]! & 0x0f) | 0x40;
    b[i + 8] = (b[i + 8]! & 0x3f) | 0x80;
    for (let j = 0; j < 16; j++) {
      if (j === 4 || j === 6 || j === 8 || j === 10) out[o++] = 0x2d; // '-'
      const x = b[i + j]!;
      out[o++] = HEX_CODES[x >> 4]!;
      out[o++] = HEX_CODES[x & 15]!;
    }
  }
  return out.toString('latin1');
});

/** x-amzn-RequestId / $context.requestId: a version 4 UUID. */
export function newRequestId(): string {
  return uuids.take(36);
}

/** x-amz-apigw-id: 15 alphanumerics and '=' (the shape of AWS's extended request ids). */
export function newExtendedRequestId(): string {
  return `${alphanumerics.take(15)}=`;
}

let traceSecond = -1;
let traceSecondHex = '';
export function newTraceId(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second !== traceSecond) {
    traceSecond = second;
    traceSecondHex = second.toString(16);
  }
  return `Root=1-${traceSecondHex}-${hex.take(24)}`;
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
    const lower = name.toLowerCase();
    if (DROPPED.has(lower)) continue;
    headers.append(name, raw[i + 1]!, lower);
  }
  const forwardedFor = headers.get('x-forwarded-for');
  headers.set('X-Forwarded-For', forwardedFor ? `${forwardedFor}, ${input.sourceIp}` : input.sourceIp, 'x-forwarded-for');
  if (!headers.has('x-forwarded-port')) headers.set('X-Forwarded-Port', portText(input.localPort), 'x-forwarded-port');
  if (!headers.has('x-forwarded-proto')) {
    // The TLS listener's sockets are encrypted (`gatehouse serve --tls-port`).
    const encrypted = (input.req?.socket as { encrypted?: boolean } | undefined)?.encrypted === true;
    headers.set('X-Forwarded-Proto', encrypted ? 'https' : 'http', 'x-forwarded-proto');
  }
  let traceId = headers.get('x-amzn-trace-id');
  if (!traceId) {
    traceId = newTraceId(startedAt);
    headers.set('X-Amzn-Trace-Id', traceId, 'x-amzn-trace-id');
  }
  const rawPath = input.target.rawPath;
  const segments = segmentsOf(rawPath);
  // Every field later steps set is declared here, undefined: all invocations share one object shape, so the
  // steps' property accesses stay monomorphic (fields added step by step give each integration type its own).
  const inv: Invocation & { [K in Exclude<keyof Responded, keyof Invocation>]: undefined } = {
    env,
    requestId: newRequestId(),
    extendedRequestId: newExtendedRequestId(),
    traceId,
    startedAt,
    target: input.target,
    accountId: env.accountId,
    httpMethod: input.httpMethod,
    path: segments.length === 0 ? '/' : plainPath(rawPath) ? rawPath : `/${segments.join('/')}`,
    segments,
    headers,
    query: parseQuery(input.target.rawQuery),
    body: new RequestBody(input.body),
    sourceIp: input.sourceIp,
    protocol: input.protocol,
    req: input.req,
    log: null,
    stage: undefined,
    deployment: undefined,
    method: undefined,
    pathParameters: undefined,
    stageVariables: undefined,
    isCanaryRequest: undefined,
    contextObject: undefined,
    integrationRequest: undefined,
    endpointResponse: undefined,
    integrationLatency: undefined,
    methodResponse: undefined,
    selectedIntegrationResponse: undefined,
  };
  return inv;
}

/** A raw path that is already its decoded form without a trailing slash (most are). */
function plainPath(rawPath: string): boolean {
  return rawPath.charCodeAt(0) === 47 && rawPath.charCodeAt(rawPath.length - 1) !== 47 && rawPath.indexOf('%') === -1;
}

let lastPort = -1;
let lastPortText = '';
function portText(port: number): string {
  if (port !== lastPort) {
    lastPort = port;
    lastPortText = String(port);
  }
  return lastPortText;
}

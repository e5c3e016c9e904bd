// Step 1, parse: the method request as API Gateway sees it: the resource path and its routing segments (both
// still percent-encoded, as AWS reports them), multi-value headers and query, the body (read on demand), request
// id, extended request id and X-Ray trace header. Connection-level headers are dropped here and never reach mappings
// or backends; X-Forwarded-* are added as API Gateway's front end adds them.
import type { IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { ExecuteTarget } from '../data-plane.ts';
import { MultiMap, parseQuery } from '../headers.ts';
import type { ExecuteEnv, Invocation, Responded } from '../invocation.ts';
import { RequestBody } from '../request-body.ts';

const DROPPED = new Set([
  'connection', 'content-length', 'content-md5', 'expect', 'keep-alive', 'max-forwards', 'proxy-authenticate',
  'proxy-connection', 'server', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'www-authenticate',
]);

// Random parts of ids are sliced from pooled random text (as crypto.randomUUID pools its bytes): a randomBytes call,
// or even encoding a few bytes, per id costs more than the rest of a MOCK invocation. Each pool is random bytes
// encoded once per refill; slices of it are cheap substrings. 16 KB of random bytes a refill: the encoded text
// (36 KB for UUIDs) stays an ordinary heap object; at 64 KB it was a large object (147 KB), and a stage-cache hit
// took 0.15 µs longer in bench/execute/pipeline.bench.ts.
const POOL_SIZE = 16384;

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
/** An X-Ray trace root: `1-{epoch seconds, 8 hex}-{96 random bits, 24 hex}`. */
function newTraceRoot(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second !== traceSecond) {
    traceSecond = second;
    traceSecondHex = second.toString(16).padStart(8, '0');
  }
  return `1-${traceSecondHex}-${hex.take(24)}`;
}

const TRACE_ROOT = /^1-[0-9a-fA-F]{8}-[0-9a-fA-F]{24}$/;
const TRACE_PARENT = /^[0-9a-fA-F]{16}$/;

export interface Trace {
  /** The X-Amzn-Trace-Id header of the method request: the client's, or `Root=…` when it sent none usable. */
  header: string;
  /**
   * `Root=…;Parent=…;Sampled=…`: what API Gateway returns in its X-Amzn-Trace-Id response header and hands to
   * Lambda as the function's trace (_X_AMZN_TRACE_ID). The client's Root and Parent are kept (AWS keeps them:
   * recorded in LocalStack's test_invocation_trace_id); a missing Parent is generated, Sampled defaults to 0
   * (no active tracing here).
   */
  full: string;
}

/** The request's trace from the client's X-Amzn-Trace-Id (`Root=…;Parent=…;Sampled=…`, keys in any case and order). */
export function traceOf(clientHeader: string | undefined, epochMs: number): Trace {
  let root: string | undefined;
  let parent: string | undefined;
  let sampled: string | undefined;
  if (clientHeader !== undefined) {
    for (const part of clientHeader.split(';')) {
      const eq = part.indexOf('=');
      if (eq === -1) continue;
      const key = part.slice(0, eq).trim().toLowerCase();
      const value = part.slice(eq + 1).trim();
      if (key === 'root' && TRACE_ROOT.test(value)) root = value;
      else if (key === 'parent' && TRACE_PARENT.test(value)) parent = value;
      else if (key === 'sampled' && (value === '0' || value === '1')) sampled = value;
    }
  }
  // A header without a valid Root is replaced, as if none had been sent: functions and backends always get one.
  const header = root !== undefined ? clientHeader! : `Root=${(root = newTraceRoot(epochMs))}`;
  return { header, full: `Root=${root};Parent=${parent ?? hex.take(16)};Sampled=${sampled ?? '0'}` };
}

/**
 * The routing segments of a raw resource path (after the stage): still percent-encoded (path parameters keep the
 * client's encoding, as AWS passes them on), leading and trailing slashes ignored (`//pets/` routes as `/pets`),
 * empty inner segments kept (`a//b` has three: only a greedy `{proxy+}` takes it, as `a//b`).
 */
export function segmentsOf(rawPath: string): string[] {
  let start = 0;
  let end = rawPath.length;
  while (start < end && rawPath.charCodeAt(start) === 47) start++;
  while (end > start && rawPath.charCodeAt(end - 1) === 47) end--;
  // Cut at each '/' between start and end: no intermediate string, as slice-then-split would make.
  const segments: string[] = [];
  if (start === end) return segments;
  for (let i = start; ; ) {
    const slash = rawPath.indexOf('/', i);
    if (slash === -1 || slash >= end) {
      segments.push(rawPath.slice(i, end));
      return segments;
    }
    segments.push(rawPath.slice(i, slash));
    i = slash + 1;
  }
}

/**
 * The resource path as API Gateway reports it (the proxy event's `path`): the raw path after the stage with its
 * leading slashes collapsed to one; the trailing slash, empty inner segments and percent-encoding are kept (all
 * recorded on AWS in LocalStack's test_lambda_aws_proxy_integration: `/stage//x/` → `/x/`, `%2B` stays `%2B`).
 */
export function resourcePathOf(rawPath: string): string {
  if (rawPath.charCodeAt(1) !== 47 && rawPath.charCodeAt(0) === 47) return rawPath;
  let start = 0;
  while (start < rawPath.length && rawPath.charCodeAt(start) === 47) start++;
  return `/${rawPath.slice(start)}`;
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
  return new MethodRequest(input, env);
}

/** Fields later steps set (see Responded): declared on every invocation, so all share one object shape. */
type LaterFields = { [K in Exclude<keyof Responded, keyof Invocation>]: undefined };

/**
 * The Invocation `parse` makes. The header map (with the X-Forwarded-* and X-Amzn-Trace-Id headers the front end
 * adds) and the trace are made when first read: a request that no step asks about its headers (a stage-cache hit,
 * a MOCK method without mappings) builds neither, and the steps that only ask about one header read the raw list
 * (`headerValues`).
 */
class MethodRequest implements Invocation, LaterFields {
  readonly env: ExecuteEnv;
  readonly requestId = newRequestId();
  readonly extendedRequestId = newExtendedRequestId();
  readonly startedAt: number;
  readonly receivedAt: number;
  readonly target: ExecuteTarget;
  readonly accountId: string;
  readonly httpMethod: string;
  readonly path: string;
  readonly segments: string[];
  readonly query: MultiMap;
  readonly body: RequestBody;
  readonly sourceIp: string;
  readonly protocol: string;
  readonly req: IncomingMessage | undefined;
  log: string[] | null = null;
  logData: boolean | undefined = undefined;
  stage = undefined;
  deployment = undefined;
  method = undefined;
  pathParameters = undefined;
  stageVariables = undefined;
  isCanaryRequest = undefined;
  contextObject = undefined;
  identity = undefined;
  authorizer = undefined;
  authorizationPhases = undefined;
  usageIdentifierKey = undefined;
  apiKey = undefined;
  cache = undefined;
  integrationRequest = undefined;
  endpointResponse = undefined;
  integrationLatency = undefined;
  methodResponse = undefined;
  selectedIntegrationResponse = undefined;
  readonly #rawHeaders: readonly string[];
  readonly #localPort: number;
  #headers: MultiMap | undefined = undefined;
  #trace: Trace | undefined = undefined;

  constructor(input: ParseInput, env: ExecuteEnv) {
    this.env = env;
    this.startedAt = env.nowMs();
    this.receivedAt = env.wallClock ? this.startedAt : Date.now();
    this.target = input.target;
    this.accountId = env.accountId;
    this.httpMethod = input.httpMethod;
    const rawPath = input.target.rawPath;
    this.path = resourcePathOf(rawPath);
    this.segments = segmentsOf(rawPath);
    this.query = parseQuery(input.target.rawQuery);
    this.body = new RequestBody(input.body);
    this.sourceIp = input.sourceIp;
    this.protocol = input.protocol;
    this.req = input.req;
    this.#rawHeaders = input.rawHeaders;
    this.#localPort = input.localPort;
  }

  get headers(): MultiMap {
    return (this.#headers ??= this.#headerMap());
  }

  get traceId(): string {
    return this.#traceOf().full;
  }

  headerValues(lowerName: string): readonly string[] | undefined {
    if (this.#headers !== undefined) return this.#headers.all(lowerName);
    const raw = this.#rawHeaders;
    let values: string[] | undefined;
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i]!;
      if (name.length === lowerName.length && name.toLowerCase() === lowerName) (values ??= []).push(raw[i + 1]!);
    }
    return values;
  }

  #traceOf(): Trace {
    if (this.#trace === undefined) {
      const client = this.headerValues('x-amzn-trace-id');
      this.#trace = traceOf(client?.[client.length - 1], this.startedAt);
    }
    return this.#trace;
  }

  #headerMap(): MultiMap {
    const trace = this.#traceOf();
    const headers = new MultiMap(true);
    const raw = this.#rawHeaders;
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i]!;
      const lower = name.toLowerCase();
      if (DROPPED.has(lower)) continue;
      headers.append(name, raw[i + 1]!, lower);
    }
    const forwardedFor = headers.get('x-forwarded-for');
    headers.set('X-Forwarded-For', forwardedFor ? `${forwardedFor}, ${this.sourceIp}` : this.sourceIp, 'x-forwarded-for');
    if (!headers.has('x-forwarded-port')) headers.set('X-Forwarded-Port', portText(this.#localPort), 'x-forwarded-port');
    if (!headers.has('x-forwarded-proto')) {
      // The TLS listener's sockets are encrypted (`gatehouse serve --tls-port`).
      const encrypted = (this.req?.socket as { encrypted?: boolean } | undefined)?.encrypted === true;
      headers.set('X-Forwarded-Proto', encrypted ? 'https' : 'http', 'x-forwarded-proto');
    }
    // Set even when the client sent it: the front end names it in its own case, as functions and backends see it.
    headers.set('X-Amzn-Trace-Id', trace.header, 'x-amzn-trace-id');
    return headers;
  }
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

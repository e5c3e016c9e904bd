// HTTP and HTTP_PROXY integrations on keep-alive undici pools. HTTP buffers the endpoint response for the
// integration response mappings; HTTP_PROXY streams bodies of declared length both ways (./http-exchange.ts).
// The timeout (timeoutInMillis, default 29 s) covers the whole exchange and becomes 504 "Endpoint request timed
// out"; a response over 10 MB is answered 500 as AWS does; unreachable endpoints and TLS failures are answered 500
// with AWS's "Execution failed due to configuration error" log line.
import type { EndpointResponse, IntegrationRequest, IntegrationRequested } from '../invocation.ts';
import { ConfigurationError, IntegrationFailureError, IntegrationTimeoutError } from '../responses/gateway-errors.ts';
import { MAX_PAYLOAD_BYTES, PayloadTooLargeError } from '../responses/front-end.ts';
import type { IntegrationEnv, IntegrationModule } from './integration.ts';
import { exchange, type Exchanged } from './http-exchange.ts';
import type { Pool } from 'undici';
import { decodeContent } from '../request-body.ts';

const NO_BODY = new Set(['GET', 'HEAD']);
const BUFFER_PROXY_BODY_BELOW = 64 * 1024;

// Integration URIs share few origins: the origin part is validated once and split off with string operations.
const ORIGIN = /^(https?:\/\/[^/?#]+)(.*)$/i;
const validOrigins = new Set<string>();

/**
 * Integration URI templates whose origin is literal text (no `{param}` or stage variable before the path): their
 * valid origin, found once per template, so each request splits its URI with a startsWith instead of a regex.
 */
const literalOrigins = new Map<string, string | null>();

function literalOrigin(template: string): string | null {
  let origin = literalOrigins.get(template);
  if (origin === undefined) {
    const m = ORIGIN.exec(template);
    origin = null;
    if (m && !/[{$]/.test(m[1]!)) {
      try {
        if (parseTarget(m[1]!).origin === m[1]) origin = m[1]!;
      } catch {
        // Invalid: left to target(), which answers with AWS's error for the request's URI.
      }
    }
    if (literalOrigins.size >= 10_000) literalOrigins.clear();
    literalOrigins.set(template, origin);
  }
  return origin;
}

/** Splits an endpoint URI into origin and path; `template` is the integration's URI before substitution. */
function target(uri: string, template: string): { origin: string; path: string } {
  const origin = literalOrigin(template);
  if (origin !== null && uri.startsWith(origin)) {
    const next = uri.charCodeAt(origin.length);
    if (next === 47 /* / */) return { origin, path: uri.slice(origin.length) };
  }
  const m = ORIGIN.exec(uri);
  if (m && validOrigins.has(m[1]!)) {
    const rest = m[2]!;
    return { origin: m[1]!, path: rest === '' ? '/' : rest.startsWith('/') ? rest : `/${rest}` };
  }
  const t = parseTarget(uri);
  if (m && m[1] === t.origin && validOrigins.size < 10_000) validOrigins.add(t.origin);
  return t;
}

function parseTarget(uri: string): { origin: string; path: string } {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new ConfigurationError(`Invalid endpoint address: ${uri}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigurationError(`Invalid endpoint address: ${uri}`);
  return { origin: url.origin, path: `${url.pathname}${url.search}` };
}

/**
 * Set by undici itself from the body, or the connection's own (../header-rules.ts drops them earlier; a map built
 * otherwise is filtered here too). A mapped Host is sent, as AWS does; otherwise undici sets the origin's.
 */
const NOT_FORWARDED = new Set(['content-length', 'connection', 'keep-alive', 'proxy-connection', 'upgrade', 'transfer-encoding', 'expect']);

function headerArray(request: IntegrationRequest, contentLength: string | undefined): string[] {
  // Built for this request only: appending Content-Length to it is safe.
  const out = request.wireHeaders ?? request.headers.flat(NOT_FORWARDED);
  if (contentLength !== undefined) out.push('content-length', contentLength);
  return out;
}

/** Maps undici failures to AWS's answers. */
export function failure(err: unknown, inv: IntegrationRequested): Error {
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e.code ?? e.cause?.code ?? '';
  if (err instanceof PayloadTooLargeError || inv.body.overflowed) return new PayloadTooLargeError();
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') {
    return new IntegrationTimeoutError(undefined, { logLine: `Execution failed due to a timeout error` });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new ConfigurationError(`Invalid endpoint address: ${inv.integrationRequest.uri}`);
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/i.test(code)) return new ConfigurationError('General SSLEngine problem');
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE' || code === 'EHOSTUNREACH') {
    return new IntegrationFailureError('Internal server error', { logLine: `Execution failed due to a network error: ${code}` });
  }
  return new IntegrationFailureError('Internal server error', { logLine: `Execution failed: ${e.message ?? String(err)}` });
}

export const timedOut = () => new IntegrationTimeoutError(undefined, { logLine: 'Execution failed due to a timeout error' });

/**
 * AWS answers a backend response over the payload limit with 500 "Internal server error" (AWS Knowledge Center,
 * "How can I troubleshoot 5xx errors for API Gateway?": 500 for "Backend payload size exceeding 10 MB") and this
 * execution-log line, quoted from a real API in https://repost.aws/questions/QUQx1CzpQHRWqZW-bjSUukTw: "Execution
 * failed due to configuration error: Integration response of reported length 10548739 is larger than allowed
 * maximum of 10485760 bytes." A body of unknown length (chunked) is refused once it passes the limit; its length
 * is then not known, so that line says "more than" (Gatehouse's wording).
 */
export const tooLarge = (reported: number | undefined) =>
  new ConfigurationError(
    reported === undefined
      ? `Integration response of more than ${MAX_PAYLOAD_BYTES} bytes is larger than allowed maximum of ${MAX_PAYLOAD_BYTES} bytes.`
      : `Integration response of reported length ${reported} is larger than allowed maximum of ${MAX_PAYLOAD_BYTES} bytes.`,
  );

/**
 * Sends the integration request; `streamAbove` decides which responses are buffered (all, for non-proxy).
 * Synchronous up to the exchange's one promise (no async wrapper per request); invalid endpoint URIs throw.
 */
function send(inv: IntegrationRequested, env: IntegrationEnv, streamAbove: number, decoded?: Buffer): Promise<Exchanged> {
  const request = inv.integrationRequest;
  const integration = inv.method.integration;
  const { origin, path } = target(request.uri, integration.uri);
  let body: Buffer | AsyncIterable<Buffer> | undefined;
  let contentLength: string | undefined;
  if (decoded !== undefined) {
    body = decoded.length > 0 ? decoded : undefined;
    contentLength = String(decoded.length);
  } else if (request.body === 'stream' && inv.headers.has('content-encoding')) {
    // A compressed proxy payload reaches the backend decompressed, without the client's Content-Encoding.
    const coding = inv.headers.get('content-encoding')!;
    return Promise.resolve(inv.body.read())
      .then((raw) => decodeContent(raw, coding))
      .then((plain) => send(inv, env, streamAbove, plain));
  } else if (request.body === 'stream') {
    const buffered = inv.body.buffered;
    if (buffered !== undefined) body = buffered.length > 0 ? buffered : undefined;
    else if (inv.body.streamable && inv.body.declaredLength) {
      body = inv.body.stream();
      contentLength = inv.req?.headers['content-length'];
    } else {
      // Being read by an earlier step (a parameter mapping from the body), or of unknown length (chunked): sent
      // once it is whole, as API Gateway does, so a body over the payload limit is answered 413 before the
      // backend sees any of it.
      return Promise.resolve(inv.body.read()).then(() => send(inv, env, streamAbove));
    }
    if (Buffer.isBuffer(body)) contentLength = String(body.length);
  } else if (request.body.length > 0 || !NO_BODY.has(request.httpMethod)) {
    body = request.body;
    contentLength = String(request.body.length);
  }
  if (NO_BODY.has(request.httpMethod) && (body === undefined || (Buffer.isBuffer(body) && body.length === 0))) {
    body = undefined;
    contentLength = undefined;
  }
  let pool: Pool;
  try {
    pool = env.upstreams.pool(origin, integration.insecureSkipVerification);
  } catch (err) {
    return Promise.reject(failure(err, inv));
  }
  return exchange(pool, {
    method: request.httpMethod,
    path,
    headers: headerArray(request, contentLength),
    body,
    deadline: integration.timeoutMs,
    streamAbove,
    maxBodyBytes: MAX_PAYLOAD_BYTES,
    mapError: (err) => failure(err, inv),
    timedOut,
    tooLarge,
  });
}

export const httpIntegration: IntegrationModule = {
  proxy: false,
  handlesTimeout: true,
  invoke(inv, env): Promise<EndpointResponse> {
    return send(inv, env, Infinity);
  },
};

export const httpProxyIntegration: IntegrationModule = {
  proxy: true,
  handlesTimeout: true,
  invoke(inv, env): Promise<EndpointResponse> {
    // Small bodies are read whole (one write to the client instead of a pipe's several); larger ones stream.
    return send(inv, env, BUFFER_PROXY_BODY_BELOW);
  },
};

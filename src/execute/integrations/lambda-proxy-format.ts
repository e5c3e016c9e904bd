// Lambda proxy integration (AWS_PROXY), payload format 1.0: the event API Gateway sends to the function, and the
// validation of what the function returns (anything but `{statusCode, headers, multiValueHeaders, body,
// isBase64Encoded}` is a 502 "Internal server error" with "Malformed Lambda proxy response" in the execution log).
import { mediaTypeOf, MultiMap } from '../headers.ts';
import type { IntegrationRequested } from '../invocation.ts';
import { contextOf, identityOf } from '../context-variables.ts';
import { GatewayError } from '../responses/gateway-errors.ts';

// Headers the event leaves out, and the ones that arrive capitalised (API Gateway receives requests through
// CloudFront, which normalises them).
const EVENT_DROPPED_HEADERS = new Set(['content-length', 'connection']);
const CAPITALISED = new Map([
  ['host', 'Host'],
  ['authorization', 'Authorization'],
  ['user-agent', 'User-Agent'],
]);

export interface ProxyEvent {
  resource: string;
  path: string;
  httpMethod: string;
  headers: Record<string, string> | null;
  multiValueHeaders: Record<string, string[]> | null;
  queryStringParameters: Record<string, string> | null;
  multiValueQueryStringParameters: Record<string, string[]> | null;
  pathParameters: Record<string, string> | null;
  stageVariables: Record<string, string> | null;
  requestContext: Record<string, unknown>;
  body: string | null;
  isBase64Encoded: boolean;
}

const orNull = <T extends object>(o: T): T | null => (Object.keys(o).length ? o : null);

/** The headers as the function sees them: the client's as API Gateway received them, with its trace header. */
function eventHeaders(inv: IntegrationRequested): MultiMap {
  const headers = new MultiMap(true);
  for (const [name, values] of inv.headers.entries()) {
    const lower = name.toLowerCase();
    if (EVENT_DROPPED_HEADERS.has(lower)) continue;
    headers.set(CAPITALISED.get(lower) ?? name, values);
  }
  // X-Forwarded-For/-Port/-Proto and X-Amzn-Trace-Id (the client's, or the Root API Gateway generated) are already
  // on the method request: parse adds them.
  return headers;
}

/** requestContext: $context's fields in the order API Gateway writes them; authorizer only when one ran. */
function requestContext(inv: IntegrationRequested): Record<string, unknown> {
  const ctx = contextOf(inv);
  const identity: Record<string, unknown> = { ...identityOf(inv) };
  if (identity.apiKey === null) delete identity.apiKey;
  if (identity.apiKeyId === null) delete identity.apiKeyId;
  const out: Record<string, unknown> = {
    resourceId: ctx.resourceId,
    resourcePath: ctx.resourcePath,
    httpMethod: ctx.httpMethod,
    extendedRequestId: ctx.extendedRequestId,
    requestTime: ctx.requestTime,
    path: ctx.path,
    accountId: ctx.accountId,
    protocol: ctx.protocol,
    stage: ctx.stage,
    domainPrefix: ctx.domainPrefix,
    requestTimeEpoch: ctx.requestTimeEpoch,
    requestId: ctx.requestId,
    identity,
    domainName: ctx.domainName,
    deploymentId: ctx.deploymentId,
    apiId: ctx.apiId,
  };
  const authorizer = ctx.authorizer as Record<string, unknown> | undefined;
  if (authorizer && Object.keys(authorizer).length) out.authorizer = authorizer;
  return out;
}

export function buildProxyEvent(inv: IntegrationRequested, body: Buffer): ProxyEvent {
  const headers = eventHeaders(inv);
  const binary = inv.deployment.isBinary(mediaTypeOf(inv.headers.get('content-type')));
  return {
    resource: inv.method.resource.path,
    // Through a custom domain the event's path keeps the base path (LocalStack PR #12296, checked on AWS).
    path: inv.target.requestPath ?? inv.path,
    httpMethod: inv.httpMethod,
    headers: orNull(headers.single()),
    multiValueHeaders: orNull(headers.multi()),
    queryStringParameters: orNull(inv.query.single()),
    multiValueQueryStringParameters: orNull(inv.query.multi()),
    pathParameters: orNull({ ...inv.pathParameters }),
    stageVariables: orNull({ ...inv.stageVariables }),
    requestContext: requestContext(inv),
    body: body.length === 0 ? null : binary ? body.toString('base64') : body.toString('utf8'),
    isBase64Encoded: body.length > 0 && binary,
  };
}

export interface ProxyResult {
  statusCode: number;
  headers: MultiMap;
  body: Buffer;
}

const RESPONSE_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);

/** What API Gateway answers when the function's output is not a valid proxy response. */
export function malformedProxyResponse(detail = 'Malformed Lambda proxy response'): GatewayError {
  return new GatewayError('DEFAULT_5XX', 'Internal server error', { status: 502, logLine: `Execution failed due to configuration error: ${detail}` });
}

const headerValue = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'boolean' || typeof v === 'number' ? String(v) : undefined;

/**
 * Validates and translates the function's result. `binaryAccepted`: whether the client's Accept names one of the
 * API's binaryMediaTypes — only then is a base64 body (isBase64Encoded) decoded to bytes, as API Gateway does.
 */
export function parseProxyResult(payload: Buffer, binaryAccepted: boolean): ProxyResult {
  let result: unknown;
  try {
    result = JSON.parse(payload.toString('utf8'));
  } catch {
    throw malformedProxyResponse();
  }
  if (result === null || typeof result !== 'object' || Array.isArray(result)) throw malformedProxyResponse();
  const r = result as Record<string, unknown>;
  for (const key of Object.keys(r)) if (!RESPONSE_KEYS.has(key)) throw malformedProxyResponse();

  let statusCode = 200;
  if (r.statusCode !== undefined && r.statusCode !== null) {
    const n = typeof r.statusCode === 'number' ? r.statusCode : typeof r.statusCode === 'string' && /^\s*-?\d+\s*$/.test(r.statusCode) ? Number(r.statusCode) : NaN;
    if (!Number.isInteger(n) || n < 100 || n > 599) throw malformedProxyResponse();
    statusCode = n;
  }
  const headers = new MultiMap(true);
  if (r.headers !== undefined && r.headers !== null) {
    if (typeof r.headers !== 'object' || Array.isArray(r.headers)) throw malformedProxyResponse();
    for (const [name, v] of Object.entries(r.headers)) {
      const value = headerValue(v);
      if (value === undefined) throw malformedProxyResponse();
      headers.set(name, value);
    }
  }
  if (r.multiValueHeaders !== undefined && r.multiValueHeaders !== null) {
    if (typeof r.multiValueHeaders !== 'object' || Array.isArray(r.multiValueHeaders)) throw malformedProxyResponse();
    for (const [name, vs] of Object.entries(r.multiValueHeaders)) {
      if (!Array.isArray(vs)) throw malformedProxyResponse();
      const values = vs.map(headerValue);
      if (values.some((v) => v === undefined)) throw malformedProxyResponse();
      // Both maps may name a header: the multi-value ones come first, then the single value.
      const single = headers.has(name) ? headers.all(name)! : [];
      headers.set(name, [...(values as string[]), ...single.filter((s) => !values.includes(s))]);
    }
  }
  if (r.isBase64Encoded !== undefined && r.isBase64Encoded !== null && typeof r.isBase64Encoded !== 'boolean') throw malformedProxyResponse();
  let body: Buffer;
  if (r.body === undefined || r.body === null) body = Buffer.alloc(0);
  else if (typeof r.body === 'string') body = r.isBase64Encoded === true && binaryAccepted ? Buffer.from(r.body, 'base64') : Buffer.from(r.body);
  else throw malformedProxyResponse();
  if (!headers.has('content-type')) headers.set('Content-Type', 'application/json');
  return { statusCode, headers, body };
}

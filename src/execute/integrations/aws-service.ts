// AWS (non-proxy) integrations with AWS services other than Lambda: the integration request (method, the action or
// path of the URI, mapped headers and query strings, the template's output as body) becomes a request to the
// service's endpoint (./aws-endpoints.ts) in its wire protocol (./aws-service-protocols.ts), SigV4-signed for the
// service and the URI's region with the integration's credentials (./aws-credentials.ts), sent on the same
// keep-alive pools and exchange as HTTP integrations (timeout, 10 MB limit, network failures answered as AWS does).
// The service's status, headers and body are the endpoint response: integration responses select on the status
// and map headers and body exactly as for HTTP integrations. The execution log shows the signed request as AWS's
// does (Authorization masked, session token truncated).
import { signRequest } from '../../auth/sigv4-sign.ts';
import { javaMap, logBody } from '../execution-log.ts';
import { MultiMap } from '../headers.ts';
import type { EndpointResponse, IntegrationRequested } from '../invocation.ts';
import { ConfigurationError } from '../responses/gateway-errors.ts';
import { MAX_PAYLOAD_BYTES } from '../responses/front-end.ts';
import { AwsEndpoints } from './aws-endpoints.ts';
import { IntegrationCredentials, type CredentialsChoice } from './aws-credentials.ts';
import { needsJsonConversion, protocolOf, queryXmlToJson } from './aws-service-protocols.ts';
import { checkAwsServiceUri, parseAwsServiceUri, type AwsServiceUri } from './aws-service-uri.ts';
import { exchange, type Exchanged } from './http-exchange.ts';
import { failure, timedOut, tooLarge } from './http.ts';
import type { IntegrationEnv, IntegrationModule } from './integration.ts';

/** What AWS service integrations need from the process: endpoints and credentials (src/server/app.ts makes it). */
export interface AwsServiceAccess {
  readonly endpoints: AwsEndpoints;
  readonly credentials: IntegrationCredentials;
  /** The signing clock (tests inject one). */
  now(): Date;
}

export const AWS_SERVICE_ACCESS = 'awsServiceAccess';

/** Headers never sent as mapped: the connection's own, and what the signer or undici sets. */
const NOT_SENT = new Set(['host', 'content-length', 'connection', 'keep-alive', 'proxy-connection', 'upgrade', 'transfer-encoding', 'expect', 'authorization', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256']);
const NO_BODY = new Set(['GET', 'HEAD', 'OPTIONS']);
const EMPTY = Buffer.alloc(0);

function accessOf(env: IntegrationEnv): AwsServiceAccess {
  const access = env.services[AWS_SERVICE_ACCESS] as AwsServiceAccess | undefined;
  if (!access) throw new ConfigurationError('AWS service integrations are not available in this Gatehouse');
  return access;
}

interface EndpointRequest {
  readonly method: string;
  readonly url: string;
  readonly path: string;
  readonly headers: Array<[string, string]>;
  readonly body: Buffer;
}

/** The request as the service expects it, before signing. */
function endpointRequest(inv: IntegrationRequested, target: AwsServiceUri, access: AwsServiceAccess): { request: EndpointRequest; origin: string; host: string; query: string } {
  const endpoint = access.endpoints.resolve(target.service);
  const ir = inv.integrationRequest;
  const protocol = protocolOf(target.service);
  // An S3 bucket named as the subdomain (`{bucket}.s3:path/{key}`) is addressed path-style on the configured
  // endpoint, which serves every bucket (a local implementation has no per-bucket host names).
  let path = target.service === 's3' && target.subdomain !== undefined ? `/${encodeURIComponent(target.subdomain)}${target.path === '/' ? '' : target.path}` : target.path;
  path = endpoint.basePath + path;
  let query = target.query;
  if (target.kind === 'action') query = query === '' ? `Action=${encodeURIComponent(target.action)}` : `Action=${encodeURIComponent(target.action)}&${query}`;
  const body = ir.body === 'stream' ? (inv.body.buffered ?? EMPTY) : ir.body;
  const method = ir.httpMethod;
  const headers: Array<[string, string]> = [];
  let hasAccept = false;
  let hasType = false;
  let hasTarget = false;
  ir.headers.forEach((name, values) => {
    const lower = name.toLowerCase();
    if (NOT_SENT.has(lower)) return;
    if (lower === 'accept') hasAccept = true;
    else if (lower === 'content-type') hasType = true;
    else if (lower === 'x-amz-target') hasTarget = true;
    for (const v of values) headers.push([name, v]);
  });
  // API Gateway asks AWS services for JSON (query-protocol services then answer in JSON too).
  if (!hasAccept) headers.push(['Accept', 'application/json']);
  const auto = target.kind === 'action' && protocol.target !== undefined;
  if (auto && !hasTarget) headers.push(['X-Amz-Target', `${protocol.target}.${target.action}`]);
  const sendsBody = body.length > 0 && !NO_BODY.has(method);
  if (!hasType && (sendsBody || auto)) {
    headers.push(['Content-Type', auto ? protocol.contentType! : (inv.headers.get('content-type') ?? 'application/json')]);
  }
  const url = `${endpoint.origin}${path}${query === '' ? '' : `?${query}`}`;
  return { request: { method, url, path, headers, body: sendsBody ? body : EMPTY }, origin: endpoint.origin, host: endpoint.host, query };
}

/** The execution log's view of the request headers: the signature masked, a session token cut, as AWS logs them. */
function loggedHeaders(headers: Array<[string, string]>): string {
  const shown: Record<string, string> = {};
  for (const [name, value] of headers) {
    if (name === 'Authorization') shown[name] = `${'*'.repeat(Math.max(0, value.length - 6))}${value.slice(-6)}`;
    else if (name === 'X-Amz-Security-Token') shown[name] = `${value.slice(0, 20)} [TRUNCATED]`;
    else shown[name] = shown[name] === undefined ? value : `${shown[name]},${value}`;
  }
  return javaMap(shown);
}

function send(inv: IntegrationRequested, env: IntegrationEnv, target: AwsServiceUri, access: AwsServiceAccess, choice: CredentialsChoice): Promise<EndpointResponse> {
  const { request, origin, host, query } = endpointRequest(inv, target, access);
  const headers = request.headers;
  if (choice.kind === 'signed') {
    const signed = signRequest(
      { method: request.method, host, path: request.path, query, headers, body: request.body, region: target.region, service: target.service, now: access.now() },
      choice.credentials,
    );
    headers.push(...signed);
  }
  if (inv.log) {
    inv.log.push(`Endpoint request URI: ${request.url}`);
    if (inv.logData !== false) {
      inv.log.push(`Endpoint request headers: ${loggedHeaders(headers)}`, `Endpoint request body after transformations: ${logBody(request.body)}`);
    }
    inv.log.push(`Sending request to ${request.url}`);
  }
  const wire: string[] = [];
  for (const [name, value] of headers) wire.push(name, value);
  if (request.body.length > 0 || !NO_BODY.has(request.method)) wire.push('content-length', String(request.body.length));
  let pool;
  try {
    pool = env.upstreams.pool(origin, false);
  } catch (err) {
    return Promise.reject(failure(err, inv));
  }
  return exchange(pool, {
    method: request.method,
    path: request.url.slice(origin.length),
    headers: wire,
    body: request.body.length > 0 ? request.body : undefined,
    deadline: inv.method.integration.timeoutMs,
    streamAbove: Infinity,
    maxBodyBytes: MAX_PAYLOAD_BYTES,
    mapError: (err) => failure(err, inv),
    timedOut,
    tooLarge,
  }).then((r) => response(r, target, headers));
}

/** The service's answer; a query-protocol service's XML becomes its JSON when JSON was asked for. */
function response(r: Exchanged, target: AwsServiceUri, sent: Array<[string, string]>): EndpointResponse {
  const body = r.body as Buffer;
  const accept = sent.find(([n]) => n.toLowerCase() === 'accept')?.[1];
  if (needsJsonConversion(target.service, accept, r.headers.get('content-type'))) {
    const json = queryXmlToJson(body);
    if (json !== undefined) {
      const headers = new MultiMap(true);
      r.headers.forEach((name, values) => headers.set(name, values));
      headers.set('Content-Type', 'application/json', 'content-type');
      headers.set('Content-Length', String(json.length), 'content-length');
      return { statusCode: r.statusCode, headers, body: json };
    }
  }
  return r;
}

export const awsServiceIntegration: IntegrationModule = {
  proxy: false,
  handlesTimeout: true,
  logsEndpointRequest: () => true,
  compile(integration) {
    checkAwsServiceUri(integration.uri ?? '');
  },
  invoke(inv, env): Promise<EndpointResponse> {
    const target = parseAwsServiceUri(inv.integrationRequest.uri);
    if (!target) throw new ConfigurationError(`Invalid integration URI specified: ${inv.integrationRequest.uri}`);
    const access = accessOf(env);
    // Resolved before credentials: a missing endpoint is the more useful thing to report.
    access.endpoints.resolve(target.service);
    const choice = access.credentials.forRequest(inv);
    if (choice instanceof Promise) return choice.then((c) => send(inv, env, target, access, c));
    return send(inv, env, target, access, choice);
  },
};

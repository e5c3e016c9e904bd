// The headers API Gateway adds, drops or refuses on the way to an integration, as recorded on AWS (LocalStack's
// AWS-validated snapshots: TestApiGatewayHeaderRemapping in test_apigateway_integrations.snapshot.json, and
// test_http_integration_with_lambda / test_http_integration_method in test_apigateway_http.snapshot.json).
// The method request's connection-level headers (Connection, Content-Length, Expect, TE, Transfer-Encoding, ...)
// are already gone at parse (../pipeline/parse.ts); these rules are about what mappings add and what goes out.
// The response side (x-amzn-Remapped-*) is in ./pipeline/method-response.ts.
import type { MultiMap } from './headers.ts';
import { ConfigurationError } from './responses/gateway-errors.ts';

/**
 * Headers a request parameter mapping or `$context.requestOverride.header` may not set: the request is answered
 * 500 "Internal server error" (recorded for Content-Length and Transfer-Encoding on every integration type, and
 * for Authorization, Connection, Expect, Proxy-Authenticate and TE on AWS and AWS_PROXY). The two API Gateway
 * headers are API Gateway's own to set.
 */
const ILLEGAL_MAPPED_COMMON = new Set(['content-length', 'transfer-encoding', 'x-amzn-trace-id', 'x-amzn-apigateway-api-id']);
const ILLEGAL_MAPPED_AWS = new Set([...ILLEGAL_MAPPED_COMMON, 'authorization', 'connection', 'expect', 'proxy-authenticate', 'te']);

/** Throws the 500 AWS answers when a mapping sets a header it may not (see ILLEGAL_MAPPED_*). */
export function checkMappedHeaders(mapped: MultiMap, type: string): void {
  const illegal = mapped.keysIn(type === 'AWS' || type === 'AWS_PROXY' ? ILLEGAL_MAPPED_AWS : ILLEGAL_MAPPED_COMMON);
  if (illegal) {
    const name = mapped.take(illegal[0]!)!.name;
    throw new ConfigurationError(`${name} header already present`);
  }
}

/**
 * Mapped headers that never reach an HTTP backend: Expect, Proxy-Authenticate, TE and Via (recorded: mapped, then
 * absent at the backend), and the connection's own (Connection, Keep-Alive, Proxy-Connection, Upgrade), which the
 * gateway's connection to the backend manages. AWS forwards a mapped Upgrade; Gatehouse's HTTP client cannot send
 * one, so it is dropped too.
 */
export const DROPPED_TOWARDS_HTTP: ReadonlySet<string> = new Set([
  'expect', 'proxy-authenticate', 'te', 'via', 'connection', 'keep-alive', 'proxy-connection', 'upgrade',
]);

/** Methods whose requests carry no body: the client's Content-Type is not passed on as the default (recorded: GET). */
const NO_BODY_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * API Gateway's defaults for headers the endpoint request lacks (HTTP and HTTP_PROXY): `Accept: application/json`,
 * and a Content-Type unless the method request's method is GET, HEAD or OPTIONS (recorded: a non-proxy GET with
 * `Content-Type: application/json` reaches the backend without one; a POST with it, with it). `contentType` is the
 * media type of the request template applied, else the client's Content-Type.
 */
export function setEndpointDefaults(headers: MultiMap, method: string, contentType: string | undefined): void {
  if (!headers.has('accept')) headers.set('Accept', 'application/json', 'accept');
  if (contentType !== undefined && !headers.has('content-type') && !NO_BODY_METHODS.has(method)) {
    headers.set('Content-Type', contentType, 'content-type');
  }
}

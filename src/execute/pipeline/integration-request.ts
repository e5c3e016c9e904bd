// Step 9, integration request: parameter mappings, request template chosen by Content-Type with the
// passthrough behaviour (NEVER / WHEN_NO_TEMPLATES → 415), content handling and binary media types, the
// integration URI with path parameters and stage variables substituted, $context.requestOverride, and the
// headers API Gateway adds for backends.
import { mediaTypeOf, MultiMap } from '../headers.ts';
import type { IntegrationRequest, IntegrationRequested, Routed } from '../invocation.ts';
import { renderUri } from '../compile/uri.ts';
import { ConfigurationError, UnsupportedMediaTypeError } from '../responses/gateway-errors.ts';
import { mappingScope, templateBindings } from './bindings.ts';
import type { RenderOutput } from '../compile/mapping-template.ts';
import { javaMap, logBody } from '../execution-log.ts';
import { checkMappedHeaders, DROPPED_TOWARDS_HTTP, setEndpointDefaults } from '../header-rules.ts';
import { decodeContent } from '../request-body.ts';

export function integrationRequest(inv: Routed): void | Promise<void> {
  const integration = inv.method.integration;
  const needsBody = !integration.module.proxy || integration.requestParameters.some((m) => m.readsBody);
  if (!needsBody || inv.body.buffered !== undefined) return decoded(inv, inv.body.buffered);
  const read = inv.body.read();
  if (read instanceof Promise) return read.then((b) => decoded(inv, b));
  return decoded(inv, read);
}

/**
 * Mappings and templates of non-proxy integrations see the payload decompressed, as API Gateway decompresses a
 * request payload in a content coding (415 for a coding it does not support, 413 past 10 MB decompressed;
 * ../request-body.ts). Proxies pass the body on as it came (HTTP_PROXY decompresses when sending it).
 */
function decoded(inv: Routed, raw: Buffer | undefined): void | Promise<void> {
  const coding = raw !== undefined && raw.length > 0 && !inv.method.integration.module.proxy ? inv.headers.get('content-encoding') : undefined;
  if (coding === undefined) return build(inv, raw);
  return decodeContent(raw!, coding).then((body) => build(inv, body));
}

interface Mapped {
  path: Map<string, string>;
  querystring: MultiMap;
  header: MultiMap;
}
const newMapped = (): Mapped => ({ path: new Map(), querystring: new MultiMap(false), header: new MultiMap(true) });
/** Shared and never written: MOCK and proxy integrations without mappings map nothing. */
const NOTHING_MAPPED: Mapped = newMapped();

/**
 * `rendered`: the request template's output when it was rendered in the render pool (a second pass of build with
 * the same inputs: everything before the template is recomputed, cheaply and identically).
 */
function build(inv: Routed, rawBody: Buffer | undefined, rendered?: RenderOutput): void | Promise<void> {
  const integration = inv.method.integration;
  const proxy = integration.module.proxy;
  const contentType = inv.headers.get('content-type');
  const sentMediaType = mediaTypeOf(contentType);
  const mediaType = sentMediaType ?? 'application/json';
  const binary = inv.deployment.isBinary(sentMediaType);
  const body = rawBody;
  let text: string | undefined;
  const bodyText = () => (text ??= body === undefined ? '' : binary ? body.toString('base64') : body.toString('utf8'));

  // Parameter mappings.
  // Fresh maps only when something may write into them: mappings, or a request template's overrides.
  const mapped = integration.requestParameters.length > 0 || (!proxy && integration.type !== 'MOCK') ? newMapped() : NOTHING_MAPPED;
  const scope = integration.requestParameters.length > 0 ? mappingScope(inv, bodyText) : undefined;
  for (const m of integration.requestParameters) {
    const values = m.read(scope!);
    if (values === undefined) continue;
    if (m.targetKind === 'path') mapped.path.set(m.targetName, values[values.length - 1]!);
    else if (m.targetKind === 'querystring') mapped.querystring.set(m.targetName, values);
    else mapped.header.set(m.targetName, values);
  }

  // Body: template or passthrough (non-proxy); proxies forward the method request body as it is.
  let out: Buffer | 'stream' = 'stream';
  let outText: string | undefined;
  let templateApplied = false;
  let integrationContentType = contentType;
  let requestOverride: RenderOutput['requestOverride'];
  if (!proxy) {
    const templates = integration.requestTemplates;
    const template = templates?.get(mediaType);
    if (template === undefined) {
      const behavior = integration.passthroughBehavior;
      if (behavior === 'NEVER' || (behavior === 'WHEN_NO_TEMPLATES' && templates !== undefined)) {
        throw new UnsupportedMediaTypeError();
      }
      out = body ?? Buffer.alloc(0);
      if (binary && integration.contentHandling === 'CONVERT_TO_TEXT') out = Buffer.from(out.toString('base64'));
      else if (!binary && integration.contentHandling === 'CONVERT_TO_BINARY') out = Buffer.from(out.toString('utf8'), 'base64');
    } else {
      const source = binary && integration.contentHandling !== 'CONVERT_TO_TEXT' ? undefined : bodyText();
      if (source === undefined) {
        // Binary payloads pass through untouched unless converted to text (AWS's content-handling table).
        out = body ?? Buffer.alloc(0);
      } else {
        let r: RenderOutput | Promise<RenderOutput>;
        try {
          r = rendered ?? template.render(() => templateBindings(inv, source));
        } catch (e) {
          throw new ConfigurationError(`Unable to transform request: ${(e as Error).message}`);
        }
        if (r instanceof Promise) {
          return r.then((done) => build(inv, rawBody, done), (e: Error) => {
            throw new ConfigurationError(`Unable to transform request: ${e.message}`);
          });
        }
        requestOverride = r.requestOverride;
        const output = r.output;
        out = integration.contentHandling === 'CONVERT_TO_BINARY' ? Buffer.from(output, 'base64') : (r.bytes ?? Buffer.from(output));
        outText = output;
        templateApplied = true;
        integrationContentType = mediaType;
      }
    }
  }

  // $context.requestOverride (set by the template) wins over mappings.
  const override = requestOverride;
  if (override && mapped !== NOTHING_MAPPED) {
    // for-in, not Object.entries: every rendered template reports overrides, nearly always empty ones.
    for (const k in override.header) mapped.header.set(k, String(override.header[k]));
    for (const k in override.querystring) mapped.querystring.set(k, String(override.querystring[k]));
    for (const k in override.path) mapped.path.set(k, String(override.path[k]));
  }

  // Headers AWS refuses to let a mapping set: 500 (../header-rules.ts).
  if (mapped.header.size > 0) checkMappedHeaders(mapped.header, integration.type);

  if (integration.type === 'MOCK') {
    if (inv.log && inv.logData !== false && out !== 'stream') inv.log.push(`Endpoint request body after transformations: ${logBody(out)}`);
    // No endpoint: only the body (its statusCode) matters.
    const request: IntegrationRequest = { httpMethod: inv.httpMethod, uri: '', headers: mapped.header, body: out, bodyText: outText, templateApplied };
    (inv as IntegrationRequested).integrationRequest = request;
    return;
  }

  // Headers and query string: proxies forward the client's, with mappings on top; non-proxy only the mapped ones.
  const apiId = inv.target.apiId;
  let headers: MultiMap | undefined;
  let wire: string[] | undefined;
  if (integration.type === 'HTTP_PROXY' && mapped.header.size === 0 && (!inv.log || inv.logData === false) && !inv.headers.has('x-amzn-apigateway-api-id')) {
    // The proxy's common case: the wire's [name, value, ...] straight from the method request's map, with the
    // same names, values and order the map below would give, without cloning it per request.
    wire = inv.headers.flat(NOT_ON_WIRE);
    if (!inv.headers.has('accept')) wire.push('Accept', 'application/json');
    if (!inv.headers.has('user-agent')) wire.push('User-Agent', `AmazonAPIGateway_${apiId}`);
    wire.push('x-amzn-apigateway-api-id', apiId);
  } else {
    headers = endpointHeaders(inv, proxy, mapped, integrationContentType);
  }
  let uri = renderUri(integration.compiledUri, integration.uri, (name) => mapped.path.get(name) ?? inv.pathParameters[name], inv.stageVariables, integration.greedyUriParameters);
  if (proxy && mapped.querystring.size === 0) {
    // Nothing mapped: the client's query string goes as it came.
    if (inv.target.rawQuery !== '') uri += (uri.includes('?') ? '&' : '?') + inv.target.rawQuery;
  } else {
    const query = proxy ? inv.query.clone() : new MultiMap(false);
    for (const [name, values] of mapped.querystring.entries()) query.set(name, values);
    uri = withQuery(uri, query);
  }
  const httpMethod = integration.httpMethod === 'ANY' ? inv.httpMethod : integration.httpMethod;
  if (wire) {
    if (inv.log) inv.log.push(`Endpoint request URI: ${uri}`);
    (inv as IntegrationRequested).integrationRequest = new WireRequest(inv, httpMethod, uri, out, wire);
    return;
  }
  const request: IntegrationRequest = { httpMethod, uri, headers: headers!, body: out, bodyText: outText, templateApplied };
  if (inv.log && integration.module.logsEndpointRequest?.(integration.uri) !== true) {
    inv.log.push(`Endpoint request URI: ${uri}`);
    if (inv.logData !== false) {
      inv.log.push(`Endpoint request headers: ${javaMap(request.headers)}`, `Endpoint request body after transformations: ${out === 'stream' ? '[streamed]' : logBody(out)}`);
    }
  }
  (inv as IntegrationRequested).integrationRequest = request;
}

/**
 * Host is set by undici from the origin (parse already dropped the client's Content-Length and the other
 * connection-level headers); Via is not passed on to HTTP backends (../header-rules.ts), nor the client's
 * Content-Encoding: HTTP_PROXY payloads are sent decompressed (../integrations/http.ts).
 */
const NOT_ON_WIRE = new Set(['host', 'content-length', 'via', 'content-encoding']);

/** The endpoint request's headers as a map (what mappings, logs and non-HTTP integrations read). */
function endpointHeaders(inv: Routed, proxy: boolean, mapped: Mapped, integrationContentType: string | undefined): MultiMap {
  const headers = proxy ? inv.headers.clone() : new MultiMap(true);
  if (proxy) headers.delete('host');
  if (inv.method.integration.type === 'HTTP_PROXY') headers.delete('content-encoding');
  mapped.header.forEach((name, values) => headers.set(name, values));
  const type = inv.method.integration.type;
  if (type === 'HTTP' || type === 'HTTP_PROXY') {
    for (const name of headers.keysIn(DROPPED_TOWARDS_HTTP) ?? []) headers.delete(name);
    setEndpointDefaults(headers, inv.httpMethod, integrationContentType);
  }
  if (!headers.has('user-agent') || !proxy) {
    if (!mapped.header.has('user-agent')) headers.set('User-Agent', `AmazonAPIGateway_${inv.target.apiId}`, 'user-agent');
  }
  headers.set('x-amzn-apigateway-api-id', inv.target.apiId, 'x-amzn-apigateway-api-id');
  // The method request's trace header (the client's, or the Root parse generated), as proxies forward it.
  if (!headers.has('x-amzn-trace-id')) headers.set('X-Amzn-Trace-Id', inv.headers.get('x-amzn-trace-id') ?? inv.traceId, 'x-amzn-trace-id');
  return headers;
}

/**
 * An HTTP_PROXY endpoint request whose headers went straight to the wire array: the map is built from the method
 * request only if something reads it (nothing on the HTTP_PROXY path does).
 */
class WireRequest implements IntegrationRequest {
  readonly httpMethod: string;
  readonly uri: string;
  readonly body: Buffer | 'stream';
  readonly bodyText: string | undefined = undefined;
  readonly templateApplied = false;
  readonly wireHeaders: string[];
  readonly #inv: Routed;
  #headers: MultiMap | undefined;
  constructor(inv: Routed, httpMethod: string, uri: string, body: Buffer | 'stream', wireHeaders: string[]) {
    this.#inv = inv;
    this.httpMethod = httpMethod;
    this.uri = uri;
    this.body = body;
    this.wireHeaders = wireHeaders;
  }
  get headers(): MultiMap {
    // No header was mapped (the condition for a WireRequest): an empty mapping is the same as none.
    return (this.#headers ??= endpointHeaders(this.#inv, true, NOTHING_MAPPED, this.#inv.headers.get('content-type')));
  }
}

function withQuery(uri: string, query: MultiMap): string {
  if (query.size === 0) return uri;
  let qs = '';
  for (const [name, values] of query.entries()) {
    for (const v of values) qs += `${qs === '' ? '' : '&'}${encodeURIComponent(name)}=${encodeURIComponent(v)}`;
  }
  return uri + (uri.includes('?') ? '&' : '?') + qs;
}

// Step 11, integration response (non-proxy integrations): the integration response whose selectionPattern (a Java
// regex) matches the whole endpoint status code, else the default one; its response parameters (only headers the
// method response declares), the response template chosen by Accept (else passthrough), content handling and
// $context.responseOverride. Proxy integrations answer with the endpoint response as it is.
import { mediaTypeOf, MultiMap } from '../headers.ts';
import type { Integrated, MethodResponse, Responded } from '../invocation.ts';
import type { CompiledIntegrationResponse } from '../compile/deployment.ts';
import type { MappingScope } from '../compile/parameter-mapping.ts';
import { selectByAccept } from '../compile/media-types.ts';
import { contextOf } from '../context-variables.ts';
import { ConfigurationError } from '../responses/gateway-errors.ts';
import { lazyJson, templateBindings } from './bindings.ts';
import { carriedResponseOverride, type RenderOutput } from '../compile/mapping-template.ts';
import { logBody } from '../execution-log.ts';
import { WiredResponse, wiredHeaders } from './method-response.ts';

export function selectIntegrationResponse(inv: Integrated): CompiledIntegrationResponse {
  const integration = inv.method.integration;
  const er = inv.endpointResponse;
  const subject = er.selectionSubject === undefined ? String(er.statusCode) : er.selectionSubject;
  if (subject !== null) {
    for (const r of integration.responses) if (r.pattern!.matches(subject)) return r;
  }
  if (integration.defaultResponse) return integration.defaultResponse;
  throw new ConfigurationError(
    `No match for output mapping and no default output mapping configured. Endpoint Response Status Code: ${er.statusCode}`,
  );
}

/**
 * AWS's content-handling table for responses: a payload is binary when its Content-Type is one of the API's
 * binaryMediaTypes; it goes out as text (base64 for a binary payload) when CONVERT_TO_TEXT is set or, with no
 * contentHandling, when the client's Accept is not a binary type; otherwise as binary (base64-decoded for a text
 * payload).
 */
function convertBody(inv: Integrated, raw: Buffer, handling: string | undefined): string | Buffer {
  const isBinary = inv.deployment.isBinary;
  const payloadBinary = isBinary(mediaTypeOf(inv.endpointResponse.headers.get('content-type')));
  const toText = handling === 'CONVERT_TO_TEXT' || (handling === undefined && !isBinary(mediaTypeOf(firstAccepted(inv.headers.get('accept')))));
  if (payloadBinary) return toText ? raw.toString('base64') : raw;
  return toText ? raw : Buffer.from(raw.toString('utf8'), 'base64');
}

/** The first entry of an Accept header. */
function firstAccepted(accept: string | undefined): string | undefined {
  if (accept === undefined) return undefined;
  const comma = accept.indexOf(',');
  return comma === -1 ? accept : accept.slice(0, comma);
}

const EMPTY = Buffer.alloc(0);

/** `rendered`: the response template's output when it was rendered in the render pool (then this runs again). */
export function integrationResponse(inv: Integrated, rendered?: RenderOutput): void | Promise<void> {
  const responded = inv as Responded;
  const er = inv.endpointResponse;
  if (inv.method.integration.module.proxy) {
    // HTTP_PROXY's common case: the backend's headers go to the wire without a map (see WiredResponse).
    const wire = er.backendHeaders !== undefined && (!inv.log || inv.logData === false) && inv.deployment.minimumCompressionSize === undefined ? wiredHeaders(inv, er.backendHeaders) : undefined;
    responded.methodResponse = wire !== undefined ? new WiredResponse(inv, er, wire) : { statusCode: er.statusCode, headers: er.headers, body: er.body, compressible: true };
    if (wire !== undefined && inv.log) inv.log.push('Successfully completed execution', `Method completed with status: ${er.statusCode}`);
    return;
  }
  const selected = selectIntegrationResponse(inv);
  responded.selectedIntegrationResponse = selected;
  const declared = inv.method.methodResponses.get(selected.statusCode);
  if (!declared) throw new ConfigurationError(`Output mapping refers to an invalid method response: ${selected.statusCode}`);
  const raw = Buffer.isBuffer(er.body) ? er.body : EMPTY;
  let text: string | undefined;
  const bodyText = () => (text ??= raw.toString('utf8'));
  const scope: MappingScope | undefined = selected.responseParameters.length === 0 ? undefined : {
    path: inv.pathParameters,
    query: inv.query,
    headers: inv.headers,
    responseHeaders: er.headers,
    responseBody: bodyText,
    responseJson: lazyJson(bodyText),
    stageVariables: inv.stageVariables,
    context: () => contextOf(inv),
  };

  const headers = new MultiMap(true);
  for (const m of selected.responseParameters) {
    const declaredName = declared.get(m.targetName.toLowerCase());
    if (declaredName === undefined) continue;
    const values = m.read(scope!);
    if (values !== undefined) headers.set(declaredName, values.join(','));
  }

  let body: string | Buffer;
  let override: RenderOutput['responseOverride'];
  const templates = selected.responseTemplates;
  const converted = convertBody(inv, raw, selected.contentHandling);
  const [contentType, template] = templates ? selectByAccept(templates, inv.headers.get('accept')) : ['application/json', undefined];
  // An empty template passes the body through, as no template does (compile/mapping-template.ts).
  if (template !== undefined && !template.empty) {
    const source = typeof converted === 'string' ? converted : converted === raw ? bodyText() : converted.toString('utf8');
    let r: RenderOutput | Promise<RenderOutput>;
    try {
      r = rendered ?? template.render(() => templateBindings(inv, source));
    } catch (e) {
      throw new ConfigurationError(`Unable to transform response: ${(e as Error).message}`);
    }
    if (r instanceof Promise) {
      return r.then((done) => integrationResponse(inv, done), (e: Error) => {
        throw new ConfigurationError(`Unable to transform response: ${e.message}`);
      });
    }
    body = r.output;
    override = r.responseOverride;
  } else {
    body = converted;
  }
  // A response override set by the request template applies with or without a response template.
  override ??= carriedResponseOverride(inv.contextObject);
  if (!headers.has('content-type')) headers.set('Content-Type', contentType);

  let statusCode = Number(selected.statusCode);
  if (override) {
    // for-in, not Object.entries: every rendered template reports an override, nearly always an empty one.
    for (const k in override.header) headers.set(k, override.header[k]!);
    const s = override.status;
    if (s !== null && Number.isInteger(s) && s >= 100 && s <= 599) statusCode = s;
  }
  if (inv.log && inv.logData !== false) inv.log.push(`Method response body after transformations: ${logBody(body)}`);
  const methodResponse: MethodResponse = { statusCode, headers, body, compressible: true };
  responded.methodResponse = methodResponse;
}

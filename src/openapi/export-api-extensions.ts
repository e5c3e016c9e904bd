// The API-level x-amazon-apigateway-* extensions of an export with `extensions=apigateway` (developer guide,
// "API Gateway extensions to OpenAPI"), each written only when the deployed API sets it away from AWS's default,
// as AWS's recorded exports show (an API with HEADER keys and no compression exports neither extension):
// gateway responses the user put, the resource policy, request validators, binary media types, the AUTHORIZER
// API key source, minimum compression size and the endpoint configuration's non-default members.
import type { DeploymentSnapshot, GatewayResponse } from '../store/entities.ts';
import { javaHashMapOrder, inHashMapOrder } from './java-order.ts';

export interface DocumentationSnapshot {
  version: string;
  createdDate: number;
  parts: ReadonlyArray<{ location: object; properties: string }>;
}

// The template PutGatewayResponse stores when none is given ({"message":$context.error.messageString} for
// application/json). Exports leave it out: AWS exports gateway responses put without templates (CORS-enabled
// APIs' DEFAULT_4XX/5XX) with their responseParameters alone, and a re-import puts the default back.
const DEFAULT_TEMPLATE = '{"message":$context.error.messageString}';

function isDefaultTemplates(templates: Record<string, string> | undefined): boolean {
  const keys = Object.keys(templates ?? {});
  return keys.length === 1 && keys[0] === 'application/json' && templates!['application/json'] === DEFAULT_TEMPLATE;
}

function gatewayResponses(responses: readonly GatewayResponse[]): Record<string, unknown> | undefined {
  const byType = new Map(responses.filter((r) => !r.defaultResponse).map((r) => [r.responseType, r]));
  if (byType.size === 0) return undefined;
  const out: Record<string, unknown> = {};
  for (const type of javaHashMapOrder([...byType.keys()])) {
    const r = byType.get(type)!;
    const entry: Record<string, unknown> = {};
    if (r.statusCode !== undefined) entry.statusCode = r.statusCode;
    if (r.responseParameters && Object.keys(r.responseParameters).length) entry.responseParameters = inHashMapOrder(r.responseParameters);
    if (r.responseTemplates && Object.keys(r.responseTemplates).length && !isDefaultTemplates(r.responseTemplates)) {
      entry.responseTemplates = inHashMapOrder(r.responseTemplates);
    }
    out[type] = entry;
  }
  return out;
}

/** A stored policy (escaped and minified, as AWS returns it) back to its document. */
function policyDocument(stored: string): unknown {
  try {
    return JSON.parse(JSON.parse(`"${stored}"`) as string);
  } catch {
    return JSON.parse(stored);
  }
}

export function apiExtensions(snapshot: DeploymentSnapshot): Record<string, unknown> {
  const api = snapshot.restApi;
  const out: Record<string, unknown> = {};
  const responses = gatewayResponses(snapshot.gatewayResponses);
  if (responses) out['x-amazon-apigateway-gateway-responses'] = responses;
  if (api.policy) out['x-amazon-apigateway-policy'] = policyDocument(api.policy);
  if (snapshot.requestValidators.length) {
    const byName = new Map(snapshot.requestValidators.map((v) => [v.name ?? v.id, v]));
    out['x-amazon-apigateway-request-validators'] = Object.fromEntries(
      javaHashMapOrder([...byName.keys()]).map((name) => {
        const v = byName.get(name)!;
        return [name, { validateRequestParameters: v.validateRequestParameters ?? false, validateRequestBody: v.validateRequestBody ?? false }];
      }),
    );
  }
  if (api.binaryMediaTypes?.length) out['x-amazon-apigateway-binary-media-types'] = [...api.binaryMediaTypes];
  if (api.apiKeySource === 'AUTHORIZER') out['x-amazon-apigateway-api-key-source'] = 'AUTHORIZER';
  if (api.minimumCompressionSize !== undefined) out['x-amazon-apigateway-minimum-compression-size'] = api.minimumCompressionSize;
  const endpoint: Record<string, unknown> = {};
  if (api.endpointConfiguration?.vpcEndpointIds?.length) endpoint.vpcEndpointIds = [...api.endpointConfiguration.vpcEndpointIds];
  if (api.disableExecuteApiEndpoint) endpoint.disableExecuteApiEndpoint = true;
  if (Object.keys(endpoint).length) out['x-amazon-apigateway-endpoint-configuration'] = endpoint;
  return out;
}

// Parts in a stable order (stored parts are keyed by random ids): by location type in the model's enum order,
// then path, method, status code and name.
const LOCATION_TYPES = [
  'API', 'AUTHORIZER', 'MODEL', 'RESOURCE', 'METHOD', 'PATH_PARAMETER', 'QUERY_PARAMETER', 'REQUEST_HEADER',
  'REQUEST_BODY', 'RESPONSE', 'RESPONSE_HEADER', 'RESPONSE_BODY',
];

function locationSortKey(location: object): string {
  const l = location as Record<string, string | undefined>;
  const type = LOCATION_TYPES.indexOf(l.type ?? '');
  return [String(type < 0 ? 99 : type).padStart(2, '0'), l.path ?? '', l.method ?? '', l.statusCode ?? '', l.name ?? ''].join('\u0000');
}

/** The stage's documentation version as x-amazon-apigateway-documentation. */
export function documentationExtension(doc: DocumentationSnapshot): Record<string, unknown> {
  const parts = [...doc.parts].sort((a, b) => {
    const x = locationSortKey(a.location);
    const y = locationSortKey(b.location);
    return x < y ? -1 : x > y ? 1 : 0;
  });
  return {
    version: doc.version,
    createdDate: isoSeconds(doc.createdDate),
    documentationParts: parts.map((p) => {
      let properties: unknown;
      try {
        properties = JSON.parse(p.properties);
      } catch {
        properties = p.properties;
      }
      return { location: { ...p.location }, properties };
    }),
  };
}

/** `2026-01-02T03:04:05Z`: the form AWS gives dates inside exports (info.version, file names). */
export function isoSeconds(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// The REST API's own settings from a definition: name, description and version from `info`, and the API-level
// extensions (developer guide, "OpenAPI extensions"): x-amazon-apigateway-api-key-source,
// -binary-media-types, -minimum-compression-size, -policy, -endpoint-configuration, and tags from the `tags`
// entries carrying x-amazon-apigateway-tag-value. The rules and texts are CreateRestApi's (src/control/restapis.ts).
// PutRestApi in merge mode appends the definition's binary media types to the API's, in overwrite mode replaces
// them (recorded on AWS: localstack's test_apigateway_import.snapshot.json, test_put_rest_api_mode_binary_media_types).
import { BadRequestException } from '../aws/errors.ts';
import type { EndpointConfiguration, RestApi } from '../store/entities.ts';
import { validateTags } from '../control/common.ts';
import { checkCompression, endpointConfiguration, normalizePolicy } from '../control/restapis.ts';
import type { ImportSession } from './import-session.ts';

const ENDPOINT_TYPES = ['REGIONAL', 'EDGE', 'PRIVATE'];

function tagsOf(doc: Record<string, any>): Record<string, string> | undefined {
  if (!Array.isArray(doc.tags)) return undefined;
  const tags: Record<string, string> = {};
  for (const t of doc.tags) {
    if (t && typeof t === 'object' && typeof t.name === 'string' && t['x-amazon-apigateway-tag-value'] !== undefined) {
      tags[t.name] = String(t['x-amazon-apigateway-tag-value']);
    }
  }
  return Object.keys(tags).length ? tags : undefined;
}

/** Applies the definition's settings to `api` (a working copy) for a create, a merge or an overwrite. */
export function applyApiSettings(session: ImportSession, api: RestApi, mode: 'create' | 'merge' | 'overwrite', parameters: Record<string, string>): void {
  const doc = session.def.doc;
  // AWS's warning, quoted from an import's warnings on repost.aws ("API Gateway deploy in Jenkins warnings on Open
  // API 3.0 spec import").
  if (session.def.version === 'oas30' && Array.isArray(doc.servers) && doc.servers.length > 1) {
    session.warn('More than one server provided. Ignoring all but the first for defining endpoint configuration');
  }
  const info = (doc.info && typeof doc.info === 'object' ? doc.info : {}) as Record<string, any>;
  if (typeof info.title === 'string' && info.title !== '') api.name = info.title;
  else if (mode === 'create') api.name = '';
  if (mode !== 'merge' || info.description !== undefined) {
    if (typeof info.description === 'string' && info.description) api.description = info.description;
    else delete api.description;
  }
  if (info.version !== undefined) api.version = String(info.version);
  else if (mode === 'overwrite') delete api.version;

  const keySource = doc['x-amazon-apigateway-api-key-source'];
  if (keySource !== undefined) {
    if (keySource !== 'HEADER' && keySource !== 'AUTHORIZER') {
      throw new BadRequestException('Invalid ApiKeySourceType specified. Valid options are HEADER,AUTHORIZER');
    }
    api.apiKeySource = keySource;
  }
  const binary = doc['x-amazon-apigateway-binary-media-types'];
  if (Array.isArray(binary)) {
    const types = mode === 'merge' ? [...(api.binaryMediaTypes ?? [])] : [];
    for (const t of binary.map(String)) if (!types.includes(t)) types.push(t);
    api.binaryMediaTypes = types;
  } else if (mode === 'overwrite') delete api.binaryMediaTypes;
  const compression = doc['x-amazon-apigateway-minimum-compression-size'];
  if (compression !== undefined) {
    checkCompression(typeof compression === 'number' ? compression : -1);
    api.minimumCompressionSize = compression;
  }
  const policy = doc['x-amazon-apigateway-policy'];
  if (policy !== undefined) {
    const text = typeof policy === 'string' ? policy : JSON.stringify(policy);
    api.policy = normalizePolicy(text, { region: session.region, accountId: session.accountId, apiId: api.id });
  }
  const endpoint = doc['x-amazon-apigateway-endpoint-configuration'];
  if (endpoint && typeof endpoint === 'object') {
    if (Array.isArray(endpoint.vpcEndpointIds)) {
      api.endpointConfiguration = { ...(api.endpointConfiguration ?? {}), vpcEndpointIds: endpoint.vpcEndpointIds.map(String) };
    }
    if (typeof endpoint.disableExecuteApiEndpoint === 'boolean') api.disableExecuteApiEndpoint = endpoint.disableExecuteApiEndpoint;
  }
  // parameters: endpointConfigurationTypes=EDGE|REGIONAL|PRIVATE (ImportRestApi reference).
  const requested = parameters.endpointConfigurationTypes;
  if (requested !== undefined || mode === 'create') {
    const types = requested !== undefined ? [requested.toUpperCase()] : api.endpointConfiguration?.types ?? ['EDGE'];
    if (!ENDPOINT_TYPES.includes(types[0]!)) {
      throw new BadRequestException('Invalid EndpointTypes specified. Valid options are REGIONAL,EDGE,PRIVATE');
    }
    const current: EndpointConfiguration = { ...(api.endpointConfiguration ?? {}), types };
    if (requested !== undefined && requested.toUpperCase() !== api.endpointConfiguration?.types?.[0]) delete current.ipAddressType;
    api.endpointConfiguration = endpointConfiguration(current);
  }
  const tags = tagsOf(doc);
  if (tags) {
    validateTags(tags);
    api.tags = mode === 'merge' ? { ...(api.tags ?? {}), ...tags } : tags;
  }
}

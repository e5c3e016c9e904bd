// A deployment snapshot compiled into an executable API, once per deployment (deployments are immutable):
// the route trie, and per method only what applies to it (validation, mappings, templates, integration
// responses, declared method-response headers). A method whose configuration cannot be compiled is kept with the
// error, and answers 500 "Internal server error" naming the reason in the execution log, as AWS does.
import type { Authorizer, DeploymentSnapshot, Integration, IntegrationResponse, Method, ResourceWithMethods } from '../../store/entities.ts';
import { JavaPattern } from '../../jsonpath/java-regex.ts';
import { integrationModule } from '../integrations/index.ts';
import type { IntegrationModule } from '../integrations/integration.ts';
import { compileGatewayResponses, type GatewayResponseTable } from '../responses/gateway-response.ts';
import { compileMappings, type CompiledMapping } from './parameter-mapping.ts';
import { compileTemplateTable, type MappingTemplate } from './mapping-template.ts';
import { compileRequestValidation, ModelRegistry, type CompiledRequestValidation } from './request-validation.ts';
import { TrieRouter, type Router } from './router.ts';
import { compileUri, type CompiledUri } from './uri.ts';
import { compileMediaTypeMatcher } from './media-types.ts';
import { compileCacheKey, type CompiledCacheKey } from './cache-key.ts';

export const DEFAULT_TIMEOUT_MS = 29_000;

export interface CompiledDeployment {
  readonly apiId: string;
  readonly deploymentId: string;
  readonly router: Router<CompiledResource>;
  readonly gatewayResponses: GatewayResponseTable;
  /** Whether a media type is one of the API's binaryMediaTypes (wildcards allowed). */
  readonly isBinary: (mediaType: string | undefined) => boolean;
  /** Bodies at least this large are compressed when the client accepts it; undefined = compression off. */
  readonly minimumCompressionSize: number | undefined;
  readonly disableExecuteApiEndpoint: boolean;
  /** Where API keys come from: the x-api-key header, or a Lambda authorizer's usageIdentifierKey. */
  readonly apiKeySource: 'HEADER' | 'AUTHORIZER';
  /** The API's resource policy as stored (escaped JSON text), frozen with the deployment as on AWS. */
  readonly resourcePolicy: string | undefined;
  /** EDGE, REGIONAL or PRIVATE. */
  readonly endpointType: string;
}

export interface CompiledResource {
  readonly id: string;
  readonly path: string;
  readonly methods: ReadonlyMap<string, CompiledMethod>;
}

export interface CompiledMethod {
  readonly httpMethod: string;
  readonly resource: { id: string; path: string };
  readonly authorizationType: string;
  readonly apiKeyRequired: boolean;
  /** The method's authorizer (CUSTOM, COGNITO_USER_POOLS) as the deployment froze it; the authorizer modules compile it. */
  readonly authorizer: Authorizer | undefined;
  /** OAuth scopes a COGNITO_USER_POOLS method asks of access tokens (undefined or empty: ID tokens). */
  readonly authorizationScopes: readonly string[] | undefined;
  readonly validation: CompiledRequestValidation | undefined;
  readonly integration: CompiledIntegration;
  /** Declared method responses: status → allowed response header names (lowercased → declared case). */
  readonly methodResponses: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** The stage cache key of its requests (used when the stage caches this method). */
  readonly cacheKey: CompiledCacheKey | undefined;
  /** Set when the method's configuration could not be compiled: the execution-log reason. */
  readonly configurationError: string | undefined;
}

export interface CompiledIntegration {
  readonly type: string;
  readonly module: IntegrationModule;
  readonly httpMethod: string;
  readonly uri: string;
  readonly compiledUri: CompiledUri;
  readonly greedyUriParameters: ReadonlySet<string>;
  readonly requestParameters: CompiledMapping[];
  readonly requestTemplates: Map<string, MappingTemplate> | undefined;
  readonly passthroughBehavior: 'WHEN_NO_MATCH' | 'WHEN_NO_TEMPLATES' | 'NEVER';
  readonly contentHandling: string | undefined;
  readonly timeoutMs: number;
  readonly insecureSkipVerification: boolean;
  /** The execution role API Gateway assumes to call the integration (AWS integrations), if any. */
  readonly credentials: string | undefined;
  /** Integration responses with a selection pattern, in AWS's order, and the default one. */
  readonly responses: CompiledIntegrationResponse[];
  readonly defaultResponse: CompiledIntegrationResponse | undefined;
}

export interface CompiledIntegrationResponse {
  readonly statusCode: string;
  readonly pattern: JavaPattern | undefined;
  readonly responseParameters: CompiledMapping[];
  readonly responseTemplates: Map<string, MappingTemplate> | undefined;
  readonly contentHandling: string | undefined;
}

export function compileDeployment(apiId: string, deploymentId: string, snapshot: DeploymentSnapshot): CompiledDeployment {
  const models = new ModelRegistry(apiId, snapshot.models);
  const router = new TrieRouter<CompiledResource>();
  for (const resource of snapshot.resources) {
    router.add(resource.path, compileResource(resource, snapshot, models));
  }
  const api = snapshot.restApi;
  return {
    apiId,
    deploymentId,
    router,
    gatewayResponses: compileGatewayResponses(snapshot.gatewayResponses),
    isBinary: compileMediaTypeMatcher(api.binaryMediaTypes ?? []),
    minimumCompressionSize: api.minimumCompressionSize ?? undefined,
    disableExecuteApiEndpoint: api.disableExecuteApiEndpoint === true,
    apiKeySource: api.apiKeySource === 'AUTHORIZER' ? 'AUTHORIZER' : 'HEADER',
    resourcePolicy: api.policy || undefined,
    endpointType: api.endpointConfiguration?.types?.[0] ?? 'EDGE',
  };
}

function compileResource(resource: ResourceWithMethods, snapshot: DeploymentSnapshot, models: ModelRegistry): CompiledResource {
  const methods = new Map<string, CompiledMethod>();
  for (const [verb, method] of Object.entries(resource.resourceMethods ?? {})) {
    methods.set(verb, compileMethod(resource, method, snapshot, models));
  }
  return { id: resource.id, path: resource.path, methods };
}

function compileMethod(resource: ResourceWithMethods, method: Method, snapshot: DeploymentSnapshot, models: ModelRegistry): CompiledMethod {
  const base = {
    httpMethod: method.httpMethod,
    resource: { id: resource.id, path: resource.path },
    authorizationType: method.authorizationType ?? 'NONE',
    apiKeyRequired: method.apiKeyRequired === true,
    authorizer: method.authorizerId !== undefined ? snapshot.authorizers?.find((a) => a.id === method.authorizerId) : undefined,
    authorizationScopes: method.authorizationScopes,
    methodResponses: compileMethodResponses(method),
  };
  try {
    const validator = method.requestValidatorId ? snapshot.requestValidators.find((v) => v.id === method.requestValidatorId) : undefined;
    return {
      ...base,
      validation: compileRequestValidation(method, validator, models),
      integration: compileIntegration(method.methodIntegration ?? {}, resource.path),
      cacheKey: compileCacheKey(method, resource.id),
      configurationError: undefined,
    };
  } catch (e) {
    return {
      ...base,
      validation: undefined,
      integration: compileIntegration({ type: 'MOCK' }, resource.path),
      cacheKey: undefined,
      configurationError: `${(e as Error).message} (${method.httpMethod} ${resource.path})`,
    };
  }
}

function compileMethodResponses(method: Method): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const [status, mr] of Object.entries(method.methodResponses ?? {})) {
    const headers = new Map<string, string>();
    for (const p of Object.keys(mr.responseParameters ?? {})) {
      if (p.startsWith('method.response.header.')) {
        const name = p.slice('method.response.header.'.length);
        headers.set(name.toLowerCase(), name);
      }
    }
    out.set(status, headers);
  }
  return out;
}

const PASSTHROUGH = new Set(['WHEN_NO_MATCH', 'WHEN_NO_TEMPLATES', 'NEVER']);

/**
 * URI parameters that carry a greedy path parameter (`{proxy+}`): mapped from it, or named like it and unmapped.
 * Their values keep '/' when substituted; other parameters are encoded whole (an encoded '/' stays encoded).
 */
function greedyUriParameters(integration: Integration, resourcePath: string): Set<string> {
  const greedy = /\{([^{}]+)\+\}/.exec(resourcePath)?.[1];
  const out = new Set<string>();
  if (greedy === undefined) return out;
  out.add(greedy);
  for (const [target, source] of Object.entries(integration.requestParameters ?? {})) {
    if (target.startsWith('integration.request.path.') && source === `method.request.path.${greedy}`) out.add(target.slice('integration.request.path.'.length));
  }
  return out;
}

function compileIntegration(integration: Integration, resourcePath: string): CompiledIntegration {
  const type = integration.type ?? 'MOCK';
  const module = integrationModule(type);
  if (!module) throw new Error(`Unsupported integration type ${type}`);
  module.compile?.(integration);
  const passthrough = integration.passthroughBehavior ?? 'WHEN_NO_MATCH';
  if (!PASSTHROUGH.has(passthrough)) throw new Error(`Invalid passthrough behavior ${passthrough}`);
  const responses: CompiledIntegrationResponse[] = [];
  let defaultResponse: CompiledIntegrationResponse | undefined;
  for (const ir of Object.values(integration.integrationResponses ?? {})) {
    const compiled = compileIntegrationResponse(ir);
    if (compiled.pattern) responses.push(compiled);
    else defaultResponse = compiled;
  }
  const proxy = module.proxy;
  return {
    type,
    module,
    httpMethod: integration.httpMethod ?? 'ANY',
    uri: integration.uri ?? '',
    compiledUri: compileUri(integration.uri ?? ''),
    greedyUriParameters: greedyUriParameters(integration, resourcePath),
    requestParameters: compileMappings(integration.requestParameters, 'integration.request.', ['path', 'querystring', 'header'], 'request'),
    requestTemplates: proxy ? undefined : compileTemplateTable(integration.requestTemplates),
    passthroughBehavior: passthrough as CompiledIntegration['passthroughBehavior'],
    contentHandling: integration.contentHandling,
    timeoutMs: integration.timeoutInMillis ?? DEFAULT_TIMEOUT_MS,
    insecureSkipVerification: integration.tlsConfig?.insecureSkipVerification === true,
    credentials: integration.credentials,
    responses,
    defaultResponse,
  };
}

function compileIntegrationResponse(ir: IntegrationResponse): CompiledIntegrationResponse {
  let pattern: JavaPattern | undefined;
  if (ir.selectionPattern !== undefined && ir.selectionPattern !== '') {
    try {
      // AWS matches selection patterns against the whole status code (or the Lambda error message).
      // A Java regex on the linear-time engine (src/regex): what needs backtracking is refused here, named.
      pattern = new JavaPattern(ir.selectionPattern, false);
    } catch (e) {
      throw new Error(`Invalid selection pattern specified: ${ir.selectionPattern}: ${(e as Error).message}`);
    }
  }
  return {
    statusCode: ir.statusCode,
    pattern,
    responseParameters: compileMappings(ir.responseParameters, 'method.response.', ['header'], 'response'),
    responseTemplates: compileTemplateTable(ir.responseTemplates),
    contentHandling: ir.contentHandling,
  };
}

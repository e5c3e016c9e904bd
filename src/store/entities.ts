// Stored entities of the apigateway control plane. Each is kept in the shape its Get operation returns (member
// names of the official model), so handlers return them as they are, and the data plane reads the same shapes.
// Timestamps are stored as epoch milliseconds (number) and turned into Date by the handlers that return them.
//
// Collections and keys (region-scoped: the store view handed to handlers prefixes every key with `${region}/`):
//   restapis            {apiId}                                  RestApi
//   resources           {apiId}/{resourceId}                     Resource (without resourceMethods)
//   methods             {apiId}/{resourceId}/{HTTP_METHOD}       Method (methodResponses, methodIntegration with
//                                                                integrationResponses embedded, as GetMethod returns)
//   models              {apiId}/{modelName}                      Model
//   requestvalidators   {apiId}/{validatorId}                    RequestValidator
//   authorizers         {apiId}/{authorizerId}                   Authorizer
//   gatewayresponses    {apiId}/{responseType}                   GatewayResponse (only the ones the user put)
//   deployments         {apiId}/{deploymentId}                   StoredDeployment (with its frozen snapshot)
//   stages              {apiId}/{stageName}                      Stage
//   documentationparts  {apiId}/{partId}                         DocumentationPart
//   documentationversions {apiId}/{version}                      DocumentationVersion
//   apikeys             {keyId}                                  ApiKey (value included)
//   usageplans          {planId}                                 UsagePlan
//   usageplankeys       {planId}/{keyId}                         UsagePlanKey
//   usage               {planId}/{keyId}/{YYYY-MM-DD}            { admitted } (src/traffic/usage-journal.ts)
//   usagequotas         {planId}/{keyId}                         { periodStart, used } the current quota period
//   domainnames         {domainName}                             DomainName
//   basepathmappings    {domainName}/{basePath}                  BasePathMapping
//   clientcertificates  {clientCertificateId}                    ClientCertificate
//   vpclinks            {vpcLinkId}                              VpcLink
//   account             current                                  Account
// Global (not region-scoped):
//   apiregions          {apiId}                                  { region } so execute-api finds an API by id

export type Timestamp = number;
export type StringMap = Record<string, string>;

export interface EndpointConfiguration {
  types?: string[];
  ipAddressType?: string;
  vpcEndpointIds?: string[];
}

export interface RestApi {
  id: string;
  name: string;
  description?: string;
  createdDate: Timestamp;
  version?: string;
  warnings?: string[];
  binaryMediaTypes?: string[];
  minimumCompressionSize?: number;
  apiKeySource?: string;
  endpointConfiguration?: EndpointConfiguration;
  policy?: string;
  tags?: StringMap;
  disableExecuteApiEndpoint?: boolean;
  rootResourceId: string;
  apiStatus?: string;
  securityPolicy?: string;
  endpointAccessMode?: string;
}

export interface Resource {
  id: string;
  parentId?: string;
  pathPart?: string;
  path: string;
}

export interface MethodResponse {
  statusCode: string;
  responseParameters?: Record<string, boolean>;
  responseModels?: StringMap;
}

export interface IntegrationResponse {
  statusCode: string;
  selectionPattern?: string;
  responseParameters?: StringMap;
  responseTemplates?: StringMap;
  contentHandling?: string;
}

export interface Integration {
  type?: string;
  httpMethod?: string;
  uri?: string;
  connectionType?: string;
  connectionId?: string;
  credentials?: string;
  requestParameters?: StringMap;
  requestTemplates?: StringMap;
  passthroughBehavior?: string;
  contentHandling?: string;
  timeoutInMillis?: number;
  cacheNamespace?: string;
  cacheKeyParameters?: string[];
  integrationResponses?: Record<string, IntegrationResponse>;
  tlsConfig?: { insecureSkipVerification?: boolean };
  responseTransferMode?: string;
  integrationTarget?: string;
}

export interface Method {
  httpMethod: string;
  authorizationType?: string;
  authorizerId?: string;
  apiKeyRequired?: boolean;
  requestValidatorId?: string;
  operationName?: string;
  requestParameters?: Record<string, boolean>;
  requestModels?: StringMap;
  methodResponses?: Record<string, MethodResponse>;
  methodIntegration?: Integration;
  authorizationScopes?: string[];
}

export interface Model {
  id: string;
  name: string;
  description?: string;
  schema?: string;
  contentType?: string;
}

export interface RequestValidator {
  id: string;
  name?: string;
  validateRequestBody?: boolean;
  validateRequestParameters?: boolean;
}

export interface Authorizer {
  id: string;
  name?: string;
  type?: string;
  providerARNs?: string[];
  authType?: string;
  authorizerUri?: string;
  authorizerCredentials?: string;
  identitySource?: string;
  identityValidationExpression?: string;
  authorizerResultTtlInSeconds?: number;
}

export interface GatewayResponse {
  responseType: string;
  statusCode?: string;
  responseParameters?: StringMap;
  responseTemplates?: StringMap;
  defaultResponse?: boolean;
}

/** A resource with its methods, as the snapshot and GetResources?embed=methods carry it. */
export interface ResourceWithMethods extends Resource {
  resourceMethods?: Record<string, Method>;
}

/** What CreateDeployment freezes: everything the data plane needs to run the API, immutable from then on. */
export interface DeploymentSnapshot {
  restApi: RestApi;
  resources: ResourceWithMethods[];
  models: Model[];
  requestValidators: RequestValidator[];
  authorizers: Authorizer[];
  /** Only the user-defined ones; defaults come from src/execute/responses. */
  gatewayResponses: GatewayResponse[];
}

export interface StoredDeployment {
  id: string;
  description?: string;
  createdDate: Timestamp;
  /** The AWS `apiSummary`: { path: { METHOD: { authorizationType, apiKeyRequired } } }. */
  apiSummary: Record<string, Record<string, { authorizationType?: string; apiKeyRequired?: boolean }>>;
  snapshot: DeploymentSnapshot;
}

export interface MethodSetting {
  metricsEnabled?: boolean;
  loggingLevel?: string;
  dataTraceEnabled?: boolean;
  throttlingBurstLimit?: number;
  throttlingRateLimit?: number;
  cachingEnabled?: boolean;
  cacheTtlInSeconds?: number;
  cacheDataEncrypted?: boolean;
  requireAuthorizationForCacheControl?: boolean;
  unauthorizedCacheControlHeaderStrategy?: string;
}

export interface CanarySettings {
  percentTraffic?: number;
  deploymentId?: string;
  stageVariableOverrides?: StringMap;
  useStageCache?: boolean;
}

export interface Stage {
  deploymentId: string;
  clientCertificateId?: string;
  stageName: string;
  description?: string;
  cacheClusterEnabled?: boolean;
  cacheClusterSize?: string;
  cacheClusterStatus?: string;
  /** Epoch ms when an in-progress cacheClusterStatus settles (src/cache/cluster-status.ts); never shown. */
  cacheClusterTransitionEnds?: number;
  /**
   * Keyed `{resourcePath}/{METHOD}` exactly as the UpdateStage patch path sent it, minus the leading '/'
   * (`~1pets/GET` from the CLI, `pets/GET` from Terraform), or star/star for all methods. Readers turn `~1` back into
   * '/' and add the leading '/'.
   */
  methodSettings?: Record<string, MethodSetting>;
  variables?: StringMap;
  documentationVersion?: string;
  accessLogSettings?: { format?: string; destinationArn?: string };
  canarySettings?: CanarySettings;
  tracingEnabled?: boolean;
  webAclArn?: string;
  tags?: StringMap;
  createdDate: Timestamp;
  lastUpdatedDate: Timestamp;
}

export interface ApiKey {
  id: string;
  value: string;
  name?: string;
  customerId?: string;
  description?: string;
  enabled: boolean;
  createdDate: Timestamp;
  lastUpdatedDate: Timestamp;
  stageKeys?: string[];
  tags?: StringMap;
}

export interface ThrottleSettings {
  burstLimit?: number;
  rateLimit?: number;
}

export interface UsagePlan {
  id: string;
  name?: string;
  description?: string;
  /** Per-method throttles are keyed `{resourcePath}/{METHOD}`, e.g. `/pets/GET`. */
  apiStages?: Array<{ apiId?: string; stage?: string; throttle?: Record<string, ThrottleSettings> }>;
  throttle?: ThrottleSettings;
  quota?: { limit?: number; offset?: number; period?: string };
  productCode?: string;
  tags?: StringMap;
}

export interface UsagePlanKey {
  id: string;
  type: string;
  value?: string;
  name?: string;
}

// What one invocation carries through the pipeline (src/execute/pipeline). Each step reads what earlier steps
// left and adds its part; the types narrow as it goes (`Routed` has its method, `Integrated` its endpoint
// response), so later steps need no `!`.
import type { IncomingMessage } from 'node:http';
import type { ExecuteTarget } from './data-plane.ts';
import type { MultiMap } from './headers.ts';
import type { CompiledDeployment, CompiledMethod, CompiledIntegrationResponse } from './compile/deployment.ts';
import type { StageRuntime } from './stage-config.ts';
import type { RequestBody } from './request-body.ts';
import type { StageDirectory } from './stage-config.ts';
import type { ApiKeyDirectory } from './authorization/api-key-directory.ts';
import type { IntegrationEnv } from './integrations/integration.ts';
import type { UsagePlan } from '../store/entities.ts';
import type { IdentityDirectory } from '../identity/directory.ts';
import type { SourceNetworks } from './authorization/networks.ts';
import type { Traffic } from '../traffic/traffic.ts';
import type { ResponseCache } from '../cache/response-cache.ts';
import type { CacheSealer } from '../cache/encryption.ts';
import type { Tracer } from '../observe/tracing.ts';

/** Long-lived things every invocation may use. */
export interface ExecuteEnv extends IntegrationEnv {
  readonly stages: StageDirectory;
  /** Enabled API keys and the usage plans admitting them, per region (authorization/api-key.ts). */
  readonly apiKeys: ApiKeyDirectory;
  /** Access keys, their owners and policies, in memory (AWS_IAM methods); absent in bare test environments. */
  readonly identities?: IdentityDirectory;
  /** Client networks standing for VPC endpoints (`--vpc-endpoint`, `--vpce-header-from`). */
  readonly networks?: SourceNetworks;
  /** Throttles, quotas and usage (src/traffic), shared by the whole process. */
  readonly traffic: Traffic;
  /** The stage caches (src/cache), one partition per stage. */
  readonly responseCache: ResponseCache;
  /** Seals entries of methods with caching/dataEncrypted. */
  readonly cacheSealer: CacheSealer;
  /** Spans of stages with tracingEnabled (OTEL_EXPORTER_OTLP_ENDPOINT); absent when no collector is configured. */
  readonly tracer?: Tracer;
  now(): Date;
  /** now() as epoch milliseconds, without a Date per call (Date.now itself unless a test injects a clock). */
  nowMs(): number;
  /** Whether nowMs is Date.now itself: a request's startedAt then serves as its wall-clock arrival (receivedAt). */
  readonly wallClock: boolean;
}

/** Set by `parse`: the method request as the client sent it. */
export interface Invocation {
  readonly env: ExecuteEnv;
  readonly requestId: string;
  /** x-amz-apigw-id / $context.extendedRequestId */
  readonly extendedRequestId: string;
  readonly traceId: string;
  /** Epoch milliseconds when the request arrived. */
  readonly startedAt: number;
  /**
   * Date.now() when the request arrived: latencies (responseLatency) are measured on the wall clock, as
   * integrationLatency is, whatever clock `startedAt` was read from (tests inject one).
   */
  readonly receivedAt: number;
  readonly target: ExecuteTarget;
  readonly accountId: string;
  readonly httpMethod: string;
  /**
   * The resource path after the stage as AWS reports it ('/' for the root): leading slashes collapsed to one; a
   * trailing slash, empty inner segments and percent-encoding kept (pipeline/parse.ts resourcePathOf).
   */
  readonly path: string;
  /** The routing segments of the raw path, still percent-encoded, leading and trailing slashes ignored (segmentsOf). */
  readonly segments: string[];
  readonly headers: MultiMap;
  /**
   * One method request header's values (as `headers.all`), by its lowercased name, without building the header map
   * when nothing has yet: for the steps that ask about one header on every request. Not for the headers the front
   * end adds or drops (X-Forwarded-*, X-Amzn-Trace-Id, hop-by-hop): read those from `headers`.
   */
  headerValues(lowerName: string): readonly string[] | undefined;
  readonly query: MultiMap;
  readonly body: RequestBody;
  readonly sourceIp: string;
  readonly protocol: string;
  /** The node request (only for streaming the body to a proxy integration); absent in TestInvokeMethod. */
  readonly req: IncomingMessage | undefined;
  /** The AWS-style execution log, collected when someone reads it (TestInvokeMethod, stage logging). */
  log: string[] | null;
  /**
   * Whether the log also takes request and response data (headers, bodies: `dataTraceEnabled`). Without it the
   * pipeline builds no such lines and keeps its fast paths (HTTP_PROXY headers straight to the wire).
   */
  logData?: boolean;
  /** $context.error and the parts of $context later steps fill; see context-variables.ts. */
  stage?: StageRuntime;
  deployment?: CompiledDeployment;
}

/** After `route`: the API, stage, deployment, resource and method are known. */
export interface Routed extends Invocation {
  stage: StageRuntime;
  deployment: CompiledDeployment;
  method: CompiledMethod;
  pathParameters: Record<string, string>;
  /** Stage variables in effect (canary overrides applied). */
  stageVariables: Record<string, string>;
  isCanaryRequest: boolean;
  /** $context built on first use (templates, mappings); requestOverride/responseOverride live inside it. */
  contextObject: Record<string, unknown> | undefined;
  /** Set by `authorize` for AWS_IAM callers: $context.identity's caller fields (absent: all null). */
  identity?: CallerIdentity;
  /** Set by a Lambda or Cognito authorizer: $context.authorizer (and the proxy event's requestContext.authorizer). */
  authorizer?: Record<string, unknown>;
  /** Set by `authorize`: how its phases went ($context.authenticate.*, authorize.*, authorizer.latency/status in access logs). */
  authorizationPhases?: AuthorizationPhases;
  /** Set by a Lambda authorizer's `usageIdentifierKey`: the API key value when the API's apiKeySource is AUTHORIZER. */
  usageIdentifierKey?: string;
  /** Set by `authorize` when the method requires an API key: the key used and the usage plan covering this stage. */
  apiKey?: ApiKeyUse;
  /** Set by `cacheLookup` when the request uses the stage cache: where its entry is, and whether it was a hit. */
  cache?: CacheUse;
}

/** How one request uses the stage cache. */
export interface CacheUse {
  readonly partition: string;
  readonly key: string;
  readonly ttlMs: number;
  readonly budgetBytes: number;
  /** caching/dataEncrypted: the entry is stored sealed. */
  readonly encrypted: boolean;
  /** An unauthorized Cache-Control: max-age=0 under SUCCEED_WITH_RESPONSE_HEADER: the response carries a Warning. */
  readonly warn: boolean;
  /** The method response came from the cache (nothing to store). */
  hit: boolean;
}

/** One phase of authorization as access logs report it: milliseconds, the status it ended with (200 when it let the request on), its error. */
export interface AuthorizationPhase {
  readonly latency: number;
  readonly status: number;
  readonly error: string | undefined;
}

/** authenticate: SigV4 or the Cognito token; authorize: the policies; authorizer: a Lambda authorizer's whole run. */
export interface AuthorizationPhases {
  authenticate?: AuthorizationPhase;
  authorize?: AuthorizationPhase;
  authorizer?: AuthorizationPhase;
}

/** $context.identity fields an AWS_IAM caller fills (AWS leaves the Cognito ones null for IAM callers). */
export interface CallerIdentity {
  accountId: string | null;
  caller: string | null;
  user: string | null;
  userArn: string | null;
  accessKey: string | null;
  principalOrgId?: string | null;
  cognitoIdentityPoolId?: string | null;
  cognitoIdentityId?: string | null;
  cognitoAuthenticationType?: string | null;
  cognitoAuthenticationProvider?: string | null;
}

/** The API key a request used ($context.identity.apiKey / apiKeyId) and the usage plan that admits it here. */
export interface ApiKeyUse {
  readonly id: string;
  readonly value: string;
  /** The usage plan (as stored) that covers this API stage and has the key; throttling and quotas read it. */
  readonly usagePlan: UsagePlan;
}

/** After `integration-request`: what will be sent to the integration. */
export interface IntegrationRequested extends Routed {
  integrationRequest: IntegrationRequest;
}

export interface IntegrationRequest {
  httpMethod: string;
  /** Full endpoint URI with path parameters and stage variables substituted, query string included. */
  uri: string;
  headers: MultiMap;
  /**
   * The transformed body; 'stream' (proxy integrations) means the method request body unchanged: read it from
   * inv.body (buffered, or streamed as it arrives when nobody has read it).
   */
  body: Buffer | 'stream';
  /** The template output `body` was made from, as text (MOCK reads its statusCode without decoding again). */
  bodyText?: string;
  /** Whether a request template was applied (for MOCK: its output selects the status). */
  templateApplied: boolean;
  /**
   * The headers as [name, value, ...] for the wire (without Host and Content-Length), when they were built
   * without the map (HTTP_PROXY with no header mappings); `headers` then is built only if read.
   */
  readonly wireHeaders?: string[];
}

/** After `integration`: the endpoint's answer (from MOCK, HTTP, or an integration module). */
export interface Integrated extends IntegrationRequested {
  endpointResponse: EndpointResponse;
  integrationLatency: number;
}

export interface EndpointResponse {
  statusCode: number;
  headers: MultiMap;
  /**
   * An HTTP backend's headers as undici parsed them (names lowercased, repeated names as arrays): HTTP_PROXY
   * writes them to the client without building `headers`.
   */
  readonly backendHeaders?: Readonly<Record<string, string | string[] | undefined>>;
  /** Buffered body, or a stream that a proxy integration forwards as it arrives. */
  body: Buffer | AsyncIterable<Uint8Array> & { destroy?(err?: Error): void };
  /**
   * What selection patterns are matched against: the status code by default; Lambda integrations set the
   * function's errorMessage, or null for a successful invocation (which takes the default response, as on AWS).
   */
  selectionSubject?: string | null;
}

/** After `integration-response` (non-proxy) or straight from a proxy integration: what the client gets. */
export interface Responded extends Integrated {
  methodResponse: MethodResponse;
  selectedIntegrationResponse?: CompiledIntegrationResponse;
}

export interface MethodResponse {
  statusCode: number;
  headers: MultiMap;
  /** Template output stays a string: node writes headers and a string body in one syscall. */
  body: string | Buffer | AsyncIterable<Uint8Array> & { destroy?(err?: Error): void };
  /** Whether response compression may apply (not for streamed proxy bodies already encoded). */
  compressible: boolean;
}

export type Step<I> = (inv: I) => void | Promise<void>;

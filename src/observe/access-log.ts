// Access logs: a stage's `accessLogSettings.format` (CLF, JSON, XML, CSV or anything else) with its `$context`
// variables ("Variables for access logging for API Gateway" in the developer guide) substituted for one request.
// The format is compiled once per stage runtime into literal parts and variable paths; per request the values are
// read from the request's $context (src/execute/context-variables.ts) plus what only access logs know (status,
// latencies, response length, the integration's status). A variable with no value prints as `-`, as on AWS.
import type { Invocation, Integrated, Responded, Routed } from '../execute/invocation.ts';
import { buildContext } from '../execute/context-variables.ts';
import { isLambdaUri } from '../execute/integrations/lambda.ts';
import type { GatewayError } from '../execute/responses/gateway-errors.ts';

/** How one request ended, as the access and execution logs see it. */
export interface RequestOutcome {
  readonly inv: Invocation;
  readonly status: number;
  readonly error: GatewayError | undefined;
  /** Bytes of the response body. */
  readonly responseLength: number | undefined;
  /** Date.now() when the response was written (latencies are on the wall clock: Invocation.receivedAt). */
  readonly endedAt: number;
}

type Part = string | readonly string[];

/** `$context.` followed by a dotted name; a trailing dot belongs to the text around it (`$context.status.`). */
const VARIABLE = /\$context\.([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)/g;

export class AccessLogFormat {
  readonly source: string;
  private readonly parts: Part[];

  constructor(format: string) {
    this.source = format;
    const parts: Part[] = [];
    let last = 0;
    for (const m of format.matchAll(VARIABLE)) {
      if (m.index > last) parts.push(format.slice(last, m.index));
      parts.push(m[1]!.split('.'));
      last = m.index + m[0].length;
    }
    if (last < format.length) parts.push(format.slice(last));
    this.parts = parts;
  }

  render(o: RequestOutcome): string {
    const ctx = accessContext(o);
    let out = '';
    for (const p of this.parts) out += typeof p === 'string' ? p : text(lookup(ctx, p));
    return out;
  }
}

function lookup(ctx: Record<string, unknown>, path: readonly string[]): unknown {
  let v: unknown = ctx;
  for (const key of path) {
    // Own properties only: `$context.__proto__.constructor` must print `-`, not reach JavaScript's prototypes.
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, key)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

function text(v: unknown): string {
  if (v === undefined || v === null || v === '') return '-';
  if (typeof v === 'object') return '-';
  return String(v);
}

/** The request's $context with the access-log-only variables. */
export function accessContext(o: RequestOutcome): Record<string, unknown> {
  const inv = o.inv;
  const ctx = (inv as Partial<Routed>).contextObject ? { ...(inv as Routed).contextObject, ...errorPart(inv, o.error) } : buildContext(inv, o.error);
  const integrated = inv as Partial<Integrated>;
  const endpoint = integrated.endpointResponse;
  const integrationLatency = integrated.integrationLatency;
  const authorizer = (inv as Partial<Routed>).authorizer ?? {};
  const integrationStatus = endpoint ? integrationStatusOf(inv as Integrated) : undefined;
  const responded = inv as Partial<Responded>;
  ctx.status = o.status;
  ctx.responseLength = o.responseLength;
  ctx.responseLatency = Math.max(0, o.endedAt - inv.receivedAt);
  ctx.integrationLatency = integrationLatency;
  ctx.integrationStatus = integrationStatus;
  ctx.integration = {
    error: o.error && endpoint === undefined && integrationLatency !== undefined ? o.error.message : undefined,
    integrationStatus,
    latency: integrationLatency,
    requestId: undefined,
    status: endpoint?.statusCode,
  };
  ctx.xrayTraceId = undefined; // X-Ray tracing is the metrics and tracing part's (traces go to OTLP, not X-Ray)
  // An AWS service integration's endpoint request id (x-amzn-RequestId; S3's x-amz-request-id), as AWS logs it.
  ctx.awsEndpointRequestId = endpoint && callsAwsService(inv as Integrated) ? (endpoint.headers.get('x-amzn-requestid') ?? endpoint.headers.get('x-amz-request-id')) : undefined;
  ctx.dataProcessed = undefined;
  const phases = (inv as Partial<Routed>).authorizationPhases;
  ctx.authenticate = phases?.authenticate ? { ...phases.authenticate } : undefined;
  ctx.authorize = phases?.authorize ? { ...phases.authorize } : undefined;
  ctx.authorizer = {
    ...authorizer,
    latency: phases?.authorizer?.latency,
    status: phases?.authorizer?.status,
    error: o.error && (o.error.responseType === 'UNAUTHORIZED' || o.error.responseType === 'AUTHORIZER_FAILURE' || o.error.responseType === 'AUTHORIZER_CONFIGURATION_ERROR') ? o.error.message : undefined,
  };
  ctx.customDomain = { basePathMatched: basePathOf(inv) };
  ctx.endpointType = undefined;
  void responded;
  return ctx;
}

function errorPart(inv: Invocation, error: GatewayError | undefined): Record<string, unknown> {
  if (!error) return {};
  return { error: buildContext(inv, error).error };
}

/** AWS integrations with a service other than Lambda (src/execute/integrations/aws-service.ts). */
function callsAwsService(inv: Integrated): boolean {
  return inv.method.integration.type === 'AWS' && !isLambdaUri(inv.method.integration.uri);
}

/** For Lambda integrations the Lambda service's own status (200 even for a function error), else the backend's or AWS service's. */
function integrationStatusOf(inv: Integrated): number | undefined {
  const type = inv.method.integration.type;
  if (type === 'AWS' && callsAwsService(inv)) return inv.endpointResponse.statusCode;
  if (type === 'AWS_PROXY' || type === 'AWS') return 200;
  if (type === 'MOCK') return undefined;
  return inv.endpointResponse.statusCode;
}

function basePathOf(inv: Invocation): string | undefined {
  const t = inv.target;
  if (t.style !== 'domain' || t.requestPath === undefined) return undefined;
  const path = t.requestPath;
  const rest = `/${t.stage}${t.rawPath === '/' ? '' : t.rawPath}`;
  if (path.endsWith(rest) && path.length > rest.length) return path.slice(1, path.length - rest.length);
  const raw = t.rawPath === '/' ? '' : t.rawPath;
  return raw && path.endsWith(raw) && path.length > raw.length ? path.slice(1, path.length - raw.length) : '(none)';
}

/** Where a stage's access logs go, compiled once per stage runtime. */
export interface AccessLogDestination {
  readonly region: string;
  readonly group: string;
  readonly format: AccessLogFormat;
}

const LOG_GROUP_ARN = /^arn:aws[a-z-]*:logs:([a-z0-9-]+):\d{12}:log-group:([^:]+)(?::\*)?$/;

/** The access log destination of a stage's settings; undefined without both an ARN of a log group and a format. */
export function accessLogDestination(settings: { destinationArn?: string; format?: string } | undefined): AccessLogDestination | undefined {
  if (!settings?.destinationArn || !settings.format) return undefined;
  const m = LOG_GROUP_ARN.exec(settings.destinationArn);
  if (!m) return undefined;
  return { region: m[1]!, group: m[2]!, format: new AccessLogFormat(settings.format) };
}

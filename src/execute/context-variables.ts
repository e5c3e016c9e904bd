// $context of a REST API request as mapping templates, parameter mappings and gateway responses see it.
// Built on first use per request (a plain route to a backend never needs it).
import type { Invocation, Routed } from './invocation.ts';
import type { GatewayError } from './responses/gateway-errors.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

/** CLF time as AWS's $context.requestTime: `21/Nov/2026:23:41:00 +0000`. */
let cachedSecond = -1;
let cachedTime = '';
export function requestTime(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second === cachedSecond) return cachedTime;
  cachedSecond = second;
  const d = new Date(epochMs);
  return (cachedTime = `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`);
}

export function identityOf(inv: Invocation): Record<string, string | null> {
  const routed = inv as Partial<Routed>;
  const who = routed.identity;
  const key = routed.apiKey;
  return {
    cognitoIdentityPoolId: who?.cognitoIdentityPoolId ?? null,
    accountId: who?.accountId ?? null,
    cognitoIdentityId: who?.cognitoIdentityId ?? null,
    caller: who?.caller ?? null,
    sourceIp: inv.sourceIp,
    principalOrgId: who?.principalOrgId ?? null,
    accessKey: who?.accessKey ?? null,
    cognitoAuthenticationType: who?.cognitoAuthenticationType ?? null,
    cognitoAuthenticationProvider: who?.cognitoAuthenticationProvider ?? null,
    userArn: who?.userArn ?? null,
    userAgent: inv.headers.get('user-agent') ?? null,
    user: who?.user ?? null,
    apiKey: key?.value ?? null,
    apiKeyId: key?.id ?? null,
  };
}

/** The request's $context; for invocations that failed before routing, only what is known. */
export function buildContext(inv: Invocation | Routed, error?: GatewayError): Record<string, unknown> {
  const domainName = domainNameOf(inv);
  const dot = domainName.indexOf('.');
  // Routed once `route` has found the method (parse declares the field, undefined until then).
  const routed = (inv as Partial<Routed>).method !== undefined ? (inv as Routed) : undefined;
  const ctx: Record<string, unknown> = {
    accountId: inv.accountId,
    apiId: inv.target.apiId,
    authorizer: (inv as Partial<Routed>).authorizer ?? {},
    domainName,
    domainPrefix: dot === -1 ? domainName : domainName.slice(0, dot),
    extendedRequestId: inv.extendedRequestId,
    httpMethod: inv.httpMethod,
    identity: identityOf(inv),
    // The raw path as the client sent it after the stage (`/stage//x/` stays so: recorded on AWS).
    // Through a custom domain: the path the client sent, base path included (LocalStack PR #12296, checked on AWS).
    path: inv.target.requestPath ?? `/${inv.target.stage}${inv.target.rawPath === '' ? '/' : inv.target.rawPath}`,
    protocol: inv.protocol,
    requestId: inv.requestId,
    requestTime: requestTime(inv.startedAt),
    requestTimeEpoch: inv.startedAt,
    stage: inv.target.stage,
    requestOverride: { header: {}, path: {}, querystring: {} },
    responseOverride: { header: {} },
  };
  if (routed) {
    ctx.deploymentId = routed.isCanaryRequest ? routed.stage.canary!.deploymentId : routed.stage.deploymentId;
    ctx.resourceId = routed.method.resource.id;
    ctx.resourcePath = routed.method.resource.path;
    // false on every request not sent to a canary, whether or not the stage has one (recorded on AWS for a stage
    // whose canary takes 0% of the traffic, where Gatehouse keeps no canary at all).
    ctx.isCanaryRequest = routed.isCanaryRequest;
  }
  if (error) {
    const message = (error as { messageIsNull?: boolean }).messageIsNull ? null : error.message;
    ctx.error = {
      message,
      messageString: JSON.stringify(message),
      responseType: error.responseType,
      validationErrorString: error.validationErrorString,
    };
  }
  return ctx;
}

/**
 * $context.domainName: the custom domain a request came through (set by the dispatcher), else the Host of a
 * host-style request, else (path style) the API's own execute-api host, as a client calling AWS would have used.
 */
function domainNameOf(inv: Invocation): string {
  const target = inv.target;
  if (target.domainName !== undefined) return target.domainName;
  const host = inv.headers.get('host') ?? '';
  if (target.style !== 'path') return host;
  const region = inv.stage?.region;
  return region === undefined ? host : `${target.apiId}.execute-api.${region}.amazonaws.com`;
}

export function contextOf(inv: Routed): Record<string, unknown> {
  return (inv.contextObject ??= buildContext(inv));
}

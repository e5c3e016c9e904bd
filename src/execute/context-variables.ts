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
  return {
    cognitoIdentityPoolId: null,
    accountId: null,
    cognitoIdentityId: null,
    caller: null,
    sourceIp: inv.sourceIp,
    principalOrgId: null,
    accessKey: null,
    cognitoAuthenticationType: null,
    cognitoAuthenticationProvider: null,
    userArn: null,
    userAgent: inv.headers.get('user-agent') ?? null,
    user: null,
    apiKey: null,
    apiKeyId: null,
  };
}

/** The request's $context; for invocations that failed before routing, only what is known. */
export function buildContext(inv: Invocation | Routed, error?: GatewayError): Record<string, unknown> {
  const host = inv.target.domainName ?? inv.headers.get('host') ?? '';
  const dot = host.indexOf('.');
  // Routed once `route` has found the method (parse declares the field, undefined until then).
  const routed = (inv as Partial<Routed>).method !== undefined ? (inv as Routed) : undefined;
  const ctx: Record<string, unknown> = {
    accountId: inv.accountId,
    apiId: inv.target.apiId,
    authorizer: {},
    domainName: host,
    domainPrefix: dot === -1 ? host : host.slice(0, dot),
    extendedRequestId: inv.extendedRequestId,
    httpMethod: inv.httpMethod,
    identity: identityOf(inv),
    // Through a custom domain: the path the client sent, base path included (LocalStack PR #12296, checked on AWS).
    path: inv.target.requestPath ?? `/${inv.target.stage}${inv.path === '/' ? '/' : inv.path}`,
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
    if (routed.stage.canary) ctx.isCanaryRequest = routed.isCanaryRequest;
  }
  if (error) {
    ctx.error = {
      message: error.message,
      messageString: JSON.stringify(error.message),
      responseType: error.responseType,
      validationErrorString: error.validationErrorString,
    };
  }
  return ctx;
}

export function contextOf(inv: Routed): Record<string, unknown> {
  return (inv.contextObject ??= buildContext(inv));
}

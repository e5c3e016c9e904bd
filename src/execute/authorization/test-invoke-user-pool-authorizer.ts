// TestInvokeAuthorizer for COGNITO_USER_POOLS authorizers: the authorizer as it is now, given the simulated
// request's headers; the same verification as a real request (./cognito-authorizer.ts). There is no method, so no
// authorizationScopes: only ID tokens pass ("You can't use this feature to test access tokens", AWS Knowledge
// Center, api-gateway-cognito-401-unauthorized). Answers clientStatus 200 with the token's `claims` (the
// TestInvokeAuthorizer response member for user pools), or 401, with the execution log and latency.
import type { Authorizer } from '../../store/entities.ts';
import { MultiMap } from '../headers.ts';
import { logTime } from '../test-invoke.ts';
import { GATEWAY_RESPONSE_TYPES, GatewayError } from '../responses/gateway-errors.ts';
import { userPoolToken } from './cognito-authorizer.ts';
import type { TestInvokeAuthorizerInput, TestInvokeAuthorizerOutput } from './test-invoke-authorizer.ts';

export async function testInvokeUserPoolAuthorizer(
  services: Record<string, unknown>,
  authorizer: Authorizer,
  now: Date,
  input: TestInvokeAuthorizerInput,
): Promise<TestInvokeAuthorizerOutput & { claims?: Record<string, string> }> {
  const requestId = crypto.randomUUID();
  const log: string[] = [`Starting authorizer: ${authorizer.id} for request: ${requestId}`];
  const headers = new MultiMap(true);
  for (const [k, v] of Object.entries(input.headers ?? {})) headers.set(k, v);
  for (const [k, vs] of Object.entries(input.multiValueHeaders ?? {})) headers.set(k, vs);
  const started = performance.now();
  let out: { clientStatus: number; claims?: Record<string, string> };
  try {
    const token = await userPoolToken(authorizer, services, headers, undefined, now.getTime(), input.stageVariables ?? {});
    log.push(`Authorizer result: token of ${token.iss} verified`);
    out = { clientStatus: 200, claims: { ...token.claims } };
  } catch (e) {
    if (!(e instanceof GatewayError)) throw e;
    if (e.logLine) log.push(e.logLine);
    log.push(GATEWAY_RESPONSE_TYPES[e.responseType].errorType);
    out = { clientStatus: e.status ?? GATEWAY_RESPONSE_TYPES[e.responseType].status };
  }
  const latency = Math.round(performance.now() - started);
  const at = logTime(now);
  return { ...out, log: [`Execution log for request ${requestId}`, ...log.map((l) => `${at} : ${l}`)].join('\n') + '\n', latency };
}

// Step 10, integration: calls the integration module of the method's type, once, wrapped with what every
// integration shares: the timeout (timeoutInMillis, default 29 s → 504), integration latency, the execution log.
import type { Integrated, IntegrationRequested, EndpointResponse } from '../invocation.ts';
import { javaMap, logBody } from '../execution-log.ts';
import { GatewayError, IntegrationTimeoutError, IntegrationFailureError } from '../responses/gateway-errors.ts';
import { PayloadTooLargeError } from '../responses/front-end.ts';
import { ClientDisconnectedError } from '../request-body.ts';

export function integration(inv: IntegrationRequested): void | Promise<void> {
  const module = inv.method.integration.module;
  // Date.now(): latency is reported in whole milliseconds, and performance.now() costs several times more per call
  // (its receiver check runs through node's error-hiding wrapper).
  const started = Date.now();
  if (inv.log && inv.method.integration.type !== 'MOCK' && module.logsEndpointRequest?.(inv.method.integration.uri) !== true) inv.log.push(`Sending request to ${inv.integrationRequest.uri}`);
  // tracingEnabled stages: the integration span, whose context HTTP backends receive (src/observe/tracing.ts).
  const span = inv.env.tracer?.startIntegration(inv);
  let result: Promise<EndpointResponse> | EndpointResponse;
  try {
    result = module.invoke(inv, inv.env, undefined);
  } catch (e) {
    span?.(undefined, e);
    throw asGatewayError(e);
  }
  if (!(result instanceof Promise)) return done(inv, result, started, span);
  const pending = module.handlesTimeout ? result : withTimeout(result, inv.method.integration.timeoutMs);
  return pending.then(
    (r) => done(inv, r, started, span),
    (e) => {
      span?.(undefined, e);
      throw asGatewayError(e);
    },
  );
}

function done(inv: IntegrationRequested, response: EndpointResponse, started: number, span: ((status: number) => void) | undefined): void {
  span?.(response.statusCode);
  const integrated = inv as Integrated;
  integrated.endpointResponse = response;
  integrated.integrationLatency = Math.max(0, Date.now() - started); // the wall clock may step back
  if (inv.log && inv.method.integration.type !== 'MOCK') {
    inv.log.push(`Received response. Status: ${response.statusCode}, Integration latency: ${integrated.integrationLatency} ms`);
    if (inv.logData !== false) {
      inv.log.push(`Endpoint response headers: ${javaMap(response.headers)}`);
      if (Buffer.isBuffer(response.body)) inv.log.push(`Endpoint response body before transformations: ${logBody(response.body)}`);
    }
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new IntegrationTimeoutError(undefined, { logLine: 'Execution failed due to a timeout error' })), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/** What the integration threw, as the answer it means (a body over the limit or a departed client pass as they are). */
function asGatewayError(e: unknown): Error {
  if (e instanceof GatewayError || e instanceof PayloadTooLargeError || e instanceof ClientDisconnectedError) return e;
  return new IntegrationFailureError('Internal server error', { logLine: `Execution failed: ${(e as Error)?.message ?? String(e)}` });
}

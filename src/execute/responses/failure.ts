// Turns whatever ended an invocation into the response AWS would give: a GatewayError becomes its gateway
// response (with the API's overrides once the deployment is known); anything else is a bug, its stack written to
// stderr (Gatehouse's own failure, shown at every --log-level), and answered like AWS answers its own internal
// failures. A GatewayError's execution-log line goes to the invocation's log when it keeps one; the process log's
// line for the request carries it as the 5xx's cause (src/observe/request-observer.ts), under --log-level.
import type { Invocation, Routed } from '../invocation.ts';
import { buildContext } from '../context-variables.ts';
import { mappingScope } from '../pipeline/bindings.ts';
import { GatewayError } from './gateway-errors.ts';
import { renderGatewayResponse, type RenderedResponse } from './gateway-response.ts';

export function renderFailure(inv: Invocation, err: unknown): RenderedResponse {
  let error: GatewayError;
  if (err instanceof GatewayError) error = err;
  else {
    process.stderr.write(`(${inv.requestId}) Execution failed due to an internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    error = new GatewayError('DEFAULT_5XX', 'Internal server error');
  }
  if (error.logLine && inv.log) inv.log.push(error.logLine);
  // Routed once `route` has found the method (parse declares the field, undefined until then).
  const routed = (inv as Partial<Routed>).method !== undefined ? (inv as Routed) : undefined;
  // Templates and mappings of gateway responses see $context.error.
  let ctx: Record<string, unknown> | undefined;
  const context = () => (ctx ??= buildContext(inv, error));
  const stageVariables = routed?.stageVariables ?? inv.stage?.variables ?? {};
  const rendered = renderGatewayResponse(error, inv.deployment?.gatewayResponses, {
    mapping: routed
      ? { ...mappingScope(routed, () => ''), context }
      : inv.stage
        ? { headers: inv.headers, query: inv.query, stageVariables, context }
        : undefined,
    bindings: () => ({
      body: '',
      params: { path: routed?.pathParameters ?? {}, querystring: inv.query, header: inv.headers },
      context: context(),
      stageVariables,
    }),
    accept: inv.headers.get('accept'),
  });
  rendered.headers.set('x-amzn-RequestId', inv.requestId);
  rendered.headers.set('x-amz-apigw-id', inv.extendedRequestId);
  return rendered;
}

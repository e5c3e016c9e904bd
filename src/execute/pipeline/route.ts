// Step 2, route: API and stage (else 403 Missing Authentication Token), canary or main deployment, resource by the
// most specific path match, method (an explicit verb wins over ANY), else 403 Missing Authentication Token.
import type { Invocation, Routed } from '../invocation.ts';
import type { StageRuntime } from '../stage-config.ts';
import { javaMap } from '../execution-log.ts';
import { ForbiddenError, MissingAuthenticationTokenError } from '../responses/gateway-errors.ts';

export function route(inv: Invocation): void | Promise<void> {
  // A custom domain path no base path mapping matches: AWS's 403 Forbidden.
  if (inv.target.style === 'domain' && inv.target.apiId === '') throw new ForbiddenError();
  const found = inv.env.stages.get(inv.target.apiId, inv.target.stage);
  if (found instanceof Promise) return found.then((stage) => routeIn(inv, stage));
  routeIn(inv, found);
}

function routeIn(inv: Invocation, stage: StageRuntime | null): void {
  if (!stage) throw new MissingAuthenticationTokenError();
  const canary = stage.canary !== undefined && Math.random() * 100 < stage.canary.percentTraffic;
  const deployment = canary ? stage.canary!.deployment : stage.deployment;
  inv.stage = stage;
  inv.deployment = deployment;
  // disableExecuteApiEndpoint closes the default endpoints only; custom domain names still serve the API.
  if (deployment.disableExecuteApiEndpoint && inv.target.style !== 'domain') throw new ForbiddenError();
  const match = deployment.router.match(inv.segments);
  if (!match) throw new MissingAuthenticationTokenError();
  const methods = match.value.methods;
  const method = methods.get(inv.httpMethod) ?? methods.get('ANY');
  if (!method) throw new MissingAuthenticationTokenError();
  const routed = inv as Routed;
  routed.method = method;
  routed.pathParameters = match.params;
  routed.stageVariables = canary ? stage.canary!.variables : stage.variables;
  routed.isCanaryRequest = canary;
  routed.contextObject = undefined;
  // Execution logging (INFO) collects the AWS-style log lines; they go to the process log (no CloudWatch here).
  if (routed.log === null && stage.infoLogging) {
    const setting = stage.methodSetting(method.resource.path, method.httpMethod);
    if (setting.loggingLevel === 'INFO') {
      routed.log = [];
      routed.logData = setting.dataTraceEnabled === true;
    }
  }
  if (routed.log) {
    routed.log.push(`HTTP Method: ${inv.httpMethod}, Resource Path: ${inv.path}`);
    if (routed.logData !== false) {
      routed.log.push(`Method request path: ${javaMap(match.params)}`, `Method request query string: ${javaMap(inv.query)}`, `Method request headers: ${javaMap(inv.headers)}`);
    }
  }
}

// What happens after an execute-api request is answered: its line in the process log (./request-log.ts), its access
// log entry in the stage's `accessLogSettings.destinationArn` group (./access-log.ts) and its execution log in
// `API-Gateway-Execution-Logs_{apiId}/{stage}` by the method's `loggingLevel` and `dataTraceEnabled`. Log events
// are only queued here (./logs/log-store.ts writes them in batches), so nothing here waits on disk.
import { randomBytes } from 'node:crypto';
import type { Invocation, IntegrationRequested, Integrated, Routed } from '../execute/invocation.ts';
import { GatewayError } from '../execute/responses/gateway-errors.ts';
import type { StageRuntime } from '../execute/stage-config.ts';
import type { MethodSetting } from '../store/entities.ts';
import type { LogStore } from './logs/log-store.ts';
import type { RequestLog } from './request-log.ts';
import { AccessLogFormat, type RequestOutcome } from './access-log.ts';

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

// Lines that carry request or response data: written only with dataTraceEnabled (AWS's "full request and response
// logs"); the rest is the INFO trace.
const DATA_LINE = /^(Method request (path|query string|headers|body)|Endpoint request (headers|body)|Endpoint response (headers|body)|Method response (headers|body)|Incoming identity)/;

export interface ObserverDeps {
  logs: LogStore;
  requestLog: RequestLog;
}

export class RequestObserver {
  private readonly deps: ObserverDeps;
  /** One stream per process and log group, named like AWS's (32 hex digits). */
  readonly streamName = randomBytes(16).toString('hex');

  constructor(deps: ObserverDeps) {
    this.deps = deps;
  }

  completed(inv: Invocation, status: number, failure: unknown, responseLength: number | undefined): void {
    const error = failure instanceof GatewayError ? failure : undefined;
    const endedAt = Date.now();
    const log = this.deps.requestLog;
    if (log.enabled(status >= 500 ? 'error' : 'info')) {
      log.request({
        method: inv.httpMethod,
        path: inv.target.requestPath ?? `/${inv.target.stage}${inv.target.rawPath}`,
        target: `${inv.target.apiId || '-'}/${inv.target.stage}`,
        status,
        latencyMs: Math.max(0, endedAt - inv.receivedAt),
        integrationLatencyMs: (inv as Partial<Integrated>).integrationLatency,
        requestId: inv.requestId,
        cause: status >= 500 ? causeOf(inv, failure, error) : undefined,
      });
    }
    const stage = inv.stage;
    if (!stage) return;
    if (stage.accessLog) {
      const outcome: RequestOutcome = { inv, status, error, responseLength, endedAt };
      this.deps.logs.append(stage.accessLog.region, stage.accessLog.group, this.streamName, [{ timestamp: inv.startedAt, message: stage.accessLog.format.render(outcome) }], false);
    }
    if (stage.executionLogging) this.executionLog(inv, stage, status, error);
  }

  private executionLog(inv: Invocation, stage: StageRuntime, status: number, error: GatewayError | undefined): void {
    const routed = inv as Partial<Routed>;
    const setting: MethodSetting = routed.method ? stage.methodSetting(routed.method.resource.path, routed.method.httpMethod) : stage.methodSetting('*', '*');
    let lines: string[];
    if (setting.loggingLevel === 'INFO' && inv.log) {
      lines = [`Extended Request Id: ${inv.extendedRequestId}`, `Starting execution for request: ${inv.requestId}`, ...inv.log];
      if (error) lines.push(`Method completed with status: ${status}`);
      if (!setting.dataTraceEnabled) lines = lines.filter((l) => !DATA_LINE.test(l));
    } else if ((setting.loggingLevel === 'INFO' || setting.loggingLevel === 'ERROR') && (error || status >= 500)) {
      lines = [`Extended Request Id: ${inv.extendedRequestId}`];
      if (error?.logLine) lines.push(error.logLine);
      lines.push(`Method completed with status: ${status}`);
    } else return;
    const prefix = `(${inv.requestId}) `;
    this.deps.logs.append(
      stage.region,
      `API-Gateway-Execution-Logs_${stage.apiId}/${stage.stageName}`,
      this.streamName,
      lines.map((l) => ({ timestamp: inv.startedAt, message: prefix + l })),
      true,
    );
  }
}

/** A 5xx's cause for the process log: the gateway's reason and the backend or function it concerns. */
function causeOf(inv: Invocation, failure: unknown, error: GatewayError | undefined): string | undefined {
  const uri = (inv as Partial<IntegrationRequested>).integrationRequest?.uri;
  const type = (inv as Partial<Routed>).method?.integration.type;
  const reason = error ? (error.logLine ?? `${error.responseType}: ${error.message}`) : failure instanceof Error ? failure.message : undefined;
  if (!reason && !uri) return undefined;
  return `${reason ?? 'failed'}${uri ? ` [${type ?? 'integration'} ${uri}]` : ''}`;
}

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
import { accessLogDestination, type AccessLogDestination, type RequestOutcome } from './access-log.ts';

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
  /** Each stage runtime's access log destination, compiled on its first request (null: no access logs). */
  private readonly accessLogs = new WeakMap<StageRuntime, AccessLogDestination | null>();

  constructor(deps: ObserverDeps) {
    this.deps = deps;
  }

  completed(inv: Invocation, status: number, failure: unknown, responseLength: number | undefined): void {
    const error = failure instanceof GatewayError ? failure : undefined;
    // Read only when a log line or entry takes it (a clock read is a noticeable part of a stage-cache hit).
    let endedAt: number | undefined;
    const log = this.deps.requestLog;
    if (log.enabled(status >= 500 ? 'error' : 'info')) {
      endedAt = Date.now();
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
    const accessLog = this.accessLogOf(stage);
    if (accessLog) {
      const outcome: RequestOutcome = { inv, status, error, responseLength, endedAt: endedAt ?? Date.now() };
      this.deps.logs.append(accessLog.region, accessLog.group, this.streamName, [{ timestamp: inv.startedAt, message: accessLog.format.render(outcome) }], false);
    }
    if (stage.executionLogging) this.executionLog(inv, stage, status, error);
  }

  private accessLogOf(stage: StageRuntime): AccessLogDestination | null {
    let destination = this.accessLogs.get(stage);
    if (destination === undefined) this.accessLogs.set(stage, (destination = accessLogDestination(stage.accessLogSettings) ?? null));
    return destination;
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

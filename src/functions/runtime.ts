// Runs one invocation of a resolved function version: concurrency admission (reserved concurrency, then the
// account's unreserved pool, as Lambda throttles), a warm environment or a cold start, the Lambda-shaped result
// (payload, X-Amz-Function-Error, the invocation's log with START/END/REPORT), and the function log.
import { randomBytes } from 'node:crypto';
import { ServiceException, TooManyRequestsException } from '../aws/errors.ts';
import type { InvocationResult, EnvironmentSpec, Outcome } from './environment.ts';
import { endLine, reportLine, tail, timedOutLine, type FunctionLogs } from './logs.ts';
import type { EnvironmentPool } from './pool.ts';
import { RuntimeUnavailableError } from './runtimes/node-versions.ts';
import type { FunctionRecord, VersionConfig } from './records.ts';
import type { FunctionMetrics, InvocationFacts } from '../observe/function-metrics.ts';
import type { Tracer } from '../observe/tracing.ts';

/** A function version ready to run, as resolved from a name and qualifier. */
export interface ResolvedTarget {
  region: string;
  fn: FunctionRecord;
  config: VersionConfig;
  /** '$LATEST' or the version number that runs (an alias resolves to one). */
  executedVersion: string;
  /** The ARN the caller invoked (qualified when a qualifier was given). */
  invokedArn: string;
  /** Absolute code directory (LAMBDA_TASK_ROOT). */
  taskRoot: string;
  /** Changes when a local-directory function's files change (hot reload). */
  codeGeneration: number;
  /** Sum of the reserved concurrency of every function in the region. */
  totalReserved: number;
}

export interface RunOptions {
  requestId: string;
  payload: Buffer;
  tailLog: boolean;
  clientContext?: string;
  traceId?: string;
}

export interface RunResult {
  payload: Buffer;
  functionError?: 'Unhandled';
  logResult?: string;
  executedVersion: string;
  outcome: Outcome['kind'];
  /** The REPORT line's duration (ms). */
  durationMs: number;
}

export interface RuntimeOptions {
  accountId: string;
  accountConcurrency: number;
  pool: EnvironmentPool;
  logs: FunctionLogs;
  now: () => Date;
  /** Why functions cannot run here (no sandbox and no --unsafe-functions); every invocation fails with it. */
  unavailable?: string;
  /** AWS/Lambda metrics (Invocations, Errors, Duration, Throttles, ConcurrentExecutions). */
  metrics?: FunctionMetrics;
  /** Function spans for invocations from traced API stages (a sampled X-Ray header); absent without a collector. */
  tracer?: Tracer;
}

export class FunctionRuntime {
  private readonly opts: RuntimeOptions;
  private readonly inFlight = new Map<string, number>();
  private unreservedInFlight = 0;

  constructor(opts: RuntimeOptions) {
    this.opts = opts;
  }

  async run(t: ResolvedTarget, o: RunOptions): Promise<RunResult> {
    if (this.opts.unavailable) throw new ServiceException(this.opts.unavailable);
    const fnKey = `${t.region}/${t.fn.name}`;
    const metrics = this.opts.metrics;
    let unreserved: boolean;
    try {
      unreserved = this.admit(t, fnKey);
    } catch (err) {
      metrics?.throttled(facts(t));
      throw err;
    }
    const concurrent = this.inFlight.get(fnKey) ?? 1;
    const span = this.opts.tracer?.startFunction(o.traceId, t.fn.name, t.executedVersion);
    try {
      const r = await this.runAdmitted(t, span ? { ...o, traceId: span.header } : o);
      metrics?.invoked(facts(t), r.functionError !== undefined, r.durationMs, concurrent);
      span?.end(r.functionError === undefined ? undefined : r.outcome);
      return r;
    } catch (err) {
      span?.end((err as Error).message ?? String(err));
      throw err;
    } finally {
      this.release(fnKey, unreserved);
    }
  }

  /** Takes a concurrency slot or throws Lambda's throttle; returns whether the slot is from the unreserved pool. */
  private admit(t: ResolvedTarget, fnKey: string): boolean {
    const reserved = t.fn.reservedConcurrency;
    const current = this.inFlight.get(fnKey) ?? 0;
    if (reserved !== undefined) {
      if (current >= reserved) {
        throw new TooManyRequestsException('Rate Exceeded.', 1, { Type: 'User', Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' });
      }
    } else if (this.unreservedInFlight >= this.opts.accountConcurrency - t.totalReserved) {
      throw new TooManyRequestsException('Rate Exceeded.', 1, { Type: 'User', Reason: 'ConcurrentInvocationLimitExceeded' });
    } else {
      this.unreservedInFlight++;
    }
    this.inFlight.set(fnKey, current + 1);
    return reserved === undefined;
  }

  private release(fnKey: string, unreserved: boolean): void {
    const n = (this.inFlight.get(fnKey) ?? 1) - 1;
    if (n) this.inFlight.set(fnKey, n);
    else this.inFlight.delete(fnKey);
    if (unreserved) this.unreservedInFlight--;
  }

  private async runAdmitted(t: ResolvedTarget, o: RunOptions): Promise<RunResult> {
    const spec = this.specOf(t);
    const pool = this.opts.pool;
    let env = pool.take(spec.key);
    try {
      env ??= await pool.create(spec, this.baseEnv(t, spec), (lines) => this.opts.logs.write(t.region, t.fn.name, lines));
    } catch (err) {
      // The runtime's interpreter cannot be had (a Node.js major not provisioned, no Python): said as it is.
      if (err instanceof RuntimeUnavailableError) throw new ServiceException(err.message);
      throw err;
    }
    let result: InvocationResult;
    try {
      result = await env.invoke({ requestId: o.requestId, payload: o.payload, invokedFunctionArn: t.invokedArn, clientContext: o.clientContext, traceId: o.traceId });
    } finally {
      pool.give(env);
    }
    return this.shape(t, spec, o, result);
  }

  private shape(t: ResolvedTarget, spec: EnvironmentSpec, o: RunOptions, r: InvocationResult): RunResult {
    const id = o.requestId;
    const log = r.log;
    const out = r.outcome;
    let payload: Buffer;
    let functionError: 'Unhandled' | undefined;
    let status: 'timeout' | 'error' | undefined;
    let errorType: string | undefined;
    switch (out.kind) {
      case 'response':
        payload = out.payload.length ? out.payload : Buffer.from('null');
        break;
      case 'error':
        payload = out.payload;
        functionError = 'Unhandled';
        if (out.errorType.startsWith('Runtime.') || out.errorType.startsWith('Function.')) {
          status = 'error';
          errorType = out.errorType;
        }
        break;
      case 'timeout':
        payload = Buffer.from(JSON.stringify({ errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${id} Error: Task timed out after ${out.seconds.toFixed(2)} seconds` }));
        functionError = 'Unhandled';
        status = 'timeout';
        log.push(timedOutLine(id, out.seconds, this.opts.now()));
        break;
      case 'crash':
        payload = Buffer.from(JSON.stringify({ errorType: out.errorType, errorMessage: `RequestId: ${id} Error: ${out.message}` }));
        functionError = 'Unhandled';
        status = 'error';
        errorType = out.errorType;
        log.push(`RequestId: ${id} Error: ${out.message}`, out.errorType);
        break;
    }
    if (!log.some((l) => l.startsWith('START RequestId: '))) log.unshift(`START RequestId: ${id} Version: ${spec.version}`);
    log.push(endLine(id));
    log.push(reportLine({ requestId: id, durationMs: r.durationMs, memorySizeMb: spec.memoryMb, maxMemoryUsedMb: r.maxMemoryUsedMb, initDurationMs: r.initDurationMs, status, errorType }));
    this.opts.logs.write(t.region, t.fn.name, log);
    return { payload, functionError, logResult: o.tailLog ? tail(log) : undefined, executedVersion: t.executedVersion, outcome: out.kind, durationMs: r.durationMs };
  }

  specOf(t: ResolvedTarget): EnvironmentSpec {
    const c = t.config;
    return {
      key: `${t.region}/${t.fn.name}/${c.Version}/${c.RevisionId}/${t.codeGeneration}`,
      region: t.region,
      functionName: t.fn.name,
      version: c.Version,
      runtime: c.Runtime,
      handler: c.Handler,
      memoryMb: c.MemorySize,
      timeoutSec: c.Timeout,
      taskRoot: t.taskRoot,
      userEnv: c.Environment?.Variables ?? {},
      logGroup: c.LoggingConfig.LogGroup,
    };
  }

  /**
   * Lambda's own variables for the function (the runtime adds PATH, LD_LIBRARY_PATH, NODE_PATH, AWS_EXECUTION_ENV,
   * LAMBDA_RUNTIME_DIR; the environment LAMBDA_TASK_ROOT and AWS_LAMBDA_RUNTIME_API). Nothing of Gatehouse's own
   * environment is passed on.
   */
  private baseEnv(t: ResolvedTarget, spec: EnvironmentSpec): Record<string, string> {
    const now = this.opts.now();
    const day = now.toISOString().slice(0, 10).replace(/-/g, '/');
    return {
      LANG: 'en_US.UTF-8',
      TZ: ':UTC',
      AWS_REGION: t.region,
      AWS_DEFAULT_REGION: t.region,
      AWS_LAMBDA_FUNCTION_NAME: spec.functionName,
      AWS_LAMBDA_FUNCTION_VERSION: spec.version,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMb),
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_LAMBDA_LOG_GROUP_NAME: spec.logGroup,
      AWS_LAMBDA_LOG_STREAM_NAME: `${day}/[${spec.version}]${randomBytes(16).toString('hex')}`,
      _HANDLER: spec.handler,
    };
  }
}

/** The invocation as metrics name it: the qualifier from the invoked ARN (`…:function:name:qualifier`). */
function facts(t: ResolvedTarget): InvocationFacts {
  const parts = t.invokedArn.split(':');
  return { region: t.region, functionName: t.fn.name, qualifier: parts.length > 7 ? parts[7] : undefined, executedVersion: t.executedVersion };
}

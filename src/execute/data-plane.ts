// The data plane's entry point, as the server sees it: parse the request, run the invocation pipeline
// (./pipeline/index.ts), write the method response, or render the gateway response of whatever ended it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Store } from '../store/store.ts';
import type { Services } from '../aws/operation.ts';
import { parse } from './pipeline/parse.ts';
import { runPipelineThen } from './pipeline/index.ts';
import type { IdentityDirectory } from '../identity/directory.ts';
import type { SourceNetworks } from './authorization/networks.ts';
import type { ExecuteEnv, Invocation, Responded } from './invocation.ts';
import { StageDirectory } from './stage-config.ts';
import { ApiKeyDirectory } from './authorization/api-key-directory.ts';
import { createTraffic, type Traffic } from '../traffic/traffic.ts';
import { Upstreams } from './integrations/upstreams.ts';
import { renderFailure } from './responses/failure.ts';
import { writeCachedHit, writeFlat, writeResponse } from './responses/write.ts';
import { WiredResponse } from './pipeline/method-response.ts';
import { ConfigurationError } from './responses/gateway-errors.ts';
import { MAX_PAYLOAD_BYTES, PayloadTooLargeError, payloadTooLargeResponse } from './responses/front-end.ts';
import { ClientDisconnectedError } from './request-body.ts';
import { testInvoke, type TestInvokeInput, type TestInvokeOutput } from './test-invoke.ts';
import { LambdaAuthorizers } from './authorization/lambda-authorizer.ts';
import { CachedMethodResponse } from './responses/cached-method-response.ts';
import type { ResponseCache } from '../cache/response-cache.ts';
import { MemoryResponseCache } from '../cache/memory-response-cache.ts';
import { CacheSealer } from '../cache/encryption.ts';
import type { ApiMetrics } from '../observe/request-metrics.ts';
import type { Tracer } from '../observe/tracing.ts';

/** Where an execute-api request goes, as the dispatcher resolved it from the Host or the path. */
export interface ExecuteTarget {
  apiId: string;
  stage: string;
  /** The raw (still percent-encoded) resource path after the stage, starting with '/'. */
  rawPath: string;
  /** The raw query string without '?', '' when none. */
  rawQuery: string;
  /**
   * 'host': {apiId}.execute-api.* ; 'path': /restapis/{apiId}/{stage}/_user_request_/... ; 'domain': a custom domain
   * name, routed by its base path mappings (./custom-domains.ts), apiId '' when no mapping matched.
   */
  style: 'host' | 'path' | 'domain';
  /** Custom domains: the path as the client sent it, base path included ($context.path, the proxy event's path). */
  requestPath?: string;
  /** Custom domains: the domain name (the Host without port), $context.domainName. */
  domainName?: string;
}

export interface DataPlaneDeps {
  store: Store;
  accountId: string;
  now: () => Date;
  /** `now` in epoch milliseconds; derived from `now` when absent (Date.now when `now` is the real clock). */
  nowMs?: () => number;
  services: Services;
  /** Throttling, quotas and usage; absent: in-memory counters with AWS's default account limit. */
  traffic?: Traffic;
  /** Where debug lines go (clients that disconnect before their answer); off when absent. */
  debug?: (line: string) => void;
  identities?: IdentityDirectory;
  networks?: SourceNetworks;
  /** The stage caches' adapter; in-process (on the same clock) when absent. */
  responseCache?: ResponseCache;
  /** AWS/ApiGateway metrics and Prometheus counters, one record per answered request; none when absent. */
  metrics?: ApiMetrics;
  /** Spans of tracingEnabled stages; absent when no OTLP collector is configured. */
  tracer?: Tracer;
  /**
   * Called once a request is answered (status, what failed it, body bytes when known): the process log line,
   * access and execution logs (src/observe/request-observer.ts). Absent: nothing is logged.
   */
  completed?: (inv: Invocation, status: number, failure: unknown, responseLength: number | undefined) => void;
}

export interface DataPlane {
  handle(req: IncomingMessage, res: ServerResponse, target: ExecuteTarget): void | Promise<void>;
  /** TestInvokeMethod on the current API; `db` is the caller's region-scoped store (OperationContext.db). */
  testInvoke(db: Store, input: TestInvokeInput): Promise<TestInvokeOutput>;
  /** FlushStageCache, and a stage whose cache was disabled, resized or deleted: drops every entry of the stage. */
  flushStageCache(apiId: string, stageName: string): void | Promise<void>;
  close(): Promise<void>;
}

export function createExecuteEnv(deps: DataPlaneDeps): ExecuteEnv {
  const nowMs = deps.nowMs ?? (() => deps.now().getTime());
  // Lambda authorizers' result cache lives as long as the process (FlushStageAuthorizersCache reaches it here).
  deps.services.lambdaAuthorizers ??= new LambdaAuthorizers(deps.store, deps.accountId, deps.services, deps.now);
  return {
    accountId: deps.accountId,
    services: deps.services,
    upstreams: new Upstreams(),
    stages: new StageDirectory(deps.store),
    apiKeys: new ApiKeyDirectory(deps.store),
    ...(deps.identities ? { identities: deps.identities } : {}),
    ...(deps.networks ? { networks: deps.networks } : {}),
    traffic: deps.traffic ?? createTraffic(),
    responseCache: deps.responseCache ?? new MemoryResponseCache({ now: nowMs }),
    cacheSealer: new CacheSealer(),
    ...(deps.tracer ? { tracer: deps.tracer } : {}),
    now: deps.now,
    nowMs,
    wallClock: nowMs === Date.now,
  };
}

export function createDataPlane(deps: DataPlaneDeps): DataPlane {
  const env = createExecuteEnv(deps);
  const metrics = deps.metrics;
  const tracer = deps.tracer;

  /**
   * A client that went away (mid-body, or while the integration ran) is not a failure of the gateway: one debug
   * line, no gateway response, no stack trace.
   */
  function clientGone(inv: Invocation, err: unknown, res: ServerResponse): boolean {
    if (!(err instanceof ClientDisconnectedError) && !res.destroyed && !res.socket?.destroyed) return false;
    deps.debug?.(`(${inv.requestId}) client disconnected before the response`);
    res.destroy();
    return true;
  }

  const completed = deps.completed;

  function finish(inv: Invocation, res: ServerResponse): void | Promise<void> {
    const mr = (inv as Responded).methodResponse;
    let written: void | Promise<void> = undefined;
    try {
      if (mr instanceof WiredResponse) written = writeFlat(res, mr.statusCode, mr.wireHeaders, mr.contentLength, mr.body);
      else if (mr instanceof CachedMethodResponse && !mr.mapped) writeCachedHit(res, mr);
      else written = writeResponse(res, mr.statusCode, mr.headers, mr.body);
    } catch (err) {
      // node refuses header values a mapping produced (control characters): a configuration error, as on AWS.
      return fail(inv, new ConfigurationError(`Invalid method response: ${(err as Error).message}`), res);
    }
    // Counted once its headers are out (a response node refused is counted as the 500 that replaced it).
    metrics?.record(inv, mr.statusCode, env.nowMs());
    tracer?.requestEnded(inv, mr.statusCode);
    completed?.(inv, mr.statusCode, undefined, mr instanceof WiredResponse && mr.contentLength !== undefined ? Number(mr.contentLength) : bodyLength(mr.body));
    return written;
  }

  function fail(inv: Invocation, err: unknown, res: ServerResponse): void {
    if (err instanceof PayloadTooLargeError) {
      completed?.(inv, 413, err, undefined);
      return tooLarge(inv.req, res, inv.body.overflowed ? MAX_PAYLOAD_BYTES : 0);
    }
    if (clientGone(inv, err, res)) return;
    const rendered = renderFailure(inv, err);
    metrics?.record(inv, rendered.statusCode, env.nowMs());
    tracer?.requestEnded(inv, rendered.statusCode);
    completed?.(inv, rendered.statusCode, err, bodyLength(rendered.body));
    if (res.headersSent) {
      res.destroy();
      return;
    }
    writeResponse(res, rendered.statusCode, rendered.headers, rendered.body);
  }

  /** `received`: how much of the body was read before it was refused. */
  function tooLarge(req: IncomingMessage | undefined, res: ServerResponse, received: number): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const r = payloadTooLargeResponse();
    discardRest(req, res, received);
    writeResponse(res, r.statusCode, r.headers, r.body);
  }

  return {
    handle(req, res, target) {
      const inv = parse(
        {
          httpMethod: req.method ?? 'GET',
          target,
          rawHeaders: req.rawHeaders,
          body: req,
          sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
          localPort: req.socket.localPort ?? 0,
          protocol: req.httpVersion === '1.1' ? 'HTTP/1.1' : `HTTP/${req.httpVersion}`,
          req,
        },
        env,
      );
      if (inv.body.tooLarge) {
        completed?.(inv, 413, undefined, undefined);
        return tooLarge(req, res, 0);
      }
      return runPipelineThen(inv, res, finish, fail);
    },
    testInvoke(db, input) {
      return testInvoke(env, db, input);
    },
    flushStageCache(apiId, stageName) {
      return env.responseCache.flush(`${apiId}/${stageName}`);
    },
    async close() {
      env.stages.close();
      env.apiKeys.close();
      await env.responseCache.close();
      await env.upstreams.close();
    },
  };
}

/** How much of a refused body is read and thrown away after the 413 (see discardRest). */
const DISCARD_BYTES = 2 * MAX_PAYLOAD_BYTES;

/**
 * After a 413 the rest of the body is read and thrown away, up to twice the payload limit in all, so that a
 * client still sending reads the answer rather than a connection reset, and may keep its connection; a body
 * declared or sent past that is cut off.
 */
function discardRest(req: IncomingMessage | undefined, res: ServerResponse, received: number): void {
  if (!req || req.complete) return;
  if (Number(req.headers['content-length']) > DISCARD_BYTES) {
    res.shouldKeepAlive = false;
    return;
  }
  let left = DISCARD_BYTES - received;
  req.on('data', (chunk: Buffer) => {
    left -= chunk.length;
    if (left < 0) req.socket.destroy();
  });
  req.resume();
}

/** A response body's length in bytes, when it is not a stream. */
function bodyLength(body: unknown): number | undefined {
  if (typeof body === 'string') return Buffer.byteLength(body);
  if (Buffer.isBuffer(body) || body instanceof Uint8Array) return body.length;
  return undefined;
}

// OpenTelemetry spans for stages with `tracingEnabled` (API Gateway's X-Ray setting), exported by ./otlp-exporter.ts:
//   gateway      SERVER   the whole request, from arrival to the response (`{VERB} {resource path}`)
//   authorizer   INTERNAL a Lambda or Cognito authorizer's decision (cache hits included)
//   integration  CLIENT   the integration call (`{type} {verb} {uri}` for HTTP, the function for Lambda)
//   function     SERVER   the function's invocation in the embedded runtime (src/functions/runtime.ts)
// The trace id is the request's X-Ray Root (`1-{8 hex}-{24 hex}` is an OpenTelemetry trace id written another way,
// the convention AWS's OpenTelemetry distribution uses), or the client's W3C `traceparent` trace when it sent one;
// the gateway span's parent is the client's span (traceparent's, else X-Amzn-Trace-Id's Parent). Backends receive
// `traceparent: 00-{trace}-{integration span}-01` and `X-Amzn-Trace-Id: Root=…;Parent={integration span};Sampled=1`
// (as X-Ray active tracing sends its segment id); functions receive the same X-Ray header as `_X_AMZN_TRACE_ID` with
// the function span as Parent, so spans a function makes are children of it.
//
// Nothing here runs for stages without tracingEnabled beyond one property read. Per traced request the state lives in
// a WeakMap keyed by the invocation (the Invocation's shape stays as parse declares it).
import { randomFillSync } from 'node:crypto';
import type { Invocation, IntegrationRequested, Routed } from '../execute/invocation.ts';
import { OtlpExporter, SpanKind, StatusCode } from './otlp-exporter.ts';

interface RequestTrace {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  /** The integration span while it runs (its id is the backend's parent). */
  integrationSpanId: string | undefined;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;
const X_RAY_ROOT = /Root=1-([0-9a-f]{8})-([0-9a-f]{24})/;
const X_RAY_PARENT = /Parent=([0-9a-f]{16})/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

// Span ids come from a pool of random bytes refilled 512 ids at a time: randomBytes(8) per id costs about 3 µs.
const pool = Buffer.alloc(8 * 512);
let poolOffset = pool.length;

/** 8 random bytes as 16 hex digits, never all zeros (an invalid span id). */
export function newSpanId(): string {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const id = pool.toString('hex', poolOffset, (poolOffset += 8));
  return id === ZERO_SPAN ? newSpanId() : id;
}

export class Tracer {
  readonly exporter: OtlpExporter;
  readonly #now: () => number;
  readonly #traces = new WeakMap<Invocation, RequestTrace>();

  constructor(exporter: OtlpExporter, now: () => number = Date.now) {
    this.exporter = exporter;
    this.#now = now;
  }

  /** The request's trace when its stage is traced (created on first use). */
  traceOf(inv: Invocation): RequestTrace | undefined {
    if (inv.stage?.tracingEnabled !== true) return undefined;
    let t = this.#traces.get(inv);
    if (t === undefined) {
      t = contextOf(inv);
      this.#traces.set(inv, t);
    }
    return t;
  }

  /** Runs an authorizer step inside an authorizer span. */
  authorizer<R>(inv: Routed, run: () => R): R {
    const t = this.traceOf(inv);
    if (t === undefined) return run();
    const start = this.#now();
    const spanId = newSpanId();
    const end = (err?: unknown) =>
      this.exporter.export({
        traceId: t.traceId,
        spanId,
        parentSpanId: t.spanId,
        name: `authorizer ${inv.method.authorizer?.name ?? inv.method.authorizationType}`,
        kind: SpanKind.INTERNAL,
        startMs: start,
        endMs: this.#now(),
        attributes: { 'aws.api_gateway.authorizer.type': inv.method.authorizationType, 'aws.api_gateway.authorizer.id': inv.method.authorizer?.id },
        status: err === undefined ? StatusCode.OK : StatusCode.ERROR,
        statusMessage: err === undefined ? undefined : (err as Error).message ?? String(err),
      });
    let r: R;
    try {
      r = run();
    } catch (err) {
      end(err);
      throw err;
    }
    if (r instanceof Promise) {
      return r.then(
        (v) => {
          end();
          return v;
        },
        (err) => {
          end(err);
          throw err;
        },
      ) as R;
    }
    end();
    return r;
  }

  /**
   * Starts the integration span and puts its context on the endpoint request (HTTP backends); returns what ends it,
   * or undefined when the stage is not traced.
   */
  startIntegration(inv: IntegrationRequested): ((statusCode: number | undefined, err?: unknown) => void) | undefined {
    const t = this.traceOf(inv);
    if (t === undefined) return undefined;
    const start = this.#now();
    const spanId = newSpanId();
    t.integrationSpanId = spanId;
    const integration = inv.method.integration;
    const http = integration.type === 'HTTP' || integration.type === 'HTTP_PROXY';
    if (http) propagate(inv, t.traceId, spanId);
    return (statusCode, err) => {
      this.exporter.export({
        traceId: t.traceId,
        spanId,
        parentSpanId: t.spanId,
        name: `integration ${integration.type}`,
        kind: SpanKind.CLIENT,
        startMs: start,
        endMs: this.#now(),
        attributes: {
          'aws.api_gateway.integration.type': integration.type,
          'http.request.method': http ? inv.integrationRequest.httpMethod : undefined,
          'url.full': http ? inv.integrationRequest.uri : undefined,
          'http.response.status_code': statusCode,
        },
        status: err === undefined ? StatusCode.UNSET : StatusCode.ERROR,
        statusMessage: err === undefined ? undefined : (err as Error).message ?? String(err),
      });
    };
  }

  /**
   * The X-Ray header a Lambda integration passes to the function (its `_X_AMZN_TRACE_ID`): the integration span as
   * Parent, sampled. Undefined when the stage is not traced (the function then gets the request's trace as before).
   */
  functionTraceHeader(inv: Invocation): string | undefined {
    const t = this.traceOf(inv);
    if (t === undefined || t.integrationSpanId === undefined) return undefined;
    return xRayHeader(t.traceId, t.integrationSpanId);
  }

  /** The gateway span, once the response (or gateway response) is written. */
  requestEnded(inv: Invocation, statusCode: number): void {
    const t = this.traceOf(inv);
    if (t === undefined) return;
    const routed = inv as Partial<Routed>;
    const resource = routed.method?.resource.path;
    this.exporter.export({
      traceId: t.traceId,
      spanId: t.spanId,
      parentSpanId: t.parentSpanId,
      name: resource !== undefined ? `${inv.httpMethod} ${resource}` : inv.httpMethod,
      kind: SpanKind.SERVER,
      startMs: inv.startedAt,
      endMs: this.#now(),
      attributes: {
        'http.request.method': inv.httpMethod,
        'url.path': inv.target.rawPath,
        'http.route': resource,
        'http.response.status_code': statusCode,
        'aws.api_gateway.api_id': inv.target.apiId,
        'aws.api_gateway.stage': inv.target.stage,
        'aws.request_id': inv.requestId,
        'client.address': inv.sourceIp,
      },
      status: statusCode >= 500 ? StatusCode.ERROR : StatusCode.UNSET,
    });
  }

  /** A function invocation's span, when its caller passed a sampled X-Ray header (a traced stage's integration). */
  startFunction(traceHeader: string | undefined, functionName: string, version: string): { header: string; end: (error: string | undefined) => void } | undefined {
    if (traceHeader === undefined || !traceHeader.includes('Sampled=1')) return undefined;
    const root = X_RAY_ROOT.exec(traceHeader);
    const parent = X_RAY_PARENT.exec(traceHeader);
    if (!root || !parent) return undefined;
    const traceId = root[1]! + root[2]!;
    const spanId = newSpanId();
    const start = this.#now();
    return {
      header: xRayHeader(traceId, spanId),
      end: (error) =>
        this.exporter.export({
          traceId,
          spanId,
          parentSpanId: parent[1],
          name: functionName,
          kind: SpanKind.SERVER,
          startMs: start,
          endMs: this.#now(),
          attributes: { 'faas.name': functionName, 'faas.version': version },
          status: error === undefined ? StatusCode.UNSET : StatusCode.ERROR,
          statusMessage: error,
        }),
    };
  }
}

/** The trace a request continues: the client's W3C trace when valid, else its X-Ray Root (and Parent). */
function contextOf(inv: Invocation): RequestTrace {
  const tp = TRACEPARENT.exec(inv.headers.get('traceparent') ?? '');
  if (tp && tp[1] !== ZERO_TRACE && tp[2] !== ZERO_SPAN) {
    return { traceId: tp[1]!, spanId: newSpanId(), parentSpanId: tp[2], integrationSpanId: undefined };
  }
  const root = X_RAY_ROOT.exec(inv.traceId)!;
  // The client's Parent only: parse generates one when the client sent none, which names no span.
  const sent = X_RAY_PARENT.exec(inv.headers.get('x-amzn-trace-id') ?? '');
  return { traceId: root[1]! + root[2]!, spanId: newSpanId(), parentSpanId: sent?.[1], integrationSpanId: undefined };
}

function xRayHeader(traceId: string, parentSpanId: string): string {
  return `Root=1-${traceId.slice(0, 8)}-${traceId.slice(8)};Parent=${parentSpanId};Sampled=1`;
}

/**
 * Puts traceparent and the X-Ray header on the endpoint request, replacing what the client's request carried (a
 * client's tracestate passes unchanged, as W3C Trace Context asks of intermediaries).
 */
function propagate(inv: IntegrationRequested, traceId: string, spanId: string): void {
  const traceparent = `00-${traceId}-${spanId}-01`;
  const xray = xRayHeader(traceId, spanId);
  const request = inv.integrationRequest;
  const wire = request.wireHeaders;
  if (wire !== undefined) {
    for (let i = wire.length - 2; i >= 0; i -= 2) {
      const name = wire[i]!.toLowerCase();
      if (name === 'traceparent' || name === 'x-amzn-trace-id') wire.splice(i, 2);
    }
    wire.push('traceparent', traceparent, 'X-Amzn-Trace-Id', xray);
    return;
  }
  request.headers.set('traceparent', traceparent, 'traceparent');
  request.headers.set('X-Amzn-Trace-Id', xray, 'x-amzn-trace-id');
}

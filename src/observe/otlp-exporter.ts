// Sends finished spans to an OpenTelemetry collector as OTLP/HTTP JSON (POST {endpoint}/v1/traces), batched and
// bounded so that tracing never blocks or slows a request: spans are queued (at most MAX_QUEUE; beyond it new spans
// are dropped and counted), sent MAX_BATCH at a time, one request in flight, every FLUSH_MS or as soon as a batch is
// full. A collector that is down or slow loses spans, never requests; one WARN line per failure streak says so.
// The wire shape is the OTLP protobuf's canonical JSON mapping (trace and span ids in hex, nanosecond times as
// decimal strings, enums as numbers), which OTLP/HTTP receivers accept with Content-Type application/json.

import { request } from 'undici';

export const MAX_QUEUE = 8192;
export const MAX_BATCH = 512;
export const FLUSH_MS = 1000;
const EXPORT_TIMEOUT_MS = 10_000;

/** Span kinds as OTLP numbers them. */
export const SpanKind = { INTERNAL: 1, SERVER: 2, CLIENT: 3 } as const;
/** Status codes as OTLP numbers them. */
export const StatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const;

export type AttributeValue = string | number | boolean;

export interface FinishedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  /** Epoch nanoseconds, as bigint-free decimal strings are built from milliseconds and a sub-millisecond part. */
  startMs: number;
  endMs: number;
  attributes: Record<string, AttributeValue | undefined>;
  status: number;
  statusMessage?: string;
}

export interface OtlpExporterOptions {
  /** The traces URL (…/v1/traces). */
  url: string;
  serviceName?: string;
  warn?: (line: string) => void;
  /** Test seam: how a batch is posted. */
  post?: (url: string, body: string) => Promise<number>;
}

export class OtlpExporter {
  readonly url: string;
  readonly #serviceName: string;
  readonly #warn: (line: string) => void;
  readonly #post: (url: string, body: string) => Promise<number>;
  #queue: FinishedSpan[] = [];
  #inFlight: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #failing = false;
  /** Spans dropped because the queue was full. */
  dropped = 0;
  /** Spans a collector accepted (2xx). */
  exported = 0;

  constructor(opts: OtlpExporterOptions) {
    this.url = opts.url;
    this.#serviceName = opts.serviceName ?? 'gatehouse';
    this.#warn = opts.warn ?? ((l) => void process.stderr.write(`${l}\n`));
    this.#post = opts.post ?? postJson;
  }

  /** Queues a finished span: O(1), no I/O on the caller's turn. */
  export(span: FinishedSpan): void {
    if (this.#queue.length >= MAX_QUEUE) {
      this.dropped++;
      return;
    }
    this.#queue.push(span);
    if (this.#queue.length >= MAX_BATCH) this.#sendSoon(0);
    else this.#sendSoon(FLUSH_MS);
  }

  #sendSoon(ms: number): void {
    if (this.#timer !== undefined) {
      if (ms > 0) return;
      clearTimeout(this.#timer);
    }
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#send();
    }, ms);
    this.#timer.unref();
  }

  async #send(): Promise<void> {
    if (this.#inFlight) return;
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, MAX_BATCH);
      this.#inFlight = this.#post(this.url, this.#encode(batch)).then(
        (status) => {
          if (status >= 200 && status < 300) {
            this.exported += batch.length;
            this.#failing = false;
          } else this.#failed(`the collector answered ${status}`, batch.length);
        },
        (err: Error) => this.#failed(err.message, batch.length),
      );
      await this.#inFlight;
      this.#inFlight = undefined;
    }
  }

  #failed(why: string, spans: number): void {
    if (!this.#failing) this.#warn(`WARN tracing: ${spans} span(s) not exported to ${this.url}: ${why} (further failures are not reported until an export succeeds)`);
    this.#failing = true;
  }

  /** Sends everything queued now and waits for it (tests, shutdown). */
  async flush(): Promise<void> {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#inFlight) await this.#inFlight;
    await this.#send();
  }

  async close(): Promise<void> {
    await this.flush();
  }

  /** The batch as JSON text, written directly (no intermediate objects: this runs on the server's event loop). */
  #encode(spans: FinishedSpan[]): string {
    let out = `{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":${JSON.stringify(this.#serviceName)}}}]},"scopeSpans":[{"scope":{"name":"gatehouse"},"spans":[`;
    for (let i = 0; i < spans.length; i++) {
      if (i > 0) out += ',';
      out += encodeSpan(spans[i]!);
    }
    return `${out}]}]}]}`;
  }
}

function encodeSpan(s: FinishedSpan): string {
  // Ids are hex made here (never user text); names, attribute keys and values are escaped by JSON.stringify.
  let out = `{"traceId":"${s.traceId}","spanId":"${s.spanId}",`;
  if (s.parentSpanId) out += `"parentSpanId":"${s.parentSpanId}",`;
  out += `"name":${JSON.stringify(s.name)},"kind":${s.kind},"startTimeUnixNano":"${nanos(s.startMs)}","endTimeUnixNano":"${nanos(Math.max(s.startMs, s.endMs))}","attributes":[`;
  let first = true;
  for (const key in s.attributes) {
    const v = s.attributes[key];
    if (v === undefined) continue;
    out += `${first ? '' : ','}{"key":${JSON.stringify(key)},"value":`;
    first = false;
    if (typeof v === 'string') out += `{"stringValue":${JSON.stringify(v)}}}`;
    else if (typeof v === 'boolean') out += `{"boolValue":${v}}}`;
    else if (Number.isInteger(v)) out += `{"intValue":"${v}"}}`;
    else out += `{"doubleValue":${Number.isFinite(v) ? v : 0}}}`;
  }
  out += `],"status":{"code":${s.status}`;
  if (s.statusMessage) out += `,"message":${JSON.stringify(s.statusMessage)}`;
  return `${out}}}`;
}

/** Epoch milliseconds (fractional) as a decimal string of nanoseconds, exact to the microsecond. */
function nanos(ms: number): string {
  const whole = Math.floor(ms);
  const micros = Math.round((ms - whole) * 1000);
  return `${whole}${String(micros).padStart(3, '0')}000`;
}

/** One POST on undici's keep-alive pool (lighter than fetch, which the exporter would pay per batch). */
async function postJson(url: string, body: string): Promise<number> {
  const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, headersTimeout: EXPORT_TIMEOUT_MS, bodyTimeout: EXPORT_TIMEOUT_MS });
  await res.body.dump();
  return res.statusCode;
}

/**
 * The traces URL from OpenTelemetry's environment variables: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as it is, else
 * OTEL_EXPORTER_OTLP_ENDPOINT with `/v1/traces` appended (the OTLP exporter specification's rule).
 */
export function tracesUrlFromEnv(env: NodeJS.ProcessEnv): { url: string; source: string } | undefined {
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return { url: env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, source: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' };
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT) return { url: `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`, source: 'OTEL_EXPORTER_OTLP_ENDPOINT' };
  return undefined;
}

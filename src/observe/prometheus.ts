// What `/_gatehouse/metrics` serves, in Prometheus's text exposition format (prom-client's registry): requests by
// API, stage and status class, their latency and integration latency, stage-cache results, function invocations by
// outcome and their duration, and prom-client's process metrics (CPU, memory, event-loop lag, handles). One registry
// per Gatehouse (tests run several in a process).
//
// The request path does not call prom-client: its labelled children hash their labels on every call (about 3.7 µs a
// request for the four series here). Instead the hot path adds to plain tallies (`RequestTally`, `FunctionTally`),
// held with the request's metric series (./request-metrics.ts, ./function-metrics.ts), and the registry reads them
// when scraped, through collector objects in the shape prom-client's registry renders.
import { collectDefaultMetrics, Registry, type Metric } from 'prom-client';

/** Seconds: API Gateway's integration timeout tops at 29 s; a function may run 15 minutes. */
const REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 29];
const FUNCTION_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900];

type Labels = Record<string, string>;

/** A histogram's counts per bucket (not cumulative; the last slot is +Inf), sum and count. */
export class HistogramTally {
  readonly bounds: readonly number[];
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  constructor(bounds: readonly number[]) {
    this.bounds = bounds;
    this.counts = new Float64Array(bounds.length + 1);
  }
  observe(v: number): void {
    this.sum += v;
    this.count++;
    const b = this.bounds;
    let i = 0;
    while (i < b.length && v > b[i]!) i++;
    this.counts[i]!++;
  }
  reset(): void {
    this.counts.fill(0);
    this.sum = 0;
    this.count = 0;
  }
}

/** One API stage's requests. */
export class RequestTally {
  readonly labels: Labels;
  /** Responses by status class: index = status / 100 (1..5). */
  readonly byClass = new Float64Array(6);
  readonly latency = new HistogramTally(REQUEST_BUCKETS);
  readonly integration = new HistogramTally(REQUEST_BUCKETS);
  cacheHits = 0;
  cacheMisses = 0;
  constructor(labels: Labels) {
    this.labels = labels;
  }
}

/** One function's invocations. */
export class FunctionTally {
  readonly labels: Labels;
  success = 0;
  error = 0;
  throttled = 0;
  readonly duration = new HistogramTally(FUNCTION_BUCKETS);
  constructor(labels: Labels) {
    this.labels = labels;
  }
}

interface Sample {
  labels: Labels;
  value: number;
  metricName?: string;
}

export class PrometheusMetrics {
  readonly registry = new Registry();
  readonly #requests = new Map<string, RequestTally>();
  readonly #functions = new Map<string, FunctionTally>();

  constructor() {
    const requests = () => this.#requests.values();
    const functions = () => this.#functions.values();
    this.#collector('gatehouse_api_requests_total', 'Requests to deployed APIs, by API, stage and status class (1xx to 5xx)', 'counter', () =>
      [...requests()].flatMap((t) => [1, 2, 3, 4, 5].filter((c) => t.byClass[c]! > 0).map((c) => ({ labels: { ...t.labels, status_class: `${c}xx` }, value: t.byClass[c]! }))),
    );
    this.#collector('gatehouse_api_request_duration_seconds', 'Time from a request arriving to its response (API Gateway Latency)', 'histogram', () =>
      [...requests()].flatMap((t) => histogramSamples('gatehouse_api_request_duration_seconds', t.labels, t.latency)),
    );
    this.#collector('gatehouse_api_integration_duration_seconds', 'Time spent in the integration (API Gateway IntegrationLatency)', 'histogram', () =>
      [...requests()].filter((t) => t.integration.count > 0).flatMap((t) => histogramSamples('gatehouse_api_integration_duration_seconds', t.labels, t.integration)),
    );
    this.#collector('gatehouse_api_cache_requests_total', 'Requests that consulted a stage cache, by result (hit, miss)', 'counter', () =>
      [...requests()].filter((t) => t.cacheHits + t.cacheMisses > 0).flatMap((t) => [
        { labels: { ...t.labels, result: 'hit' }, value: t.cacheHits },
        { labels: { ...t.labels, result: 'miss' }, value: t.cacheMisses },
      ]),
    );
    this.#collector('gatehouse_function_invocations_total', 'Function invocations by outcome (success, error, throttled)', 'counter', () =>
      [...functions()].flatMap((t) => [
        { labels: { ...t.labels, outcome: 'success' }, value: t.success },
        { labels: { ...t.labels, outcome: 'error' }, value: t.error },
        { labels: { ...t.labels, outcome: 'throttled' }, value: t.throttled },
      ]),
    );
    this.#collector('gatehouse_function_duration_seconds', 'Function invocation duration (Lambda Duration)', 'histogram', () =>
      [...functions()].filter((t) => t.duration.count > 0).flatMap((t) => histogramSamples('gatehouse_function_duration_seconds', t.labels, t.duration)),
    );
    collectDefaultMetrics({ register: this.registry, prefix: 'gatehouse_' });
  }

  /** The tally of an API stage (created on first use; callers keep it). */
  requestTally(api: string, apiName: string, stage: string): RequestTally {
    const key = `${api}\n${apiName}\n${stage}`;
    let t = this.#requests.get(key);
    if (t === undefined) this.#requests.set(key, (t = new RequestTally({ api, api_name: apiName, stage })));
    return t;
  }

  functionTally(functionName: string): FunctionTally {
    let t = this.#functions.get(functionName);
    if (t === undefined) this.#functions.set(functionName, (t = new FunctionTally({ function: functionName })));
    return t;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Dev-mode reset: counters start again (tallies held by the hot path are zeroed, not replaced). */
  reset(): void {
    for (const t of this.#requests.values()) {
      t.byClass.fill(0);
      t.latency.reset();
      t.integration.reset();
      t.cacheHits = 0;
      t.cacheMisses = 0;
    }
    for (const t of this.#functions.values()) {
      t.success = t.error = t.throttled = 0;
      t.duration.reset();
    }
    this.registry.resetMetrics();
  }

  /** Registers a metric prom-client renders from `samples()` at scrape time. */
  #collector(name: string, help: string, type: 'counter' | 'histogram', samples: () => Sample[]): void {
    const metric = {
      name,
      help,
      type,
      aggregator: 'sum',
      get: async () => ({ name, help, type, aggregator: 'sum', values: samples() }),
      reset: () => undefined,
    };
    this.registry.registerMetric(metric as unknown as Metric);
  }
}

/** A histogram's exposition samples: cumulative `_bucket{le}` lines, `_sum`, `_count`. */
function histogramSamples(name: string, labels: Labels, h: HistogramTally): Sample[] {
  const out: Sample[] = [];
  let cumulative = 0;
  for (let i = 0; i < h.bounds.length; i++) {
    cumulative += h.counts[i]!;
    out.push({ metricName: `${name}_bucket`, labels: { ...labels, le: String(h.bounds[i]) }, value: cumulative });
  }
  cumulative += h.counts[h.bounds.length]!;
  out.push({ metricName: `${name}_bucket`, labels: { ...labels, le: '+Inf' }, value: cumulative });
  out.push({ metricName: `${name}_sum`, labels, value: h.sum });
  out.push({ metricName: `${name}_count`, labels, value: h.count });
  return out;
}

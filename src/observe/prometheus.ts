// What `/_gatehouse/metrics` serves, in Prometheus's text exposition format (prom-client): requests by API, stage
// and status class, their latency and integration latency, function invocations by outcome and duration, and the
// process's own metrics (CPU, memory, event-loop lag, handles). One registry per Gatehouse (tests run several in a
// process). The hot path holds prom-client's labelled children (./request-metrics.ts, ./function-metrics.ts), so a
// request costs a few increments, no label lookup.
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** Seconds: API Gateway's integration timeout tops at 29 s; a function may run 15 minutes. */
const REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 29];
const FUNCTION_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900];

export class PrometheusMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<'api' | 'api_name' | 'stage' | 'status_class'>;
  readonly latency: Histogram<'api' | 'api_name' | 'stage'>;
  readonly integrationLatency: Histogram<'api' | 'api_name' | 'stage'>;
  readonly cacheRequests: Counter<'api' | 'api_name' | 'stage' | 'result'>;
  readonly invocations: Counter<'function' | 'outcome'>;
  readonly functionDuration: Histogram<'function'>;

  constructor() {
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'gatehouse_api_requests_total',
      help: 'Requests to deployed APIs, by API, stage and status class (2xx, 3xx, 4xx, 5xx)',
      labelNames: ['api', 'api_name', 'stage', 'status_class'],
      registers,
    });
    this.latency = new Histogram({
      name: 'gatehouse_api_request_duration_seconds',
      help: 'Time from a request arriving to its response (API Gateway Latency)',
      labelNames: ['api', 'api_name', 'stage'],
      buckets: REQUEST_BUCKETS,
      registers,
    });
    this.integrationLatency = new Histogram({
      name: 'gatehouse_api_integration_duration_seconds',
      help: 'Time spent in the integration (API Gateway IntegrationLatency)',
      labelNames: ['api', 'api_name', 'stage'],
      buckets: REQUEST_BUCKETS,
      registers,
    });
    this.cacheRequests = new Counter({
      name: 'gatehouse_api_cache_requests_total',
      help: 'Requests that used a stage cache, by result (hit, miss)',
      labelNames: ['api', 'api_name', 'stage', 'result'],
      registers,
    });
    this.invocations = new Counter({
      name: 'gatehouse_function_invocations_total',
      help: 'Function invocations by outcome (success, error, throttled)',
      labelNames: ['function', 'outcome'],
      registers,
    });
    this.functionDuration = new Histogram({
      name: 'gatehouse_function_duration_seconds',
      help: 'Function invocation duration (Lambda Duration)',
      labelNames: ['function'],
      buckets: FUNCTION_BUCKETS,
      registers,
    });
    collectDefaultMetrics({ register: this.registry, prefix: 'gatehouse_' });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Dev-mode reset: counters start again. */
  reset(): void {
    this.registry.resetMetrics();
  }
}

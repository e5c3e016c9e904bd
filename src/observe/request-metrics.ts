// The AWS/ApiGateway metrics of one request, recorded once when its response is written (src/execute/data-plane.ts):
// Count, 4XXError, 5XXError, Latency, IntegrationLatency (when the integration ran), CacheHitCount and
// CacheMissCount (when the request used a stage cache), by ApiName, by ApiName+Stage and, when the method's
// `metricsEnabled` setting is on (detailed metrics), by ApiName+Method+Resource+Stage — the dimension sets of
// AWS's "Amazon API Gateway dimensions and metrics". As CloudWatch reports them, 4XXError and 5XXError are 0 or 1
// per request (Sum counts errors, Average is the error rate), Count is 1 per request, Cache*Count 0 or 1 per cached
// request. A canary request's Stage dimension is `{stage}/Canary`, as API Gateway reports canary metrics apart.
//
// Hot path: the series of a (stage runtime, method, canary) triple are looked up once and kept in a WeakMap on the
// stage runtime (dropped with it when stage settings change), so a request costs a few additions per series.
import type { Invocation, Routed } from '../execute/invocation.ts';
import type { CompiledMethod } from '../execute/compile/deployment.ts';
import type { StageRuntime } from '../execute/stage-config.ts';
import type { Dimensions, MetricStore, Series } from './metrics-store.ts';
import type { PrometheusMetrics, RequestTally } from './prometheus.ts';

export const API_GATEWAY_NAMESPACE = 'AWS/ApiGateway';

/** The series of one dimension set (absent members: the series bound was reached). */
interface DimensionSeries {
  count: Series | undefined;
  e4: Series | undefined;
  e5: Series | undefined;
  latency: Series | undefined;
  integration: Series | undefined;
  hit: Series | undefined;
  miss: Series | undefined;
}

interface Group {
  sets: DimensionSeries[];
  /** The stage's Prometheus tally (shared by its methods). */
  prom: RequestTally | undefined;
}

const NO_METHOD = {};

export class ApiMetrics {
  readonly #store: MetricStore;
  readonly #prom: PrometheusMetrics | undefined;
  /** stage runtime → method (or NO_METHOD) → [main group, canary group]. */
  readonly #groups = new WeakMap<StageRuntime, Map<object, [Group | undefined, Group | undefined]>>();

  constructor(store: MetricStore, prom?: PrometheusMetrics) {
    this.#store = store;
    this.#prom = prom;
  }

  /** Records one request answered with `status` at epoch ms `now`. Requests no stage was found for are not counted. */
  record(inv: Invocation, status: number, now: number): void {
    const stage = inv.stage;
    if (stage === undefined) return;
    const routed = inv as Partial<Routed>;
    const method = routed.method;
    const canary = routed.isCanaryRequest === true ? 1 : 0;
    let byMethod = this.#groups.get(stage);
    if (byMethod === undefined) this.#groups.set(stage, (byMethod = new Map()));
    const key = method ?? NO_METHOD;
    let pair = byMethod.get(key);
    if (pair === undefined) byMethod.set(key, (pair = [undefined, undefined]));
    const group = (pair[canary] ??= this.#group(stage, method, canary === 1));

    const latency = Math.max(0, now - inv.startedAt);
    const integrationLatency = (inv as { integrationLatency?: number }).integrationLatency;
    const cache = routed.cache;
    const e4 = status >= 400 && status < 500 ? 1 : 0;
    const e5 = status >= 500 ? 1 : 0;
    for (const s of group.sets) {
      s.count?.add(now, 1);
      s.e4?.add(now, e4);
      s.e5?.add(now, e5);
      s.latency?.add(now, latency);
      if (integrationLatency !== undefined) s.integration?.add(now, integrationLatency);
      if (cache !== undefined) {
        s.hit?.add(now, cache.hit ? 1 : 0);
        s.miss?.add(now, cache.hit ? 0 : 1);
      }
    }
    const prom = group.prom;
    if (prom !== undefined) {
      prom.byClass[Math.min(5, Math.max(1, Math.floor(status / 100)))]!++;
      prom.latency.observe(latency / 1000);
      if (integrationLatency !== undefined) prom.integration.observe(integrationLatency / 1000);
      if (cache !== undefined) {
        if (cache.hit) prom.cacheHits++;
        else prom.cacheMisses++;
      }
    }
  }

  #group(stage: StageRuntime, method: CompiledMethod | undefined, canary: boolean): Group {
    const stageName = canary ? `${stage.stageName}/Canary` : stage.stageName;
    const api: Dimensions = [['ApiName', stage.apiName]];
    const dimensionSets: Dimensions[] = [api, [...api, ['Stage', stageName]]];
    if (method !== undefined && stage.methodSetting(method.resource.path, method.httpMethod).metricsEnabled === true) {
      dimensionSets.push([...api, ['Method', method.httpMethod], ['Resource', method.resource.path], ['Stage', stageName]]);
    }
    const region = stage.region;
    const series = (name: string, dims: Dimensions, unit: string, histogram = false) =>
      this.#store.series(region, API_GATEWAY_NAMESPACE, name, dims, unit, histogram);
    const sets = dimensionSets.map((d) => ({
      count: series('Count', d, 'Count'),
      e4: series('4XXError', d, 'Count'),
      e5: series('5XXError', d, 'Count'),
      latency: series('Latency', d, 'Milliseconds', true),
      integration: series('IntegrationLatency', d, 'Milliseconds', true),
      hit: series('CacheHitCount', d, 'Count'),
      miss: series('CacheMissCount', d, 'Count'),
    }));
    return { sets, prom: this.#prom?.requestTally(stage.apiId, stage.apiName, stageName) };
  }
}

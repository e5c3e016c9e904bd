// The AWS/ApiGateway metrics of one request, recorded once when its response is written (src/execute/data-plane.ts):
// Count, 4XXError, 5XXError, Latency, IntegrationLatency (when the integration ran), CacheHitCount and
// CacheMissCount (when the request used a stage cache), by ApiName, by ApiName+Stage and, when the method's
// `metricsEnabled` setting is on (detailed metrics), by ApiName+Method+Resource+Stage — the dimension sets of
// AWS's "Amazon API Gateway dimensions and metrics". As CloudWatch reports them, 4XXError and 5XXError are 0 or 1
// per request (Sum counts errors, Average is the error rate), Count is 1 per request, Cache*Count 0 or 1 per cached
// request. A canary request's Stage dimension is `{stage}/Canary`, as API Gateway reports canary metrics apart.
//
// Hot path: the series of a (stage runtime, method, canary) triple are looked up once and kept in a WeakMap on the
// stage runtime (dropped with it when stage settings change). A request adds to its group's tally of the current
// minute, not to each of its dozen series: every dimension set of a group gets the same samples, so the tally is added
// to the series once per minute, or sooner when something reads them (the store folds pending tallies in before every
// read and every journal write: ./metrics-store.ts PendingSamples). Measured in the server, a stage-cache hit spent
// about 3 µs of CPU on a dozen series additions per request.
import type { Invocation, Routed } from '../execute/invocation.ts';
import type { CompiledMethod } from '../execute/compile/deployment.ts';
import type { StageRuntime } from '../execute/stage-config.ts';
import { bucketOf, MINUTE_MS, type Dimensions, type MetricStore, type PendingSamples, type Series } from './metrics-store.ts';
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

/** Samples of one value kept aside: their statistic set and counts per histogram bucket. */
class SampleTally {
  n = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  readonly buckets = new Map<number, number>();
  add(v: number): void {
    this.n++;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    const b = bucketOf(v);
    this.buckets.set(b, (this.buckets.get(b) ?? 0) + 1);
  }
  addTo(s: Series | undefined, at: number): void {
    if (this.n > 0) s?.addSet(at, this.n, this.sum, this.min, this.max, this.buckets);
  }
  clear(): void {
    this.n = this.sum = 0;
    this.min = Infinity;
    this.max = -Infinity;
    this.buckets.clear();
  }
}

/** A group's requests within one minute, not yet added to its series. */
class MinuteTally {
  /** The minute (epoch ms / 60000) its samples belong to; -1 while empty. */
  minute = -1;
  count = 0;
  e4 = 0;
  e5 = 0;
  readonly latency = new SampleTally();
  readonly integration = new SampleTally();
  /** Requests that used a stage cache, and those of them served from it. */
  cached = 0;
  hits = 0;
}

interface Group {
  sets: DimensionSeries[];
  /** The stage's Prometheus tally (shared by its methods). */
  prom: RequestTally | undefined;
  tally: MinuteTally;
}

/** `part` samples of 1 among `n` samples of 0 or 1 (4XXError, CacheHitCount …) as a statistic set. */
function addZeroOnes(s: Series | undefined, at: number, n: number, part: number): void {
  s?.addSet(at, n, part, part < n ? 0 : 1, part > 0 ? 1 : 0);
}

const NO_METHOD = {};

export class ApiMetrics implements PendingSamples {
  readonly #store: MetricStore;
  readonly #prom: PrometheusMetrics | undefined;
  /** stage runtime → method (or NO_METHOD) → [main group, canary group]. */
  readonly #groups = new WeakMap<StageRuntime, Map<object, [Group | undefined, Group | undefined]>>();
  /** Groups whose tally holds samples. */
  #pending: Group[] = [];
  // The group last found, with what found it: consecutive requests to one method (the common case under load) skip
  // the two map lookups, each a cache miss or two when the request's other work has run in between. Keeps at most
  // one replaced stage runtime alive, until a request of another group.
  #lastStage: StageRuntime | undefined = undefined;
  #lastKey: object | undefined = undefined;
  #lastCanary = 0;
  #lastGroup: Group | undefined = undefined;

  constructor(store: MetricStore, prom?: PrometheusMetrics) {
    this.#store = store;
    this.#prom = prom;
    store.holdsPending(this);
  }

  fold(): void {
    const pending = this.#pending;
    this.#pending = [];
    for (const g of pending) this.#fold(g);
  }

  discard(): void {
    for (const g of this.#pending) this.#clear(g.tally);
    this.#pending = [];
  }

  /** Records one request answered with `status` at epoch ms `now`. Requests no stage was found for are not counted. */
  record(inv: Invocation, status: number, now: number): void {
    const stage = inv.stage;
    if (stage === undefined) return;
    const routed = inv as Partial<Routed>;
    const method = routed.method;
    const canary = routed.isCanaryRequest === true ? 1 : 0;
    const key = method ?? NO_METHOD;
    const remembered = stage === this.#lastStage && key === this.#lastKey && canary === this.#lastCanary;
    const group = remembered ? this.#lastGroup! : this.#groupOf(stage, key, canary);

    const latency = Math.max(0, now - inv.startedAt);
    const integrationLatency = (inv as { integrationLatency?: number }).integrationLatency;
    const cache = routed.cache;
    const t = group.tally;
    const minute = Math.floor(now / MINUTE_MS);
    if (t.minute !== minute) {
      if (t.minute === -1) {
        this.#pending.push(group);
        this.#store.pendingAdded();
      } else this.#fold(group); // a new minute: the last one's samples go to the series; the group stays pending
      t.minute = minute;
    }
    t.count++;
    if (status >= 500) t.e5++;
    else if (status >= 400) t.e4++;
    t.latency.add(latency);
    if (integrationLatency !== undefined) t.integration.add(integrationLatency);
    if (cache !== undefined) {
      t.cached++;
      if (cache.hit) t.hits++;
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

  /** The group of (stage, method or NO_METHOD, canary), made on first use; remembered as the last one found. */
  #groupOf(stage: StageRuntime, key: object, canary: 0 | 1): Group {
    let byMethod = this.#groups.get(stage);
    if (byMethod === undefined) this.#groups.set(stage, (byMethod = new Map()));
    let pair = byMethod.get(key);
    if (pair === undefined) byMethod.set(key, (pair = [undefined, undefined]));
    const group = (pair[canary] ??= this.#group(stage, key === NO_METHOD ? undefined : (key as CompiledMethod), canary === 1));
    this.#lastStage = stage;
    this.#lastKey = key;
    this.#lastCanary = canary;
    this.#lastGroup = group;
    return group;
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
    return { sets, prom: this.#prom?.requestTally(stage.apiId, stage.apiName, stageName), tally: new MinuteTally() };
  }

  /** Adds a group's tally to its series and empties it. */
  #fold(g: Group): void {
    const t = g.tally;
    if (t.minute === -1) return;
    const at = t.minute * MINUTE_MS;
    for (const s of g.sets) {
      s.count?.addSet(at, t.count, t.count, 1, 1);
      addZeroOnes(s.e4, at, t.count, t.e4);
      addZeroOnes(s.e5, at, t.count, t.e5);
      t.latency.addTo(s.latency, at);
      t.integration.addTo(s.integration, at);
      if (t.cached > 0) {
        addZeroOnes(s.hit, at, t.cached, t.hits);
        addZeroOnes(s.miss, at, t.cached, t.cached - t.hits);
      }
    }
    this.#clear(t);
  }

  #clear(t: MinuteTally): void {
    t.minute = -1;
    t.count = t.e4 = t.e5 = t.cached = t.hits = 0;
    t.latency.clear();
    t.integration.clear();
  }
}

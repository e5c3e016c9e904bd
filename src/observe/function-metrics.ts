// The AWS/Lambda metrics of one invocation, recorded by the function runtime (src/functions/runtime.ts):
// Invocations (1 per invocation that ran, error or not), Errors (1 when the function failed: an unhandled error, a
// timeout, a crash), Duration (ms, the REPORT line's), Throttles (1 per invocation refused for concurrency, which
// does not count as an invocation), ConcurrentExecutions (the number running as this one starts: read its Maximum).
// Dimension sets as Lambda publishes them: none (every function of the region), FunctionName, and
// FunctionName+Resource (`name:qualifier`) when a version or alias was invoked, plus
// FunctionName+Resource+ExecutedVersion for an alias (the version it routed to).
import type { Dimensions, MetricStore, Series } from './metrics-store.ts';
import type { FunctionTally, PrometheusMetrics } from './prometheus.ts';

export const LAMBDA_NAMESPACE = 'AWS/Lambda';

/** What the runtime knows of an invocation when it records it. */
export interface InvocationFacts {
  region: string;
  functionName: string;
  /** The qualifier the caller gave (version or alias); undefined for the unqualified name. */
  qualifier: string | undefined;
  /** The version that ran (an alias resolves to one). */
  executedVersion: string;
}

interface FunctionSeries {
  invocations: Series | undefined;
  errors: Series | undefined;
  duration: Series | undefined;
  throttles: Series | undefined;
  concurrent: Series | undefined;
}

interface Group {
  sets: FunctionSeries[];
  prom: FunctionTally | undefined;
}

const MAX_GROUPS = 10_000;

export class FunctionMetrics {
  readonly #store: MetricStore;
  readonly #prom: PrometheusMetrics | undefined;
  readonly #now: () => number;
  readonly #groups = new Map<string, Group>();

  constructor(store: MetricStore, now: () => number, prom?: PrometheusMetrics) {
    this.#store = store;
    this.#now = now;
    this.#prom = prom;
  }

  /** An invocation that ran: `failed` when the function errored, timed out or crashed. */
  invoked(f: InvocationFacts, failed: boolean, durationMs: number, concurrent: number): void {
    const now = this.#now();
    const g = this.#group(f);
    for (const s of g.sets) {
      s.invocations?.add(now, 1);
      s.errors?.add(now, failed ? 1 : 0);
      s.duration?.add(now, durationMs);
      s.concurrent?.add(now, concurrent);
    }
    if (g.prom !== undefined) {
      if (failed) g.prom.error++;
      else g.prom.success++;
      g.prom.duration.observe(durationMs / 1000);
    }
  }

  /** An invocation refused for concurrency (reserved or the account's). */
  throttled(f: InvocationFacts): void {
    const now = this.#now();
    const g = this.#group(f);
    for (const s of g.sets) s.throttles?.add(now, 1);
    if (g.prom !== undefined) g.prom.throttled++;
  }

  #group(f: InvocationFacts): Group {
    const key = `${f.region}\n${f.functionName}\n${f.qualifier ?? ''}\n${f.executedVersion}`;
    let g = this.#groups.get(key);
    if (g !== undefined) return g;
    const name: Dimensions = [['FunctionName', f.functionName]];
    const sets: Dimensions[] = [[], name];
    if (f.qualifier !== undefined && f.qualifier !== '$LATEST') {
      const resource: Dimensions = [...name, ['Resource', `${f.functionName}:${f.qualifier}`]];
      sets.push(resource);
      if (f.qualifier !== f.executedVersion) sets.push([...resource, ['ExecutedVersion', f.executedVersion]]);
    }
    const series = (metric: string, dims: Dimensions, unit: string, histogram = false) => this.#store.series(f.region, LAMBDA_NAMESPACE, metric, dims, unit, histogram);
    const prom = this.#prom;
    g = {
      sets: sets.map((d) => ({
        invocations: series('Invocations', d, 'Count'),
        errors: series('Errors', d, 'Count'),
        duration: series('Duration', d, 'Milliseconds', true),
        throttles: series('Throttles', d, 'Count'),
        concurrent: series('ConcurrentExecutions', d, 'Count'),
      })),
      prom: prom?.functionTally(f.functionName),
    };
    if (this.#groups.size >= MAX_GROUPS) this.#groups.clear();
    this.#groups.set(key, g);
    return g;
  }
}

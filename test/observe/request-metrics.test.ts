// The request path's metric tallies (src/observe/request-metrics.ts): a request adds to its group's tally, not to its
// series; the tally reaches the series when a new minute begins, before every read, and before the journal writes;
// a dev-mode reset forgets what was pending.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricStore, type MetricJournalHooks, type MinutePoint, type Series } from '../../src/observe/metrics-store.ts';
import { ApiMetrics } from '../../src/observe/request-metrics.ts';
import type { Invocation } from '../../src/execute/invocation.ts';
import type { StageRuntime } from '../../src/execute/stage-config.ts';

const T0 = Date.UTC(2026, 11, 5, 12, 0, 0);
const stage = { apiId: 'a1', apiName: 'Shop', stageName: 'prod', region: 'us-east-1', methodSetting: () => ({}) } as unknown as StageRuntime;
const method = { resource: { path: '/items' }, httpMethod: 'GET' };

function request(startedAt: number, opts: { hit?: boolean; integrationLatency?: number } = {}): Invocation {
  return {
    stage,
    method,
    startedAt,
    isCanaryRequest: false,
    integrationLatency: opts.integrationLatency,
    cache: opts.hit === undefined ? undefined : { hit: opts.hit },
  } as unknown as Invocation;
}

/** The points of a series as [minute offset from T0, n, sum, min, max]. */
function points(store: MetricStore, name: string): number[][] {
  const s = store.find('us-east-1', 'AWS/ApiGateway', name, [['ApiName', 'Shop'], ['Stage', 'prod']]);
  return s ? [...s.points].map(([m, p]) => [m - T0 / 60_000, p.n, p.sum, p.min, p.max]) : [];
}

test('samples of a minute reach every series once read; a new minute adds the last one first', () => {
  const store = new MetricStore({ now: () => T0 });
  const metrics = new ApiMetrics(store);
  metrics.record(request(T0), 200, T0 + 4);
  metrics.record(request(T0, { hit: true }), 200, T0 + 1);
  metrics.record(request(T0, { hit: false, integrationLatency: 7 }), 404, T0 + 10);
  metrics.record(request(T0), 502, T0 + 2);
  // Read mid-minute: everything so far is there.
  assert.deepEqual(points(store, 'Count'), [[0, 4, 4, 1, 1]]);
  assert.deepEqual(points(store, '4XXError'), [[0, 4, 1, 0, 1]]);
  assert.deepEqual(points(store, '5XXError'), [[0, 4, 1, 0, 1]]);
  assert.deepEqual(points(store, 'Latency'), [[0, 4, 17, 1, 10]]);
  assert.deepEqual(points(store, 'IntegrationLatency'), [[0, 1, 7, 7, 7]]);
  assert.deepEqual(points(store, 'CacheHitCount'), [[0, 2, 1, 0, 1]]);
  assert.deepEqual(points(store, 'CacheMissCount'), [[0, 2, 1, 0, 1]]);
  // More in the same minute add to the same points; the next minute's go to new ones.
  metrics.record(request(T0 + 30_000), 200, T0 + 30_000);
  metrics.record(request(T0 + 60_000, { hit: true }), 200, T0 + 60_003);
  assert.deepEqual(points(store, 'Count'), [[0, 5, 5, 1, 1], [1, 1, 1, 1, 1]]);
  assert.deepEqual(points(store, '4XXError'), [[0, 5, 1, 0, 1], [1, 1, 0, 0, 0]]);
  assert.deepEqual(points(store, 'CacheHitCount'), [[0, 2, 1, 0, 1], [1, 1, 1, 1, 1]]);
  // The latency histogram holds every sample: the median of minute 0 (1, 2, 4, 10, 0) is 2 within a bucket.
  const latency = store.find('us-east-1', 'AWS/ApiGateway', 'Latency', [['ApiName', 'Shop']])!;
  const hist = latency.points.get(T0 / 60_000)!.hist!;
  assert.equal([...hist.values()].reduce((a, b) => a + b, 0), 5);
});

test('the journal is told a write is due, and its write finds the tallied samples', () => {
  const store = new MetricStore({ now: () => T0 });
  const changed: Array<[string, number]> = [];
  let due = 0;
  const journal: MetricJournalHooks = {
    changed(s: Series, _minute: number, p: MinutePoint) {
      changed.push([s.metricName, p.n]);
      return (p.delta = new (p.constructor as new (h: boolean) => MinutePoint)(s.histogram));
    },
    dropped() {},
    flush: async () => {},
    pending: () => void due++,
  };
  store.journalTo(journal);
  const metrics = new ApiMetrics(store);
  metrics.record(request(T0), 200, T0);
  metrics.record(request(T0), 200, T0);
  assert.equal(due, 1, 'one write scheduled for the first pending sample');
  assert.equal(changed.length, 0, 'nothing reaches the series per request');
  store.settle();
  assert.deepEqual(changed.filter(([n]) => n === 'Count'), [['Count', 2], ['Count', 2]]); // ApiName and ApiName+Stage
  metrics.record(request(T0), 200, T0);
  assert.equal(due, 2, 'a sample after the write schedules the next');
});

test('a dev-mode reset forgets pending samples', () => {
  const store = new MetricStore({ now: () => T0 });
  const metrics = new ApiMetrics(store);
  metrics.record(request(T0), 200, T0);
  store.clear();
  assert.deepEqual(points(store, 'Count'), []);
  metrics.record(request(T0), 200, T0);
  assert.deepEqual(points(store, 'Count'), [[0, 1, 1, 1, 1]]);
});

test('requests alternating between methods, stages and the canary each count in their own group', () => {
  const store = new MetricStore({ now: () => T0 });
  const metrics = new ApiMetrics(store);
  // Detailed metrics on: each method has series of its own.
  const prod = { ...stage, methodSetting: () => ({ metricsEnabled: true }) } as unknown as StageRuntime;
  const dev = { ...stage, stageName: 'dev', methodSetting: () => ({ metricsEnabled: true }) } as unknown as StageRuntime;
  const get = method;
  const post = { resource: { path: '/items' }, httpMethod: 'POST' };
  const on = (s: StageRuntime, m: object, canary: boolean) => ({ stage: s, method: m, startedAt: T0, isCanaryRequest: canary }) as unknown as Invocation;
  // Runs of one shape (the group remembered from the request before) and changes of one part at a time.
  const sequence = [on(prod, get, false), on(prod, get, false), on(prod, get, true), on(prod, get, true), on(prod, get, false), on(prod, post, false), on(dev, post, false), on(prod, get, false)];
  for (const inv of sequence) metrics.record(inv, 200, T0 + 1);
  const count = (dims: Array<[string, string]>) => {
    const s = store.find('us-east-1', 'AWS/ApiGateway', 'Count', [['ApiName', 'Shop'], ...dims]);
    return s ? [...s.points.values()].map((p) => p.sum) : [];
  };
  const byMethod = (verb: string, stageName: string) => count([['Method', verb], ['Resource', '/items'], ['Stage', stageName]]);
  assert.deepEqual(count([]), [8]);
  assert.deepEqual(count([['Stage', 'prod']]), [5]);
  assert.deepEqual(count([['Stage', 'prod/Canary']]), [2]);
  assert.deepEqual(count([['Stage', 'dev']]), [1]);
  assert.deepEqual(byMethod('GET', 'prod'), [4]);
  assert.deepEqual(byMethod('POST', 'prod'), [1]);
  assert.deepEqual(byMethod('GET', 'prod/Canary'), [2]);
  assert.deepEqual(byMethod('POST', 'dev'), [1]);
});

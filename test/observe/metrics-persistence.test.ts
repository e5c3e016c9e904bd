// CloudWatch metrics across restarts (src/observe/metrics-journal.ts): what PutMetricData acknowledged survives a
// kill -9 of `gatehouse serve` (read back with the SDK and Debian's aws CLI v2), Gatehouse's own AWS/ApiGateway
// metrics survive a restart and, once their timed flush (committed without an fsync) is in, a kill -9, the request path writes nothing per request, delta rows are merged once their minute
// has passed, and retention (15 days, the point bound) deletes stored minutes too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import * as CW from '@aws-sdk/client-cloudwatch';
import { ApiBuilder, invoke } from '../execute/helpers.ts';
import { clients, spawnGatehouse, startGatehouse, TEST_CREDENTIALS, tempDataDir } from '../helpers/gatehouse.ts';
import { runAws } from '../helpers/aws-cli.ts';
import { SqliteStore } from '../../src/store/sqlite.ts';
import type { Store } from '../../src/store/store.ts';
import { MetricStore } from '../../src/observe/metrics-store.ts';
import { MetricJournal } from '../../src/observe/metrics-journal.ts';
import { until } from '../helpers/until.ts';

const cloudwatch = (endpoint: string) => new CW.CloudWatchClient({ endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 });

test('PutMetricData answered before a kill -9 is there after the restart: GetMetricStatistics, GetMetricData, ListMetrics', async () => {
  const dataDir = tempDataDir();
  const at = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 5 * 60_000);
  try {
    let gh = await spawnGatehouse({ dataDir });
    let cw = cloudwatch(gh.endpoint);
    await cw.send(
      new CW.PutMetricDataCommand({
        Namespace: 'Shop',
        MetricData: [
          { MetricName: 'Orders', Dimensions: [{ Name: 'Store', Value: 'north' }], Timestamp: at, Values: [1, 2, 3], Counts: [1, 1, 2], Unit: 'Count' },
          { MetricName: 'Orders', Dimensions: [{ Name: 'Store', Value: 'south' }], Timestamp: at, StatisticValues: { SampleCount: 4, Sum: 10, Minimum: 1, Maximum: 4 }, Unit: 'Count' },
        ],
      }),
    );
    await cw.send(new CW.PutMetricDataCommand({ Namespace: 'Shop', MetricData: [{ MetricName: 'Orders', Dimensions: [{ Name: 'Store', Value: 'north' }], Timestamp: at, Value: 7, Unit: 'Count' }] }));
    // At once, no waiting: the answers promised durability.
    assert.equal(await gh.stop('SIGKILL'), null);
    cw.destroy();

    gh = await spawnGatehouse({ dataDir });
    cw = cloudwatch(gh.endpoint);
    try {
      const north = [{ Name: 'Store', Value: 'north' }];
      const stats = await cw.send(
        new CW.GetMetricStatisticsCommand({
          Namespace: 'Shop', MetricName: 'Orders', Dimensions: north, StartTime: new Date(at.getTime() - 60_000), EndTime: new Date(at.getTime() + 120_000), Period: 60,
          Statistics: ['SampleCount', 'Sum', 'Minimum', 'Maximum', 'Average'],
        }),
      );
      assert.deepEqual(stats.Datapoints, [{ Timestamp: at, SampleCount: 5, Sum: 16, Minimum: 1, Maximum: 7, Average: 3.2, Unit: 'Count' }]);
      const data = await cw.send(
        new CW.GetMetricDataCommand({
          StartTime: new Date(at.getTime() - 60_000), EndTime: new Date(at.getTime() + 120_000),
          MetricDataQueries: [
            { Id: 's', MetricStat: { Metric: { Namespace: 'Shop', MetricName: 'Orders', Dimensions: [{ Name: 'Store', Value: 'south' }] }, Period: 60, Stat: 'Sum' } },
            { Id: 'p', MetricStat: { Metric: { Namespace: 'Shop', MetricName: 'Orders', Dimensions: north }, Period: 60, Stat: 'p100' } },
          ],
        }),
      );
      assert.deepEqual(data.MetricDataResults!.map((r) => [r.Id, r.Timestamps, r.Values]), [['s', [at], [10]], ['p', [at], [7]]]);
      const listed = await cw.send(new CW.ListMetricsCommand({ Namespace: 'Shop' }));
      assert.deepEqual(listed.Metrics, [
        { Namespace: 'Shop', MetricName: 'Orders', Dimensions: [{ Name: 'Store', Value: 'north' }] },
        { Namespace: 'Shop', MetricName: 'Orders', Dimensions: [{ Name: 'Store', Value: 'south' }] },
      ]);
      // The same through Debian's aws CLI v2 (awsQuery).
      const cli = await runAws(
        { endpoint: gh.endpoint }, 'cloudwatch', 'get-metric-statistics', '--namespace', 'Shop', '--metric-name', 'Orders', '--dimensions', 'Name=Store,Value=south',
        '--start-time', new Date(at.getTime() - 60_000).toISOString(), '--end-time', new Date(at.getTime() + 120_000).toISOString(), '--period', '60', '--statistics', 'Sum', 'SampleCount',
      );
      assert.equal(cli.code, 0, cli.stderr);
      assert.deepEqual(JSON.parse(cli.stdout).Datapoints, [{ Timestamp: at.toISOString().replace('.000Z', '+00:00'), Sum: 10, SampleCount: 4, Unit: 'Count' }]);
    } finally {
      cw.destroy();
      await gh.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test("the data plane's metrics, flushed without waiting for the disk, survive a kill -9 of the process", async () => {
  const dataDir = tempDataDir();
  let gh = await spawnGatehouse({ dataDir });
  try {
    const { apigateway } = clients(gh.endpoint);
    const api = await ApiBuilder.create({ endpoint: gh.endpoint, apigateway }, { name: 'lazy' });
    await api.method('/ok', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, { responses: [{ statusCode: '200' }] });
    await api.deploy('prod');
    apigateway.destroy();
    const started = Date.now();
    for (let i = 0; i < 5; i++) assert.equal((await invoke(gh.endpoint, api.apiId, 'prod', '/ok')).status, 200);
    // The timed flush (no fsync) has committed once the database shows a points row: read beside the running server.
    const db = new DatabaseSync(join(dataDir, 'gatehouse.db'), { readOnly: true });
    try {
      const rows = db.prepare("SELECT count(*) AS n FROM items WHERE collection = 'metricpoints'");
      await until(() => (rows.get() as { n: number }).n > 0, 'the metrics flush committed', 30_000);
    } finally {
      db.close();
    }
    assert.equal(await gh.stop('SIGKILL'), null);
    gh = await spawnGatehouse({ dataDir });
    const cw = cloudwatch(gh.endpoint);
    try {
      const count = await cw.send(
        new CW.GetMetricStatisticsCommand({
          Namespace: 'AWS/ApiGateway', MetricName: 'Count', Dimensions: [{ Name: 'ApiName', Value: 'lazy' }, { Name: 'Stage', Value: 'prod' }],
          StartTime: new Date(started - 600_000), EndTime: new Date(Date.now() + 600_000), Period: 60, Statistics: ['Sum'],
        }),
      );
      assert.equal(count.Datapoints!.reduce((sum, d) => sum + d.Sum!, 0), 5);
    } finally {
      cw.destroy();
    }
  } finally {
    await gh.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test("Gatehouse's own AWS/ApiGateway metrics are there after a restart, with their percentiles", async () => {
  const dataDir = tempDataDir();
  const T0 = Date.UTC(2026, 11, 5, 12, 0, 0);
  const clock = { t: T0 };
  try {
    let gh = await startGatehouse({ dataDir, now: () => new Date(clock.t) });
    const api = await ApiBuilder.create(gh, { name: 'kept' });
    await api.method('/ok', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, { responses: [{ statusCode: '200' }] });
    await api.deploy('prod');
    for (let i = 0; i < 3; i++) assert.equal((await invoke(gh.endpoint, api.apiId, 'prod', '/ok')).status, 200);
    assert.equal((await invoke(gh.endpoint, api.apiId, 'prod', '/missing')).status, 403);
    clock.t += 60_000;
    assert.equal((await invoke(gh.endpoint, api.apiId, 'prod', '/ok')).status, 200);
    await gh.stop();

    gh = await startGatehouse({ dataDir, now: () => new Date(clock.t) });
    const cw = cloudwatch(gh.endpoint);
    try {
      const count = await cw.send(
        new CW.GetMetricStatisticsCommand({
          Namespace: 'AWS/ApiGateway', MetricName: 'Count', Dimensions: [{ Name: 'ApiName', Value: 'kept' }, { Name: 'Stage', Value: 'prod' }],
          StartTime: new Date(T0), EndTime: new Date(T0 + 120_000), Period: 60, Statistics: ['Sum'],
        }),
      );
      assert.deepEqual(count.Datapoints!.map((d) => [d.Timestamp!.getTime(), d.Sum]), [[T0, 4], [T0 + 60_000, 1]]);
      const errors = await cw.send(
        new CW.GetMetricStatisticsCommand({
          Namespace: 'AWS/ApiGateway', MetricName: '4XXError', Dimensions: [{ Name: 'ApiName', Value: 'kept' }], StartTime: new Date(T0), EndTime: new Date(T0 + 120_000), Period: 120, Statistics: ['Sum', 'Average'],
        }),
      );
      assert.deepEqual(errors.Datapoints!.map((d) => [d.Sum, d.Average]), [[1, 0.2]]);
      const latency = await cw.send(
        new CW.GetMetricStatisticsCommand({
          Namespace: 'AWS/ApiGateway', MetricName: 'Latency', Dimensions: [{ Name: 'ApiName', Value: 'kept' }], StartTime: new Date(T0), EndTime: new Date(T0 + 120_000), Period: 120, ExtendedStatistics: ['p99'],
        }),
      );
      // The fake clock stands still during a request: every latency is 0, and so is its 99th percentile.
      assert.deepEqual(latency.Datapoints!.map((d) => d.ExtendedStatistics), [{ p99: 0 }]);
      // New traffic adds to the restored minute.
      assert.equal((await invoke(gh.endpoint, api.apiId, 'prod', '/ok')).status, 200);
      const again = await cw.send(
        new CW.GetMetricStatisticsCommand({
          Namespace: 'AWS/ApiGateway', MetricName: 'Count', Dimensions: [{ Name: 'ApiName', Value: 'kept' }], StartTime: new Date(T0), EndTime: new Date(T0 + 120_000), Period: 60, Statistics: ['Sum'],
        }),
      );
      assert.deepEqual(again.Datapoints!.map((d) => d.Sum), [4, 2]);
    } finally {
      cw.destroy();
      await gh.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

/** A Store that counts write transactions. */
function counting(store: Store): Store & { writes: number } {
  const counted = Object.assign(Object.create(store) as Store, { writes: 0 });
  counted.write = (fn) => {
    counted.writes++;
    return store.write(fn);
  };
  return counted;
}

async function journaled(dataDir: string, clock: { t: number }, opts: { maxPoints?: number } = {}) {
  const store = counting(new SqliteStore(dataDir));
  const metrics = new MetricStore({ now: () => clock.t, maxPoints: opts.maxPoints, warn: () => undefined });
  const journal = new MetricJournal(store, metrics, { now: () => clock.t });
  const loaded = await journal.start();
  return {
    store, metrics, journal, loaded,
    async close() {
      await journal.close();
      await store.close();
    },
  };
}

const rows = (store: Store) => store.read((tx) => tx.list<{ p: unknown[] }>('metricpoints'));

test('recording samples writes nothing per sample: one transaction per flush, however many samples', async () => {
  const dataDir = tempDataDir();
  const clock = { t: Date.UTC(2026, 11, 5, 12, 0, 0) };
  try {
    const j = await journaled(dataDir, clock);
    const count = j.metrics.series('us-east-1', 'AWS/ApiGateway', 'Count', [['ApiName', 'a']], 'Count')!;
    const latency = j.metrics.series('us-east-1', 'AWS/ApiGateway', 'Latency', [['ApiName', 'a']], 'Milliseconds', true)!;
    const before = j.store.writes;
    for (let i = 0; i < 10_000; i++) {
      count.add(clock.t, 1);
      latency.add(clock.t, i % 100);
    }
    assert.equal(j.store.writes, before, 'nothing written while recording');
    await j.journal.flush();
    assert.equal(j.store.writes, before + 1);
    const stored = await rows(j.store);
    assert.equal(stored.length, 1, 'one row for the minute');
    await j.close();

    const k = await journaled(dataDir, clock);
    const agg = k.metrics.aggregate(k.metrics.find('us-east-1', 'AWS/ApiGateway', 'Latency', [['ApiName', 'a']])!, 0, Number.MAX_SAFE_INTEGER)!;
    assert.deepEqual([agg.n, agg.sum, agg.min, agg.max], [10_000, 495_000, 0, 99]);
    assert.equal([...agg.hist!.values()].reduce((a, b) => a + b, 0), 10_000);
    assert.equal(k.metrics.aggregate(k.metrics.find('us-east-1', 'AWS/ApiGateway', 'Count', [['ApiName', 'a']])!, 0, Number.MAX_SAFE_INTEGER)!.sum, 10_000);
    await k.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test("a minute's delta rows are merged into one once it has passed, and load the same", async () => {
  const dataDir = tempDataDir();
  const T0 = Date.UTC(2026, 11, 5, 12, 0, 0);
  const clock = { t: T0 };
  try {
    const j = await journaled(dataDir, clock);
    const s = j.metrics.series('us-east-1', 'Mine', 'm', [], 'None', true)!;
    for (let i = 1; i <= 5; i++) {
      s.add(T0 + i, i);
      await j.journal.flush();
    }
    assert.equal((await rows(j.store)).length, 5);
    await j.journal.maintain(); // the minute has not passed: left as it is
    assert.equal((await rows(j.store)).length, 5);
    clock.t = T0 + 60_000;
    s.add(clock.t, 100);
    await j.journal.maintain();
    const stored = await rows(j.store);
    assert.deepEqual(stored.map((r) => r.key.slice(11, 12)), ['_', 'd'], 'minute 0 merged; minute 1 still open');
    assert.deepEqual(stored[0]!.value.p.map((e) => (e as unknown[]).slice(1, 5)), [[5, 15, 1, 5]]);
    await j.close();
    const k = await journaled(dataDir, clock);
    const s2 = k.metrics.find('us-east-1', 'Mine', 'm', [])!;
    assert.deepEqual([...s2.points.entries()].map(([m, p]) => [m * 60_000 - T0, p.n, p.sum, p.min, p.max]), [[0, 5, 15, 1, 5], [60_000, 1, 100, 100, 100]]);
    assert.deepEqual(k.loaded, { series: 1, points: 2, rows: 2, ms: k.loaded.ms });
    await k.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('retention: minutes older than 15 days are deleted from the store, while running and at load; so are minutes over the point bound', async () => {
  const dataDir = tempDataDir();
  const T0 = Date.UTC(2026, 11, 5, 12, 0, 0);
  const clock = { t: T0 };
  const DAY = 86_400_000;
  try {
    const j = await journaled(dataDir, clock);
    const s = j.metrics.series('us-east-1', 'Mine', 'm', [], 'None')!;
    s.add(T0, 1);
    s.add(T0 + DAY, 2);
    await j.journal.flush();
    clock.t = T0 + 15 * DAY + 60_000; // T0's minute is now past 15 days, T0 + 1 day's is not
    await j.journal.maintain();
    assert.deepEqual((await rows(j.store)).map((r) => Number(r.key.slice(0, 10)) * 60_000 - T0), [DAY]);
    await j.close();

    clock.t = T0 + 16 * DAY + 60_000; // expired while stopped
    const k = await journaled(dataDir, clock);
    assert.equal(k.metrics.pointCount, 0);
    assert.deepEqual(await rows(k.store), []);
    assert.deepEqual(await k.store.read((tx) => tx.list('metricseries')), [], 'a series without points is forgotten');
    const t = k.metrics.series('us-east-1', 'Mine', 'm', [], 'None')!;
    for (let m = 0; m < 5; m++) t.add(clock.t + m * 60_000, m);
    await k.close();

    const bounded = await journaled(dataDir, clock, { maxPoints: 3 });
    assert.equal(bounded.metrics.pointCount, 3);
    await bounded.journal.flush();
    assert.equal((await rows(bounded.store)).length, 3, 'the two oldest minutes are gone from the store too');
    await bounded.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a dev-mode reset forgets stored metrics; metrics recorded after it are stored again', async () => {
  const dataDir = tempDataDir();
  const clock = { t: Date.UTC(2026, 11, 5, 12, 0, 0) };
  try {
    let gh = await startGatehouse({ dataDir, dev: true, now: () => new Date(clock.t) });
    let cw = cloudwatch(gh.endpoint);
    await cw.send(new CW.PutMetricDataCommand({ Namespace: 'Mine', MetricData: [{ MetricName: 'before', Value: 1 }] }));
    await gh.gatehouse.reset();
    await cw.send(new CW.PutMetricDataCommand({ Namespace: 'Mine', MetricData: [{ MetricName: 'after', Value: 1 }] }));
    cw.destroy();
    await gh.stop();
    gh = await startGatehouse({ dataDir, now: () => new Date(clock.t) });
    cw = cloudwatch(gh.endpoint);
    try {
      assert.deepEqual((await cw.send(new CW.ListMetricsCommand({ Namespace: 'Mine' }))).Metrics, [{ Namespace: 'Mine', MetricName: 'after', Dimensions: [] }]);
    } finally {
      cw.destroy();
      await gh.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});


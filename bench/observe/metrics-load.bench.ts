// Startup cost of persisted metrics (issue 13: "loading on start must be fast for a realistic volume"). Writes the
// metrics of N days of M APIs with K methods each at one request per second per method (detailed metrics on: the
// ApiName, ApiName+Stage and ApiName+Method+Resource+Stage dimension sets; Count, 4XXError, 5XXError, Latency and
// IntegrationLatency, the latencies with histograms) through MetricStore + MetricJournal into a fresh SQLite store,
// flushed and compacted as a running Gatehouse leaves them (one row per minute), then times MetricJournal.load() in a
// fresh MetricStore — what `gatehouse serve` does before listening — and, as the baseline of the same run, the
// store's bare read of the same rows.
// Usage: node bench/observe/metrics-load.bench.ts [days, default 1] [apis, default 10] [methods per API, default 5]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite.ts';
import { MetricStore, type Series } from '../../src/observe/metrics-store.ts';
import { MetricJournal } from '../../src/observe/metrics-journal.ts';

const days = Number(process.argv[2] ?? 1);
const apis = Number(process.argv[3] ?? 10);
const methods = Number(process.argv[4] ?? 5);
const MINUTE = 60_000;
const dir = mkdtempSync(join(tmpdir(), 'gatehouse-metrics-load-'));
const end = Math.floor(Date.now() / MINUTE) * MINUTE;
const start = end - days * 1440 * MINUTE;
const clock = { t: start };

try {
  {
    const store = new SqliteStore(dir);
    const metrics = new MetricStore({ now: () => clock.t, maxPoints: Number.MAX_SAFE_INTEGER });
    const journal = new MetricJournal(store, metrics, { now: () => clock.t });
    await journal.start();
    const series = (dims: Array<[string, string]>) =>
      (['Count', '4XXError', '5XXError', 'Latency', 'IntegrationLatency'] as const).map((m, i) => metrics.series('us-east-1', 'AWS/ApiGateway', m, dims, i < 3 ? 'Count' : 'Milliseconds', i >= 3)!);
    const perMethod: Series[][][][] = [];
    for (let a = 0; a < apis; a++) {
      const api: [string, string] = ['ApiName', `api-${a}`];
      const common = [series([api]), series([api, ['Stage', 'prod']])];
      perMethod.push(Array.from({ length: methods }, (_, m) => [...common, series([api, ['Method', 'GET'], ['Resource', `/r${m}`], ['Stage', 'prod']])]));
    }
    const written = performance.now();
    for (let minute = 0; minute < days * 1440; minute++) {
      clock.t = start + minute * MINUTE;
      for (let s = 0; s < 60; s++) {
        const at = clock.t + s * 1000;
        for (const api of perMethod) {
          for (const sets of api) {
            const latency = 5 + ((s * 7919) % 120);
            const status = s % 20 === 0 ? 404 : s % 50 === 1 ? 502 : 200;
            for (const [count, e4, e5, lat, integ] of sets) {
              count!.add(at, 1);
              e4!.add(at, status >= 400 && status < 500 ? 1 : 0);
              e5!.add(at, status >= 500 ? 1 : 0);
              lat!.add(at, latency);
              integ!.add(at, latency - 3);
            }
          }
        }
        if (s % 10 === 9) await journal.flush(); // several delta rows per minute, as 100 ms flushes leave them
      }
      clock.t += MINUTE;
      await journal.maintain();
    }
    await journal.close();
    await store.close();
    console.log(`wrote ${days} day(s): ${apis} APIs × ${methods} methods, ${metrics.seriesCount} series, ${metrics.pointCount} points in ${Math.round(performance.now() - written)} ms; database ${(statSync(join(dir, 'gatehouse.db')).size / 1e6).toFixed(1)} MB`);
  }
  for (let round = 0; round < 3; round++) {
    const store = new SqliteStore(dir);
    const t0 = performance.now();
    const rows = await store.read((tx) => tx.list('metricpoints'));
    const bare = performance.now() - t0;
    const metrics = new MetricStore({ now: () => clock.t, maxPoints: Number.MAX_SAFE_INTEGER });
    const journal = new MetricJournal(store, metrics, { now: () => clock.t });
    const report = await journal.start();
    await journal.close();
    await store.close();
    console.log(JSON.stringify({ round, rows: rows.length, bareReadMs: Math.round(bare), load: report, loadOverBareRead: +(report.ms / bare).toFixed(2) }));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

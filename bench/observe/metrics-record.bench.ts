// The hot path's cost of persisting metrics (issue 13: "no store write per request, as cheap as now"): CPU time of
// recording one request's AWS/ApiGateway samples (Count, 4XXError, 5XXError, Latency, IntegrationLatency in three
// dimension sets, as a request with detailed metrics records them) into a MetricStore alone and into one with a
// MetricJournal attached (its store a no-op, so only the recording side is measured), best of 5 rounds each, in one run.
// Usage: node bench/observe/metrics-record.bench.ts
import { MetricStore } from '../../src/observe/metrics-store.ts';
import { MetricJournal } from '../../src/observe/metrics-journal.ts';
const fakeStore = { read: async (fn: any) => fn({ list: async () => [] }), write: async (fn: any) => fn({ put: async () => {}, list: async () => [], deletePrefix: async () => 0, delete: async () => true }), onCommit: () => () => {}, wipe: async () => {}, close: async () => {} } as any;
async function run(journaled: boolean) {
  const m = new MetricStore();
  if (journaled) await new MetricJournal(fakeStore, m, { now: Date.now }).start();
  const sets = Array.from({ length: 3 }, (_, i) => ['Count', '4XXError', '5XXError', 'Latency', 'IntegrationLatency'].map((n, j) => m.series('us-east-1', 'AWS/ApiGateway', n, [['ApiName', `a${i}`]], 'Count', j >= 3)!));
  const N = 300_000;
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const t0 = process.cpuUsage();
    const now = Date.now();
    for (let i = 0; i < N; i++) for (const [c, e4, e5, l, il] of sets) { c!.add(now, 1); e4!.add(now, 0); e5!.add(now, 0); l!.add(now, i % 50); il!.add(now, i % 40); }
    const u = process.cpuUsage(t0);
    best = Math.min(best, (u.user + u.system) / N);
    await new Promise((r) => setTimeout(r, 120));
  }
  return best;
}
console.log('µs CPU per request (3 dimension sets): in memory only', (await run(false)).toFixed(3), 'with journal', (await run(true)).toFixed(3));
process.exit(0);

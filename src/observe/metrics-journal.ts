// CloudWatch metrics kept across restarts: the MetricStore's points (./metrics-store.ts) written to the Store in
// batches and replayed at start, so the 15 days CloudWatch keeps survive a restart and a kill -9.
//
// Collections (one Store interface, so the SQLite and PostgreSQL adapters alike):
//   metricseries  {seriesId}                    SeriesRecord: a series' names, written once with its first points.
//                                               The id is a hash of the series' identity, the same in every process.
//   metricpoints  {minute}/d{writer}{seq}       PointsRow: the deltas one flush added to the points of one minute
//                                               (the minute as 10 digits, so keys sort by time). One row per minute
//                                               per flush, not per point or per series: a flush costs a few inserts.
//                 {minute}/_                    The same, merged: the minute compacted into one row.
//
// Why deltas: a statistic set merges (counts and sums add, minimum and maximum are idempotent, histograms add), so
// a flush only appends what was added since the last one and never rewrites a point; loading sums the rows. Once a
// minute has passed, the maintenance pass (every minute) merges its rows into one, so a day of traffic loads from
// about 1,440 rows. Merging reads what the Store holds (not what this process holds in memory), so it can never
// count a delta twice.
//
// When: Gatehouse's own metrics (the data plane's, the functions') are written at most 100 ms after they were
// recorded, one transaction for everything queued (the request path never waits on disk; a kill -9 loses at most
// that last 100 ms, as with usage counts). Those timed commits do not wait for an fsync (Store WriteOptions): no
// client was told they were stored, and an fsync every 100 ms held the event loop ~2 ms each time (2% of a busy
// node's capacity); a crash of the machine, not of the process, may lose the last of them. PutMetricData waits for a
// durable flush that carries its values (`flush()`), so what it acknowledged is on disk before it answers. Retention: a minute the MetricStore drops (15 days, or the
// point bound) is deleted from the Store in the next flush, and loading drops what expired while Gatehouse was down.
import { createHash, randomBytes } from 'node:crypto';
import type { Store, Tx } from '../store/store.ts';
import { MinutePoint, type Dimensions, type MetricJournalHooks, type MetricStore, type Series } from './metrics-store.ts';

const SERIES = 'metricseries';
const POINTS = 'metricpoints';
const FLUSH_MS = 100;
const MAINTENANCE_MS = 60_000;
const MINUTE_MS = 60_000;
/** The key of a minute's compacted row; delta rows' keys (`d…`) sort after it. */
const COMPACTED = '_';

interface SeriesRecord {
  r: string;
  ns: string;
  m: string;
  d: Dimensions;
  u: string;
  /** 1 when the series keeps a histogram. */
  h: 0 | 1;
}

/** [seriesId, sampleCount, sum, minimum, maximum, histogram as [bucket, count, bucket, count, …] when kept] */
type PointEntry = [string, number, number, number, number, number[]?];

interface PointsRow {
  p: PointEntry[];
}

const minuteKey = (minute: number) => String(minute).padStart(10, '0');

function seriesId(s: Series): string {
  return createHash('sha256').update(s.key).digest('base64url').slice(0, 22);
}

function entryOf(id: string, d: MinutePoint): PointEntry {
  if (d.hist === undefined) return [id, d.n, d.sum, d.min, d.max];
  const flat: number[] = [];
  for (const [b, c] of d.hist) flat.push(b, c);
  return [id, d.n, d.sum, d.min, d.max, flat];
}

/** Merges rows' entries per series (the compaction of one minute). */
function mergeEntries(rows: ReadonlyArray<PointsRow>): PointEntry[] {
  const merged = new Map<string, { e: PointEntry; hist: Map<number, number> | undefined }>();
  for (const row of rows) {
    for (const [id, n, sum, min, max, hist] of row.p) {
      let m = merged.get(id);
      if (m === undefined) merged.set(id, (m = { e: [id, 0, 0, Infinity, -Infinity], hist: hist === undefined ? undefined : new Map() }));
      m.e[1] += n;
      m.e[2] += sum;
      if (min < m.e[3]) m.e[3] = min;
      if (max > m.e[4]) m.e[4] = max;
      if (hist !== undefined && m.hist !== undefined) for (let i = 0; i + 1 < hist.length; i += 2) m.hist.set(hist[i]!, (m.hist.get(hist[i]!) ?? 0) + hist[i + 1]!);
    }
  }
  return [...merged.values()].map(({ e, hist }) => {
    if (hist === undefined) return e;
    const flat: number[] = [];
    for (const [b, c] of hist) flat.push(b, c);
    return [e[0], e[1], e[2], e[3], e[4], flat];
  });
}

/** Prefixes covering every key of the same digits' length that sorts below `key` (at most 9 per digit). */
function prefixesBelow(key: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < key.length; i++) for (let d = 0; d < Number(key[i]); d++) out.push(key.slice(0, i) + String(d));
  return out;
}

export interface MetricJournalOptions {
  /** Epoch ms: which minutes have passed (compaction) and what retention expired. */
  now: () => number;
  warn?: (line: string) => void;
}

export interface LoadReport {
  series: number;
  points: number;
  rows: number;
  ms: number;
}

export class MetricJournal implements MetricJournalHooks {
  readonly #store: Store;
  readonly #metrics: MetricStore;
  readonly #now: () => number;
  readonly #warn: (line: string) => void;
  /** Points with a delta not yet written, with their series and minute. */
  #queue: Array<{ s: Series; minute: number; p: MinutePoint }> = [];
  /** Minutes dropped from memory, deleted from the Store in the next flush. */
  #drops = new Set<number>();
  /** Series whose record is in the Store (a new set after a reset wiped them). */
  #stored = new WeakSet<Series>();
  readonly #ids = new WeakMap<Series, string>();
  /** Minutes with delta rows not yet merged. */
  readonly #uncompacted = new Set<number>();
  // Unique delta keys across processes and restarts: a random writer tag, then a sequence.
  readonly #writer = randomBytes(6).toString('base64url');
  #seq = 0;
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> | undefined;
  #maintenance: NodeJS.Timeout | undefined;
  #loading: Promise<LoadReport> | undefined;

  constructor(store: Store, metrics: MetricStore, opts: MetricJournalOptions) {
    this.#store = store;
    this.#metrics = metrics;
    this.#now = opts.now;
    this.#warn = opts.warn ?? ((l) => void process.stderr.write(`${l}\n`));
  }

  /**
   * Attaches to the MetricStore (from here on, changes are queued and written) and replays what the Store holds into
   * it, in the background: Gatehouse serves at once, and the CloudWatch API's reads wait for `MetricStore.ready()`.
   * Samples recorded meanwhile are not lost or doubled: stored statistic sets merge into the live points (merging is
   * order-free), and only the live samples' deltas are written. The rows are read 100 minutes at a time with a
   * yield between reads, so a long history never holds the event loop for long. Also deletes what expired while
   * Gatehouse was down and the records of series left without points.
   */
  start(): Promise<LoadReport> {
    this.#metrics.journalTo(this);
    this.#loading = this.#load();
    this.#metrics.whenReady(this.#loading.then(() => undefined, () => undefined));
    return this.#loading;
  }

  async #load(): Promise<LoadReport> {
    const started = performance.now();
    const seriesRows = await this.#store.read((tx) => tx.list<SeriesRecord>(SERIES));
    const records = new Map<string, SeriesRecord>();
    for (const { key, value } of seriesRows) records.set(key, value);
    const live = new Map<string, Series | undefined>();
    const nowMinute = Math.floor(this.#now() / MINUTE_MS);
    const floor = nowMinute - this.#metrics.retentionMinutes;
    let points = 0;
    let rows = 0;
    // Blocks of 100 minutes (keys' first 8 digits) from the retention floor to a day ahead (PutMetricData takes up to
    // two hours ahead; a day is margin for a clock set back).
    for (let block = Math.floor(floor / 100); block <= Math.floor((nowMinute + 1440) / 100); block++) {
      const pointRows = await this.#store.read((tx) => tx.list<PointsRow>(POINTS, String(block).padStart(8, '0')));
      for (const { key, value } of pointRows) {
        const minute = Number(key.slice(0, 10));
        if (minute < floor) continue;
        rows++;
        if (!key.endsWith(`/${COMPACTED}`)) this.#uncompacted.add(minute);
        for (const [id, n, sum, min, max, hist] of value.p) {
          let s = live.get(id);
          if (s === undefined && !live.has(id)) {
            const r = records.get(id);
            s = r && this.#metrics.series(r.r, r.ns, r.m, r.d, r.u, r.h === 1);
            live.set(id, s);
            if (s) {
              this.#ids.set(s, id);
              this.#stored.add(s);
            }
          }
          if (s === undefined) continue;
          s.restore(minute, n, sum, min, max, hist);
          points++;
        }
      }
      if (pointRows.length > 0) await new Promise((r) => setImmediate(r));
    }
    this.#metrics.expire();
    const orphans = [...records.keys()].filter((id) => !live.get(id)?.points.size);
    const drops = this.#takeDrops();
    await this.#store.write(async (tx) => {
      for (const id of orphans) await tx.delete(SERIES, id);
      await this.#deleteMinutes(tx, drops);
      // Whatever is older than the floor, however old (written before a long stop): every key below the floor's is
      // under one of these prefixes.
      for (const prefix of prefixesBelow(minuteKey(floor))) await tx.deletePrefix(POINTS, prefix);
    });
    this.#maintenance = setInterval(() => void this.maintain().catch((err: unknown) => this.#warn(`WARN metrics: maintenance failed: ${(err as Error).message}`)), MAINTENANCE_MS);
    this.#maintenance.unref();
    return { series: [...live.values()].filter((s) => s?.points.size).length, points, rows, ms: Math.round(performance.now() - started) };
  }

  changed(s: Series, minute: number, p: MinutePoint): MinutePoint {
    const d = new MinutePoint(s.histogram);
    p.delta = d;
    this.#queue.push({ s, minute, p });
    this.#timer ??= setTimeout(this.#timed, FLUSH_MS);
    return d;
  }

  pending(): void {
    this.#timer ??= setTimeout(this.#timed, FLUSH_MS);
  }

  dropped(minute: number): void {
    this.#drops.add(minute);
    this.#uncompacted.delete(minute);
    this.#timer ??= setTimeout(this.#timed, FLUSH_MS);
  }

  /** The timer's flush: counts no client was told were stored, so the commit does not wait for the disk. */
  readonly #timed = (): void => void this.flush(false).catch((err: unknown) => this.#warn(`WARN metrics: could not be stored: ${(err as Error).message}`));

  /**
   * Writes every queued delta (and dropped minute) in one transaction; resolves once it is durable (`fsync` false:
   * once committed, not yet forced to disk — a later durable commit forces it with its own).
   */
  flush(fsync = true): Promise<void> {
    // Samples kept aside join the queue first (their `changed` calls find this flush's timer still set).
    this.#metrics.settle();
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#flushing) return this.#flushing.then(() => this.flush(fsync), () => this.flush(fsync));
    if (this.#queue.length === 0 && this.#drops.size === 0) return Promise.resolve();
    // Taken now: samples recorded while the transaction runs go into fresh deltas for the next flush.
    const queue = this.#queue;
    this.#queue = [];
    const byMinute = new Map<number, PointEntry[]>();
    const newSeries: Series[] = [];
    for (const { s, minute, p } of queue) {
      const d = p.delta!;
      p.delta = undefined;
      let id = this.#ids.get(s);
      if (id === undefined) this.#ids.set(s, (id = seriesId(s)));
      if (!this.#stored.has(s)) {
        this.#stored.add(s);
        newSeries.push(s);
      }
      let list = byMinute.get(minute);
      if (list === undefined) byMinute.set(minute, (list = []));
      list.push(entryOf(id, d));
    }
    const drops = this.#takeDrops();
    const stored = this.#stored;
    this.#flushing = this.#store
      .write(async (tx) => {
        for (const s of newSeries) {
          const record: SeriesRecord = { r: s.region, ns: s.namespace, m: s.metricName, d: s.dimensions, u: s.unit, h: s.histogram ? 1 : 0 };
          await tx.put(SERIES, this.#ids.get(s)!, record);
        }
        for (const [minute, p] of byMinute) {
          this.#seq = (this.#seq + 1) % 1e9;
          await tx.put(POINTS, `${minuteKey(minute)}/d${this.#writer}${String(this.#seq).padStart(9, '0')}`, { p } satisfies PointsRow);
          this.#uncompacted.add(minute);
        }
        // After the writes: a delta of a minute dropped meanwhile goes with it.
        await this.#deleteMinutes(tx, drops);
      }, { fsync })
      .catch((err: unknown) => {
        // Not stored: their records must be written with the next points.
        for (const s of newSeries) stored.delete(s);
        throw err;
      })
      .finally(() => {
        this.#flushing = undefined;
      });
    return this.#flushing;
  }

  /**
   * Every minute: drops expired minutes (the MetricStore notices retention only when a new minute begins), then merges
   * the delta rows of each minute that has passed into one row.
   */
  async maintain(): Promise<void> {
    this.#metrics.expire();
    await this.flush();
    const current = Math.floor(this.#now() / MINUTE_MS);
    const passed = [...this.#uncompacted].filter((m) => m < current);
    if (passed.length === 0) return;
    for (const m of passed) this.#uncompacted.delete(m);
    await this.#store.write(async (tx) => {
      for (const minute of passed) {
        const prefix = `${minuteKey(minute)}/`;
        const rows = await tx.list<PointsRow>(POINTS, prefix);
        if (rows.length <= 1) continue;
        const p = mergeEntries(rows.map((r) => r.value));
        await tx.deletePrefix(POINTS, prefix);
        await tx.put(POINTS, prefix + COMPACTED, { p } satisfies PointsRow);
      }
    });
  }

  #takeDrops(): number[] {
    const drops = [...this.#drops];
    this.#drops.clear();
    return drops;
  }

  async #deleteMinutes(tx: Tx, minutes: ReadonlyArray<number>): Promise<void> {
    for (const m of minutes) await tx.deletePrefix(POINTS, `${minuteKey(m)}/`);
  }

  /** Writes what is queued and stops the timers. */
  async close(): Promise<void> {
    await this.#loading?.catch(() => undefined); // a load still reading must not meet a closed store
    if (this.#maintenance) clearInterval(this.#maintenance);
    await this.flush();
  }

  /** Dev-mode reset (after the Store was wiped): nothing queued or stored belongs to the new state. */
  reset(): void {
    for (const { p } of this.#queue) p.delta = undefined;
    this.#queue = [];
    this.#drops.clear();
    this.#uncompacted.clear();
    this.#stored = new WeakSet();
  }
}

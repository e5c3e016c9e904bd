// CloudWatch-shaped metrics: one series per (region, namespace, metric name, dimensions), each a sparse map of
// 1-minute statistic sets (sample count, sum, minimum, maximum and, for latency-like metrics, a log-bucket histogram
// from which percentiles are estimated). The data plane and the functions service feed it once per request /
// invocation (./request-metrics.ts, ./function-metrics.ts); the CloudWatch API (./cloudwatch-api.ts) reads it.
//
// Bounds (documented in docs/architecture.md): points older than 15 days are dropped (CloudWatch keeps 1-minute
// data for 15 days); at most MAX_POINTS minute-points over all series (the oldest minute is dropped whole when
// over) and MAX_SERIES series (a new series beyond it is not created: its values are dropped, and one WARN line
// says so).
//
// Persistence (./metrics-journal.ts): the points live here, in memory, where reads are answered; a journal attached
// with `journalTo` is told what changed. Each point then carries a `delta` — what was added to it since the journal
// last wrote it — and the journal writes the deltas in batches (no store write per sample). Deltas rather than
// whole points because statistic sets merge (counts and sums add, minimum and maximum are idempotent), so written
// deltas never need rewriting and loading is replaying them.

export const MINUTE_MS = 60_000;
export const RETENTION_MS = 15 * 24 * 3600_000;
export const MAX_POINTS = 2_000_000;
export const MAX_SERIES = 50_000;
/** Bytes of series identity (names and dimension values) kept at most: a PutMetricData series may be 31 KB of names. */
export const MAX_KEY_BYTES = 64 * 1024 * 1024;

/** Histogram buckets grow by this factor: a percentile is estimated within about 2.5% of the true value. */
const BUCKET_GROWTH = 1.05;
const LOG_GROWTH = Math.log(BUCKET_GROWTH);

export type Dimensions = ReadonlyArray<readonly [name: string, value: string]>;

/** One minute of one series: a CloudWatch statistic set, plus a histogram when the series keeps one. */
export class MinutePoint {
  n = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  /** bucket index → count; only for series that keep distributions (latency, duration). */
  readonly hist: Map<number, number> | undefined;
  /** What was added since the journal last took it (only while a journal is attached). */
  delta: MinutePoint | undefined = undefined;
  constructor(withHistogram: boolean) {
    this.hist = withHistogram ? new Map() : undefined;
  }

  merge(n: number, sum: number, min: number, max: number): void {
    this.n += n;
    this.sum += sum;
    if (min < this.min) this.min = min;
    if (max > this.max) this.max = max;
  }
}

/** What a MetricStore tells its journal (./metrics-journal.ts). */
export interface MetricJournalHooks {
  /** A point changed for the first time since the journal last took its delta: returns the delta to add to. */
  changed(s: Series, minute: number, p: MinutePoint): MinutePoint;
  /** A whole minute was dropped (retention, point bound): the stored one goes too. */
  dropped(minute: number): void;
  /** Resolves once every change so far is stored. */
  flush(): Promise<void>;
  /** Samples were kept aside (PendingSamples): a write is due, which folds them in first (MetricStore.settle). */
  pending(): void;
}

/**
 * Samples a recorder keeps aside and adds to its series later, several at a time (./request-metrics.ts: a request
 * adds to one tally rather than to a dozen series). The store folds them in before every read and every journal write,
 * so nothing reads a series without them.
 */
export interface PendingSamples {
  /** Adds what was kept aside to the series. */
  fold(): void;
  /** Forgets it (dev-mode reset). */
  discard(): void;
}

export class Series {
  readonly key: string;
  readonly region: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Dimensions;
  readonly unit: string;
  readonly histogram: boolean;
  /** minute number (epoch ms / 60000) → point. */
  readonly points = new Map<number, MinutePoint>();
  lastMinute = -1;
  last: MinutePoint | undefined;
  readonly #store: MetricStore;

  constructor(store: MetricStore, key: string, region: string, namespace: string, metricName: string, dimensions: Dimensions, unit: string, histogram: boolean) {
    this.#store = store;
    this.key = key;
    this.region = region;
    this.namespace = namespace;
    this.metricName = metricName;
    this.dimensions = dimensions;
    this.unit = unit;
    this.histogram = histogram;
  }

  /** Adds one sample at epoch ms `at`. The hot path: no allocation unless a new minute begins (or a journal's delta). */
  add(at: number, value: number): void {
    const minute = Math.floor(at / MINUTE_MS);
    const p = this.#point(minute);
    p.merge(1, value, value, value);
    const d = this.#store.journaled ? (p.delta ?? this.#store.changed(this, minute, p)) : undefined;
    d?.merge(1, value, value, value);
    if (p.hist !== undefined) {
      const b = bucketOf(value);
      p.hist.set(b, (p.hist.get(b) ?? 0) + 1);
      d?.hist!.set(b, (d.hist!.get(b) ?? 0) + 1);
    }
  }

  /**
   * Adds a statistic set (PutMetricData's StatisticValues, `n` samples of one value, or a tally of samples) and, for a
   * series that keeps a histogram, the samples' counts per bucket (bucketOf) when they are known.
   */
  addSet(at: number, n: number, sum: number, min: number, max: number, buckets?: ReadonlyMap<number, number>): void {
    const minute = Math.floor(at / MINUTE_MS);
    const p = this.#point(minute);
    p.merge(n, sum, min, max);
    const d = this.#store.journaled ? (p.delta ?? this.#store.changed(this, minute, p)) : undefined;
    d?.merge(n, sum, min, max);
    if (buckets === undefined || p.hist === undefined) return;
    for (const [b, c] of buckets) {
      p.hist.set(b, (p.hist.get(b) ?? 0) + c);
      d?.hist!.set(b, (d.hist!.get(b) ?? 0) + c);
    }
  }

  /** Adds `count` samples of `value` to the histogram of the point at `at` (their statistic set is added apart). */
  addToHistogram(at: number, value: number, count: number): void {
    const minute = Math.floor(at / MINUTE_MS);
    const p = this.points.get(minute);
    if (p?.hist === undefined) return;
    const b = bucketOf(value);
    p.hist.set(b, (p.hist.get(b) ?? 0) + count);
    const d = this.#store.journaled ? (p.delta ?? this.#store.changed(this, minute, p)) : undefined;
    d?.hist!.set(b, (d.hist!.get(b) ?? 0) + count);
  }

  /** Merges a stored statistic set (a journal's replay at start): no delta, it is stored already. */
  restore(minute: number, n: number, sum: number, min: number, max: number, hist: ReadonlyArray<number> | undefined): void {
    const p = this.#point(minute);
    p.merge(n, sum, min, max);
    if (p.hist !== undefined && hist !== undefined) {
      for (let i = 0; i + 1 < hist.length; i += 2) p.hist.set(hist[i]!, (p.hist.get(hist[i]!) ?? 0) + hist[i + 1]!);
    }
  }

  #point(minute: number): MinutePoint {
    let p = minute === this.lastMinute ? this.last : this.points.get(minute);
    if (p === undefined) {
      p = new MinutePoint(this.histogram);
      this.points.set(minute, p);
      this.#store.pointAdded(this, minute);
    }
    if (minute >= this.lastMinute) {
      this.lastMinute = minute;
      this.last = p;
    }
    return p;
  }
}

/** Bucket 0 holds values ≤ 0; bucket k ≥ 1 holds values in (G^(k-2), G^(k-1)] shifted so that values < 1 share bucket 1. */
export function bucketOf(v: number): number {
  if (v <= 0) return 0;
  if (v <= 1) return 1;
  return 2 + Math.floor(Math.log(v) / LOG_GROWTH);
}

/** A representative value for a bucket: the geometric middle of its range. */
function bucketValue(b: number): number {
  if (b === 0) return 0;
  if (b === 1) return 1;
  return Math.pow(BUCKET_GROWTH, b - 2 + 0.5);
}

/** Statistics over a period: the points of one series between two minutes, merged. */
export interface Aggregate {
  n: number;
  sum: number;
  min: number;
  max: number;
  hist: Map<number, number> | undefined;
}

export interface MetricStoreOptions {
  retentionMs?: number;
  maxPoints?: number;
  maxSeries?: number;
  maxKeyBytes?: number;
  warn?: (line: string) => void;
  /** Epoch ms (the process clock tests inject): retention counts from it. */
  now?: () => number;
}

export class MetricStore {
  readonly #series = new Map<string, Series>();
  /** minute → series with a point in it, for dropping whole minutes (retention, point bound). */
  readonly #byMinute = new Map<number, Series[]>();
  #oldestMinute = Infinity;
  #points = 0;
  readonly #retentionMinutes: number;
  readonly #maxPoints: number;
  readonly #maxSeries: number;
  readonly #maxKeyBytes: number;
  #keyBytes = 0;
  readonly #warn: (line: string) => void;
  #warnedFull = false;
  readonly #now: () => number;
  #journal: MetricJournalHooks | undefined;
  #ready: Promise<void> = Promise.resolve();
  readonly #holders: PendingSamples[] = [];
  /** Whether a holder has kept samples aside since the last settle. */
  #unsettled = false;

  constructor(opts: MetricStoreOptions = {}) {
    this.#retentionMinutes = Math.ceil((opts.retentionMs ?? RETENTION_MS) / MINUTE_MS);
    this.#maxPoints = opts.maxPoints ?? MAX_POINTS;
    this.#maxSeries = opts.maxSeries ?? MAX_SERIES;
    this.#maxKeyBytes = opts.maxKeyBytes ?? MAX_KEY_BYTES;
    this.#now = opts.now ?? Date.now;
    this.#warn = opts.warn ?? ((l) => void process.stderr.write(`${l}\n`));
  }

  /** Whether a journal is attached (points then keep deltas for it). */
  get journaled(): boolean {
    return this.#journal !== undefined;
  }

  /** Attaches the journal that persists this store's points (./metrics-journal.ts). */
  journalTo(journal: MetricJournalHooks): void {
    this.#journal = journal;
  }

  /** Minutes of retention (the journal's load skips older rows). */
  get retentionMinutes(): number {
    return this.#retentionMinutes;
  }

  /** Reads wait for this (the journal's load of stored points). */
  whenReady(loaded: Promise<void>): void {
    this.#ready = loaded;
  }

  /** Registers a recorder that keeps samples aside (PendingSamples). */
  holdsPending(holder: PendingSamples): void {
    this.#holders.push(holder);
  }

  /** Called by a holder when it starts keeping samples aside again: the next read or journal write folds them in. */
  pendingAdded(): void {
    if (this.#unsettled) return;
    this.#unsettled = true;
    this.#journal?.pending();
  }

  /** Folds in every sample kept aside. Reads (all, find) and the journal's writes call it first. */
  settle(): void {
    if (!this.#unsettled) return;
    this.#unsettled = false;
    for (const h of this.#holders) h.fold();
  }

  /** Resolves once the stored points are loaded: the CloudWatch API's reads answer after it. */
  ready(): Promise<void> {
    return this.#ready;
  }

  /** Resolves once every change so far is stored (at once without a journal): PutMetricData answers after it. */
  durable(): Promise<void> {
    return this.#journal?.flush() ?? Promise.resolve();
  }

  /** Called by a series whose point has no delta yet: the journal queues the point and gives it one. */
  changed(s: Series, minute: number, p: MinutePoint): MinutePoint {
    return this.#journal!.changed(s, minute, p);
  }

  get pointCount(): number {
    return this.#points;
  }

  get seriesCount(): number {
    return this.#series.size;
  }

  /**
   * The series for these names, created on first use; undefined when the series bound is reached (its samples are
   * then not kept). Callers on the hot path keep the returned object rather than asking per sample.
   */
  series(region: string, namespace: string, metricName: string, dimensions: Dimensions, unit: string, histogram = false): Series | undefined {
    const key = seriesKey(region, namespace, metricName, dimensions);
    let s = this.#series.get(key);
    if (s === undefined) {
      if (this.#series.size >= this.#maxSeries || this.#keyBytes + key.length * 2 > this.#maxKeyBytes) {
        if (!this.#warnedFull) {
          this.#warnedFull = true;
          this.#warn(`WARN metrics: the series bound is reached (${this.#maxSeries} series or ${this.#maxKeyBytes} bytes of names); samples of new series are dropped until old ones expire`);
        }
        return undefined;
      }
      s = new Series(this, key, region, namespace, metricName, dimensions, unit, histogram);
      this.#series.set(key, s);
      this.#keyBytes += key.length * 2;
    }
    return s;
  }

  /** Every series of a region (ListMetrics, GetMetricStatistics filter these). */
  *all(region: string): Iterable<Series> {
    this.settle();
    for (const s of this.#series.values()) if (s.region === region) yield s;
  }

  find(region: string, namespace: string, metricName: string, dimensions: Dimensions): Series | undefined {
    this.settle();
    return this.#series.get(seriesKey(region, namespace, metricName, dimensions));
  }

  /** Merged statistics of the series' points in [fromMinute, toMinute). */
  aggregate(s: Series, fromMinute: number, toMinute: number): Aggregate | undefined {
    let agg: Aggregate | undefined;
    // Sparse points: walk whichever is shorter, the period's minutes or the series' points.
    const visit = (p: MinutePoint) => {
      agg ??= { n: 0, sum: 0, min: Infinity, max: -Infinity, hist: s.histogram ? new Map() : undefined };
      agg.n += p.n;
      agg.sum += p.sum;
      if (p.min < agg.min) agg.min = p.min;
      if (p.max > agg.max) agg.max = p.max;
      if (p.hist && agg.hist) for (const [b, c] of p.hist) agg.hist.set(b, (agg.hist.get(b) ?? 0) + c);
    };
    if (toMinute - fromMinute <= s.points.size) {
      for (let m = fromMinute; m < toMinute; m++) {
        const p = s.points.get(m);
        if (p) visit(p);
      }
    } else {
      for (const [m, p] of s.points) if (m >= fromMinute && m < toMinute) visit(p);
    }
    return agg;
  }

  /** Called by a series when it starts a new minute: indexes it and enforces retention and the point bound. */
  pointAdded(s: Series, minute: number): void {
    // A series whose points all expired was forgotten; a holder that kept it (the hot path's groups) brings it back.
    if (this.#series.get(s.key) !== s) {
      this.#series.set(s.key, s);
      this.#keyBytes += s.key.length * 2;
    }
    let list = this.#byMinute.get(minute);
    if (list === undefined) this.#byMinute.set(minute, (list = []));
    list.push(s);
    this.#points++;
    if (minute < this.#oldestMinute) this.#oldestMinute = minute;
    this.expire();
  }

  /** Drops the minutes retention has expired, and the oldest ones while over the point bound. */
  expire(): void {
    const expired = Math.floor(this.#now() / MINUTE_MS) - this.#retentionMinutes;
    while (this.#oldestMinute !== Infinity && (this.#oldestMinute < expired || this.#points > this.#maxPoints)) {
      this.#dropOldestMinute();
    }
  }

  #dropOldestMinute(): void {
    const minute = this.#oldestMinute;
    for (const s of this.#byMinute.get(minute) ?? []) {
      if (s.points.delete(minute)) this.#points--;
      if (s.lastMinute === minute) {
        s.lastMinute = -1;
        s.last = undefined;
      }
      if (s.points.size === 0 && this.#series.delete(s.key)) this.#keyBytes -= s.key.length * 2;
    }
    this.#byMinute.delete(minute);
    this.#journal?.dropped(minute);
    let next = Infinity;
    for (const m of this.#byMinute.keys()) if (m < next) next = m;
    this.#oldestMinute = next;
  }

  /** Dev-mode reset. */
  clear(): void {
    for (const h of this.#holders) h.discard();
    this.#unsettled = false;
    this.#series.clear();
    this.#keyBytes = 0;
    this.#byMinute.clear();
    this.#points = 0;
    this.#oldestMinute = Infinity;
  }
}

/**
 * A percentile (0..100) of an aggregate's histogram, clamped to the observed minimum and maximum (so a single value,
 * or identical values, come back exactly). Undefined without a histogram.
 */
export function percentile(agg: Aggregate, p: number): number | undefined {
  if (!agg.hist || agg.n === 0) return undefined;
  // The highest sample is known exactly; a bucket's middle would understate it.
  if (p >= 100) return agg.max;
  const rank = Math.max(1, Math.ceil((p / 100) * agg.n));
  const buckets = [...agg.hist.keys()].sort((a, b) => a - b);
  let seen = 0;
  for (const b of buckets) {
    seen += agg.hist.get(b)!;
    if (seen >= rank) return Math.min(agg.max, Math.max(agg.min, bucketValue(b)));
  }
  return agg.max;
}

function seriesKey(region: string, namespace: string, metricName: string, dimensions: Dimensions): string {
  // Dimension order does not make another metric (CloudWatch identifies a metric by its set of dimensions).
  const dims = dimensions.length <= 1 ? dimensions : [...dimensions].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let key = `${region}\u0000${namespace}\u0000${metricName}`;
  for (const [n, v] of dims) key += `\u0000${n}\u0001${v}`;
  return key;
}

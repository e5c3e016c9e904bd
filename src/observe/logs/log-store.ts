// CloudWatch Logs' data, kept in the store: log groups, log streams and their events, with retention.
//
// Collections (keys begin with the region, as every regional entity's; ':' cannot occur in a group or stream name,
// so it separates them and `{group}:` lists exactly one group's streams or events):
//   loggroups   {region}/{group}                        LogGroupRecord (DescribeLogGroups' shape)
//   logstreams  {region}/{group}:{stream}               LogStreamRecord (DescribeLogStreams' shape)
//   logevents   {region}/{group}:{stream}:{position}    StoredChunk: the events of one write (a PutLogEvents
//                                                       call, or one batch of Gatehouse's writers for a stream),
//                                                       keyed by its first event's position. A position is a
//                                                       16-digit timestamp + a 10-digit sequence: positions order
//                                                       events in time and are their event ids. One row per write,
//                                                       not per event: a batch costs one insert (readEvents sorts).
//
// Gatehouse's own writers (access, execution, Lambda logs, the audit trail) call `append`, which only queues: one
// transaction every 100 ms (or when 50,000 events wait) writes every queue (each commit syncs to disk on the event
// loop: few large commits, not many small ones), so the request path never waits on disk.
// The queue is bounded (MAX_PENDING events); past it events are dropped and counted, and the next flush writes one
// line saying how many were lost. PutLogEvents writes in its own transaction before it answers (acknowledged
// events are durable). Retention: reads never return events older than the group's retention, and a sweep every
// minute (and `sweep()`) deletes them.
import type { Store, Tx } from '../../store/store.ts';

export interface LogGroupRecord {
  logGroupName: string;
  creationTime: number;
  retentionInDays?: number;
  metricFilterCount: number;
  arn: string;
  storedBytes: number;
}

export interface LogStreamRecord {
  logStreamName: string;
  creationTime: number;
  firstEventTimestamp?: number;
  lastEventTimestamp?: number;
  lastIngestionTime?: number;
  uploadSequenceToken: string;
  arn: string;
  storedBytes: number;
}

/** One write's events: [position, timestamp, message] each, and the ingestion time they share. */
export interface StoredChunk {
  i: number;
  e: Array<[string, number, string]>;
}

/** An event as read back. */
export interface StoredEvent {
  stream: string;
  position: string;
  /** timestamp */
  t: number;
  /** message */
  m: string;
  /** ingestionTime */
  i: number;
}

/**
 * The events of a group (`gKey` = groupKey(...)) whose stream name begins with `streamPrefix` — one stream's when it
 * is `{stream}:` — in position (time) order.
 */
export async function readEvents(tx: Tx, gKey: string, streamPrefix = ''): Promise<StoredEvent[]> {
  const rows = await tx.list<StoredChunk>('logevents', `${gKey}:${streamPrefix}`);
  const out: StoredEvent[] = [];
  for (const r of rows) {
    const rest = r.key.slice(gKey.length + 1);
    const stream = rest.slice(0, rest.lastIndexOf(':'));
    for (const [position, t, m] of r.value.e) out.push({ stream, position, t, m, i: r.value.i });
  }
  if (rows.length > 1) out.sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
  return out;
}

export interface OutputEvent {
  logStreamName: string;
  timestamp: number;
  message: string;
  ingestionTime: number;
  eventId: string;
}

export interface InputEvent {
  timestamp: number;
  message: string;
}

const FLUSH_MS = 100;
const FLUSH_EVENTS = 50_000;
/** Events queued by Gatehouse's writers at most (about 200 MB of 1 KB lines at worst) before new ones are dropped. */
export const MAX_PENDING = 200_000;
const DAY_MS = 86_400_000;
const SWEEP_MS = 60_000;

export const groupKey = (region: string, group: string) => `${region}/${group}`;
export const streamKey = (region: string, group: string, stream: string) => `${region}/${group}:${stream}`;
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** What a queued write needs: where, what, and whether Gatehouse may create the group (AWS services create theirs). */
interface Queue {
  region: string;
  group: string;
  stream: string;
  createGroup: boolean;
  events: InputEvent[];
}

export class LogStore {
  private readonly store: Store;
  private readonly accountId: string;
  private readonly now: () => Date;
  private readonly queues = new Map<string, Queue>();
  private pending = 0;
  private dropped = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private readonly sweeper: NodeJS.Timeout;
  // Sequence numbers make positions unique within a millisecond; a random start keeps them apart across restarts.
  private seq = Math.floor(Math.random() * 1e9);
  /** Events Gatehouse's writers queued that were stored, and those dropped because the queue was full. */
  readonly stats = { written: 0, dropped: 0 };

  constructor(store: Store, accountId: string, now: () => Date) {
    this.store = store;
    this.accountId = accountId;
    this.now = now;
    this.sweeper = setInterval(() => void this.sweep().catch(() => undefined), SWEEP_MS);
    this.sweeper.unref();
  }

  groupArn(region: string, group: string): string {
    return `arn:aws:logs:${region}:${this.accountId}:log-group:${group}:*`;
  }

  newGroup(region: string, group: string, now: number): LogGroupRecord {
    return { logGroupName: group, creationTime: now, metricFilterCount: 0, arn: this.groupArn(region, group), storedBytes: 0 };
  }

  newStream(region: string, group: string, stream: string, now: number): LogStreamRecord {
    return {
      logStreamName: stream,
      creationTime: now,
      uploadSequenceToken: '1',
      arn: `arn:aws:logs:${region}:${this.accountId}:log-group:${group}:log-stream:${stream}`,
      storedBytes: 0,
    };
  }

  nextPosition(timestamp: number): string {
    this.seq = (this.seq + 1) % 1e10;
    return pad(Math.max(0, Math.min(timestamp, 9_999_999_999_999_999)), 16) + pad(this.seq, 10);
  }

  /**
   * Queues events for a stream (created on first write). `createGroup`: the group is created when missing, as API
   * Gateway does for execution logs and Lambda for its functions; otherwise (access logs) events for a group that
   * does not exist are not delivered, as on AWS.
   */
  append(region: string, group: string, stream: string, events: InputEvent[], createGroup: boolean): void {
    if (events.length === 0) return;
    if (this.pending + events.length > MAX_PENDING) {
      this.dropped += events.length;
      this.stats.dropped += events.length;
      return;
    }
    const key = `${region}\u0000${group}\u0000${stream}`;
    let q = this.queues.get(key);
    if (!q) {
      q = { region, group, stream, createGroup, events: [] };
      this.queues.set(key, q);
    }
    for (const e of events) q.events.push(e);
    this.pending += events.length;
    if (this.pending >= FLUSH_EVENTS) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
  }

  /** Writes every queued event in one transaction. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.flushing) return this.flushing.then(() => (this.pending > 0 ? this.flush() : undefined));
    if (this.pending === 0) return Promise.resolve();
    const queues = [...this.queues.values()];
    this.queues.clear();
    this.pending = 0;
    const dropped = this.dropped;
    this.dropped = 0;
    const ingestion = this.now().getTime();
    this.flushing = this.store
      .write(async (tx) => {
        for (const q of queues) {
          if (dropped > 0 && q === queues[0]) {
            q.events.push({ timestamp: ingestion, message: `Gatehouse: ${dropped} log events dropped (written faster than the store takes them)` });
          }
          if (await this.writeEvents(tx, q.region, q.group, q.stream, q.events, ingestion, q.createGroup)) this.stats.written += q.events.length;
        }
      })
      .catch((err: unknown) => {
        process.stderr.write(`gatehouse: log events could not be stored: ${(err as Error).message}\n`);
      })
      .finally(() => {
        this.flushing = undefined;
      });
    return this.flushing;
  }

  /** Writes events in a transaction; returns false when the group (or, unless created, the stream) is missing. */
  async writeEvents(tx: Tx, region: string, group: string, stream: string, events: InputEvent[], ingestion: number, create: boolean): Promise<boolean> {
    let g = await tx.get<LogGroupRecord>('loggroups', groupKey(region, group));
    if (!g) {
      if (!create) return false;
      g = this.newGroup(region, group, ingestion);
    }
    const sKey = streamKey(region, group, stream);
    let s = await tx.get<LogStreamRecord>('logstreams', sKey);
    if (!s) s = this.newStream(region, group, stream, ingestion);
    let bytes = 0;
    const chunk: StoredChunk = { i: ingestion, e: [] };
    for (const e of events) {
      chunk.e.push([this.nextPosition(e.timestamp), e.timestamp, e.message]);
      bytes += e.message.length + 26;
      if (s.firstEventTimestamp === undefined || e.timestamp < s.firstEventTimestamp) s.firstEventTimestamp = e.timestamp;
      if (s.lastEventTimestamp === undefined || e.timestamp > s.lastEventTimestamp) s.lastEventTimestamp = e.timestamp;
    }
    if (chunk.e.length) await tx.put('logevents', `${sKey}:${chunk.e[0]![0]}`, chunk);
    s.lastIngestionTime = ingestion;
    s.uploadSequenceToken = String(BigInt(s.uploadSequenceToken) + 1n);
    g.storedBytes += bytes;
    await tx.put('logstreams', sKey, s);
    await tx.put('loggroups', groupKey(region, group), g);
    return true;
  }

  /** The oldest timestamp a group's retention keeps (0: kept forever). */
  retentionFloor(g: LogGroupRecord, now: number): number {
    return g.retentionInDays ? now - g.retentionInDays * DAY_MS : 0;
  }

  /** Deletes the events every group's retention has expired. */
  async sweep(): Promise<number> {
    const now = this.now().getTime();
    const groups = await this.store.read((tx) => tx.list<LogGroupRecord>('loggroups'));
    let removed = 0;
    for (const { key, value } of groups) {
      if (!value.retentionInDays) continue;
      const floor = this.retentionFloor(value, now);
      removed += await this.store.write(async (tx) => {
        let n = 0;
        let bytes = 0;
        for (const row of await tx.list<StoredChunk>('logevents', `${key}:`)) {
          const kept = row.value.e.filter(([, t]) => t >= floor);
          if (kept.length === row.value.e.length) continue;
          for (const [, t, m] of row.value.e) if (t < floor) bytes += m.length + 26;
          n += row.value.e.length - kept.length;
          if (kept.length === 0) await tx.delete('logevents', row.key);
          else await tx.put('logevents', row.key, { i: row.value.i, e: kept });
        }
        if (n > 0) {
          const g = await tx.get<LogGroupRecord>('loggroups', key);
          if (g) await tx.put('loggroups', key, { ...g, storedBytes: Math.max(0, g.storedBytes - bytes) });
        }
        return n;
      });
    }
    return removed;
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    await this.flush();
  }

  /** Dev-mode reset: queued events belong to the wiped state. */
  reset(): void {
    this.queues.clear();
    this.pending = 0;
    this.dropped = 0;
  }
}

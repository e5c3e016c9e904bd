// The CloudWatch Logs API (`logs`, awsJson1.1: src/aws/json-protocol.ts) over the LogStore: log groups and streams,
// PutLogEvents, GetLogEvents, FilterLogEvents (filter patterns: ./filter-pattern.ts), retention. Texts are AWS's
// (recorded in LocalStack's AWS-validated snapshots tests/aws/services/logs/*.snapshot.json).
import { AwsError } from '../../aws/errors.ts';
import type { HandlerTable, OperationContext } from '../../aws/operation.ts';
import { compileFilterPattern, FilterPatternError } from './filter-pattern.ts';
import { groupKey, readEvents, streamKey, type LogGroupRecord, type LogStore, type LogStreamRecord, type OutputEvent, type StoredEvent } from './log-store.ts';

export const LOG_STORE = 'logs';

const err = (code: string) => (message: string) => new AwsError(code, 400, message);
const InvalidParameter = err('InvalidParameterException');
const NotFound = err('ResourceNotFoundException');
const AlreadyExists = err('ResourceAlreadyExistsException');

const groupMissing = () => NotFound('The specified log group does not exist.');
const streamMissing = () => NotFound('The specified log stream does not exist.');
const badToken = () => InvalidParameter('The specified nextToken is invalid.');

// PutRetentionPolicy's accepted values (the API reference's list).
const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
const DAY_MS = 86_400_000;
const MAX_EVENTS = 10_000;
const MAX_RESPONSE_BYTES = 1_048_576;

function logs(ctx: OperationContext): LogStore {
  return ctx.services[LOG_STORE] as LogStore;
}

/** logGroupName or logGroupIdentifier (a name or an ARN), exclusively. */
function groupName(input: Record<string, any>): string {
  const name = input.logGroupName as string | undefined;
  const id = input.logGroupIdentifier as string | undefined;
  if (name !== undefined && id !== undefined) throw InvalidParameter('LogGroup name and LogGroup ARN are mutually exclusive parameters.');
  if (id !== undefined) {
    const m = /^arn:aws[a-z-]*:logs:[^:]*:\d{12}:log-group:([^:]+)(:\*)?$/.exec(id);
    return m ? m[1]! : id;
  }
  if (name === undefined) throw InvalidParameter('Either logGroupName or logGroupIdentifier should be provided');
  return name;
}

function encodeToken(v: unknown): string {
  return Buffer.from(JSON.stringify(v)).toString('base64url');
}

function decodeToken<T>(token: string | undefined, check: (v: any) => boolean): T | undefined {
  if (token === undefined) return undefined;
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (check(v)) return v as T;
  } catch {
    // fall through
  }
  throw badToken();
}

async function requireGroup(ctx: OperationContext, group: string): Promise<LogGroupRecord> {
  const g = await ctx.globalDb.read((tx) => tx.get<LogGroupRecord>('loggroups', groupKey(ctx.region, group)));
  if (!g) throw groupMissing();
  return g;
}

function outputGroup(g: LogGroupRecord): Record<string, unknown> {
  return { ...g };
}

export const logsHandlers: HandlerTable = {
  async CreateLogGroup(input, ctx) {
    const name = input.logGroupName as string;
    const store = logs(ctx);
    await ctx.globalDb.write(async (tx) => {
      const key = groupKey(ctx.region, name);
      if (await tx.get('loggroups', key)) throw AlreadyExists('The specified log group already exists');
      await tx.put('loggroups', key, store.newGroup(ctx.region, name, ctx.now().getTime()));
    });
  },

  async DeleteLogGroup(input, ctx) {
    const name = input.logGroupName as string;
    await ctx.globalDb.write(async (tx) => {
      const key = groupKey(ctx.region, name);
      if (!(await tx.delete('loggroups', key))) throw groupMissing();
      await tx.deletePrefix('logstreams', `${key}:`);
      await tx.deletePrefix('logevents', `${key}:`);
    });
  },

  async DescribeLogGroups(input, ctx) {
    const prefix = input.logGroupNamePrefix as string | undefined;
    const pattern = input.logGroupNamePattern as string | undefined;
    if (prefix !== undefined && pattern !== undefined) throw InvalidParameter('LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.');
    const limit = (input.limit as number | undefined) ?? 50;
    const after = decodeToken<string>(input.nextToken, (v) => typeof v === 'string');
    const all = await ctx.globalDb.read((tx) => tx.list<LogGroupRecord>('loggroups', `${ctx.region}/${prefix ?? ''}`));
    const matching = all.map((r) => r.value).filter((g) => (pattern === undefined || g.logGroupName.toLowerCase().includes(pattern.toLowerCase())) && (after === undefined || g.logGroupName > after));
    const page = matching.slice(0, limit);
    return {
      logGroups: page.map(outputGroup),
      ...(matching.length > limit ? { nextToken: encodeToken(page[page.length - 1]!.logGroupName) } : {}),
    };
  },

  async PutRetentionPolicy(input, ctx) {
    const days = input.retentionInDays as number;
    if (!RETENTION_DAYS.includes(days)) {
      throw InvalidParameter(`1 validation error detected: Value '${days}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`);
    }
    const name = groupName(input);
    await ctx.globalDb.write(async (tx) => {
      const key = groupKey(ctx.region, name);
      const g = await tx.get<LogGroupRecord>('loggroups', key);
      if (!g) throw groupMissing();
      await tx.put('loggroups', key, { ...g, retentionInDays: days });
    });
  },

  async DeleteRetentionPolicy(input, ctx) {
    const name = groupName(input);
    await ctx.globalDb.write(async (tx) => {
      const key = groupKey(ctx.region, name);
      const g = await tx.get<LogGroupRecord>('loggroups', key);
      if (!g) throw groupMissing();
      const { retentionInDays: _, ...rest } = g;
      await tx.put('loggroups', key, rest);
    });
  },

  async CreateLogStream(input, ctx) {
    const group = input.logGroupName as string;
    const stream = input.logStreamName as string;
    const store = logs(ctx);
    await ctx.globalDb.write(async (tx) => {
      if (!(await tx.get('loggroups', groupKey(ctx.region, group)))) throw groupMissing();
      const key = streamKey(ctx.region, group, stream);
      if (await tx.get('logstreams', key)) throw AlreadyExists('The specified log stream already exists');
      await tx.put('logstreams', key, store.newStream(ctx.region, group, stream, ctx.now().getTime()));
    });
  },

  async DeleteLogStream(input, ctx) {
    const group = input.logGroupName as string;
    const stream = input.logStreamName as string;
    await ctx.globalDb.write(async (tx) => {
      if (!(await tx.get('loggroups', groupKey(ctx.region, group)))) throw groupMissing();
      const key = streamKey(ctx.region, group, stream);
      if (!(await tx.delete('logstreams', key))) throw streamMissing();
      await tx.deletePrefix('logevents', `${key}:`);
    });
  },

  async DescribeLogStreams(input, ctx) {
    const group = groupName(input);
    const prefix = input.logStreamNamePrefix as string | undefined;
    const orderBy = (input.orderBy as string | undefined) ?? 'LogStreamName';
    if (orderBy === 'LastEventTime' && prefix !== undefined) throw InvalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.');
    const descending = input.descending === true;
    const limit = (input.limit as number | undefined) ?? 50;
    const offset = decodeToken<number>(input.nextToken, (v) => Number.isInteger(v) && v >= 0) ?? 0;
    await requireGroup(ctx, group);
    const rows = await ctx.globalDb.read((tx) => tx.list<LogStreamRecord>('logstreams', `${streamKey(ctx.region, group, prefix ?? '')}`));
    const streams = rows.map((r) => r.value);
    if (orderBy === 'LastEventTime') streams.sort((a, b) => (a.lastEventTimestamp ?? 0) - (b.lastEventTimestamp ?? 0) || (a.logStreamName < b.logStreamName ? -1 : 1));
    if (descending) streams.reverse();
    const page = streams.slice(offset, offset + limit);
    return { logStreams: page, ...(offset + limit < streams.length ? { nextToken: encodeToken(offset + limit) } : {}) };
  },

  async PutLogEvents(input, ctx) {
    const group = groupName(input);
    const stream = input.logStreamName as string;
    const events = input.logEvents as Array<{ timestamp: number; message: string }>;
    for (let i = 1; i < events.length; i++) {
      if (events[i]!.timestamp < events[i - 1]!.timestamp) throw InvalidParameter('Log events in a single PutLogEvents request must be in chronological order.');
    }
    if (events.length > 1 && events[events.length - 1]!.timestamp - events[0]!.timestamp > DAY_MS) {
      throw InvalidParameter('The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
    }
    const now = ctx.now().getTime();
    const store = logs(ctx);
    return ctx.globalDb.write(async (tx) => {
      const g = await tx.get<LogGroupRecord>('loggroups', groupKey(ctx.region, group));
      if (!g) throw groupMissing();
      const s = await tx.get<LogStreamRecord>('logstreams', streamKey(ctx.region, group, stream));
      if (!s) throw streamMissing();
      // Events more than 14 days old (or past the retention), or more than 2 hours ahead, are rejected, not stored.
      const tooOld = now - 14 * DAY_MS;
      const expired = store.retentionFloor(g, now);
      const tooNew = now + 2 * 3_600_000;
      const info: Record<string, number> = {};
      const accepted: Array<{ timestamp: number; message: string }> = [];
      events.forEach((e, i) => {
        if (e.timestamp < expired) info.expiredLogEventEndIndex = i;
        else if (e.timestamp < tooOld) info.tooOldLogEventEndIndex = i;
        else if (e.timestamp > tooNew) info.tooNewLogEventStartIndex ??= i;
        else accepted.push(e);
      });
      await store.writeEvents(tx, ctx.region, group, stream, accepted, now, false);
      const after = await tx.get<LogStreamRecord>('logstreams', streamKey(ctx.region, group, stream));
      return { nextSequenceToken: after?.uploadSequenceToken, ...(Object.keys(info).length ? { rejectedLogEventsInfo: info } : {}) };
    });
  },

  async GetLogEvents(input, ctx) {
    const group = groupName(input);
    const stream = input.logStreamName as string;
    const limit = (input.limit as number | undefined) ?? MAX_EVENTS;
    const token = input.nextToken as string | undefined;
    const parsed = token === undefined ? undefined : /^([fb])\/(\d{26})$/.exec(token);
    if (token !== undefined && !parsed) throw badToken();
    const g = await requireGroup(ctx, group);
    const sKey = streamKey(ctx.region, group, stream);
    const floor = Math.max(logs(ctx).retentionFloor(g, ctx.now().getTime()), (input.startTime as number | undefined) ?? 0);
    const end = (input.endTime as number | undefined) ?? Infinity;
    const rows = await ctx.globalDb.read(async (tx) => {
      if (!(await tx.get('logstreams', sKey))) throw streamMissing();
      return readEvents(tx, groupKey(ctx.region, group), `${stream}:`);
    });
    const all = rows.filter((e) => e.t >= floor && e.t < end).map((e) => ({ position: e.position, e }));
    // Forward (from the head, or after a forward token) or backward (the newest, or before a backward token).
    let page: typeof all;
    const forward = parsed ? parsed[1] === 'f' : input.startFromHead === true;
    if (forward) {
      const from = parsed ? all.findIndex((r) => r.position > parsed[2]!) : 0;
      page = from === -1 ? [] : takeWithin(all.slice(from), limit);
    } else {
      const before = parsed ? all.filter((r) => r.position < parsed[2]!) : all;
      page = takeWithin(before.reverse(), limit).reverse();
    }
    const first = page[0]?.position ?? (parsed ? parsed[2]! : '0'.repeat(26));
    const last = page[page.length - 1]?.position ?? (parsed ? parsed[2]! : '9'.repeat(26));
    return {
      events: page.map((r) => ({ timestamp: r.e.t, message: r.e.m, ingestionTime: r.e.i })),
      nextForwardToken: `f/${last}`,
      nextBackwardToken: `b/${first}`,
    };
  },

  async FilterLogEvents(input, ctx) {
    const group = groupName(input);
    const names = input.logStreamNames as string[] | undefined;
    const prefix = input.logStreamNamePrefix as string | undefined;
    if (names !== undefined && prefix !== undefined) throw InvalidParameter('logStreamNames and logStreamNamePrefix are mutually exclusive parameters.');
    const limit = (input.limit as number | undefined) ?? MAX_EVENTS;
    const after = decodeToken<string>(input.nextToken, (v) => typeof v === 'string' && /^\d{26}$/.test(v));
    let matches;
    try {
      matches = compileFilterPattern(input.filterPattern as string | undefined);
    } catch (e) {
      if (e instanceof FilterPatternError) throw InvalidParameter(e.message);
      throw e;
    }
    const g = await requireGroup(ctx, group);
    const floor = Math.max(logs(ctx).retentionFloor(g, ctx.now().getTime()), (input.startTime as number | undefined) ?? 0);
    const end = (input.endTime as number | undefined) ?? Infinity;
    const gKey = groupKey(ctx.region, group);
    const rows = await ctx.globalDb.read((tx) => readEvents(tx, gKey, prefix ?? ''));
    const wanted = names ? new Set(names) : undefined;
    const found: Array<OutputEvent & { size: number }> = [];
    for (const e of rows) {
      if (e.t < floor || e.t > end) continue;
      if (wanted && !wanted.has(e.stream)) continue;
      if (after !== undefined && e.position <= after) continue;
      if (!matches(e.m)) continue;
      found.push({ logStreamName: e.stream, timestamp: e.t, message: e.m, ingestionTime: e.i, eventId: e.position, size: e.m.length + 26 });
    }
    // Interleaved: every stream's events in one time order (positions begin with the timestamp).
    found.sort((a, b) => (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
    const page = takeWithin(found, limit);
    return {
      events: page.map(({ size: _, ...e }) => e),
      ...(page.length < found.length ? { nextToken: encodeToken(page[page.length - 1]!.eventId) } : {}),
    };
  },
};

/** The first items up to `limit` and 1 MB of messages, as AWS bounds a response. */
function takeWithin<T extends { e?: StoredEvent; size?: number }>(items: T[], limit: number): T[] {
  let bytes = 0;
  let n = 0;
  for (const it of items) {
    if (n >= limit) break;
    bytes += it.size ?? (it.e ? it.e.m.length + 26 : 0);
    if (bytes > MAX_RESPONSE_BYTES && n > 0) break;
    n++;
  }
  return items.slice(0, n);
}

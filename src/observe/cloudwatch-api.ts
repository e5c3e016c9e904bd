// The CloudWatch metrics API (`monitoring`, served over awsQuery by src/aws/query-protocol.ts from the official model):
// ListMetrics, GetMetricStatistics, GetMetricData and PutMetricData over the metrics recorded (./metrics-store.ts,
// persisted by ./metrics-journal.ts). Error codes and texts are CloudWatch's where AWS's recordings show them (LocalStack's
// validated snapshots, tests/aws/services/cloudwatch/test_cloudwatch.snapshot.json: the 1440-datapoint limit, the
// StartTime/EndTime order, PutMetricData's mutually exclusive members).
//
// Not done (refused loudly rather than answered wrongly): metric math (`Expression` in GetMetricData), statistics
// other than the five and percentiles (`pNN`), periods that are not multiples of 60 (every point here has 1-minute
// resolution), and cross-account observability (IncludeLinkedAccounts, OwningAccount, AccountId).
import { AwsError } from '../aws/errors.ts';
import type { HandlerTable, OperationContext, OperationInput } from '../aws/operation.ts';
import { MINUTE_MS, percentile, type Aggregate, type Dimensions, type MetricStore, type Series } from './metrics-store.ts';

export const METRIC_STORE = 'metricStore';

const invalidValue = (message: string) => new AwsError('InvalidParameterValue', 400, message);
const invalidCombination = (message: string) => new AwsError('InvalidParameterCombination', 400, message);
const missingParameter = (message: string) => new AwsError('MissingParameter', 400, message);

const MAX_DATAPOINTS = 1440;
// CloudWatch's documented limits: GetMetricData takes at most 500 queries and returns at most 100,800 datapoints a
// call; PutMetricData takes at most 1,000 metrics of at most 150 values each, timestamped up to two weeks back and
// two hours ahead. The model does not carry them; they are checked here.
const MAX_QUERIES = 500;
const MAX_METRIC_DATA_POINTS = 100_800;
const MAX_PUT_DATA = 1000;
const MAX_PUT_VALUES = 150;
const PAST_MS = 14 * 24 * 3600_000;
const FUTURE_MS = 2 * 3600_000;
const LIST_PAGE = 500;
const PERCENTILE = /^p(\d{1,2}(?:\.\d{1,10})?|100)$/;
const STATISTICS = new Set(['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum']);

function storeOf(ctx: OperationContext): MetricStore {
  return ctx.services[METRIC_STORE] as MetricStore;
}

interface DimensionInput {
  Name: string;
  Value?: string;
}

function dimensionsOf(list: DimensionInput[] | undefined): Dimensions {
  return (list ?? []).map((d) => [d.Name, d.Value ?? ''] as const);
}

function wireDimensions(d: Dimensions): Array<{ Name: string; Value: string }> {
  return d.map(([Name, Value]) => ({ Name, Value }));
}

/** The value of one statistic (one of the five, or a percentile) over an aggregate; undefined when it has none. */
function statistic(agg: Aggregate, stat: string): number | undefined {
  switch (stat) {
    case 'SampleCount':
      return agg.n;
    case 'Sum':
      return agg.sum;
    case 'Average':
      return agg.sum / agg.n;
    case 'Minimum':
      return agg.min;
    case 'Maximum':
      return agg.max;
    default:
      return percentile(agg, Number(stat.slice(1)));
  }
}

function checkPeriod(period: number, name: string): void {
  // Every point here is a 1-minute aggregate: a shorter or unaligned period cannot be answered truthfully.
  if (period % 60 !== 0) throw invalidValue(`The parameter ${name} must be a multiple of 60.`);
}

function checkRange(start: Date, end: Date): void {
  if (!(start.getTime() < end.getTime())) throw invalidValue('The parameter StartTime must be less than the parameter EndTime.');
}

/** Period buckets from StartTime rounded down to the minute (as CloudWatch rounds a recent StartTime), EndTime exclusive. */
function buckets(start: Date, end: Date, periodSeconds: number): { from: number; periodMinutes: number; count: number } {
  const from = Math.floor(start.getTime() / MINUTE_MS);
  const periodMinutes = periodSeconds / 60;
  const to = Math.ceil(end.getTime() / MINUTE_MS);
  return { from, periodMinutes, count: Math.max(0, Math.ceil((to - from) / periodMinutes)) };
}

/** The series' aggregates per bucket (only buckets holding data), oldest first. */
function* periods(store: MetricStore, s: Series, start: Date, end: Date, periodSeconds: number): Iterable<[Date, Aggregate]> {
  const { from, periodMinutes, count } = buckets(start, end, periodSeconds);
  const endMinute = Math.ceil(end.getTime() / MINUTE_MS);
  for (let i = 0; i < count; i++) {
    const a = from + i * periodMinutes;
    const agg = store.aggregate(s, a, Math.min(a + periodMinutes, endMinute));
    if (agg !== undefined && agg.n > 0) yield [new Date(a * MINUTE_MS), agg];
  }
}

function checkUnit(s: Series, unit: string | undefined): boolean {
  return unit === undefined || unit === s.unit;
}

export const cloudwatchHandlers: HandlerTable = {
  async ListMetrics(input: OperationInput, ctx) {
    if (input.IncludeLinkedAccounts === true || input.OwningAccount !== undefined) {
      throw invalidValue('Cross-account observability is not available in this version of Gatehouse: every metric belongs to this account.');
    }
    const filters: DimensionInput[] = input.Dimensions ?? [];
    await storeOf(ctx).ready();
    const recentFrom = input.RecentlyActive === 'PT3H' ? Math.floor((ctx.now().getTime() - 3 * 3600_000) / MINUTE_MS) : -Infinity;
    const found: Series[] = [];
    for (const s of storeOf(ctx).all(ctx.region)) {
      // Series exist from a request's first use of its dimension set; only those with data are metrics.
      if (s.points.size === 0) continue;
      if (input.Namespace !== undefined && s.namespace !== input.Namespace) continue;
      if (input.MetricName !== undefined && s.metricName !== input.MetricName) continue;
      if (!filters.every((f) => s.dimensions.some(([n, v]) => n === f.Name && (f.Value === undefined || v === f.Value)))) continue;
      if (recentFrom !== -Infinity && !(s.lastMinute >= recentFrom)) continue;
      found.push(s);
    }
    found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    let offset = 0;
    if (input.NextToken !== undefined) {
      offset = Number(Buffer.from(input.NextToken as string, 'base64url').toString('utf8'));
      if (!Number.isInteger(offset) || offset < 0) throw new AwsError('InvalidNextToken', 400, 'The service returned an error with Error Code InvalidNextToken.');
    }
    const page = found.slice(offset, offset + LIST_PAGE);
    const next = offset + LIST_PAGE < found.length ? Buffer.from(String(offset + LIST_PAGE)).toString('base64url') : undefined;
    return {
      Metrics: page.map((s) => ({ Namespace: s.namespace, MetricName: s.metricName, Dimensions: wireDimensions(s.dimensions) })),
      ...(next ? { NextToken: next } : {}),
    };
  },

  async GetMetricStatistics(input: OperationInput, ctx) {
    const start = input.StartTime as Date;
    const end = input.EndTime as Date;
    const period = input.Period as number;
    const stats: string[] = input.Statistics ?? [];
    const extended: string[] = input.ExtendedStatistics ?? [];
    if (stats.length === 0 && extended.length === 0) {
      throw missingParameter('The parameter Statistics or ExtendedStatistics must be specified.');
    }
    if (stats.length > 0 && extended.length > 0) {
      throw invalidCombination('The parameters Statistics and ExtendedStatistics are mutually exclusive and you have specified both.');
    }
    for (const e of extended) if (!PERCENTILE.test(e)) throw invalidValue(`The value ${e} for parameter ExtendedStatistics is not supported.`);
    checkPeriod(period, 'Period');
    checkRange(start, end);
    const expected = Math.floor((end.getTime() - start.getTime()) / 1000 / period);
    if (expected > MAX_DATAPOINTS) {
      throw invalidCombination(
        `You have requested up to ${expected} datapoints, which exceeds the limit of ${MAX_DATAPOINTS}. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`,
      );
    }
    const store = storeOf(ctx);
    await store.ready();
    const s = store.find(ctx.region, input.Namespace, input.MetricName, dimensionsOf(input.Dimensions));
    const datapoints: Record<string, unknown>[] = [];
    if (s !== undefined && checkUnit(s, input.Unit)) {
      for (const [at, agg] of periods(store, s, start, end, period)) {
        const dp: Record<string, unknown> = { Timestamp: at, Unit: s.unit };
        for (const st of stats) dp[st] = statistic(agg, st);
        if (extended.length > 0) {
          const ext: Record<string, number> = {};
          for (const e of extended) {
            const v = statistic(agg, e);
            if (v !== undefined) ext[e] = v;
          }
          dp.ExtendedStatistics = ext;
        }
        datapoints.push(dp);
      }
    }
    return { Label: input.MetricName, Datapoints: datapoints };
  },

  async GetMetricData(input: OperationInput, ctx) {
    const start = input.StartTime as Date;
    const end = input.EndTime as Date;
    checkRange(start, end);
    if (input.NextToken !== undefined) throw new AwsError('InvalidNextToken', 400, 'The service returned an error with Error Code InvalidNextToken.');
    const queries: OperationInput[] = input.MetricDataQueries;
    if (queries.length > MAX_QUERIES) throw invalidValue(`The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`);
    const ids = new Set<string>();
    let requested = 0;
    for (const q of queries) {
      if (ids.has(q.Id)) throw new AwsError('ValidationError', 400, `The value for field MetricDataQueries.Id '${q.Id}' must be unique.`);
      ids.add(q.Id);
      if (q.Expression !== undefined) throw invalidValue(`Metric math is not available in this version of Gatehouse: the query '${q.Id}' has an Expression.`);
      if (q.MetricStat === undefined) throw invalidCombination(`The parameter MetricDataQueries.member.${ids.size}.MetricStat or Expression must be specified.`);
      if (q.AccountId !== undefined) throw invalidValue('Cross-account observability is not available in this version of Gatehouse: every metric belongs to this account.');
      const stat: string = q.MetricStat.Stat;
      if (!STATISTICS.has(stat) && !PERCENTILE.test(stat)) throw invalidValue(`The value ${stat} for parameter MetricDataQueries.member.${ids.size}.MetricStat.Stat is not supported.`);
      checkPeriod(q.MetricStat.Period, `MetricDataQueries.member.${ids.size}.MetricStat.Period`);
      requested += buckets(start, end, q.MetricStat.Period).count;
    }
    // AWS pages past 100,800 datapoints with a NextToken; Gatehouse serves one page, so it refuses what would need more
    // (this also bounds the work one call can ask for).
    if (requested > MAX_METRIC_DATA_POINTS) {
      throw invalidCombination(`You have requested up to ${requested} datapoints, which exceeds the limit of ${MAX_METRIC_DATA_POINTS}. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`);
    }
    const store = storeOf(ctx);
    await store.ready();
    const newestFirst = input.ScanBy !== 'TimestampAscending';
    let budget = (input.MaxDatapoints as number | undefined) ?? 100_800;
    const results = [];
    for (const q of queries) {
      const ms = q.MetricStat;
      const metric = ms.Metric ?? {};
      const s = metric.Namespace !== undefined && metric.MetricName !== undefined ? store.find(ctx.region, metric.Namespace, metric.MetricName, dimensionsOf(metric.Dimensions)) : undefined;
      const timestamps: Date[] = [];
      const values: number[] = [];
      if (s !== undefined && checkUnit(s, ms.Unit)) {
        for (const [at, agg] of periods(store, s, start, end, ms.Period)) {
          const v = statistic(agg, ms.Stat);
          if (v === undefined) continue;
          timestamps.push(at);
          values.push(v);
        }
      }
      if (newestFirst) {
        timestamps.reverse();
        values.reverse();
      }
      if (q.ReturnData === false) continue;
      const kept = Math.min(values.length, Math.max(0, budget));
      budget -= kept;
      results.push({
        Id: q.Id,
        Label: q.Label ?? metric.MetricName,
        Timestamps: timestamps.slice(0, kept),
        Values: values.slice(0, kept),
        // PartialData would promise a NextToken page this implementation does not serve: the caller's MaxDatapoints
        // cut the answer, said in the result's messages instead.
        StatusCode: 'Complete',
        ...(kept < values.length ? { Messages: [{ Code: 'MaxDatapointsExceeded', Value: `Only the first ${kept} datapoints were returned (MaxDatapoints)` }] } : {}),
      });
    }
    return { MetricDataResults: results, Messages: [] };
  },

  async PutMetricData(input: OperationInput, ctx) {
    const namespace: string = input.Namespace;
    // AWS reserves the AWS/ namespaces for its services' own metrics.
    if (namespace.startsWith('AWS/')) throw invalidValue(`The value ${namespace} for parameter Namespace is invalid.`);
    const store = storeOf(ctx);
    const data: OperationInput[] = input.MetricData;
    const now = ctx.now().getTime();
    if (data.length > MAX_PUT_DATA) throw invalidValue(`The collection MetricData must not have a size greater than ${MAX_PUT_DATA}.`);
    data.forEach((d, i) => {
      const n = i + 1;
      for (const list of ['Values', 'Counts'] as const) {
        if (d[list] !== undefined && d[list].length > MAX_PUT_VALUES) throw invalidValue(`The collection MetricData.member.${n}.${list} must not have a size greater than ${MAX_PUT_VALUES}.`);
      }
      if (d.Timestamp instanceof Date && (d.Timestamp.getTime() < now - PAST_MS || d.Timestamp.getTime() > now + FUTURE_MS)) {
        throw invalidValue(`The parameter MetricData.member.${n}.Timestamp must specify a time no more than two weeks in the past and no more than two hours in the future.`);
      }
      if (d.Value !== undefined && d.Values !== undefined) {
        throw invalidCombination(`The parameters MetricData.member.${n}.Value and MetricData.member.${n}.Values are mutually exclusive and you have specified both.`);
      }
      if (d.StatisticValues !== undefined && d.Value !== undefined) {
        throw invalidCombination(`The parameters MetricData.member.${n}.Value and MetricData.member.${n}.StatisticValues are mutually exclusive and you have specified both.`);
      }
      if (d.Values !== undefined && d.Counts !== undefined && d.Values.length !== d.Counts.length) {
        throw invalidValue(`The parameters MetricData.member.${n}.Values and MetricData.member.${n}.Counts must be of the same size.`);
      }
      if (d.Counts?.some((c: number) => c < 0)) throw invalidValue(`The parameter MetricData.member.${n}.Counts must not contain negative values.`);
      if (d.StatisticValues !== undefined && !(d.StatisticValues.SampleCount > 0)) {
        throw invalidValue(`The parameter MetricData.member.${n}.StatisticValues.SampleCount must be greater than 0.`);
      }
      if (d.Value === undefined && d.Values === undefined && d.StatisticValues === undefined) {
        throw missingParameter(`The parameter MetricData.member.${n}.Value is required.`);
      }
    });
    // Every series first, so a call the store's bound refuses stores nothing (said, never dropped silently).
    const series = data.map((d) => store.series(ctx.region, namespace, d.MetricName, dimensionsOf(d.Dimensions), d.Unit ?? 'None', true));
    if (series.includes(undefined)) throw new AwsError('LimitExceeded', 400, 'Gatehouse keeps a bounded number of metrics in memory and that bound is reached; these metrics were not stored.');
    data.forEach((d, i) => {
      const s = series[i]!;
      const at = d.Timestamp instanceof Date ? d.Timestamp.getTime() : now;
      if (d.Value !== undefined) s.add(at, d.Value);
      else if (d.Values !== undefined) {
        d.Values.forEach((v: number, j: number) => {
          const c = d.Counts?.[j] ?? 1;
          s.addSet(at, c, v * c, v, v);
          s.addToHistogram(at, v, c);
        });
      } else {
        const sv = d.StatisticValues;
        s.addSet(at, sv.SampleCount, sv.Sum, sv.Minimum, sv.Maximum);
      }
    });
    // Acknowledged values are durable: the answer waits for the journal's flush that carries them.
    await store.durable();
    return {};
  },
};

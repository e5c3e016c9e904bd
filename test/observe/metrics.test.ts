// AWS/ApiGateway and AWS/Lambda metrics counted exactly for a known request mix, read back through the CloudWatch
// API with Debian's aws CLI v2 (awsQuery), and the same counts in /_gatehouse/metrics (Prometheus text format).
// A fake clock pins every request to known minutes (Latency is then 0: the clock does not move during a request).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InvokeCommand, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { AG, ApiBuilder, invoke, startEcho, startGatehouse, type EchoServer } from '../execute/helpers.ts';
import * as CW from '@aws-sdk/client-cloudwatch';
import { sigv4Headers, TEST_CREDENTIALS, type Running } from '../helpers/gatehouse.ts';
import { runAws } from '../helpers/aws-cli.ts';
import { createFunction } from '../functions/helpers.ts';
import { parsePrometheusText } from './prometheus-text.ts';

let gh: Running;
let echo: EchoServer;
const T0 = Date.UTC(2026, 11, 5, 12, 0, 0);
const clock = { t: T0 };
let apiId: string;
const API_NAME = 'metrics-mix';

const cw = (...args: string[]) => runAws({ endpoint: gh.endpoint }, 'cloudwatch', ...args);

before(async () => {
  gh = await startGatehouse({ now: () => new Date(clock.t) });
  echo = await startEcho();
  const api = await ApiBuilder.create(gh, { name: API_NAME });
  apiId = api.apiId;
  await api.method('/ok', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, { responses: [{ statusCode: '200' }] });
  await api.method('/boom', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 500}' } }, { responses: [{ statusCode: '200' }, { statusCode: '500', selectionPattern: '500' }] });
  await api.method('/cached', 'GET', { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `${echo.url}/c` });
  await api.method('/slow', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, { responses: [{ statusCode: '200' }] });
  await api.deploy('prod');
  const patch = (path: string, value: string): AG.PatchOperation => ({ op: 'replace', path, value });
  await gh.apigateway.send(
    new AG.UpdateStageCommand({
      restApiId: apiId,
      stageName: 'prod',
      patchOperations: [
        patch('/cacheClusterEnabled', 'true'),
        patch('/cacheClusterSize', '0.5'),
        patch('/*/*/metrics/enabled', 'true'),
        // The `*/*` setting the line above creates has caching off (as on AWS): only /cached turns it on.
        patch('/~1cached/GET/caching/enabled', 'true'),
        // One request per (fake) second with a burst of one: the second call to /slow is throttled.
        patch('/~1slow/GET/throttling/burstLimit', '1'),
        patch('/~1slow/GET/throttling/rateLimit', '1'),
      ],
    }),
  );
  clock.t += 2_000; // the cache cluster becomes available after a second
});
after(async () => {
  await gh.stop();
  await echo.close();
});

async function get(path: string): Promise<number> {
  return (await invoke(gh.endpoint, apiId, 'prod', path)).status;
}

describe('a known request mix', () => {
  before(async () => {
    // Minute 12:00: 3 × 200 (/ok), 1 × 500 (/boom), 1 × 403 (no such resource).
    assert.equal(await get('/ok'), 200);
    assert.equal(await get('/ok'), 200);
    assert.equal(await get('/ok'), 200);
    assert.equal(await get('/boom'), 500);
    assert.equal(await get('/nowhere'), 403);
    // Minute 12:01: a cache miss then a hit (both 200), /slow admitted then throttled (200, 429).
    clock.t = T0 + 60_000;
    assert.equal(await get('/cached'), 200);
    assert.equal(await get('/cached'), 200);
    assert.equal(await get('/slow'), 200);
    assert.equal(await get('/slow'), 429);
  });

  const start = '2026-12-05T11:00:00Z';
  const end = '2026-12-05T13:00:00Z';

  test('Count, 4XXError and 5XXError by ApiName, one datapoint per minute', async () => {
    const dims = ['--dimensions', `Name=ApiName,Value=${API_NAME}`];
    const count = await cw('get-metric-statistics', '--namespace', 'AWS/ApiGateway', '--metric-name', 'Count', ...dims, '--start-time', start, '--end-time', end, '--period', '60', '--statistics', 'Sum', 'SampleCount');
    assert.equal(count.code, 0, count.stderr);
    assert.equal(count.json.Label, 'Count');
    const byTime = (dps: any[]) => [...dps].sort((a, b) => a.Timestamp.localeCompare(b.Timestamp));
    assert.deepEqual(byTime(count.json.Datapoints), [
      { Timestamp: '2026-12-05T12:00:00+00:00', SampleCount: 5, Sum: 5, Unit: 'Count' },
      { Timestamp: '2026-12-05T12:01:00+00:00', SampleCount: 4, Sum: 4, Unit: 'Count' },
    ]);
    const e4 = await cw('get-metric-statistics', '--namespace', 'AWS/ApiGateway', '--metric-name', '4XXError', ...dims, '--start-time', start, '--end-time', end, '--period', '3600', '--statistics', 'Sum', 'Average', 'SampleCount');
    // Both minutes fall in the hour from 12:00: 2 client errors (the 403 and the 429) out of 9 requests.
    assert.deepEqual(e4.json.Datapoints, [{ Timestamp: '2026-12-05T12:00:00+00:00', SampleCount: 9, Average: 2 / 9, Sum: 2, Unit: 'Count' }]);
    const e5 = await cw('get-metric-statistics', '--namespace', 'AWS/ApiGateway', '--metric-name', '5XXError', ...dims, '--start-time', '2026-12-05T12:00:00Z', '--end-time', '2026-12-05T12:02:00Z', '--period', '120', '--statistics', 'Sum', 'Maximum');
    assert.deepEqual(e5.json.Datapoints, [{ Timestamp: '2026-12-05T12:00:00+00:00', Sum: 1, Maximum: 1, Unit: 'Count' }]);
  });

  test('ApiName+Stage and detailed ApiName+Method+Resource+Stage dimensions; routing failures stay at stage level', async () => {
    const stage = await cw('get-metric-statistics', '--namespace', 'AWS/ApiGateway', '--metric-name', 'Count', '--dimensions', `Name=ApiName,Value=${API_NAME}`, 'Name=Stage,Value=prod', '--start-time', start, '--end-time', end, '--period', '7200', '--statistics', 'Sum');
    assert.deepEqual(stage.json.Datapoints, [{ Timestamp: '2026-12-05T11:00:00+00:00', Sum: 9, Unit: 'Count' }]);
    const method = await cw(
      'get-metric-statistics', '--namespace', 'AWS/ApiGateway', '--metric-name', 'Count',
      '--dimensions', `Name=ApiName,Value=${API_NAME}`, 'Name=Method,Value=GET', 'Name=Resource,Value=/ok', 'Name=Stage,Value=prod',
      '--start-time', start, '--end-time', end, '--period', '7200', '--statistics', 'Sum',
    );
    assert.deepEqual(method.json.Datapoints, [{ Timestamp: '2026-12-05T11:00:00+00:00', Sum: 3, Unit: 'Count' }]);
    const listed = await cw('list-metrics', '--namespace', 'AWS/ApiGateway', '--metric-name', 'Count', '--dimensions', 'Name=Resource');
    assert.equal(listed.code, 0, listed.stderr);
    const resources = listed.json.Metrics.map((m: any) => m.Dimensions.find((d: any) => d.Name === 'Resource').Value).sort();
    assert.deepEqual(resources, ['/boom', '/cached', '/ok', '/slow']);
    for (const m of listed.json.Metrics) {
      assert.deepEqual(m.Dimensions.map((d: any) => d.Name).sort(), ['ApiName', 'Method', 'Resource', 'Stage']);
    }
  });

  test('CacheHitCount and CacheMissCount count cached requests only; IntegrationLatency only integrations that ran', async () => {
    const dims = ['--dimensions', `Name=ApiName,Value=${API_NAME}`, 'Name=Stage,Value=prod'];
    const args = ['--start-time', start, '--end-time', end, '--period', '7200', '--statistics', 'Sum', 'SampleCount'];
    const hits = await cw('get-metric-statistics', '--namespace', 'AWS/ApiGateway', '--metric-name', 'CacheHitCount', ...dims, ...args);
    const misses = await cw('get-metric-statistics', '--namespace', 'AWS/ApiGateway', '--metric-name', 'CacheMissCount', ...dims, ...args);
    assert.deepEqual(hits.json.Datapoints, [{ Timestamp: '2026-12-05T11:00:00+00:00', SampleCount: 2, Sum: 1, Unit: 'Count' }]);
    assert.deepEqual(misses.json.Datapoints, [{ Timestamp: '2026-12-05T11:00:00+00:00', SampleCount: 2, Sum: 1, Unit: 'Count' }]);
    // MOCK integrations run too (3 + 1 + /slow once); the cache hit and the throttled and unrouted requests do not.
    const il = await cw('get-metric-statistics', '--namespace', 'AWS/ApiGateway', '--metric-name', 'IntegrationLatency', ...dims, '--start-time', start, '--end-time', end, '--period', '7200', '--statistics', 'SampleCount');
    assert.deepEqual(il.json.Datapoints, [{ Timestamp: '2026-12-05T11:00:00+00:00', SampleCount: 6, Unit: 'Milliseconds' }]);
    const latency = await cw('get-metric-statistics', '--namespace', 'AWS/ApiGateway', '--metric-name', 'Latency', ...dims, '--start-time', start, '--end-time', end, '--period', '7200', '--extended-statistics', 'p99', 'p50');
    assert.equal(latency.code, 0, latency.stderr);
    assert.deepEqual(latency.json.Datapoints, [{ Timestamp: '2026-12-05T11:00:00+00:00', Unit: 'Milliseconds', ExtendedStatistics: { p99: 0, p50: 0 } }]);
  });

  test('GetMetricData (awsQuery through the CLI): newest first, Label defaults to the metric name', async () => {
    const queries = JSON.stringify([
      { Id: 'count', MetricStat: { Metric: { Namespace: 'AWS/ApiGateway', MetricName: 'Count', Dimensions: [{ Name: 'ApiName', Value: API_NAME }] }, Period: 60, Stat: 'Sum' } },
      { Id: 'errors', Label: 'client errors', MetricStat: { Metric: { Namespace: 'AWS/ApiGateway', MetricName: '4XXError', Dimensions: [{ Name: 'ApiName', Value: API_NAME }] }, Period: 60, Stat: 'Sum' } },
    ]);
    const r = await cw('get-metric-data', '--metric-data-queries', queries, '--start-time', start, '--end-time', end);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.json.MetricDataResults, [
      { Id: 'count', Label: 'Count', Timestamps: ['2026-12-05T12:01:00+00:00', '2026-12-05T12:00:00+00:00'], Values: [4, 5], StatusCode: 'Complete' },
      { Id: 'errors', Label: 'client errors', Timestamps: ['2026-12-05T12:01:00+00:00', '2026-12-05T12:00:00+00:00'], Values: [1, 1], StatusCode: 'Complete' },
    ]);
  });

  test('awsJson1.0 (query-compatible, as SDKs newer than the CLI send it): the same answers and error codes', async () => {
    const call = async (op: string, input: unknown) => {
      const res = await fetch(gh.endpoint, {
        method: 'POST',
        headers: { ...sigv4Headers('monitoring'), 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `GraniteServiceVersion20100801.${op}` },
        body: JSON.stringify(input),
      });
      return { status: res.status, type: res.headers.get('content-type'), queryError: res.headers.get('x-amzn-query-error'), body: (await res.json()) as any };
    };
    const epoch = (iso: string) => Date.parse(iso) / 1000;
    const stats = await call('GetMetricStatistics', {
      Namespace: 'AWS/ApiGateway', MetricName: 'Count', Dimensions: [{ Name: 'ApiName', Value: API_NAME }],
      StartTime: epoch(start), EndTime: epoch(end), Period: 60, Statistics: ['Sum'],
    });
    assert.equal(stats.status, 200);
    assert.equal(stats.type, 'application/x-amz-json-1.0');
    assert.deepEqual(stats.body.Label, 'Count');
    assert.deepEqual([...stats.body.Datapoints].sort((a: any, b: any) => a.Timestamp - b.Timestamp), [
      { Timestamp: epoch('2026-12-05T12:00:00Z'), Sum: 5, Unit: 'Count' },
      { Timestamp: epoch('2026-12-05T12:01:00Z'), Sum: 4, Unit: 'Count' },
    ]);
    const data = await call('GetMetricData', {
      StartTime: epoch(start), EndTime: epoch(end), ScanBy: 'TimestampAscending',
      MetricDataQueries: [{ Id: 'e5', MetricStat: { Metric: { Namespace: 'AWS/ApiGateway', MetricName: '5XXError', Dimensions: [{ Name: 'ApiName', Value: API_NAME }] }, Period: 60, Stat: 'Sum' } }],
    });
    assert.deepEqual(data.body, { MetricDataResults: [{ Id: 'e5', Label: '5XXError', Timestamps: [epoch('2026-12-05T12:00:00Z'), epoch('2026-12-05T12:01:00Z')], Values: [1, 0], StatusCode: 'Complete' }], Messages: [] });
    const bad = await call('GetMetricStatistics', { Namespace: 'AWS/ApiGateway', MetricName: 'Count', StartTime: epoch(start), EndTime: epoch(end), Period: 90, Statistics: ['Sum'] });
    assert.equal(bad.status, 400);
    assert.equal(bad.queryError, 'InvalidParameterValue;Sender');
    assert.deepEqual(bad.body, { __type: 'InvalidParameterValueException', message: 'The parameter Period must be a multiple of 60.' });
    const unknown = await call('NoSuchOperation', {});
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.__type, 'UnknownOperationException');
  });

  test('the AWS SDK for JavaScript (its CloudWatch client speaks awsJson1.0, query-compatible) reads the same counts', async () => {
    const client = new CW.CloudWatchClient({ endpoint: gh.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS });
    try {
      const stats = await client.send(new CW.GetMetricStatisticsCommand({
        Namespace: 'AWS/ApiGateway', MetricName: 'Count', Dimensions: [{ Name: 'ApiName', Value: API_NAME }],
        StartTime: new Date(start), EndTime: new Date(end), Period: 60, Statistics: ['Sum'],
      }));
      assert.equal(stats.Label, 'Count');
      assert.deepEqual([...stats.Datapoints!].sort((a, b) => a.Timestamp!.getTime() - b.Timestamp!.getTime()).map((d) => [d.Timestamp!.toISOString(), d.Sum, d.Unit]), [
        ['2026-12-05T12:00:00.000Z', 5, 'Count'],
        ['2026-12-05T12:01:00.000Z', 4, 'Count'],
      ]);
      const data = await client.send(new CW.GetMetricDataCommand({
        StartTime: new Date(start), EndTime: new Date(end), ScanBy: 'TimestampAscending',
        MetricDataQueries: [{ Id: 'e4', MetricStat: { Metric: { Namespace: 'AWS/ApiGateway', MetricName: '4XXError', Dimensions: [{ Name: 'ApiName', Value: API_NAME }] }, Period: 60, Stat: 'Sum' } }],
      }));
      assert.deepEqual(data.MetricDataResults!.map((r) => [r.Id, r.Label, r.Timestamps!.map((t) => t.toISOString()), r.Values, r.StatusCode]), [
        ['e4', '4XXError', ['2026-12-05T12:00:00.000Z', '2026-12-05T12:01:00.000Z'], [1, 1], 'Complete'],
      ]);
      const listed = await client.send(new CW.ListMetricsCommand({ Namespace: 'AWS/ApiGateway', MetricName: 'CacheHitCount', Dimensions: [{ Name: 'ApiName', Value: API_NAME }] }));
      assert.ok(listed.Metrics!.length >= 1, JSON.stringify(listed.Metrics));
      assert.ok(listed.Metrics!.every((m) => m.MetricName === 'CacheHitCount' && m.Dimensions!.some((d) => d.Name === 'ApiName' && d.Value === API_NAME)));
      await assert.rejects(
        client.send(new CW.GetMetricStatisticsCommand({ Namespace: 'AWS/ApiGateway', MetricName: 'Count', StartTime: new Date(start), EndTime: new Date(end), Period: 90, Statistics: ['Sum'] })),
        (e: CW.InvalidParameterValueException) => e.name === 'InvalidParameterValueException' && e.message === 'The parameter Period must be a multiple of 60.' && e.$metadata.httpStatusCode === 400,
      );
    } finally {
      client.destroy();
    }
  });

  test('/_gatehouse/metrics: every line valid exposition format, with the same counts', async () => {
    const res = await fetch(`${gh.endpoint}/_gatehouse/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const samples = parsePrometheusText(await res.text());
    const value = (name: string, labels: Record<string, string>) =>
      samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((a, s) => a + s.value, 0);
    const l = { api: apiId, api_name: API_NAME, stage: 'prod' };
    assert.equal(value('gatehouse_api_requests_total', { ...l, status_class: '2xx' }), 6);
    assert.equal(value('gatehouse_api_requests_total', { ...l, status_class: '4xx' }), 2);
    assert.equal(value('gatehouse_api_requests_total', { ...l, status_class: '5xx' }), 1);
    assert.equal(value('gatehouse_api_request_duration_seconds_count', l), 9);
    assert.equal(value('gatehouse_api_integration_duration_seconds_count', l), 6);
    assert.equal(value('gatehouse_api_cache_requests_total', { ...l, result: 'hit' }), 1);
    assert.equal(value('gatehouse_api_cache_requests_total', { ...l, result: 'miss' }), 1);
    assert.ok(samples.some((s) => s.name === 'gatehouse_process_cpu_user_seconds_total'));
  });
});

describe('AWS/Lambda', () => {
  test('Invocations, Errors, Throttles and Duration by FunctionName', async () => {
    clock.t = T0 + 10 * 60_000;
    await createFunction(gh.lambda, 'metered', { 'index.js': `exports.handler = async (e) => { if (e.fail) throw new Error('no'); return 'ok'; };` });
    await createFunction(gh.lambda, 'closed', { 'index.js': `exports.handler = async () => 'never';` });
    await gh.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'closed', ReservedConcurrentExecutions: 0 }));
    const ok = await gh.lambda.send(new InvokeCommand({ FunctionName: 'metered', Payload: JSON.stringify({}) }));
    assert.equal(ok.FunctionError, undefined);
    const failed = await gh.lambda.send(new InvokeCommand({ FunctionName: 'metered', Payload: JSON.stringify({ fail: true }) }));
    assert.equal(failed.FunctionError, 'Unhandled');
    await assert.rejects(gh.lambda.send(new InvokeCommand({ FunctionName: 'closed', Payload: '{}' })), { name: 'TooManyRequestsException' });
    const stat = async (fn: string, metric: string, s: string) => {
      const r = await cw('get-metric-statistics', '--namespace', 'AWS/Lambda', '--metric-name', metric, '--dimensions', `Name=FunctionName,Value=${fn}`, '--start-time', '2026-12-05T12:00:00Z', '--end-time', '2026-12-05T13:00:00Z', '--period', '3600', '--statistics', s);
      assert.equal(r.code, 0, r.stderr);
      return r.json.Datapoints.map((d: any) => d[s]);
    };
    assert.deepEqual(await stat('metered', 'Invocations', 'Sum'), [2]);
    assert.deepEqual(await stat('metered', 'Errors', 'Sum'), [1]);
    assert.deepEqual(await stat('metered', 'Throttles', 'Sum'), []);
    assert.deepEqual(await stat('metered', 'Duration', 'SampleCount'), [2]);
    assert.deepEqual(await stat('metered', 'ConcurrentExecutions', 'Maximum'), [1]);
    assert.deepEqual(await stat('closed', 'Throttles', 'Sum'), [1]);
    assert.deepEqual(await stat('closed', 'Invocations', 'Sum'), []);
    const prom = parsePrometheusText(await (await fetch(`${gh.endpoint}/_gatehouse/metrics`)).text());
    const count = (fn: string, outcome: string) => prom.find((s) => s.name === 'gatehouse_function_invocations_total' && s.labels.function === fn && s.labels.outcome === outcome)?.value;
    assert.deepEqual([count('metered', 'success'), count('metered', 'error'), count('closed', 'throttled')], [1, 1, 1]);
    assert.equal(prom.find((s) => s.name === 'gatehouse_function_duration_seconds_count' && s.labels.function === 'metered')?.value, 2);
    const listed = await cw('list-metrics', '--namespace', 'AWS/Lambda', '--metric-name', 'Invocations');
    assert.deepEqual(listed.json.Metrics.map((m: any) => m.Dimensions).sort((a: any, b: any) => a.length - b.length), [[], [{ Name: 'FunctionName', Value: 'metered' }]]);
  });
});

describe('CloudWatch errors', () => {
  test('AWS texts for a bad period, reversed times, too many datapoints, no statistic', async () => {
    const base = ['get-metric-statistics', '--namespace', 'AWS/ApiGateway', '--metric-name', 'Count'];
    const tooMany = await cw(...base, '--start-time', '2026-12-01T00:00:00Z', '--end-time', '2026-12-05T00:00:00Z', '--period', '60', '--statistics', 'Sum');
    assert.equal(tooMany.code, 254);
    assert.match(tooMany.stderr, /\(InvalidParameterCombination\).*You have requested up to 5760 datapoints, which exceeds the limit of 1440\. You may reduce the datapoints requested by increasing Period, or decreasing the time range\./);
    const reversed = await cw(...base, '--start-time', '2026-12-05T12:00:00Z', '--end-time', '2026-12-05T11:00:00Z', '--period', '60', '--statistics', 'Sum');
    assert.match(reversed.stderr, /\(InvalidParameterValue\).*The parameter StartTime must be less than the parameter EndTime\./);
    const period = await cw(...base, '--start-time', '2026-12-05T11:00:00Z', '--end-time', '2026-12-05T12:00:00Z', '--period', '90', '--statistics', 'Sum');
    assert.match(period.stderr, /\(InvalidParameterValue\)/);
    const badStat = await cw(...base, '--start-time', '2026-12-05T11:00:00Z', '--end-time', '2026-12-05T12:00:00Z', '--period', '60', '--statistics', 'Median');
    assert.match(badStat.stderr, /\(ValidationError\).*Member must satisfy enum value set: \[SampleCount, Average, Sum, Minimum, Maximum\]/);
  });

  test('PutMetricData into a custom namespace, read back; AWS/ namespaces refused', async () => {
    clock.t = T0 + 20 * 60_000;
    const put = await cw('put-metric-data', '--namespace', 'Shop', '--metric-name', 'Orders', '--value', '3', '--unit', 'Count', '--dimensions', 'Store=north');
    assert.equal(put.code, 0, put.stderr);
    const got = await cw('get-metric-statistics', '--namespace', 'Shop', '--metric-name', 'Orders', '--dimensions', 'Name=Store,Value=north', '--start-time', '2026-12-05T12:00:00Z', '--end-time', '2026-12-05T13:00:00Z', '--period', '3600', '--statistics', 'Sum');
    assert.deepEqual(got.json.Datapoints, [{ Timestamp: '2026-12-05T12:00:00+00:00', Sum: 3, Unit: 'Count' }]);
    const reserved = await cw('put-metric-data', '--namespace', 'AWS/ApiGateway', '--metric-name', 'Count', '--value', '1');
    assert.match(reserved.stderr, /\(InvalidParameterValue\).*The value AWS\/ApiGateway for parameter Namespace is invalid\./);
  });
});

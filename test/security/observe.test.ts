// Hostile input to metrics and tracing: malformed trace headers on a traced stage (never a 5xx, always a fresh valid
// trace), API names that try to break the Prometheus text format, CloudWatch calls that ask for unbounded work or
// memory (too many queries or datapoints, oversized or far-dated PutMetricData), and the store's own bounds.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { AG, ApiBuilder, startEcho, startGatehouse, type EchoServer } from '../execute/helpers.ts';
import { sigv4Headers, type Running } from '../helpers/gatehouse.ts';
import { parsePrometheusText } from '../observe/prometheus-text.ts';
import type { Tracer } from '../../src/observe/tracing.ts';
import { MetricStore } from '../../src/observe/metrics-store.ts';

let gh: Running;
let echo: EchoServer;
let receiver: Server;
const received: any[] = [];

before(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push(JSON.parse(body));
      res.end('{}');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  gh = await startGatehouse({ config: { otlpTracesUrl: `http://127.0.0.1:${(receiver.address() as { port: number }).port}/v1/traces` } });
  echo = await startEcho();
});
after(async () => {
  await gh.stop();
  await echo.close();
  await new Promise((r) => receiver.close(r));
});

/** An awsQuery CloudWatch call (form body, a SigV4-shaped header: signatures are not verified here). */
async function cloudwatch(params: Record<string, string>): Promise<{ status: number; body: string }> {
  const res = await fetch(gh.endpoint, {
    method: 'POST',
    headers: { ...sigv4Headers('monitoring'), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ Version: '2010-08-01', ...params }).toString(),
  });
  return { status: res.status, body: await res.text() };
}

describe('trace headers', () => {
  test('malformed traceparent and X-Amzn-Trace-Id values on a traced stage: 200, and a fresh valid trace', async () => {
    const api = await ApiBuilder.create(gh, { name: 'hostile-trace' });
    await api.method('/p', 'GET', { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `${echo.url}/p` });
    await api.deploy('prod');
    await gh.apigateway.send(new AG.UpdateStageCommand({ restApiId: api.apiId, stageName: 'prod', patchOperations: [{ op: 'replace', path: '/tracingEnabled', value: 'true' }] }));
    const hostile: Array<Record<string, string>> = [
      { traceparent: '00-00000000000000000000000000000000-b7ad6b7169203331-01' }, // all-zero trace id
      { traceparent: '00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01' }, // all-zero span id
      { traceparent: 'ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
      { traceparent: '00-0AF7651916CD43DD8448EB211C80319C-B7AD6B7169203331-01' }, // upper case is invalid
      { traceparent: `00-${'a'.repeat(8000)}` },
      { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-extra' },
      { 'x-amzn-trace-id': 'Root=1-zzzzzzzz-abcdef012345678912345678;Parent=53995c3f42cd8ad8' },
      { 'x-amzn-trace-id': 'Root=1-67891233-abcdef012345678912345678;Parent=not-hex;Sampled=7' },
      { 'x-amzn-trace-id': ';;;=;Root=;Parent=' },
    ];
    for (const headers of hostile) {
      const before = echo.requests.length;
      const r = await api.invoke('prod', '/p', { headers });
      assert.equal(r.status, 200, JSON.stringify(headers));
      const sent = echo.requests[before]!.headers;
      assert.match(String(sent.traceparent), /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/, JSON.stringify(headers));
      assert.match(String(sent['x-amzn-trace-id']), /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=1$/);
      assert.doesNotMatch(String(sent.traceparent), /^00-0{32}|^00-0af7651916cd43dd8448eb211c80319c-0{16}/);
    }
    await (gh.gatehouse.services.tracer as Tracer).exporter.flush();
    const spans = received.flatMap((b) => b.resourceSpans[0].scopeSpans[0].spans);
    assert.ok(spans.length >= hostile.length * 2);
    for (const s of spans) {
      assert.match(s.traceId, /^[0-9a-f]{32}$/);
      assert.match(s.spanId, /^[0-9a-f]{16}$/);
      if (s.parentSpanId !== undefined) assert.match(s.parentSpanId, /^[0-9a-f]{16}$/);
    }
  });
});

describe('Prometheus text', () => {
  test('an API name with quotes, backslashes and newlines cannot forge exposition lines', async () => {
    const name = 'evil"} 1\ngatehouse_fake_total 99\n\\';
    const api = await ApiBuilder.create(gh, { name });
    await api.method('/m', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, { responses: [{ statusCode: '200' }] });
    await api.deploy('prod');
    assert.equal((await api.invoke('prod', '/m')).status, 200);
    const res = await fetch(`${gh.endpoint}/_gatehouse/metrics`);
    const samples = parsePrometheusText(await res.text());
    assert.equal(samples.filter((s) => s.name === 'gatehouse_fake_total').length, 0);
    const mine = samples.find((s) => s.name === 'gatehouse_api_requests_total' && s.labels.api === api.apiId)!;
    assert.equal(mine.labels.api_name, name);
    assert.equal(mine.value, 1);
  });

  test('only GET and HEAD', async () => {
    const res = await fetch(`${gh.endpoint}/_gatehouse/metrics`, { method: 'POST' });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'GET, HEAD');
  });
});

describe('CloudWatch bounds', () => {
  test('GetMetricData: more than 500 queries, or more than 100,800 datapoints, are refused before any work', async () => {
    const query = (i: number, period: string) => ({
      [`MetricDataQueries.member.${i}.Id`]: `q${i}`,
      [`MetricDataQueries.member.${i}.MetricStat.Metric.Namespace`]: 'AWS/ApiGateway',
      [`MetricDataQueries.member.${i}.MetricStat.Metric.MetricName`]: 'Count',
      [`MetricDataQueries.member.${i}.MetricStat.Period`]: period,
      [`MetricDataQueries.member.${i}.MetricStat.Stat`]: 'Sum',
    });
    const many: Record<string, string> = { Action: 'GetMetricData', StartTime: '2026-12-01T00:00:00Z', EndTime: '2026-12-02T00:00:00Z' };
    for (let i = 1; i <= 501; i++) Object.assign(many, query(i, '3600'));
    const tooMany = await cloudwatch(many);
    assert.equal(tooMany.status, 400);
    assert.match(tooMany.body, /<Code>InvalidParameterValue<\/Code><Message>The collection MetricDataQueries must not have a size greater than 500\.<\/Message>/);
    // 100 queries × 15 days at one minute: 2,160,000 datapoints.
    const wide: Record<string, string> = { Action: 'GetMetricData', StartTime: '2026-11-20T00:00:00Z', EndTime: '2026-12-05T00:00:00Z' };
    for (let i = 1; i <= 100; i++) Object.assign(wide, query(i, '60'));
    const huge = await cloudwatch(wide);
    assert.equal(huge.status, 400);
    assert.match(huge.body, /<Code>InvalidParameterCombination<\/Code><Message>You have requested up to 2160000 datapoints, which exceeds the limit of 100800\./);
  });

  test('PutMetricData: oversized lists, far-dated timestamps, non-numbers, negative counts: 400, nothing stored', async () => {
    const base = { Action: 'PutMetricData', Namespace: 'Hostile', 'MetricData.member.1.MetricName': 'm' };
    const values: Record<string, string> = { ...base };
    for (let i = 1; i <= 151; i++) values[`MetricData.member.1.Values.member.${i}`] = '1';
    const cases: Array<[Record<string, string>, RegExp]> = [
      [values, /<Code>InvalidParameterValue<\/Code><Message>The collection MetricData\.member\.1\.Values must not have a size greater than 150\./],
      [{ ...base, 'MetricData.member.1.Value': '1', 'MetricData.member.1.Timestamp': '2100-01-01T00:00:00Z' }, /<Code>InvalidParameterValue<\/Code><Message>The parameter MetricData\.member\.1\.Timestamp must specify a time no more than two weeks in the past/],
      [{ ...base, 'MetricData.member.1.Value': 'NaN' }, /<Code>MalformedInput<\/Code>/],
      [{ ...base, 'MetricData.member.1.Value': 'Infinity' }, /<Code>MalformedInput<\/Code>/],
      [{ ...base, 'MetricData.member.1.Values.member.1': '1', 'MetricData.member.1.Counts.member.1': '-5' }, /must not contain negative values/],
      [{ ...base, 'MetricData.member.1.StatisticValues.SampleCount': '0', 'MetricData.member.1.StatisticValues.Sum': '1', 'MetricData.member.1.StatisticValues.Minimum': '1', 'MetricData.member.1.StatisticValues.Maximum': '1' }, /SampleCount must be greater than 0/],
    ];
    for (const [params, expected] of cases) {
      const r = await cloudwatch(params);
      assert.equal(r.status, 400, r.body);
      assert.match(r.body, expected);
    }
    const listed = await cloudwatch({ Action: 'ListMetrics', Namespace: 'Hostile' });
    assert.equal(listed.status, 200);
    assert.doesNotMatch(listed.body, /<member>/);
  });

  test('the store: series and name-byte bounds drop new series with one WARN line; retention drops old minutes', () => {
    const warnings: string[] = [];
    let now = Date.UTC(2026, 11, 5);
    const store = new MetricStore({ maxSeries: 2, maxKeyBytes: 10_000, warn: (l) => warnings.push(l), now: () => now });
    assert.ok(store.series('us-east-1', 'N', 'a', [], 'Count'));
    assert.equal(store.series('us-east-1', 'N', 'b', [['D', 'x'.repeat(6000)]], 'Count'), undefined); // over the name bytes
    assert.ok(store.series('us-east-1', 'N', 'c', [], 'Count'));
    assert.equal(store.series('us-east-1', 'N', 'd', [], 'Count'), undefined); // over the series count
    assert.equal(warnings.length, 1);
    const a = store.series('us-east-1', 'N', 'a', [], 'Count')!;
    a.add(now, 1);
    now += 16 * 24 * 3600_000;
    a.add(now, 2); // the 15-day-old minute goes
    assert.equal(a.points.size, 1);
    assert.equal(store.pointCount, 1);
  });
});

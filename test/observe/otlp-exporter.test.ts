// The OTLP exporter's bounds: batches of at most 512 spans, a queue of at most 8192 (further spans dropped and
// counted, never blocking the caller), one WARN line per failure streak, the specification's endpoint variables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_BATCH, MAX_QUEUE, OtlpExporter, SpanKind, StatusCode, tracesUrlFromEnv, type FinishedSpan } from '../../src/observe/otlp-exporter.ts';
import { configFromEnv } from '../../src/server/config.ts';
import { ConfigError } from '../../src/server/startup-errors.ts';

const span = (i: number): FinishedSpan => ({
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: i.toString(16).padStart(16, '0'),
  name: `s${i}`,
  kind: SpanKind.INTERNAL,
  startMs: 1_700_000_000_000.5,
  endMs: 1_700_000_000_001,
  attributes: { n: i, ok: true, ratio: 0.5, skipped: undefined },
  status: StatusCode.OK,
});

test('batches of 512, queue bounded at 8192 with drops counted, nanosecond times as strings', async () => {
  const batches: any[] = [];
  const exporter = new OtlpExporter({ url: 'http://collector/v1/traces', post: async (_url, body) => (batches.push(JSON.parse(body)), 200), warn: () => assert.fail('no warning') });
  for (let i = 0; i < MAX_QUEUE + 10; i++) exporter.export(span(i));
  assert.equal(exporter.dropped, 10);
  await exporter.flush();
  assert.equal(exporter.exported, MAX_QUEUE);
  assert.ok(batches.every((b) => b.resourceSpans[0].scopeSpans[0].spans.length <= MAX_BATCH));
  const first = batches[0].resourceSpans[0].scopeSpans[0].spans[0];
  assert.equal(first.startTimeUnixNano, '1700000000000500000');
  assert.equal(first.endTimeUnixNano, '1700000000001000000');
  assert.deepEqual(first.attributes, [
    { key: 'n', value: { intValue: '0' } },
    { key: 'ok', value: { boolValue: true } },
    { key: 'ratio', value: { doubleValue: 0.5 } },
  ]);
});

test('a failing collector loses spans, not requests: one WARN line until an export succeeds', async () => {
  const warnings: string[] = [];
  let status = 503;
  const exporter = new OtlpExporter({ url: 'http://collector/v1/traces', post: async () => status, warn: (l) => warnings.push(l) });
  exporter.export(span(1));
  await exporter.flush();
  exporter.export(span(2));
  await exporter.flush();
  assert.deepEqual(warnings, ['WARN tracing: 1 span(s) not exported to http://collector/v1/traces: the collector answered 503 (further failures are not reported until an export succeeds)']);
  status = 200;
  exporter.export(span(3));
  await exporter.flush();
  assert.equal(exporter.exported, 1);
  const unreachable = new OtlpExporter({ url: 'http://collector/v1/traces', post: () => Promise.reject(new Error('connect ECONNREFUSED')), warn: (l) => warnings.push(l) });
  unreachable.export(span(4));
  await unreachable.flush();
  assert.match(warnings[1]!, /connect ECONNREFUSED/);
});

test("OpenTelemetry's endpoint variables: the traces URL as given, else the base URL + /v1/traces; bad URLs stop startup", () => {
  assert.deepEqual(tracesUrlFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318/' }), { url: 'http://localhost:4318/v1/traces', source: 'OTEL_EXPORTER_OTLP_ENDPOINT' });
  assert.deepEqual(tracesUrlFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b/custom' }), { url: 'http://b/custom', source: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' });
  assert.equal(tracesUrlFromEnv({}), undefined);
  assert.equal(configFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318' }).otlpTracesUrl, 'http://localhost:4318/v1/traces');
  assert.throws(() => configFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'localhost 4318' }), (e: unknown) => e instanceof ConfigError && /OTEL_EXPORTER_OTLP_ENDPOINT="localhost 4318" is not a URL/.test(e.message));
  assert.throws(() => configFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://localhost:4317' }), (e: unknown) => e instanceof ConfigError && /is not an http or https URL/.test(e.message));
});

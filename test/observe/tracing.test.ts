// tracingEnabled stages send OpenTelemetry spans (gateway, authorizer, integration, function) as OTLP/HTTP JSON to a
// loopback receiver, and pass the trace on: `traceparent` and X-Amzn-Trace-Id to HTTP backends, `_X_AMZN_TRACE_ID`
// to functions. Stages without tracingEnabled send nothing and keep the request's own trace header.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import { AG, ApiBuilder, invoke, startEcho, startGatehouse, type EchoServer } from '../execute/helpers.ts';
import type { Running } from '../helpers/gatehouse.ts';
import { createFunction } from '../functions/helpers.ts';
import type { Tracer } from '../../src/observe/tracing.ts';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
  status: { code: number };
}

let gh: Running;
let echo: EchoServer;
let receiver: Server;
const posts: Array<{ path: string; contentType: string | undefined; body: any }> = [];
const ACCOUNT = '123456789012';
const fnUri = (name: string) => `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}/invocations`;

before(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      posts.push({ path: req.url ?? '', contentType: req.headers['content-type'], body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const port = (receiver.address() as { port: number }).port;
  gh = await startGatehouse({ config: { otlpTracesUrl: `http://127.0.0.1:${port}/v1/traces` } });
  echo = await startEcho();
});
after(async () => {
  await gh.stop();
  await echo.close();
  await new Promise((r) => receiver.close(r));
});

async function spans(): Promise<OtlpSpan[]> {
  await (gh.gatehouse.services.tracer as Tracer).exporter.flush();
  return posts.flatMap((p) => p.body.resourceSpans.flatMap((rs: any) => rs.scopeSpans.flatMap((ss: any) => ss.spans)));
}
const attr = (s: OtlpSpan, key: string) => s.attributes.find((a) => a.key === key)?.value;

async function tracedApi(name: string, traced: boolean): Promise<ApiBuilder> {
  const api = await ApiBuilder.create(gh, { name });
  await api.method('/proxy', 'GET', { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `${echo.url}/p` });
  await api.deploy('prod');
  if (traced) {
    await gh.apigateway.send(new AG.UpdateStageCommand({ restApiId: api.apiId, stageName: 'prod', patchOperations: [{ op: 'replace', path: '/tracingEnabled', value: 'true' }] }));
  }
  return api;
}

describe('HTTP backends', () => {
  test('a traced HTTP_PROXY request: gateway and integration spans, traceparent and X-Ray header on the backend request', async () => {
    const api = await tracedApi('traced-http', true);
    const before = echo.requests.length;
    const r = await api.invoke('prod', '/proxy', { headers: { 'x-amzn-trace-id': 'Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1' } });
    assert.equal(r.status, 200);
    const sent = echo.requests[before]!.headers;
    const all = await spans();
    const gateway = all.find((s) => s.kind === 2 && attr(s, 'aws.api_gateway.api_id')?.stringValue === api.apiId)!;
    const integration = all.find((s) => s.kind === 3 && s.parentSpanId === gateway.spanId)!;
    assert.ok(gateway && integration, JSON.stringify(all));
    // The X-Ray Root is the trace id; the client's Parent is the gateway span's parent.
    assert.equal(gateway.traceId, '67891233abcdef012345678912345678');
    assert.equal(gateway.parentSpanId, '53995c3f42cd8ad8');
    assert.equal(gateway.name, 'GET /proxy');
    assert.deepEqual(attr(gateway, 'http.response.status_code'), { intValue: '200' });
    assert.equal(integration.traceId, gateway.traceId);
    assert.equal(integration.name, 'integration HTTP_PROXY');
    assert.deepEqual(attr(integration, 'url.full'), { stringValue: `${echo.url}/p` });
    assert.match(integration.spanId, /^[0-9a-f]{16}$/);
    assert.ok(BigInt(integration.startTimeUnixNano) >= BigInt(gateway.startTimeUnixNano));
    assert.ok(BigInt(integration.endTimeUnixNano) <= BigInt(gateway.endTimeUnixNano));
    assert.equal(sent.traceparent, `00-67891233abcdef012345678912345678-${integration.spanId}-01`);
    assert.equal(sent['x-amzn-trace-id'], `Root=1-67891233-abcdef012345678912345678;Parent=${integration.spanId};Sampled=1`);
    assert.equal(posts[0]!.path, '/v1/traces');
    assert.equal(posts[0]!.contentType, 'application/json');
    assert.deepEqual(posts[0]!.body.resourceSpans[0].resource.attributes, [{ key: 'service.name', value: { stringValue: 'gatehouse' } }]);
  });

  test("a client's W3C traceparent is continued; its tracestate passes unchanged", async () => {
    const api = await tracedApi('traced-w3c', true);
    const before = echo.requests.length;
    await api.invoke('prod', '/proxy', { headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', tracestate: 'vendor=x' } });
    const sent = echo.requests[before]!.headers;
    const gateway = (await spans()).find((s) => s.kind === 2 && attr(s, 'aws.api_gateway.api_id')?.stringValue === api.apiId)!;
    assert.equal(gateway.traceId, '0af7651916cd43dd8448eb211c80319c');
    assert.equal(gateway.parentSpanId, 'b7ad6b7169203331');
    assert.match(String(sent.traceparent), /^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    assert.equal(sent.tracestate, 'vendor=x');
  });

  test('a stage without tracingEnabled sends no span and forwards the trace header as before', async () => {
    const api = await tracedApi('untraced', false);
    const before = echo.requests.length;
    await api.invoke('prod', '/proxy', { headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } });
    const sent = echo.requests[before]!.headers;
    assert.equal(sent.traceparent, '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    assert.match(String(sent['x-amzn-trace-id']), /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    assert.equal((await spans()).filter((s) => attr(s, 'aws.api_gateway.api_id')?.stringValue === api.apiId).length, 0);
  });

  test('a failed integration ends its span with an error status; a 5xx gateway span is an error', async () => {
    const api = await ApiBuilder.create(gh, { name: 'traced-down' });
    await api.method('/down', 'GET', { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: 'http://127.0.0.1:1/nothing' });
    await api.deploy('prod');
    await gh.apigateway.send(new AG.UpdateStageCommand({ restApiId: api.apiId, stageName: 'prod', patchOperations: [{ op: 'replace', path: '/tracingEnabled', value: 'true' }] }));
    const r = await api.invoke('prod', '/down');
    assert.ok(r.status >= 500, String(r.status)); // the backend's refusal, as test/execute pins it
    assert.deepEqual(attr((await spans()).find((s) => s.kind === 2 && attr(s, 'aws.api_gateway.api_id')?.stringValue === api.apiId)!, 'http.response.status_code'), { intValue: String(r.status) });
    const all = await spans();
    const gateway = all.find((s) => s.kind === 2 && attr(s, 'aws.api_gateway.api_id')?.stringValue === api.apiId)!;
    const integration = all.find((s) => s.parentSpanId === gateway.spanId)!;
    assert.equal(gateway.status.code, 2);
    assert.equal(integration.status.code, 2);
  });
});

describe('functions', () => {
  test('authorizer, integration and function spans; the function sees the trace with its own span as Parent', async () => {
    await createFunction(gh.lambda, 'traced-fn', { 'index.mjs': 'export const handler = async () => ({ statusCode: 200, body: process.env._X_AMZN_TRACE_ID ?? "" });' });
    await createFunction(gh.lambda, 'traced-auth', {
      'index.mjs': `export const handler = async (e) => ({ principalId: 'u', policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: e.methodArn }] } });`,
    });
    for (const name of ['traced-fn', 'traced-auth']) {
      await gh.lambda.send(new AddPermissionCommand({ FunctionName: name, StatementId: 'apigateway', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', SourceArn: `arn:aws:execute-api:us-east-1:${ACCOUNT}:*` }));
    }
    const api = await ApiBuilder.create(gh, { name: 'traced-lambda' });
    const authorizer = await gh.apigateway.send(
      new AG.CreateAuthorizerCommand({ restApiId: api.apiId, name: 'token', type: 'TOKEN', authorizerUri: fnUri('traced-auth'), identitySource: 'method.request.header.Authorization', authorizerResultTtlInSeconds: 0 }),
    );
    await api.method('/fn', 'GET', { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: fnUri('traced-fn') }, { method: { authorizationType: 'CUSTOM', authorizerId: authorizer.id } });
    await api.deploy('prod');
    await gh.apigateway.send(new AG.UpdateStageCommand({ restApiId: api.apiId, stageName: 'prod', patchOperations: [{ op: 'replace', path: '/tracingEnabled', value: 'true' }] }));
    const r = await invoke(gh.endpoint, api.apiId, 'prod', '/fn', { headers: { authorization: 'allow' } });
    assert.equal(r.status, 200, r.body);
    const all = await spans();
    const gateway = all.find((s) => s.kind === 2 && attr(s, 'aws.api_gateway.api_id')?.stringValue === api.apiId)!;
    const children = all.filter((s) => s.parentSpanId === gateway.spanId);
    const auth = children.find((s) => s.kind === 1)!;
    const integration = children.find((s) => s.kind === 3)!;
    assert.equal(auth.name, 'authorizer token');
    assert.deepEqual(attr(auth, 'aws.api_gateway.authorizer.type'), { stringValue: 'CUSTOM' });
    assert.equal(integration.name, 'integration AWS_PROXY');
    const fn = all.find((s) => s.parentSpanId === integration.spanId)!;
    assert.equal(fn.name, 'traced-fn');
    assert.equal(fn.kind, 2);
    assert.equal(fn.traceId, gateway.traceId);
    const root = `1-${gateway.traceId.slice(0, 8)}-${gateway.traceId.slice(8)}`;
    assert.equal(r.body, `Root=${root};Parent=${fn.spanId};Sampled=1`);
  });
});

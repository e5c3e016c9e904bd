// Access logs (the developer guide's CLF, JSON, XML and CSV examples, and every $context variable of access logging)
// and execution logs (INFO with and without data trace, ERROR) of deployed APIs, read back through the real
// `aws logs` CLI; the process log's line per request; Firehose destinations refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import aws4 from 'aws4';
import { runAws, type CliResult } from '../helpers/aws-cli.ts';
import { AG, ApiBuilder, startEcho, startGatehouse, type EchoServer } from '../execute/helpers.ts';
import type { Running } from '../helpers/gatehouse.ts';
import type { LogStore } from '../../src/observe/logs/log-store.ts';
import { RequestLog } from '../../src/observe/request-log.ts';
import { until } from '../helpers/until.ts';

let gh: Running;
let echo: EchoServer;
let clock = Date.UTC(2026, 11, 5, 23, 41, 7, 123);
const ACCOUNT = '123456789012';

before(async () => {
  gh = await startGatehouse({ now: () => new Date(clock) });
  echo = await startEcho();
});
after(async () => {
  await echo.close();
  await gh.stop();
});

function aws(...args: string[]): Promise<CliResult> {
  return runAws({ endpoint: gh.endpoint }, 'logs', ...args);
}

async function messages(group: string, pattern?: string): Promise<string[]> {
  await (gh.gatehouse.services.logs as LogStore).flush();
  const r = await aws('filter-log-events', '--log-group-name', group, ...(pattern ? ['--filter-pattern', pattern] : []));
  assert.equal(r.code, 0, r.stderr);
  return r.json.events.map((e: { message: string }) => e.message);
}

async function stageWith(b: ApiBuilder, stage: string, patches: AG.PatchOperation[]): Promise<void> {
  await gh.apigateway.send(new AG.UpdateStageCommand({ restApiId: b.apiId, stageName: stage, patchOperations: patches }));
}

const CLF = '$context.identity.sourceIp $context.identity.caller $context.identity.user [$context.requestTime] "$context.httpMethod $context.resourcePath $context.protocol" $context.status $context.responseLength $context.requestId';
const JSON_FORMAT =
  '{ "requestId":"$context.requestId", "ip": "$context.identity.sourceIp", "caller":"$context.identity.caller", "user":"$context.identity.user","requestTime":"$context.requestTime", "httpMethod":"$context.httpMethod","resourcePath":"$context.resourcePath", "status":"$context.status","protocol":"$context.protocol", "responseLength":"$context.responseLength" }';
const XML =
  '<request id="$context.requestId"> <ip>$context.identity.sourceIp</ip> <caller>$context.identity.caller</caller> <user>$context.identity.user</user> <requestTime>$context.requestTime</requestTime> <httpMethod>$context.httpMethod</httpMethod> <resourcePath>$context.resourcePath</resourcePath> <status>$context.status</status> <protocol>$context.protocol</protocol> <responseLength>$context.responseLength</responseLength> </request>';
const CSV = '$context.identity.sourceIp,$context.identity.caller,$context.identity.user,$context.requestTime,$context.httpMethod,$context.resourcePath,$context.protocol,$context.status,$context.responseLength,$context.requestId';

test('access logs in the developer guide CLF, JSON, XML and CSV formats', async () => {
  const b = await ApiBuilder.create(gh);
  await b.method('/pets', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, { responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"ok":true}' } }] });
  await b.deploy('prod');
  const formats = { clf: CLF, json: JSON_FORMAT, xml: XML, csv: CSV };
  for (const [name, format] of Object.entries(formats)) {
    assert.equal((await aws('create-log-group', '--log-group-name', `access-${name}`)).code, 0);
    await stageWith(b, 'prod', [
      { op: 'replace', path: '/accessLogSettings/destinationArn', value: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:access-${name}` },
      { op: 'replace', path: '/accessLogSettings/format', value: format },
    ]);
    const r = await b.invoke('prod', '/pets');
    assert.equal(r.status, 200);
    const id = r.headers['x-amzn-requestid'] as string;
    const time = '05/Dec/2026:23:41:07 +0000';
    const [line] = await messages(`access-${name}`);
    const expected = {
      clf: `127.0.0.1 - - [${time}] "GET /pets HTTP/1.1" 200 11 ${id}`,
      json: `{ "requestId":"${id}", "ip": "127.0.0.1", "caller":"-", "user":"-","requestTime":"${time}", "httpMethod":"GET","resourcePath":"/pets", "status":"200","protocol":"HTTP/1.1", "responseLength":"11" }`,
      xml: `<request id="${id}"> <ip>127.0.0.1</ip> <caller>-</caller> <user>-</user> <requestTime>${time}</requestTime> <httpMethod>GET</httpMethod> <resourcePath>/pets</resourcePath> <status>200</status> <protocol>HTTP/1.1</protocol> <responseLength>11</responseLength> </request>`,
      csv: `127.0.0.1,-,-,${time},GET,/pets,HTTP/1.1,200,11,${id}`,
    }[name];
    assert.equal(line, expected, name);
  }
  // A gateway error in CSV, then in CLF, whose [time] and "request" fields space-delimited patterns read as one each.
  await b.invoke('prod', '/nothing-here');
  assert.equal((await messages('access-csv', '%,403,%')).length, 1);
  await stageWith(b, 'prod', [
    { op: 'replace', path: '/accessLogSettings/destinationArn', value: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:access-clf` },
    { op: 'replace', path: '/accessLogSettings/format', value: CLF },
  ]);
  await b.invoke('prod', '/nothing-here');
  const denied = await messages('access-clf', '[ip, caller, user, time, request = "GET - *", status = 4*, size, id]');
  assert.equal(denied.length, 1);
  assert.match(denied[0]!, /^127\.0\.0\.1 - - \[05\/Dec\/2026:23:41:07 \+0000\] "GET - HTTP\/1\.1" 403 42 \S+$/);
});

test('every $context variable of access logging, for an HTTP integration and for a gateway error', async () => {
  const b = await ApiBuilder.create(gh);
  await b.method('/items/{id}', 'POST', { type: 'HTTP', integrationHttpMethod: 'POST', uri: `${echo.url}/status/201` }, { responses: [{ statusCode: '201', selectionPattern: '2\\d\\d' }] });
  const deploymentId = await b.deploy('v1');
  const vars = [
    'accountId', 'apiId', 'authorizer.principalId', 'authorizer.error', 'awsEndpointRequestId', 'customDomain.basePathMatched', 'deploymentId',
    'domainName', 'domainPrefix', 'error.message', 'error.messageString', 'error.responseType', 'error.validationErrorString', 'extendedRequestId',
    'httpMethod', 'identity.accountId', 'identity.apiKey', 'identity.apiKeyId', 'identity.caller', 'identity.cognitoAuthenticationProvider',
    'identity.cognitoAuthenticationType', 'identity.cognitoIdentityId', 'identity.cognitoIdentityPoolId', 'identity.principalOrgId',
    'identity.sourceIp', 'identity.user', 'identity.userAgent', 'identity.userArn', 'integration.error', 'integration.integrationStatus',
    'integration.latency', 'integration.requestId', 'integration.status', 'integrationLatency', 'integrationStatus', 'isCanaryRequest', 'path',
    'protocol', 'requestId', 'requestTime', 'requestTimeEpoch', 'resourceId', 'resourcePath', 'responseLatency', 'responseLength', 'stage',
    'status', 'xrayTraceId', 'wafResponseCode', 'webaclArn',
  ];
  const format = `{${vars.map((v) => `"${v}":"$context.${v}"`).join(',')}}`;
  assert.equal((await aws('create-log-group', '--log-group-name', 'all-vars')).code, 0);
  await stageWith(b, 'v1', [
    { op: 'replace', path: '/accessLogSettings/destinationArn', value: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:all-vars:*` },
    { op: 'replace', path: '/accessLogSettings/format', value: format },
  ]);
  const r = await b.invoke('v1', '/items/7?x=1', { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json', 'user-agent': 'probe/1' } });
  assert.equal(r.status, 201);
  const denied = await b.invoke('v1', '/items', { method: 'GET' });
  assert.equal(denied.status, 403);
  const lines = await messages('all-vars');
  const ok = JSON.parse(lines[0]!);
  // $context.error.messageString is quoted already (the guide writes it unquoted in JSON formats): here it is inside quotes.
  assert.match(lines[1]!, /"error\.messageString":""Missing Authentication Token""/);
  const err = JSON.parse(lines[1]!.replace('""Missing Authentication Token""', '"Missing Authentication Token"'));
  const resources = await gh.apigateway.send(new AG.GetResourcesCommand({ restApiId: b.apiId }));
  const resourceId = resources.items!.find((x) => x.path === '/items/{id}')!.id;
  const host = `${b.apiId}.execute-api.us-east-1.amazonaws.com`;
  assert.ok(Number(ok.integrationLatency) >= 0 && Number(ok.responseLatency) >= Number(ok.integrationLatency), JSON.stringify(ok));
  assert.deepEqual(ok, {
    accountId: ACCOUNT, apiId: b.apiId, 'authorizer.principalId': '-', 'authorizer.error': '-', awsEndpointRequestId: '-', 'customDomain.basePathMatched': '-',
    deploymentId, domainName: host, domainPrefix: b.apiId, 'error.message': '-', 'error.messageString': '-', 'error.responseType': '-',
    'error.validationErrorString': '-', extendedRequestId: r.headers['x-amz-apigw-id'], httpMethod: 'POST', 'identity.accountId': '-', 'identity.apiKey': '-',
    'identity.apiKeyId': '-', 'identity.caller': '-', 'identity.cognitoAuthenticationProvider': '-', 'identity.cognitoAuthenticationType': '-',
    'identity.cognitoIdentityId': '-', 'identity.cognitoIdentityPoolId': '-', 'identity.principalOrgId': '-', 'identity.sourceIp': '127.0.0.1',
    'identity.user': '-', 'identity.userAgent': 'probe/1', 'identity.userArn': '-', 'integration.error': '-', 'integration.integrationStatus': '201',
    'integration.latency': ok.integrationLatency, 'integration.requestId': '-', 'integration.status': '201', integrationLatency: ok.integrationLatency,
    integrationStatus: '201', isCanaryRequest: 'false', path: '/v1/items/7', protocol: 'HTTP/1.1', requestId: r.headers['x-amzn-requestid'],
    requestTime: '05/Dec/2026:23:41:07 +0000', requestTimeEpoch: String(clock), resourceId, resourcePath: '/items/{id}', responseLatency: ok.responseLatency,
    responseLength: String(r.raw.length), stage: 'v1', status: '201', xrayTraceId: '-', wafResponseCode: '-', webaclArn: '-',
  });
  assert.equal(err.status, '403');
  assert.equal(err['error.message'], 'Missing Authentication Token');
  assert.equal(err['error.responseType'], 'MISSING_AUTHENTICATION_TOKEN');
  assert.equal(err.resourcePath, '-');
  assert.equal(err.integrationLatency, '-');
  assert.equal(err.responseLength, String(denied.raw.length));
});

test('execution logs: INFO with and without data trace, for a MOCK and an HTTP method; ERROR logs failures only', async () => {
  const b = await ApiBuilder.create(gh);
  await b.method('/mock', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, { responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"mocked":1}' } }] });
  await b.method('/http', 'GET', { type: 'HTTP', integrationHttpMethod: 'GET', uri: `${echo.url}/raw/hello` }, { responses: [{ statusCode: '200' }] });
  await b.method('/down', 'GET', { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: 'http://127.0.0.1:1/nothing' });
  await b.deploy('s');
  const group = `API-Gateway-Execution-Logs_${b.apiId}/s`;
  await stageWith(b, 's', [
    { op: 'replace', path: '/*/*/logging/loglevel', value: 'INFO' },
    { op: 'replace', path: '/*/*/logging/dataTrace', value: 'true' },
  ]);
  const mock = await b.invoke('s', '/mock');
  const id = mock.headers['x-amzn-requestid'];
  const lines = await messages(group);
  assert.deepEqual(lines, [
    `(${id}) Extended Request Id: ${mock.headers['x-amz-apigw-id']}`,
    `(${id}) Starting execution for request: ${id}`,
    `(${id}) HTTP Method: GET, Resource Path: /mock`,
    `(${id}) Method request path: {}`,
    `(${id}) Method request query string: {}`,
    lines[5]!,
    `(${id}) Endpoint request body after transformations: {"statusCode": 200}`,
    `(${id}) Method response body after transformations: {"mocked":1}`,
    lines[8]!,
    `(${id}) Successfully completed execution`,
    `(${id}) Method completed with status: 200`,
  ]);
  assert.match(lines[5]!, /^\(\S+\) Method request headers: \{.*host=/);
  assert.match(lines[8]!, /^\(\S+\) Method response headers: \{Content-Type=application\/json/);
  const group2 = await aws('describe-log-groups', '--log-group-name-prefix', 'API-Gateway-Execution-Logs_');
  assert.ok(group2.json.logGroups.some((g: { logGroupName: string }) => g.logGroupName === group));

  const http = await b.invoke('s', '/http');
  assert.equal(http.body, 'hello');
  const httpId = http.headers['x-amzn-requestid'] as string;
  const httpLines = await messages(group, `"${httpId}"`);
  for (const expected of [
    `Endpoint request URI: ${echo.url}/raw/hello`,
    `Sending request to ${echo.url}/raw/hello`,
    'Received response. Status: 200, Integration latency:',
    'Endpoint response body before transformations: hello',
    'Method completed with status: 200',
  ]) assert.ok(httpLines.some((l) => l.startsWith(`(${httpId}) ${expected}`)), `${expected} in ${httpLines.join('\n')}`);

  // Without data trace: no headers and bodies.
  await stageWith(b, 's', [{ op: 'replace', path: '/*/*/logging/dataTrace', value: 'false' }]);
  const quiet = await b.invoke('s', '/http');
  const quietLines = await messages(group, `"${quiet.headers['x-amzn-requestid']}"`);
  assert.ok(quietLines.some((l) => l.endsWith('Method completed with status: 200')));
  assert.ok(!quietLines.some((l) => /Method request headers|body before transformations|Endpoint request headers/.test(l)), quietLines.join('\n'));

  // ERROR: nothing for a success, the failure and the status for an error.
  await stageWith(b, 's', [{ op: 'replace', path: '/*/*/logging/loglevel', value: 'ERROR' }]);
  const fine = await b.invoke('s', '/mock');
  const down = await b.invoke('s', '/down');
  assert.equal(down.status, 504);
  assert.deepEqual(await messages(group, `"${fine.headers['x-amzn-requestid']}"`), []);
  const downLines = await messages(group, `"${down.headers['x-amzn-requestid']}"`);
  assert.equal(downLines.length, 3, downLines.join('\n'));
  assert.match(downLines[1]!, /Execution failed due to/);
  assert.match(downLines[2]!, /Method completed with status: 504$/);
});

test('access logs to a group that does not exist are not delivered, as on AWS; Firehose destinations are refused', async () => {
  const b = await ApiBuilder.create(gh);
  await b.method('/', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, { responses: [{ statusCode: '200' }] });
  await b.deploy('p');
  await stageWith(b, 'p', [
    { op: 'replace', path: '/accessLogSettings/destinationArn', value: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:missing-group` },
    { op: 'replace', path: '/accessLogSettings/format', value: '$context.requestId' },
  ]);
  assert.equal((await b.invoke('p', '/')).status, 200);
  await (gh.gatehouse.services.logs as LogStore).flush();
  const r = await aws('describe-log-groups', '--log-group-name-prefix', 'missing-group');
  assert.deepEqual(r.json.logGroups, []);
  await assert.rejects(
    stageWith(b, 'p', [{ op: 'replace', path: '/accessLogSettings/destinationArn', value: `arn:aws:firehose:us-east-1:${ACCOUNT}:deliverystream/amazon-apigateway-x` }]),
    (e: Error) => e.name === 'BadRequestException' && /Firehose access log destinations are not available/.test(e.message),
  );
});

test('the process log: a line per request, text or JSON, 5xx with the backend and its error; silent writes nothing', async () => {
  const { mkdtempSync, readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'reqlog-'));
  for (const format of ['text', 'json'] as const) {
    const file = join(dir, format);
    const log = new RequestLog({ format, level: 'info', destination: file });
    log.request({ method: 'GET', path: '/s/pets', target: 'abc/s', status: 200, latencyMs: 12, integrationLatencyMs: 10, requestId: 'r1' });
    log.request({ method: 'GET', path: '/s/down', target: 'abc/s', status: 504, latencyMs: 29000, integrationLatencyMs: 29000, requestId: 'r2', cause: 'Execution failed due to a timeout error [HTTP http://10.0.0.1/x]' });
    await log.close();
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    if (format === 'text') {
      assert.match(lines[0]!, /^\S+Z INFO GET \/s\/pets abc\/s 200 12 ms \(integration 10 ms\) r1$/);
      assert.match(lines[1]!, /^\S+Z ERROR GET \/s\/down abc\/s 504 29000 ms \(integration 29000 ms\) r2 — Execution failed due to a timeout error \[HTTP http:\/\/10\.0\.0\.1\/x\]$/);
    } else {
      const [a, e] = lines.map((l) => JSON.parse(l));
      assert.deepEqual({ ...a, time: undefined }, { level: 'info', time: undefined, requestId: 'r1', method: 'GET', path: '/s/pets', target: 'abc/s', status: 200, latencyMs: 12, integrationLatencyMs: 10, msg: 'request' });
      assert.equal(e.level, 'error');
      assert.equal(e.cause, 'Execution failed due to a timeout error [HTTP http://10.0.0.1/x]');
    }
  }
  const silent = new RequestLog({ format: 'text', level: 'silent', destination: join(dir, 'silent') });
  silent.request({ method: 'GET', path: '/', target: 'a/b', status: 500, latencyMs: 1, requestId: 'r' });
  await silent.close();
  assert.equal(readFileSync(join(dir, 'silent'), 'utf8'), '');
  const errorsOnly = new RequestLog({ format: 'text', level: 'error', destination: join(dir, 'errors') });
  errorsOnly.request({ method: 'GET', path: '/', target: 'a/b', status: 200, latencyMs: 1, requestId: 'ok' });
  errorsOnly.request({ method: 'GET', path: '/', target: 'a/b', status: 502, latencyMs: 1, requestId: 'bad' });
  await errorsOnly.close();
  assert.match(readFileSync(join(dir, 'errors'), 'utf8'), /^\S+ ERROR GET \/ a\/b 502 1 ms bad\n$/);
  // One request's line reaches the output without waiting for 4 KB of others or for close (a developer trying
  // one call sees it): the buffer is written at least every 100 ms.
  const one = new RequestLog({ format: 'text', level: 'info', destination: join(dir, 'one') });
  try {
    one.request({ method: 'GET', path: '/s/one', target: 'abc/s', status: 200, latencyMs: 1, requestId: 'only' });
    const { existsSync } = await import('node:fs');
    const written = () => (existsSync(join(dir, 'one')) ? readFileSync(join(dir, 'one'), 'utf8') : ''); // opened asynchronously
    await until(() => written().includes('only'), "the request's line in the file");
    assert.match(written(), /^\S+Z INFO GET \/s\/one abc\/s 200 1 ms only\n$/);
  } finally {
    await one.close();
  }
});

test('access logs report the authorization phases: $context.authenticate.*, authorize.* (SigV4 and policies of an AWS_IAM method)', async () => {
  const b = await ApiBuilder.create(gh);
  const mock = { type: 'MOCK' as const, requestTemplates: { 'application/json': '{"statusCode": 200}' } };
  await b.method('/iam', 'GET', mock, { method: { authorizationType: 'AWS_IAM' }, responses: [{ statusCode: '200' }] });
  await b.method('/open', 'GET', mock, { responses: [{ statusCode: '200' }] });
  await b.deploy('prod');
  assert.equal((await aws('create-log-group', '--log-group-name', 'access-phases')).code, 0);
  await stageWith(b, 'prod', [
    { op: 'replace', path: '/accessLogSettings/destinationArn', value: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:access-phases` },
    {
      op: 'replace',
      path: '/accessLogSettings/format',
      value: '$context.resourcePath authenticate=$context.authenticate.status/$context.authenticate.error authorize=$context.authorize.status/$context.authorize.error latencies=$context.authenticate.latency,$context.authorize.latency authorizer=$context.authorizer.status',
    },
  ]);
  const host = `${b.apiId}.execute-api.us-east-1.amazonaws.com`;
  const amzDate = new Date(clock).toISOString().replace(/[:-]|\.\d{3}/g, '');
  const signed = (accessKeyId: string, secretAccessKey: string) => {
    const { Host: _h, ...headers } = aws4.sign({ host, path: '/prod/iam', method: 'GET', service: 'execute-api', region: 'us-east-1', headers: { 'X-Amz-Date': amzDate } }, { accessKeyId, secretAccessKey }).headers as Record<string, string>;
    return headers;
  };
  const admin = gh.gatehouse.bootstrap!;
  assert.equal((await b.invoke('prod', '/iam', { headers: signed(admin.accessKeyId, admin.secretAccessKey) })).status, 200);
  assert.equal((await b.invoke('prod', '/iam')).status, 403);
  assert.equal((await b.invoke('prod', '/iam', { headers: signed('AKIAUNKNOWNKEY000000', 'x') })).status, 403);
  assert.equal((await b.invoke('prod', '/open')).status, 200);
  const lines = await messages('access-phases');
  assert.equal(lines.length, 4, lines.join('\n'));
  const latencies = lines.map((l) => /latencies=(\S+)/.exec(l)![1]);
  assert.match(latencies[0]!, /^\d+,\d+$/);
  assert.deepEqual(lines.map((l) => l.replace(/ latencies=\S+/, '')), [
    '/iam authenticate=200/- authorize=200/- authorizer=-',
    '/iam authenticate=403/Missing Authentication Token authorize=-/- authorizer=-',
    '/iam authenticate=403/The security token included in the request is invalid. authorize=-/- authorizer=-',
    '/open authenticate=-/- authorize=-/- authorizer=-',
  ]);
});

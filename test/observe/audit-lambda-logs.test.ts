// The audit trail (CloudTrail-shaped records of control calls in /gatehouse/audit, secrets hidden, the verified
// caller with --require-auth) and Lambda's function logs in /aws/lambda/{name} (START / END / REPORT as Lambda
// writes them), read with the real `aws logs` CLI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as AG from '@aws-sdk/client-api-gateway';
import * as IAM from '@aws-sdk/client-iam';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { runAws, type CliResult } from '../helpers/aws-cli.ts';
import { startGatehouse, clients, type Running } from '../helpers/gatehouse.ts';
import { createFunction } from '../functions/helpers.ts';
import type { LogStore } from '../../src/observe/logs/log-store.ts';

let gh: Running;

before(async () => {
  gh = await startGatehouse();
});
after(async () => {
  await gh.stop();
});

async function filter(running: Running, group: string, pattern?: string, credentials?: { accessKeyId: string; secretAccessKey: string }): Promise<string[]> {
  await (running.gatehouse.services.logs as LogStore).flush();
  const r: CliResult = await runAws({ endpoint: running.endpoint, credentials }, 'logs', 'filter-log-events', '--log-group-name', group, ...(pattern ? ['--filter-pattern', pattern] : []));
  assert.equal(r.code, 0, r.stderr);
  return r.json.events.map((e: { message: string }) => e.message);
}

test('audit records: one CloudTrail-shaped record per control call, secrets hidden, failures with their error', async () => {
  const api = await gh.apigateway.send(new AG.CreateRestApiCommand({ name: 'audited', description: 'kept' }));
  await gh.apigateway.send(new AG.CreateApiKeyCommand({ name: 'k', value: 'secret-key-value-0123456789', enabled: true }));
  await assert.rejects(gh.apigateway.send(new AG.GetRestApiCommand({ restApiId: 'nope123456' })));
  const iam = new IAM.IAMClient({ endpoint: gh.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' }, maxAttempts: 1 });
  await iam.send(new IAM.CreateUserCommand({ UserName: 'audit-me' }));
  const key = await iam.send(new IAM.CreateAccessKeyCommand({ UserName: 'audit-me' }));
  iam.destroy();

  const [create] = (await filter(gh, '/gatehouse/audit', '{ $.eventName = "CreateRestApi" }')).map((l) => JSON.parse(l));
  assert.equal(create.eventVersion, '1.09');
  assert.equal(create.eventSource, 'apigateway.amazonaws.com');
  assert.equal(create.awsRegion, 'us-east-1');
  assert.equal(create.sourceIPAddress, '127.0.0.1');
  assert.deepEqual(create.userIdentity, { type: 'Unknown', accountId: '123456789012', accessKeyId: 'AKIAIOSFODNN7EXAMPLE' });
  assert.deepEqual(create.requestParameters, { name: 'audited', description: 'kept' });
  assert.equal(create.readOnly, false);
  assert.equal(create.eventType, 'AwsApiCall');
  assert.equal(create.managementEvent, true);
  assert.equal(create.recipientAccountId, '123456789012');
  assert.match(create.eventTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.match(create.requestID, /^[0-9a-f-]{36}$/);
  assert.match(create.userAgent, /aws-sdk-js/);
  assert.equal(create.responseElements, null);
  assert.equal(create.errorCode, undefined);

  const [apiKey] = (await filter(gh, '/gatehouse/audit', '{ $.eventName = "CreateApiKey" }')).map((l) => JSON.parse(l));
  assert.equal(apiKey.requestParameters.value, 'HIDDEN_DUE_TO_SECURITY_REASONS');
  const [failed] = (await filter(gh, '/gatehouse/audit', '{ $.errorCode = "NotFoundException" }')).map((l) => JSON.parse(l));
  assert.equal(failed.eventName, 'GetRestApi');
  assert.equal(failed.readOnly, true);
  assert.equal(failed.errorMessage, 'Invalid API identifier specified 123456789012:nope123456');
  const [user] = (await filter(gh, '/gatehouse/audit', '{ $.eventSource = "iam.amazonaws.com" && $.eventName = "CreateUser" }')).map((l) => JSON.parse(l));
  assert.deepEqual(user.requestParameters, { UserName: 'audit-me' });
  // No record anywhere carries a secret Gatehouse handed out or was given.
  const all = (await filter(gh, '/gatehouse/audit')).join('\n');
  assert.ok(!all.includes(key.AccessKey!.SecretAccessKey!));
  assert.ok(!all.includes('secret-key-value-0123456789'));
  assert.ok(all.includes(`"eventName":"CreateAccessKey"`));
  // Reading the logs is a data event: not recorded (as CloudTrail does not record FilterLogEvents by default).
  assert.ok(!all.includes('"eventName":"FilterLogEvents"'));
  assert.ok(api.id);
});

test('with --require-auth the verified caller is named', async () => {
  const secure = await startGatehouse({ config: { requireAuth: true } });
  try {
    const admin = secure.gatehouse.bootstrap!;
    const credentials = { accessKeyId: admin.accessKeyId, secretAccessKey: admin.secretAccessKey! };
    const c = new AG.APIGatewayClient({ endpoint: secure.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    await c.send(new AG.CreateRestApiCommand({ name: 'by-admin' }));
    c.destroy();
    const [record] = (await filter(secure, '/gatehouse/audit', '{ $.eventName = "CreateRestApi" }', credentials)).map((l) => JSON.parse(l));
    assert.deepEqual(record.userIdentity, {
      type: 'IAMUser',
      principalId: record.userIdentity.principalId,
      arn: 'arn:aws:iam::123456789012:user/admin',
      accountId: '123456789012',
      accessKeyId: admin.accessKeyId,
      userName: 'admin',
    });
    assert.match(record.userIdentity.principalId, /^AIDA/);
  } finally {
    await secure.stop();
  }
});

test('function output in /aws/lambda/{name} with START, END and REPORT lines as Lambda writes them', async () => {
  await createFunction(gh.lambda, 'logged-fn', { 'index.js': 'exports.handler = async (e) => { console.log("hello", e.n); return e.n; };' }, { memory: 256 });
  const first = await gh.lambda.send(new InvokeCommand({ FunctionName: 'logged-fn', Payload: Buffer.from('{"n":1}') }));
  const second = await gh.lambda.send(new InvokeCommand({ FunctionName: 'logged-fn', Payload: Buffer.from('{"n":2}') }));
  assert.equal(first.StatusCode, 200);
  void second;
  const lines = await filter(gh, '/aws/lambda/logged-fn');
  const starts = lines.filter((l) => l.startsWith('START RequestId: '));
  const reports = lines.filter((l) => l.startsWith('REPORT RequestId: '));
  assert.equal(starts.length, 2, lines.join('\n'));
  // Each event ends with a newline, as Lambda's do.
  assert.match(starts[0]!, /^START RequestId: [0-9a-f-]{36} Version: \$LATEST\n$/);
  assert.ok(lines.some((l) => /^END RequestId: [0-9a-f-]{36}\n$/.test(l)));
  assert.ok(lines.some((l) => /\tINFO\thello 1/.test(l)), lines.join('\n'));
  // The cold start reports its Init Duration; the warm one does not.
  assert.match(reports[0]!, /^REPORT RequestId: [0-9a-f-]{36}\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 256 MB\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d\d ms\t\n$/);
  assert.match(reports[1]!, /^REPORT RequestId: [0-9a-f-]{36}\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 256 MB\tMax Memory Used: \d+ MB\t\n$/);
  // The stream is named as Lambda names them: date/[version]id.
  await (gh.gatehouse.services.logs as LogStore).flush();
  const streams = await runAws({ endpoint: gh.endpoint }, 'logs', 'describe-log-streams', '--log-group-name', '/aws/lambda/logged-fn');
  assert.match(streams.json.logStreams[0].logStreamName, /^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);
  void clients;
});

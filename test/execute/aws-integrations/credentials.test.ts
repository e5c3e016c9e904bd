// Which credentials sign an AWS service integration's request, seen from the service (the SQS double records the
// Authorization it got): a role of Gatehouse's IAM → a session of that role from Gatehouse's STS; a role Gatehouse
// does not have → the default credentials (AWS_ACCESS_KEY_ID…); `arn:aws:iam::*:user/*` → the caller's own key
// (AWS_IAM methods only). And the endpoint settings as a server reads them at startup and reports them in its log.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import aws4 from 'aws4';
import { request } from 'undici';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { AG, ApiBuilder } from '../helpers.ts';
import { clients, spawnGatehouse, TEST_CREDENTIALS, type Running, type Spawned } from '../../helpers/gatehouse.ts';
import { tempDataDir } from '../../helpers/temp.ts';
import { startServiceDoubles, type ServiceDoubles } from '../../helpers/aws-service-doubles.ts';
import { createApiGatewayRole, startWithEndpoints } from './setup.ts';
import { configFromEnv } from '../../../src/server/config.ts';
import { ConfigError } from '../../../src/server/startup-errors.ts';
import { rmSync } from 'node:fs';

const QUEUE = '123456789012/jobs';
const DEFAULTS = { accessKeyId: 'AKIADEFAULTEXAMPLE00', secretAccessKey: 'default/secret/EXAMPLE', sessionToken: 'default-session-token' };
const credentialOf = (authorization: unknown) => /Credential=([^/]+)\//.exec(String(authorization))?.[1];

describe('AWS integrations: credentials', () => {
  let doubles: ServiceDoubles;
  let gh: Running;
  let api: ApiBuilder;
  let alice: { accessKeyId: string; secretAccessKey: string };
  let host: string;

  const integration = (credentials: string) => ({
    type: 'AWS' as const,
    integrationHttpMethod: 'POST',
    uri: `arn:aws:apigateway:us-east-1:sqs:path/${QUEUE}`,
    credentials,
    requestParameters: { 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'" },
    requestTemplates: { 'application/json': 'Action=SendMessage&MessageBody=$util.urlEncode($input.body)' },
  });
  const ok = { responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"id": "$input.path(\'$.SendMessageResponse.SendMessageResult.MessageId\')"}' } }] };
  const lastRequest = () => doubles.requests[doubles.requests.length - 1]!;

  before(async () => {
    doubles = await startServiceDoubles({ queues: [QUEUE] });
    gh = await startWithEndpoints({ AWS_ENDPOINT_URL_SQS: doubles.url }, { awsCredentials: DEFAULTS });
    const role = await createApiGatewayRole(gh, 'sqs-writer');
    const iam = new IAMClient({ endpoint: gh.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'invoke', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }] }) }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }))).AccessKey!;
    alice = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
    iam.destroy();
    api = await ApiBuilder.create(gh);
    host = `${api.apiId}.execute-api.us-east-1.amazonaws.com`;
    await api.method('/role', 'POST', integration(role), ok);
    await api.method('/foreign-role', 'POST', integration('arn:aws:iam::123456789012:role/made-elsewhere'), ok);
    await api.method('/caller', 'POST', integration('arn:aws:iam::*:user/*'), { ...ok, method: { authorizationType: 'AWS_IAM' } });
    await api.method('/anonymous-caller', 'POST', integration('arn:aws:iam::*:user/*'), ok);
    await api.deploy('test');
  });

  after(async () => {
    await gh?.stop();
    await doubles?.close();
  });

  const post = (path: string) => api.invoke('test', path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"job": 1}' });

  test("a role of Gatehouse's IAM: a session of the role, assumed once and reused", async () => {
    const first = await post('/role');
    if (first.status !== 200) {
      const ti = await gh.apigateway.send(new AG.TestInvokeMethodCommand({ restApiId: api.apiId, resourceId: await api.resource('/role'), httpMethod: 'POST', body: '{}' }));
      assert.fail(`${first.status} ${first.body}; TestInvokeMethod now: ${ti.status}\n${ti.log}`);
    }
    const a = lastRequest();
    assert.match(credentialOf(a.headers.authorization)!, /^ASIA[A-Z0-9]{16}$/);
    assert.ok(a.headers['x-amz-security-token']);
    await post('/role');
    assert.equal(credentialOf(lastRequest().headers.authorization), credentialOf(a.headers.authorization));
  });

  test("a role Gatehouse does not have: the default credentials, session token included", async () => {
    const r = await post('/foreign-role');
    assert.equal(r.status, 200, r.body);
    const sent = lastRequest();
    assert.equal(credentialOf(sent.headers.authorization), DEFAULTS.accessKeyId);
    assert.equal(sent.headers['x-amz-security-token'], DEFAULTS.sessionToken);
  });

  test("arn:aws:iam::*:user/*: the caller's own access key signs", async () => {
    const body = '{"job": 2}';
    const signed = aws4.sign({ host, method: 'POST', path: '/test/caller', service: 'execute-api', region: 'us-east-1', body, headers: { 'content-type': 'application/json' } }, alice);
    const res = await request(`${gh.endpoint}/test/caller`, { method: 'POST', headers: signed.headers as Record<string, string>, body });
    const text = await res.body.text();
    assert.equal(res.statusCode, 200, text);
    const sent = lastRequest();
    assert.equal(credentialOf(sent.headers.authorization), alice.accessKeyId);
    assert.equal(sent.headers['x-amz-security-token'], undefined);
    assert.equal(doubles.queues.get(QUEUE)!.at(-1)!.body, body);
  });

  test('caller credentials on a method without AWS_IAM: 500, nothing is sent', async () => {
    const before = doubles.requests.length;
    const r = await post('/anonymous-caller');
    assert.equal(r.status, 500);
    assert.deepEqual(r.json(), { message: 'Internal server error' });
    assert.equal(doubles.requests.length, before);
    const ti = await gh.apigateway.send(new AG.TestInvokeMethodCommand({ restApiId: api.apiId, resourceId: await api.resource('/anonymous-caller'), httpMethod: 'POST', body: '{}' }));
    assert.match(ti.log!, /Execution failed due to configuration error: Unable to use the caller credentials/);
  });
});

describe('AWS integrations: endpoint settings', () => {
  test('AWS_ENDPOINT_URL_* are read from the environment and checked', () => {
    const config = configFromEnv({ AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000', AWS_ENDPOINT_URL: 'http://localhost:4566', OTHER: 'x' });
    assert.deepEqual(config.awsEndpointUrls, { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000', AWS_ENDPOINT_URL: 'http://localhost:4566' });
    assert.throws(() => configFromEnv({ AWS_ENDPOINT_URL_S3: 'localhost:9000' }), (e: unknown) => e instanceof ConfigError && /AWS_ENDPOINT_URL_S3="localhost:9000" is not an http or https URL/.test(e.message));
    assert.throws(() => configFromEnv({ AWS_ACCESS_KEY_ID: 'AKIA' }), (e: unknown) => e instanceof ConfigError && /AWS_ACCESS_KEY_ID is set without AWS_SECRET_ACCESS_KEY/.test(e.message));
    assert.deepEqual(configFromEnv({ AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 's' }).awsCredentials, { accessKeyId: 'AKIA', secretAccessKey: 's' });
  });

  // An API whose AWS integration targets Step Functions, which has no endpoint here; resolves with its URL.
  async function apiWithoutEndpoint(server: Spawned): Promise<string> {
    const { apigateway } = clients(server.endpoint);
    try {
      const restApiId = (await apigateway.send(new AG.CreateRestApiCommand({ name: 'no-endpoint' }))).id!;
      const root = (await apigateway.send(new AG.GetResourcesCommand({ restApiId }))).items![0]!.id!;
      await apigateway.send(new AG.PutMethodCommand({ restApiId, resourceId: root, httpMethod: 'GET', authorizationType: 'NONE' }));
      await apigateway.send(new AG.PutIntegrationCommand({ restApiId, resourceId: root, httpMethod: 'GET', type: 'AWS', integrationHttpMethod: 'POST', uri: 'arn:aws:apigateway:us-east-1:states:action/ListStateMachines', credentials: 'arn:aws:iam::123456789012:role/x' }));
      await apigateway.send(new AG.CreateDeploymentCommand({ restApiId, stageName: 'dev' }));
      return `${server.endpoint}/restapis/${restApiId}/dev/_user_request_/`;
    } finally {
      apigateway.destroy();
    }
  }
  const NO_ENDPOINT = /No endpoint is configured for the AWS service 'states'/;
  const unset = () => Object.fromEntries(Object.keys(process.env).filter((k) => k.startsWith('AWS_ENDPOINT_URL')).map((k) => [k, '']));

  test('a bad endpoint stops `gatehouse serve` with one line; a missing one is named in the process log', async () => {
    const dataDir = tempDataDir();
    try {
      await assert.rejects(spawnGatehouse({ dataDir, env: { AWS_ENDPOINT_URL_SQS: 'ftp://queue' } }), /gatehouse: AWS_ENDPOINT_URL_SQS="ftp:\/\/queue" is not an http or https URL/);
      const server = await spawnGatehouse({ dataDir, env: unset() });
      try {
        const res = await request(await apiWithoutEndpoint(server));
        assert.equal(res.statusCode, 500);
        await res.body.text();
        // The request's line carries the cause of its 500.
        await server.waitForOutput(/ERROR GET \S+ \w+\/dev 500 .*No endpoint is configured for the AWS service 'states': set AWS_ENDPOINT_URL_SFN \(or AWS_ENDPOINT_URL\) to its URL/);
        // Once: in the request's line, not again on stderr.
        assert.equal(server.output().match(new RegExp(NO_ENDPOINT, 'g'))?.length, 1);
      } finally {
        await server.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('--log-level silent: the configuration error of a request is written nowhere; why a server cannot start still is', async () => {
    const dataDir = tempDataDir();
    try {
      const silent = ['--log-level', 'silent'];
      await assert.rejects(spawnGatehouse({ dataDir, extraArgs: silent, env: { AWS_ENDPOINT_URL_SQS: 'ftp://queue' } }), /gatehouse: AWS_ENDPOINT_URL_SQS="ftp:\/\/queue" is not an http or https URL/);
      const server = await spawnGatehouse({ dataDir, extraArgs: silent, env: unset() });
      let output: string;
      try {
        const res = await request(await apiWithoutEndpoint(server));
        assert.equal(res.statusCode, 500);
        assert.deepEqual(await res.body.json(), { message: 'Internal server error' });
      } finally {
        // Exited: whatever it was going to write (the process log is flushed on close) has been written.
        assert.equal(await server.stop(), 0);
        output = server.output();
      }
      assert.doesNotMatch(output, NO_ENDPOINT);
      assert.doesNotMatch(output, /ERROR|INFO/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

// The guide's exported OpenAPI files for its AWS-integration tutorials (./guide/README.md), imported with
// ImportRestApi and deployed as they are, then called as the tutorials call them: the S3 proxy (every method
// AWS_IAM-signed, as the file's `sigv4` security says; its role is not Gatehouse's, so the default credentials
// sign, which s3rver checks) and the Kinesis proxy (kinesalite).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import aws4 from 'aws4';
import { request } from 'undici';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { AG } from '../helpers.ts';
import { TEST_CREDENTIALS, type Running } from '../../helpers/gatehouse.ts';
import { S3RVER_CREDENTIALS, startKinesalite, startS3rver, type Local } from '../../helpers/aws-service-doubles.ts';
import { startWithEndpoints } from './setup.ts';

const guide = (name: string) => readFileSync(new URL(`./guide/${name}`, import.meta.url));

describe("AWS integrations: the guide's exported OpenAPI files", () => {
  let s3: Local;
  let kinesis: Local;
  let gh: Running;
  let alice: { accessKeyId: string; secretAccessKey: string };

  before(async () => {
    [s3, kinesis] = await Promise.all([startS3rver(), startKinesalite()]);
    gh = await startWithEndpoints({ AWS_ENDPOINT_URL_S3: s3.url, AWS_ENDPOINT_URL_KINESIS: kinesis.url }, { awsCredentials: S3RVER_CREDENTIALS });
    const iam = new IAMClient({ endpoint: gh.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'invoke', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }] }) }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }))).AccessKey!;
    alice = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
    iam.destroy();
  });

  after(async () => {
    await gh?.stop();
    await Promise.all([s3?.close(), kinesis?.close()]);
  });

  async function deploy(file: string, stageName: string): Promise<string> {
    const api = await gh.apigateway.send(new AG.ImportRestApiCommand({ body: guide(file), failOnWarnings: false }));
    await gh.apigateway.send(new AG.CreateDeploymentCommand({ restApiId: api.id!, stageName }));
    return api.id!;
  }

  async function call(apiId: string, method: string, path: string, opts: { body?: string; headers?: Record<string, string>; sign?: boolean } = {}) {
    const host = `${apiId}.execute-api.us-east-1.amazonaws.com`;
    let headers: Record<string, string> = { host, ...opts.headers };
    if (opts.sign) headers = aws4.sign({ host, method, path, service: 'execute-api', region: 'us-east-1', body: opts.body, headers: { ...opts.headers } }, alice).headers as Record<string, string>;
    const res = await request(`${gh.endpoint}${path}`, { method: method as 'GET', headers, body: opts.body });
    const body = await res.body.text();
    return { status: res.statusCode, headers: res.headers, body };
  }

  test('the S3 proxy: buckets and objects through AWS_IAM methods', async () => {
    const apiId = await deploy('s3-proxy.swagger.json', 'S3');
    const unsigned = await call(apiId, 'GET', '/S3/');
    assert.equal(unsigned.status, 403);
    assert.equal(unsigned.body, '{"message":"Missing Authentication Token"}');

    const bucket = await call(apiId, 'PUT', '/S3/apig-demo', { sign: true });
    assert.equal(bucket.status, 200, bucket.body);
    const put = await call(apiId, 'PUT', '/S3/apig-demo/Readme.txt', { sign: true, body: 'Hello from API Gateway', headers: { 'content-type': 'text/plain' } });
    assert.equal(put.status, 200, put.body);

    const buckets = await call(apiId, 'GET', '/S3/', { sign: true });
    assert.equal(buckets.status, 200);
    assert.match(String(buckets.headers['content-type']), /xml/);
    assert.match(buckets.body, /<Name>apig-demo<\/Name>/);
    assert.ok(buckets.headers.timestamp, 'Timestamp mapped from the Date header');

    const objects = await call(apiId, 'GET', '/S3/apig-demo', { sign: true });
    assert.equal(objects.status, 200);
    assert.match(objects.body, /<Key>Readme\.txt<\/Key>/);

    const object = await call(apiId, 'GET', '/S3/apig-demo/Readme.txt', { sign: true });
    assert.equal(object.status, 200);
    assert.equal(object.body, 'Hello from API Gateway');
    assert.equal(object.headers['content-type'], 'text/plain');

    const head = await call(apiId, 'HEAD', '/S3/apig-demo/Readme.txt', { sign: true });
    assert.equal(head.status, 200);
    // Content-Length is API Gateway's own: the mapped one is remapped, as for every reserved header.
    assert.equal(head.headers['x-amzn-remapped-content-length'], '22');
    assert.equal(head.headers['content-type'], 'text/plain');

    const missing = await call(apiId, 'GET', '/S3/apig-demo/none.txt', { sign: true });
    assert.equal(missing.status, 400, 'the guide maps 4\\d{2} to 400');
    assert.match(missing.body, /<Code>NoSuchKey<\/Code>/);

    assert.equal((await call(apiId, 'DELETE', '/S3/apig-demo/Readme.txt', { sign: true })).status, 200);
    assert.equal((await call(apiId, 'DELETE', '/S3/apig-demo', { sign: true })).status, 200);
    const after = await call(apiId, 'GET', '/S3/', { sign: true });
    assert.doesNotMatch(after.body, /apig-demo/);
  });

  test('the Kinesis proxy: streams, a record, a shard iterator and the records', async () => {
    const apiId = await deploy('kinesis-proxy.swagger.json', 'test');
    const created = await call(apiId, 'POST', '/test/streams/myStream', { body: '{}', headers: { 'content-type': 'application/json' } });
    assert.equal(created.status, 200, created.body);
    assert.deepEqual(JSON.parse((await call(apiId, 'GET', '/test/streams')).body), { HasMoreStreams: false, StreamNames: ['myStream'] });
    const described = JSON.parse((await call(apiId, 'GET', '/test/streams/myStream')).body);
    assert.equal(described.StreamDescription.StreamName, 'myStream');
    assert.equal(described.StreamDescription.Shards.length, 5);

    const record = await call(apiId, 'PUT', '/test/streams/myStream/record', { body: '{"Data": "some data", "PartitionKey": "some key"}', headers: { 'content-type': 'application/json' } });
    assert.equal(record.status, 200, record.body);
    const shardId = JSON.parse(record.body).ShardId as string;

    const iterator = JSON.parse((await call(apiId, 'GET', `/test/streams/myStream/sharditerator?shard-id=${shardId}`)).body).ShardIterator as string;
    assert.ok(iterator);
    const records = JSON.parse((await call(apiId, 'GET', '/test/streams/myStream/records', { headers: { 'Shard-Iterator': iterator } })).body);
    assert.equal(records.Records.length, 1);
    assert.equal(Buffer.from(records.Records[0].Data, 'base64').toString(), '"some data"');
    assert.equal(records.Records[0].PartitionKey, 'some key');

    const deleted = await call(apiId, 'DELETE', '/test/streams/myStream', { body: '{}', headers: { 'content-type': 'application/json' } });
    assert.equal(deleted.status, 200, deleted.body);
  });
});

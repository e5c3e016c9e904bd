// The guide's AWS-integration tutorials, each built through the API Gateway SDK and called over plain HTTP:
// the S3 proxy (s3rver, which checks SigV4 signatures: the requests are signed with the default credentials since
// the proxy's role is not one of Gatehouse's), the Kinesis proxy (kinesalite), SQS SendMessage, SNS ListTopics,
// Step Functions StartExecution and EventBridge PutEvents (./../../helpers/aws-service-doubles.ts, reached through
// the generic AWS_ENDPOINT_URL), and a service with no endpoint at all.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { AG, ApiBuilder } from '../helpers.ts';
import type { Running } from '../../helpers/gatehouse.ts';
import { S3RVER_CREDENTIALS, startKinesalite, startS3rver, startServiceDoubles, type Local, type ServiceDoubles } from '../../helpers/aws-service-doubles.ts';
import { awsJson, createApiGatewayRole, startWithEndpoints } from './setup.ts';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(Array.from({ length: 300 }, (_, i) => i % 256))]);
const QUEUE = '123456789012/orders';
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:app-events';
const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:HelloWorld';

describe('AWS integrations: the guide tutorials against local services', () => {
  let s3: Local;
  let kinesis: Local;
  let doubles: ServiceDoubles;
  let gh: Running;
  let api: ApiBuilder;

  before(async () => {
    [s3, kinesis, doubles] = await Promise.all([startS3rver(), startKinesalite(), startServiceDoubles({ queues: [QUEUE], topics: [TOPIC], stateMachines: [MACHINE] })]);
    gh = await startWithEndpoints({ AWS_ENDPOINT_URL_S3: s3.url, AWS_ENDPOINT_URL_KINESIS: kinesis.url, AWS_ENDPOINT_URL: doubles.url }, { awsCredentials: S3RVER_CREDENTIALS });
    await awsJson(kinesis.url, 'Kinesis_20131202.CreateStream', { StreamName: 'clicks', ShardCount: 1 }, '1.1');
    const role = await createApiGatewayRole(gh, 'apigateway-services');
    // The S3 proxy's role is not in Gatehouse's IAM: the default credentials sign (s3rver checks them).
    const s3Role = 'arn:aws:iam::123456789012:role/apigAwsProxyRole';
    api = await ApiBuilder.create(gh, { binaryMediaTypes: ['image/png'] });
    const contentType = { statusCode: '200', responseParameters: { 'method.response.header.Content-Type': 'integration.response.header.Content-Type' } };
    const s3Errors = { statusCode: '404', selectionPattern: '404' };

    // "Create a REST API as an Amazon S3 proxy": GET / lists buckets, /{folder} a bucket, /{folder}/{item} an object.
    await api.method('/', 'GET', { type: 'AWS', integrationHttpMethod: 'GET', uri: 'arn:aws:apigateway:us-east-1:s3:path//', credentials: s3Role }, { responses: [contentType] });
    const bucket = { 'integration.request.path.bucket': 'method.request.path.folder' };
    await api.method('/{folder}', 'PUT', { type: 'AWS', integrationHttpMethod: 'PUT', uri: 'arn:aws:apigateway:us-east-1:s3:path/{bucket}', credentials: s3Role, requestParameters: bucket }, { responses: [contentType] });
    await api.method('/{folder}', 'GET', { type: 'AWS', integrationHttpMethod: 'GET', uri: 'arn:aws:apigateway:us-east-1:s3:path/{bucket}', credentials: s3Role, requestParameters: bucket }, { responses: [contentType, s3Errors] });
    const object = { ...bucket, 'integration.request.path.object': 'method.request.path.item' };
    await api.method(
      '/{folder}/{item}',
      'PUT',
      { type: 'AWS', integrationHttpMethod: 'PUT', uri: 'arn:aws:apigateway:us-east-1:s3:path/{bucket}/{object}', credentials: s3Role, requestParameters: { ...object, 'integration.request.header.Content-Type': 'method.request.header.Content-Type' } },
      { responses: [contentType] },
    );
    await api.method('/{folder}/{item}', 'GET', { type: 'AWS', integrationHttpMethod: 'GET', uri: 'arn:aws:apigateway:us-east-1:s3:path/{bucket}/{object}', credentials: s3Role, requestParameters: object }, { responses: [contentType, s3Errors] });
    await api.method('/{folder}/{item}', 'DELETE', { type: 'AWS', integrationHttpMethod: 'DELETE', uri: 'arn:aws:apigateway:us-east-1:s3:path/{bucket}/{object}', credentials: s3Role, requestParameters: object }, { responses: [{ statusCode: '200', selectionPattern: '2\\d{2}' }] });

    // "Create a REST API as an Amazon Kinesis proxy": PutRecord with the data base64-encoded by the template.
    await api.method(
      '/streams/{name}/record',
      'PUT',
      {
        type: 'AWS',
        integrationHttpMethod: 'POST',
        uri: 'arn:aws:apigateway:us-east-1:kinesis:action/PutRecord',
        credentials: role,
        requestTemplates: { 'application/json': '{"StreamName": "$input.params(\'name\')", "Data": "$util.base64Encode($input.json(\'$.Data\'))", "PartitionKey": "$input.path(\'$.PartitionKey\')"}' },
      },
      { responses: [{ statusCode: '200' }, { statusCode: '400', selectionPattern: '4\\d{2}' }] },
    );
    await api.method('/streams', 'GET', { type: 'AWS', integrationHttpMethod: 'POST', uri: 'arn:aws:apigateway:us-east-1:kinesis:action/ListStreams', credentials: role, requestTemplates: { 'application/json': '{}' } }, { responses: [{ statusCode: '200' }] });

    // SQS SendMessage by path, form-encoded (the guide's "Tutorial: Create a REST API as an Amazon SQS proxy").
    await api.method(
      '/orders',
      'POST',
      {
        type: 'AWS',
        integrationHttpMethod: 'POST',
        uri: `arn:aws:apigateway:us-east-1:sqs:path/${QUEUE}`,
        credentials: role,
        requestParameters: { 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'" },
        requestTemplates: { 'application/json': 'Action=SendMessage&MessageBody=$util.urlEncode($input.body)' },
        passthroughBehavior: 'NEVER',
      },
      {
        responses: [
          { statusCode: '200', responseTemplates: { 'application/json': '#set($r = $input.path(\'$.SendMessageResponse\')){"messageId": "$r.SendMessageResult.MessageId", "md5": "$r.SendMessageResult.MD5OfMessageBody"}' } },
          { statusCode: '400', selectionPattern: '4\\d{2}', responseTemplates: { 'application/json': '{"code": "$input.path(\'$.Error.Code\')"}' } },
        ],
      },
    );
    await api.method(
      '/missing-queue',
      'POST',
      { type: 'AWS', integrationHttpMethod: 'POST', uri: 'arn:aws:apigateway:us-east-1:sqs:path/123456789012/nothing', credentials: role, requestParameters: { 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'" }, requestTemplates: { 'application/json': 'Action=SendMessage&MessageBody=x' } },
      { responses: [{ statusCode: '200' }, { statusCode: '400', selectionPattern: '4\\d{2}', responseTemplates: { 'application/json': '{"code": "$input.path(\'$.Error.Code\')", "type": "$input.path(\'$.Error.Type\')"}' } }] },
    );
    await api.method(
      '/orders-xml',
      'POST',
      {
        type: 'AWS',
        integrationHttpMethod: 'POST',
        uri: `arn:aws:apigateway:us-east-1:sqs:path/${QUEUE}`,
        credentials: role,
        requestParameters: { 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'", 'integration.request.header.Accept': "'application/xml'" },
        requestTemplates: { 'application/json': 'Action=SendMessage&MessageBody=xml' },
      },
      { responses: [{ statusCode: '200' }] },
    );

    // The queue and region from stage variables, the account from a path parameter.
    await api.method(
      '/by-stage/{account}',
      'POST',
      {
        type: 'AWS',
        integrationHttpMethod: 'POST',
        uri: 'arn:aws:apigateway:${stageVariables.region}:sqs:path/{account}/${stageVariables.queue}',
        credentials: role,
        requestParameters: { 'integration.request.path.account': 'method.request.path.account', 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'" },
        requestTemplates: { 'application/json': 'Action=SendMessage&MessageBody=from-stage' },
      },
      { responses: [{ statusCode: '200' }] },
    );

    // SNS ListTopics (the 2016 guide's AWS-integration example): GET, action in the URI, no template.
    await api.method('/topics', 'GET', { type: 'AWS', integrationHttpMethod: 'GET', uri: 'arn:aws:apigateway:us-east-1:sns:action/ListTopics', credentials: role }, { responses: [{ statusCode: '200' }] });
    await api.method(
      '/publish',
      'POST',
      {
        type: 'AWS',
        integrationHttpMethod: 'POST',
        uri: 'arn:aws:apigateway:us-east-1:sns:action/Publish',
        credentials: role,
        requestParameters: { 'integration.request.querystring.TopicArn': `'${TOPIC}'`, 'integration.request.querystring.Message': 'method.request.body' },
      },
      { responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"id": "$input.path(\'$.PublishResponse.PublishResult.MessageId\')"}' } }] },
    );

    // Step Functions StartExecution ("Create a Step Functions state machine with API Gateway").
    await api.method(
      '/execution',
      'POST',
      {
        type: 'AWS',
        integrationHttpMethod: 'POST',
        uri: 'arn:aws:apigateway:us-east-1:states:action/StartExecution',
        credentials: role,
        requestTemplates: { 'application/json': `{"input": "$util.escapeJavaScript($input.json('$'))", "name": "$input.params('name')", "stateMachineArn": "${MACHINE}"}` },
      },
      { responses: [{ statusCode: '200' }, { statusCode: '400', selectionPattern: '4\\d{2}' }] },
    );

    // EventBridge PutEvents as AWS's recording sets it up (the target set by the template's requestOverride).
    await api.method(
      '/event',
      'POST',
      {
        type: 'AWS',
        integrationHttpMethod: 'POST',
        uri: 'arn:aws:apigateway:us-east-1:events:action/PutEvents',
        credentials: role,
        passthroughBehavior: 'WHEN_NO_TEMPLATES',
        requestTemplates: {
          'application/json': `#set($context.requestOverride.header.X-Amz-Target = "AWSEvents.PutEvents")
#set($context.requestOverride.header.Content-Type = "application/x-amz-json-1.1")
#set($inputRoot = $input.path('$'))
{"Entries": [#foreach($elem in $inputRoot.items){"Detail": "$util.escapeJavaScript($elem.Detail)", "DetailType": "$elem.DetailType", "Source": "$elem.Source"}#if($foreach.hasNext),#end#end]}`,
        },
      },
      { responses: [{ statusCode: '200', responseTemplates: { 'application/json': "#set($inputRoot = $input.json('$'))\n$inputRoot" } }] },
    );
    await api.deploy('test', { region: 'eu-west-1', queue: 'orders' });
  });

  after(async () => {
    await gh?.stop();
    await Promise.all([s3?.close(), kinesis?.close(), doubles?.close()]);
  });

  test('S3 proxy: create a bucket, put, list, get (binary) and delete an object', async () => {
    const created = await api.invoke('test', '/photos', { method: 'PUT' });
    assert.equal(created.status, 200, created.body);
    const buckets = await api.invoke('test', '/');
    assert.equal(buckets.status, 200, buckets.body);
    assert.match(String(buckets.headers['content-type']), /xml/);
    assert.match(buckets.body, /<ListAllMyBucketsResult[^>]*>.*<Name>photos<\/Name>/s);

    const put = await api.invoke('test', '/photos/cat.png', { method: 'PUT', headers: { 'content-type': 'image/png' }, body: PNG });
    assert.equal(put.status, 200, put.body);
    const listed = await api.invoke('test', '/photos');
    assert.equal(listed.status, 200);
    assert.match(listed.body, /<Key>cat\.png<\/Key>/);
    assert.match(listed.body, new RegExp(`<Size>${PNG.length}</Size>`));

    const got = await api.invoke('test', '/photos/cat.png', { headers: { accept: 'image/png' } });
    assert.equal(got.status, 200);
    assert.equal(got.headers['content-type'], 'image/png');
    assert.deepEqual(got.raw, PNG);
    // Without a binary Accept, API Gateway answers the binary payload as base64 text.
    const asText = await api.invoke('test', '/photos/cat.png', { headers: { accept: 'application/json' } });
    assert.equal(asText.body, PNG.toString('base64'));

    const deleted = await api.invoke('test', '/photos/cat.png', { method: 'DELETE' });
    assert.equal(deleted.status, 200);
    const gone = await api.invoke('test', '/photos/cat.png');
    assert.equal(gone.status, 404);
    assert.match(gone.body, /<Code>NoSuchKey<\/Code>/);
  });

  test('Kinesis proxy: PutRecord and ListStreams', async () => {
    const put = await api.invoke('test', '/streams/clicks/record', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"Data": {"page": "/home"}, "PartitionKey": "u1"}' });
    assert.equal(put.status, 200, put.body);
    const out = put.json();
    assert.deepEqual(Object.keys(out).sort(), ['SequenceNumber', 'ShardId']);
    assert.equal(out.ShardId, 'shardId-000000000000');
    const it = await awsJson(kinesis.url, 'Kinesis_20131202.GetShardIterator', { StreamName: 'clicks', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }, '1.1');
    const records = await awsJson(kinesis.url, 'Kinesis_20131202.GetRecords', { ShardIterator: it.ShardIterator }, '1.1');
    assert.equal(Buffer.from(records.Records[0].Data, 'base64').toString(), '{"page":"/home"}');
    assert.equal(records.Records[0].PartitionKey, 'u1');

    const streams = await api.invoke('test', '/streams');
    assert.deepEqual(streams.json(), { StreamNames: ['clicks'], HasMoreStreams: false });
    const missing = await api.invoke('test', '/streams/nope/record', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"Data": 1, "PartitionKey": "k"}' });
    assert.equal(missing.status, 400);
    assert.equal(missing.json().__type, 'ResourceNotFoundException');
  });

  test("SQS SendMessage: the query protocol's XML answer becomes SQS's JSON for the template", async () => {
    const r = await api.invoke('test', '/orders', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"order": 42, "note": "a&b"}' });
    assert.equal(r.status, 200, r.body);
    const out = r.json();
    assert.match(out.messageId, /^[0-9a-f-]{36}$/);
    assert.equal(out.md5, createHash('md5').update('{"order": 42, "note": "a&b"}').digest('hex'));
    assert.deepEqual(doubles.queues.get(QUEUE)!.map((m) => m.body), ['{"order": 42, "note": "a&b"}']);
    const sent = doubles.requests.find((q) => q.url === `/${QUEUE}`)!;
    assert.equal(sent.method, 'POST');
    assert.equal(sent.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(sent.headers.accept, 'application/json');
    assert.match(String(sent.headers.authorization), /^AWS4-HMAC-SHA256 Credential=ASIA[A-Z0-9]{16}\/\d{8}\/us-east-1\/sqs\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/);
    assert.ok(sent.headers['x-amz-security-token']);

    const xml = await api.invoke('test', '/orders-xml', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(xml.status, 200);
    assert.match(xml.body, /^<\?xml version="1.0"\?><SendMessageResponse/);

    const missing = await api.invoke('test', '/missing-queue', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.json(), { code: 'AWS.SimpleQueueService.NonExistentQueue', type: 'Sender' });
  });

  test('stage variables and path parameters in the URI; the signature is for its region', async () => {
    const r = await api.invoke('test', '/by-stage/123456789012', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(r.status, 200, r.body);
    assert.equal(doubles.queues.get(QUEUE)!.at(-1)!.body, 'from-stage');
    const sent = doubles.requests.at(-1)!;
    assert.equal(sent.url, `/${QUEUE}`);
    assert.match(String(sent.headers.authorization), /\/eu-west-1\/sqs\/aws4_request/);
  });

  test('SNS ListTopics and Publish (action URIs, mapped query strings)', async () => {
    const r = await api.invoke('test', '/topics');
    assert.equal(r.status, 200, r.body);
    assert.equal(r.headers['content-type'], 'application/json');
    const out = r.json();
    assert.deepEqual(out.ListTopicsResponse.ListTopicsResult, { Topics: [{ TopicArn: TOPIC }] });
    assert.match(out.ListTopicsResponse.ResponseMetadata.RequestId, /^[0-9a-f-]{36}$/);
    const sent = doubles.requests.find((q) => q.url === '/?Action=ListTopics')!;
    assert.equal(sent.method, 'GET');

    const p = await api.invoke('test', '/publish', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello & welcome' });
    assert.equal(p.status, 200, p.body);
    assert.match(p.json().id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(doubles.published, [{ topicArn: TOPIC, message: 'hello & welcome', subject: undefined }]);
  });

  test('Step Functions StartExecution', async () => {
    const r = await api.invoke('test', '/execution?name=run-1', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"who": "world"}' });
    assert.equal(r.status, 200, r.body);
    const out = r.json();
    assert.equal(out.executionArn, 'arn:aws:states:us-east-1:123456789012:execution:HelloWorld:run-1');
    assert.equal(typeof out.startDate, 'number');
    assert.deepEqual(doubles.executions.map((e) => e.input), ['{"who":"world"}']);
    const sent = doubles.requests.find((q) => q.headers['x-amz-target'] === 'AWSStepFunctions.StartExecution')!;
    assert.equal(sent.url, '/?Action=StartExecution');
    assert.equal(sent.headers['content-type'], 'application/x-amz-json-1.0');
    assert.match(String(sent.headers.authorization), /\/us-east-1\/states\/aws4_request/);
  });

  test('EventBridge PutEvents with the target set by the template', async () => {
    const r = await api.invoke('test', '/event', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ items: [{ Detail: '{"data":"Order is created"}', DetailType: 'Test', Source: 'order' }] }),
    });
    assert.equal(r.status, 200, r.body);
    const out = r.json();
    assert.equal(out.FailedEntryCount, 0);
    assert.equal(out.Entries.length, 1);
    assert.deepEqual(doubles.events, [{ Detail: '{"data":"Order is created"}', DetailType: 'Test', Source: 'order' }]);
    const sent = doubles.requests.find((q) => q.headers['x-amz-target'] === 'AWSEvents.PutEvents')!;
    assert.equal(sent.headers['content-type'], 'application/x-amz-json-1.1');
    assert.match(String(sent.headers.authorization), /\/us-east-1\/events\/aws4_request/);
  });
});

describe('AWS integrations: a service without an endpoint', () => {
  let gh: Running;
  let api: ApiBuilder;

  before(async () => {
    gh = await startWithEndpoints({});
    const role = await createApiGatewayRole(gh, 'apigateway-sqs');
    api = await ApiBuilder.create(gh);
    await api.method('/q', 'POST', { type: 'AWS', integrationHttpMethod: 'POST', uri: 'arn:aws:apigateway:us-east-1:sqs:path/123456789012/q', credentials: role }, { responses: [{ statusCode: '200' }] });
    await api.deploy('test');
  });

  after(async () => {
    await gh?.stop();
  });

  test("answers AWS's 500 and names the variable to set in the execution log", async () => {
    const r = await api.invoke('test', '/q', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    assert.equal(r.status, 500);
    assert.deepEqual(r.json(), { message: 'Internal server error' });
    assert.equal(r.headers['x-amzn-errortype'], 'InternalServerErrorException');
    const ti = await gh.apigateway.send(new AG.TestInvokeMethodCommand({ restApiId: api.apiId, resourceId: await api.resource('/q'), httpMethod: 'POST', body: '{}' }));
    assert.equal(ti.status, 500);
    assert.match(ti.log!, / : Execution failed due to configuration error: No endpoint is configured for the AWS service 'sqs': set AWS_ENDPOINT_URL_SQS \(or AWS_ENDPOINT_URL\) to its URL\n/);
  });
});

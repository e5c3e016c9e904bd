// DynamoDB behind API methods as the guide's AWS-integration tutorials build them (action/PutItem and action/Query
// with mapping templates, an execution role API Gateway assumes), against dynalite; the service's errors reach
// integration responses through selection patterns; TestInvokeMethod shows the signed endpoint request as AWS's
// log does; credentials cases.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AG, ApiBuilder } from '../helpers.ts';
import type { Running } from '../../helpers/gatehouse.ts';
import { startDynalite, type Local } from '../../helpers/aws-service-doubles.ts';
import { awsJson, createApiGatewayRole, startWithEndpoints } from './setup.ts';
import { request } from 'undici';
import { sigv4Headers } from '../../helpers/gatehouse.ts';
import type { LogStore } from '../../../src/observe/logs/log-store.ts';

const PUT_TEMPLATE = JSON.stringify({
  TableName: 'Pets',
  Item: { id: { S: "$input.params('id')" }, name: { S: "$input.path('$.name')" } },
});
const QUERY_TEMPLATE = JSON.stringify({
  TableName: "$input.params('table')",
  KeyConditionExpression: 'id = :id',
  ExpressionAttributeValues: { ':id': { S: "$input.params('id')" } },
});
const QUERY_RESPONSE = `#set($items = $input.path('$.Items'))
{"count": $input.path('$.Count'), "pets": [#foreach($i in $items){"id": "$i.id.S", "name": "$i.name.S"}#if($foreach.hasNext),#end#end]}`;
const ERROR_RESPONSE = `{"error": "$input.path('$.__type')", "message": "$util.escapeJavaScript($input.path('$.message'))"}`;

describe('AWS integration: DynamoDB (dynalite)', () => {
  /** A CloudWatch Logs call (JSON 1.1) to Gatehouse's own logs API. */
  async function logsCall(operation: string, input: unknown): Promise<any> {
    const res = await request(gh.endpoint, { method: 'POST', headers: { ...sigv4Headers('logs'), 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `Logs_20140328.${operation}` }, body: JSON.stringify(input) });
    const text = await res.body.text();
    assert.equal(res.statusCode, 200, text);
    return text === '' ? {} : JSON.parse(text);
  }

  let ddb: Local;
  let gh: Running;
  let api: ApiBuilder;
  let role: string;
  let putResource: string;

  before(async () => {
    ddb = await startDynalite();
    gh = await startWithEndpoints({ AWS_ENDPOINT_URL_DYNAMODB: ddb.url });
    await awsJson(ddb.url, 'DynamoDB_20120810.CreateTable', {
      TableName: 'Pets',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
    });
    role = await createApiGatewayRole(gh, 'apigateway-dynamodb');
    api = await ApiBuilder.create(gh);
    const errors = { statusCode: '400', selectionPattern: '4\\d{2}', responseTemplates: { 'application/json': ERROR_RESPONSE } };
    putResource = await api.method(
      '/pets/{id}',
      'PUT',
      { type: 'AWS', integrationHttpMethod: 'POST', uri: 'arn:aws:apigateway:us-east-1:dynamodb:action/PutItem', credentials: role, requestTemplates: { 'application/json': PUT_TEMPLATE } },
      { responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"stored": "$input.params(\'id\')"}' } }, errors] },
    );
    await api.method(
      '/pets',
      'GET',
      {
        type: 'AWS',
        integrationHttpMethod: 'POST',
        uri: 'arn:aws:apigateway:us-east-1:dynamodb:action/Query',
        credentials: role,
        requestTemplates: { 'application/json': QUERY_TEMPLATE },
      },
      { responses: [{ statusCode: '200', responseTemplates: { 'application/json': QUERY_RESPONSE } }, errors] },
    );
    await api.method(
      '/stranger',
      'GET',
      { type: 'AWS', integrationHttpMethod: 'POST', uri: 'arn:aws:apigateway:us-east-1:dynamodb:action/ListTables', credentials: 'arn:aws:iam::123456789012:role/not-in-gatehouse', requestTemplates: { 'application/json': '{}' } },
      { responses: [{ statusCode: '200' }] },
    );
    await api.deploy('test');
  });

  after(async () => {
    await gh?.stop();
    await ddb?.close();
  });

  test('PutItem then Query, with templates both ways', async () => {
    const put = await api.invoke('test', '/pets/p1', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"name": "Rex"}' });
    assert.equal(put.status, 200, put.body);
    assert.deepEqual(put.json(), { stored: 'p1' });
    assert.equal(put.headers['content-type'], 'application/json');
    const put2 = await api.invoke('test', '/pets/p2', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"name": "Tom"}' });
    assert.equal(put2.status, 200);
    const stored = await awsJson(ddb.url, 'DynamoDB_20120810.GetItem', { TableName: 'Pets', Key: { id: { S: 'p1' } } });
    assert.deepEqual(stored.Item, { id: { S: 'p1' }, name: { S: 'Rex' } });

    const q = await api.invoke('test', '/pets?table=Pets&id=p2');
    assert.equal(q.status, 200, q.body);
    assert.deepEqual(q.json(), { count: 1, pets: [{ id: 'p2', name: 'Tom' }] });
  });

  test("the service's error reaches the integration response selected by its status", async () => {
    const q = await api.invoke('test', '/pets?table=NoSuchTable&id=p1');
    assert.equal(q.status, 400);
    assert.deepEqual(q.json(), { error: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', message: 'Requested resource not found' });
  });

  test("no credentials: PutIntegration refuses, as AWS does", async () => {
    const resourceId = await api.resource('/unsigned');
    await gh.apigateway.send(new AG.PutMethodCommand({ restApiId: api.apiId, resourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
    await assert.rejects(
      gh.apigateway.send(new AG.PutIntegrationCommand({ restApiId: api.apiId, resourceId, httpMethod: 'GET', type: 'AWS', integrationHttpMethod: 'POST', uri: 'arn:aws:apigateway:us-east-1:dynamodb:action/ListTables' })),
      { name: 'BadRequestException', message: 'Role ARN must be specified for AWS integrations' },
    );
  });

  test("a role Gatehouse does not know, without default credentials: AWS's 500", async () => {
    const r = await api.invoke('test', '/stranger');
    assert.equal(r.status, 500);
    assert.deepEqual(r.json(), { message: 'Internal server error' });
    const ti = await gh.apigateway.send(new AG.TestInvokeMethodCommand({ restApiId: api.apiId, resourceId: await api.resource('/stranger'), httpMethod: 'GET' }));
    assert.equal(ti.status, 500);
    assert.match(ti.log!, /Execution failed due to configuration error: API Gateway does not have permission to assume the provided role arn:aws:iam::123456789012:role\/not-in-gatehouse\n/);
  });

  test('a role that does not trust API Gateway: 500, the role cannot be assumed', async () => {
    const distrust = await createApiGatewayRole(gh, 'no-trust', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }));
    const resourceId = await api.resource('/distrust');
    await gh.apigateway.send(new AG.PutMethodCommand({ restApiId: api.apiId, resourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
    await gh.apigateway.send(new AG.PutIntegrationCommand({ restApiId: api.apiId, resourceId, httpMethod: 'GET', type: 'AWS', integrationHttpMethod: 'POST', uri: 'arn:aws:apigateway:us-east-1:dynamodb:action/ListTables', credentials: distrust }));
    const ti = await gh.apigateway.send(new AG.TestInvokeMethodCommand({ restApiId: api.apiId, resourceId, httpMethod: 'GET' }));
    assert.equal(ti.status, 500);
    assert.match(ti.log!, /API Gateway does not have permission to assume the provided role arn:aws:iam::123456789012:role\/no-trust/);
  });

  test("access logs carry the service's request id and status", async () => {
    await logsCall('CreateLogGroup', { logGroupName: 'ddb-access' });
    await gh.apigateway.send(
      new AG.UpdateStageCommand({
        restApiId: api.apiId,
        stageName: 'test',
        patchOperations: [
          { op: 'replace', path: '/accessLogSettings/destinationArn', value: 'arn:aws:logs:us-east-1:123456789012:log-group:ddb-access' },
          { op: 'replace', path: '/accessLogSettings/format', value: '$context.awsEndpointRequestId $context.integrationStatus $context.integration.status $context.status' },
        ],
      }),
    );
    const r = await api.invoke('test', '/pets?table=NoSuchTable&id=p1');
    assert.equal(r.status, 400);
    await (gh.gatehouse.services.logs as LogStore).flush();
    const events = await logsCall('FilterLogEvents', { logGroupName: 'ddb-access' });
    const [line] = events.events.map((e: { message: string }) => e.message);
    assert.match(line, /^[0-9A-Za-z-]{20,} 400 400 400$/);
  });

  test('TestInvokeMethod logs the signed endpoint request and the response as AWS does', async () => {
    const ti = await gh.apigateway.send(
      new AG.TestInvokeMethodCommand({ restApiId: api.apiId, resourceId: putResource, httpMethod: 'PUT', pathWithQueryString: '/pets/p9', body: '{"name": "Ivy"}', headers: { 'Content-Type': 'application/json' } }),
    );
    assert.equal(ti.status, 200, ti.log);
    assert.equal(ti.body, '{"stored": "p9"}');
    const lines = ti.log!.split('\n').map((l) => l.replace(/^.*? : /, ''));
    const uri = lines.indexOf(`Endpoint request URI: ${ddb.url}/?Action=PutItem`);
    assert.ok(uri > 0, ti.log);
    const headers = lines[uri + 1]!;
    assert.match(headers, /^Endpoint request headers: \{/);
    assert.match(headers, /Authorization=\*{100,}[0-9a-f]{6}[,}]/);
    assert.match(headers, /X-Amz-Date=\d{8}T\d{6}Z/);
    assert.match(headers, /X-Amz-Security-Token=\S{20} \[TRUNCATED\]/);
    assert.match(headers, /X-Amz-Target=DynamoDB_20120810\.PutItem/);
    assert.match(headers, /Content-Type=application\/x-amz-json-1\.0/);
    assert.match(headers, /User-Agent=AmazonAPIGateway_/);
    assert.equal(lines[uri + 2], 'Endpoint request body after transformations: {"TableName":"Pets","Item":{"id":{"S":"p9"},"name":{"S":"Ivy"}}}');
    assert.equal(lines[uri + 3], `Sending request to ${ddb.url}/?Action=PutItem`);
    assert.match(lines[uri + 4]!, /^Received response\. Status: 200, Integration latency: \d+ ms$/);
    assert.match(lines[uri + 5]!, /^Endpoint response headers: \{.*x-amzn-requestid=/i);
    assert.equal(lines[uri + 6], 'Endpoint response body before transformations: {}');
    // One "Sending request" line: the pipeline leaves the endpoint lines to the integration.
    assert.equal(lines.filter((l) => l.startsWith('Sending request to')).length, 1);
  });
});

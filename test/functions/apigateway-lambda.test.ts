// API Gateway → Lambda end to end: deployed REST APIs with AWS_PROXY and AWS (custom) Lambda integrations, invoked
// over real HTTP, backed by embedded functions; the payload-format-1.0 event, response validation, errors,
// stage-variable function names, qualifiers and the invoke permission check.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AddPermissionCommand, PublishVersionCommand, CreateAliasCommand, RemovePermissionCommand } from '@aws-sdk/client-lambda';
import { ApiBuilder, AG } from '../execute/helpers.ts';
import { startGatehouse, type Running } from '../helpers/gatehouse.ts';
import { createFunction } from './helpers.ts';


const ACCOUNT = '123456789012';
const fnArn = (name: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`;
const uriOf = (functionArn: string) => `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${functionArn}/invocations`;

let gh: Running;
before(async () => {
  gh = await startGatehouse();
  await createFunction(gh.lambda, 'echo', { 'index.mjs': 'export const handler = async (event) => ({ statusCode: 200, headers: { "x-fn": "echo" }, multiValueHeaders: { "set-cookie": ["a=1", "b=2"] }, body: JSON.stringify(event) });' });
  await createFunction(gh.lambda, 'shaped', {
    'index.mjs': `export const handler = async (event) => {
      const mode = event.queryStringParameters?.mode;
      if (mode === 'throw') throw new Error('boom');
      if (mode === 'bad') return { statusCode: 200, body: { not: 'a string' } };
      if (mode === 'extra') return { statusCode: 200, body: 'x', unexpected: true };
      if (mode === 'string-status') return { statusCode: '201', body: 'created' };
      if (mode === 'binary') return { statusCode: 200, headers: { 'content-type': 'image/png' }, body: Buffer.from([0, 1, 2, 255]).toString('base64'), isBase64Encoded: true };
      if (mode === 'empty') return {};
      return { statusCode: 418, body: 'teapot', headers: { 'content-type': 'text/plain' } };
    };`,
  });
  await createFunction(gh.lambda, 'custom', {
    'index.mjs': `export const handler = async (event) => {
      if (event.fail) throw new Error(event.fail);
      return { received: event };
    };`,
  });
  for (const name of ['echo', 'shaped', 'custom']) {
    await gh.lambda.send(
      new AddPermissionCommand({ FunctionName: name, StatementId: 'apigateway', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', SourceArn: `arn:aws:execute-api:us-east-1:${ACCOUNT}:*` }),
    );
  }
});
after(async () => {
  await gh.stop();
});

describe('AWS_PROXY', () => {
  test('the payload format 1.0 event and the proxy response', async () => {
    const api = await ApiBuilder.create(gh, { binaryMediaTypes: ['image/png'] });
    await api.method('/pets/{id}', 'GET', { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: uriOf(fnArn('echo')) });
    const deploymentId = await api.deploy('prod', { color: 'blue' });
    const r = await api.invoke('prod', '/pets/7?a=1&a=2&b=x', { headers: { 'X-Multi': 'one', 'user-agent': 'tester' } });
    assert.equal(r.status, 200);
    assert.equal(r.headers['x-fn'], 'echo');
    assert.deepEqual(r.headers['set-cookie'], ['a=1', 'b=2']);
    assert.equal(r.headers['content-type'], 'application/json');
    const event = r.json();
    assert.deepEqual(Object.keys(event), [
      'resource', 'path', 'httpMethod', 'headers', 'multiValueHeaders', 'queryStringParameters', 'multiValueQueryStringParameters',
      'pathParameters', 'stageVariables', 'requestContext', 'body', 'isBase64Encoded',
    ]);
    assert.equal(event.resource, '/pets/{id}');
    assert.equal(event.path, '/pets/7');
    assert.equal(event.httpMethod, 'GET');
    assert.equal(event.headers['X-Multi'], 'one');
    assert.equal(event.headers['User-Agent'], 'tester');
    assert.deepEqual(event.multiValueHeaders['X-Multi'], ['one']);
    assert.equal(event.headers['X-Forwarded-For'], '127.0.0.1');
    assert.match(event.headers['X-Amzn-Trace-Id'], /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}/);
    assert.deepEqual(event.queryStringParameters, { a: '2', b: 'x' });
    assert.deepEqual(event.multiValueQueryStringParameters, { a: ['1', '2'], b: ['x'] });
    assert.deepEqual(event.pathParameters, { id: '7' });
    assert.deepEqual(event.stageVariables, { color: 'blue' });
    assert.equal(event.body, null);
    assert.equal(event.isBase64Encoded, false);
    const rc = event.requestContext;
    assert.equal(rc.resourcePath, '/pets/{id}');
    assert.equal(rc.httpMethod, 'GET');
    assert.equal(rc.path, '/prod/pets/7');
    assert.equal(rc.accountId, ACCOUNT);
    assert.equal(rc.stage, 'prod');
    assert.equal(rc.apiId, api.apiId);
    assert.equal(rc.deploymentId, deploymentId);
    assert.equal(rc.requestId, r.headers['x-amzn-requestid']);
    assert.equal(rc.identity.sourceIp, '127.0.0.1');
    assert.equal(rc.identity.userAgent, 'tester');
    assert.equal(typeof rc.requestTimeEpoch, 'number');
    assert.match(rc.requestTime, /^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
  });

  test('bodies: text as is, binaryMediaTypes as base64; absent maps are null', async () => {
    const api = await ApiBuilder.create(gh, { binaryMediaTypes: ['application/octet-stream'] });
    await api.method('/{proxy+}', 'ANY', { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: uriOf(fnArn('echo')) });
    await api.deploy('dev');
    const text = (await api.invoke('dev', '/a/b', { method: 'POST', body: '{"x":1}', headers: { 'content-type': 'application/json' } })).json();
    assert.equal(text.body, '{"x":1}');
    assert.equal(text.isBase64Encoded, false);
    assert.deepEqual(text.pathParameters, { proxy: 'a/b' });
    assert.equal(text.queryStringParameters, null);
    assert.equal(text.multiValueQueryStringParameters, null);
    assert.equal(text.stageVariables, null);
    const bin = (await api.invoke('dev', '/x', { method: 'PUT', body: Buffer.from([0, 255, 1]), headers: { 'content-type': 'application/octet-stream' } })).json();
    assert.equal(bin.body, Buffer.from([0, 255, 1]).toString('base64'));
    assert.equal(bin.isBase64Encoded, true);
  });

  test('response validation: malformed answers and function errors are 502 Internal server error', async () => {
    const api = await ApiBuilder.create(gh, { binaryMediaTypes: ['image/png'] });
    await api.method('/r', 'GET', { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: uriOf(fnArn('shaped')) });
    await api.deploy('prod');
    for (const mode of ['throw', 'bad', 'extra']) {
      const r = await api.invoke('prod', `/r?mode=${mode}`);
      assert.equal(r.status, 502, mode);
      assert.deepEqual(r.json(), { message: 'Internal server error' });
      assert.equal(r.headers['x-amzn-errortype'], 'InternalServerErrorException');
    }
    const teapot = await api.invoke('prod', '/r');
    assert.equal(teapot.status, 418);
    assert.equal(teapot.body, 'teapot');
    assert.equal(teapot.headers['content-type'], 'text/plain');
    const created = await api.invoke('prod', '/r?mode=string-status');
    assert.equal(created.status, 201);
    assert.equal(created.body, 'created');
    const empty = await api.invoke('prod', '/r?mode=empty');
    assert.equal(empty.status, 200);
    assert.equal(empty.body, '');
    const bin = await api.invoke('prod', '/r?mode=binary', { headers: { accept: 'image/png' } });
    assert.deepEqual([...bin.raw], [0, 1, 2, 255]);
    const notAccepted = await api.invoke('prod', '/r?mode=binary', { headers: { accept: 'application/json' } });
    assert.equal(notAccepted.body, Buffer.from([0, 1, 2, 255]).toString('base64'));
  });

  test('function names from stage variables, qualifiers, and the invoke permission check', async () => {
    await gh.lambda.send(new PublishVersionCommand({ FunctionName: 'echo' }));
    await gh.lambda.send(new CreateAliasCommand({ FunctionName: 'echo', Name: 'live', FunctionVersion: '1' }));
    await gh.lambda.send(
      new AddPermissionCommand({ FunctionName: 'echo', Qualifier: 'live', StatementId: 'apigw-live', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' }),
    );
    const api = await ApiBuilder.create(gh);
    await api.method('/staged', 'GET', { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: uriOf(`arn:aws:lambda:us-east-1:${ACCOUNT}:function:\${stageVariables.fn}`) });
    await api.method('/aliased', 'GET', { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: uriOf(`${fnArn('echo')}:live`) });
    await api.deploy('prod', { fn: 'echo' });
    const staged = await api.invoke('prod', '/staged');
    assert.equal(staged.status, 200);
    assert.equal(staged.json().resource, '/staged');
    assert.equal((await api.invoke('prod', '/aliased')).status, 200);

    await createFunction(gh.lambda, 'private', { 'index.mjs': 'export const handler = async () => ({ statusCode: 200, body: "secret" });' });
    const denied = await ApiBuilder.create(gh);
    await denied.method('/p', 'GET', { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: uriOf(fnArn('private')) });
    await denied.deploy('prod');
    const r = await denied.invoke('prod', '/p');
    assert.equal(r.status, 500);
    assert.deepEqual(r.json(), { message: 'Internal server error' });
    // Allowed only from another API: still denied here.
    await gh.lambda.send(
      new AddPermissionCommand({ FunctionName: 'private', StatementId: 'other', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', SourceArn: `arn:aws:execute-api:us-east-1:${ACCOUNT}:otherapi/*` }),
    );
    assert.equal((await denied.invoke('prod', '/p')).status, 500);
    await gh.lambda.send(
      new AddPermissionCommand({ FunctionName: 'private', StatementId: 'this', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', SourceArn: `arn:aws:execute-api:us-east-1:${ACCOUNT}:${denied.apiId}/*/GET/p` }),
    );
    const allowed = await denied.invoke('prod', '/p');
    assert.equal(allowed.status, 200);
    assert.equal(allowed.body, 'secret');
    // Decisions are cached per caller until the policy changes: removing the statement denies again at once.
    assert.equal((await denied.invoke('prod', '/p')).status, 200);
    await gh.lambda.send(new RemovePermissionCommand({ FunctionName: 'private', StatementId: 'this' }));
    assert.equal((await denied.invoke('prod', '/p')).status, 500);
  });

  test('an unknown function answers 502', async () => {
    const api = await ApiBuilder.create(gh);
    await api.method('/gone', 'GET', { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: uriOf(fnArn('does-not-exist')) });
    await api.deploy('prod');
    const r = await api.invoke('prod', '/gone');
    assert.equal(r.status, 502);
    assert.deepEqual(r.json(), { message: 'Internal server error' });
  });
});

describe('AWS (custom) Lambda integration', () => {
  test('request template → payload, default response, errorMessage selection, asynchronous invocation', async () => {
    const api = await ApiBuilder.create(gh);
    await api.method(
      '/orders/{id}',
      'POST',
      {
        type: 'AWS',
        integrationHttpMethod: 'POST',
        uri: uriOf(fnArn('custom')),
        requestTemplates: { 'application/json': '{"id": "$input.params(\'id\')", "fail": $input.json(\'$.fail\')}' },
      },
      {
        responses: [
          { statusCode: '200', responseTemplates: { 'application/json': '{"ok": true, "id": "$input.path(\'$.received.id\')"}' } },
          { statusCode: '400', selectionPattern: 'Invalid.*', responseTemplates: { 'application/json': '{"error": "$input.path(\'$.errorMessage\')"}' } },
          { statusCode: '500', selectionPattern: '.*boom.*' },
        ],
      },
    );
    await api.method(
      '/jobs',
      'POST',
      {
        type: 'AWS',
        integrationHttpMethod: 'POST',
        uri: uriOf(fnArn('custom')),
        requestParameters: { 'integration.request.header.X-Amz-Invocation-Type': "'Event'" },
      },
      { responses: [{ statusCode: '202' }] },
    );
    await api.deploy('prod');
    const ok = await api.invoke('prod', '/orders/42', { method: 'POST', body: '{"fail": null}', headers: { 'content-type': 'application/json' } });
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.json(), { ok: true, id: '42' });
    const invalid = await api.invoke('prod', '/orders/1', { method: 'POST', body: '{"fail": "Invalid order"}', headers: { 'content-type': 'application/json' } });
    assert.equal(invalid.status, 400);
    assert.deepEqual(invalid.json(), { error: 'Invalid order' });
    const boom = await api.invoke('prod', '/orders/1', { method: 'POST', body: '{"fail": "it went boom"}', headers: { 'content-type': 'application/json' } });
    assert.equal(boom.status, 500);
    assert.equal(boom.json().errorMessage, 'it went boom');
    assert.equal(boom.json().errorType, 'Error');
    const job = await api.invoke('prod', '/jobs', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    assert.equal(job.status, 202);
    assert.equal(job.body, '');
  });

  test('AWS service integrations other than Lambda are still refused loudly', async () => {
    const api = await ApiBuilder.create(gh);
    await api.method('/s3', 'GET', { type: 'AWS', integrationHttpMethod: 'GET', uri: 'arn:aws:apigateway:us-east-1:s3:path/bucket/key', credentials: 'arn:aws:iam::123456789012:role/apigw-s3' }, { responses: [{ statusCode: '200' }] });
    await api.deploy('prod');
    const r = await api.invoke('prod', '/s3');
    assert.equal(r.status, 500);
    assert.deepEqual(r.json(), { message: 'Internal server error' });
  });
});

// Keep the unused import checker quiet about the namespace re-export used for typing the builder.
void AG;

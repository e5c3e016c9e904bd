// Integration and IntegrationResponse operations through the AWS SDK. Expected responses: AWS recordings in
// localstack's tests/aws/services/apigateway/test_apigateway_api.snapshot.json (TestApigatewayIntegration,
// TestApigatewayIntegrationResponse), cited per test; mapping-expression texts as quoted from AWS in
// awslabs/aws-solutions-constructs#1130.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as ag from '@aws-sdk/client-api-gateway';
import { type Running, sigv4Headers, startGatehouse } from '../helpers/gatehouse.ts';
import { body, newApi, rejectsWith } from './rest-api-helpers.ts';

let gh: Running;
let c: ag.APIGatewayClient;
before(async () => {
  gh = await startGatehouse();
  c = gh.apigateway;
});
after(() => gh.stop());

const LAMBDA_URI = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:f/invocations';

async function withMethod(requestParameters?: Record<string, boolean>) {
  const { id, rootId } = await newApi(c);
  await c.send(new ag.PutMethodCommand({ restApiId: id, resourceId: rootId, httpMethod: 'GET', authorizationType: 'NONE', requestParameters }));
  return { restApiId: id, resourceId: rootId, httpMethod: 'GET' };
}

describe('PutIntegration / GetIntegration / DeleteIntegration', () => {
  test('MOCK defaults (recorded: get-method in test_lifecycle_integration_response)', async () => {
    const key = await withMethod();
    const put = await c.send(new ag.PutIntegrationCommand({ ...key, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    assert.equal(put.$metadata.httpStatusCode, 201);
    assert.deepEqual(body(put), {
      type: 'MOCK',
      requestTemplates: { 'application/json': '{"statusCode": 200}' },
      passthroughBehavior: 'WHEN_NO_MATCH',
      timeoutInMillis: 29000,
      cacheNamespace: key.resourceId,
      cacheKeyParameters: [],
    });
    assert.deepEqual(body(await c.send(new ag.GetIntegrationCommand(key))), body(put));
    const method = await c.send(new ag.GetMethodCommand(key));
    assert.deepEqual(method.methodIntegration, body(put));
    const del = await c.send(new ag.DeleteIntegrationCommand(key));
    assert.equal(del.$metadata.httpStatusCode, 204);
    await rejectsWith(c.send(new ag.GetIntegrationCommand(key)), 'NotFoundException', 'Invalid Integration identifier specified', 404);
    await rejectsWith(c.send(new ag.DeleteIntegrationCommand(key)), 'NotFoundException', 'Invalid Integration identifier specified', 404);
  });

  test('HTTP_PROXY over a VPC link (recorded: test_create_integration_with_vpc_link)', async () => {
    const key = await withMethod();
    const put = await c.send(
      new ag.PutIntegrationCommand({
        ...key,
        type: 'HTTP_PROXY',
        integrationHttpMethod: 'GET',
        uri: 'http://my-vpclink-test-nlb-1234567890abcdef.us-east-1.amazonaws.com',
        connectionType: 'VPC_LINK',
        connectionId: '${stageVariables.vpcLinkId}',
      }),
    );
    assert.deepEqual(body(put), {
      type: 'HTTP_PROXY',
      httpMethod: 'GET',
      uri: 'http://my-vpclink-test-nlb-1234567890abcdef.us-east-1.amazonaws.com',
      connectionType: 'VPC_LINK',
      connectionId: '${stageVariables.vpcLinkId}',
      passthroughBehavior: 'WHEN_NO_MATCH',
      timeoutInMillis: 29000,
      cacheNamespace: key.resourceId,
      cacheKeyParameters: [],
    });
    const updated = await c.send(
      new ag.UpdateIntegrationCommand({ ...key, patchOperations: [{ op: 'replace', path: '/connectionId', value: '${stageVariables.vpcLinkIdBeta}' }] }),
    );
    assert.equal(updated.connectionId, '${stageVariables.vpcLinkIdBeta}');
    await rejectsWith(
      c.send(new ag.PutIntegrationCommand({ ...key, type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: 'http://x.example', connectionType: 'VPC_LINK', connectionId: 'nope' })),
      'BadRequestException',
      'Invalid Vpc Link identifier specified: nope',
      400,
    );
  });

  test('every field is stored and returned', async () => {
    const key = await withMethod({ 'method.request.path.id': true, 'method.request.header.h': false });
    const put = await c.send(
      new ag.PutIntegrationCommand({
        ...key,
        type: 'HTTP',
        integrationHttpMethod: 'POST',
        uri: 'https://backend.example.com/pets/{id}',
        credentials: 'arn:aws:iam::123456789012:role/r',
        requestParameters: {
          'integration.request.path.id': 'method.request.path.id',
          'integration.request.header.x-static': "'v'",
          'integration.request.querystring.stage': 'stageVariables.name',
          'integration.request.header.rid': 'context.requestId',
          'integration.request.header.h': 'method.request.header.h',
        },
        requestTemplates: { 'application/json': '$input.body' },
        passthroughBehavior: 'NEVER',
        cacheNamespace: 'ns',
        cacheKeyParameters: ['method.request.path.id'],
        contentHandling: 'CONVERT_TO_TEXT',
        timeoutInMillis: 5000,
        tlsConfig: { insecureSkipVerification: true },
      }),
    );
    assert.deepEqual(body(put), {
      type: 'HTTP',
      httpMethod: 'POST',
      uri: 'https://backend.example.com/pets/{id}',
      connectionType: 'INTERNET',
      credentials: 'arn:aws:iam::123456789012:role/r',
      requestParameters: {
        'integration.request.path.id': 'method.request.path.id',
        'integration.request.header.x-static': "'v'",
        'integration.request.querystring.stage': 'stageVariables.name',
        'integration.request.header.rid': 'context.requestId',
        'integration.request.header.h': 'method.request.header.h',
      },
      requestTemplates: { 'application/json': '$input.body' },
      passthroughBehavior: 'NEVER',
      cacheNamespace: 'ns',
      cacheKeyParameters: ['method.request.path.id'],
      contentHandling: 'CONVERT_TO_TEXT',
      timeoutInMillis: 5000,
      tlsConfig: { insecureSkipVerification: true },
    });
    const lambda = await c.send(new ag.PutIntegrationCommand({ ...key, type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: LAMBDA_URI }));
    assert.equal(lambda.uri, LAMBDA_URI);
    assert.equal(lambda.connectionType, undefined);
  });

  test('type-specific validation', async () => {
    const key = await withMethod();
    const put = (over: Partial<ag.PutIntegrationCommandInput>) => c.send(new ag.PutIntegrationCommand({ ...key, type: 'HTTP', ...over }));
    await rejectsWith(put({ uri: 'http://a.example' }), 'BadRequestException', 'Enumeration value for HttpMethod must be non-empty', 400);
    await rejectsWith(put({ integrationHttpMethod: 'GET' }), 'BadRequestException', 'Invalid HTTP endpoint specified for URI', 400);
    await rejectsWith(put({ integrationHttpMethod: 'GET', uri: 'ftp://a.example' }), 'BadRequestException', 'Invalid HTTP endpoint specified for URI', 400);
    await rejectsWith(put({ type: 'AWS', integrationHttpMethod: 'POST', uri: 'http://a.example' }), 'BadRequestException', 'Invalid ARN specified in the request', 400);
    await rejectsWith(
      put({ type: 'AWS', integrationHttpMethod: 'POST', uri: 'arn:aws:apigateway:us-east-1:s3:bucket/key' }),
      'BadRequestException',
      'AWS ARN for integration must contain path or action',
      400,
    );
    await rejectsWith(
      put({ type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: 'arn:aws:apigateway:us-east-1:sqs:path/123/q' }),
      'BadRequestException',
      "Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations.",
      400,
    );
    // AWS took a Lambda URI with `path//2015-03-31` (recorded in localstack's test_apigateway_common.snapshot.json,
    // test_api_gateway_request_validator: the methodIntegration uri reads back unchanged).
    const doubled = 'arn:aws:apigateway:us-east-1:lambda:path//2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:f/invocations';
    const proxy = await put({ type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: doubled });
    assert.equal(proxy.uri, doubled);
    for (const timeoutInMillis of [49, 29001]) {
      await rejectsWith(put({ type: 'MOCK', timeoutInMillis }), 'BadRequestException', 'Timeout should be between 50 ms and 29000 ms', 400);
    }
    await rejectsWith(
      put({ type: 'MOCK', requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' } }),
      'BadRequestException',
      'Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression parameter specified: method.request.path.proxy]',
      400,
    );
    await rejectsWith(
      put({ type: 'MOCK', requestTemplates: { '123': 'x' } }),
      'BadRequestException',
      'Validation Result: warnings : [], errors : [Invalid content type specified: 123]',
      400,
    );
    await rejectsWith(
      put({ type: 'HTTPS_PROXY' as ag.IntegrationType }),
      'ValidationException',
      "1 validation error detected: Value 'HTTPS_PROXY' at 'putIntegrationInput.type' failed to satisfy constraint: Member must satisfy enum value set: [HTTP, MOCK, AWS_PROXY, HTTP_PROXY, AWS]",
      400,
    );
  });

  test('AWS service URIs and execution roles (recorded: test_put_integration_validation, test_put_integration_aws_proxy_uri)', async () => {
    // Recordings: LocalStack's AWS-validated test_apigateway_integrations.snapshot.json (test_put_integration_validation)
    // and test_apigateway_lambda.snapshot.json (test_put_integration_aws_proxy_uri); the role texts are AWS's as
    // quoted in hashicorp/terraform-provider-aws#7916 ("Role ARN must be specified for AWS integrations") and
    // amazon-archives/aws-apigateway-importer#25 ("Cross-account pass role is not allowed.", HTTP 403).
    const key = await withMethod();
    const put = (over: Partial<ag.PutIntegrationCommandInput>) =>
      c.send(new ag.PutIntegrationCommand({ ...key, type: 'AWS', integrationHttpMethod: 'POST', ...over }));
    const role = 'arn:aws:iam::123456789012:role/service-role/testfunction-role-oe783psq';
    const functionArn = 'arn:aws:lambda:us-east-1:123456789012:function:MyLambda';
    // A well-formed ARN of the wrong kind (put-integration-lambda-uri, invalid-uri-invalid-arn).
    for (const uri of [functionArn, 'arn:aws:iam::0000000000:role/service-role/asdf']) {
      await rejectsWith(put({ type: 'AWS_PROXY', uri, credentials: role }), 'BadRequestException', 'AWS ARN for integration must contain path or action', 400);
      await rejectsWith(put({ uri }), 'BadRequestException', 'AWS ARN for integration must contain path or action', 400);
    }
    // Not an ARN at all (put-integration-wrong-arn, invalid-uri-not-an-arn).
    await rejectsWith(put({ uri: `bad-arn:lambda:path/2015-03-31/functions/${functionArn}/invocations` }), 'BadRequestException', 'Invalid ARN specified in the request', 400);
    await rejectsWith(put({ uri: 'non-valid-arn' }), 'BadRequestException', 'Invalid ARN specified in the request', 400);
    // AWS_PROXY: Lambda function paths only (put-integration-wrong-firehose, put-integration-bad-lambda-arn, no-s3-support-AWS_PROXY).
    for (const uri of [
      `arn:aws:apigateway:us-east-1:firehose:path/2015-03-31/functions/${functionArn}/invocations`,
      `arn:aws:apigateway:us-east-1:lambda:path/random/value/${functionArn}/invocations`,
      'arn:aws:apigateway:us-east-1:s3:path/b/k',
    ]) {
      await rejectsWith(
        put({ type: 'AWS_PROXY', uri, credentials: role }),
        'BadRequestException',
        "Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations.",
        400,
      );
    }
    // Lambda needs no role (aws-integration-type-AWS, aws-integration-type-AWS_PROXY); other services do.
    for (const type of ['AWS', 'AWS_PROXY'] as const) {
      const lambda = await put({ type, uri: LAMBDA_URI });
      assert.equal(lambda.credentials, undefined);
    }
    await rejectsWith(put({ uri: 'arn:aws:apigateway:us-east-1:s3:path/b/k' }), 'BadRequestException', 'Role ARN must be specified for AWS integrations', 400);
    // aws-integration-AWS: S3 with a role of the API's own account.
    const s3 = await put({ uri: 'arn:aws:apigateway:us-east-1:s3:path/b/k', credentials: role });
    assert.deepEqual(body(s3), {
      type: 'AWS',
      httpMethod: 'POST',
      uri: 'arn:aws:apigateway:us-east-1:s3:path/b/k',
      credentials: role,
      passthroughBehavior: 'WHEN_NO_MATCH',
      timeoutInMillis: 29000,
      cacheNamespace: key.resourceId,
      cacheKeyParameters: [],
    });
    // Removing the role of a non-Lambda integration is refused the same way.
    await rejectsWith(
      c.send(new ag.UpdateIntegrationCommand({ ...key, patchOperations: [{ op: 'remove', path: '/credentials' }] })),
      'BadRequestException',
      'Role ARN must be specified for AWS integrations',
      400,
    );
    // A role of another account cannot be passed, for Lambda as for any service.
    for (const uri of [LAMBDA_URI, 'arn:aws:apigateway:us-east-1:s3:path/b/k']) {
      await rejectsWith(put({ uri, credentials: 'arn:aws:iam::999999999999:role/elsewhere' }), 'AccessDeniedException', 'Cross-account pass role is not allowed.', 403);
    }
    // The caller's own identity, passed through.
    const passThrough = await put({ uri: LAMBDA_URI, credentials: 'arn:aws:iam::*:user/*' });
    assert.equal(passThrough.credentials, 'arn:aws:iam::*:user/*');
  });

  test('not found (recorded: test_put_integration_response_validation, test_get_integration_non_existent)', async () => {
    const key = await withMethod();
    await rejectsWith(c.send(new ag.PutIntegrationCommand({ ...key, httpMethod: 'POST', type: 'MOCK' })), 'NotFoundException', 'Invalid Method identifier specified', 404);
    await rejectsWith(c.send(new ag.PutIntegrationCommand({ ...key, resourceId: 'nope', type: 'MOCK' })), 'NotFoundException', 'Invalid Resource identifier specified', 404);
    await rejectsWith(c.send(new ag.GetIntegrationCommand({ ...key, restApiId: 'nope' })), 'NotFoundException', 'Invalid Resource identifier specified', 404);
    await rejectsWith(c.send(new ag.GetIntegrationCommand({ ...key, httpMethod: 'PUT' })), 'NotFoundException', 'Invalid Method identifier specified', 404);
    await rejectsWith(c.send(new ag.GetIntegrationCommand(key)), 'NotFoundException', 'Invalid Integration identifier specified', 404);
  });
});

describe('UpdateIntegration', () => {
  test('patch paths', async () => {
    const key = await withMethod({ 'method.request.path.id': true });
    await c.send(new ag.PutIntegrationCommand({ ...key, type: 'HTTP', integrationHttpMethod: 'GET', uri: 'http://a.example/x' }));
    const out = await c.send(
      new ag.UpdateIntegrationCommand({
        ...key,
        patchOperations: [
          { op: 'replace', path: '/uri', value: 'https://b.example/y' },
          { op: 'replace', path: '/httpMethod', value: 'POST' },
          { op: 'replace', path: '/timeoutInMillis', value: '1000' },
          { op: 'replace', path: '/passthroughBehavior', value: 'WHEN_NO_TEMPLATES' },
          { op: 'replace', path: '/contentHandling', value: 'CONVERT_TO_BINARY' },
          { op: 'add', path: '/requestTemplates/application~1json', value: '{}' },
          { op: 'add', path: '/requestParameters/integration.request.path.id', value: 'method.request.path.id' },
          { op: 'add', path: '/cacheKeyParameters/method.request.path.id' },
          { op: 'replace', path: '/tlsConfig/insecureSkipVerification', value: 'true' },
        ],
      }),
    );
    assert.equal(out.uri, 'https://b.example/y');
    assert.equal(out.httpMethod, 'POST');
    assert.equal(out.timeoutInMillis, 1000);
    assert.equal(out.passthroughBehavior, 'WHEN_NO_TEMPLATES');
    assert.equal(out.contentHandling, 'CONVERT_TO_BINARY');
    assert.deepEqual(out.requestTemplates, { 'application/json': '{}' });
    assert.deepEqual(out.requestParameters, { 'integration.request.path.id': 'method.request.path.id' });
    assert.deepEqual(out.cacheKeyParameters, ['method.request.path.id']);
    assert.deepEqual(out.tlsConfig, { insecureSkipVerification: true });
    const removed = await c.send(
      new ag.UpdateIntegrationCommand({
        ...key,
        patchOperations: [
          { op: 'remove', path: '/requestTemplates/application~1json' },
          { op: 'remove', path: '/cacheKeyParameters/method.request.path.id' },
        ],
      }),
    );
    assert.equal(removed.requestTemplates, undefined);
    assert.deepEqual(removed.cacheKeyParameters, []);
    const patch = (patchOperations: ag.PatchOperation[]) => c.send(new ag.UpdateIntegrationCommand({ ...key, patchOperations }));
    await rejectsWith(patch([{ op: 'replace', path: '/timeoutInMillis', value: '30000' }]), 'BadRequestException', 'Timeout should be between 50 ms and 29000 ms', 400);
    await rejectsWith(patch([{ op: 'replace', path: '/uri', value: 'not a url' }]), 'BadRequestException', 'Invalid HTTP endpoint specified for URI', 400);
    await rejectsWith(patch([{ op: 'replace', path: '/nope', value: 'x' }]), 'BadRequestException', 'Invalid patch path /nope', 400);
    await rejectsWith(patch([{ op: 'add', path: '/uri', value: 'http://c.example' }]), 'BadRequestException', 'Invalid patch operation specified. Must be one of: [replace]', 400);
    await rejectsWith(
      c.send(new ag.UpdateIntegrationCommand({ ...key, httpMethod: 'POST', patchOperations: [] })),
      'NotFoundException',
      'Invalid Method identifier specified',
      404,
    );
  });
});

describe('Integration responses', () => {
  async function withIntegration() {
    const key = await withMethod();
    await c.send(new ag.PutIntegrationCommand({ ...key, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    return key;
  }

  test('lifecycle (recorded: test_lifecycle_integration_response)', async () => {
    const key = await withIntegration();
    const put = await c.send(
      new ag.PutIntegrationResponseCommand({ ...key, statusCode: '200', selectionPattern: '', responseTemplates: { 'application/json': '"created"' } }),
    );
    assert.equal(put.$metadata.httpStatusCode, 201);
    assert.deepEqual(body(put), { statusCode: '200', selectionPattern: '', responseTemplates: { 'application/json': '"created"' } });
    assert.deepEqual(body(await c.send(new ag.GetIntegrationResponseCommand({ ...key, statusCode: '200' }))), body(put));
    const updated = await c.send(
      new ag.UpdateIntegrationResponseCommand({ ...key, statusCode: '200', patchOperations: [{ op: 'replace', path: '/selectionPattern', value: 'updated-pattern' }] }),
    );
    assert.deepEqual(body(updated), { statusCode: '200', selectionPattern: 'updated-pattern', responseTemplates: { 'application/json': '"created"' } });
    const overwrite = await c.send(
      new ag.PutIntegrationResponseCommand({ ...key, statusCode: '200', selectionPattern: 'overwrite-pattern', responseTemplates: { 'application/json': 'overwrite' } }),
    );
    assert.equal(overwrite.$metadata.httpStatusCode, 201);
    const method = await c.send(new ag.GetMethodCommand(key));
    assert.deepEqual(method.methodIntegration!.integrationResponses, {
      '200': { statusCode: '200', selectionPattern: 'overwrite-pattern', responseTemplates: { 'application/json': 'overwrite' } },
    });
    const del = await c.send(new ag.DeleteIntegrationResponseCommand({ ...key, statusCode: '200' }));
    assert.equal(del.$metadata.httpStatusCode, 204);
    assert.equal((await c.send(new ag.GetIntegrationCommand(key))).integrationResponses, undefined);
  });

  test('an empty or null template answers as JSON null (recorded: test_put_integration_response_templates)', async () => {
    // put-integration-response-template-empty and -none: AWS answers `"responseTemplates": {"application/json": null}`
    // for "" and for null alike. The SDK drops null map values, so the wire body is written and read directly.
    const key = await withIntegration();
    const path = `/restapis/${key.restApiId}/resources/${key.resourceId}/methods/GET/integration/responses/200`;
    const headers = { ...sigv4Headers(), 'content-type': 'application/json' };
    const expected = { statusCode: '200', selectionPattern: '', responseTemplates: { 'application/json': null } };
    const putNull = await fetch(`${gh.endpoint}${path}`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ selectionPattern: '', responseTemplates: { 'application/json': null } }),
    });
    assert.equal(putNull.status, 201);
    assert.deepEqual(await putNull.json(), expected);
    const put = await fetch(`${gh.endpoint}${path}`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ selectionPattern: '', responseTemplates: { 'application/json': '' } }),
    });
    assert.equal(put.status, 201);
    assert.deepEqual(await put.json(), expected);
    const get = await fetch(`${gh.endpoint}${path}`, { headers });
    assert.deepEqual(await get.json(), expected);
    const method = await fetch(`${gh.endpoint}/restapis/${key.restApiId}/resources/${key.resourceId}/methods/GET`, { headers });
    assert.deepEqual(((await method.json()) as any).methodIntegration.integrationResponses, { '200': expected });
    // put-integration-no-response-template: no templates, no member.
    const bare = await c.send(new ag.PutIntegrationResponseCommand({ ...key, statusCode: '200', selectionPattern: '' }));
    assert.deepEqual(body(bare), { statusCode: '200', selectionPattern: '' });
  });

  test('response parameters must be declared by the method response', async () => {
    const key = await withIntegration();
    const params = { 'method.response.header.Access-Control-Allow-Origin': "'*'" };
    await rejectsWith(
      c.send(new ag.PutIntegrationResponseCommand({ ...key, statusCode: '200', responseParameters: params })),
      'BadRequestException',
      'Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression parameter specified: method.response.header.Access-Control-Allow-Origin]',
      400,
    );
    await c.send(
      new ag.PutMethodResponseCommand({ ...key, statusCode: '200', responseParameters: { 'method.response.header.Access-Control-Allow-Origin': false } }),
    );
    const ok = await c.send(new ag.PutIntegrationResponseCommand({ ...key, statusCode: '200', responseParameters: params, contentHandling: 'CONVERT_TO_TEXT' }));
    assert.deepEqual(body(ok), { statusCode: '200', responseParameters: params, contentHandling: 'CONVERT_TO_TEXT' });
    const patched = await c.send(
      new ag.UpdateIntegrationResponseCommand({
        ...key,
        statusCode: '200',
        patchOperations: [
          { op: 'replace', path: '/responseParameters/method.response.header.Access-Control-Allow-Origin', value: "'example.com'" },
          { op: 'add', path: '/responseTemplates/application~1xml', value: '<a/>' },
          { op: 'replace', path: '/contentHandling', value: 'CONVERT_TO_BINARY' },
        ],
      }),
    );
    assert.deepEqual(body(patched), {
      statusCode: '200',
      responseParameters: { 'method.response.header.Access-Control-Allow-Origin': "'example.com'" },
      responseTemplates: { 'application/xml': '<a/>' },
      contentHandling: 'CONVERT_TO_BINARY',
    });
  });

  test('errors (recorded: test_integration_response_* and test_delete_integration_response_errors)', async () => {
    const key = await withMethod();
    await rejectsWith(c.send(new ag.GetIntegrationResponseCommand({ ...key, statusCode: '200' })), 'NotFoundException', 'Invalid Integration identifier specified', 404);
    await rejectsWith(c.send(new ag.PutIntegrationResponseCommand({ ...key, statusCode: '200' })), 'NotFoundException', 'Invalid Integration identifier specified', 404);
    await c.send(new ag.PutIntegrationCommand({ ...key, type: 'MOCK' }));
    await c.send(new ag.PutIntegrationResponseCommand({ ...key, statusCode: '200' }));
    await rejectsWith(c.send(new ag.GetIntegrationResponseCommand({ ...key, statusCode: '201' })), 'NotFoundException', 'Invalid Response status code specified', 404);
    await rejectsWith(c.send(new ag.PutIntegrationResponseCommand({ ...key, restApiId: 'nope', statusCode: '200' })), 'NotFoundException', 'Invalid Resource identifier specified', 404);
    await rejectsWith(c.send(new ag.PutIntegrationResponseCommand({ ...key, httpMethod: 'POST', statusCode: '200' })), 'NotFoundException', 'Invalid Method identifier specified', 404);
    await rejectsWith(c.send(new ag.GetIntegrationResponseCommand({ ...key, httpMethod: 'POST', statusCode: '200' })), 'NotFoundException', 'Invalid Method identifier specified', 404);
    await rejectsWith(c.send(new ag.DeleteIntegrationResponseCommand({ ...key, resourceId: 'nope', statusCode: '200' })), 'NotFoundException', 'Invalid Resource identifier specified', 404);
    await rejectsWith(c.send(new ag.DeleteIntegrationResponseCommand({ ...key, restApiId: 'nope', statusCode: '200' })), 'NotFoundException', 'Invalid Resource identifier specified', 404);
    await rejectsWith(c.send(new ag.DeleteIntegrationResponseCommand({ ...key, httpMethod: 'POST', statusCode: '200' })), 'NotFoundException', 'Invalid Integration identifier specified', 404);
    await rejectsWith(c.send(new ag.DeleteIntegrationResponseCommand({ ...key, statusCode: '201' })), 'NotFoundException', 'Invalid Response status code specified', 404);
    await rejectsWith(
      c.send(new ag.PutIntegrationResponseCommand({ ...key, statusCode: '200', responseTemplates: { '123': 'x' } })),
      'BadRequestException',
      'Validation Result: warnings : [], errors : [Invalid content type specified: 123]',
      400,
    );
    await rejectsWith(
      c.send(new ag.UpdateIntegrationResponseCommand({ ...key, statusCode: '200', patchOperations: [{ op: 'replace', path: '/statusCode', value: '201' }] })),
      'BadRequestException',
      'Invalid patch path /statusCode',
      400,
    );
  });
});

// Authorizer operations through the AWS SDK. Rules: https://docs.aws.amazon.com/apigateway/latest/api/API_CreateAuthorizer.html;
// recorded texts: localstack's test_apigateway_api.snapshot.json (test_authorizer_crud_no_api) and the token
// source text quoted from AWS in serverless/serverless#4428.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as ag from '@aws-sdk/client-api-gateway';
import { type Running, startGatehouse } from '../helpers/gatehouse.ts';
import { ACCOUNT, body, newApi, rejectsWith } from './rest-api-helpers.ts';

let gh: Running;
let c: ag.APIGatewayClient;
before(async () => {
  gh = await startGatehouse();
  c = gh.apigateway;
});
after(() => gh.stop());

const URI = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations';
const POOL = 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc123';

describe('Authorizers', () => {
  // Member presence follows AWS's create-authorizer outputs (AWS CLI reference, awscli/examples/apigateway/
  // create-authorizer.rst): `authType` is filled ("custom" for Lambda authorizers, "cognito_user_pools" for Cognito)
  // and no `authorizerResultTtlInSeconds` is answered unless one was given (the Cognito example).
  test('TOKEN lifecycle: authType filled, no TTL unless given', async () => {
    const { id } = await newApi(c);
    const created = await c.send(
      new ag.CreateAuthorizerCommand({
        restApiId: id,
        name: 'token',
        type: 'TOKEN',
        authorizerUri: URI,
        identitySource: 'method.request.header.Authorization',
        identityValidationExpression: '^Bearer .+$',
      }),
    );
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.deepEqual(body(created), {
      id: created.id,
      name: 'token',
      type: 'TOKEN',
      authorizerUri: URI,
      identitySource: 'method.request.header.Authorization',
      identityValidationExpression: '^Bearer .+$',
      authType: 'custom',
    });
    const key = { restApiId: id, authorizerId: created.id };
    assert.deepEqual(body(await c.send(new ag.GetAuthorizerCommand(key))), body(created));
    assert.deepEqual((await c.send(new ag.GetAuthorizersCommand({ restApiId: id }))).items, [body(created)]);
    const updated = await c.send(
      new ag.UpdateAuthorizerCommand({
        ...key,
        patchOperations: [
          { op: 'replace', path: '/authorizerResultTtlInSeconds', value: '0' },
          { op: 'replace', path: '/identitySource', value: 'method.request.header.X-Token' },
          { op: 'replace', path: '/name', value: 'renamed' },
        ],
      }),
    );
    assert.equal(updated.authorizerResultTtlInSeconds, 0);
    assert.equal(updated.identitySource, 'method.request.header.X-Token');
    assert.equal(updated.name, 'renamed');
    const del = await c.send(new ag.DeleteAuthorizerCommand(key));
    assert.equal(del.$metadata.httpStatusCode, 202);
    await rejectsWith(c.send(new ag.GetAuthorizerCommand(key)), 'NotFoundException', 'Invalid Authorizer identifier specified', 404);
    await rejectsWith(c.send(new ag.DeleteAuthorizerCommand(key)), 'NotFoundException', 'Invalid Authorizer identifier specified', 404);
  });

  test('REQUEST and COGNITO_USER_POOLS authorizers', async () => {
    const { id } = await newApi(c);
    const request = await c.send(
      new ag.CreateAuthorizerCommand({
        restApiId: id,
        name: 'req',
        type: 'REQUEST',
        authorizerUri: URI,
        identitySource: 'method.request.header.Auth, method.request.querystring.key, stageVariables.s, context.path',
        authorizerResultTtlInSeconds: 60,
      }),
    );
    assert.equal(request.authorizerResultTtlInSeconds, 60);
    assert.equal(request.authType, 'custom');
    const noSourceNoCache = await c.send(
      new ag.CreateAuthorizerCommand({ restApiId: id, name: 'req2', type: 'REQUEST', authorizerUri: URI, authorizerResultTtlInSeconds: 0 }),
    );
    assert.equal(noSourceNoCache.identitySource, undefined);
    const cognito = await c.send(
      new ag.CreateAuthorizerCommand({ restApiId: id, name: 'pool', type: 'COGNITO_USER_POOLS', providerARNs: [POOL], identitySource: 'method.request.header.Authorization' }),
    );
    assert.deepEqual(body(cognito), {
      id: cognito.id,
      name: 'pool',
      type: 'COGNITO_USER_POOLS',
      providerARNs: [POOL],
      identitySource: 'method.request.header.Authorization',
      authType: 'cognito_user_pools',
    });
    const second = 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_def456';
    const added = await c.send(
      new ag.UpdateAuthorizerCommand({ restApiId: id, authorizerId: cognito.id, patchOperations: [{ op: 'add', path: '/providerARNs', value: second }] }),
    );
    assert.deepEqual(added.providerARNs, [POOL, second]);
    const page = await c.send(new ag.GetAuthorizersCommand({ restApiId: id, limit: 2 }));
    assert.equal(page.items!.length, 2);
    const rest = await c.send(new ag.GetAuthorizersCommand({ restApiId: id, limit: 2, position: page.position }));
    assert.equal(rest.items!.length, 1);
    assert.equal(rest.position, undefined);
  });

  test('validation', async () => {
    const { id } = await newApi(c);
    const create = (over: Partial<ag.CreateAuthorizerCommandInput>) =>
      c.send(new ag.CreateAuthorizerCommand({ restApiId: id, name: 'a', type: 'TOKEN', authorizerUri: URI, identitySource: 'method.request.header.Authorization', ...over }));
    await rejectsWith(
      create({ restApiId: 'test-fake-rest-id' }),
      'ConflictException',
      'Unable to complete operation due to concurrent modification. Please try again later.',
      409,
    );
    await rejectsWith(c.send(new ag.GetAuthorizersCommand({ restApiId: 'test-fake-rest-id' })), 'NotFoundException', `Invalid API identifier specified ${ACCOUNT}:test-fake-rest-id`, 404);
    await rejectsWith(
      create({ identitySource: 'method.request.querystring.key' }),
      'BadRequestException',
      "Invalid token source expression: method.request.querystring.key. The source must be a method request header, matching 'method.request.header.[a-zA-Z0-9._-]+'.",
      400,
    );
    await rejectsWith(create({ authorizerUri: undefined }), 'BadRequestException', 'Authorizer URI must be specified for TOKEN authorizers', 400);
    // AWS's text and its refusal of a placeholder region, quoted in hashicorp/terraform-provider-aws#1757.
    const invalidUri = (uri: string) =>
      `Invalid Authorizer URI: ${uri}. Authorizer URI should be a valid API Gateway ARN that represents a Lambda function invocation.`;
    await rejectsWith(create({ authorizerUri: 'http://x' }), 'BadRequestException', invalidUri('http://x'), 400);
    const placeholder = URI.replace(':us-east-1:lambda:', ':region:lambda:');
    await rejectsWith(create({ authorizerUri: placeholder }), 'BadRequestException', invalidUri(placeholder), 400);
    for (const ttl of [-1, 3601]) {
      await rejectsWith(create({ authorizerResultTtlInSeconds: ttl }), 'BadRequestException', `Invalid authorizer TTL specified: ${ttl}. It must be between 0 and 3600 seconds`, 400);
    }
    await rejectsWith(create({ type: 'REQUEST', identitySource: 'header.x' }), 'BadRequestException', 'Invalid identity source expression specified: header.x', 400);
    await rejectsWith(
      create({ type: 'REQUEST', identitySource: undefined }),
      'BadRequestException',
      'Identity source must be set if authorizer caching is enabled (TTL is greater than 0)',
      400,
    );
    await rejectsWith(
      create({ type: 'COGNITO_USER_POOLS', authorizerUri: undefined }),
      'BadRequestException',
      'Provider ARNs must be specified for COGNITO_USER_POOLS authorizers',
      400,
    );
    await rejectsWith(
      create({ type: 'COGNITO_USER_POOLS', authorizerUri: undefined, providerARNs: ['arn:aws:iam::1:role/x'] }),
      'BadRequestException',
      'Invalid Cognito user pool ARN specified: arn:aws:iam::1:role/x',
      400,
    );
    const a = await create({});
    const patch = (patchOperations: ag.PatchOperation[]) => c.send(new ag.UpdateAuthorizerCommand({ restApiId: id, authorizerId: a.id, patchOperations }));
    await rejectsWith(patch([{ op: 'replace', path: '/authorizerResultTtlInSeconds', value: 'abc' }]), 'BadRequestException', 'Invalid authorizer TTL specified: abc. It must be between 0 and 3600 seconds', 400);
    await rejectsWith(patch([{ op: 'replace', path: '/id', value: 'x' }]), 'BadRequestException', 'Invalid patch path /id', 400);
    await rejectsWith(patch([{ op: 'add', path: '/name', value: 'x' }]), 'BadRequestException', 'Invalid patch operation specified. Must be one of: [replace]', 400);
    // Names are unique per API (AWS's text as quoted in aws/aws-cdk#13711).
    const dup = 'Authorizer name must be unique. Authorizer a already exists in this RestApi.';
    await rejectsWith(create({}), 'BadRequestException', dup, 400);
    const b = await create({ name: 'b' });
    await rejectsWith(
      c.send(new ag.UpdateAuthorizerCommand({ restApiId: id, authorizerId: b.id, patchOperations: [{ op: 'replace', path: '/name', value: 'a' }] })),
      'BadRequestException',
      dup,
      400,
    );
  });

  test('an authorizer used by a method cannot be deleted', async () => {
    const { id, rootId } = await newApi(c);
    const a = await c.send(new ag.CreateAuthorizerCommand({ restApiId: id, name: 'auth', type: 'TOKEN', authorizerUri: URI, identitySource: 'method.request.header.Authorization' }));
    await c.send(new ag.PutMethodCommand({ restApiId: id, resourceId: rootId, httpMethod: 'GET', authorizationType: 'CUSTOM', authorizerId: a.id }));
    await rejectsWith(c.send(new ag.DeleteAuthorizerCommand({ restApiId: id, authorizerId: a.id })), 'ConflictException', "Cannot delete authorizer 'auth', is referenced in method: GET /", 409);
    // A Lambda authorizer cannot back a COGNITO_USER_POOLS method.
    await rejectsWith(
      c.send(new ag.PutMethodCommand({ restApiId: id, resourceId: rootId, httpMethod: 'POST', authorizationType: 'COGNITO_USER_POOLS', authorizerId: a.id })),
      'BadRequestException',
      'Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.',
      400,
    );
  });
});

// GatewayResponse operations through the AWS SDK. Expected responses: AWS recordings in localstack's
// tests/aws/services/apigateway/test_apigateway_api.snapshot.json (TestApiGatewayGatewayResponse), cited per test.
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

const TEMPLATE = '{"message":$context.error.messageString}';
const DEFAULTS: Array<[string, string | undefined]> = [
  ['ACCESS_DENIED', '403'],
  ['API_CONFIGURATION_ERROR', '500'],
  ['AUTHORIZER_CONFIGURATION_ERROR', '500'],
  ['AUTHORIZER_FAILURE', '500'],
  ['BAD_REQUEST_BODY', '400'],
  ['BAD_REQUEST_PARAMETERS', '400'],
  ['DEFAULT_4XX', undefined],
  ['DEFAULT_5XX', undefined],
  ['EXPIRED_TOKEN', '403'],
  ['INTEGRATION_FAILURE', '504'],
  ['INTEGRATION_TIMEOUT', '504'],
  ['INVALID_API_KEY', '403'],
  ['INVALID_SIGNATURE', '403'],
  ['MISSING_AUTHENTICATION_TOKEN', '403'],
  ['QUOTA_EXCEEDED', '429'],
  ['REQUEST_TOO_LARGE', '413'],
  ['RESOURCE_NOT_FOUND', '404'],
  ['THROTTLED', '429'],
  ['UNAUTHORIZED', '401'],
  ['UNSUPPORTED_MEDIA_TYPE', '415'],
  ['WAF_FILTERED', '403'],
];
const defaultOf = ([type, status]: [string, string | undefined]) => ({
  defaultResponse: true,
  responseParameters: {},
  responseTemplates: { 'application/json': TEMPLATE },
  responseType: type,
  ...(status ? { statusCode: status } : {}),
});

const CUSTOM_PARAMS = {
  'gatewayresponse.header.Access-Control-Allow-Origin': "'a.b.c'",
  'gatewayresponse.header.x-request-header': 'method.request.header.Accept',
};
const CUSTOM_TEMPLATE = { 'application/json': '{"message": $context.error.messageString, "type": "$context.error.responseType"}' };

describe('Gateway responses', () => {
  test('all types with their defaults, in order (recorded: get-gateway-responses)', async () => {
    const { id } = await newApi(c);
    const all = await c.send(new ag.GetGatewayResponsesCommand({ restApiId: id, limit: 500 }));
    assert.deepEqual(all.items, DEFAULTS.map(defaultOf));
    const first = await c.send(new ag.GetGatewayResponsesCommand({ restApiId: id }));
    assert.equal(first.items!.length, 21);
    const p1 = await c.send(new ag.GetGatewayResponsesCommand({ restApiId: id, limit: 20 }));
    const p2 = await c.send(new ag.GetGatewayResponsesCommand({ restApiId: id, limit: 20, position: p1.position }));
    assert.deepEqual(p2.items, [defaultOf(DEFAULTS[20]!)]);
    assert.equal(p2.position, undefined);
  });

  test('put / get / delete (recorded: test_gateway_response_crud)', async () => {
    const { id } = await newApi(c);
    const key = { restApiId: id, responseType: 'MISSING_AUTHENTICATION_TOKEN' as const };
    assert.deepEqual(body(await c.send(new ag.GetGatewayResponseCommand(key))), defaultOf(['MISSING_AUTHENTICATION_TOKEN', '403']));
    const put = await c.send(new ag.PutGatewayResponseCommand({ ...key, statusCode: '404', responseParameters: CUSTOM_PARAMS, responseTemplates: CUSTOM_TEMPLATE }));
    assert.equal(put.$metadata.httpStatusCode, 201);
    const expected = {
      defaultResponse: false,
      responseParameters: CUSTOM_PARAMS,
      responseTemplates: CUSTOM_TEMPLATE,
      responseType: 'MISSING_AUTHENTICATION_TOKEN',
      statusCode: '404',
    };
    assert.deepEqual(body(put), expected);
    assert.deepEqual(body(await c.send(new ag.GetGatewayResponseCommand(key))), expected);
    const listed = await c.send(new ag.GetGatewayResponsesCommand({ restApiId: id }));
    assert.deepEqual(listed.items!.find((r) => r.responseType === 'MISSING_AUTHENTICATION_TOKEN'), expected);
    const del = await c.send(new ag.DeleteGatewayResponseCommand(key));
    assert.equal(del.$metadata.httpStatusCode, 202);
    assert.deepEqual(body(await c.send(new ag.GetGatewayResponseCommand(key))), defaultOf(['MISSING_AUTHENTICATION_TOKEN', '403']));
    await rejectsWith(c.send(new ag.DeleteGatewayResponseCommand(key)), 'NotFoundException', 'Gateway response type not defined on api', 404);
  });

  test('partial puts keep the defaults; DEFAULT_5XX is inherited by untouched 5xx types (recorded: test_gateway_response_put)', async () => {
    const { id } = await newApi(c);
    const statusOnly = await c.send(new ag.PutGatewayResponseCommand({ restApiId: id, responseType: 'MISSING_AUTHENTICATION_TOKEN', statusCode: '404' }));
    assert.deepEqual(body(statusOnly), {
      defaultResponse: false,
      responseParameters: {},
      responseTemplates: { 'application/json': TEMPLATE },
      responseType: 'MISSING_AUTHENTICATION_TOKEN',
      statusCode: '404',
    });
    const paramsOnly = await c.send(
      new ag.PutGatewayResponseCommand({ restApiId: id, responseType: 'MISSING_AUTHENTICATION_TOKEN', responseParameters: { 'gatewayresponse.header.x': "'y'" } }),
    );
    assert.equal(paramsOnly.statusCode, '403');
    const ignored = await c.send(
      new ag.PutGatewayResponseCommand({ restApiId: id, responseType: 'AUTHORIZER_FAILURE', responseParameters: { 'gatewayresponse.header.foo': "'bar'" } }),
    );
    assert.deepEqual(body(ignored), {
      defaultResponse: false,
      responseParameters: { 'gatewayresponse.header.foo': "'bar'" },
      responseTemplates: { 'application/json': TEMPLATE },
      responseType: 'AUTHORIZER_FAILURE',
      statusCode: '500',
    });
    const five = await c.send(
      new ag.PutGatewayResponseCommand({
        restApiId: id,
        responseType: 'DEFAULT_5XX',
        statusCode: '599',
        responseParameters: { 'gatewayresponse.header.x-request-header': 'method.request.header.Accept' },
        responseTemplates: CUSTOM_TEMPLATE,
      }),
    );
    assert.equal(five.statusCode, '599');
    const all = new Map((await c.send(new ag.GetGatewayResponsesCommand({ restApiId: id }))).items!.map((r) => [r.responseType, r]));
    for (const type of ['API_CONFIGURATION_ERROR', 'AUTHORIZER_CONFIGURATION_ERROR', 'INTEGRATION_FAILURE', 'INTEGRATION_TIMEOUT']) {
      assert.deepEqual(all.get(type as ag.GatewayResponseType), {
        defaultResponse: true,
        responseParameters: { 'gatewayresponse.header.x-request-header': 'method.request.header.Accept' },
        responseTemplates: CUSTOM_TEMPLATE,
        responseType: type,
        statusCode: '599',
      });
    }
    assert.equal(all.get('AUTHORIZER_FAILURE')!.statusCode, '500');
    assert.deepEqual(all.get('ACCESS_DENIED'), defaultOf(['ACCESS_DENIED', '403']));
    assert.deepEqual(all.get('DEFAULT_4XX'), defaultOf(['DEFAULT_4XX', undefined]));
  });

  test('UpdateGatewayResponse (recorded: test_update_gateway_response)', async () => {
    const { id } = await newApi(c);
    const update = (patchOperations: ag.PatchOperation[]) =>
      c.send(new ag.UpdateGatewayResponseCommand({ restApiId: id, responseType: 'DEFAULT_4XX', patchOperations }));
    const notSet = await update([{ op: 'replace', path: '/statusCode', value: '444' }]);
    assert.deepEqual(body(notSet), {
      defaultResponse: false,
      responseParameters: {},
      responseTemplates: { 'application/json': TEMPLATE },
      responseType: 'DEFAULT_4XX',
      statusCode: '444',
    });
    assert.deepEqual(body(await c.send(new ag.GetGatewayResponseCommand({ restApiId: id, responseType: 'DEFAULT_4XX' }))), body(notSet));
    await c.send(new ag.PutGatewayResponseCommand({ restApiId: id, responseType: 'DEFAULT_4XX', statusCode: '404', responseParameters: CUSTOM_PARAMS }));
    const updated = await update([
      { op: 'replace', path: '/statusCode', value: '444' },
      { op: 'replace', path: '/responseParameters/gatewayresponse.header.Access-Control-Allow-Origin', value: "'example.com'" },
      { op: 'add', path: '/responseTemplates/application~1xml', value: '<gatewayResponse/>' },
      { op: 'remove', path: '/responseTemplates/application~1json' },
    ]);
    assert.deepEqual(body(updated), {
      defaultResponse: false,
      responseParameters: { ...CUSTOM_PARAMS, 'gatewayresponse.header.Access-Control-Allow-Origin': "'example.com'" },
      responseTemplates: { 'application/xml': '<gatewayResponse/>' },
      responseType: 'DEFAULT_4XX',
      statusCode: '444',
    });
    await rejectsWith(update([{ op: 'add', path: '/statusCode', value: '444' }]), 'BadRequestException', 'Invalid patch path /statusCode', 400);
    await rejectsWith(update([{ op: 'remove', path: '/statusCode' }]), 'BadRequestException', 'Invalid patch path /statusCode', 400);
    await rejectsWith(
      update([{ op: 'replace', path: '/responseParameters/gatewayresponse.header.nope', value: "'x'" }]),
      'NotFoundException',
      'Invalid parameter name specified',
      404,
    );
    await rejectsWith(update([{ op: 'add' } as ag.PatchOperation]), 'BadRequestException', 'Invalid patch path null', 400);
    await rejectsWith(update([{ op: 'add', path: '/wrongPath', value: 'x' }]), 'BadRequestException', 'Invalid patch path /wrongPath', 400);
    await rejectsWith(update([{ op: 'add', path: '/responseTemplates/application~1json' }]), 'BadRequestException', 'Invalid null or empty value in responseTemplates', 400);
    await rejectsWith(
      update([{ op: 'add', path: '/responseParameters/gatewayresponse.header.x' }]),
      'BadRequestException',
      'Invalid null or empty value in responseParameters',
      400,
    );
  });

  test('unknown API (recorded: test_gateway_response_validation)', async () => {
    const msg = `Invalid API identifier specified ${ACCOUNT}:fake-api-id`;
    const key = { restApiId: 'fake-api-id', responseType: 'DEFAULT_4XX' as const };
    await rejectsWith(c.send(new ag.GetGatewayResponsesCommand({ restApiId: 'fake-api-id' })), 'NotFoundException', msg, 404);
    await rejectsWith(c.send(new ag.GetGatewayResponseCommand(key)), 'NotFoundException', msg, 404);
    await rejectsWith(c.send(new ag.DeleteGatewayResponseCommand(key)), 'NotFoundException', msg, 404);
    await rejectsWith(c.send(new ag.PutGatewayResponseCommand(key)), 'NotFoundException', msg, 404);
    await rejectsWith(c.send(new ag.UpdateGatewayResponseCommand({ ...key, patchOperations: [] })), 'NotFoundException', msg, 404);
    const { id } = await newApi(c);
    await rejectsWith(
      c.send(new ag.GetGatewayResponseCommand({ restApiId: id, responseType: 'FAKE_RESPONSE_TYPE' as ag.GatewayResponseType })),
      'ValidationException',
      // AWS's enum order, as recorded (localstack test_apigateway_api.snapshot.json)
      "1 validation error detected: Value 'FAKE_RESPONSE_TYPE' at 'responseType' failed to satisfy constraint: Member must satisfy enum value set: " +
        '[REQUEST_TOO_LARGE, RESOURCE_NOT_FOUND, AUTHORIZER_CONFIGURATION_ERROR, MISSING_AUTHENTICATION_TOKEN, BAD_REQUEST_BODY, ' +
        'INVALID_SIGNATURE, INVALID_API_KEY, BAD_REQUEST_PARAMETERS, AUTHORIZER_FAILURE, UNAUTHORIZED, INTEGRATION_TIMEOUT, ACCESS_DENIED, ' +
        'DEFAULT_4XX, DEFAULT_5XX, WAF_FILTERED, QUOTA_EXCEEDED, THROTTLED, API_CONFIGURATION_ERROR, UNSUPPORTED_MEDIA_TYPE, ' +
        'INTEGRATION_FAILURE, EXPIRED_TOKEN]',
      400,
    );
  });
});

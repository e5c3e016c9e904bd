// RequestValidator operations through the AWS SDK. Expected responses: AWS recordings in localstack's
// tests/aws/services/apigateway/test_apigateway_api.snapshot.json (TestApiGatewayApiRequestValidator).
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

const INVALID = 'Invalid Request Validator identifier specified';

describe('RequestValidators', () => {
  test('lifecycle (recorded: test_request_validator_lifecycle)', async () => {
    const { id } = await newApi(c);
    const created = await c.send(new ag.CreateRequestValidatorCommand({ restApiId: id, name: 'my-validator' }));
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.match(created.id!, /^[a-z0-9]{6}$/);
    assert.deepEqual(body(created), { id: created.id, name: 'my-validator', validateRequestBody: false, validateRequestParameters: false });
    const key = { restApiId: id, requestValidatorId: created.id };
    assert.deepEqual(body(await c.send(new ag.GetRequestValidatorCommand(key))), body(created));
    assert.deepEqual((await c.send(new ag.GetRequestValidatorsCommand({ restApiId: id }))).items, [body(created)]);
    const withValue = await c.send(new ag.UpdateRequestValidatorCommand({ ...key, patchOperations: [{ op: 'replace', path: '/validateRequestBody', value: 'true' }] }));
    assert.equal(withValue.validateRequestBody, true);
    const withoutValue = await c.send(new ag.UpdateRequestValidatorCommand({ ...key, patchOperations: [{ op: 'replace', path: '/validateRequestBody' }] }));
    assert.equal(withoutValue.validateRequestBody, false);
    const renamed = await c.send(
      new ag.UpdateRequestValidatorCommand({
        ...key,
        patchOperations: [
          { op: 'replace', path: '/name', value: 'renamed' },
          { op: 'replace', path: '/validateRequestParameters', value: 'TRUE' },
        ],
      }),
    );
    assert.deepEqual(body(renamed), { id: created.id, name: 'renamed', validateRequestBody: false, validateRequestParameters: true });
    const del = await c.send(new ag.DeleteRequestValidatorCommand(key));
    assert.equal(del.$metadata.httpStatusCode, 202);
    await rejectsWith(c.send(new ag.GetRequestValidatorCommand(key)), 'NotFoundException', INVALID, 404);
    assert.deepEqual((await c.send(new ag.GetRequestValidatorsCommand({ restApiId: id }))).items, []);
  });

  test('errors (recorded: test_validators_crud_no_api, test_invalid_*_request_validator*)', async () => {
    await rejectsWith(c.send(new ag.CreateRequestValidatorCommand({ restApiId: 'test-fake-rest-id', name: 'v' })), 'BadRequestException', 'Invalid REST API identifier specified', 400);
    await rejectsWith(c.send(new ag.GetRequestValidatorsCommand({ restApiId: 'api_id' })), 'NotFoundException', `Invalid API identifier specified ${ACCOUNT}:api_id`, 404);
    await rejectsWith(c.send(new ag.GetRequestValidatorCommand({ restApiId: 'api_id', requestValidatorId: 'x' })), 'NotFoundException', INVALID, 404);
    await rejectsWith(c.send(new ag.DeleteRequestValidatorCommand({ restApiId: 'api_id', requestValidatorId: 'x' })), 'NotFoundException', INVALID, 404);
    const { id } = await newApi(c);
    await rejectsWith(c.send(new ag.GetRequestValidatorCommand({ restApiId: id, requestValidatorId: 'x' })), 'NotFoundException', INVALID, 404);
    await rejectsWith(c.send(new ag.DeleteRequestValidatorCommand({ restApiId: id, requestValidatorId: 'x' })), 'NotFoundException', INVALID, 404);
    const v = await c.send(new ag.CreateRequestValidatorCommand({ restApiId: id, name: 'v' }));
    const patch = (op: ag.Op, path: string, value?: string) =>
      c.send(new ag.UpdateRequestValidatorCommand({ restApiId: id, requestValidatorId: v.id, patchOperations: [{ op, path, value }] }));
    await rejectsWith(patch('add', '/validateRequestBody', 'true'), 'BadRequestException', "Invalid patch path  '/validateRequestBody' specified for op 'add'. Please choose supported operations", 400);
    await rejectsWith(patch('remove', '/validateRequestBody'), 'BadRequestException', "Invalid patch path  '/validateRequestBody' specified for op 'remove'. Please choose supported operations", 400);
    await rejectsWith(
      patch('replace', '/invalidPath', 'x'),
      'BadRequestException',
      "Invalid patch path  '/invalidPath' specified for op 'replace'. Must be one of: [/name, /validateRequestParameters, /validateRequestBody]",
      400,
    );
    await rejectsWith(patch('replace', '/name', ''), 'BadRequestException', 'Request Validator name cannot be blank', 400);
    // Names are unique per API (AWS's text as surfaced in serverless/serverless#10099).
    await rejectsWith(c.send(new ag.CreateRequestValidatorCommand({ restApiId: id, name: 'v' })), 'BadRequestException', 'Request Validator name must be unique', 400);
    await c.send(new ag.CreateRequestValidatorCommand({ restApiId: id, name: 'w' }));
    await rejectsWith(patch('replace', '/name', 'w'), 'BadRequestException', 'Request Validator name must be unique', 400);
    assert.equal((await patch('replace', '/name', 'v')).name, 'v');
  });

  test('a validator used by a method cannot be deleted; pagination', async () => {
    const { id, rootId } = await newApi(c);
    const v = await c.send(new ag.CreateRequestValidatorCommand({ restApiId: id, name: 'v', validateRequestBody: true, validateRequestParameters: true }));
    assert.equal(v.validateRequestBody, true);
    await c.send(new ag.PutMethodCommand({ restApiId: id, resourceId: rootId, httpMethod: 'GET', authorizationType: 'NONE', requestValidatorId: v.id }));
    await rejectsWith(
      c.send(new ag.DeleteRequestValidatorCommand({ restApiId: id, requestValidatorId: v.id })),
      'ConflictException',
      `Cannot delete request validator '${v.id}', is referenced in method: GET /`,
      409,
    );
    for (let i = 0; i < 2; i++) await c.send(new ag.CreateRequestValidatorCommand({ restApiId: id, name: `v${i}` }));
    const p1 = await c.send(new ag.GetRequestValidatorsCommand({ restApiId: id, limit: 2 }));
    const p2 = await c.send(new ag.GetRequestValidatorsCommand({ restApiId: id, limit: 2, position: p1.position }));
    assert.equal(p1.items!.length, 2);
    assert.equal(p2.items!.length, 1);
    assert.equal(p2.position, undefined);
  });
});

// RestApi operations through the AWS SDK. Expected responses: AWS recordings in localstack's
// tests/aws/services/apigateway/test_apigateway_api.snapshot.json (TestApiGatewayApiRestApi), cited per test.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as ag from '@aws-sdk/client-api-gateway';
import { type Running, sigv4Headers, startGatehouse } from '../helpers/gatehouse.ts';
import { ACCOUNT, body, newApi, rejectsWith } from './rest-api-helpers.ts';
import { policyDocument } from '../../src/control/restapis.ts';

let gh: Running;
let c: ag.APIGatewayClient;
before(async () => {
  gh = await startGatehouse();
  c = gh.apigateway;
});
after(() => gh.stop());

describe('CreateRestApi', () => {
  test('defaults: EDGE ipv4, HEADER key source, root resource, no unset members (recorded: create-only-name)', async () => {
    const out = await c.send(new ag.CreateRestApiCommand({ name: 'only-name' }));
    assert.equal(out.$metadata.httpStatusCode, 201);
    assert.match(out.id!, /^[a-z0-9]{10}$/);
    assert.match(out.rootResourceId!, /^[a-z0-9]{10}$/);
    assert.ok(out.createdDate instanceof Date);
    const { id, rootResourceId, createdDate, ...rest } = body(out);
    assert.deepEqual(rest, {
      name: 'only-name',
      apiKeySource: 'HEADER',
      disableExecuteApiEndpoint: false,
      endpointConfiguration: { types: ['EDGE'], ipAddressType: 'ipv4' },
    });
    const resources = await c.send(new ag.GetResourcesCommand({ restApiId: id }));
    assert.deepEqual(resources.items, [{ id: rootResourceId, path: '/' }]);
  });

  test('optional members are returned as given', async () => {
    const policy = JSON.stringify(
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' }] },
      null,
      2,
    );
    const out = await c.send(
      new ag.CreateRestApiCommand({
        name: 'full',
        description: 'd',
        version: 'v1',
        binaryMediaTypes: ['image/png'],
        minimumCompressionSize: 0,
        apiKeySource: 'AUTHORIZER',
        endpointConfiguration: { types: ['REGIONAL'] },
        policy,
        tags: { team: 'a' },
        disableExecuteApiEndpoint: true,
      }),
    );
    const get = await c.send(new ag.GetRestApiCommand({ restApiId: out.id }));
    // AWS returns the policy minified and escaped as a JSON string's content (Terraform unquotes it on read), with
    // the `execute-api:/` shorthand expanded to the API's ARN (recorded in localstack's
    // test_apigateway_integrations.snapshot.json, test_create_execute_api_vpc_endpoint).
    const arn = `arn:aws:execute-api:us-east-1:${ACCOUNT}:${out.id}`;
    const stored =
      '{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[{\\"Effect\\":\\"Allow\\",\\"Principal\\":\\"*\\",' +
      `\\"Action\\":\\"execute-api:Invoke\\",\\"Resource\\":\\"${arn}\\/*\\"}]}`;
    const expanded = JSON.parse(policy);
    expanded.Statement[0].Resource = `${arn}/*`;
    for (const o of [out, get]) {
      assert.equal(o.description, 'd');
      assert.equal(o.version, 'v1');
      assert.deepEqual(o.binaryMediaTypes, ['image/png']);
      assert.equal(o.minimumCompressionSize, 0);
      assert.equal(o.apiKeySource, 'AUTHORIZER');
      assert.deepEqual(o.endpointConfiguration, { types: ['REGIONAL'], ipAddressType: 'ipv4' });
      assert.equal(o.policy, stored);
      assert.deepEqual(policyDocument(o.policy!), expanded);
      assert.deepEqual(o.tags, { team: 'a' });
      assert.equal(o.disableExecuteApiEndpoint, true);
    }
  });

  test('empty binaryMediaTypes are omitted (recorded: create-with-empty-binary-media)', async () => {
    const out = await c.send(new ag.CreateRestApiCommand({ name: 'n', binaryMediaTypes: [] }));
    assert.equal(out.binaryMediaTypes, undefined);
  });

  test('PRIVATE defaults to dualstack; dualstack EDGE allowed (recorded: create-with-private-default, create-with-endpoint-config-dualstack)', async () => {
    const priv = await c.send(new ag.CreateRestApiCommand({ name: 'p', endpointConfiguration: { types: ['PRIVATE'] } }));
    assert.deepEqual(priv.endpointConfiguration, { types: ['PRIVATE'], ipAddressType: 'dualstack' });
    const edge = await c.send(new ag.CreateRestApiCommand({ name: 'e', endpointConfiguration: { types: ['EDGE'], ipAddressType: 'dualstack' } }));
    assert.deepEqual(edge.endpointConfiguration, { types: ['EDGE'], ipAddressType: 'dualstack' });
  });

  test('validation errors (recorded texts)', async () => {
    await rejectsWith(c.send(new ag.CreateRestApiCommand({ name: 'n', description: '' })), 'BadRequestException', 'Description cannot be an empty string', 400);
    // AWS's text for an empty name, quoted in aws-cloudformation/cfn-lint#3111.
    await rejectsWith(c.send(new ag.CreateRestApiCommand({ name: '' })), 'BadRequestException', 'Name cannot be an empty string', 400);
    const { id: named } = await newApi(c);
    await rejectsWith(
      c.send(new ag.UpdateRestApiCommand({ restApiId: named, patchOperations: [{ op: 'replace', path: '/name', value: '' }] })),
      'BadRequestException',
      'Name cannot be an empty string',
      400,
    );
    for (const size of [-1, 10485761]) {
      await rejectsWith(
        c.send(new ag.CreateRestApiCommand({ name: 'n', minimumCompressionSize: size })),
        'BadRequestException',
        'Invalid minimum compression size, must be between 0 and 10485760',
        400,
      );
    }
    await rejectsWith(
      c.send(new ag.CreateRestApiCommand({ name: 'n', endpointConfiguration: { types: [] } })),
      'BadRequestException',
      'REGIONAL Configuration and EDGE Configuration cannot be both DISABLED.',
      400,
    );
    await rejectsWith(
      c.send(new ag.CreateRestApiCommand({ name: 'n', endpointConfiguration: { types: ['EDGE', 'REGIONAL'] } })),
      'BadRequestException',
      'Cannot create an api with multiple Endpoint Types.',
      400,
    );
    await rejectsWith(
      c.send(new ag.CreateRestApiCommand({ name: 'n', endpointConfiguration: { types: ['PRIVATE'], ipAddressType: 'ipv4' } })),
      'BadRequestException',
      'Only dualstack ipAddressType is supported for Private APIs.',
      400,
    );
    await rejectsWith(
      c.send(new ag.CreateRestApiCommand({ name: 'n', policy: '{not json' })),
      'BadRequestException',
      'Invalid policy document. Please check the policy syntax and ensure that Principals are valid.',
      400,
    );
  });

  test('new APIs have the Empty and Error models', async () => {
    const { id } = await newApi(c);
    const models = await c.send(new ag.GetModelsCommand({ restApiId: id }));
    assert.deepEqual(models.items!.map((m) => [m.name, m.contentType, m.description]), [
      ['Empty', 'application/json', 'This is a default empty schema model'],
      ['Error', 'application/json', 'This is a default error schema model'],
    ]);
  });

  test('cloneFrom copies resources, methods, integrations, models, validators and authorizers with new ids', async () => {
    const src = await newApi(c, 'source');
    const pets = await c.send(new ag.CreateResourceCommand({ restApiId: src.id, parentId: src.rootId, pathPart: 'pets' }));
    const validator = await c.send(new ag.CreateRequestValidatorCommand({ restApiId: src.id, name: 'v', validateRequestBody: true }));
    await c.send(new ag.CreateModelCommand({ restApiId: src.id, name: 'Pet', contentType: 'application/json', schema: '{"type":"object"}' }));
    await c.send(
      new ag.PutMethodCommand({
        restApiId: src.id,
        resourceId: pets.id,
        httpMethod: 'POST',
        authorizationType: 'NONE',
        requestValidatorId: validator.id,
        requestModels: { 'application/json': 'Pet' },
      }),
    );
    await c.send(new ag.PutIntegrationCommand({ restApiId: src.id, resourceId: pets.id, httpMethod: 'POST', type: 'MOCK' }));

    const clone = await c.send(new ag.CreateRestApiCommand({ name: 'clone', cloneFrom: src.id }));
    assert.notEqual(clone.id, src.id);
    const resources = await c.send(new ag.GetResourcesCommand({ restApiId: clone.id, embed: ['methods'] }));
    assert.deepEqual(resources.items!.map((r) => r.path), ['/', '/pets']);
    const clonedPets = resources.items![1]!;
    assert.notEqual(clonedPets.id, pets.id);
    assert.equal(clonedPets.parentId, clone.rootResourceId);
    const method = clonedPets.resourceMethods!.POST!;
    const validators = await c.send(new ag.GetRequestValidatorsCommand({ restApiId: clone.id }));
    assert.equal(validators.items!.length, 1);
    assert.equal(method.requestValidatorId, validators.items![0]!.id);
    assert.notEqual(method.requestValidatorId, validator.id);
    assert.equal(method.methodIntegration!.cacheNamespace, clonedPets.id);
    const models = await c.send(new ag.GetModelsCommand({ restApiId: clone.id }));
    assert.deepEqual(models.items!.map((m) => m.name), ['Empty', 'Error', 'Pet']);
    await rejectsWith(
      c.send(new ag.CreateRestApiCommand({ name: 'clone', cloneFrom: 'nope123456' })),
      'NotFoundException',
      `Invalid API identifier specified ${ACCOUNT}:nope123456`,
      404,
    );
  });
});

describe('GetRestApi / GetRestApis', () => {
  test('unknown id: NotFoundException with the account (recorded: get-api-upper-case)', async () => {
    const { id } = await newApi(c);
    await rejectsWith(c.send(new ag.GetRestApiCommand({ restApiId: id.toUpperCase() })), 'NotFoundException', `Invalid API identifier specified ${ACCOUNT}:${id.toUpperCase()}`, 404);
  });

  test('pagination with limit and position; last page has no position', async () => {
    const fresh = await startGatehouse();
    try {
      const fc = fresh.apigateway;
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await fc.send(new ag.CreateRestApiCommand({ name: `api${i}` }))).id!);
      const all = await fc.send(new ag.GetRestApisCommand({}));
      assert.deepEqual(all.items!.map((a) => a.id).sort(), [...ids].sort());
      assert.equal(all.position, undefined);
      const order = all.items!.map((a) => a.id);
      const p1 = await fc.send(new ag.GetRestApisCommand({ limit: 2 }));
      assert.deepEqual(p1.items!.map((a) => a.id), order.slice(0, 2));
      assert.ok(p1.position);
      const p2 = await fc.send(new ag.GetRestApisCommand({ limit: 2, position: p1.position }));
      assert.deepEqual(p2.items!.map((a) => a.id), order.slice(2, 4));
      const p3 = await fc.send(new ag.GetRestApisCommand({ limit: 2, position: p2.position }));
      assert.deepEqual(p3.items!.map((a) => a.id), order.slice(4));
      assert.equal(p3.position, undefined);
      assert.equal(all.items![0]!.tags, undefined);
    } finally {
      await fresh.stop();
    }
  });
});

describe('UpdateRestApi', () => {
  test('binaryMediaTypes add / replace / remove (recorded: test_update_rest_api_operation_add_remove)', async () => {
    const { id } = await newApi(c);
    const add = await c.send(
      new ag.UpdateRestApiCommand({
        restApiId: id,
        patchOperations: [
          { op: 'add', path: '/binaryMediaTypes/image~1png' },
          { op: 'add', path: '/binaryMediaTypes/image~1jpeg' },
        ],
      }),
    );
    assert.deepEqual(add.binaryMediaTypes, ['image/png', 'image/jpeg']);
    assert.deepEqual(add.tags, {});
    const replace = await c.send(
      new ag.UpdateRestApiCommand({ restApiId: id, patchOperations: [{ op: 'replace', path: '/binaryMediaTypes/image~1png', value: 'image/gif' }] }),
    );
    assert.deepEqual(replace.binaryMediaTypes, ['image/jpeg', 'image/gif']);
    const remove = await c.send(
      new ag.UpdateRestApiCommand({ restApiId: id, patchOperations: [{ op: 'remove', path: '/binaryMediaTypes/image~1gif' }] }),
    );
    assert.deepEqual(remove.binaryMediaTypes, ['image/jpeg']);
    await rejectsWith(
      c.send(new ag.UpdateRestApiCommand({ restApiId: id, patchOperations: [{ op: 'add', path: '/binaryMediaTypes', value: 'image/png' }] })),
      'BadRequestException',
      'Invalid patch path /binaryMediaTypes',
      400,
    );
  });

  test('minimumCompressionSize (recorded: test_update_rest_api_compression)', async () => {
    const { id } = await newApi(c);
    const set = (value?: string, op: 'replace' | 'add' = 'replace') =>
      c.send(new ag.UpdateRestApiCommand({ restApiId: id, patchOperations: [{ op, path: '/minimumCompressionSize', value }] }));
    assert.equal((await set('10')).minimumCompressionSize, 10);
    assert.equal((await set('')).minimumCompressionSize, undefined);
    assert.equal((await set('0')).minimumCompressionSize, 0);
    await rejectsWith(set('-1'), 'BadRequestException', 'Invalid minimum compression size, must be between 0 and 10485760', 400);
    await rejectsWith(set('abc'), 'BadRequestException', 'Invalid minimum compression size, must be between 0 and 10485760', 400);
    await rejectsWith(set('1', 'add'), 'BadRequestException', 'Invalid patch operation specified. Must be one of: [replace]', 400);
  });

  test('scalar members and endpoint configuration (recorded: test_update_rest_api_ip_address_type)', async () => {
    const { id } = await newApi(c);
    const out = await c.send(
      new ag.UpdateRestApiCommand({
        restApiId: id,
        patchOperations: [
          { op: 'replace', path: '/name', value: 'renamed' },
          { op: 'replace', path: '/description', value: 'desc' },
          { op: 'replace', path: '/apiKeySource', value: 'AUTHORIZER' },
          { op: 'replace', path: '/disableExecuteApiEndpoint', value: 'true' },
          { op: 'replace', path: '/policy', value: '{"Version": "2012-10-17"}' },
          { op: 'replace', path: '/endpointConfiguration/types/EDGE', value: 'PRIVATE' },
        ],
      }),
    );
    assert.equal(out.name, 'renamed');
    assert.equal(out.description, 'desc');
    assert.equal(out.apiKeySource, 'AUTHORIZER');
    assert.equal(out.disableExecuteApiEndpoint, true);
    assert.equal(out.policy, '{\\"Version\\":\\"2012-10-17\\"}');
    // Recorded (test_create_execute_api_vpc_endpoint): a one-element `Resource` list with the execute-api shorthand
    // reads back as the single expanded ARN.
    const statement = { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: ['execute-api:/*'] };
    const withPolicy = await c.send(
      new ag.UpdateRestApiCommand({
        restApiId: id,
        patchOperations: [{ op: 'replace', path: '/policy', value: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }) }],
      }),
    );
    assert.deepEqual(policyDocument(withPolicy.policy!), {
      Version: '2012-10-17',
      Statement: [{ ...statement, Resource: `arn:aws:execute-api:us-east-1:${ACCOUNT}:${id}/*` }],
    });
    assert.deepEqual(out.endpointConfiguration, { types: ['PRIVATE'], ipAddressType: 'dualstack' });
    const patch = (path: string, value: string, op: 'replace' | 'move' | 'remove' = 'replace') =>
      c.send(new ag.UpdateRestApiCommand({ restApiId: id, patchOperations: [{ op, path, value }] }));
    await rejectsWith(patch('/endpointConfiguration/ipAddressType', 'ipv4'), 'BadRequestException', 'Only dualstack ipAddressType is supported for Private APIs.', 400);
    await rejectsWith(patch('/endpointConfiguration/ipAddressType', 'wrong'), 'BadRequestException', 'ipAddressType must be either ipv4 or dualstack.', 400);
    await rejectsWith(
      patch('/endpointConfiguration/types/PRIVATE', 'wrong'),
      'BadRequestException',
      'Invalid EndpointTypes specified. Valid options are REGIONAL,EDGE,PRIVATE',
      400,
    );
    await rejectsWith(
      patch('/endpointConfiguration/ipAddressType', 'dualstack', 'move'),
      'BadRequestException',
      'Invalid patch operation specified. Must be one of: [replace]',
      400,
    );
    await rejectsWith(
      patch('/endpointConfiguration/types/PRIVATE', 'EDGE', 'move'),
      'BadRequestException',
      "Invalid patch operation specified. Must be 'add'|'remove'|'replace'",
      400,
    );
    // Recorded (test_update_rest_api_ip_address_type): `remove` on ipAddressType and on a type get the op texts
    // before anything about the values (update-rest-api-invalid-operation-on-ipAddressType, -on-type).
    await rejectsWith(patch('/endpointConfiguration/ipAddressType', 'dualstack', 'remove'), 'BadRequestException', 'Invalid patch operation specified. Must be one of: [replace]', 400);
    await rejectsWith(patch('/endpointConfiguration/types/0', 'EDGE', 'remove'), 'BadRequestException', "Invalid patch operation specified. Must be 'add'|'remove'|'replace'", 400);
    await rejectsWith(patch('/id', 'x'), 'BadRequestException', 'Invalid patch path /id', 400);
    const get = await c.send(new ag.GetRestApiCommand({ restApiId: id }));
    assert.equal(get.name, 'renamed');
    assert.equal(get.tags, undefined);
  });

  test('unknown API (recorded: not-found-update-rest-api)', async () => {
    await rejectsWith(
      c.send(new ag.UpdateRestApiCommand({ restApiId: 'api_id', patchOperations: [{ op: 'replace', path: '/name', value: 'x' }] })),
      'NotFoundException',
      `Invalid API identifier specified ${ACCOUNT}:api_id`,
      404,
    );
  });
});

describe('DeleteRestApi', () => {
  test('202, then 404; everything under the API is gone (recorded: test_list_and_delete_apis)', async () => {
    const { id, rootId } = await newApi(c);
    const r = await c.send(new ag.CreateResourceCommand({ restApiId: id, parentId: rootId, pathPart: 'a' }));
    await c.send(new ag.PutMethodCommand({ restApiId: id, resourceId: r.id, httpMethod: 'GET', authorizationType: 'NONE' }));
    const del = await c.send(new ag.DeleteRestApiCommand({ restApiId: id }));
    assert.equal(del.$metadata.httpStatusCode, 202);
    await rejectsWith(c.send(new ag.GetRestApiCommand({ restApiId: id })), 'NotFoundException', `Invalid API identifier specified ${ACCOUNT}:${id}`, 404);
    await rejectsWith(c.send(new ag.DeleteRestApiCommand({ restApiId: id })), 'NotFoundException', `Invalid API identifier specified ${ACCOUNT}:${id}`, 404);
    await rejectsWith(
      c.send(new ag.GetMethodCommand({ restApiId: id, resourceId: r.id, httpMethod: 'GET' })),
      'NotFoundException',
      'Invalid Resource identifier specified',
      404,
    );
    const left = await gh.gatehouse.store.read(async (tx) => [
      ...(await tx.list('resources', `us-east-1/${id}/`)),
      ...(await tx.list('methods', `us-east-1/${id}/`)),
      ...(await tx.list('models', `us-east-1/${id}/`)),
      ...(await tx.list('apiregions', id)),
    ]);
    assert.deepEqual(left, []);
  });

  test('APIs are per region; the global index records the region', async () => {
    const { id } = await newApi(c);
    assert.deepEqual(await gh.gatehouse.store.read((tx) => tx.get('apiregions', id)), { region: 'us-east-1' });
    await rejectsWith(
      gh.apigatewayIn('eu-west-1').send(new ag.GetRestApiCommand({ restApiId: id })),
      'NotFoundException',
      `Invalid API identifier specified ${ACCOUNT}:${id}`,
      404,
    );
  });
});

describe('wire format', () => {
  test('errors carry x-amzn-ErrorType and a JSON message; timestamps are epoch seconds', async () => {
    const missing = await fetch(`${gh.endpoint}/restapis/nope`, { headers: { accept: 'application/json', ...sigv4Headers() } });
    assert.equal(missing.status, 404);
    assert.match(missing.headers.get('x-amzn-errortype') ?? '', /^NotFoundException/);
    assert.deepEqual(await missing.json(), { message: `Invalid API identifier specified ${ACCOUNT}:nope` });
    const created = await fetch(`${gh.endpoint}/restapis`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...sigv4Headers() },
      body: JSON.stringify({ name: 'wire', securityPolicy: 'TLS_1_2' }),
    });
    assert.equal(created.status, 201);
    const api = (await created.json()) as Record<string, unknown>;
    assert.equal(typeof api.createdDate, 'number');
    assert.ok(Math.abs((api.createdDate as number) - Date.now() / 1000) < 60);
    assert.equal(api.securityPolicy, 'TLS_1_2');
    const deleted = await fetch(`${gh.endpoint}/restapis/${api.id}`, { method: 'DELETE', headers: sigv4Headers() });
    assert.equal(deleted.status, 202);
    assert.equal(await deleted.text(), '');
  });
});

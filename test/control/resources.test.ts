// Resource operations through the AWS SDK. Expected responses: AWS recordings in localstack's
// tests/aws/services/apigateway/test_apigateway_api.snapshot.json (TestApiGatewayApiResource), cited per test.
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

const create = (restApiId: string, parentId: string, pathPart: string) =>
  c.send(new ag.CreateResourceCommand({ restApiId, parentId, pathPart }));

describe('CreateResource / GetResource(s)', () => {
  test('lifecycle (recorded: test_resource_lifecycle)', async () => {
    const { id, rootId } = await newApi(c);
    const pets = await create(id, rootId, 'pets');
    assert.equal(pets.$metadata.httpStatusCode, 201);
    assert.deepEqual(body(pets), { id: pets.id, parentId: rootId, pathPart: 'pets', path: '/pets' });
    const sub = await create(id, pets.id!, 'subpets');
    assert.deepEqual(body(sub), { id: sub.id, parentId: pets.id, pathPart: 'subpets', path: '/pets/subpets' });
    const all = await c.send(new ag.GetResourcesCommand({ restApiId: id }));
    assert.deepEqual(all.items, [
      { id: rootId, path: '/' },
      { id: pets.id, parentId: rootId, pathPart: 'pets', path: '/pets' },
      { id: sub.id, parentId: pets.id, pathPart: 'subpets', path: '/pets/subpets' },
    ]);
    const one = await c.send(new ag.GetResourceCommand({ restApiId: id, resourceId: sub.id }));
    assert.deepEqual(body(one), body(sub));
  });

  test('listing is ordered by path; proxy resources (recorded: test_create_proxy_resource)', async () => {
    const { id, rootId } = await newApi(c);
    const proxy = await create(id, rootId, '{proxy+}');
    const parent = await create(id, rootId, 'parent');
    const parentProxy = await create(id, parent.id!, '{proxy+}');
    const child = await create(id, parent.id!, 'child');
    const childProxy = await create(id, child.id!, '{proxy+}');
    const all = await c.send(new ag.GetResourcesCommand({ restApiId: id }));
    assert.deepEqual(all.items!.map((r) => [r.id, r.path]), [
      [rootId, '/'],
      [parent.id, '/parent'],
      [child.id, '/parent/child'],
      [childProxy.id, '/parent/child/{proxy+}'],
      [parentProxy.id, '/parent/{proxy+}'],
      [proxy.id, '/{proxy+}'],
    ]);
  });

  test('path part rules (recorded: test_create_proxy_resource_validation, test_update_resource_behaviour)', async () => {
    const { id, rootId } = await newApi(c);
    const proxy = await create(id, rootId, '{proxy+}');
    await rejectsWith(create(id, rootId, '{id}'), 'BadRequestException', 'A sibling ({proxy+}) of this resource already has a variable path part -- only one is allowed', 400);
    // AWS's answer to an empty path part, quoted in claudiajs/claudia-api-builder#3.
    await rejectsWith(create(id, rootId, ''), 'BadRequestException', "Resource's path part must be specified", 400);
    await rejectsWith(create(id, proxy.id!, 'static'), 'BadRequestException', 'Cannot create a child of a resource with a greedy path variable: {proxy+}', 400);
    await rejectsWith(create(id, proxy.id!, '{dyn}'), 'BadRequestException', 'Cannot create a child of a resource with a greedy path variable: {proxy+}', 400);
    const parent = await create(id, rootId, 'parent');
    const greedy = await create(id, parent.id!, '{child+}');
    assert.equal(greedy.path, '/parent/{child+}');
    await rejectsWith(create(id, rootId, 'parent'), 'ConflictException', 'Another resource with the same parent already has this name: parent', 409);
    for (const bad of ['a b', 'a/b', '{a', 'a}', '{a+b}', '{a:b}']) {
      await rejectsWith(
        create(id, rootId, bad),
        'BadRequestException',
        "Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.",
        400,
      );
    }
    await rejectsWith(create(id, 'nope', 'x'), 'NotFoundException', 'Invalid Resource identifier specified', 404);
  });

  test('a colon is allowed in a static path part, and the deployed route answers (moto#6148, checked against AWS)', async () => {
    const { id, rootId } = await newApi(c);
    const v3 = await create(id, rootId, 'v3');
    const custom = await create(id, v3.id!, 'events:batchGet');
    assert.equal(custom.path, '/v3/events:batchGet');
    assert.equal(custom.pathPart, 'events:batchGet');
    const key = { restApiId: id, resourceId: custom.id!, httpMethod: 'GET' };
    await c.send(new ag.PutMethodCommand({ ...key, authorizationType: 'NONE' }));
    await c.send(new ag.PutIntegrationCommand({ ...key, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await c.send(new ag.PutMethodResponseCommand({ ...key, statusCode: '200' }));
    await c.send(new ag.PutIntegrationResponseCommand({ ...key, statusCode: '200', responseTemplates: { 'application/json': '{"path": "$context.resourcePath"}' } }));
    await c.send(new ag.CreateDeploymentCommand({ restApiId: id, stageName: 'dev' }));
    const r = await fetch(`${gh.endpoint}/restapis/${id}/dev/_user_request_/v3/events:batchGet`);
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { path: '/v3/events:batchGet' });
  });

  test('embed=methods returns full methods; without it, methods are listed empty', async () => {
    const { id, rootId } = await newApi(c);
    await c.send(new ag.PutMethodCommand({ restApiId: id, resourceId: rootId, httpMethod: 'GET', authorizationType: 'NONE' }));
    await c.send(new ag.PutIntegrationCommand({ restApiId: id, resourceId: rootId, httpMethod: 'GET', type: 'MOCK' }));
    const plain = await c.send(new ag.GetResourcesCommand({ restApiId: id }));
    assert.deepEqual(plain.items![0]!.resourceMethods, { GET: {} });
    const embedded = await c.send(new ag.GetResourcesCommand({ restApiId: id, embed: ['methods'] }));
    const get = embedded.items![0]!.resourceMethods!.GET!;
    assert.equal(get.httpMethod, 'GET');
    assert.equal(get.authorizationType, 'NONE');
    assert.equal(get.methodIntegration!.type, 'MOCK');
    const one = await c.send(new ag.GetResourceCommand({ restApiId: id, resourceId: rootId, embed: ['methods'] }));
    assert.equal(one.resourceMethods!.GET!.methodIntegration!.type, 'MOCK');
  });

  test('pagination of GetResources', async () => {
    const { id, rootId } = await newApi(c);
    for (const p of ['a', 'b', 'c', 'd']) await create(id, rootId, p);
    const p1 = await c.send(new ag.GetResourcesCommand({ restApiId: id, limit: 3 }));
    assert.deepEqual(p1.items!.map((r) => r.path), ['/', '/a', '/b']);
    const p2 = await c.send(new ag.GetResourcesCommand({ restApiId: id, limit: 3, position: p1.position }));
    assert.deepEqual(p2.items!.map((r) => r.path), ['/c', '/d']);
    assert.equal(p2.position, undefined);
    await rejectsWith(c.send(new ag.GetResourcesCommand({ restApiId: 'nope' })), 'NotFoundException', `Invalid API identifier specified ${ACCOUNT}:nope`, 404);
    await rejectsWith(c.send(new ag.GetResourceCommand({ restApiId: id, resourceId: 'nope' })), 'NotFoundException', 'Invalid Resource identifier specified', 404);
  });
});

describe('UpdateResource', () => {
  test('rename and move rewrite the paths of the subtree (recorded: test_resource_lifecycle, test_update_resource_behaviour)', async () => {
    const { id, rootId } = await newApi(c);
    const pets = await create(id, rootId, 'pets');
    const sub = await create(id, pets.id!, 'subpets');
    const leaf = await create(id, sub.id!, 'leaf');
    const renamed = await c.send(new ag.UpdateResourceCommand({ restApiId: id, resourceId: pets.id, patchOperations: [{ op: 'replace', path: '/pathPart', value: 'dogs' }] }));
    assert.deepEqual(body(renamed), { id: pets.id, parentId: rootId, pathPart: 'dogs', path: '/dogs' });
    assert.equal((await c.send(new ag.GetResourceCommand({ restApiId: id, resourceId: leaf.id }))).path, '/dogs/subpets/leaf');
    const moved = await c.send(new ag.UpdateResourceCommand({ restApiId: id, resourceId: sub.id, patchOperations: [{ op: 'replace', path: '/parentId', value: rootId }] }));
    assert.deepEqual(body(moved), { id: sub.id, parentId: rootId, pathPart: 'subpets', path: '/subpets' });
    assert.equal((await c.send(new ag.GetResourceCommand({ restApiId: id, resourceId: leaf.id }))).path, '/subpets/leaf');
  });

  test('errors (recorded: test_update_resource_behaviour, test_update_resource_on_root)', async () => {
    const { id, rootId } = await newApi(c);
    const pets = await create(id, rootId, 'pets');
    const sub = await create(id, pets.id!, 'subpets');
    await create(id, sub.id!, 'other');
    const patch = (resourceId: string, op: string, path: string, value?: string) =>
      c.send(new ag.UpdateResourceCommand({ restApiId: id, resourceId, patchOperations: [{ op: op as ag.Op, path, value }] }));
    await rejectsWith(patch('nope', 'replace', '/pathPart', 'x'), 'NotFoundException', 'Invalid Resource identifier specified', 404);
    await rejectsWith(patch(sub.id!, 'replace', '/invalid', 'x'), 'BadRequestException', "Invalid patch path  '/invalid' specified for op 'replace'. Must be one of: [/parentId, /pathPart]", 400);
    await rejectsWith(patch(sub.id!, 'replace', '/parentId', 'nope'), 'NotFoundException', 'Invalid Resource identifier specified', 404);
    const other = await create(id, rootId, 'other');
    await rejectsWith(patch(other.id!, 'replace', '/pathPart', 'pets'), 'ConflictException', 'Another resource with the same parent already has this name: pets', 409);
    await rejectsWith(patch(other.id!, 'replace', '/parentId', sub.id), 'ConflictException', 'Another resource with the same parent already has this name: other', 409);
    await rejectsWith(patch(pets.id!, 'replace', '/parentId', sub.id), 'BadRequestException', 'Resources cannot be cyclical.', 400);
    await rejectsWith(patch(sub.id!, 'remove', '/pathPart'), 'BadRequestException', "Invalid patch path  '/pathPart' specified for op 'remove'. Please choose supported operations", 400);
    await rejectsWith(patch(sub.id!, 'add', '/pathPart', 'x'), 'BadRequestException', "Invalid patch path  '/pathPart' specified for op 'add'. Please choose supported operations", 400);
    // An op with no paths is refused before the path is looked at, as UpdateModel's recorded update-model-invalid-op
    // ('add' on '/wrong-path' → "Please choose supported operations").
    await rejectsWith(patch(sub.id!, 'add', '/invalid', 'x'), 'BadRequestException', "Invalid patch path  '/invalid' specified for op 'add'. Please choose supported operations", 400);
    await rejectsWith(patch(rootId, 'replace', '/pathPart', 'x'), 'BadRequestException', 'Root resource cannot update its pathPart.', 400);
    await rejectsWith(patch(rootId, 'replace', '/parentId', pets.id), 'BadRequestException', 'Root resource cannot update its parentId.', 400);
  });
});

describe('DeleteResource', () => {
  test('cascades to children and methods (recorded: test_delete_resource)', async () => {
    const { id, rootId } = await newApi(c);
    const pets = await create(id, rootId, 'pets');
    const sub = await create(id, pets.id!, 'subpets');
    await c.send(new ag.PutMethodCommand({ restApiId: id, resourceId: sub.id, httpMethod: 'GET', authorizationType: 'NONE' }));
    const del = await c.send(new ag.DeleteResourceCommand({ restApiId: id, resourceId: pets.id }));
    assert.equal(del.$metadata.httpStatusCode, 202);
    const all = await c.send(new ag.GetResourcesCommand({ restApiId: id }));
    assert.deepEqual(all.items, [{ id: rootId, path: '/' }]);
    await rejectsWith(c.send(new ag.DeleteResourceCommand({ restApiId: id, resourceId: sub.id })), 'NotFoundException', 'Invalid Resource identifier specified', 404);
    const methods = await gh.gatehouse.store.read((tx) => tx.list('methods', `us-east-1/${id}/`));
    assert.deepEqual(methods, []);
    // Recreating the same path is possible again.
    const again = await create(id, rootId, 'pets');
    assert.equal(again.path, '/pets');
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateDeploymentCommand,
  CreateRestApiCommand,
  DeleteDeploymentCommand,
  DeleteStageCommand,
  GetDeploymentCommand,
  GetDeploymentsCommand,
  GetStageCommand,
  GetStagesCommand,
  PutMethodCommand,
  UpdateDeploymentCommand,
} from '@aws-sdk/client-api-gateway';
import { startGatehouse, type Running } from '../helpers/gatehouse.ts';
import type { StoredDeployment } from '../../src/store/entities.ts';
import { awsError, deployableApi } from './deployable-api.ts';

let gh: Running;
before(async () => {
  gh = await startGatehouse();
});
after(async () => {
  await gh.stop();
});

describe('CreateDeployment', () => {
  test('refuses an API without methods (AWS: BadRequestException "The REST API doesn\'t contain any methods")', async () => {
    const api = await gh.apigateway.send(new CreateRestApiCommand({ name: 'empty' }));
    const err = await awsError(() => gh.apigateway.send(new CreateDeploymentCommand({ restApiId: api.id!, stageName: 'dev' })));
    assert.deepEqual(err, { name: 'BadRequestException', message: "The REST API doesn't contain any methods", status: 400 });
  });

  test('refuses a method without integration (AWS: BadRequestException "No integration defined for method")', async () => {
    const api = await gh.apigateway.send(new CreateRestApiCommand({ name: 'no-integration' }));
    await gh.apigateway.send(new PutMethodCommand({ restApiId: api.id!, resourceId: api.rootResourceId!, httpMethod: 'GET', authorizationType: 'NONE' }));
    const err = await awsError(() => gh.apigateway.send(new CreateDeploymentCommand({ restApiId: api.id! })));
    assert.deepEqual(err, { name: 'BadRequestException', message: 'No integration defined for method', status: 400 });
  });

  test('unknown API is a 404 naming account and id', async () => {
    const err = await awsError(() => gh.apigateway.send(new CreateDeploymentCommand({ restApiId: 'nope123456' })));
    assert.deepEqual(err, { name: 'NotFoundException', message: 'Invalid API identifier specified 123456789012:nope123456', status: 404 });
  });

  test('creates the deployment and its stage; Get returns apiSummary only with embed=apisummary', async () => {
    const { apiId } = await deployableApi(gh.apigateway);
    const created = await gh.apigateway.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'dev', description: 'v1', stageDescription: 'development', variables: { a: '1' } }));
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.match(created.id!, /^[a-z0-9]{6}$/);
    assert.equal(created.description, 'v1');
    assert.ok(created.createdDate instanceof Date);
    assert.equal(created.apiSummary, undefined);

    const plain = await gh.apigateway.send(new GetDeploymentCommand({ restApiId: apiId, deploymentId: created.id! }));
    assert.equal(plain.apiSummary, undefined);
    const embedded = await gh.apigateway.send(new GetDeploymentCommand({ restApiId: apiId, deploymentId: created.id!, embed: ['apisummary'] }));
    assert.deepEqual(embedded.apiSummary, {
      '/': { GET: { authorizationType: 'NONE', apiKeyRequired: false } },
      '/pets': { GET: { authorizationType: 'NONE', apiKeyRequired: false } },
    });

    const stage = await gh.apigateway.send(new GetStageCommand({ restApiId: apiId, stageName: 'dev' }));
    assert.equal(stage.deploymentId, created.id);
    assert.equal(stage.description, 'development');
    assert.deepEqual(stage.variables, { a: '1' });
    assert.equal(stage.cacheClusterEnabled, false);
    assert.equal(stage.cacheClusterStatus, 'NOT_AVAILABLE');
    assert.equal(stage.tracingEnabled, false);
  });

  test('freezes a snapshot that later API edits do not reach', async () => {
    const { apiId, petsId } = await deployableApi(gh.apigateway);
    const d = await gh.apigateway.send(new CreateDeploymentCommand({ restApiId: apiId }));
    await gh.apigateway.send(new PutMethodCommand({ restApiId: apiId, resourceId: petsId, httpMethod: 'POST', authorizationType: 'NONE' }));
    const stored = await gh.gatehouse.store.read((tx) => tx.get<StoredDeployment>('deployments', `us-east-1/${apiId}/${d.id}`));
    assert.ok(stored);
    assert.equal(stored.snapshot.restApi.id, apiId);
    assert.deepEqual(stored.snapshot.resources.map((r) => r.path), ['/', '/pets']);
    const pets = stored.snapshot.resources.find((r) => r.path === '/pets')!;
    assert.deepEqual(Object.keys(pets.resourceMethods!), ['GET']);
    assert.equal(pets.resourceMethods!.GET!.methodIntegration!.type, 'MOCK');
    assert.ok(Array.isArray(stored.snapshot.models));
    assert.ok(Array.isArray(stored.snapshot.requestValidators));
    assert.ok(Array.isArray(stored.snapshot.authorizers));
    assert.deepEqual(stored.snapshot.gatewayResponses, []);
  });

  test('an empty stageName creates no stage', async () => {
    const { apiId } = await deployableApi(gh.apigateway);
    await gh.apigateway.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: '' }));
    const stages = await gh.apigateway.send(new GetStagesCommand({ restApiId: apiId }));
    assert.deepEqual(stages.item, []);
  });

  test('rejects an invalid stage name', async () => {
    const { apiId } = await deployableApi(gh.apigateway);
    const err = await awsError(() => gh.apigateway.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'bad name!' })));
    assert.deepEqual(err, { name: 'BadRequestException', message: 'Stage name only allows a-zA-Z0-9_-', status: 400 });
  });

  test('redeploying to a stage moves it to the new deployment and ends its canary', async () => {
    const { apiId } = await deployableApi(gh.apigateway);
    const d1 = await gh.apigateway.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'prod', variables: { v: '1' } }));
    const canary = await gh.apigateway.send(
      new CreateDeploymentCommand({ restApiId: apiId, stageName: 'prod', canarySettings: { percentTraffic: 10, stageVariableOverrides: { v: '2' } } }),
    );
    let stage = await gh.apigateway.send(new GetStageCommand({ restApiId: apiId, stageName: 'prod' }));
    assert.equal(stage.deploymentId, d1.id);
    assert.deepEqual(stage.canarySettings, { deploymentId: canary.id, percentTraffic: 10, stageVariableOverrides: { v: '2' }, useStageCache: false });

    const d3 = await gh.apigateway.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'prod', stageDescription: 'p', variables: { v: '3' } }));
    stage = await gh.apigateway.send(new GetStageCommand({ restApiId: apiId, stageName: 'prod' }));
    assert.equal(stage.deploymentId, d3.id);
    assert.equal(stage.canarySettings, undefined);
    assert.equal(stage.description, 'p');
    assert.deepEqual(stage.variables, { v: '3' });
  });

  test('a canary deployment needs an existing stage (AWS texts)', async () => {
    const { apiId } = await deployableApi(gh.apigateway);
    let err = await awsError(() => gh.apigateway.send(new CreateDeploymentCommand({ restApiId: apiId, canarySettings: { percentTraffic: 5 } })));
    assert.deepEqual(err, {
      name: 'BadRequestException',
      message: 'Invalid deployment content specified.Non null and non empty stageName must be provided for canary deployment. Provided value is null',
      status: 400,
    });
    err = await awsError(() => gh.apigateway.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'nostage', canarySettings: { percentTraffic: 5 } })));
    assert.deepEqual(err, {
      name: 'BadRequestException',
      message: 'Invalid deployment content specified.Stage nostage must already be created before making a canary release deployment',
      status: 400,
    });
  });
});

describe('GetDeployments / UpdateDeployment / DeleteDeployment', () => {
  test('pages with limit and position; the last page has no position', async () => {
    const { apiId } = await deployableApi(gh.apigateway);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await gh.apigateway.send(new CreateDeploymentCommand({ restApiId: apiId, description: `d${i}` }))).id!);
    const p1 = await gh.apigateway.send(new GetDeploymentsCommand({ restApiId: apiId, limit: 2 }));
    assert.equal(p1.items!.length, 2);
    assert.ok(p1.position);
    const p2 = await gh.apigateway.send(new GetDeploymentsCommand({ restApiId: apiId, limit: 2, position: p1.position }));
    assert.equal(p2.items!.length, 1);
    assert.equal(p2.position, undefined);
    assert.deepEqual([...p1.items!, ...p2.items!].map((d) => d.id).sort(), [...ids].sort());
    assert.equal(p2.items![0]!.apiSummary, undefined);
  });

  test('UpdateDeployment replaces /description and rejects other paths', async () => {
    const { apiId } = await deployableApi(gh.apigateway);
    const d = await gh.apigateway.send(new CreateDeploymentCommand({ restApiId: apiId, description: 'old' }));
    const u = await gh.apigateway.send(new UpdateDeploymentCommand({ restApiId: apiId, deploymentId: d.id!, patchOperations: [{ op: 'replace', path: '/description', value: 'new' }] }));
    assert.equal(u.description, 'new');
    assert.equal(u.id, d.id);
    const err = await awsError(() => gh.apigateway.send(new UpdateDeploymentCommand({ restApiId: apiId, deploymentId: d.id!, patchOperations: [{ op: 'replace', path: '/id', value: 'x' }] })));
    assert.equal(err.name, 'BadRequestException');
    assert.equal(err.status, 400);
    assert.match(err.message, /Invalid patch path/);
  });

  test('DeleteDeployment refuses while a stage points at it (AWS text), then deletes', async () => {
    const { apiId } = await deployableApi(gh.apigateway);
    const d = await gh.apigateway.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'live' }));
    const err = await awsError(() => gh.apigateway.send(new DeleteDeploymentCommand({ restApiId: apiId, deploymentId: d.id! })));
    assert.deepEqual(err, { name: 'BadRequestException', message: 'Active stages pointing to this deployment must be moved or deleted', status: 400 });
    await gh.apigateway.send(new DeleteStageCommand({ restApiId: apiId, stageName: 'live' }));
    const del = await gh.apigateway.send(new DeleteDeploymentCommand({ restApiId: apiId, deploymentId: d.id! }));
    assert.equal(del.$metadata.httpStatusCode, 202);
    const gone = await awsError(() => gh.apigateway.send(new GetDeploymentCommand({ restApiId: apiId, deploymentId: d.id! })));
    assert.deepEqual(gone, { name: 'NotFoundException', message: 'Invalid Deployment identifier specified', status: 404 });
    const again = await awsError(() => gh.apigateway.send(new DeleteDeploymentCommand({ restApiId: apiId, deploymentId: d.id! })));
    assert.deepEqual(again, { name: 'NotFoundException', message: 'Invalid Deployment identifier specified', status: 404 });
  });
});

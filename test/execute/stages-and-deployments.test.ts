// What changes take effect when: stage variables and method settings at once (UpdateStage), API changes only
// after a new deployment, a stage pointed at an older deployment runs that one. Canary traffic runs its own
// deployment with the stage-variable overrides.
import { groupKey, readEvents, type LogStore } from '../../src/observe/logs/log-store.ts';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AG, ApiBuilder, startGatehouse } from './helpers.ts';
import type { Running } from '../helpers/gatehouse.ts';

describe('stages and deployments', () => {
  let gh: Running;
  let api: ApiBuilder;
  let resourceId: string;
  let first: string;

  before(async () => {
    gh = await startGatehouse();
    api = await ApiBuilder.create(gh);
    resourceId = await api.method(
      '/v',
      'GET',
      { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } },
      { responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"version":1,"color":"$stageVariables.color"}' } }] },
    );
    first = await api.deploy('test', { color: 'red' });
  });

  after(() => gh.stop());

  test('stage variable changes apply without a redeployment', async () => {
    assert.deepEqual((await api.invoke('test', '/v')).json(), { version: 1, color: 'red' });
    await gh.apigateway.send(
      new AG.UpdateStageCommand({ restApiId: api.apiId, stageName: 'test', patchOperations: [{ op: 'replace', path: '/variables/color', value: 'teal' }] }),
    );
    assert.deepEqual((await api.invoke('test', '/v')).json(), { version: 1, color: 'teal' });
  });

  test('API changes apply only after a deployment; a stage can run an older deployment', async () => {
    await gh.apigateway.send(
      new AG.PutIntegrationResponseCommand({
        restApiId: api.apiId,
        resourceId,
        httpMethod: 'GET',
        statusCode: '200',
        responseTemplates: { 'application/json': '{"version":2,"color":"$stageVariables.color"}' },
      }),
    );
    assert.equal((await api.invoke('test', '/v')).json().version, 1);
    await api.deploy('test');
    assert.equal((await api.invoke('test', '/v')).json().version, 2);
    await gh.apigateway.send(new AG.CreateStageCommand({ restApiId: api.apiId, stageName: 'old', deploymentId: first, variables: { color: 'gold' } }));
    assert.deepEqual((await api.invoke('old', '/v')).json(), { version: 1, color: 'gold' });
  });

  test('a canary with 100% of the traffic runs the canary deployment with its variable overrides', async () => {
    const canary = await gh.apigateway.send(new AG.CreateDeploymentCommand({ restApiId: api.apiId, stageName: 'old', canarySettings: { percentTraffic: 100, stageVariableOverrides: { color: 'canary' } } }));
    assert.ok(canary.id);
    const r = await api.invoke('old', '/v');
    assert.deepEqual(r.json(), { version: 2, color: 'canary' });
  });

  test('INFO execution logging (a method setting, applied without redeploying) writes AWS-style lines to the execution log group', async () => {
    await gh.apigateway.send(
      new AG.UpdateStageCommand({ restApiId: api.apiId, stageName: 'test', patchOperations: [{ op: 'replace', path: '/*/*/logging/loglevel', value: 'INFO' }] }),
    );
    const r = await api.invoke('test', '/v');
    const requestId = String(r.headers['x-amzn-requestid']);
    const logs = gh.gatehouse.services.logs as LogStore;
    await logs.flush();
    const events = await gh.gatehouse.store.read((tx) => readEvents(tx, groupKey('us-east-1', `API-Gateway-Execution-Logs_${api.apiId}/test`)));
    const mine = events.map((e) => e.m).filter((l) => l.startsWith(`(${requestId}) `)).map((l) => l.slice(requestId.length + 3));
    assert.ok(mine.includes('HTTP Method: GET, Resource Path: /v'), mine.join('\n'));
    assert.equal(mine.at(-1), 'Method completed with status: 200');
    // Without dataTraceEnabled, no request data (path parameters, headers, bodies).
    assert.ok(!mine.some((l) => l.startsWith('Method request path:')), mine.join('\n'));
  });

  test('a deleted stage stops answering', async () => {
    await gh.apigateway.send(new AG.DeleteStageCommand({ restApiId: api.apiId, stageName: 'old' }));
    const r = await api.invoke('old', '/v');
    assert.equal(r.status, 403);
    assert.equal(r.body, '{"message":"Missing Authentication Token"}');
  });
});

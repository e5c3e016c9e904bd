import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FlushStageCacheCommand,
  GetExportCommand,
  GetUsageCommand,
} from '@aws-sdk/client-api-gateway';
import { startGatehouse, type Running } from '../helpers/gatehouse.ts';
import { awsError, deployedApi } from './deployable-api.ts';

let gh: Running;
before(async () => {
  gh = await startGatehouse();
});
after(async () => {
  await gh.stop();
});

test('identifiers are checked first, as AWS does', async () => {
  assert.deepEqual(await awsError(() => gh.apigateway.send(new GetExportCommand({ restApiId: 'nope', stageName: 'dev', exportType: 'oas30' }))), {
    name: 'NotFoundException',
    message: 'Invalid API identifier specified 123456789012:nope',
    status: 404,
  });
  const { apiId } = await deployedApi(gh.apigateway, 'dev');
  assert.deepEqual(await awsError(() => gh.apigateway.send(new FlushStageCacheCommand({ restApiId: apiId, stageName: 'nope' }))), {
    name: 'NotFoundException',
    message: 'Invalid stage identifier specified',
    status: 404,
  });
  assert.deepEqual(await awsError(() => gh.apigateway.send(new GetUsageCommand({ usagePlanId: 'nope00', startDate: '2026-01-01', endDate: '2026-01-02' }))), {
    name: 'NotFoundException',
    message: 'Invalid Usage Plan ID specified',
    status: 404,
  });
});

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { GetAccountCommand, UpdateAccountCommand } from '@aws-sdk/client-api-gateway';
import { startGatehouse, type Running } from '../helpers/gatehouse.ts';
import { awsError } from './deployable-api.ts';

let gh: Running;
before(async () => {
  gh = await startGatehouse();
});
after(async () => {
  await gh.stop();
});

test('GetAccount answers the AWS defaults of a fresh account', async () => {
  // `aws apigateway get-account` on a new account: throttle burst 5000 / rate 10000, usage plans on, key version 4.
  const a = await gh.apigateway.send(new GetAccountCommand({}));
  assert.equal(a.$metadata.httpStatusCode, 200);
  assert.deepEqual(
    { cloudwatchRoleArn: a.cloudwatchRoleArn, throttleSettings: a.throttleSettings, features: a.features, apiKeyVersion: a.apiKeyVersion },
    { cloudwatchRoleArn: undefined, throttleSettings: { burstLimit: 5000, rateLimit: 10000 }, features: ['UsagePlans'], apiKeyVersion: '4' },
  );
});

test('UpdateAccount sets and clears the CloudWatch role, per region', async () => {
  const arn = 'arn:aws:iam::123456789012:role/apigateway-logs';
  const u = await gh.apigateway.send(new UpdateAccountCommand({ patchOperations: [{ op: 'replace', path: '/cloudwatchRoleArn', value: arn }] }));
  assert.equal(u.cloudwatchRoleArn, arn);
  assert.equal((await gh.apigateway.send(new GetAccountCommand({}))).cloudwatchRoleArn, arn);
  // Account settings are regional.
  const other = gh.apigatewayIn('eu-west-1');
  assert.equal((await other.send(new GetAccountCommand({}))).cloudwatchRoleArn, undefined);
  other.destroy();
  const cleared = await gh.apigateway.send(new UpdateAccountCommand({ patchOperations: [{ op: 'replace', path: '/cloudwatchRoleArn', value: '' }] }));
  assert.equal(cleared.cloudwatchRoleArn, undefined);
});

test('UpdateAccount rejects malformed roles, throttle paths and disabling usage plans', async () => {
  const bad = await awsError(() => gh.apigateway.send(new UpdateAccountCommand({ patchOperations: [{ op: 'replace', path: '/cloudwatchRoleArn', value: 'not-an-arn' }] })));
  assert.equal(bad.name, 'BadRequestException');
  assert.equal(bad.status, 400);
  const throttle = await awsError(() => gh.apigateway.send(new UpdateAccountCommand({ patchOperations: [{ op: 'replace', path: '/throttleSettings/burstLimit', value: '1' }] })));
  assert.equal(throttle.name, 'BadRequestException');
  assert.match(throttle.message, /^Invalid patch path/);
  const off = await awsError(() => gh.apigateway.send(new UpdateAccountCommand({ patchOperations: [{ op: 'remove', path: '/features', value: 'UsagePlans' }] })));
  assert.equal(off.name, 'BadRequestException');
  const on = await gh.apigateway.send(new UpdateAccountCommand({ patchOperations: [{ op: 'add', path: '/features', value: 'UsagePlans' }] }));
  assert.deepEqual(on.features, ['UsagePlans']);
});

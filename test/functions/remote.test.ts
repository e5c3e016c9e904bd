// Remote Lambda: with AWS_ENDPOINT_URL_LAMBDA set, FunctionsService.invoke (what API Gateway's Lambda integrations
// call) is sent, SigV4-signed, to that endpoint — here a second Gatehouse running as a separate process.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { clients, spawnGatehouse, startGatehouse, tempDataDir, TEST_CREDENTIALS, type Running, type Spawned } from '../helpers/gatehouse.ts';
import { createFunction, decode, logOf } from './helpers.ts';
import { AwsError } from '../../src/aws/errors.ts';
import type { EmbeddedFunctions } from '../../src/functions/index.ts';

let remote: Spawned;
let remoteDir: string;
let local: Running;
before(async () => {
  remoteDir = tempDataDir();
  remote = await spawnGatehouse({ dataDir: remoteDir, env: { AWS_ENDPOINT_URL_LAMBDA: '' } });
  process.env.AWS_ENDPOINT_URL_LAMBDA = remote.endpoint;
  process.env.AWS_ACCESS_KEY_ID = TEST_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
  local = await startGatehouse();
});
after(async () => {
  await local.stop();
  await remote.stop();
  rmSync(remoteDir, { recursive: true, force: true });
});

test('invoke goes to the remote endpoint, signed for the request region', async () => {
  const remoteLambda = clients(remote.endpoint, 'eu-west-1').lambda;
  await createFunction(remoteLambda, 'far', { 'index.js': 'exports.handler = async (e) => { console.log("remote"); return { region: process.env.AWS_REGION, e }; };' });
  remoteLambda.destroy();
  const svc = local.gatehouse.services.functions as EmbeddedFunctions;
  const r = await svc.invoke({ functionName: 'far', region: 'eu-west-1', payload: Buffer.from('{"x":1}'), invocationType: 'RequestResponse', logType: 'Tail' });
  assert.equal(r.statusCode, 200);
  assert.deepEqual(JSON.parse(decode(r.payload)), { region: 'eu-west-1', e: { x: 1 } });
  assert.equal(r.executedVersion, '$LATEST');
  assert.match(logOf(r.logResult), /\tINFO\tremote\n/);
  // The region travels in the SigV4 credential scope: the remote has no such function in us-east-1.
  await assert.rejects(svc.invoke({ functionName: 'far', region: 'us-east-1', payload: Buffer.from('{}'), invocationType: 'RequestResponse' }), (err: unknown) => {
    assert.ok(err instanceof AwsError);
    assert.equal(err.code, 'ResourceNotFoundException');
    assert.equal(err.status, 404);
    assert.equal(err.message, 'Function not found: arn:aws:lambda:us-east-1:123456789012:function:far');
    return true;
  });
  // Invocation permission checks are left to the remote.
  assert.equal(await svc.checkInvokePermission({ region: 'eu-west-1', functionName: 'far', principal: 'apigateway.amazonaws.com', sourceArn: 'arn:x', sourceAccount: '123456789012' }), true);
});

test("the local Lambda API still runs this Gatehouse's own functions", async () => {
  await assert.rejects(local.lambda.send(new InvokeCommand({ FunctionName: 'far' })), { name: 'ResourceNotFoundException' });
});

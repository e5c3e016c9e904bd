// Two Gatehouse nodes on one PostgreSQL (scale-out mode), in this process: a change made through one node's control
// API is served by the other node's data plane and checks within a second (LISTEN/NOTIFY into each node's caches),
// and creates racing on both nodes leave no duplicate.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as IAM from '@aws-sdk/client-iam';
import * as AG from '@aws-sdk/client-api-gateway';
import { startGatehouse, type Running } from '../helpers/gatehouse.ts';
import { freshDatabaseUrl } from '../helpers/postgres.ts';
import { identityClients } from '../identity/helpers.ts';
import { ApiBuilder, invoke } from '../execute/helpers.ts';

/** Polls `check` until it passes; fails if that takes longer than `withinMs`. Returns how long it took. */
async function within(withinMs: number, check: () => Promise<void>): Promise<number> {
  const started = Date.now();
  for (;;) {
    try {
      await check();
      return Date.now() - started;
    } catch (err) {
      if (Date.now() - started > withinMs) throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

describe('scale-out: two nodes on one PostgreSQL', () => {
  let a: Running;
  let b: Running;
  before(async () => {
    const databaseUrl = await freshDatabaseUrl();
    a = await startGatehouse({ config: { databaseUrl } });
    b = await startGatehouse({ config: { databaseUrl, requireAuth: true } });
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
  });

  it('a deployment and stage variables changed through one node are served by the other within 1 s', async () => {
    const api = await ApiBuilder.create(a);
    await api.method('/hello', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, {
      responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"v": "$stageVariables.v"}' } }],
    });
    await api.deploy('prod', { v: 'one' });
    await within(1000, async () => {
      const r = await invoke(b.endpoint, api.apiId, 'prod', '/hello');
      assert.equal(r.status, 200);
      assert.deepEqual(r.json(), { v: 'one' });
    });
    await a.apigateway.send(new AG.UpdateStageCommand({ restApiId: api.apiId, stageName: 'prod', patchOperations: [{ op: 'replace', path: '/variables/v', value: 'two' }] }));
    await within(1000, async () => assert.deepEqual((await invoke(b.endpoint, api.apiId, 'prod', '/hello')).json(), { v: 'two' }));
    await a.apigateway.send(new AG.DeleteStageCommand({ restApiId: api.apiId, stageName: 'prod' }));
    await within(1000, async () => assert.equal((await invoke(b.endpoint, api.apiId, 'prod', '/hello')).status, 403));
  });

  it('an API key and its usage plan created on one node admit requests on the other within 1 s; disabling it there refuses them', async () => {
    const api = await ApiBuilder.create(a);
    await api.method('/keyed', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, {
      method: { apiKeyRequired: true },
      responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"ok": true}' } }],
    });
    await api.deploy('prod');
    const key = await a.apigateway.send(new AG.CreateApiKeyCommand({ name: 'k', enabled: true, value: 'scale-out-key-0123456789' }));
    const plan = await a.apigateway.send(new AG.CreateUsagePlanCommand({ name: 'p', apiStages: [{ apiId: api.apiId, stage: 'prod' }] }));
    const headers = { 'x-api-key': 'scale-out-key-0123456789' };
    assert.equal((await invoke(b.endpoint, api.apiId, 'prod', '/keyed', { headers })).status, 403, 'not in a plan yet');
    await a.apigateway.send(new AG.CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }));
    await within(1000, async () => assert.equal((await invoke(b.endpoint, api.apiId, 'prod', '/keyed', { headers })).status, 200));
    await a.apigateway.send(new AG.UpdateApiKeyCommand({ apiKey: key.id, patchOperations: [{ op: 'replace', path: '/enabled', value: 'false' }] }));
    await within(1000, async () => assert.equal((await invoke(b.endpoint, api.apiId, 'prod', '/keyed', { headers })).status, 403));
  });

  it('an access key created on one node signs requests to the other (which verifies signatures) within 1 s; deleted, it no longer does', async () => {
    const { iam } = identityClients(a.endpoint);
    await iam.send(new IAM.CreateUserCommand({ UserName: 'operator' }));
    await iam.send(new IAM.PutUserPolicyCommand({ UserName: 'operator', PolicyName: 'all', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }) }));
    const { AccessKey } = await iam.send(new IAM.CreateAccessKeyCommand({ UserName: 'operator' }));
    const onB = new AG.APIGatewayClient({ endpoint: b.endpoint, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! } });
    await within(1000, async () => void (await onB.send(new AG.GetRestApisCommand({}))));
    await iam.send(new IAM.DeleteAccessKeyCommand({ UserName: 'operator', AccessKeyId: AccessKey!.AccessKeyId }));
    await within(1000, async () => {
      await assert.rejects(onB.send(new AG.GetRestApisCommand({})), (err: Error) => err.name === 'UnrecognizedClientException');
    });
    onB.destroy();
    iam.destroy();
  });

  it('the same IAM user created through both nodes at once exists once: the other gets EntityAlreadyExists', async () => {
    const admin = b.gatehouse.bootstrap!;
    const clientsOf = [identityClients(a.endpoint).iam, identityClients(b.endpoint, admin).iam];
    for (let round = 0; round < 5; round++) {
      const outcomes = await Promise.allSettled(clientsOf.map((c) => c.send(new IAM.CreateUserCommand({ UserName: `racer-${round}` }))));
      assert.deepEqual(outcomes.map((o) => o.status).sort(), ['fulfilled', 'rejected'], `round ${round}`);
      assert.equal((outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult).reason.name, 'EntityAlreadyExistsException');
    }
    const users = (await clientsOf[0]!.send(new IAM.ListUsersCommand({}))).Users!.map((u) => u.UserName).filter((n) => n!.startsWith('racer-'));
    assert.deepEqual(users, ['racer-0', 'racer-1', 'racer-2', 'racer-3', 'racer-4']);
    for (const c of clientsOf) c.destroy();
  });

  it('both nodes share one bootstrap administrator', () => {
    assert.equal(a.gatehouse.bootstrap!.accessKeyId, b.gatehouse.bootstrap!.accessKeyId);
    assert.equal(a.gatehouse.bootstrap!.created !== b.gatehouse.bootstrap!.created, true, 'created once');
  });
});

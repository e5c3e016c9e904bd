import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateApiKeyCommand,
  CreateDeploymentCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  DeleteStageCommand,
  DeleteUsagePlanCommand,
  DeleteUsagePlanKeyCommand,
  GetUsagePlanCommand,
  GetUsagePlanKeyCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  UpdateUsagePlanCommand,
  type PatchOperation,
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

const unique = () => Math.random().toString(36).slice(2, 10);
const patch = (usagePlanId: string, patchOperations: PatchOperation[]) => gh.apigateway.send(new UpdateUsagePlanCommand({ usagePlanId, patchOperations }));

describe('CreateUsagePlan / GetUsagePlan / GetUsagePlans / DeleteUsagePlan', () => {
  test('creates a plan with API stages, per-method throttle, throttle and quota', async () => {
    const { apiId } = await deployedApi(gh.apigateway, 'dev');
    const p = await gh.apigateway.send(
      new CreateUsagePlanCommand({
        name: `gold-${unique()}`,
        description: 'gold',
        apiStages: [{ apiId, stage: 'dev', throttle: { '/pets/GET': { burstLimit: 10, rateLimit: 5 } } }],
        throttle: { burstLimit: 100, rateLimit: 50.5 },
        quota: { limit: 1000, period: 'WEEK', offset: 1 },
        tags: { tier: 'gold' },
      }),
    );
    assert.equal(p.$metadata.httpStatusCode, 201);
    assert.match(p.id!, /^[a-z0-9]{6}$/);
    assert.deepEqual(p.apiStages, [{ apiId, stage: 'dev', throttle: { '/pets/GET': { burstLimit: 10, rateLimit: 5 } } }]);
    assert.deepEqual(p.throttle, { burstLimit: 100, rateLimit: 50.5 });
    assert.deepEqual(p.quota, { limit: 1000, period: 'WEEK', offset: 1 });
    assert.deepEqual(p.tags, { tier: 'gold' });
    const g = await gh.apigateway.send(new GetUsagePlanCommand({ usagePlanId: p.id! }));
    assert.equal(g.name, p.name);
    assert.deepEqual(g.apiStages, p.apiStages);
  });

  test('a plan without stages lists an empty apiStages', async () => {
    const p = await gh.apigateway.send(new CreateUsagePlanCommand({ name: `bare-${unique()}` }));
    assert.deepEqual(p.apiStages, []);
    assert.equal(p.quota, undefined);
    assert.equal(p.throttle, undefined);
  });

  test('validation: unknown API stage, quota period/offset, negative throttle, bad method key', async () => {
    const { apiId } = await deployedApi(gh.apigateway, 'dev');
    // AWS leaves the format placeholders unfilled in this text (aws/aws-sdk#354, aws/aws-cdk#6169).
    for (const apiStages of [[{ apiId, stage: 'nope' }], [{ apiId: 'nope', stage: 'dev' }], [{ stage: 'dev' }]]) {
      assert.deepEqual(await awsError(() => gh.apigateway.send(new CreateUsagePlanCommand({ name: 'x', apiStages }))), {
        name: 'BadRequestException',
        message: 'Invalid API Stage {api: %s, stage: %s} specified for usageplan %s',
        status: 400,
      });
    }
    assert.equal((await awsError(() => gh.apigateway.send(new CreateUsagePlanCommand({ name: 'x', quota: { limit: 5 } })))).name, 'BadRequestException');
    assert.equal((await awsError(() => gh.apigateway.send(new CreateUsagePlanCommand({ name: 'x', quota: { limit: 5, period: 'DAY', offset: 1 } })))).name, 'BadRequestException');
    assert.equal((await awsError(() => gh.apigateway.send(new CreateUsagePlanCommand({ name: 'x', quota: { limit: 5, period: 'WEEK', offset: 7 } })))).name, 'BadRequestException');
    assert.equal((await awsError(() => gh.apigateway.send(new CreateUsagePlanCommand({ name: 'x', quota: { limit: 5, period: 'MONTH', offset: 28 } })))).name, 'BadRequestException');
    assert.equal((await awsError(() => gh.apigateway.send(new CreateUsagePlanCommand({ name: 'x', throttle: { burstLimit: -1 } })))).name, 'BadRequestException');
    assert.equal(
      (await awsError(() => gh.apigateway.send(new CreateUsagePlanCommand({ name: 'x', apiStages: [{ apiId, stage: 'dev', throttle: { 'pets-GET': { rateLimit: 1 } } }] })))).name,
      'BadRequestException',
    );
  });

  // AWS's text as quoted in aws/aws-cdk#6411: method throttles need the plan's own throttle.
  const FINE_GRAIN = { name: 'BadRequestException', message: 'Can not define fine grain throttling if usage plan throttle is not defined.', status: 400 };

  test('per-method throttles without the plan throttle are refused, on create and on update', async () => {
    const { apiId } = await deployedApi(gh.apigateway, 'dev');
    const methodThrottle = { '/pets/GET': { burstLimit: 2, rateLimit: 1 } };
    assert.deepEqual(
      await awsError(() => gh.apigateway.send(new CreateUsagePlanCommand({ name: `fg-${unique()}`, apiStages: [{ apiId, stage: 'dev', throttle: methodThrottle }] }))),
      FINE_GRAIN,
    );
    const p = await gh.apigateway.send(new CreateUsagePlanCommand({ name: `fg-${unique()}`, apiStages: [{ apiId, stage: 'dev' }] }));
    assert.deepEqual(await awsError(() => patch(p.id!, [{ op: 'replace', path: `/apiStages/${apiId}:dev/throttle/~1pets/GET/rateLimit`, value: '1' }])), FINE_GRAIN);
    // With the plan throttle in the same request, in either order, it is accepted (the plan is checked as a whole).
    const u = await patch(p.id!, [
      { op: 'replace', path: `/apiStages/${apiId}:dev/throttle/~1pets/GET/rateLimit`, value: '1' },
      { op: 'replace', path: '/throttle/rateLimit', value: '10' },
    ]);
    assert.deepEqual(u.throttle, { rateLimit: 10 });
    // Removing the plan throttle while a method throttle remains is refused, and nothing changes.
    assert.deepEqual(await awsError(() => patch(p.id!, [{ op: 'remove', path: '/throttle' }])), FINE_GRAIN);
    const g = await gh.apigateway.send(new GetUsagePlanCommand({ usagePlanId: p.id! }));
    assert.deepEqual(g.throttle, { rateLimit: 10 });
    assert.deepEqual(g.apiStages, [{ apiId, stage: 'dev', throttle: { '/pets/GET': { rateLimit: 1 } } }]);
  });

  test('GetUsagePlans pages and filters by keyId; DeleteUsagePlan answers 202 then 404', async () => {
    const tag = unique();
    const plans: Array<{ id?: string }> = [];
    for (const n of ['a', 'b', 'c']) plans.push(await gh.apigateway.send(new CreateUsagePlanCommand({ name: `zz-${tag}-${n}` })));
    const key = await gh.apigateway.send(new CreateApiKeyCommand({ name: `k-${tag}` }));
    await gh.apigateway.send(new CreateUsagePlanKeyCommand({ usagePlanId: plans[1]!.id!, keyId: key.id!, keyType: 'API_KEY' }));
    const byKey = await gh.apigateway.send(new GetUsagePlansCommand({ keyId: key.id! }));
    assert.deepEqual(byKey.items!.map((p) => p.id), [plans[1]!.id]);

    const seen: string[] = [];
    let position: string | undefined;
    let pages = 0;
    do {
      const page = await gh.apigateway.send(new GetUsagePlansCommand({ limit: 1, position }));
      seen.push(...page.items!.map((p) => p.id!));
      position = page.position;
      pages++;
    } while (position);
    assert.ok(pages >= 3);
    for (const p of plans) assert.ok(seen.includes(p.id!));

    const d = await gh.apigateway.send(new DeleteUsagePlanCommand({ usagePlanId: plans[0]!.id! }));
    assert.equal(d.$metadata.httpStatusCode, 202);
    assert.deepEqual(await awsError(() => gh.apigateway.send(new GetUsagePlanCommand({ usagePlanId: plans[0]!.id! }))), {
      name: 'NotFoundException',
      message: 'Invalid Usage Plan ID specified',
      status: 404,
    });
  });
});

describe('UpdateUsagePlan', () => {
  test('patches name, description, throttle, quota and per-method throttle; adds and removes API stages', async () => {
    const { apiId } = await deployedApi(gh.apigateway, 'dev');
    const p = await gh.apigateway.send(new CreateUsagePlanCommand({ name: `up-${unique()}` }));
    let u = await patch(p.id!, [
      { op: 'replace', path: '/name', value: 'renamed' },
      { op: 'replace', path: '/description', value: 'described' },
      { op: 'replace', path: '/throttle/burstLimit', value: '20' },
      { op: 'replace', path: '/throttle/rateLimit', value: '10.5' },
      { op: 'replace', path: '/quota/limit', value: '500' },
      { op: 'replace', path: '/quota/period', value: 'MONTH' },
      { op: 'replace', path: '/quota/offset', value: '3' },
      { op: 'add', path: '/apiStages', value: `${apiId}:dev` },
      { op: 'replace', path: `/apiStages/${apiId}:dev/throttle/~1pets/GET/rateLimit`, value: '2' },
      { op: 'replace', path: `/apiStages/${apiId}:dev/throttle/~1pets/GET/burstLimit`, value: '4' },
    ]);
    assert.equal(u.name, 'renamed');
    assert.equal(u.description, 'described');
    assert.deepEqual(u.throttle, { burstLimit: 20, rateLimit: 10.5 });
    assert.deepEqual(u.quota, { limit: 500, period: 'MONTH', offset: 3 });
    assert.deepEqual(u.apiStages, [{ apiId, stage: 'dev', throttle: { '/pets/GET': { rateLimit: 2, burstLimit: 4 } } }]);

    u = await patch(p.id!, [
      { op: 'remove', path: `/apiStages/${apiId}:dev/throttle/~1pets/GET` },
      { op: 'remove', path: '/throttle' },
      { op: 'remove', path: '/quota' },
    ]);
    assert.deepEqual(u.apiStages, [{ apiId, stage: 'dev' }]);
    assert.equal(u.throttle, undefined);
    assert.equal(u.quota, undefined);

    // AWS refuses to delete a plan that still has API stages (text as quoted in aws/aws-sdk-js#3841).
    assert.deepEqual(await awsError(() => gh.apigateway.send(new DeleteUsagePlanCommand({ usagePlanId: p.id! }))), {
      name: 'BadRequestException',
      message: `Cannot delete Usage Plan ${p.id} because there are API Stages associated with it, including ${apiId}:dev`,
      status: 400,
    });
    u = await patch(p.id!, [{ op: 'remove', path: '/apiStages', value: `${apiId}:dev` }]);
    assert.deepEqual(u.apiStages, []);
    assert.equal((await gh.apigateway.send(new DeleteUsagePlanCommand({ usagePlanId: p.id! }))).$metadata.httpStatusCode, 202);
  });

  test('each op accepts only its paths (AWS text for remove, boto/boto3#2629)', async () => {
    const { apiId } = await deployedApi(gh.apigateway, 'dev');
    const p = await gh.apigateway.send(new CreateUsagePlanCommand({ name: `ops-${unique()}`, apiStages: [{ apiId, stage: 'dev' }] }));
    assert.deepEqual(await awsError(() => patch(p.id!, [{ op: 'remove', path: `/apiStages/${apiId}:dev` }])), {
      name: 'BadRequestException',
      message:
        `Invalid patch path  '/apiStages/${apiId}:dev' specified for op 'remove'. Must be one of: [/apiStages, /quota, /throttle, /productCode, /apiStages/<apidId:stageName>/throttle/<resourcePath>/<httpMethod>, /apiStages/<apidId:stageName>/throttle]`,
      status: 400,
    });
    assert.deepEqual(await awsError(() => patch(p.id!, [{ op: 'remove', path: '/apiStages' }])), {
      name: 'BadRequestException',
      message: 'Invalid API Stage specified',
      status: 400,
    });
    assert.match((await awsError(() => patch(p.id!, [{ op: 'remove', path: '/description' }]))).message, /^Invalid patch path  '\/description' specified for op 'remove'/);
    assert.match((await awsError(() => patch(p.id!, [{ op: 'add', path: '/name', value: 'x' }]))).message, /^Invalid patch path  '\/name' specified for op 'add'/);
    const u = await patch(p.id!, [{ op: 'replace', path: '/productCode', value: 'prod-1' }]);
    assert.equal(u.productCode, 'prod-1');
    assert.equal((await patch(p.id!, [{ op: 'remove', path: '/productCode' }])).productCode, undefined);
  });

  test('errors: removing a stage the plan lacks, unknown stage, bad path, bad quota, unknown plan', async () => {
    const { apiId } = await deployedApi(gh.apigateway, 'dev');
    const p = await gh.apigateway.send(new CreateUsagePlanCommand({ name: `err-${unique()}` }));
    assert.deepEqual(await awsError(() => patch(p.id!, [{ op: 'remove', path: '/apiStages', value: `${apiId}:dev` }])), {
      name: 'NotFoundException',
      message: `Invalid API Stage {api: ${apiId}, stage: dev} specified for usageplan ${p.id}`,
      status: 404,
    });
    assert.equal((await awsError(() => patch(p.id!, [{ op: 'add', path: '/apiStages', value: `${apiId}:prod` }]))).name, 'BadRequestException');
    assert.equal((await awsError(() => patch(p.id!, [{ op: 'add', path: '/apiStages', value: 'garbage' }]))).name, 'BadRequestException');
    const bad = await awsError(() => patch(p.id!, [{ op: 'replace', path: '/id', value: 'x' }]));
    assert.equal(bad.name, 'BadRequestException');
    assert.match(bad.message, /^Invalid patch path/);
    assert.equal((await awsError(() => patch(p.id!, [{ op: 'replace', path: '/quota/limit', value: '5' }]))).name, 'BadRequestException');
    assert.equal((await awsError(() => patch('nope00', [{ op: 'replace', path: '/name', value: 'x' }]))).status, 404);
  });
});

describe('as recorded on AWS (LocalStack\'s AWS-validated test_apigateway_common.py::TestUsagePlans::test_usage_plan_crud)', () => {
  test('throttle and quota patched onto a bare plan; stage removals that name no stage of the plan; the plan unchanged after', async () => {
    const { apiId } = await deployedApi(gh.apigateway, 'dev');
    const p = await gh.apigateway.send(new CreateUsagePlanCommand({ name: `rec-${unique()}`, description: 'd', apiStages: [{ apiId, stage: 'dev' }] }));
    assert.equal(p.$metadata.httpStatusCode, 201);
    assert.deepEqual(p.apiStages, [{ apiId, stage: 'dev' }]);
    assert.equal(p.tags, undefined);
    const got = await gh.apigateway.send(new GetUsagePlanCommand({ usagePlanId: p.id! }));
    assert.deepEqual(got.tags, {});
    const updated = await patch(p.id!, [
      { op: 'replace', path: '/throttle/burstLimit', value: '100' },
      { op: 'replace', path: '/throttle/rateLimit', value: '200' },
      { op: 'replace', path: '/quota/period', value: 'MONTH' },
      { op: 'replace', path: '/quota/limit', value: '5000' },
    ]);
    assert.deepEqual(updated.quota, { limit: 5000, offset: 0, period: 'MONTH' });
    assert.deepEqual(updated.throttle, { burstLimit: 100, rateLimit: 200 });
    assert.deepEqual(updated.tags, {});
    assert.deepEqual(await awsError(() => patch(`${p.id}1`, [{ op: 'replace', path: '/throttle/burstLimit', value: '100' }])), {
      name: 'NotFoundException',
      message: 'Invalid Usage Plan ID specified',
      status: 404,
    });
    for (const value of [undefined, 'fakevalue']) {
      assert.deepEqual(await awsError(() => patch(p.id!, [{ op: 'remove', path: '/apiStages', value }])), {
        name: 'BadRequestException',
        message: 'Invalid API Stage specified',
        status: 400,
      });
    }
    for (const [api, stage] of [[`${apiId}b`, 'dev'], [apiId, 'fakestagename']]) {
      assert.deepEqual(await awsError(() => patch(p.id!, [{ op: 'remove', path: '/apiStages', value: `${api}:${stage}` }])), {
        name: 'NotFoundException',
        message: `Invalid API Stage {api: ${api}, stage: ${stage}} specified for usageplan ${p.id}`,
        status: 404,
      });
    }
    const after = await gh.apigateway.send(new GetUsagePlanCommand({ usagePlanId: p.id! }));
    assert.deepEqual(
      { apiStages: after.apiStages, quota: after.quota, throttle: after.throttle, description: after.description },
      { apiStages: [{ apiId, stage: 'dev' }], quota: { limit: 5000, offset: 0, period: 'MONTH' }, throttle: { burstLimit: 100, rateLimit: 200 }, description: 'd' },
    );
  });
});

describe('UsagePlanKeys', () => {
  test('create, get, list with name filter, delete', async () => {
    const p = await gh.apigateway.send(new CreateUsagePlanCommand({ name: `keys-${unique()}` }));
    const k1 = await gh.apigateway.send(new CreateApiKeyCommand({ name: 'alpha-1' }));
    const k2 = await gh.apigateway.send(new CreateApiKeyCommand({ name: 'beta-1' }));
    const upk = await gh.apigateway.send(new CreateUsagePlanKeyCommand({ usagePlanId: p.id!, keyId: k1.id!, keyType: 'API_KEY' }));
    assert.equal(upk.$metadata.httpStatusCode, 201);
    assert.deepEqual({ id: upk.id, type: upk.type, value: upk.value, name: upk.name }, { id: k1.id, type: 'API_KEY', value: k1.value, name: 'alpha-1' });
    await gh.apigateway.send(new CreateUsagePlanKeyCommand({ usagePlanId: p.id!, keyId: k2.id!, keyType: 'API_KEY' }));

    const got = await gh.apigateway.send(new GetUsagePlanKeyCommand({ usagePlanId: p.id!, keyId: k2.id! }));
    assert.equal(got.name, 'beta-1');
    const all = await gh.apigateway.send(new GetUsagePlanKeysCommand({ usagePlanId: p.id! }));
    assert.deepEqual(all.items!.map((k) => k.name), ['alpha-1', 'beta-1']);
    const filtered = await gh.apigateway.send(new GetUsagePlanKeysCommand({ usagePlanId: p.id!, nameQuery: 'bet' }));
    assert.deepEqual(filtered.items!.map((k) => k.id), [k2.id]);
    const paged = await gh.apigateway.send(new GetUsagePlanKeysCommand({ usagePlanId: p.id!, limit: 1 }));
    assert.equal(paged.items!.length, 1);
    assert.ok(paged.position);

    const del = await gh.apigateway.send(new DeleteUsagePlanKeyCommand({ usagePlanId: p.id!, keyId: k1.id! }));
    assert.equal(del.$metadata.httpStatusCode, 202);
    assert.equal((await awsError(() => gh.apigateway.send(new GetUsagePlanKeyCommand({ usagePlanId: p.id!, keyId: k1.id! })))).status, 404);
  });

  test('errors: unknown key, duplicate, wrong key type, unknown plan', async () => {
    const p = await gh.apigateway.send(new CreateUsagePlanCommand({ name: `kerr-${unique()}` }));
    const k = await gh.apigateway.send(new CreateApiKeyCommand({ name: 'k' }));
    assert.deepEqual(await awsError(() => gh.apigateway.send(new CreateUsagePlanKeyCommand({ usagePlanId: p.id!, keyId: 'nokey', keyType: 'API_KEY' }))), {
      name: 'NotFoundException',
      message: 'Invalid API Key identifier specified',
      status: 404,
    });
    await gh.apigateway.send(new CreateUsagePlanKeyCommand({ usagePlanId: p.id!, keyId: k.id!, keyType: 'API_KEY' }));
    assert.equal((await awsError(() => gh.apigateway.send(new CreateUsagePlanKeyCommand({ usagePlanId: p.id!, keyId: k.id!, keyType: 'API_KEY' })))).status, 409);
    assert.equal((await awsError(() => gh.apigateway.send(new CreateUsagePlanKeyCommand({ usagePlanId: p.id!, keyId: k.id!, keyType: 'OTHER' })))).name, 'BadRequestException');
    // AWS lists no keys for an unknown plan rather than answering 404 (recorded: get-up-keys-bad-usage-plan, LocalStack's
    // AWS-validated tests/aws/services/apigateway/test_apigateway_extended.snapshot.json, test_get_usage_plan_api_keys).
    const unknown = await gh.apigateway.send(new GetUsagePlanKeysCommand({ usagePlanId: 'bad-id' }));
    assert.equal(unknown.$metadata.httpStatusCode, 200);
    assert.deepEqual(unknown.items, []);
    assert.equal(unknown.position, undefined);
  });

  test('a key cannot be in two plans that share an API stage', async () => {
    const { apiId } = await deployedApi(gh.apigateway, 'dev');
    const p1 = await gh.apigateway.send(new CreateUsagePlanCommand({ name: `s1-${unique()}`, apiStages: [{ apiId, stage: 'dev' }] }));
    const p2 = await gh.apigateway.send(new CreateUsagePlanCommand({ name: `s2-${unique()}`, apiStages: [{ apiId, stage: 'dev' }] }));
    const p3 = await gh.apigateway.send(new CreateUsagePlanCommand({ name: `s3-${unique()}` }));
    const k = await gh.apigateway.send(new CreateApiKeyCommand({ name: 'shared' }));
    await gh.apigateway.send(new CreateUsagePlanKeyCommand({ usagePlanId: p1.id!, keyId: k.id!, keyType: 'API_KEY' }));
    assert.deepEqual(await awsError(() => gh.apigateway.send(new CreateUsagePlanKeyCommand({ usagePlanId: p2.id!, keyId: k.id!, keyType: 'API_KEY' }))), {
      name: 'BadRequestException',
      message: `Usage Plan ${p2.id} cannot be added because API Key ${k.id} cannot reference multiple Usage Plans with the same API Stage: ${apiId}:dev`,
      status: 400,
    });
    // Adding the shared stage to a plan the key is already in is refused the same way.
    await gh.apigateway.send(new CreateUsagePlanKeyCommand({ usagePlanId: p3.id!, keyId: k.id!, keyType: 'API_KEY' }));
    assert.equal((await awsError(() => patch(p3.id!, [{ op: 'add', path: '/apiStages', value: `${apiId}:dev` }]))).name, 'BadRequestException');
  });
});

describe('stages leaving usage plans', () => {
  // Deleting a stage disconnects it from its usage plans on AWS (Terraform maintainers' account of AWS behaviour,
  // hashicorp/terraform-provider-aws#14100), so the plan no longer lists it and can then be deleted.
  test('DeleteStage takes the stage out of every usage plan that lists it', async () => {
    const { apiId } = await deployedApi(gh.apigateway, 'dev');
    await gh.apigateway.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'prod' }));
    const p = await gh.apigateway.send(
      new CreateUsagePlanCommand({ name: `gone-${unique()}`, apiStages: [{ apiId, stage: 'dev' }, { apiId, stage: 'prod' }] }),
    );
    await gh.apigateway.send(new DeleteStageCommand({ restApiId: apiId, stageName: 'dev' }));
    const g = await gh.apigateway.send(new GetUsagePlanCommand({ usagePlanId: p.id! }));
    assert.deepEqual(g.apiStages, [{ apiId, stage: 'prod' }]);
    await gh.apigateway.send(new DeleteStageCommand({ restApiId: apiId, stageName: 'prod' }));
    const d = await gh.apigateway.send(new DeleteUsagePlanCommand({ usagePlanId: p.id! }));
    assert.equal(d.$metadata.httpStatusCode, 202);
  });
});

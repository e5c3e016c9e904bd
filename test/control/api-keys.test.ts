import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateApiKeyCommand,
  CreateUsagePlanCommand,
  DeleteApiKeyCommand,
  GetApiKeyCommand,
  GetApiKeysCommand,
  GetUsagePlanKeysCommand,
  CreateUsagePlanKeyCommand,
  ImportApiKeysCommand,
  UpdateApiKeyCommand,
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

describe('CreateApiKey / GetApiKey', () => {
  test('generates a 40-character value, disabled unless enabled=true, and hides the value unless asked', async () => {
    const k = await gh.apigateway.send(new CreateApiKeyCommand({ name: `gen-${unique()}`, description: 'd', customerId: 'c1', tags: { t: 'v' } }));
    assert.equal(k.$metadata.httpStatusCode, 201);
    assert.match(k.id!, /^[a-z0-9]{10}$/);
    assert.match(k.value!, /^[A-Za-z0-9]{40}$/);
    // AWS: "enabled: Specifies whether the ApiKey can be used by callers" defaults to false (CreateApiKey reference).
    assert.equal(k.enabled, false);
    assert.deepEqual(k.stageKeys, []);
    assert.equal(k.customerId, 'c1');
    assert.deepEqual(k.tags, { t: 'v' });
    assert.ok(k.createdDate instanceof Date && k.lastUpdatedDate instanceof Date);

    const hidden = await gh.apigateway.send(new GetApiKeyCommand({ apiKey: k.id! }));
    assert.equal(hidden.value, undefined);
    assert.equal(hidden.name, k.name);
    const shown = await gh.apigateway.send(new GetApiKeyCommand({ apiKey: k.id!, includeValue: true }));
    assert.equal(shown.value, k.value);
  });

  test('a given value must have at least 20 characters and be unique', async () => {
    assert.deepEqual(await awsError(() => gh.apigateway.send(new CreateApiKeyCommand({ name: 'short', value: 'x'.repeat(19) }))), {
      name: 'BadRequestException',
      message: 'API Key value should be at least 20 characters',
      status: 400,
    });
    const value = `value-${unique()}-0123456789abcdef`;
    const k = await gh.apigateway.send(new CreateApiKeyCommand({ name: 'given', value, enabled: true }));
    assert.equal(k.value, value);
    assert.equal(k.enabled, true);
    assert.deepEqual(await awsError(() => gh.apigateway.send(new CreateApiKeyCommand({ name: 'dup', value }))), {
      name: 'ConflictException',
      message: 'API Key already exists',
      status: 409,
    });
  });

  test('stage keys must name an existing stage', async () => {
    const { apiId } = await deployedApi(gh.apigateway, 'dev');
    const k = await gh.apigateway.send(new CreateApiKeyCommand({ name: 'sk', stageKeys: [{ restApiId: apiId, stageName: 'dev' }] }));
    assert.deepEqual(k.stageKeys, [`${apiId}/dev`]);
    const err = await awsError(() => gh.apigateway.send(new CreateApiKeyCommand({ name: 'sk2', stageKeys: [{ restApiId: apiId, stageName: 'nope' }] })));
    assert.equal(err.name, 'BadRequestException');
  });

  test('unknown key is a 404', async () => {
    assert.deepEqual(await awsError(() => gh.apigateway.send(new GetApiKeyCommand({ apiKey: 'nokey' }))), {
      name: 'NotFoundException',
      message: 'Invalid API Key identifier specified',
      status: 404,
    });
  });
});

describe('GetApiKeys', () => {
  test('filters by name prefix and customerId, pages, and includes values only with includeValues', async () => {
    const prefix = `list-${unique()}`;
    for (const n of ['a', 'b', 'c']) {
      await gh.apigateway.send(new CreateApiKeyCommand({ name: `${prefix}-${n}`, customerId: n === 'b' ? `cust-${prefix}` : undefined }));
    }
    const p1 = await gh.apigateway.send(new GetApiKeysCommand({ nameQuery: prefix, limit: 2 }));
    assert.deepEqual(p1.items!.map((k) => k.name), [`${prefix}-a`, `${prefix}-b`]);
    assert.ok(p1.position);
    assert.ok(p1.items!.every((k) => k.value === undefined));
    const p2 = await gh.apigateway.send(new GetApiKeysCommand({ nameQuery: prefix, limit: 2, position: p1.position, includeValues: true }));
    assert.deepEqual(p2.items!.map((k) => k.name), [`${prefix}-c`]);
    assert.equal(p2.position, undefined);
    assert.match(p2.items![0]!.value!, /^[A-Za-z0-9]{40}$/);
    const byCustomer = await gh.apigateway.send(new GetApiKeysCommand({ customerId: `cust-${prefix}` }));
    assert.deepEqual(byCustomer.items!.map((k) => k.name), [`${prefix}-b`]);
  });
});

describe('UpdateApiKey / DeleteApiKey', () => {
  test('patches name, description, enabled, customerId and stages', async () => {
    const { apiId } = await deployedApi(gh.apigateway, 'dev');
    const k = await gh.apigateway.send(new CreateApiKeyCommand({ name: 'before' }));
    const u = await gh.apigateway.send(
      new UpdateApiKeyCommand({
        apiKey: k.id!,
        patchOperations: [
          { op: 'replace', path: '/name', value: 'after' },
          { op: 'replace', path: '/description', value: 'desc' },
          { op: 'replace', path: '/enabled', value: 'true' },
          { op: 'replace', path: '/customerId', value: 'cust' },
          { op: 'add', path: '/stages', value: `${apiId}/dev` },
        ],
      }),
    );
    assert.equal(u.name, 'after');
    assert.equal(u.description, 'desc');
    assert.equal(u.enabled, true);
    assert.equal(u.customerId, 'cust');
    assert.deepEqual(u.stageKeys, [`${apiId}/dev`]);
    assert.equal(u.value, undefined);
    const r = await gh.apigateway.send(new UpdateApiKeyCommand({ apiKey: k.id!, patchOperations: [{ op: 'remove', path: '/stages', value: `${apiId}/dev` }] }));
    assert.deepEqual(r.stageKeys, []);
    const err = await awsError(() => gh.apigateway.send(new UpdateApiKeyCommand({ apiKey: k.id!, patchOperations: [{ op: 'replace', path: '/value', value: 'x'.repeat(30) }] })));
    assert.equal(err.name, 'BadRequestException');
    assert.match(err.message, /^Invalid patch path/);
  });

  test('deleting a key answers 202 and removes it from its usage plans', async () => {
    const k = await gh.apigateway.send(new CreateApiKeyCommand({ name: 'doomed' }));
    const plan = await gh.apigateway.send(new CreateUsagePlanCommand({ name: `p-${unique()}` }));
    await gh.apigateway.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: k.id!, keyType: 'API_KEY' }));
    const d = await gh.apigateway.send(new DeleteApiKeyCommand({ apiKey: k.id! }));
    assert.equal(d.$metadata.httpStatusCode, 202);
    const keys = await gh.apigateway.send(new GetUsagePlanKeysCommand({ usagePlanId: plan.id! }));
    assert.deepEqual(keys.items, []);
    assert.equal((await awsError(() => gh.apigateway.send(new DeleteApiKeyCommand({ apiKey: k.id! })))).status, 404);
  });
});

// Each case below is recorded on AWS in LocalStack's AWS-validated
// tests/aws/services/apigateway/test_apigateway_extended.snapshot.json (test name and snapshot key in each test).
describe('API-key validation as recorded on AWS', () => {
  test('a name of more than 1,024 characters is refused; an empty name is no name (test_create_api_key_with_invalid_name)', async () => {
    assert.deepEqual(await awsError(() => gh.apigateway.send(new CreateApiKeyCommand({ name: 'a'.repeat(1025) }))), {
      name: 'BadRequestException',
      message: 'Invalid API Key name, can be at most 1024 characters.',
      status: 400,
    });
    const longest = await gh.apigateway.send(new CreateApiKeyCommand({ name: 'a'.repeat(1024) }));
    assert.equal(longest.name, 'a'.repeat(1024));
    // create-api-key-empty-name: 201 and the key has no `name` at all.
    const empty = await gh.apigateway.send(new CreateApiKeyCommand({ name: '' }));
    assert.equal(empty.$metadata.httpStatusCode, 201);
    assert.equal(empty.name, undefined);
    assert.equal((await gh.apigateway.send(new GetApiKeyCommand({ apiKey: empty.id! }))).name, undefined);
    assert.deepEqual(
      await awsError(() => gh.apigateway.send(new UpdateApiKeyCommand({ apiKey: empty.id!, patchOperations: [{ op: 'replace', path: '/name', value: 'b'.repeat(1025) }] }))),
      { name: 'BadRequestException', message: 'Invalid API Key name, can be at most 1024 characters.', status: 400 },
    );
  });

  test('values: an empty one is generated, too short and too long refused with AWS texts (test_create_api_key_with_invalid_value)', async () => {
    const generated = await gh.apigateway.send(new CreateApiKeyCommand({ value: '' }));
    assert.equal(generated.$metadata.httpStatusCode, 201);
    assert.match(generated.value!, /^[A-Za-z0-9]{40}$/);
    assert.deepEqual(await awsError(() => gh.apigateway.send(new CreateApiKeyCommand({ value: 'short' }))), {
      name: 'BadRequestException',
      message: 'API Key value should be at least 20 characters',
      status: 400,
    });
    assert.deepEqual(await awsError(() => gh.apigateway.send(new CreateApiKeyCommand({ value: 'a'.repeat(129) }))), {
      name: 'BadRequestException',
      message: 'API Key value exceeds maximum size of 128 characters',
      status: 400,
    });
  });

  test('a description of more than 125,000 characters is refused on create and update (test_update_api_key_invalid_description_length)', async () => {
    const refused = { name: 'BadRequestException', message: 'Invalid API Key description specified.', status: 400 };
    assert.deepEqual(await awsError(() => gh.apigateway.send(new CreateApiKeyCommand({ description: 'a'.repeat(125001) }))), refused);
    const k = await gh.apigateway.send(new CreateApiKeyCommand({ description: 'a'.repeat(125000) }));
    assert.equal(k.description!.length, 125000);
    assert.deepEqual(
      await awsError(() => gh.apigateway.send(new UpdateApiKeyCommand({ apiKey: k.id!, patchOperations: [{ op: 'replace', path: '/description', value: 'a'.repeat(125001) }] }))),
      refused,
    );
  });

  test('enabled is read as Java reads a boolean: True is true, anything else false (test_update_api_key_invalid_enabled_type)', async () => {
    const k = await gh.apigateway.send(new CreateApiKeyCommand({ enabled: true }));
    const off = await gh.apigateway.send(new UpdateApiKeyCommand({ apiKey: k.id!, patchOperations: [{ op: 'replace', path: '/enabled', value: 'not-a-boolean' }] }));
    assert.equal(off.$metadata.httpStatusCode, 200);
    assert.equal(off.enabled, false);
    // UpdateApiKey answers with a tags map even when the key has none (update-api-key-invalid-enabled-type).
    assert.deepEqual(off.tags, {});
    // The developer guide's CLI examples send `value=True`.
    const on = await gh.apigateway.send(new UpdateApiKeyCommand({ apiKey: k.id!, patchOperations: [{ op: 'replace', path: '/enabled', value: 'True' }] }));
    assert.equal(on.enabled, true);
  });

  test('an immutable path names the allowed ones in AWS order (test_update_api_key_immutable_field)', async () => {
    const k = await gh.apigateway.send(new CreateApiKeyCommand({}));
    assert.deepEqual(await awsError(() => gh.apigateway.send(new UpdateApiKeyCommand({ apiKey: k.id!, patchOperations: [{ op: 'replace', path: '/id', value: 'new-id' }] }))), {
      name: 'BadRequestException',
      message: "Invalid patch path  '/id' specified for op 'replace'. Must be one of: [/description, /enabled, /name, /customerId]",
      status: 400,
    });
  });

  test('limit=-1 lists with the default page size (test_negative_get_usage_plan_api_keys: get-api-keys-invalid-limit)', async () => {
    const r = await gh.apigateway.send(new GetApiKeysCommand({ limit: -1 }));
    assert.equal(r.$metadata.httpStatusCode, 200);
    assert.ok(r.items!.length > 0 && r.items!.length <= 25);
  });
});

describe('ImportApiKeys (CSV)', () => {
  test('imports keys with any header case and order, Enabled defaulting to true, with usage plans', async () => {
    const plan = await gh.apigateway.send(new CreateUsagePlanCommand({ name: `import-${unique()}` }));
    const v1 = `import-${unique()}-aaaaaaaaaaaaaaaa`;
    const v2 = `import-${unique()}-bbbbbbbbbbbbbbbb`;
    const csv = `key,NAME,description,Enabled,UsagePlanIds\n${v1},imported-1,"first, with comma",,"${plan.id}"\n${v2},imported-2,,FALSE,\n`;
    const r = await gh.apigateway.send(new ImportApiKeysCommand({ format: 'csv', body: Buffer.from(csv) }));
    assert.equal(r.$metadata.httpStatusCode, 201);
    assert.equal(r.ids!.length, 2);
    assert.equal(r.warnings, undefined);
    const k1 = await gh.apigateway.send(new GetApiKeyCommand({ apiKey: r.ids![0]!, includeValue: true }));
    assert.equal(k1.name, 'imported-1');
    assert.equal(k1.value, v1);
    assert.equal(k1.description, 'first, with comma');
    assert.equal(k1.enabled, true);
    const k2 = await gh.apigateway.send(new GetApiKeyCommand({ apiKey: r.ids![1]! }));
    assert.equal(k2.enabled, false);
    const planKeys = await gh.apigateway.send(new GetUsagePlanKeysCommand({ usagePlanId: plan.id! }));
    assert.deepEqual(planKeys.items!.map((k) => k.id), [r.ids![0]]);
  });

  test('bad rows become warnings; failOnWarnings fails the import and stores nothing', async () => {
    const good = `warn-${unique()}-cccccccccccccccc`;
    const csv = `Name,Key,Description\nok,${good},\nshort,tooshort,\nwordy,${good}-wordy,${'d'.repeat(125001)}\n`;
    const failed = await awsError(() => gh.apigateway.send(new ImportApiKeysCommand({ format: 'csv', failOnWarnings: true, body: Buffer.from(csv) })));
    assert.equal(failed.name, 'BadRequestException');
    assert.equal(failed.status, 400);
    const none = await gh.apigateway.send(new GetApiKeysCommand({ nameQuery: 'ok', includeValues: true }));
    assert.ok(!none.items!.some((k) => k.value === good));

    const r = await gh.apigateway.send(new ImportApiKeysCommand({ format: 'csv', body: Buffer.from(csv) }));
    assert.equal(r.ids!.length, 1);
    // The same limits as CreateApiKey (1,024-character names, 125,000-character descriptions).
    assert.deepEqual(r.warnings, ['Line 3: API key value must be between 20 and 128 characters', 'Line 4: API key description must be at most 125000 characters']);
  });

  test('re-importing a key value overwrites that key; unknown columns are ignored; single quotes work', async () => {
    // Developer guide, "API Gateway API key file format": identical key values overwrite, unrecognized columns are
    // ignored, UsagePlanIds may be in double or single quotes.
    const p1 = await gh.apigateway.send(new CreateUsagePlanCommand({ name: `q1-${unique()}` }));
    const p2 = await gh.apigateway.send(new CreateUsagePlanCommand({ name: `q2-${unique()}` }));
    const value = `again-${unique()}-dddddddddddddddd`;
    const first = await gh.apigateway.send(new ImportApiKeysCommand({ format: 'csv', body: Buffer.from(`name,key,color\nv1,${value},red\n`) }));
    const second = await gh.apigateway.send(
      new ImportApiKeysCommand({ format: 'csv', body: Buffer.from(`Key,Name,Description,Enabled,UsagePlanIds\n${value},v2,second,false,'${p1.id},${p2.id}'\n`) }),
    );
    assert.deepEqual(second.ids, first.ids);
    const k = await gh.apigateway.send(new GetApiKeyCommand({ apiKey: first.ids![0]! }));
    assert.equal(k.name, 'v2');
    assert.equal(k.description, 'second');
    assert.equal(k.enabled, false);
    for (const p of [p1, p2]) {
      const keys = await gh.apigateway.send(new GetUsagePlanKeysCommand({ usagePlanId: p.id! }));
      assert.deepEqual(keys.items!.map((x) => x.id), first.ids);
    }
  });

  test('a header without Name or Key is refused', async () => {
    const err = await awsError(() => gh.apigateway.send(new ImportApiKeysCommand({ format: 'csv', body: Buffer.from('Name,Description\na,b\n') })));
    assert.deepEqual(err, { name: 'BadRequestException', message: 'Invalid API key CSV header: the Key column is required', status: 400 });
  });
});

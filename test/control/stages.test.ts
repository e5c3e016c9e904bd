import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateDeploymentCommand,
  CreateStageCommand,
  DeleteStageCommand,
  GetStageCommand,
  GetStagesCommand,
  UpdateStageCommand,
  type PatchOperation,
} from '@aws-sdk/client-api-gateway';
import { sigv4Headers, startGatehouse, type Running } from '../helpers/gatehouse.ts';
import { awsError, deployedApi } from './deployable-api.ts';

let gh: Running;
before(async () => {
  gh = await startGatehouse();
});
after(async () => {
  await gh.stop();
});

const update = (restApiId: string, stageName: string, patchOperations: PatchOperation[]) =>
  gh.apigateway.send(new UpdateStageCommand({ restApiId, stageName, patchOperations }));

// What a method setting holds when first created, per the `aws apigateway update-stage` examples in the AWS CLI
// reference (https://docs.aws.amazon.com/cli/latest/reference/apigateway/update-stage.html).
const DEFAULT_SETTING = {
  metricsEnabled: false,
  dataTraceEnabled: false,
  throttlingBurstLimit: 5000,
  throttlingRateLimit: 10000,
  cachingEnabled: false,
  cacheTtlInSeconds: 300,
  cacheDataEncrypted: false,
  requireAuthorizationForCacheControl: true,
  unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
};

describe('CreateStage / GetStage / GetStages / DeleteStage', () => {
  test('creates a stage with AWS defaults and returns it as GetStage does', async () => {
    const { apiId, deploymentId } = await deployedApi(gh.apigateway);
    const s = await gh.apigateway.send(
      new CreateStageCommand({ restApiId: apiId, stageName: 'qa_1-x', deploymentId, description: 'qa', variables: { url: 'example.com/x' }, tags: { team: 'a' } }),
    );
    assert.equal(s.$metadata.httpStatusCode, 201);
    assert.equal(s.stageName, 'qa_1-x');
    assert.equal(s.deploymentId, deploymentId);
    assert.equal(s.description, 'qa');
    assert.deepEqual(s.variables, { url: 'example.com/x' });
    assert.deepEqual(s.tags, { team: 'a' });
    assert.equal(s.cacheClusterEnabled, false);
    assert.equal(s.cacheClusterStatus, 'NOT_AVAILABLE');
    assert.equal(s.tracingEnabled, false);
    // AWS shows an empty methodSettings map on a new stage (recorded: localstack
    // tests/aws/services/apigateway/test_apigateway_common.snapshot.json, TestStages::test_create_update_stages).
    assert.deepEqual(s.methodSettings, {});
    assert.ok(s.createdDate instanceof Date && s.lastUpdatedDate instanceof Date);
    const g = await gh.apigateway.send(new GetStageCommand({ restApiId: apiId, stageName: 'qa_1-x' }));
    const { $metadata: _a, ...got } = g;
    const { $metadata: _b, ...made } = s;
    assert.deepEqual(got, made);
  });

  test('a cache cluster defaults to size 0.5', async () => {
    const { apiId, deploymentId } = await deployedApi(gh.apigateway);
    const s = await gh.apigateway.send(new CreateStageCommand({ restApiId: apiId, stageName: 'cached', deploymentId, cacheClusterEnabled: true }));
    assert.equal(s.cacheClusterEnabled, true);
    assert.equal(s.cacheClusterSize, '0.5');
    // Being created, as on AWS (then AVAILABLE: test/execute/stage-cache.test.ts).
    assert.equal(s.cacheClusterStatus, 'CREATE_IN_PROGRESS');
  });

  test('errors: existing stage 409, unknown deployment 400, bad name 400, unknown API 404', async () => {
    const { apiId, deploymentId } = await deployedApi(gh.apigateway, 'dev');
    assert.deepEqual(await awsError(() => gh.apigateway.send(new CreateStageCommand({ restApiId: apiId, stageName: 'dev', deploymentId }))), {
      name: 'ConflictException',
      message: 'Stage already exists',
      status: 409,
    });
    // As AWS answers it (Terraform report quoted in aws/chalice#1839).
    assert.deepEqual(await awsError(() => gh.apigateway.send(new CreateStageCommand({ restApiId: apiId, stageName: 'x', deploymentId: 'zzzzzz' }))), {
      name: 'BadRequestException',
      message: 'Deployment id does not exist',
      status: 400,
    });
    assert.deepEqual(await awsError(() => gh.apigateway.send(new CreateStageCommand({ restApiId: apiId, stageName: 'a.b', deploymentId }))), {
      name: 'BadRequestException',
      message: 'Stage name only allows a-zA-Z0-9_-',
      status: 400,
    });
    assert.deepEqual(await awsError(() => gh.apigateway.send(new GetStageCommand({ restApiId: 'nope', stageName: 'dev' }))), {
      name: 'NotFoundException',
      message: 'Invalid API identifier specified 123456789012:nope',
      status: 404,
    });
    // AWS's texts as users quote them (serverless/serverless#6133, sirceljm/aws-lambda-blog#10).
    assert.deepEqual(await awsError(() => gh.apigateway.send(new CreateStageCommand({ restApiId: apiId, stageName: 'v', deploymentId, variables: { 'owner:app': 'x' } }))), {
      name: 'BadRequestException',
      message: 'Invalid stage variable name: owner:app.  Please use names with only word characters.',
      status: 400,
    });
    assert.deepEqual(await awsError(() => gh.apigateway.send(new CreateStageCommand({ restApiId: apiId, stageName: 'v', deploymentId, variables: { a: '' } }))), {
      name: 'BadRequestException',
      message: "Invalid stage variable value: .  Please use values with alphanumeric characters and the symbols ' ', -', '.', '_', ':', '/', '?', '&', '=', and ','.",
      status: 400,
    });
  });

  test('GetStages lists every stage as `item`, filtered by deploymentId', async () => {
    const { apiId, deploymentId } = await deployedApi(gh.apigateway, 'one');
    const d2 = await gh.apigateway.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'two' }));
    const all = await gh.apigateway.send(new GetStagesCommand({ restApiId: apiId }));
    assert.deepEqual(all.item!.map((s) => s.stageName).sort(), ['one', 'two']);
    const filtered = await gh.apigateway.send(new GetStagesCommand({ restApiId: apiId, deploymentId: d2.id! }));
    assert.deepEqual(filtered.item!.map((s) => s.stageName), ['two']);
    const raw = await fetch(`${gh.endpoint}/restapis/${apiId}/stages?deploymentId=${deploymentId}`, {
      headers: sigv4Headers(),
    });
    assert.equal(raw.status, 200);
    const body = (await raw.json()) as { item: Array<{ stageName: string }>; position?: string };
    assert.deepEqual(body.item.map((s) => s.stageName), ['one']);
    assert.equal(body.position, undefined);
  });

  test('wire format: epoch-second dates, methodSettings as a JSON map, AWS-shaped errors', async () => {
    const { apiId } = await deployedApi(gh.apigateway, 'wire');
    await update(apiId, 'wire', [{ op: 'replace', path: '/*/*/metrics/enabled', value: 'true' }]);
    const headers = sigv4Headers();
    const ok = await fetch(`${gh.endpoint}/restapis/${apiId}/stages/wire`, { headers });
    assert.equal(ok.status, 200);
    const body = (await ok.json()) as Record<string, any>;
    assert.equal(typeof body.createdDate, 'number');
    assert.ok(Math.abs(body.createdDate - Date.now() / 1000) < 600);
    assert.deepEqual(body.methodSettings['*/*'], { ...DEFAULT_SETTING, metricsEnabled: true });
    const missing = await fetch(`${gh.endpoint}/restapis/${apiId}/stages/nope`, { headers });
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get('x-amzn-errortype'), 'NotFoundException');
    assert.deepEqual(await missing.json(), { message: 'Invalid stage identifier specified' });
  });

  test('DeleteStage answers 202, then 404 for the gone stage', async () => {
    const { apiId } = await deployedApi(gh.apigateway, 'gone');
    const r = await gh.apigateway.send(new DeleteStageCommand({ restApiId: apiId, stageName: 'gone' }));
    assert.equal(r.$metadata.httpStatusCode, 202);
    assert.deepEqual(await awsError(() => gh.apigateway.send(new GetStageCommand({ restApiId: apiId, stageName: 'gone' }))), {
      name: 'NotFoundException',
      message: 'Invalid stage identifier specified',
      status: 404,
    });
    assert.deepEqual(await awsError(() => gh.apigateway.send(new DeleteStageCommand({ restApiId: apiId, stageName: 'gone' }))), {
      name: 'NotFoundException',
      message: 'Invalid stage identifier specified',
      status: 404,
    });
  });
});

describe('UpdateStage method settings', () => {
  test('`*/*` and per-method settings are keyed as AWS returns them, with defaults filled in', async () => {
    const { apiId } = await deployedApi(gh.apigateway);
    const s = await update(apiId, 'dev', [
      { op: 'replace', path: '/*/*/logging/dataTrace', value: 'true' },
      { op: 'replace', path: '/*/*/logging/loglevel', value: 'ERROR' },
      { op: 'replace', path: '/~1pets/GET/throttling/rateLimit', value: '12.5' },
      { op: 'replace', path: '/~1pets/GET/throttling/burstLimit', value: '7' },
      { op: 'replace', path: '/~1pets/GET/caching/enabled', value: 'true' },
      { op: 'replace', path: '/~1pets/GET/caching/ttlInSeconds', value: '60' },
      { op: 'replace', path: '/~1pets/GET/caching/dataEncrypted', value: 'true' },
      { op: 'replace', path: '/~1pets/GET/caching/requireAuthorizationForCacheControl', value: 'false' },
      { op: 'replace', path: '/~1pets/GET/caching/unauthorizedCacheControlHeaderStrategy', value: 'FAIL_WITH_403' },
      { op: 'replace', path: '/~1/GET/metrics/enabled', value: 'true' },
    ]);
    // Per-method settings created after `*/*` in the same call start from it (see the test_create_update_stages test).
    const stageWide = { ...DEFAULT_SETTING, dataTraceEnabled: true, loggingLevel: 'ERROR' };
    assert.deepEqual(s.methodSettings, {
      '*/*': stageWide,
      '~1pets/GET': {
        ...stageWide,
        throttlingRateLimit: 12.5,
        throttlingBurstLimit: 7,
        cachingEnabled: true,
        cacheTtlInSeconds: 60,
        cacheDataEncrypted: true,
        requireAuthorizationForCacheControl: false,
        unauthorizedCacheControlHeaderStrategy: 'FAIL_WITH_403',
      },
      '~1/GET': { ...stageWide, metricsEnabled: true },
    });
    const g = await gh.apigateway.send(new GetStageCommand({ restApiId: apiId, stageName: 'dev' }));
    assert.deepEqual(g.methodSettings, s.methodSettings);
    assert.ok(g.lastUpdatedDate!.getTime() >= g.createdDate!.getTime());
  });

  test('a plain (unencoded) resource path is kept verbatim as the key, as Terraform relies on', async () => {
    // Terraform's aws_api_gateway_method_settings sends `/{method_path}/...` and reads methodSettings[method_path].
    const { apiId } = await deployedApi(gh.apigateway);
    const s = await update(apiId, 'dev', [
      { op: 'replace', path: '/pets/{id}/GET/throttling/burstLimit', value: '-1' },
      { op: 'replace', path: '/pets/{id}/GET/throttling/rateLimit', value: '-1' },
    ]);
    assert.deepEqual(s.methodSettings, { 'pets/{id}/GET': { ...DEFAULT_SETTING, throttlingBurstLimit: -1, throttlingRateLimit: -1 } });
    const removed = await update(apiId, 'dev', [{ op: 'remove', path: '/pets/{id}/GET' }]);
    assert.deepEqual(removed.methodSettings, {});
  });

  test('single settings cannot be removed, only whole method settings', async () => {
    const { apiId } = await deployedApi(gh.apigateway);
    await update(apiId, 'dev', [{ op: 'replace', path: '/*/*/throttling/rateLimit', value: '5' }]);
    assert.deepEqual(await awsError(() => update(apiId, 'dev', [{ op: 'remove', path: '/*/*/throttling/rateLimit' }])), {
      name: 'BadRequestException',
      message: 'Cannot remove method setting */*/throttling/rateLimit because there is no method setting for this method ',
      status: 400,
    });
  });

  test('removing a whole method setting, and AWS\'s text when there is none', async () => {
    const { apiId } = await deployedApi(gh.apigateway);
    await update(apiId, 'dev', [{ op: 'replace', path: '/*/*/metrics/enabled', value: 'true' }]);
    // Back to an empty map, as recorded on AWS (localstack test_apigateway_common.snapshot.json,
    // TestStages::test_update_stage_remove_wildcard, update-stage-reset).
    const s = await update(apiId, 'dev', [{ op: 'remove', path: '/*/*' }]);
    assert.deepEqual(s.methodSettings, {});
    assert.deepEqual(await awsError(() => update(apiId, 'dev', [{ op: 'remove', path: '/*/*' }])), {
      name: 'BadRequestException',
      message: 'Cannot remove method setting */* because there is no method setting for this method ',
      status: 400,
    });
  });

  test('rejects ANY, a lone wildcard, unknown settings and bad values', async () => {
    const { apiId } = await deployedApi(gh.apigateway);
    for (const path of ['/~1pets/ANY/caching/enabled', '/~1pets/*/metrics/enabled', '/*/GET/metrics/enabled', '/~1pets/GET/metrics/bogus', '/~1pets/GET/metrics']) {
      const err = await awsError(() => update(apiId, 'dev', [{ op: 'replace', path, value: 'true' }]));
      assert.equal(err.name, 'BadRequestException', path);
      assert.ok(err.message.startsWith(`Invalid method setting path: ${path}. Must be one of: [/deploymentId, /description,`), err.message);
    }
    assert.equal((await awsError(() => update(apiId, 'dev', [{ op: 'replace', path: '/*/*/logging/loglevel', value: 'DEBUG' }]))).name, 'BadRequestException');
    assert.equal((await awsError(() => update(apiId, 'dev', [{ op: 'replace', path: '/*/*/caching/ttlInSeconds', value: '3601' }]))).name, 'BadRequestException');
    assert.equal(
      (await awsError(() => update(apiId, 'dev', [{ op: 'replace', path: '/*/*/caching/unauthorizedCacheControlHeaderStrategy', value: 'NOPE' }]))).name,
      'BadRequestException',
    );
    // A failed update changes nothing.
    const g = await gh.apigateway.send(new GetStageCommand({ restApiId: apiId, stageName: 'dev' }));
    assert.deepEqual(g.methodSettings, {});
  });

  test('a new per-method setting starts from */* as it stands (recorded: test_create_update_stages)', async () => {
    // LocalStack's AWS-validated tests/aws/services/apigateway/test_apigateway_common.snapshot.json,
    // TestStages::test_create_update_stages: update-stage, then update-stage-override.
    const { apiId } = await deployedApi(gh.apigateway);
    const expected = (burst: number) => ({
      cacheDataEncrypted: false,
      cacheTtlInSeconds: 300,
      cachingEnabled: true,
      dataTraceEnabled: false,
      metricsEnabled: false,
      requireAuthorizationForCacheControl: true,
      throttlingBurstLimit: burst,
      throttlingRateLimit: 10000,
      unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
    });
    const s = await update(apiId, 'dev', [
      { op: 'replace', path: '/description', value: 'stage new' },
      { op: 'replace', path: '/variables/var1', value: 'test' },
      { op: 'replace', path: '/*/*/throttling/burstLimit', value: '123' },
      { op: 'replace', path: '/*/*/caching/enabled', value: 'true' },
      { op: 'replace', path: '/tracingEnabled', value: 'true' },
      { op: 'replace', path: '/test/GET/throttling/burstLimit', value: '124' },
    ]);
    // `test/GET` reports caching enabled, taken from `*/*` when it was created.
    assert.deepEqual(s.methodSettings, { '*/*': expected(123), 'test/GET': expected(124) });
    assert.equal(s.tracingEnabled, true);
    // Changing `*/*` afterwards leaves `test/GET` as it was (update-stage-override).
    const later = await update(apiId, 'dev', [{ op: 'replace', path: '/*/*/throttling/burstLimit', value: '100' }]);
    assert.deepEqual(later.methodSettings, { '*/*': expected(100), 'test/GET': expected(124) });
    const got = await gh.apigateway.send(new GetStageCommand({ restApiId: apiId, stageName: 'dev' }));
    assert.deepEqual(got.methodSettings, later.methodSettings);
  });

  test('boolean values are read as Java reads them: True is true, anything else false', async () => {
    // Boolean.parseBoolean semantics: the developer guide's CLI examples send `value=True`, and AWS answers 200 with
    // false for a value that is not a boolean (recorded for UpdateApiKey `/enabled` in LocalStack's AWS-validated
    // test_apigateway_extended.snapshot.json, test_update_api_key_invalid_enabled_type).
    const { apiId } = await deployedApi(gh.apigateway);
    const on = await update(apiId, 'dev', [
      { op: 'replace', path: '/*/*/metrics/enabled', value: 'True' },
      { op: 'replace', path: '/tracingEnabled', value: 'TRUE' },
    ]);
    assert.equal(on.methodSettings!['*/*']!.metricsEnabled, true);
    assert.equal(on.tracingEnabled, true);
    const off = await update(apiId, 'dev', [{ op: 'replace', path: '/*/*/metrics/enabled', value: 'yes' }]);
    assert.equal(off.methodSettings!['*/*']!.metricsEnabled, false);
    assert.equal(off.tracingEnabled, true);
  });

  test('the full invalid-path text lists the stage paths as AWS does', async () => {
    const { apiId } = await deployedApi(gh.apigateway);
    const err = await awsError(() => update(apiId, 'dev', [{ op: 'replace', path: '/bogus', value: 'x' }]));
    // Text recorded against AWS in localstack's snapshot tests (tests/aws/services/apigateway/test_apigateway_api.snapshot.json).
    assert.equal(
      err.message,
      'Invalid method setting path: /bogus. Must be one of: [/deploymentId, /description, /cacheClusterEnabled, /cacheClusterSize, /clientCertificateId, /accessLogSettings, /accessLogSettings/destinationArn, /accessLogSettings/format, /{resourcePath}/{httpMethod}/metrics/enabled, /{resourcePath}/{httpMethod}/logging/dataTrace, /{resourcePath}/{httpMethod}/logging/loglevel, /{resourcePath}/{httpMethod}/throttling/burstLimit/{resourcePath}/{httpMethod}/throttling/rateLimit/{resourcePath}/{httpMethod}/caching/ttlInSeconds, /{resourcePath}/{httpMethod}/caching/enabled, /{resourcePath}/{httpMethod}/caching/dataEncrypted, /{resourcePath}/{httpMethod}/caching/requireAuthorizationForCacheControl, /{resourcePath}/{httpMethod}/caching/unauthorizedCacheControlHeaderStrategy, /*/*/metrics/enabled, /*/*/logging/dataTrace, /*/*/logging/loglevel, /*/*/throttling/burstLimit /*/*/throttling/rateLimit /*/*/caching/ttlInSeconds, /*/*/caching/enabled, /*/*/caching/dataEncrypted, /*/*/caching/requireAuthorizationForCacheControl, /*/*/caching/unauthorizedCacheControlHeaderStrategy, /variables/{variable_name}, /tracingEnabled]',
    );
  });
});

describe('UpdateStage stage fields', () => {
  test('variables, description, tracing, cache cluster and access logs', async () => {
    const { apiId } = await deployedApi(gh.apigateway);
    let s = await update(apiId, 'dev', [
      { op: 'add', path: '/variables/a', value: 'one' },
      { op: 'replace', path: '/variables/b', value: 'two' },
      { op: 'replace', path: '/description', value: 'hello' },
      { op: 'replace', path: '/tracingEnabled', value: 'true' },
      { op: 'replace', path: '/cacheClusterEnabled', value: 'true' },
      { op: 'replace', path: '/cacheClusterSize', value: '6.1' },
      { op: 'replace', path: '/accessLogSettings/format', value: '$context.requestId' },
      { op: 'replace', path: '/accessLogSettings/destinationArn', value: 'arn:aws:logs:us-east-1:123456789012:log-group:access' },
    ]);
    assert.deepEqual(s.variables, { a: 'one', b: 'two' });
    assert.equal(s.description, 'hello');
    assert.equal(s.tracingEnabled, true);
    assert.equal(s.cacheClusterEnabled, true);
    assert.equal(s.cacheClusterSize, '6.1');
    assert.equal(s.cacheClusterStatus, 'CREATE_IN_PROGRESS');
    assert.deepEqual(s.accessLogSettings, { format: '$context.requestId', destinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:access' });

    s = await update(apiId, 'dev', [
      { op: 'remove', path: '/variables/a' },
      { op: 'remove', path: '/variables/b' },
      { op: 'remove', path: '/description' },
      { op: 'replace', path: '/cacheClusterEnabled', value: 'false' },
      { op: 'remove', path: '/accessLogSettings' },
    ]);
    assert.equal(s.variables, undefined);
    assert.equal(s.description, undefined);
    assert.equal(s.cacheClusterStatus, 'DELETE_IN_PROGRESS');
    assert.equal(s.accessLogSettings, undefined);
  });

  test('deploymentId must exist; cache size must be one of AWS\'s sizes; stage must exist', async () => {
    const { apiId } = await deployedApi(gh.apigateway);
    assert.deepEqual(await awsError(() => update(apiId, 'dev', [{ op: 'replace', path: '/deploymentId', value: 'nope00' }])), {
      name: 'BadRequestException',
      message: 'Deployment id does not exist',
      status: 400,
    });
    assert.equal((await awsError(() => update(apiId, 'dev', [{ op: 'replace', path: '/cacheClusterSize', value: '2' }]))).name, 'BadRequestException');
    assert.deepEqual(await awsError(() => update(apiId, 'missing', [{ op: 'replace', path: '/description', value: 'x' }])), {
      name: 'NotFoundException',
      message: 'Invalid stage identifier specified',
      status: 404,
    });
  });

  test('canary settings and promotion with copy', async () => {
    const { apiId, deploymentId } = await deployedApi(gh.apigateway);
    const d2 = await gh.apigateway.send(new CreateDeploymentCommand({ restApiId: apiId }));
    let s = await update(apiId, 'dev', [
      { op: 'replace', path: '/canarySettings/deploymentId', value: d2.id! },
      { op: 'replace', path: '/canarySettings/percentTraffic', value: '25' },
      { op: 'replace', path: '/canarySettings/stageVariableOverrides/color', value: 'blue' },
    ]);
    assert.equal(s.deploymentId, deploymentId);
    assert.deepEqual(s.canarySettings, { deploymentId: d2.id, percentTraffic: 25, useStageCache: false, stageVariableOverrides: { color: 'blue' } });
    assert.equal((await awsError(() => update(apiId, 'dev', [{ op: 'replace', path: '/canarySettings/percentTraffic', value: '101' }]))).name, 'BadRequestException');

    s = await update(apiId, 'dev', [
      { op: 'copy', from: '/canarySettings/deploymentId', path: '/deploymentId' },
      { op: 'copy', from: '/canarySettings/stageVariableOverrides', path: '/variables' },
      { op: 'remove', path: '/canarySettings' },
    ]);
    assert.equal(s.deploymentId, d2.id);
    assert.deepEqual(s.variables, { color: 'blue' });
    assert.equal(s.canarySettings, undefined);
    assert.deepEqual(await awsError(() => update(apiId, 'dev', [{ op: 'copy', from: '/canarySettings/deploymentId', path: '/deploymentId' }])), {
      name: 'BadRequestException',
      message: 'Promotion not available. Canary does not exist.',
      status: 400,
    });
  });

  // Recorded on AWS: localstack tests/aws/services/apigateway/test_apigateway_canary.snapshot.json,
  // TestStageCrudCanary::test_update_stage_canary_deployment_validation and test_create_canary_deployment_by_stage_update.
  test('canary members are set with replace only and removed only as a whole (AWS texts)', async () => {
    const { apiId, deploymentId } = await deployedApi(gh.apigateway);
    await gh.apigateway.send(
      new CreateDeploymentCommand({ restApiId: apiId, stageName: 'dev', canarySettings: { percentTraffic: 50, stageVariableOverrides: { testVar: 'canary' } } }),
    );
    assert.deepEqual(await awsError(() => update(apiId, 'dev', [{ op: 'remove', path: '/canarySettings/stageVariableOverrides' }])), {
      name: 'BadRequestException',
      message: 'Cannot remove method setting canarySettings/stageVariableOverrides because there is no method setting for this method ',
      status: 400,
    });
    assert.deepEqual(await awsError(() => update(apiId, 'dev', [{ op: 'remove', path: '/canarySettings/badPath' }])), {
      name: 'BadRequestException',
      message: 'Cannot remove method setting canarySettings/badPath because there is no method setting for this method ',
      status: 400,
    });
    const badReplace = await awsError(() => update(apiId, 'dev', [{ op: 'replace', path: '/canarySettings/badPath', value: 'badPath' }]));
    assert.equal(badReplace.name, 'BadRequestException');
    assert.ok(badReplace.message.startsWith('Invalid method setting path: /canarySettings/badPath. Must be one of: [/deploymentId,'), badReplace.message);
    // update-stage-canary-settings-bad-path-2: replacing the canary as a whole is an unknown path, named in full.
    assert.deepEqual(await awsError(() => update(apiId, 'dev', [{ op: 'replace', path: '/canarySettings', value: 'test' }])), {
      name: 'BadRequestException',
      message:
        "Invalid method setting path: /canarySettings. Must be one of: [/deploymentId, /description, /cacheClusterEnabled, /cacheClusterSize, /clientCertificateId, /accessLogSettings, /accessLogSettings/destinationArn, /accessLogSettings/format, /{resourcePath}/{httpMethod}/metrics/enabled, /{resourcePath}/{httpMethod}/logging/dataTrace, /{resourcePath}/{httpMethod}/logging/loglevel, /{resourcePath}/{httpMethod}/throttling/burstLimit/{resourcePath}/{httpMethod}/throttling/rateLimit/{resourcePath}/{httpMethod}/caching/ttlInSeconds, /{resourcePath}/{httpMethod}/caching/enabled, /{resourcePath}/{httpMethod}/caching/dataEncrypted, /{resourcePath}/{httpMethod}/caching/requireAuthorizationForCacheControl, /{resourcePath}/{httpMethod}/caching/unauthorizedCacheControlHeaderStrategy, /*/*/metrics/enabled, /*/*/logging/dataTrace, /*/*/logging/loglevel, /*/*/throttling/burstLimit /*/*/throttling/rateLimit /*/*/caching/ttlInSeconds, /*/*/caching/enabled, /*/*/caching/dataEncrypted, /*/*/caching/requireAuthorizationForCacheControl, /*/*/caching/unauthorizedCacheControlHeaderStrategy, /variables/{variable_name}, /tracingEnabled]",
      status: 400,
    });
    assert.deepEqual(await awsError(() => update(apiId, 'dev', [{ op: 'add', path: '/canarySettings/deploymentId', value: deploymentId }])), {
      name: 'BadRequestException',
      message: 'Invalid add operation with path: /canarySettings/deploymentId',
      status: 400,
    });
    // After removing the canary, replacing one member creates it again with the stage's deployment and defaults.
    const removed = await update(apiId, 'dev', [{ op: 'remove', path: '/canarySettings' }]);
    assert.equal(removed.canarySettings, undefined);
    const again = await update(apiId, 'dev', [{ op: 'replace', path: '/canarySettings/percentTraffic', value: '50' }]);
    assert.deepEqual(again.canarySettings, { deploymentId: again.deploymentId, percentTraffic: 50, useStageCache: false });
    assert.deepEqual(again.methodSettings, {});
  });
});

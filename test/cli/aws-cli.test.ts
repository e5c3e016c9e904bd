// The real `aws` CLI against Gatehouse, end to end: build an API, deploy it, patch its stage, tag it, and check
// that errors come back as the CLI's non-zero exit codes with AWS's error names.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { runAws, type CliResult } from '../helpers/aws-cli.ts';
import { startGatehouse, type Running } from '../helpers/gatehouse.ts';

let gh: Running;

before(async () => {
  gh = await startGatehouse();
});
after(async () => {
  await gh.stop();
});

/** `aws` from PATH: Debian's v2, or the old v1 where that is what the machine has. */
function aws(...args: string[]): Promise<CliResult> {
  return runAws({ endpoint: gh.endpoint, binary: 'aws' }, ...args);
}

test('aws apigateway: build, deploy, patch a stage, tag, and fail with AWS error codes', async () => {
  const api = await aws('apigateway', 'create-rest-api', '--name', 'cli-pets', '--description', 'from the CLI', '--tags', 'team=core');
  assert.equal(api.code, 0, api.stderr);
  assert.equal(api.json.name, 'cli-pets');
  assert.match(api.json.id, /^[a-z0-9]{10}$/);
  // CLI v1 prints the epoch seconds as sent, v2 an ISO date: either way it is now.
  const created = typeof api.json.createdDate === 'number' ? api.json.createdDate * 1000 : Date.parse(api.json.createdDate);
  assert.ok(Math.abs(created - Date.now()) < 60_000, `createdDate ${api.json.createdDate}`);
  const apiId: string = api.json.id;

  const resources = await aws('apigateway', 'get-resources', '--rest-api-id', apiId);
  assert.equal(resources.code, 0, resources.stderr);
  const root = resources.json.items.find((r: { path: string }) => r.path === '/');
  assert.ok(root);

  const pets = await aws('apigateway', 'create-resource', '--rest-api-id', apiId, '--parent-id', root.id, '--path-part', 'pets');
  assert.equal(pets.code, 0, pets.stderr);
  assert.equal(pets.json.path, '/pets');

  const method = await aws('apigateway', 'put-method', '--rest-api-id', apiId, '--resource-id', pets.json.id, '--http-method', 'GET', '--authorization-type', 'NONE');
  assert.equal(method.code, 0, method.stderr);
  assert.equal(method.json.httpMethod, 'GET');

  const integration = await aws(
    'apigateway', 'put-integration', '--rest-api-id', apiId, '--resource-id', pets.json.id, '--http-method', 'GET',
    '--type', 'MOCK', '--request-templates', '{"application/json":"{\\"statusCode\\": 200}"}',
  );
  assert.equal(integration.code, 0, integration.stderr);
  assert.equal(integration.json.type, 'MOCK');

  const deployment = await aws('apigateway', 'create-deployment', '--rest-api-id', apiId, '--stage-name', 'prod', '--description', 'first');
  assert.equal(deployment.code, 0, deployment.stderr);
  assert.match(deployment.json.id, /^[a-z0-9]{6}$/);

  const patched = await aws(
    'apigateway', 'update-stage', '--rest-api-id', apiId, '--stage-name', 'prod', '--patch-operations',
    'op=replace,path=/variables/backend,value=petstore.example.com',
    'op=replace,path=/*/*/throttling/rateLimit,value=100',
    'op=replace,path=/description,value=production',
  );
  assert.equal(patched.code, 0, patched.stderr);
  assert.deepEqual(patched.json.variables, { backend: 'petstore.example.com' });
  assert.equal(patched.json.description, 'production');
  assert.equal(patched.json.methodSettings['*/*'].throttlingRateLimit, 100);

  const stageArn = `arn:aws:apigateway:us-east-1::/restapis/${apiId}/stages/prod`;
  const tagged = await aws('apigateway', 'tag-resource', '--resource-arn', stageArn, '--tags', 'env=prod,owner=ops');
  assert.equal(tagged.code, 0, tagged.stderr);
  const tags = await aws('apigateway', 'get-tags', '--resource-arn', stageArn);
  assert.deepEqual(tags.json.tags, { env: 'prod', owner: 'ops' });

  // Errors: the CLI exits non-zero for service errors (v2: 254, v1: 255) and names AWS's error code.
  const SERVICE_ERROR = [254, 255];
  const missing = await aws('apigateway', 'get-rest-api', '--rest-api-id', 'nosuchapi0');
  assert.ok(SERVICE_ERROR.includes(missing.code), String(missing.code));
  assert.match(missing.stderr, /An error occurred \(NotFoundException\) when calling the GetRestApi operation: Invalid API identifier specified 123456789012:nosuchapi0/);

  const duplicate = await aws('apigateway', 'create-resource', '--rest-api-id', apiId, '--parent-id', root.id, '--path-part', 'pets');
  assert.ok(SERVICE_ERROR.includes(duplicate.code), String(duplicate.code));
  assert.match(duplicate.stderr, /\(ConflictException\)/);

  const badPatch = await aws('apigateway', 'update-stage', '--rest-api-id', apiId, '--stage-name', 'prod', '--patch-operations', 'op=replace,path=/nonsense,value=1');
  assert.ok(SERVICE_ERROR.includes(badPatch.code), String(badPatch.code));
  assert.match(badPatch.stderr, /\(BadRequestException\)/);

  const deleted = await aws('apigateway', 'delete-rest-api', '--rest-api-id', apiId);
  assert.equal(deleted.code, 0, deleted.stderr);
  const gone = await aws('apigateway', 'get-rest-apis');
  assert.deepEqual(gone.json.items, []);
});

// The APIs views in Chromium: import an OpenAPI definition, clone it, change its settings and resource policy,
// enable CORS on a resource, edit a method request, run a canary and promote it, delete an API; every change
// checked through the API Gateway SDK afterwards, and AWS's error messages shown as AWS words them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateDeploymentCommand,
  GetMethodCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  GetStageCommand,
} from '@aws-sdk/client-api-gateway';
import { openConsole, type ConsoleSession } from './harness.ts';

let s: ConsoleSession;

const OPENAPI = `openapi: 3.0.1
info: { title: ImportedPets, version: '1.0' }
paths:
  /pets:
    get:
      responses: { '200': { description: ok } }
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: { application/json: '{"statusCode": 200}' }
        responses: { default: { statusCode: '200', responseTemplates: { application/json: '[{"id": 1}]' } } }
`;

before(async () => {
  s = await openConsole();
  await s.login();
  s.page.on('dialog', (d) => void d.accept());
});
after(async () => {
  await s?.close();
});

async function apiNamed(name: string) {
  const api = (await s.gh.apigateway.send(new GetRestApisCommand({}))).items?.find((a) => a.name === name);
  assert.ok(api, `no API named ${name}`);
  return api;
}

const apiNav = () => s.page.getByRole('navigation', { name: 'Console' });

test('an OpenAPI definition imported in the console becomes an API with its resources', async () => {
  const p = s.page;
  await s.goto('/apis/new');
  await p.getByRole('tab', { name: 'Import API' }).click();
  // A broken definition: AWS's error, as AWS words it.
  await p.getByLabel(/^Definition/).fill('openapi: [');
  await p.getByRole('button', { name: 'Import API' }).click();
  assert.match(await p.getByRole('alert').innerText(), /^BadRequestException: /);
  await p.getByLabel(/^Definition/).fill(OPENAPI);
  await p.getByRole('button', { name: 'Import API' }).click();
  await p.getByRole('heading', { level: 1, name: 'Resources' }).waitFor();
  const api = await apiNamed('ImportedPets');
  const tree = p.getByRole('list', { name: 'Resources' });
  await tree.getByRole('link', { name: '/pets' }).waitFor();
  await tree.getByRole('link', { name: 'GET' }).waitFor();
  const resources = (await s.gh.apigateway.send(new GetResourcesCommand({ restApiId: api.id! }))).items ?? [];
  assert.deepEqual(resources.map((r) => r.path).sort(), ['/', '/pets']);
  await s.screenshot('apis-1-imported');
});

test('cloning an API copies its resources and methods', async () => {
  const p = s.page;
  const source = await apiNamed('ImportedPets');
  await s.goto('/apis/new');
  await p.getByRole('tab', { name: 'Clone existing API' }).click();
  await p.getByLabel('API to clone').selectOption(source.id!);
  await p.getByLabel('API name').fill('ClonedPets');
  await p.getByRole('button', { name: 'Clone API' }).click();
  await p.getByRole('heading', { level: 1, name: 'Resources' }).waitFor();
  const clone = await apiNamed('ClonedPets');
  const pets = (await s.gh.apigateway.send(new GetResourcesCommand({ restApiId: clone.id!, embed: ['methods'] }))).items?.find((r) => r.path === '/pets');
  assert.deepEqual(Object.keys(pets?.resourceMethods ?? {}), ['GET']);
});

test('API settings and the resource policy are saved with UpdateRestApi', async () => {
  const p = s.page;
  const api = await apiNamed('ImportedPets');
  await s.goto(`/apis/${api.id}/settings`);
  await p.getByLabel('API key source').selectOption('AUTHORIZER');
  await p.getByRole('textbox', { name: 'Binary media types' }).fill('image/png\napplication/octet-stream');
  await p.getByLabel('Compress responses').check();
  await p.getByLabel('Minimum body size (bytes)').fill('1024');
  await p.getByRole('button', { name: 'Save changes' }).click();
  await p.getByText('Settings saved.').waitFor();
  let stored = await s.gh.apigateway.send(new GetRestApiCommand({ restApiId: api.id! }));
  assert.equal(stored.apiKeySource, 'AUTHORIZER');
  assert.deepEqual(stored.binaryMediaTypes, ['image/png', 'application/octet-stream']);
  assert.equal(stored.minimumCompressionSize, 1024);
  // A value the server refuses: its message, unchanged.
  await p.getByLabel('Minimum body size (bytes)').fill('99999999');
  await p.getByRole('button', { name: 'Save changes' }).click();
  assert.match(await p.getByRole('alert').innerText(), /^BadRequestException: /);
  await s.screenshot('apis-2-settings');

  await apiNav().getByRole('link', { name: 'Resource policy' }).click();
  await p.getByRole('button', { name: 'Start from an example' }).click();
  const editor = p.getByRole('textbox', { name: 'Policy document' });
  await editor.fill('{"Statement": [{"Effect": "Maybe"}]}');
  await p.getByText('Statement 1 needs "Effect": "Allow" or "Deny"').waitFor();
  assert.equal(await p.getByRole('button', { name: 'Save policy' }).isDisabled(), true);
  await editor.fill(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: `arn:aws:execute-api:us-east-1:*:${api.id}/*`, Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }] }));
  await p.getByRole('button', { name: 'Save policy' }).click();
  await p.getByText('Policy saved.').waitFor();
  stored = await s.gh.apigateway.send(new GetRestApiCommand({ restApiId: api.id! }));
  const policy = JSON.parse(stored.policy!.replaceAll('\\"', '"'));
  assert.equal(policy.Statement[0].Effect, 'Deny');
  assert.deepEqual(policy.Statement[0].Condition, { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } });
  await s.screenshot('apis-3-policy');
  assert.deepEqual(s.problems, []);
});

test('Enable CORS adds the OPTIONS method and the origin header to the other methods; the method request is editable', async () => {
  const p = s.page;
  const api = await apiNamed('ClonedPets');
  const pets = (await s.gh.apigateway.send(new GetResourcesCommand({ restApiId: api.id! }))).items!.find((r) => r.path === '/pets')!;
  await s.goto(`/apis/${api.id}/resources/${pets.id}`);
  await p.getByRole('button', { name: 'Enable CORS' }).click();
  await p.getByLabel('Access-Control-Allow-Origin').fill('https://app.example');
  await p.getByRole('button', { name: 'Save CORS' }).click();
  await p.getByText(/^CORS enabled on \/pets/).or(p.getByRole('alert')).waitFor();
  assert.equal(await p.getByRole('alert').count(), 0, await p.getByRole('alert').allInnerTexts().then(String));
  const options = await s.gh.apigateway.send(new GetMethodCommand({ restApiId: api.id!, resourceId: pets.id!, httpMethod: 'OPTIONS' }));
  assert.deepEqual(options.methodIntegration?.integrationResponses?.['200']?.responseParameters, {
    'method.response.header.Access-Control-Allow-Headers': "'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token'",
    'method.response.header.Access-Control-Allow-Methods': "'GET,OPTIONS'",
    'method.response.header.Access-Control-Allow-Origin': "'https://app.example'",
  });
  let get = await s.gh.apigateway.send(new GetMethodCommand({ restApiId: api.id!, resourceId: pets.id!, httpMethod: 'GET' }));
  assert.equal(get.methodIntegration?.integrationResponses?.['200']?.responseParameters?.['method.response.header.Access-Control-Allow-Origin'], "'https://app.example'");

  await p.getByRole('table', { name: 'Methods' }).getByRole('link', { name: 'GET' }).click();
  await p.getByRole('navigation', { name: 'Method execution' }).getByRole('link', { name: 'Method request' }).click();
  await p.getByLabel('API key required').check();
  await p.getByRole('button', { name: 'Add parameter' }).click();
  await p.getByLabel('Parameter 1 name').fill('limit');
  await p.getByRole('button', { name: 'Save', exact: true }).click();
  await p.getByText('Method request saved.').waitFor();
  get = await s.gh.apigateway.send(new GetMethodCommand({ restApiId: api.id!, resourceId: pets.id!, httpMethod: 'GET' }));
  assert.equal(get.apiKeyRequired, true);
  assert.deepEqual(get.requestParameters, { 'method.request.querystring.limit': false });
  await s.screenshot('apis-4-method-request');
  assert.deepEqual(s.problems, []);
});

test('a {param} resource, and under it a {proxy+} resource created with CORS, which gets its OPTIONS method', async () => {
  const p = s.page;
  const api = await apiNamed('ImportedPets');
  await s.goto(`/apis/${api.id}/resources`);
  await p.getByRole('button', { name: 'Create resource' }).click();
  const form = p.getByRole('region', { name: 'Create resource' });
  await form.getByLabel('Resource name').fill('{petId}');
  await form.getByRole('button', { name: 'Create resource' }).click();
  await p.getByRole('heading', { name: 'Resource /{petId}' }).waitFor();
  await p.getByRole('button', { name: 'Create resource' }).click();
  await form.getByLabel(/Proxy resource/).check();
  await form.getByLabel(/CORS/).check();
  await form.getByRole('button', { name: 'Create resource' }).click();
  await p.getByRole('heading', { name: 'Resource /{petId}/{proxy+}' }).waitFor();
  await s.screenshot('apis-6-proxy-resource');
  const resources = (await s.gh.apigateway.send(new GetResourcesCommand({ restApiId: api.id!, embed: ['methods'] }))).items ?? [];
  const proxy = resources.find((r) => r.path === '/{petId}/{proxy+}');
  assert.deepEqual(Object.keys(proxy?.resourceMethods ?? {}), ['OPTIONS']);
  assert.equal(proxy?.resourceMethods?.OPTIONS?.methodIntegration?.type, 'MOCK');
});

test('a canary is created, receives a deployment and is promoted', async () => {
  const p = s.page;
  const api = await apiNamed('ImportedPets');
  const first = await s.gh.apigateway.send(new CreateDeploymentCommand({ restApiId: api.id!, stageName: 'live' }));
  await s.goto(`/apis/${api.id}/stages/live?tab=canary`);
  await p.getByLabel('Requests to the canary (percent)').fill('25');
  await p.getByRole('button', { name: 'Create canary' }).click();
  await p.getByText('Canary created.').waitFor();
  let stage = await s.gh.apigateway.send(new GetStageCommand({ restApiId: api.id!, stageName: 'live' }));
  assert.equal(stage.canarySettings?.percentTraffic, 25);
  // Deploy API to a stage with a canary deploys to the canary.
  await p.getByRole('link', { name: 'Deploy API' }).click();
  await p.getByLabel('Stage', { exact: true }).selectOption('live');
  await p.getByRole('button', { name: 'Deploy' }).click();
  await p.getByRole('heading', { name: 'Stage live' }).waitFor();
  stage = await s.gh.apigateway.send(new GetStageCommand({ restApiId: api.id!, stageName: 'live' }));
  assert.equal(stage.deploymentId, first.id);
  const canaryDeployment = stage.canarySettings?.deploymentId;
  assert.ok(canaryDeployment && canaryDeployment !== first.id);
  await p.getByRole('link', { name: 'Canary' }).click();
  await s.screenshot('apis-5-canary');
  await p.getByRole('button', { name: 'Promote canary' }).click();
  await p.getByText(/^Canary promoted/).waitFor();
  stage = await s.gh.apigateway.send(new GetStageCommand({ restApiId: api.id!, stageName: 'live' }));
  assert.equal(stage.deploymentId, canaryDeployment);
  assert.equal(stage.canarySettings, undefined);
  // Deployment history shows both, and which one the stage serves.
  await p.getByRole('link', { name: 'Deployment history' }).click();
  const rows = p.getByRole('table', { name: 'Deployments' }).getByRole('row');
  await rows.nth(2).waitFor();
  assert.match(await p.getByRole('row', { name: new RegExp(canaryDeployment) }).innerText(), /Stage/);
  assert.deepEqual(s.problems, []);
});

test('an API deleted from the list is gone', async () => {
  const p = s.page;
  const clone = await apiNamed('ClonedPets');
  await s.goto('/apis');
  await p.getByRole('button', { name: 'Delete ClonedPets' }).click();
  await p.getByText(`Deleted API ClonedPets (${clone.id}).`).waitFor();
  await p.getByRole('row', { name: /ClonedPets/ }).waitFor({ state: 'detached' });
  assert.equal((await s.gh.apigateway.send(new GetRestApisCommand({}))).items?.some((a) => a.name === 'ClonedPets'), false);
});

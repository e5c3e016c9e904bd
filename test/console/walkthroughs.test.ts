// The developer guide's getting-started walkthroughs done in the console, in Chromium, as a person would: an API
// with a MOCK integration, one with a Lambda proxy integration (the function created through the SDK beforehand),
// one with an HTTP integration to a local backend (with a mapping template and its live preview); each tested in
// the console, deployed, called at its invoke URL; then a stage variable changed and the execution logs read.
// Screenshots of each step land in test/console/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { GetIntegrationCommand, GetResourcesCommand, GetRestApisCommand } from '@aws-sdk/client-api-gateway';
import { createFunction } from '../functions/helpers.ts';
import { startEcho, type EchoServer } from '../execute/helpers.ts';
import { openConsole, type ConsoleSession } from './harness.ts';

let s: ConsoleSession;
let echo: EchoServer;

const HANDLER = `export const handler = async (event) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ hello: event.queryStringParameters?.name ?? 'world', greeting: event.stageVariables?.greeting ?? null, path: event.path }),
});`;

before(async () => {
  s = await openConsole();
  echo = await startEcho();
  await createFunction(s.gh.lambda, 'hello-console', { 'index.mjs': HANDLER });
  await s.login();
});
after(async () => {
  await s?.close();
  await echo?.close();
});

async function apiIdNamed(name: string): Promise<string> {
  const apis = await s.gh.apigateway.send(new GetRestApisCommand({}));
  const id = apis.items?.find((a) => a.name === name)?.id;
  assert.ok(id, `no API named ${name}`);
  return id;
}

/** Creates an API from the APIs list; ends on its Resources page. */
async function createApi(name: string) {
  const p = s.page;
  await s.goto('/apis');
  await p.getByRole('link', { name: 'Create API' }).click();
  await p.getByLabel('API name').fill(name);
  await p.getByRole('button', { name: 'Create API' }).click();
  await p.getByRole('heading', { level: 1, name: 'Resources' }).waitFor();
}

/** From the Resources page with the parent selected: a child resource, selected afterwards. */
async function createResource(pathPart: string, opts: { proxy?: boolean } = {}) {
  const p = s.page;
  await p.getByRole('button', { name: 'Create resource' }).click();
  if (opts.proxy) await p.getByLabel(/Proxy resource/).check();
  else await p.getByLabel('Resource name').fill(pathPart);
  await p.getByRole('region', { name: 'Create resource' }).getByRole('button', { name: 'Create resource' }).click();
  await p.getByRole('heading', { name: new RegExp(`^Resource .*/${pathPart.replace(/[{}+]/g, '\\$&')}$`) }).waitFor();
}

async function createMethod(httpMethod: string, integration: 'Mock: responses from API Gateway itself' | 'Lambda function' | 'HTTP endpoint', fill?: () => Promise<void>) {
  const p = s.page;
  await p.getByRole('link', { name: 'Create method' }).click();
  await p.getByLabel('Method type').selectOption(httpMethod);
  await p.getByLabel('Integration type').selectOption({ label: integration });
  await fill?.();
  await p.getByRole('button', { name: 'Create method' }).click();
  await p.getByRole('navigation', { name: 'Method execution' }).waitFor();
}

async function runTest(opts: { query?: string; body?: string } = {}): Promise<{ status: string; body: string; log: string }> {
  const p = s.page;
  await p.getByRole('navigation', { name: 'Method execution' }).getByRole('link', { name: 'Test' }).click();
  if (opts.query) await p.getByLabel('Query strings').fill(opts.query);
  if (opts.body) await p.getByRole('textbox', { name: 'Request body' }).fill(opts.body);
  await p.getByRole('button', { name: 'Test', exact: true }).click();
  // A function's first call starts its sandbox: allow for a slow shared machine.
  await p.getByTestId('test-status').waitFor({ timeout: 30_000 });
  return { status: await p.getByTestId('test-status').innerText(), body: await p.getByTestId('test-body').innerText(), log: await p.getByTestId('test-log').innerText() };
}

/** Deploys the current API to a stage (new or existing); ends on the stage's page; returns its invoke URL. */
async function deploy(stage: string, isNew: boolean): Promise<string> {
  const p = s.page;
  await p.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Stages' }).click();
  await p.getByRole('link', { name: 'Deploy API' }).click();
  await p.getByRole('heading', { level: 1, name: 'Deploy API' }).waitFor();
  if (isNew) {
    await p.getByLabel('Stage', { exact: true }).selectOption({ label: '*New stage*' });
    await p.getByLabel('Stage name').fill(stage);
  } else await p.getByLabel('Stage', { exact: true }).selectOption(stage);
  await p.getByRole('button', { name: 'Deploy' }).click();
  await p.getByRole('heading', { name: `Stage ${stage}` }).waitFor();
  return p.getByTestId('invoke-url').innerText();
}

test('MOCK integration: create, test, deploy, call', async () => {
  const p = s.page;
  await createApi('MockPets');
  await s.screenshot('mock-1-resources');
  await createResource('pets');
  await createMethod('GET', 'Mock: responses from API Gateway itself');
  await s.screenshot('mock-2-method-execution');
  // The integration response's template makes the mock's body.
  await p.getByRole('navigation', { name: 'Method execution' }).getByRole('link', { name: 'Integration response' }).click();
  await p.getByLabel('Mapping template for application/json').fill('{"pets": [{"id": 1, "type": "dog"}], "requestId": "$context.requestId"}');
  await p.getByRole('button', { name: 'Save', exact: true }).click();
  await p.getByText('Integration response 200 saved.').waitFor();
  const result = await runTest();
  assert.equal(result.status, '200');
  const body = JSON.parse(result.body);
  assert.deepEqual(body.pets, [{ id: 1, type: 'dog' }]);
  assert.match(result.log, /Method completed with status: 200/);
  await s.screenshot('mock-3-test');
  // The same view in the dark theme, for the person checking the screenshots.
  await p.getByRole('button', { name: 'Switch to dark theme' }).click();
  await p.getByRole('navigation', { name: 'Method execution' }).getByRole('link', { name: 'Integration request' }).click();
  await s.screenshot('mock-3-integration-request-dark');
  await p.getByRole('button', { name: 'Switch to light theme' }).click();
  const url = await deploy('dev', true);
  const apiId = await apiIdNamed('MockPets');
  assert.equal(url, `${s.gh.endpoint}/restapis/${apiId}/dev/_user_request_/`);
  await s.screenshot('mock-4-stage');
  const res = await fetch(`${url}pets`);
  assert.equal(res.status, 200);
  assert.deepEqual((await res.json() as { pets: unknown }).pets, [{ id: 1, type: 'dog' }]);
  // The copy button puts the invoke URL on the clipboard.
  await p.getByRole('button', { name: 'Copy invoke URL' }).click();
  assert.equal(await p.evaluate('navigator.clipboard.readText()'), url);
  assert.deepEqual(s.problems, []);
});

test('Lambda proxy integration: create, test, deploy, call, change a stage variable, read the logs', async () => {
  const p = s.page;
  await createApi('LambdaHello');
  await createResource('hello');
  await createMethod('GET', 'Lambda function', async () => {
    await p.getByLabel('Lambda function', { exact: true }).selectOption({ label: 'hello-console' });
  });
  await s.screenshot('lambda-1-method-execution');
  const result = await runTest({ query: 'name=console' });
  assert.equal(result.status, '200');
  assert.deepEqual(JSON.parse(result.body), { hello: 'console', greeting: null, path: '/hello' });
  await s.screenshot('lambda-2-test');
  const url = await deploy('prod', true);
  let res = await fetch(`${url}hello?name=sdk`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { hello: 'sdk', greeting: null, path: '/hello' });

  // A stage variable, read by the function through the event.
  await p.getByRole('link', { name: 'Stage variables' }).click();
  await p.getByRole('button', { name: 'Add variable name' }).click();
  await p.getByLabel('Variable name 1').fill('greeting');
  await p.getByLabel('Value 1').fill('hola');
  await p.getByRole('button', { name: 'Save variables' }).click();
  await p.getByText('Stage variables saved.').waitFor();
  res = await fetch(`${url}hello`);
  assert.deepEqual(await res.json(), { hello: 'world', greeting: 'hola', path: '/hello' });
  await s.screenshot('lambda-3-stage-variables');

  // Execution logs at INFO, then the Logs tab shows the request's lines.
  await p.getByRole('link', { name: 'Method settings' }).click();
  await p.getByLabel('CloudWatch logs').first().selectOption('INFO');
  await p.getByRole('button', { name: 'Save', exact: true }).first().click();
  await p.getByText('Method settings saved.').waitFor();
  res = await fetch(`${url}hello?name=logged`);
  assert.equal(res.status, 200);
  const requestId = res.headers.get('x-amzn-requestid');
  await p.getByRole('link', { name: 'Logs' }).click();
  // Gatehouse writes log events in batches (at most 100 ms apart): refresh until the request's lines are there.
  const events = p.getByTestId('log-events');
  for (let i = 0; i < 50 && !(await events.count() && (await events.innerText()).includes('Method completed with status: 200')); i++) {
    await p.waitForTimeout(100);
    await p.getByRole('button', { name: 'Refresh' }).click();
  }
  const text = await events.innerText();
  assert.match(text, new RegExp(`\\(${requestId}\\) Method completed with status: 200`));
  await s.screenshot('lambda-4-logs');
  assert.deepEqual(s.problems, []);
});

test('HTTP integration with a mapping template: preview, test, deploy, call', async () => {
  const p = s.page;
  await createApi('HttpOrders');
  await createResource('orders');
  await createMethod('POST', 'HTTP endpoint', async () => {
    await p.getByLabel('HTTP proxy integration').uncheck();
    await p.getByLabel('HTTP method').selectOption('POST');
    await p.getByLabel('Endpoint URL').fill(`${echo.url}/orders`);
  });
  await p.getByRole('navigation', { name: 'Method execution' }).getByRole('link', { name: 'Integration request' }).click();
  await p.getByLabel('Add content type').fill('application/json');
  await p.getByRole('button', { name: 'Add', exact: true }).click();
  await p.getByLabel('Template for application/json').fill('{"order": $input.json(\'$.item\'), "quantity": $input.path(\'$.qty\')}');
  await p.getByText('Preview the template against a sample request').click();
  await p.getByRole('textbox', { name: 'Request body' }).fill('{"item": "tea", "qty": 3}');
  // The preview renders the unsaved text: the method keeps no template, the backend is not called, and the temporary
  // API the preview used is gone.
  const backendCalls = echo.requests.length;
  await p.getByRole('button', { name: 'Preview', exact: true }).click();
  await p.getByTestId('template-preview').waitFor();
  assert.equal(await p.getByTestId('template-preview').innerText(), '{"order": "tea", "quantity": 3}');
  await s.screenshot('http-1-template-preview');
  const apis = (await s.gh.apigateway.send(new GetRestApisCommand({ limit: 500 }))).items ?? [];
  assert.deepEqual(apis.filter((a) => a.name === 'gatehouse-console-template-preview'), []);
  const api = apis.find((a) => a.name === 'HttpOrders')!;
  const orders = ((await s.gh.apigateway.send(new GetResourcesCommand({ restApiId: api.id }))).items ?? []).find((r) => r.path === '/orders')!;
  const stored = await s.gh.apigateway.send(new GetIntegrationCommand({ restApiId: api.id, resourceId: orders.id, httpMethod: 'POST' }));
  assert.equal(stored.requestTemplates, undefined);
  assert.equal(echo.requests.length, backendCalls);
  // A template the engine cannot parse: no rendered body, and the preview's log says why.
  await p.getByLabel('Template for application/json').fill('{"order": $input.json(\'$.item\')');
  await p.getByLabel('Template for application/json').press('End');
  await p.getByLabel('Template for application/json').pressSequentially(' #if($x)');
  await p.getByRole('button', { name: 'Preview', exact: true }).click();
  await p.getByText('(none: the request failed before the integration; the log says why)').waitFor();
  assert.match(await p.getByTestId('template-preview-log').innerText(), /Execution failed due to configuration error: /);
  await p.getByLabel('Template for application/json').fill('{"order": $input.json(\'$.item\'), "quantity": $input.path(\'$.qty\')}');
  await p.getByRole('button', { name: 'Save', exact: true }).click();
  await p.getByText('Integration request saved.').waitFor();
  const result = await runTest({ body: '{"item": "coffee", "qty": 1}' });
  assert.equal(result.status, '200');
  assert.deepEqual(JSON.parse(JSON.parse(result.body).body), { order: 'coffee', quantity: 1 });
  await s.screenshot('http-2-test');
  const url = await deploy('dev', true);
  const res = await fetch(`${url}orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"item": "water", "qty": 2}' });
  assert.equal(res.status, 200);
  assert.deepEqual(JSON.parse((await res.json() as { body: string }).body), { order: 'water', quantity: 2 });
  assert.equal(echo.requests.at(-1)?.url, '/orders');
  assert.deepEqual(s.problems, []);
});

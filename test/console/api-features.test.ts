// The API-feature views in Chromium: an API key and a usage plan made in the console meter real calls (GetUsage's
// counts charted); a Lambda authorizer and a Cognito user pool authorizer made in the console answer their Test; models, gateway responses, request
// validators, documentation, custom domains, client certificates and VPC links created and checked through the SDK.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { zipSync, strToU8 } from 'fflate';
import { CreateFunctionCommand, GetPolicyCommand } from '@aws-sdk/client-lambda';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openConsole, type ConsoleSession } from './harness.ts';
import { AG, ApiBuilder } from '../execute/helpers.ts';
import { ROOT } from '../helpers/gatehouse.ts';

const run = promisify(execFile);
// A local user pool: Gatehouse verifies its tokens with the key `gatehouse tokens issue` keeps in the data directory.
const POOL = 'us-east-1_Console1';
const POOL_ARN = `arn:aws:cognito-idp:us-east-1:123456789012:userpool/${POOL}`;

let s: ConsoleSession;
let b: ApiBuilder;

/** The browser logs each refused call; the tests provoke some (AWS's errors shown), nothing else may go wrong. */
const unexpected = () => s.problems.filter((p) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(p));

before(async () => {
  s = await openConsole();
  b = await ApiBuilder.create(s.gh, { name: 'Metered' });
  await b.method('/pets', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, {
    method: { apiKeyRequired: true },
    responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"ok":true}' } }],
  });
  await b.deploy('prod');
  await s.login();
});
after(async () => {
  await s?.close();
});

test('an API key and a usage plan made in the console meter calls, and the usage shows them', async () => {
  const { page } = s;
  await s.goto('/apikeys');
  await page.getByRole('button', { name: 'Create API key' }).click();
  await page.getByLabel('Key name').fill('console-key');
  await page.getByLabel('Key value').fill('console-key-value-0123456789');
  await page.getByRole('button', { name: 'Create API key' }).last().click();
  const row = page.getByRole('row', { name: /console-key/ });
  await row.waitFor();
  await row.getByRole('button', { name: 'Show' }).click();
  await row.getByText('console-key-value-0123456789').waitFor();
  const keys = await s.gh.apigateway.send(new AG.GetApiKeysCommand({ includeValues: true }));
  assert.deepEqual(keys.items?.map((k) => [k.name, k.value, k.enabled]), [['console-key', 'console-key-value-0123456789', true]]);
  const keyId = keys.items![0]!.id!;

  await s.goto('/usageplans');
  await page.getByRole('button', { name: 'Create usage plan' }).click();
  await page.getByLabel('Plan name').fill('Gold');
  await page.getByLabel('Rate (requests per second)').fill('10');
  await page.getByLabel('Burst').fill('20');
  await page.getByLabel('Quota (requests)').fill('1000');
  await page.getByLabel('Quota period').selectOption('DAY');
  await page.getByRole('button', { name: 'Create usage plan' }).last().click();
  await page.getByRole('heading', { level: 1, name: 'Gold' }).waitFor();
  await page.getByLabel('API stage').selectOption(`${b.apiId}:prod`);
  await page.getByRole('button', { name: 'Add API stage' }).click();
  await page.getByRole('table', { name: 'Associated stages' }).getByRole('row', { name: new RegExp(`${b.apiId} prod`) }).waitFor();
  await page.getByLabel('API key', { exact: true }).selectOption(keyId);
  await page.getByRole('button', { name: 'Add API key' }).click();
  await page.getByRole('table', { name: 'Associated API keys' }).getByRole('row', { name: /console-key/ }).waitFor();

  const planId = new URL(page.url()).hash.split('/').at(-1)!;
  const plan = await s.gh.apigateway.send(new AG.GetUsagePlanCommand({ usagePlanId: planId }));
  assert.deepEqual([plan.throttle, plan.quota, plan.apiStages], [{ rateLimit: 10, burstLimit: 20 }, { limit: 1000, offset: 0, period: 'DAY' }, [{ apiId: b.apiId, stage: 'prod' }]]);

  assert.equal((await b.invoke('prod', '/pets')).status, 403);
  for (let i = 0; i < 3; i++) assert.equal((await b.invoke('prod', '/pets', { headers: { 'x-api-key': 'console-key-value-0123456789' } })).status, 200);
  await page.getByRole('button', { name: 'Refresh' }).click();
  // Used 3, remaining 997 of the day's 1,000 (GetUsage's pair for today).
  await page.getByRole('table', { name: 'Usage per key' }).getByRole('row', { name: 'console-key 3 997', exact: true }).waitFor();
  assert.equal(await page.locator('.legend[data-series="console-key"] b').innerText(), '3');
  await s.screenshot('usage-plan');

  // Disabling the key in the console stops it working.
  await s.goto('/apikeys');
  await page.getByRole('button', { name: 'Disable API key console-key' }).click();
  await page.getByRole('button', { name: 'Enable API key console-key' }).waitFor();
  assert.equal((await s.gh.apigateway.send(new AG.GetApiKeyCommand({ apiKey: keyId }))).enabled, false);
  assert.deepEqual(unexpected(), []);
});

test('a Lambda authorizer made in the console answers its Test', async () => {
  const { page } = s;
  const code = `export const handler = async (event) => {
  if (event.authorizationToken !== 'allow-me') throw new Error('Unauthorized');
  return { principalId: 'user-7', policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }] }, context: { tier: 'gold' } };
};
`;
  await s.gh.lambda.send(new CreateFunctionCommand({ FunctionName: 'token-auth', Runtime: 'nodejs24.x', Handler: 'index.handler', Role: 'arn:aws:iam::123456789012:role/r', Code: { ZipFile: zipSync({ 'index.mjs': strToU8(code) }) } }));
  await s.goto(`/apis/${b.apiId}/authorizers`);
  await page.getByText('No authorizers for this API yet.').waitFor();
  await page.getByRole('button', { name: 'Create authorizer' }).click();
  await page.getByLabel('Authorizer name').fill('tokens');
  await page.getByLabel('Lambda function').selectOption({ label: 'token-auth' });
  await page.getByLabel('Authorization caching TTL (seconds)').fill('0');
  await page.getByRole('button', { name: 'Create authorizer' }).last().click();
  await page.getByRole('heading', { name: 'tokens' }).waitFor();
  const [authorizer] = (await s.gh.apigateway.send(new AG.GetAuthorizersCommand({ restApiId: b.apiId }))).items!;
  assert.equal(authorizer!.type, 'TOKEN');
  assert.equal(authorizer!.authorizerUri, 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:token-auth/invocations');
  assert.equal(authorizer!.identitySource, 'method.request.header.Authorization');
  assert.equal(authorizer!.authorizerResultTtlInSeconds, 0);
  // The console granted API Gateway the invoke permission, as the AWS console does.
  const policy = JSON.parse((await s.gh.lambda.send(new GetPolicyCommand({ FunctionName: 'token-auth' }))).Policy!);
  assert.deepEqual(policy.Statement.map((st: { Principal: unknown; Condition: unknown }) => [st.Principal, st.Condition]), [[
    { Service: 'apigateway.amazonaws.com' }, { ArnLike: { 'AWS:SourceArn': `arn:aws:execute-api:us-east-1:123456789012:${b.apiId}/authorizers/${authorizer!.id}` } },
  ]]);

  await page.getByRole('button', { name: 'Test', exact: true }).click();
  await page.getByLabel('Authorization (token)').fill('allow-me');
  await page.getByRole('button', { name: 'Test authorizer' }).click();
  const result = page.getByRole('region', { name: 'Authorizer test result' });
  await result.waitFor();
  assert.match(await result.locator('dl').innerText(), /Response code\s+200[\s\S]*Principal ID\s+user-7/, await page.getByLabel('Authorizer test log').innerText());
  assert.equal(JSON.parse(await page.getByLabel('Policy').innerText()).Statement[0].Effect, 'Allow');
  await s.screenshot('authorizer-test');

  await page.getByLabel('Authorization (token)').fill('nope');
  await page.getByRole('button', { name: 'Test authorizer' }).click();
  await page.getByRole('region', { name: 'Authorizer test result' }).locator('dd').first().filter({ hasText: '401' }).waitFor();
  assert.deepEqual(unexpected(), []);
});

test('a Cognito user pool authorizer made in the console: Test with an ID token of a local pool shows its claims; a bad token is 401', async () => {
  const { page } = s;
  await s.goto(`/apis/${b.apiId}/authorizers`);
  await page.getByRole('heading', { name: 'tokens', exact: true }).waitFor();
  await page.getByRole('button', { name: 'Create authorizer' }).click();
  await page.getByLabel('Authorizer name').fill('pool-users');
  await page.getByLabel('Authorizer type').selectOption('COGNITO_USER_POOLS');
  await page.getByLabel('Cognito user pool ARNs').fill(POOL_ARN);
  await page.getByRole('button', { name: 'Create authorizer' }).last().click();
  const section = page.getByRole('region', { name: 'pool-users' });
  await section.waitFor();
  const created = (await s.gh.apigateway.send(new AG.GetAuthorizersCommand({ restApiId: b.apiId }))).items!.find((a) => a.name === 'pool-users')!;
  assert.equal(created.type, 'COGNITO_USER_POOLS');
  assert.deepEqual(created.providerARNs, [POOL_ARN]);
  assert.equal(created.identitySource, 'method.request.header.Authorization');

  // An ID token of the local pool, as a user makes one: `gatehouse tokens issue` against the server's data directory.
  const { stdout } = await run(process.execPath, [join(ROOT, 'src/cli/main.ts'), 'tokens', 'issue', '--data-dir', s.gh.dataDir,
    '--user-pool', POOL_ARN, '--sub', 'alice', '--claim', 'custom:tier=gold']);
  const { idToken } = JSON.parse(stdout) as { idToken: string };
  await section.getByRole('button', { name: 'Test', exact: true }).click();
  await section.getByLabel('Authorization (token)').fill(idToken);
  await section.getByRole('button', { name: 'Test authorizer' }).click();
  const result = section.getByRole('region', { name: 'Authorizer test result' });
  await result.waitFor();
  assert.equal(await result.locator('dd').first().innerText(), '200', await section.getByLabel('Authorizer test log').innerText());
  // The claims are the server's answer, shown as it gave them (TestInvokeAuthorizer's `claims`, all strings).
  const out = await s.gh.apigateway.send(new AG.TestInvokeAuthorizerCommand({ restApiId: b.apiId, authorizerId: created.id, headers: { Authorization: idToken } }));
  const shown = JSON.parse(await section.getByLabel('Claims').innerText()) as Record<string, string>;
  assert.deepEqual(shown, out.claims);
  assert.equal(shown.sub, 'alice');
  assert.equal(shown['custom:tier'], 'gold');
  assert.equal(shown.token_use, 'id');
  assert.equal(shown.iss, `https://cognito-idp.us-east-1.amazonaws.com/${POOL}`);
  assert.match(await section.getByLabel('Authorizer test log').innerText(), new RegExp(`Authorizer result: token of https://cognito-idp\\.us-east-1\\.amazonaws\\.com/${POOL} verified`));
  await s.screenshot('authorizer-cognito-test');

  // A token with one character changed fails verification: 401, no claims.
  await section.getByLabel('Authorization (token)').fill(`${idToken.slice(0, -2)}${idToken.endsWith('A') ? 'B' : 'A'}${idToken.slice(-1)}`);
  await section.getByRole('button', { name: 'Test authorizer' }).click();
  await result.locator('dd').first().filter({ hasText: '401' }).waitFor();
  assert.equal(await section.getByLabel('Claims').count(), 0);
  assert.match(await section.getByLabel('Authorizer test log').innerText(), /Unauthorized request: /);
  assert.deepEqual(unexpected(), []);
});

test('models: the editor checks the JSON, the server judges the schema, a valid model is created and updated', async () => {
  const { page } = s;
  await s.goto(`/apis/${b.apiId}/models`);
  await page.getByRole('button', { name: 'Create model' }).click();
  await page.getByLabel('Model name').fill('Pet');
  await page.getByLabel('Model schema').fill('{"type": "object",');
  await page.getByText(/^Not valid JSON: /).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Create model' }).last().isDisabled(), true);
  // Parses, but is no JSON Schema: CreateModel's own refusal.
  await page.getByLabel('Model schema').fill('{"type": "object", "properties": 5}');
  await page.getByText('The schema parses as JSON.').waitFor();
  await page.getByRole('button', { name: 'Create model' }).last().click();
  assert.match(await page.getByRole('alert').innerText(), /^BadRequestException: Invalid model specified: Validation Result: warnings : \[\], errors : \[Invalid model schema specified/);
  const schema = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] };
  await page.getByLabel('Model schema').fill(JSON.stringify(schema));
  await page.getByRole('button', { name: 'Create model' }).last().click();
  // Created, it opens in its own editor.
  await page.getByRole('heading', { name: 'Model Pet' }).waitFor();
  const model = await s.gh.apigateway.send(new AG.GetModelCommand({ restApiId: b.apiId, modelName: 'Pet' }));
  assert.deepEqual([model.contentType, JSON.parse(model.schema!)], ['application/json', schema]);

  await page.getByLabel('Description').fill('a pet');
  await page.getByRole('button', { name: 'Save model' }).click();
  await page.getByText('Model saved.').waitFor();
  assert.equal((await s.gh.apigateway.send(new AG.GetModelCommand({ restApiId: b.apiId, modelName: 'Pet' }))).description, 'a pet');
  await s.screenshot('models');
  assert.deepEqual(unexpected(), []);
});

test('gateway responses, request validators and documentation are edited through their AWS calls', async () => {
  const { page } = s;
  await s.goto(`/apis/${b.apiId}/gateway-responses`);
  await page.getByRole('link', { name: 'MISSING_AUTHENTICATION_TOKEN' }).click();
  await page.getByLabel('Response status code').fill('404');
  await page.getByLabel('Response headers').fill("gatewayresponse.header.X-Why: 'no such route'");
  await page.getByLabel('Response template (application/json)').fill('{"message": "no route for $context.path"}');
  await page.getByRole('button', { name: 'Save response' }).click();
  await page.getByText('Gateway response saved.').waitFor();
  const gr = await s.gh.apigateway.send(new AG.GetGatewayResponseCommand({ restApiId: b.apiId, responseType: 'MISSING_AUTHENTICATION_TOKEN' }));
  assert.deepEqual([gr.statusCode, gr.defaultResponse, gr.responseParameters], ['404', false, { 'gatewayresponse.header.X-Why': "'no such route'" }]);
  await b.deploy('prod');
  const missing = await b.invoke('prod', '/nowhere');
  assert.deepEqual([missing.status, missing.headers['x-why'], missing.json()], [404, 'no such route', { message: 'no route for /prod/nowhere' }]);
  await page.getByRole('button', { name: 'Reset to default' }).click();
  await page.getByText('Reset to the default.').waitFor();
  assert.equal((await s.gh.apigateway.send(new AG.GetGatewayResponseCommand({ restApiId: b.apiId, responseType: 'MISSING_AUTHENTICATION_TOKEN' }))).defaultResponse, true);

  await s.goto(`/apis/${b.apiId}/validators`);
  await page.getByLabel('Validator name').fill('body-only');
  await page.getByLabel('Validate query string parameters and headers').uncheck();
  await page.getByRole('button', { name: 'Create request validator' }).click();
  await page.getByRole('row', { name: /body-only/ }).waitFor();
  await page.getByRole('button', { name: 'body-only: validate parameters' }).click();
  await page.getByRole('button', { name: 'body-only: validate parameters', pressed: true }).waitFor();
  const [validator] = (await s.gh.apigateway.send(new AG.GetRequestValidatorsCommand({ restApiId: b.apiId }))).items!;
  assert.deepEqual([validator!.name, validator!.validateRequestBody, validator!.validateRequestParameters], ['body-only', true, true]);

  await s.goto(`/apis/${b.apiId}/documentation`);
  await page.getByLabel('Location type').selectOption('METHOD');
  await page.getByLabel('Path').fill('/pets');
  await page.getByLabel('Method', { exact: true }).fill('GET');
  await page.getByLabel('Properties (JSON)').fill('{"summary": "List the pets"}');
  await page.getByRole('button', { name: 'Create documentation part' }).click();
  await page.getByRole('table', { name: 'Documentation parts' }).getByText('METHOD /pets GET').waitFor();
  await page.getByLabel('Version', { exact: true }).fill('v1');
  await page.getByLabel('Associate with stage').selectOption('prod');
  await page.getByRole('button', { name: 'Publish documentation version' }).click();
  await page.getByRole('table', { name: 'Documentation versions' }).getByRole('row', { name: /^v1/ }).waitFor();
  const parts = await s.gh.apigateway.send(new AG.GetDocumentationPartsCommand({ restApiId: b.apiId }));
  assert.deepEqual(parts.items?.map((p) => [p.location?.type, p.location?.path, p.location?.method, JSON.parse(p.properties!)]), [['METHOD', '/pets', 'GET', { summary: 'List the pets' }]]);
  assert.equal((await s.gh.apigateway.send(new AG.GetStageCommand({ restApiId: b.apiId, stageName: 'prod' }))).documentationVersion, 'v1');
  await s.screenshot('documentation');
  assert.deepEqual(unexpected(), []);
});

test('custom domains with base path mappings, client certificates and VPC links', async () => {
  const { page } = s;
  await s.goto('/domains');
  await page.getByLabel('Domain name', { exact: true }).fill('api.example.com');
  await page.getByLabel('ACM certificate ARN').fill('arn:aws:acm:us-east-1:123456789012:certificate/0f0f0f0f-1111-2222-3333-444444444444');
  await page.getByRole('button', { name: 'Create domain name' }).click();
  await page.getByRole('heading', { name: 'api.example.com' }).waitFor();
  await page.getByLabel('Base path', { exact: true }).fill('v1');
  await page.getByLabel('Destination').selectOption(`${b.apiId}:prod`);
  await page.getByRole('button', { name: 'Add mapping' }).click();
  await page.getByRole('table', { name: 'Base path mappings of api.example.com' }).getByRole('row', { name: /\/v1/ }).waitFor();
  const mappings = await s.gh.apigateway.send(new AG.GetBasePathMappingsCommand({ domainName: 'api.example.com' }));
  assert.deepEqual(mappings.items, [{ basePath: 'v1', restApiId: b.apiId, stage: 'prod' }]);
  await s.screenshot('domains');

  await s.goto('/client-certificates');
  await page.getByLabel('Certificate description').fill('backend trust');
  await page.getByRole('button', { name: 'Generate client certificate' }).click();
  await page.getByRole('button', { name: 'PEM' }).waitFor();
  const [cert] = (await s.gh.apigateway.send(new AG.GetClientCertificatesCommand({}))).items ?? [];
  await page.getByRole('heading', { name: cert!.clientCertificateId! }).waitFor();
  await page.getByRole('button', { name: 'PEM' }).click();
  assert.match(await page.getByLabel(`PEM of ${cert!.clientCertificateId}`).innerText(), /^-----BEGIN CERTIFICATE-----/);
  assert.equal(cert!.description, 'backend trust');

  await s.goto('/vpc-links');
  await page.getByLabel('VPC link name').fill('to-nlb');
  await page.getByLabel('Target network load balancer ARNs').fill('arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/my-nlb/50dc6c495c0c9188');
  await page.getByRole('button', { name: 'Create VPC link' }).click();
  const row = page.getByRole('row', { name: /to-nlb/ });
  await row.waitFor();
  // Gatehouse has nothing to provision (src/control/vpc-links.ts): CreateVpcLink answers PENDING as AWS does, and
  // every later read reports the link AVAILABLE with AWS's ready message. The list shows exactly that.
  const [link] = (await s.gh.apigateway.send(new AG.GetVpcLinksCommand({}))).items ?? [];
  assert.equal(link!.status, 'AVAILABLE');
  assert.equal(link!.statusMessage, 'Your vpc link is ready for use');
  const status = row.getByRole('cell').nth(2);
  assert.equal(await status.innerText(), 'AVAILABLE — Your vpc link is ready for use');
  assert.equal(await status.getAttribute('class'), 'status-ok');
  // A target that is no network load balancer is refused with the server's message, and no link is listed for it.
  await page.getByLabel('VPC link name').fill('to-alb');
  await page.getByLabel('Target network load balancer ARNs').fill('arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/my-alb/50dc6c495c0c9188');
  await page.getByRole('button', { name: 'Create VPC link' }).click();
  assert.equal(await page.getByRole('alert').innerText(),
    'BadRequestException: Invalid target ARN specified: arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/my-alb/50dc6c495c0c9188. The target must be a Network Load Balancer ARN.');
  assert.equal(await page.getByRole('row', { name: /to-alb/ }).count(), 0);
  assert.equal((await s.gh.apigateway.send(new AG.GetVpcLinksCommand({}))).items?.length, 1);
  await s.screenshot('vpc-links');
  assert.deepEqual(unexpected(), []);
});

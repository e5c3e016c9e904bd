// The console against a Gatehouse that verifies signatures (--require-auth): a made-up key gets AWS's refusal,
// shown as AWS words it; the bootstrap identity's key lists and creates APIs (same-origin calls, signed by the SDK
// in the page for the page's own Host, pass the control guard and the signature check).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { APIGatewayClient, CreateRestApiCommand, GetRestApisCommand } from '@aws-sdk/client-api-gateway';
import { startGatehouse, type Running } from '../helpers/gatehouse.ts';
import { openConsole, type ConsoleSession } from './harness.ts';

let gh: Running;
let s: ConsoleSession;
let admin: APIGatewayClient;

before(async () => {
  gh = await startGatehouse({ config: { requireAuth: true } });
  const b = gh.gatehouse.bootstrap!;
  admin = new APIGatewayClient({ endpoint: gh.endpoint, region: 'us-east-1', credentials: { accessKeyId: b.accessKeyId, secretAccessKey: b.secretAccessKey } });
  await admin.send(new CreateRestApiCommand({ name: 'AdminsApi' }));
  s = await openConsole({ gh });
});
after(async () => {
  await s?.close();
  admin?.destroy();
  await gh?.stop();
});

test('a key Gatehouse does not know is refused with AWS message', async () => {
  const p = s.page;
  await p.goto(s.url());
  await p.getByLabel('Access key ID').fill('AKIAMADEUPKEY0000000');
  await p.getByLabel('Secret access key').fill('not-a-secret');
  await p.getByRole('button', { name: 'Sign in' }).click();
  const alert = p.getByRole('alert');
  await alert.waitFor();
  assert.equal(await alert.innerText(), 'UnrecognizedClientException: The security token included in the request is invalid.');
  await s.screenshot('require-auth-refused');
  await p.getByRole('button', { name: 'Sign out' }).click();
});

test('the bootstrap identity lists and creates APIs', async () => {
  const b = gh.gatehouse.bootstrap!;
  await s.login({ credentials: { accessKeyId: b.accessKeyId, secretAccessKey: b.secretAccessKey } });
  const p = s.page;
  await p.getByRole('row', { name: /AdminsApi/ }).waitFor();
  await p.getByRole('link', { name: 'Create API' }).click();
  await p.getByLabel('API name').fill('MadeInConsole');
  await p.getByRole('button', { name: 'Create API' }).click();
  await p.getByRole('heading', { level: 1, name: 'Resources' }).waitFor();
  const names = (await admin.send(new GetRestApisCommand({}))).items?.map((a) => a.name).sort();
  assert.deepEqual(names, ['AdminsApi', 'MadeInConsole']);
  assert.deepEqual(s.problems, []);
});

// The Functions views in Chromium: create a function from inline code (zipped in the page by fflate), invoke it
// with a test event and read its result and log tail, change its configuration, publish a version and alias it,
// upload a .zip, follow its logs, and replace its code (UpdateFunctionCode, from the editor or a .zip); each step
// checked through the Lambda SDK afterwards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { GetFunctionConfigurationCommand, InvokeCommand, ListAliasesCommand, ListVersionsByFunctionCommand } from '@aws-sdk/client-lambda';
import { openConsole, type ConsoleSession } from './harness.ts';
import { tempDataDir } from '../helpers/gatehouse.ts';

let s: ConsoleSession;

before(async () => {
  s = await openConsole();
  await s.login();
});
after(async () => {
  await s?.close();
});

const CODE = `export const handler = async (event) => {
  console.log('greeting', event.name);
  return { greeting: 'hello ' + event.name, env: process.env.GREETING ?? null };
};
`;

test('a function created from inline code runs a test event and shows its result and log tail', async () => {
  const { page } = s;
  await s.goto('/functions');
  await page.getByText('No functions in this region yet.').waitFor();
  await page.getByRole('button', { name: 'Create function' }).click();
  await page.getByLabel('Function name').fill('hello-console');
  await page.getByLabel('Runtime').selectOption('nodejs24.x');
  await page.getByLabel('Code (index.mjs)').fill(CODE);
  await s.screenshot('functions-create');
  await page.getByRole('button', { name: 'Create function' }).last().click();
  await page.getByRole('heading', { level: 1, name: 'hello-console' }).waitFor();
  assert.equal(new URL(page.url()).hash, '#/functions/hello-console');

  const conf = await s.gh.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'hello-console' }));
  assert.equal(conf.Runtime, 'nodejs24.x');
  assert.equal(conf.Handler, 'index.handler');

  await page.getByLabel('Event JSON').fill('{"name": "console"}');
  await page.getByRole('button', { name: 'Invoke' }).click();
  await page.getByRole('heading', { name: 'Execution succeeded' }).waitFor();
  assert.deepEqual(JSON.parse(await page.getByLabel('Response payload').innerText()), { greeting: 'hello console', env: null });
  const log = await page.getByLabel('Log output').innerText();
  assert.match(log, /START RequestId: [0-9a-f-]+ Version: \$LATEST/);
  assert.match(log, /greeting console/);
  assert.match(log, /REPORT RequestId: /);
  await s.screenshot('functions-invoke');

  // Bad JSON never reaches Lambda: the browser's parse error is shown.
  await page.getByLabel('Event JSON').fill('{"name": ');
  await page.getByRole('button', { name: 'Invoke' }).click();
  await page.getByRole('alert').filter({ hasText: /JSON/ }).waitFor();
  assert.deepEqual(s.problems, []);
});

test('configuration changes, a published version and an alias reach Lambda', async () => {
  const { page } = s;
  await s.goto('/functions/hello-console');
  // The tabs follow the arrow keys, as WAI-ARIA's tab pattern has it.
  await page.getByRole('tab', { name: 'Test' }).focus();
  await page.keyboard.press('ArrowRight');
  await page.getByRole('tab', { name: 'Configuration', selected: true }).waitFor();
  assert.equal(await page.evaluate('document.activeElement?.textContent'), 'Configuration');
  await page.getByLabel('Timeout (seconds)').fill('9');
  await page.getByLabel('Environment variables').fill('GREETING=hi there');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Configuration saved.').waitFor();
  const conf = await s.gh.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'hello-console' }));
  assert.equal(conf.Timeout, 9);
  assert.deepEqual(conf.Environment?.Variables, { GREETING: 'hi there' });

  // AWS's own message for a value out of range.
  await page.getByLabel('Memory (MB)').fill('1');
  await page.getByRole('button', { name: 'Save' }).click();
  const err = await page.getByRole('alert').innerText();
  // (Lambda's validation of the member, as AWS words it.)
  assert.match(err, /^ValidationException: 1 validation error detected: Value '1' at 'updateFunctionConfigurationInput.MemorySize' failed to satisfy constraint/);

  await page.getByRole('tab', { name: 'Versions and aliases' }).click();
  await page.getByLabel('Version description').fill('first');
  await page.getByRole('button', { name: 'Publish new version' }).click();
  await page.getByRole('table', { name: 'Versions' }).getByRole('row', { name: /^1 first/ }).waitFor();
  await page.getByLabel('Alias name').fill('live');
  await page.getByLabel('Alias version').selectOption('1');
  await page.getByRole('button', { name: 'Create alias' }).click();
  await page.getByRole('table', { name: 'Aliases' }).getByRole('row', { name: /live 1/ }).waitFor();
  await s.screenshot('functions-versions');
  const versions = await s.gh.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'hello-console' }));
  assert.deepEqual(versions.Versions?.map((v) => v.Version), ['$LATEST', '1']);
  const aliases = await s.gh.lambda.send(new ListAliasesCommand({ FunctionName: 'hello-console' }));
  assert.deepEqual(aliases.Aliases?.map((a) => [a.Name, a.FunctionVersion]), [['live', '1']]);

  // The alias is a qualifier the test event can use.
  await page.getByRole('tab', { name: 'Test' }).click();
  await page.getByLabel('Event JSON').fill('{"name": "alias"}');
  await page.getByLabel('Version or alias').selectOption('live');
  await page.getByRole('button', { name: 'Invoke' }).click();
  await page.getByRole('heading', { name: 'Execution succeeded' }).waitFor();
  assert.deepEqual(JSON.parse(await page.getByLabel('Response payload').innerText()), { greeting: 'hello alias', env: 'hi there' });
  assert.equal(await page.getByRole('region', { name: 'Execution result' }).locator('dd').nth(1).innerText(), '1');
});

test('the logs tab tails /aws/lambda/NAME and shows new invocations live', async () => {
  const { page } = s;
  await page.getByRole('tab', { name: 'Logs' }).click();
  const lines = page.getByLabel('Function log lines');
  await lines.filter({ hasText: 'greeting alias' }).waitFor();
  await s.gh.lambda.send(new InvokeCommand({ FunctionName: 'hello-console', Payload: new TextEncoder().encode('{"name":"from the SDK"}') }));
  await lines.filter({ hasText: 'greeting from the SDK' }).waitFor();
  await s.screenshot('functions-logs');
});

test('a function created from an uploaded .zip; a duplicate name shows AWS\'s error', async () => {
  const { page } = s;
  const dir = tempDataDir();
  const file = join(dir, 'package.zip');
  writeFileSync(file, zipSync({ 'main.mjs': strToU8('export const run = async () => ({ from: "zip" });\n') }));
  await s.goto('/functions');
  await page.getByRole('row', { name: /hello-console nodejs24\.x/ }).waitFor();
  await page.getByRole('button', { name: 'Create function' }).click();
  await page.getByLabel('Function name').fill('zipped');
  await page.getByLabel('Handler').fill('main.run');
  await page.getByLabel('Code source').selectOption('zip');
  await page.getByLabel('.zip file').setInputFiles(file);
  await page.getByRole('button', { name: 'Create function' }).last().click();
  await page.getByRole('heading', { level: 1, name: 'zipped' }).waitFor();
  const out = await s.gh.lambda.send(new InvokeCommand({ FunctionName: 'zipped' }));
  assert.deepEqual(JSON.parse(new TextDecoder().decode(out.Payload)), { from: 'zip' });

  await s.goto('/functions');
  await page.getByRole('button', { name: 'Create function' }).click();
  await page.getByLabel('Function name').fill('zipped');
  await page.getByRole('button', { name: 'Create function' }).last().click();
  assert.match(await page.getByRole('alert').innerText(), /^ResourceConflictException: Function already exist: zipped$/);
  // The browser logs the refused calls (400 and 409); nothing else went wrong.
  assert.deepEqual(s.problems.filter((p) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(p)), []);
});

test('the Code tab replaces a function\'s code (UpdateFunctionCode) from the editor or a .zip, and Invoke runs the new code', async () => {
  const { page } = s;
  const before = await s.gh.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'hello-console' }));
  await s.goto('/functions/hello-console');
  await page.getByRole('tab', { name: 'Code' }).click();
  // The stored code is a file on the server: the tab says where, and starts the editor from the handler's file.
  assert.match(await page.getByRole('tabpanel').innerText(), /cannot be opened here/);
  assert.equal(await page.getByLabel('File name').inputValue(), 'index.mjs');
  assert.equal(await page.getByTestId('code-sha').innerText(), before.CodeSha256);
  await page.getByLabel('Code (index.mjs)').fill(`export const handler = async (event) => {
  console.log('greeting', event.name);
  return { greeting: 'bonjour ' + event.name };
};
`);
  await page.getByRole('button', { name: 'Deploy', exact: true }).click();
  const note = page.getByRole('status').filter({ hasText: /^Deployed: / });
  await note.waitFor();
  const after = await s.gh.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'hello-console' }));
  assert.notEqual(after.CodeSha256, before.CodeSha256);
  assert.equal(await note.innerText(), `Deployed: code SHA-256 ${after.CodeSha256}, ${after.CodeSize} bytes, last update ${after.LastUpdateStatus}.`);
  // The page reloads the function: the SHA shown is the new one.
  await page.getByTestId('code-sha').filter({ hasText: after.CodeSha256! }).waitFor();
  await s.screenshot('functions-code');

  await page.getByRole('tab', { name: 'Test' }).click();
  await page.getByLabel('Event JSON').fill('{"name": "code"}');
  await page.getByRole('button', { name: 'Invoke' }).click();
  await page.getByRole('heading', { name: 'Execution succeeded' }).waitFor();
  assert.deepEqual(JSON.parse(await page.getByLabel('Response payload').innerText()), { greeting: 'bonjour code' });
  // Version 1 (alias live) keeps the code it was published with.
  await page.getByLabel('Version or alias').selectOption('live');
  await page.getByRole('button', { name: 'Invoke' }).click();
  await page.getByRole('region', { name: 'Execution result' }).getByText('hello code').waitFor();
  assert.deepEqual(JSON.parse(await page.getByLabel('Response payload').innerText()), { greeting: 'hello code', env: 'hi there' });

  // A .zip: without a file nothing is sent; with one, the function runs the new package.
  await s.goto('/functions/zipped');
  await page.getByRole('tab', { name: 'Code' }).click();
  await page.getByLabel('New code from').selectOption('zip');
  await page.getByRole('button', { name: 'Deploy', exact: true }).click();
  assert.equal(await page.getByRole('alert').innerText(), 'Choose a .zip file to upload.');
  const file = join(tempDataDir(), 'update.zip');
  writeFileSync(file, zipSync({ 'main.mjs': strToU8('export const run = async () => ({ from: "the new zip" });\n') }));
  await page.getByLabel('Deployment package (.zip)').setInputFiles(file);
  await page.getByRole('button', { name: 'Deploy', exact: true }).click();
  await page.getByRole('status').filter({ hasText: /^Deployed: / }).waitFor();
  await page.getByRole('tab', { name: 'Test' }).click();
  await page.getByRole('button', { name: 'Invoke' }).click();
  await page.getByRole('heading', { name: 'Execution succeeded' }).waitFor();
  assert.deepEqual(JSON.parse(await page.getByLabel('Response payload').innerText()), { from: 'the new zip' });
  assert.deepEqual(s.problems.filter((p) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(p)), []);
});

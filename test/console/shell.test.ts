// The console's shell in Chromium: served by Gatehouse, sign-in, the APIs list through the SDK from the page's own
// origin, navigation by keyboard, both themes, sign-out; no page or CSP errors on the way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CreateRestApiCommand } from '@aws-sdk/client-api-gateway';
import { openConsole, type ConsoleSession } from './harness.ts';

let s: ConsoleSession;

before(async () => {
  s = await openConsole();
});
after(async () => {
  await s?.close();
});

test('signing in shows the APIs of the region, listed by the SDK from the page', async () => {
  const api = await s.gh.apigateway.send(new CreateRestApiCommand({ name: 'PetStore', description: 'made by the SDK' }));
  const requests: string[] = [];
  s.page.on('request', (r) => requests.push(`${r.method()} ${new URL(r.url()).pathname} ${r.headers().authorization?.slice(0, 16) ?? ''}`));
  const t0 = Date.now();
  await s.login();
  console.log(`signed in within ${Date.now() - t0} ms`);
  const row = s.page.getByRole('row', { name: /PetStore/ });
  await row.waitFor();
  assert.match(await row.innerText(), new RegExp(`PetStore\\s+${api.id}\\s+EDGE`));
  // The list came from a SigV4-signed GetRestApis on the page's own origin.
  assert.ok(requests.includes('GET /restapis AWS4-HMAC-SHA256'), requests.join('\n'));
  assert.equal(await s.page.evaluate(() => Boolean(sessionStorage.getItem('gatehouse.console.login')) && !localStorage.getItem('gatehouse.console.login')), true);
  await s.screenshot('shell-apis-light');
  assert.deepEqual(s.problems, []);
});

test('the theme toggles between light and dark and is kept', async () => {
  assert.equal(await s.page.evaluate('document.documentElement.dataset.theme'), 'light');
  await s.page.getByRole('button', { name: 'Switch to dark theme' }).click();
  assert.equal(await s.page.evaluate('document.documentElement.dataset.theme'), 'dark');
  await s.page.reload();
  await s.page.getByRole('heading', { level: 1, name: 'APIs' }).waitFor();
  assert.equal(await s.page.evaluate('document.documentElement.dataset.theme'), 'dark');
  await s.screenshot('shell-apis-dark');
  await s.page.getByRole('button', { name: 'Switch to light theme' }).click();
  assert.equal(await s.page.evaluate('document.documentElement.dataset.theme'), 'light');
});

test('the keyboard reaches the skip link, the menu and the content', async () => {
  await s.goto('/apis');
  await s.page.reload();
  await s.page.getByRole('heading', { level: 1, name: 'APIs' }).waitFor();
  await s.page.keyboard.press('Tab');
  assert.equal(await s.page.evaluate('document.activeElement?.textContent'), 'Skip to content');
  await s.page.keyboard.press('Enter');
  assert.equal(await s.page.evaluate('document.activeElement?.id'), 'main');
  // Enter on a menu link navigates; focus moves to the new view.
  await s.page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'APIs' }).focus();
  await s.page.keyboard.press('Enter');
  await s.page.getByRole('heading', { level: 1, name: 'APIs' }).waitFor();
  assert.deepEqual(s.problems, []);
});

test('an unknown console path goes to the APIs list', async () => {
  await s.page.goto(s.url('/no/such/view'));
  await s.page.getByRole('heading', { level: 1, name: 'APIs' }).waitFor();
  assert.equal(new URL(s.page.url()).hash, '#/apis');
});

test('signing out forgets the credentials', async () => {
  await s.page.getByRole('button', { name: 'Sign out' }).click();
  await s.page.getByRole('heading', { name: 'Sign in to the Gatehouse console' }).waitFor();
  assert.equal(await s.page.evaluate(() => sessionStorage.getItem('gatehouse.console.login') ?? localStorage.getItem('gatehouse.console.login')), null);
  await s.page.reload();
  await s.page.getByRole('heading', { name: 'Sign in to the Gatehouse console' }).waitFor();
});

test('credentials kept "in this browser" survive a new tab', async () => {
  await s.login({ remember: 'browser' });
  const other = await s.context.newPage();
  try {
    await other.goto(s.url('/apis'));
    await other.getByRole('row', { name: /PetStore/ }).waitFor();
  } finally {
    await other.close();
  }
  await s.page.getByRole('button', { name: 'Sign out' }).click();
  assert.equal(await s.page.evaluate(() => localStorage.getItem('gatehouse.console.login')), null);
  assert.deepEqual(s.problems, []);
});

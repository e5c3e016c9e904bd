// Browser harness for the console's tests: Debian's Chromium (/usr/bin/chromium, installed by .ci/run) driven by
// playwright-core, headless, with a fresh profile per launch; a Gatehouse on a free loopback port; helpers that sign
// in and navigate as a user does; screenshots under test/console/artifacts/ (git-ignored) for a person to look at.
// Page errors and console errors (CSP violations among them) are collected so a test can assert there were none.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ROOT, startGatehouse, TEST_CREDENTIALS, type Running } from '../helpers/gatehouse.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join(ROOT, 'test', 'console', 'artifacts');
export const CONSOLE_PATH = '/_gatehouse/console/';

/** Chromium as the tests run it; fails (never skips) when it is missing. */
export async function launchChromium(): Promise<Browser> {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: .ci/run installs Debian's chromium (apt-get install -y chromium)`);
  assert.ok(existsSync(join(ROOT, 'console', 'dist', 'index.html')), 'the console is not built: npm install (or npm run build:console) builds it');
  // playwright's launch() gives every browser a fresh temporary --user-data-dir and adds --headless.
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface ConsoleSession {
  gh: Running;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Page errors and console errors seen so far. */
  problems: string[];
  /** The console's URL for a console path (`/apis` → …/_gatehouse/console/#/apis). */
  url(path?: string): string;
  /** Opens the console and signs in with the test credentials (kept in this tab). */
  login(opts?: { region?: string; remember?: 'tab' | 'browser'; credentials?: { accessKeyId: string; secretAccessKey: string } }): Promise<void>;
  /** Goes to a console path and waits for its first heading. */
  goto(path: string): Promise<void>;
  /** Saves a full-page screenshot as artifacts/NAME.png. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function openConsole(opts: { gh?: Running; colorScheme?: 'light' | 'dark' } = {}): Promise<ConsoleSession> {
  const gh = opts.gh ?? (await startGatehouse());
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: opts.colorScheme ?? 'light' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: gh.endpoint });
  const page = await context.newPage();
  // A step that cannot happen fails in seconds, not after playwright's 30 s default.
  page.setDefaultTimeout(20_000);
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    // A 4xx is an AWS error answer, which the page shows (tests assert it); anything else is a problem.
    if (msg.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(msg.text())) problems.push(`console error: ${msg.text()}`);
  });
  const url = (path = '') => `${gh.endpoint}${CONSOLE_PATH}${path ? `#${path}` : ''}`;
  const session: ConsoleSession = {
    gh,
    browser,
    context,
    page,
    problems,
    url,
    async login({ region = 'us-east-1', remember = 'tab', credentials = TEST_CREDENTIALS } = {}) {
      await page.goto(url());
      await page.getByLabel('Access key ID').fill(credentials.accessKeyId);
      await page.getByLabel('Secret access key').fill(credentials.secretAccessKey);
      await page.getByLabel('Region').fill(region);
      await page.getByLabel('Keep these credentials').selectOption(remember);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'APIs' }).waitFor();
    },
    async goto(path) {
      await page.goto(url(path));
      await page.locator('main h1').first().waitFor();
    },
    async screenshot(name) {
      mkdirSync(ARTIFACTS, { recursive: true });
      const file = join(ARTIFACTS, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async close() {
      await context.close();
      await browser.close();
      if (!opts.gh) await gh.stop();
    },
  };
  return session;
}

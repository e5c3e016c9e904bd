// The console's static files: no path leaves console/dist, every answer carries the headers that keep other pages
// from framing or feeding it (CSP, X-Frame-Options, nosniff), only GET/HEAD are served, and a missing build is
// said in one line. In Chromium, a page on another origin cannot frame the console.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGatehouse, type Running } from '../helpers/gatehouse.ts';
import { serveConsole, CONSOLE_SECURITY_HEADERS } from '../../src/server/console-assets.ts';
import { launchChromium } from '../console/harness.ts';

let gh: Running;
before(async () => {
  gh = await startGatehouse();
});
after(async () => {
  await gh.stop();
});

/** A raw GET (fetch would normalise `..` and `%2e%2e` away before sending). */
function rawGet(endpoint: string, path: string, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { hostname, port } = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function assertSecurityHeaders(headers: Record<string, string | string[] | undefined>) {
  for (const [name, value] of Object.entries(CONSOLE_SECURITY_HEADERS)) assert.equal(headers[name.toLowerCase()], value, name);
  assert.match(String(headers['content-security-policy']), /frame-ancestors 'none'/);
  assert.match(String(headers['content-security-policy']), /script-src 'self';/);
}

test('the console page and its assets carry the security headers', async () => {
  const page = await rawGet(gh.endpoint, '/_gatehouse/console/');
  assert.equal(page.status, 200);
  assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
  assert.equal(page.headers['cache-control'], 'no-cache');
  assertSecurityHeaders(page.headers);
  const script = /src="(\/_gatehouse\/console\/assets\/[^"]+\.js)"/.exec(page.body)?.[1];
  assert.ok(script, page.body);
  const asset = await rawGet(gh.endpoint, script);
  assert.equal(asset.status, 200);
  assert.equal(asset.headers['content-type'], 'text/javascript; charset=utf-8');
  assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
  assertSecurityHeaders(asset.headers);
});

test('no path leaves the console build', async () => {
  for (const path of [
    '/_gatehouse/console/../../package.json',
    '/_gatehouse/console/..%2f..%2fpackage.json',
    '/_gatehouse/console/%2e%2e/%2e%2e/package.json',
    '/_gatehouse/console/assets/..%5c..%5c..%5cpackage.json',
    '/_gatehouse/console/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2fsrc%2fserver%2fapp.ts',
    '/_gatehouse/console/index.html%00.js',
    '/_gatehouse/console/%E0%A4%A',
  ]) {
    const res = await rawGet(gh.endpoint, path);
    assert.equal(res.status, 404, `${path}: ${res.status} ${res.body.slice(0, 80)}`);
    assert.doesNotMatch(res.body, /"name": "gatehouse"|createGatehouse/);
    assertSecurityHeaders(res.headers);
  }
});

test('only GET and HEAD are served; /_gatehouse/console redirects to the folder', async () => {
  const post = await rawGet(gh.endpoint, '/_gatehouse/console/', 'POST');
  assert.equal(post.status, 405);
  assert.equal(post.headers.allow, 'GET, HEAD');
  const head = await rawGet(gh.endpoint, '/_gatehouse/console/', 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.body, '');
  const bare = await rawGet(gh.endpoint, '/_gatehouse/console');
  assert.equal(bare.status, 308);
  assert.equal(bare.headers.location, '/_gatehouse/console/');
});

test('a missing build is said in one line', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'gatehouse-console-'));
  const server: Server = createServer((req, res) => void serveConsole(req, res, req.url!.slice('/_gatehouse'.length), empty));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const res = await rawGet(`http://127.0.0.1:${(server.address() as { port: number }).port}`, '/_gatehouse/console/');
    assert.equal(res.status, 503);
    assert.equal(res.body, 'The Gatehouse console is not built: run `npm install` (its prepare script builds it) or `npm run build:console` in the Gatehouse directory, then reload.');
  } finally {
    server.close();
    rmSync(empty, { recursive: true, force: true });
  }
});

test('a page on another origin cannot frame the console', async () => {
  const attacker = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><iframe id="f" src="${gh.endpoint}/_gatehouse/console/"></iframe>`);
  });
  await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', r));
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const blocked = page.waitForEvent('console', (m) => /frame-ancestors|X-Frame-Options|Refused to display/i.test(m.text()));
    await page.goto(`http://localhost:${(attacker.address() as { port: number }).port}/`);
    await blocked;
    // The frame never ran the console: no frame of the page is at the console's origin with a sign-in form.
    const consoleFrame = page.frames().find((f) => f.url().startsWith(gh.endpoint));
    assert.equal(consoleFrame ? await consoleFrame.locator('form').count() : 0, 0);
  } finally {
    await browser.close();
    attacker.close();
  }
});

// The drive-by attacks of issue 8 in a real browser (Debian's Chromium through playwright-core): a page on another
// origin tries plain cross-origin POSTs (fetch no-cors, a form), a preflighted call with a SigV4 header, a
// presigned-looking query, the dev-mode reset, and DNS rebinding (a page whose own name resolves to Gatehouse).
// Nothing may change, and the page may read nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { GetRestApisCommand } from '@aws-sdk/client-api-gateway';
import { ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { startGatehouse, type Running } from '../helpers/gatehouse.ts';
import { CREATE_FUNCTION } from './payloads.ts';

const CHROMIUM = '/usr/bin/chromium';
let gh: Running;
let browser: Browser;
let attacker: Server;
let attackerOrigin: string;

const SIGV4 = {
  Authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/apigateway/aws4_request, SignedHeaders=host;x-amz-date, Signature=00',
  'X-Amz-Date': '20260101T000000Z',
};
const PRESIGNED =
  'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=A%2F20260101%2Fus-east-1%2Flambda%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-SignedHeaders=host&X-Amz-Signature=0';

/** The attacks, run in the page; `target` is Gatehouse's origin as the page names it. Returns what the page saw. */
const ATTACKS = `
async function attacks(target, sameOrigin) {
  const seen = [];
  const attempt = async (name, fn) => {
    try { seen.push(name + ': ' + (await fn())); } catch (e) { seen.push(name + ': blocked (' + e.name + ')'); }
  };
  const mode = sameOrigin ? 'same-origin' : 'no-cors';
  await attempt('no-cors lambda create', async () => (await fetch(target + '/2015-03-31/functions', { method: 'POST', mode, headers: { 'content-type': 'text/plain' }, body: ${JSON.stringify(CREATE_FUNCTION)} })).status);
  await attempt('no-cors apigateway create', async () => (await fetch(target + '/restapis', { method: 'POST', mode, headers: { 'content-type': 'text/plain' }, body: '{"name":"pwned"}' })).status);
  await attempt('presigned-looking create', async () => (await fetch(target + '/2015-03-31/functions?${PRESIGNED}', { method: 'POST', mode, headers: { 'content-type': 'text/plain' }, body: ${JSON.stringify(CREATE_FUNCTION)} })).status);
  await attempt('sigv4 header (preflighted)', async () => {
    const r = await fetch(target + '/restapis', { method: 'POST', headers: { ...${JSON.stringify(SIGV4)}, 'content-type': 'application/json' }, body: '{"name":"pwned"}' });
    return r.status + ' ' + (await r.text());
  });
  await attempt('read the API list', async () => {
    const r = await fetch(target + '/restapis', { headers: ${JSON.stringify(SIGV4)} });
    return r.status + ' ' + (await r.text());
  });
  await attempt('reset (no-cors)', async () => (await fetch(target + '/_gatehouse/reset', { method: 'POST', mode })).status);
  await attempt('reset with confirmation (preflighted)', async () => (await fetch(target + '/_gatehouse/reset', { method: 'POST', headers: { 'x-gatehouse-confirm': 'reset' } })).status);
  // A form post: a top-level navigation in a hidden iframe.
  await new Promise((done) => {
    const frame = document.createElement('iframe');
    frame.name = 'sink';
    document.body.appendChild(frame);
    const form = document.createElement('form');
    form.method = 'POST';
    form.enctype = 'text/plain';
    form.action = target + '/restapis';
    form.target = 'sink';
    const input = document.createElement('input');
    input.name = '{"name":"pwned","x":"';
    input.value = '"}';
    form.appendChild(input);
    document.body.appendChild(form);
    frame.onload = done;
    form.submit();
    setTimeout(done, 3000);
  });
  return seen;
}
`;

before(async () => {
  gh = await startGatehouse({ dev: true });
  attacker = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><html><body><script>${ATTACKS}</script></body></html>`);
  });
  await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', r));
  attackerOrigin = `http://attacker.localhost:${(attacker.address() as { port: number }).port}`;
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: .ci/run installs Debian's chromium`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--host-resolver-rules=MAP rebind.test 127.0.0.1',
      // Chromium's own Local Network Access checks would block the rebinding page before Gatehouse sees it; other
      // browsers have none, so they are switched off to prove that Gatehouse itself refuses.
      '--disable-features=LocalNetworkAccessChecks,PrivateNetworkAccessRespectPreflightResults,BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights',
    ],
  });
});

after(async () => {
  await browser?.close();
  await new Promise((r) => attacker.close(r));
  await gh.stop();
});

async function assertUntouched() {
  assert.deepEqual((await gh.apigateway.send(new GetRestApisCommand({}))).items ?? [], []);
  assert.deepEqual((await gh.lambda.send(new ListFunctionsCommand({}))).Functions ?? [], []);
  assert.equal((await fetch(`${gh.endpoint}/_gatehouse/health`)).status, 200);
}

test('a page on another origin changes nothing and reads nothing', async () => {
  const page = await browser.newPage();
  try {
    await page.goto(`${attackerOrigin}/`);
    const seen = (await page.evaluate(`attacks(${JSON.stringify(gh.endpoint)}, false)`)) as string[];
    // Opaque no-cors answers read as status 0; preflighted calls fail in the browser before being sent.
    assert.deepEqual(seen, [
      'no-cors lambda create: 0',
      'no-cors apigateway create: 0',
      'presigned-looking create: 0',
      'sigv4 header (preflighted): blocked (TypeError)',
      'read the API list: blocked (TypeError)',
      'reset (no-cors): 0',
      'reset with confirmation (preflighted): blocked (TypeError)',
    ]);
    await assertUntouched();
  } finally {
    await page.close();
  }
});

test('DNS rebinding: a page whose own name resolves to Gatehouse changes nothing and reads nothing', async () => {
  // rebind.test resolves to 127.0.0.1 (the browser's host resolver rules), so after the page is loaded from the
  // attacker, same-origin requests reach Gatehouse with Host rebind.test.
  const origin = `http://rebind.test:${gh.port}`;
  const page = await browser.newPage();
  try {
    await page.route(`${origin}/`, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: `<!doctype html><html><body><script>${ATTACKS}</script></body></html>` }),
    );
    await page.goto(`${origin}/`);
    const seen = (await page.evaluate(`attacks(${JSON.stringify(origin)}, true)`)) as string[];
    const refused = `403 {"message":"Host 'rebind.test:${gh.port}' is not served by this Gatehouse; the operator can serve a name with --public-host"}`;
    assert.deepEqual(seen, [
      'no-cors lambda create: 403',
      'no-cors apigateway create: 403',
      'presigned-looking create: 403',
      `sigv4 header (preflighted): ${refused}`,
      `read the API list: ${refused}`,
      'reset (no-cors): 403',
      'reset with confirmation (preflighted): 403',
    ]);
    await assertUntouched();
  } finally {
    await page.close();
  }
});

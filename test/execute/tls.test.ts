// HTTPS backends: a certificate the gateway cannot verify fails as AWS fails it (500, "General SSLEngine
// problem" in the execution log) unless the integration sets tlsConfig.insecureSkipVerification.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiBuilder, startGatehouse } from './helpers.ts';
import type { Running } from '../helpers/gatehouse.ts';

describe('HTTPS integrations', () => {
  let gh: Running;
  let api: ApiBuilder;
  let server: Server;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-tls-'));
    // A self-signed certificate for 127.0.0.1, made with Debian's openssl.
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"secure":true}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `https://127.0.0.1:${(server.address() as { port: number }).port}/`;
    gh = await startGatehouse();
    api = await ApiBuilder.create(gh);
    await api.method('/strict', 'GET', { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: url });
    await api.method('/insecure', 'GET', { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: url, tlsConfig: { insecureSkipVerification: true } });
    await api.deploy('test');
  });

  after(async () => {
    await gh.stop();
    server.closeAllConnections();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('an unverifiable certificate: 500 Internal server error', async () => {
    const r = await api.invoke('test', '/strict');
    assert.equal(r.status, 500);
    assert.equal(r.body, '{"message": "Internal server error"}');
    assert.equal(r.headers['x-amzn-errortype'], 'InternalServerErrorException');
  });

  test('insecureSkipVerification reaches the backend', async () => {
    const r = await api.invoke('test', '/insecure');
    assert.equal(r.status, 200);
    assert.equal(r.body, '{"secure":true}');
  });
});

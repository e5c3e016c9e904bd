// HTTPS backends: a certificate the gateway cannot verify fails as AWS fails it (500, "General SSLEngine
// problem" in the execution log) unless the integration sets tlsConfig.insecureSkipVerification.
// HTTPS in front (`--tls-port`): custom domain names with their own certificates chosen by SNI, everything else with
// the default certificate, driven by real TLS clients (undici, curl --resolve) against *.localhost names.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { connect as tlsConnect, type PeerCertificate } from 'node:tls';
import type { LookupFunction } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { AG, ApiBuilder, startEcho, startGatehouse, type EchoServer } from './helpers.ts';
import { sigv4Headers, spawnGatehouse, type Running } from '../helpers/gatehouse.ts';
import { tempDataDir } from '../helpers/temp.ts';

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

/** A self-signed certificate and key for `name` (Debian's openssl), as a user would upload with CreateDomainName. */
function selfSigned(dir: string, name: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.pem`);
  const key = join(dir, `${name}-key.pem`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '2',
    '-subj', `/CN=${name}`, '-addext', `subjectAltName=DNS:${name}`], { stdio: 'ignore' });
  return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
}

// Every name resolves to 127.0.0.1, as `curl --resolve` does: no DNS involved.
const loopback: LookupFunction = (_host, opts, cb) => {
  if ((opts as { all?: boolean }).all) (cb as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
  else cb(null, '127.0.0.1', 4);
};

async function httpsGet(url: string, ca: string | string[], headers: Record<string, string> = {}) {
  const agent = new Agent({ connect: { ca, lookup: loopback } });
  try {
    const res = await request(url, { dispatcher: agent, headers });
    const body = await res.body.text();
    return { status: res.statusCode, headers: res.headers, body };
  } finally {
    await agent.close();
  }
}

/** The certificate the server presents for `servername` (verification off: this only looks). */
function presented(port: number, servername: string, opts: { maxVersion?: 'TLSv1.2' | 'TLSv1.3' } = {}): Promise<{ cert: PeerCertificate; protocol: string | null }> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false, ...opts }, () => {
      const out = { cert: socket.getPeerCertificate(), protocol: socket.getProtocol() };
      // A connection the server drops after the handshake fails on the first exchange, not here.
      socket.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      let data = '';
      socket.on('data', (d) => (data += d));
      socket.on('close', () => (data ? resolve(out) : reject(new Error('closed without an answer'))));
    });
    socket.on('error', reject);
  });
}

function curl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('curl', ['-sS', ...args], (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

const CERT_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/0f6b8c1e-1111-2222-3333-444455556666';

describe('HTTPS listener (--tls-port)', () => {
  let gh: Running;
  let api: ApiBuilder;
  let echo: EchoServer;
  let dir: string;
  let port: number;
  let ca: string;
  let edge: { cert: string; key: string };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-tls-front-'));
    edge = selfSigned(dir, 'edge.example.localhost');
    echo = await startEcho();
    gh = await startGatehouse({ config: { tlsPort: 0 } });
    port = gh.gatehouse.tls!.port;
    ca = readFileSync(gh.gatehouse.tls!.caFile, 'utf8');
    api = await ApiBuilder.create(gh);
    await api.method('/', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, {
      responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"domainName":"$context.domainName","path":"$context.path","stage":"$context.stage"}' } }],
    });
    await api.method('/echo', 'GET', { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `${echo.url}/seen` });
    await api.deploy('prod');
    const c = gh.apigateway;
    await c.send(new AG.CreateDomainNameCommand({ domainName: 'edge.example.localhost', certificateName: 'edge', certificateBody: edge.cert, certificatePrivateKey: edge.key }));
    await c.send(new AG.CreateBasePathMappingCommand({ domainName: 'edge.example.localhost', restApiId: api.apiId, stage: 'prod' }));
    await c.send(new AG.CreateDomainNameCommand({ domainName: 'api.example.localhost', regionalCertificateArn: CERT_ARN, endpointConfiguration: { types: ['REGIONAL'] } }));
    await c.send(new AG.CreateBasePathMappingCommand({ domainName: 'api.example.localhost', basePath: 'v1', restApiId: api.apiId, stage: 'prod' }));
    await c.send(new AG.CreateDomainNameCommand({
      domainName: 'tls13.example.localhost', regionalCertificateArn: CERT_ARN, endpointConfiguration: { types: ['REGIONAL'] }, securityPolicy: 'SecurityPolicy_TLS13_1_3_2025_09',
    }));
    await c.send(new AG.CreateBasePathMappingCommand({ domainName: 'tls13.example.localhost', restApiId: api.apiId, stage: 'prod' }));
  });

  after(async () => {
    await gh.stop();
    await echo.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a domain with an uploaded certificate presents exactly it (undici verifies it by name)', async () => {
    const r = await httpsGet(`https://edge.example.localhost:${port}/`, edge.cert);
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(JSON.parse(r.body), { domainName: 'edge.example.localhost', path: '/', stage: 'prod' });
    const { cert } = await presented(port, 'edge.example.localhost');
    assert.equal(cert.fingerprint256, new (await import('node:crypto')).X509Certificate(edge.cert).fingerprint256);
    // Gatehouse's CA did not issue it: trusting only that CA fails.
    await assert.rejects(httpsGet(`https://edge.example.localhost:${port}/`, ca), (e: Error & { cause?: { code?: string } }) => {
      assert.match(`${e.cause?.code ?? ''} ${e.message}`, /self-signed certificate|SELF_SIGNED/);
      return true;
    });
  });

  test('a domain naming an ACM certificate gets one for its name from Gatehouse\'s CA; base path stripped', async () => {
    const r = await httpsGet(`https://api.example.localhost:${port}/v1`, ca);
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(JSON.parse(r.body), { domainName: 'api.example.localhost', path: '/v1', stage: 'prod' });
    const { cert } = await presented(port, 'api.example.localhost');
    assert.equal(cert.subjectaltname, 'DNS:api.example.localhost');
    // The backend hears that the client came over HTTPS.
    const proxied = await httpsGet(`https://api.example.localhost:${port}/v1/echo`, ca);
    assert.equal(proxied.status, 200, proxied.body);
    assert.equal(echo.requests.at(-1)!.headers['x-forwarded-proto'], 'https');
  });

  test('curl --resolve: a custom domain and an execute-api host over HTTPS, unmapped paths 403', async () => {
    const caFile = gh.gatehouse.tls!.caFile;
    const domain = await curl(['--cacert', caFile, '--resolve', `api.example.localhost:${port}:127.0.0.1`, `https://api.example.localhost:${port}/v1`]);
    assert.equal(domain.code, 0, domain.stderr);
    assert.deepEqual(JSON.parse(domain.stdout), { domainName: 'api.example.localhost', path: '/v1', stage: 'prod' });
    const unmapped = await curl(['--cacert', caFile, '--resolve', `api.example.localhost:${port}:127.0.0.1`, '-w', '\n%{http_code}', `https://api.example.localhost:${port}/v2/x`]);
    assert.equal(unmapped.stdout, '{"message":"Forbidden"}\n403');
    const host = `${api.apiId}.execute-api.localhost`;
    const exec = await curl(['--cacert', caFile, '--resolve', `${host}:${port}:127.0.0.1`, `https://${host}:${port}/prod/`]);
    assert.equal(exec.code, 0, exec.stderr);
    const seen = JSON.parse(exec.stdout);
    // $context.domainName of a host-style call is its Host (with the port the client sent).
    assert.match(seen.domainName, new RegExp(`^${host.replace(/\./g, '\\.')}(:${port})?$`));
    assert.deepEqual({ path: seen.path, stage: seen.stage }, { path: '/prod/', stage: 'prod' });
  });

  test('the control APIs answer over HTTPS with the default certificate', async () => {
    const r = await httpsGet(`https://localhost:${port}/restapis`, ca, sigv4Headers());
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(JSON.parse(r.body).item.map((a: { id: string }) => a.id), [api.apiId]);
  });

  test('a TLS 1.3 security policy refuses TLS 1.2 clients and serves TLS 1.3 ones', async () => {
    const ok = await presented(port, 'tls13.example.localhost');
    assert.equal(ok.protocol, 'TLSv1.3');
    await assert.rejects(presented(port, 'tls13.example.localhost', { maxVersion: 'TLSv1.2' }));
    // Other domains still speak TLS 1.2.
    assert.equal((await presented(port, 'api.example.localhost', { maxVersion: 'TLSv1.2' })).protocol, 'TLSv1.2');
    assert.equal((await httpsGet(`https://localhost:${port}/_gatehouse/health`, ca)).status, 200);
  });
});

describe('HTTPS default certificate', () => {
  test('--tls-cert/--tls-key: the given certificate serves execute-api and control', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-tls-default-'));
    const own = selfSigned(dir, 'localhost');
    const gh = await startGatehouse({ config: { tlsPort: 0, tlsCert: join(dir, 'localhost.pem'), tlsKey: join(dir, 'localhost-key.pem') } });
    try {
      const r = await httpsGet(`https://localhost:${gh.gatehouse.tls!.port}/_gatehouse/health`, own.cert);
      assert.equal(r.status, 200, r.body);
      const { cert } = await presented(gh.gatehouse.tls!.port, 'localhost');
      assert.equal(cert.subjectaltname, 'DNS:localhost');
    } finally {
      await gh.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('gatehouse serve with GATEHOUSE_TLS_PORT prints the HTTPS port and the CA to trust; a bad --tls-cert stops it in one line', async () => {
    const dataDir = tempDataDir();
    const spawned = await spawnGatehouse({ dataDir, env: { GATEHOUSE_TLS_PORT: '0' } });
    try {
      // The notice follows the listening line.
      for (let i = 0; i < 50 && !/HTTPS on port/.test(spawned.output()); i++) await new Promise((r) => setTimeout(r, 100));
      const m = /HTTPS on port (\d+) \(custom domain names by SNI\)\. HTTPS certificates are issued by Gatehouse's own CA \(generated now\): (\S+)\n/.exec(spawned.output());
      assert.ok(m, spawned.output());
      assert.equal(m[2], join(dataDir, 'tls', 'ca.pem'));
      const r = await curl(['--cacert', m[2]!, `https://localhost:${m[1]}/_gatehouse/health`]);
      assert.equal(r.code, 0, r.stderr);
    } finally {
      assert.equal(await spawned.stop(), 0);
    }
    const failed = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(process.execPath, [join(import.meta.dirname, '../../src/cli/main.ts'), 'serve', '--port', '0', '--data-dir', dataDir, '--tls-port', '0', '--tls-cert', '/nonexistent/cert.pem', '--tls-key', '/nonexistent/key.pem'],
        (err, _stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code) : 0, stderr }));
    });
    assert.equal(failed.code, 1);
    assert.equal(failed.stderr, 'gatehouse: --tls-cert /nonexistent/cert.pem cannot be read: ENOENT\n');
    rmSync(dataDir, { recursive: true, force: true });
  });
});

// What embedded mode keeps in its data directory's files and every node must share, scale-out nodes keep in
// PostgreSQL: Gatehouse's own CA (custom domains' certificates, --tls-port) and the keys of local user pools
// (`gatehouse tokens issue`). Nodes with separate, empty data directories, started at the same moment, agree on one
// CA; a domain created through one node is served by another with a certificate of that CA; a token made with
// `gatehouse tokens` against one node's data is accepted by a COGNITO_USER_POOLS authorizer on another. A data
// directory that already holds tls/ and user-pools/ (from embedded mode) hands them to the store.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { LookupFunction } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeProtectedHeader } from 'jose';
import pg from 'pg';
import { Agent, request } from 'undici';
import * as AG from '@aws-sdk/client-api-gateway';
import { clients, ROOT, spawnGatehouse, tempDataDir, type Spawned } from '../helpers/gatehouse.ts';
import { freshDatabaseUrl } from '../helpers/postgres.ts';
import { invoke } from '../execute/helpers.ts';

const run = promisify(execFile);
const POOL = 'us-east-1_SharedPool1';
const ARN = `arn:aws:cognito-idp:us-east-1:123456789012:userpool/${POOL}`;
const CERT_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
const started: Spawned[] = [];

after(async () => {
  for (const n of started) await n.stop('SIGKILL');
});

interface Node extends Spawned {
  tlsPort: number;
  dataDir: string;
}

/** `gatehouse serve` with --tls-port (the default certificate from Gatehouse's CA); resolves once HTTPS listens. */
async function startNode(dataDir: string, databaseUrl: string | undefined, dev = false): Promise<Node> {
  const env: Record<string, string> = { GATEHOUSE_TLS_PORT: '0', GATEHOUSE_LOG_LEVEL: 'warn' };
  if (databaseUrl) env.GATEHOUSE_DATABASE_URL = databaseUrl;
  const node = await spawnGatehouse({ dataDir, env, dev });
  started.push(node);
  // The HTTPS line follows the listening line.
  for (let i = 0; i < 100 && !/HTTPS on port \d+/.test(node.output()); i++) await new Promise((r) => setTimeout(r, 50));
  const m = /HTTPS on port (\d+)/.exec(node.output());
  assert.ok(m, node.output());
  return { ...node, tlsPort: Number(m[1]), dataDir };
}

async function issueTokens(dataDir: string, databaseUrl?: string): Promise<{ idToken: string; accessToken: string }> {
  const args = [join(ROOT, 'src/cli/main.ts'), 'tokens', 'issue', '--data-dir', dataDir, '--user-pool', ARN, '--sub', 'alice'];
  if (databaseUrl) args.push('--database-url', databaseUrl);
  const { stdout } = await run(process.execPath, args, { env: { ...process.env, GATEHOUSE_DATABASE_URL: '' } });
  return JSON.parse(stdout);
}

/** Rows of a store collection, read straight from PostgreSQL. */
async function rows(databaseUrl: string, collection: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<{ key: string }>('SELECT key FROM items WHERE collection = $1 ORDER BY key', [collection])).rows.map((r) => r.key);
  } finally {
    await client.end();
  }
}

/**
 * Through `node`: an API with GET / (MOCK) mapped by a custom domain `domain` that names an ACM certificate (so the
 * node's CA issues it), and GET /me behind a COGNITO_USER_POOLS authorizer of the local pool; deployed to prod.
 */
async function setUp(node: Spawned, domain: string): Promise<string> {
  const c = clients(node.endpoint).apigateway;
  const restApiId = (await c.send(new AG.CreateRestApiCommand({ name: 'shared' }))).id!;
  const root = (await c.send(new AG.GetResourcesCommand({ restApiId }))).items!.find((r) => r.path === '/')!.id!;
  const me = (await c.send(new AG.CreateResourceCommand({ restApiId, parentId: root, pathPart: 'me' }))).id!;
  const auth = await c.send(new AG.CreateAuthorizerCommand({ restApiId, name: 'local', type: 'COGNITO_USER_POOLS', providerARNs: [ARN], identitySource: 'method.request.header.Authorization' }));
  const methods: Array<[string, Partial<AG.PutMethodCommandInput>, string]> = [
    [root, { authorizationType: 'NONE' }, '{"domainName":"$context.domainName"}'],
    [me, { authorizationType: 'COGNITO_USER_POOLS', authorizerId: auth.id }, '{"sub":"$context.authorizer.claims.sub"}'],
  ];
  for (const [resourceId, method, template] of methods) {
    await c.send(new AG.PutMethodCommand({ restApiId, resourceId, httpMethod: 'GET', authorizationType: 'NONE', ...method }));
    await c.send(new AG.PutIntegrationCommand({ restApiId, resourceId, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await c.send(new AG.PutMethodResponseCommand({ restApiId, resourceId, httpMethod: 'GET', statusCode: '200' }));
    await c.send(new AG.PutIntegrationResponseCommand({ restApiId, resourceId, httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': template } }));
  }
  await c.send(new AG.CreateDeploymentCommand({ restApiId, stageName: 'prod' }));
  await c.send(new AG.CreateDomainNameCommand({ domainName: domain, regionalCertificateArn: CERT_ARN, endpointConfiguration: { types: ['REGIONAL'] } }));
  await c.send(new AG.CreateBasePathMappingCommand({ domainName: domain, restApiId, stage: 'prod' }));
  c.destroy();
  return restApiId;
}

// Every name resolves to 127.0.0.1, as `curl --resolve` does.
const loopback: LookupFunction = (_host, opts, cb) => {
  if ((opts as { all?: boolean }).all) (cb as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
  else cb(null, '127.0.0.1', 4);
};

/** GET over HTTPS trusting only `ca`; polled for up to 2 s (the domain reaches other nodes through NOTIFY). */
async function httpsGet(url: string, ca: string): Promise<{ status: number; body: string }> {
  const agent = new Agent({ connect: { ca, lookup: loopback } });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await request(url, { dispatcher: agent });
        const out = { status: res.statusCode, body: await res.body.text() };
        if (out.status === 200 || attempt >= 40) return out;
      } catch (err) {
        if (attempt >= 40) throw err;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await agent.close();
  }
}

describe('scale-out: Gatehouse CA and local user-pool keys live in PostgreSQL', () => {
  test('two nodes started at once with empty data directories share one CA and the keys `gatehouse tokens` makes', async () => {
    const databaseUrl = await freshDatabaseUrl();
    const [one, two] = await Promise.all([startNode(tempDataDir(), databaseUrl), startNode(tempDataDir(), databaseUrl)]);
    // One CA, kept once; each node writes its certificate (never its key) for clients to trust.
    assert.deepEqual(await rows(databaseUrl, 'tls'), ['ca']);
    const ca = readFileSync(join(one.dataDir, 'tls', 'ca.pem'), 'utf8');
    assert.equal(readFileSync(join(two.dataDir, 'tls', 'ca.pem'), 'utf8'), ca);
    assert.equal(existsSync(join(two.dataDir, 'tls', 'ca-key.pem')), false);

    const restApiId = await setUp(one, 'shared.example.localhost');
    // Node 2 issues the domain's certificate from the shared CA: a client trusting only that CA connects.
    const viaTwo = await httpsGet(`https://shared.example.localhost:${two.tlsPort}/`, ca);
    assert.deepEqual(viaTwo, { status: 200, body: '{"domainName":"shared.example.localhost"}' });
    assert.deepEqual(await httpsGet(`https://shared.example.localhost:${one.tlsPort}/`, ca), viaTwo);

    // A token made against node 1's data (its data directory and the nodes' database) is accepted by node 2.
    const tokens = await issueTokens(one.dataDir, databaseUrl);
    assert.deepEqual(await rows(databaseUrl, 'userpoolkeys'), [POOL]);
    assert.equal(existsSync(join(one.dataDir, 'user-pools')), false);
    for (const node of [two, one]) {
      const r = await invoke(node.endpoint, restApiId, 'prod', '/me', { headers: { authorization: tokens.idToken } });
      assert.equal(r.status, 200, r.body);
      assert.equal(r.body, '{"sub":"alice"}');
    }
    // Issued again (through node 2's data): the same key signs.
    const again = await issueTokens(two.dataDir, databaseUrl);
    assert.equal(decodeProtectedHeader(again.idToken).kid, decodeProtectedHeader(tokens.idToken).kid);
    const jwks = await request(`${two.endpoint}/_gatehouse/user-pools/${POOL}/.well-known/jwks.json`);
    assert.equal(jwks.statusCode, 200);
    assert.deepEqual(((await jwks.body.json()) as { keys: Array<{ kid: string }> }).keys.map((k) => k.kid), [decodeProtectedHeader(tokens.idToken).kid]);
    // A token signed with another key of the same pool name (a data directory's own file, not the shared key): 401.
    const stranger = await issueTokens(tempDataDir());
    const refused = await invoke(two.endpoint, restApiId, 'prod', '/me', { headers: { authorization: stranger.idToken } });
    assert.equal(refused.status, 401);
    assert.equal(refused.body, '{"message":"Unauthorized"}');
  });

  test('an embedded data directory with tls/ and user-pools/ hands its CA and keys to the store on start', async () => {
    const dataDir = tempDataDir();
    // Embedded mode first: its CA and a pool key, as files.
    const embedded = await startNode(dataDir, undefined);
    assert.equal(await embedded.stop(), 0);
    const ca = readFileSync(join(dataDir, 'tls', 'ca.pem'), 'utf8');
    const before = await issueTokens(dataDir);
    assert.ok(existsSync(join(dataDir, 'user-pools', `${POOL}.json`)));

    const databaseUrl = await freshDatabaseUrl();
    const one = await startNode(dataDir, databaseUrl);
    const two = await startNode(tempDataDir(), databaseUrl);
    assert.equal(readFileSync(join(two.dataDir, 'tls', 'ca.pem'), 'utf8'), ca);
    assert.deepEqual(await rows(databaseUrl, 'userpoolkeys'), [POOL]);
    const restApiId = await setUp(two, 'moved.example.localhost');
    assert.deepEqual(await httpsGet(`https://moved.example.localhost:${two.tlsPort}/`, ca), { status: 200, body: '{"domainName":"moved.example.localhost"}' });
    // The token signed in embedded mode, before the move, is accepted by the node whose data directory never had it.
    const r = await invoke(two.endpoint, restApiId, 'prod', '/me', { headers: { authorization: before.idToken } });
    assert.equal(r.status, 200, r.body);
    assert.equal(r.body, '{"sub":"alice"}');
    assert.equal(one.output().includes('WARN'), false, one.output());
  });

  test('a dev-mode reset keeps the shared CA and pool keys, as embedded mode keeps their files', async () => {
    const databaseUrl = await freshDatabaseUrl();
    const node = await startNode(tempDataDir(), databaseUrl, true);
    const tokens = await issueTokens(node.dataDir, databaseUrl);
    const c = clients(node.endpoint).apigateway;
    await c.send(new AG.CreateRestApiCommand({ name: 'wiped' }));
    c.destroy();
    assert.equal((await rows(databaseUrl, 'restapis')).length, 1);
    const reset = await request(`${node.endpoint}/_gatehouse/reset`, { method: 'POST', headers: { 'x-gatehouse-confirm': 'reset' } });
    assert.equal(reset.statusCode, 200, await reset.body.text());
    assert.deepEqual(await rows(databaseUrl, 'tls'), ['ca']);
    assert.deepEqual(await rows(databaseUrl, 'userpoolkeys'), [POOL]);
    assert.deepEqual(await rows(databaseUrl, 'restapis'), [], 'the rest is wiped');
    const jwks = await request(`${node.endpoint}/_gatehouse/user-pools/${POOL}/.well-known/jwks.json`);
    assert.deepEqual(((await jwks.body.json()) as { keys: Array<{ kid: string }> }).keys.map((k) => k.kid), [decodeProtectedHeader(tokens.idToken).kid]);
  });
});

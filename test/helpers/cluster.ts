// A Gatehouse cluster for tests: `gatehouse serve` nodes (child processes, so they can be killed with -9) on one
// PostgreSQL and, optionally, one Redis, behind Debian's nginx with docs/scale-out.md's block (./nginx.ts); and what
// the cluster tests do with it: a keyed MOCK API in a usage plan, requests with its key, GetUsage.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import * as AG from '@aws-sdk/client-api-gateway';
import { clients, spawnGatehouse, tempDataDir, type Spawned } from './gatehouse.ts';
import { startNginx, type Nginx } from './nginx.ts';
import { freshDatabaseUrl } from './postgres.ts';
import { startRedis, type TestRedis, type TestRedisOptions } from './redis.ts';
import { invoke } from '../execute/helpers.ts';

/** Polls `check` until it passes; fails if that takes longer than `withinMs`. */
export async function within(withinMs: number, check: () => Promise<void>): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() - started > withinMs) throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

export interface Cluster {
  nodes: Spawned[];
  nginx: Nginx;
  redis: TestRedis;
}

/**
 * Inside a `describe`: before its tests, a Redis of the suite's own (`redis` options: e.g. an append-only file) and
 * three nodes started as docs/scale-out.md says (one after the other) on `databaseUrl()` (default: a fresh schema of
 * the test PostgreSQL) with `env`, then nginx in front; after them, all stopped (nodes killed), also when starting
 * failed half-way. The returned object is filled in by the `before` hook.
 */
export function threeNodeCluster(opts: { env?: Record<string, string>; redis?: TestRedisOptions; databaseUrl?: () => Promise<string> } = {}): Cluster {
  const c = { nodes: [] as Spawned[], nginx: undefined as unknown as Nginx, redis: undefined as unknown as TestRedis };
  before(async () => {
    c.redis = await startRedis(opts.redis);
    const env = { GATEHOUSE_LOG_LEVEL: 'warn', GATEHOUSE_DATABASE_URL: await (opts.databaseUrl ?? freshDatabaseUrl)(), GATEHOUSE_REDIS_URL: c.redis.url, ...opts.env };
    for (let i = 0; i < 3; i++) c.nodes.push(await spawnGatehouse({ dataDir: tempDataDir(), env, dev: false }));
    c.nginx = await startNginx(c.nodes.map((n) => n.port));
  });
  after(async () => {
    await c.nginx?.stop();
    for (const n of c.nodes) await n.stop('SIGKILL');
    await c.redis?.stop();
  });
  return c;
}

/** A deployed API (stage prod) whose GET /items is a MOCK requiring an API key, in a usage plan with `plan`'s limits. */
export interface KeyedApi {
  apiId: string;
  planId: string;
  keyId: string;
  /** The key's value, for x-api-key. */
  key: string;
}

export async function keyedMockApi(endpoint: string, plan: Partial<AG.CreateUsagePlanCommandInput>): Promise<KeyedApi> {
  const c = clients(endpoint).apigateway;
  const api = await c.send(new AG.CreateRestApiCommand({ name: 'keyed' }));
  const root = (await c.send(new AG.GetResourcesCommand({ restApiId: api.id }))).items![0]!.id!;
  const items = await c.send(new AG.CreateResourceCommand({ restApiId: api.id, parentId: root, pathPart: 'items' }));
  const m = { restApiId: api.id, resourceId: items.id, httpMethod: 'GET' };
  await c.send(new AG.PutMethodCommand({ ...m, authorizationType: 'NONE', apiKeyRequired: true }));
  await c.send(new AG.PutIntegrationCommand({ ...m, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  await c.send(new AG.PutMethodResponseCommand({ ...m, statusCode: '200' }));
  await c.send(new AG.PutIntegrationResponseCommand({ ...m, statusCode: '200', responseTemplates: { 'application/json': '{"ok": true}' } }));
  await c.send(new AG.CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod' }));
  const created = await c.send(new AG.CreateUsagePlanCommand({ name: 'plan', apiStages: [{ apiId: api.id, stage: 'prod' }], ...plan }));
  const key = await c.send(new AG.CreateApiKeyCommand({ name: `key-${api.id}`, enabled: true }));
  await c.send(new AG.CreateUsagePlanKeyCommand({ usagePlanId: created.id, keyId: key.id, keyType: 'API_KEY' }));
  c.destroy();
  return { apiId: api.id!, planId: created.id!, keyId: key.id!, key: key.value! };
}

/** GET /items of `api` with its key through `endpoint`: status and body (a refused connection is status 0). */
export async function getItems(endpoint: string, api: KeyedApi): Promise<{ status: number; body: string }> {
  try {
    const r = await invoke(endpoint, api.apiId, 'prod', '/items', { headers: { 'x-api-key': api.key } });
    return { status: r.status, body: r.body };
  } catch (err) {
    return { status: 0, body: (err as Error).message };
  }
}

/**
 * Waits until every node admits the key (each learns it through LISTEN/NOTIFY): one admitted request per node,
 * which the caller counts against the key's limits. Returns how many were admitted.
 */
export async function keyKnownEverywhere(nodes: ReadonlyArray<{ endpoint: string; port: number }>, api: KeyedApi): Promise<number> {
  for (const n of nodes) await within(2000, async () => assert.equal((await getItems(n.endpoint, api)).status, 200, `node ${n.port}`));
  return nodes.length;
}

/** Tallies `"{status} {body}"` of responses, e.g. `{ '200 {"ok": true}': 997, '429 {"message":"Limit Exceeded"}': 303 }`. */
export function tally(responses: ReadonlyArray<{ status: number; body: string }>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of responses) {
    const k = r.status === 0 ? '0 (connection failed)' : `${r.status} ${r.body}`;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/** GetUsage of today through `endpoint`: `{ keyId: [[used, remaining]] }`. */
export async function usageToday(endpoint: string, api: KeyedApi): Promise<Record<string, number[][]> | undefined> {
  const day = new Date().toISOString().slice(0, 10);
  const c = clients(endpoint).apigateway;
  try {
    return (await c.send(new AG.GetUsageCommand({ usagePlanId: api.planId, startDate: day, endDate: day }))).items;
  } finally {
    c.destroy();
  }
}

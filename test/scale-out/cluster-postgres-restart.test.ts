// PostgreSQL stopped as by a crash (`pg_ctl stop -m immediate`) and started again while three nodes behind nginx
// serve: a PostgreSQL of the test's own (startPrivatePostgres; the machine's shared one is never restarted). While it
// is down, deployed APIs are served from each node's compiled deployments and control calls fail AWS-shaped (5xx with
// an error type the SDK reads); afterwards control calls succeed again on the same node processes, every node's
// change notifications are back (/_gatehouse/health/ready), a change made then is served by all three within 1 s,
// every acknowledged write (CreateApiKey answered 201) is there, and GetUsage counts every request admitted
// meanwhile (its usage waited in Redis).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as AG from '@aws-sdk/client-api-gateway';
import { clients } from '../helpers/gatehouse.ts';
import { getItems, keyedMockApi, keyKnownEverywhere, tally, threeNodeCluster, usageToday, within } from '../helpers/cluster.ts';
import { startPrivatePostgres, type PrivatePostgres } from '../helpers/postgres.ts';
import { invoke } from '../execute/helpers.ts';

const OK = '200 {"ok": true}';

describe('scale-out: PostgreSQL restarted under load', () => {
  let postgres: PrivatePostgres;
  before(async () => {
    postgres = await startPrivatePostgres();
  });
  // Its hooks run after the one above (and the nodes are stopped before PostgreSQL is removed: hooks of `after` run
  // in the order they were added, this one last).
  const c3 = threeNodeCluster({ databaseUrl: async () => postgres.url });
  const { nodes } = c3;
  after(async () => {
    await postgres?.remove();
  });

  it('APIs served and control calls 5xx while it is down; afterwards writes, notifications and usage are all there', async (t) => {
    const api = await keyedMockApi(nodes[0]!.endpoint, { quota: { limit: 1_000_000, period: 'DAY' } });
    const probes = await keyKnownEverywhere(nodes, api);
    const pids = nodes.map((n) => n.child.pid);
    const control = clients(c3.nginx.endpoint).apigateway;
    type Answer = { status: number; body: string; sent: number; answered: number };
    const data: Answer[] = [];
    const acknowledged: string[] = [];
    const refused: Array<{ sent: number; answered: number; status?: number; name: string }> = [];
    let stop = false;
    const readers = Array.from({ length: 4 }, async () => {
      while (!stop) {
        const sent = performance.now();
        const r = await getItems(c3.nginx.endpoint, api);
        data.push({ ...r, sent, answered: performance.now() });
      }
    });
    const writers = Array.from({ length: 2 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        const sent = performance.now();
        try {
          acknowledged.push((await control.send(new AG.CreateApiKeyCommand({ name: `w${w}-${i}` }))).id!);
        } catch (err) {
          const e = err as { name: string; $metadata?: { httpStatusCode?: number } };
          refused.push({ sent, answered: performance.now(), status: e.$metadata?.httpStatusCode, name: e.name });
          await new Promise((r) => setTimeout(r, 20)); // a client backing off
        }
      }
    });
    let down = 0;
    let up = 0;
    try {
      await within(20_000, async () => assert.ok(acknowledged.length >= 20 && data.length >= 50));
      await postgres.stop('immediate');
      down = performance.now();
      await within(20_000, async () => {
        assert.ok(data.filter((a) => a.sent > down).length >= 100, 'data-plane answers while down');
        assert.ok(refused.filter((r) => r.sent > down).length >= 5, 'control calls refused while down');
      });
      await postgres.start();
      up = performance.now();
      const acknowledgedBefore = acknowledged.length;
      await within(30_000, async () => assert.ok(acknowledged.length >= acknowledgedBefore + 20, `control calls succeed again (the last refusals: ${JSON.stringify(refused.slice(-3))})`));
    } finally {
      stop = true;
      await Promise.all([...readers, ...writers]);
    }
    const whileDown = data.filter((a) => a.sent > down && a.answered < up);
    const refusedWhileDown = refused.filter((r) => r.sent > down && r.answered < up);
    t.diagnostic(`while down: data ${JSON.stringify(tally(whileDown))}; control refused ${JSON.stringify(tally(refusedWhileDown.map((r) => ({ status: r.status ?? 0, body: r.name }))))}`);
    assert.deepEqual(Object.keys(tally(whileDown)), [OK], 'deployed APIs served throughout');
    assert.ok(refusedWhileDown.every((r) => r.status !== undefined && r.status >= 500 && r.name !== 'Error'), 'control calls refused AWS-shaped');

    // The notification connections are back, and a change made now is served everywhere within 1 s.
    for (const n of nodes) await within(10_000, async () => assert.equal((await fetch(`${n.endpoint}/_gatehouse/health/ready`)).status, 200, `node ${n.port} ready`));
    await control.send(new AG.UpdateStageCommand({ restApiId: api.apiId, stageName: 'prod', patchOperations: [{ op: 'replace', path: '/variables/v', value: 'after' }] }));
    const c = clients(nodes[1]!.endpoint).apigateway;
    const items = (await c.send(new AG.GetResourcesCommand({ restApiId: api.apiId }))).items!.find((r) => r.path === '/items')!;
    await c.send(new AG.PutIntegrationResponseCommand({ restApiId: api.apiId, resourceId: items.id, httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': '{"v": "$stageVariables.v"}' } }));
    await c.send(new AG.CreateDeploymentCommand({ restApiId: api.apiId, stageName: 'prod' }));
    const deployedAt = performance.now();
    await within(1000, async () => {
      for (const n of nodes) assert.equal((await invoke(n.endpoint, api.apiId, 'prod', '/items', { headers: { 'x-api-key': api.key } })).body, '{"v": "after"}', `node ${n.port}`);
    });
    t.diagnostic(`the deployment was served by all three nodes after ${(performance.now() - deployedAt).toFixed(0)} ms`);

    // Every acknowledged write is there.
    const stored = new Set<string>();
    let position: string | undefined;
    do {
      const page = await c.send(new AG.GetApiKeysCommand({ limit: 500, position }));
      for (const k of page.items ?? []) stored.add(k.id!);
      position = page.position;
    } while (position);
    assert.deepEqual(acknowledged.filter((id) => !stored.has(id)), [], `${acknowledged.length} acknowledged`);
    // Every admitted request is counted (3 requests just above, after the deployment).
    const admitted = probes + data.filter((a) => a.status === 200).length;
    const usage = await usageToday(nodes[2]!.endpoint, api);
    assert.ok(usage?.[api.keyId]?.[0]?.[0] !== undefined && usage[api.keyId]![0]![0]! >= admitted + 3, `GetUsage ${JSON.stringify(usage)} counts ${admitted} + 3`);
    assert.deepEqual(nodes.map((n) => [n.child.pid, n.child.exitCode]), pids.map((pid) => [pid, null]), 'the same node processes throughout');
    control.destroy();
    c.destroy();
  });
});

// Three `gatehouse serve` nodes on one PostgreSQL and one Redis behind Debian's nginx, configured with the block of
// docs/scale-out.md (read from that file, so the documented configuration is the tested one): a change made through
// one node is served by all three within a second; kill -9 of a node during writes loses no acknowledged write, and
// nginx keeps serving through the others.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as AG from '@aws-sdk/client-api-gateway';
import { clients } from '../helpers/gatehouse.ts';
import { threeNodeCluster, within } from '../helpers/cluster.ts';
import { invoke } from '../execute/helpers.ts';

describe('scale-out: three nodes behind nginx (docs/scale-out.md)', () => {
  const c3 = threeNodeCluster();
  const { nodes } = c3;

  it('a deployment made through one node is served by every node within 1 s, and through nginx', async () => {
    const c = clients(nodes[0]!.endpoint).apigateway;
    const api = await c.send(new AG.CreateRestApiCommand({ name: 'cluster' }));
    const root = (await c.send(new AG.GetResourcesCommand({ restApiId: api.id }))).items![0]!.id!;
    await c.send(new AG.PutMethodCommand({ restApiId: api.id, resourceId: root, httpMethod: 'GET', authorizationType: 'NONE' }));
    await c.send(new AG.PutIntegrationCommand({ restApiId: api.id, resourceId: root, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await c.send(new AG.PutMethodResponseCommand({ restApiId: api.id, resourceId: root, httpMethod: 'GET', statusCode: '200' }));
    await c.send(new AG.PutIntegrationResponseCommand({ restApiId: api.id, resourceId: root, httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': '{"v": "$stageVariables.v"}' } }));
    await c.send(new AG.CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod', variables: { v: 'one' } }));
    const servedEverywhere = (v: string) =>
      within(1000, async () => {
        for (const n of nodes) assert.deepEqual((await invoke(n.endpoint, api.id!, 'prod', '/')).json(), { v }, `node ${n.port}`);
      });
    await servedEverywhere('one');
    await clients(nodes[2]!.endpoint).apigateway.send(new AG.UpdateStageCommand({ restApiId: api.id, stageName: 'prod', patchOperations: [{ op: 'replace', path: '/variables/v', value: 'two' }] }));
    await servedEverywhere('two');
    const viaNginx = await Promise.all(Array.from({ length: 30 }, () => invoke(c3.nginx.endpoint, api.id!, 'prod', '/')));
    assert.deepEqual([...new Set(viaNginx.map((r) => `${r.status} ${r.body}`))], ['200 {"v": "two"}']);
  });

  it('kill -9 of a node during writes through nginx: every acknowledged write is there, and nginx keeps serving', async () => {
    const c = clients(c3.nginx.endpoint).apigateway;
    const acknowledged: string[] = [];
    let failed = 0;
    let stop = false;
    const writers = Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        try {
          const key = await c.send(new AG.CreateApiKeyCommand({ name: `w${w}-${i}` }));
          acknowledged.push(key.id!);
        } catch {
          failed++; // in flight on the killed node: not acknowledged
        }
      }
    });
    await within(10_000, async () => assert.ok(acknowledged.length >= 20));
    const victim = nodes[1]!;
    victim.child.kill('SIGKILL');
    await new Promise((r) => victim.child.once('exit', r));
    const before = acknowledged.length;
    await within(10_000, async () => assert.ok(acknowledged.length >= before + 40, 'writes go on through the other nodes'));
    stop = true;
    await Promise.all(writers);
    // Read back through a surviving node, directly.
    const stored = new Set<string>();
    let position: string | undefined;
    do {
      const page = await clients(nodes[0]!.endpoint).apigateway.send(new AG.GetApiKeysCommand({ limit: 500, position }));
      for (const k of page.items ?? []) stored.add(k.id!);
      position = page.position;
    } while (position);
    const lost = acknowledged.filter((id) => !stored.has(id));
    assert.deepEqual(lost, [], `${acknowledged.length} acknowledged, ${failed} failed`);
    const health = await fetch(`${c3.nginx.endpoint}/_gatehouse/health/ready`);
    assert.equal(health.status, 200);
  });
});

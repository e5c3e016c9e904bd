// Two Gatehouse nodes on one PostgreSQL without Redis (in this process): each node's limits count only the requests
// it serves (docs/scale-out.md), but the usage records they share are the sum of both. Each node writes what it
// counted since its last write, never its own total, so neither overwrites the other's counts: GetUsage through
// either node, and through a node started afterwards on the same database, reports every request served.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { startGatehouse, type Running } from '../helpers/gatehouse.ts';
import { freshDatabaseUrl } from '../helpers/postgres.ts';
import { getItems, keyedMockApi, keyKnownEverywhere, tally, usageToday } from '../helpers/cluster.ts';
import { until } from '../helpers/until.ts';

describe('scale-out without Redis: usage records on a shared PostgreSQL', () => {
  let databaseUrl: string;
  const nodes: Running[] = [];
  before(async () => {
    databaseUrl = await freshDatabaseUrl();
    for (let i = 0; i < 2; i++) nodes.push(await startGatehouse({ config: { databaseUrl } }));
  });
  after(async () => {
    for (const n of nodes) await n.stop();
  });

  it('requests served by both nodes at once: GetUsage on each, and on a third node started later, is their sum', async () => {
    const [a, b] = nodes as [Running, Running];
    const api = await keyedMockApi(a.endpoint, { quota: { limit: 500, period: 'DAY' } });
    const probes = await keyKnownEverywhere([a, b], api);
    // Interleaved on both nodes, so both write their counts (every 100 ms) while the other does too.
    const send = async (node: Running, n: number) => {
      const out = [];
      for (let i = 0; i < n; i++) out.push(await getItems(node.endpoint, api));
      return out;
    };
    const [viaA, viaB] = await Promise.all([send(a, 150), send(b, 100)]);
    assert.deepEqual(tally([...viaA, ...viaB]), { '200 {"ok": true}': 250 });
    const served = probes + 250;
    // A node's counts reach the store at its next flush (every 100 ms): the other node sees them by then, not sooner.
    const sum = { [api.keyId]: [[served, 500 - served]] };
    for (const n of [a, b]) {
      // Polled for up to a second; the assertion after it shows the difference if the sum never came.
      await until(async () => isDeepStrictEqual(await usageToday(n.endpoint, api), sum), 'the sum', 1000).catch(() => undefined);
      assert.deepEqual(await usageToday(n.endpoint, api), sum, `GetUsage on node ${n.port}`);
    }
    const c = await startGatehouse({ config: { databaseUrl } });
    nodes.push(c);
    assert.deepEqual(await usageToday(c.endpoint, api), { [api.keyId]: [[served, 500 - served]] }, 'GetUsage on a node started afterwards');
  });
});

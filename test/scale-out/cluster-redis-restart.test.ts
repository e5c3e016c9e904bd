// Redis killed (-9) and started again on the same port while clients spend a quota through nginx in front of three
// nodes running `--redis-failure closed`, Redis persisting with an append-only file (`appendfsync always`, as
// docs/scale-out.md advises): while it is down every request is refused with 503 {"message": "Service Unavailable"}
// (passed on by nginx, not retried on the other nodes, which are as blind), never admitted unchecked; afterwards
// the same node processes admit again without a restart, and the quota is never exceeded: the clients got at most
// its limit of 200s, and fewer only by requests Redis counted but whose answer the kill lost.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getItems, keyedMockApi, keyKnownEverywhere, tally, threeNodeCluster, within } from '../helpers/cluster.ts';

const OK = '200 {"ok": true}';
const LIMIT_EXCEEDED = '429 {"message":"Limit Exceeded"}';
const SERVICE_UNAVAILABLE = '503 {"message": "Service Unavailable"}';

describe('scale-out: Redis restarted under load (--redis-failure closed, append-only file)', () => {
  const c3 = threeNodeCluster({ redis: { appendfsync: 'always' }, env: { GATEHOUSE_REDIS_FAILURE: 'closed' } });
  const { nodes } = c3;

  it('refused while Redis is down, served again after it restarts, and a quota of 600 is never exceeded', async (t) => {
    const LIMIT = 600;
    const api = await keyedMockApi(nodes[0]!.endpoint, { quota: { limit: LIMIT, period: 'DAY' } });
    const probes = await keyKnownEverywhere(nodes, api);
    const pids = nodes.map((n) => n.child.pid);
    type Answer = { status: number; body: string; sent: number; answered: number };
    const answers: Answer[] = [];
    let stop = false;
    const CLIENTS = 6;
    const clients = Array.from({ length: CLIENTS }, async () => {
      while (!stop) {
        const sent = performance.now();
        const r = await getItems(c3.nginx.endpoint, api);
        answers.push({ ...r, sent, answered: performance.now() });
        if (r.status >= 500) await new Promise((r) => setTimeout(r, 10)); // as a client backing off: bounded load
      }
    });
    const admitted = () => answers.filter((a) => a.status === 200).length;
    try {
      await within(20_000, async () => assert.ok(admitted() >= 150, `${admitted()} admitted before the kill`));
      await c3.redis.kill();
      const down = performance.now();
      // Refused while Redis is down: wait until 30 answers to requests sent after the kill have come.
      const downAnswers = () => answers.filter((a) => a.sent > down);
      await within(20_000, async () => assert.ok(downAnswers().length >= 30));
      const restartedAt = performance.now();
      const whileDown = tally(downAnswers().filter((a) => a.answered < restartedAt));
      await c3.redis.restart();
      await within(20_000, async () => assert.ok(answers.some((a) => a.sent > restartedAt && a.status === 200), 'admitting again after the restart'));
      await within(30_000, async () => assert.ok(answers.filter((a) => a.sent > restartedAt && a.status === 429).length >= 20, 'the quota is spent'));
      t.diagnostic(`while Redis was down: ${JSON.stringify(whileDown)}`);
      assert.deepEqual(Object.keys(whileDown), [SERVICE_UNAVAILABLE], 'while Redis was down every request was refused');
    } finally {
      stop = true;
      await Promise.all(clients);
    }
    const counts = tally(answers);
    const total = probes + (counts[OK] ?? 0);
    t.diagnostic(`${total} admitted of ${LIMIT}: ${JSON.stringify(counts)}`);
    assert.ok(total <= LIMIT, `the quota was exceeded: ${total} admitted`);
    // A request Redis counted as the kill cut its answer is counted, not admitted: at most one per client.
    assert.ok(total >= LIMIT - CLIENTS, `${total} admitted: more counted than were in flight at the kill`);
    assert.deepEqual(nodes.map((n) => [n.child.pid, n.child.exitCode, n.child.signalCode]), pids.map((pid) => [pid, null, null]), 'the same node processes throughout');
    for (const n of nodes) assert.equal(n.output().includes('keeps no append-only file'), false, 'no persistence warning: Redis runs with appendonly yes');
    const last = await getItems(c3.nginx.endpoint, api);
    assert.equal(`${last.status} ${last.body}`, LIMIT_EXCEEDED);
  });
});

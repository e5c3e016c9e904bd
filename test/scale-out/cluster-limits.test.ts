// Limits across three `gatehouse serve` nodes on one PostgreSQL and one Redis behind Debian's nginx (the block of
// docs/scale-out.md), driven over plain HTTP with an API key as clients drive API Gateway. What counts is what the
// clients got back (200 = admitted), not what the servers say:
// - a usage plan quota of 1,000 per DAY, spent by 1,300 concurrent requests through nginx, admits exactly 1,000 (the
//   other 300: 429 {"message":"Limit Exceeded"}), and GetUsage through every node then reports 1,000 used;
// - the same with kill -9 of one node during the spend: never more than 1,000 admitted, and fewer only by requests
//   the killed node had counted but could not answer (at most the clients' concurrency), as on AWS, where a request
//   counted and then lost is counted; Redis's count, which GetUsage reports, is exactly 1,000;
// - a usage plan throttle of 50 requests per second (burst 10), offered 200 per second through nginx for 10 s,
//   admits 50 × the duration + the burst within 5%: the three nodes take tokens from one bucket. (The duration is
//   the time over which the nodes decided; with at most 16 requests in flight it is the sending time within a few ms.
//   A machine so busy that clients or nodes stall for longer than the bucket takes to fill admits fewer, rightly: the
//   lower bound then is what one bucket admits of the requests at the times they were sent or answered.)
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tokenBucketAdmits } from '../helpers/token-bucket.ts';
import { getItems, keyedMockApi, keyKnownEverywhere, tally, threeNodeCluster, usageToday, type KeyedApi } from '../helpers/cluster.ts';

const OK = '200 {"ok": true}';
const LIMIT_EXCEEDED = '429 {"message":"Limit Exceeded"}';
const TOO_MANY = '429 {"message":"Too Many Requests"}';

/** `total` requests through `endpoint`, `concurrency` at a time; `onResponse` sees how many were answered so far. */
async function spend(endpoint: string, api: KeyedApi, total: number, concurrency: number, onResponse?: (answered: number) => void) {
  const responses: Array<{ status: number; body: string }> = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        responses.push(await getItems(endpoint, api));
        onResponse?.(responses.length);
      }
    }),
  );
  return responses;
}

describe('scale-out: quotas and throttles across three nodes behind nginx', () => {
  const c3 = threeNodeCluster();
  const { nodes } = c3;

  it('each node warns that this Redis (started without an append-only file) would lose counts if it restarted', () => {
    for (const n of nodes) assert.match(n.output(), /^WARN Redis at redis:\/\/127\.0\.0\.1:\d+ keeps no append-only file \(appendonly no\): .* run it with appendonly yes/m, n.output());
  });

  it('a throttle of 50 rps (burst 10) offered 200 rps through nginx for 10 s admits 50 × duration + 10, within 5%', async (t) => {
    const api = await keyedMockApi(nodes[0]!.endpoint, { throttle: { rateLimit: 50, burstLimit: 10 } });
    await keyKnownEverywhere(nodes, api);
    await new Promise((r) => setTimeout(r, 300)); // the bucket is full again (10 tokens at 50/s: 200 ms)
    // 16 clients, each sending every 80 ms (200/s in all) or, when an answer comes later, as soon as it comes: at most
    // 16 requests in flight, so the nodes decide each request about when it is sent, and the offered load stays above
    // the rate unless answers take over 320 ms, even on a busy machine.
    const CLIENTS = 16;
    const EVERY_MS = 80;
    const DURATION_MS = 10_000;
    const responses: Array<{ status: number; body: string }> = [];
    const sentAt: number[] = [];
    const answeredAt: number[] = [];
    const start = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, k) => {
        for (let slot = start + (k * EVERY_MS) / CLIENTS; slot < start + DURATION_MS; slot += EVERY_MS) {
          const wait = slot - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          sentAt.push(performance.now());
          responses.push(await getItems(c3.nginx.endpoint, api));
          answeredAt.push(performance.now());
        }
      }),
    );
    const counts = tally(responses);
    const admitted = counts[OK] ?? 0;
    // The requests were decided between the first send and the last answer, and at least from the first answer to
    // the last send: 50 × duration + 10 lies between what 50/s admits over the shorter and over the longer span.
    const low = 50 * ((Math.max(...sentAt) - Math.min(...answeredAt)) / 1000) + 10;
    const high = 50 * ((Math.max(...answeredAt) - start) / 1000) + 10;
    // Fewer, and rightly, when this busy machine starved the clients or the nodes for longer than the bucket takes to
    // fill (200 ms): the tokens of such a pause are lost. What one bucket would admit of the requests at the times
    // they were sent, or answered, accounts for those pauses.
    const paused = Math.min(tokenBucketAdmits(sentAt, 50, 10), tokenBucketAdmits(answeredAt, 50, 10));
    t.diagnostic(`${admitted} of ${responses.length} admitted; 50 × duration + 10 = ${low.toFixed(1)} to ${high.toFixed(1)}; one bucket at the clients' times: ${paused}`);
    assert.deepEqual(Object.keys(counts).sort(), [OK, TOO_MANY], JSON.stringify(counts));
    // Far more offered than admitted all along (200/s planned; at least twice the rate even on a busy machine).
    assert.ok(responses.length >= 2 * high, `offered at least twice the rate (${responses.length} requests)`);
    assert.ok(admitted <= 1.05 * high, `${admitted} admitted: more than 50 × duration + 10 (${high.toFixed(1)}) + 5%`);
    assert.ok(admitted >= 0.95 * Math.min(low, paused), `${admitted} admitted: fewer than ${Math.min(low, paused).toFixed(1)} - 5%`);
  });

  it('a quota of 1,000 per day spent by 1,300 concurrent requests through nginx admits exactly 1,000; GetUsage on every node says 1,000', async () => {
    const api = await keyedMockApi(nodes[0]!.endpoint, { quota: { limit: 1000, period: 'DAY' } });
    const probes = await keyKnownEverywhere(nodes, api);
    const counts = tally(await spend(c3.nginx.endpoint, api, 1300 - probes, 24));
    assert.deepEqual(counts, { [OK]: 1000 - probes, [LIMIT_EXCEEDED]: 300 });
    for (const n of nodes) assert.deepEqual(await usageToday(n.endpoint, api), { [api.keyId]: [[1000, 0]] }, `GetUsage on node ${n.port}`);
  });

  it('the same quota with kill -9 of a node during the spend: never more than 1,000 admitted; Redis counted 1,000', async (t) => {
    const api = await keyedMockApi(nodes[0]!.endpoint, { quota: { limit: 1000, period: 'DAY' } });
    const probes = await keyKnownEverywhere(nodes, api);
    const victim = nodes[2]!;
    let killed: Promise<unknown> | undefined;
    const CONCURRENCY = 24;
    const responses = await spend(c3.nginx.endpoint, api, 1300 - probes, CONCURRENCY, (answered) => {
      if (answered === 300) killed = victim.stop('SIGKILL');
    });
    await killed;
    assert.equal(victim.child.signalCode, 'SIGKILL');
    const counts = tally(responses);
    const admitted = probes + (counts[OK] ?? 0);
    t.diagnostic(`${admitted} admitted, ${counts[LIMIT_EXCEEDED]} refused`);
    // nginx passes a GET the killed node dropped to another node (proxy_next_upstream error): clients see only
    // answers. A request the killed node had counted but not answered is counted and not admitted.
    assert.deepEqual(Object.keys(counts).sort(), [OK, LIMIT_EXCEEDED], JSON.stringify(counts));
    assert.ok(admitted <= 1000, `${admitted} admitted: the quota was exceeded (${JSON.stringify(counts)})`);
    assert.ok(admitted >= 1000 - CONCURRENCY, `${admitted} admitted: more lost than were in flight (${JSON.stringify(counts)})`);
    for (const n of nodes.slice(0, 2)) assert.deepEqual(await usageToday(n.endpoint, api), { [api.keyId]: [[1000, 0]] }, `GetUsage on node ${n.port}`);
    assert.deepEqual(tally(await spend(c3.nginx.endpoint, api, 20, 4)), { [LIMIT_EXCEEDED]: 20 }, 'the survivors refuse once the quota is spent');
  });
});

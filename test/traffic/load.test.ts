// A bounded load run on the real clock: 10 s at 4x a small stage throttle over loopback. The accepted count must be
// the bucket's burst plus the rate times the run's length, within 5%, and every other answer a 429. The burst (10)
// absorbs pauses of up to 400 ms in the client or server; a machine so busy that they stall longer admits fewer,
// rightly (the tokens of such a pause are lost), so the lower bound is what one bucket admits of the requests at the
// times they were sent or answered (test/helpers/token-bucket.ts). Precise measurements at high rates belong to
// bench/traffic.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request } from 'undici';
import { AG, ApiBuilder, startGatehouse } from '../execute/helpers.ts';
import type { Running } from '../helpers/gatehouse.ts';
import { tokenBucketAdmits } from '../helpers/token-bucket.ts';

let gh: Running;
before(async () => {
  gh = await startGatehouse();
});
after(async () => {
  await gh.stop();
});

test('10 s at 4x a 25 rps throttle: accepted within 5% of burst + rate x time, the rest 429', async (t) => {
  const RATE = 25;
  const BURST = 10;
  const api = await ApiBuilder.create(gh);
  await api.method('/load', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, {
    responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{}' } }],
  });
  await api.deploy('prod');
  await gh.apigateway.send(
    new AG.UpdateStageCommand({
      restApiId: api.apiId,
      stageName: 'prod',
      patchOperations: [
        { op: 'replace', path: '/*/*/throttling/rateLimit', value: String(RATE) },
        { op: 'replace', path: '/*/*/throttling/burstLimit', value: String(BURST) },
      ],
    }),
  );
  const dispatcher = new Agent({ connections: 16 });
  const url = `${gh.endpoint}/prod/load`;
  const headers = { host: `${api.apiId}.execute-api.us-east-1.amazonaws.com` };
  const counts = new Map<number, number>();
  const pending: Promise<void>[] = [];
  const started = performance.now();
  const DURATION = 10_000;
  const INTERVAL = 1000 / (RATE * 4);
  // Paced by the clock, not by timer counts: late timers send what is due at once.
  let sent = 0;
  const sentAt: number[] = [];
  const answeredAt: number[] = [];
  await new Promise<void>((done) => {
    const timer = setInterval(() => {
      const due = Math.min(Math.floor((performance.now() - started) / INTERVAL) + 1, DURATION / INTERVAL);
      for (; sent < due; sent++) {
        sentAt.push(performance.now());
        pending.push(
          request(url, { headers, dispatcher }).then(async (r) => {
            answeredAt.push(performance.now());
            await r.body.dump();
            counts.set(r.statusCode, (counts.get(r.statusCode) ?? 0) + 1);
          }),
        );
      }
      if (sent >= DURATION / INTERVAL) {
        clearInterval(timer);
        done();
      }
    }, INTERVAL / 2);
  });
  await Promise.all(pending);
  const elapsed = (performance.now() - started) / 1000;
  await dispatcher.close();
  const accepted = counts.get(200) ?? 0;
  const refused = counts.get(429) ?? 0;
  assert.equal(accepted + refused, sent, `only 200 and 429: ${JSON.stringify([...counts])}`);
  const expected = BURST + RATE * elapsed;
  const paused = Math.min(tokenBucketAdmits(sentAt, RATE, BURST), tokenBucketAdmits(answeredAt, RATE, BURST));
  t.diagnostic(`accepted ${accepted}, refused ${refused}, in ${elapsed.toFixed(2)} s; expected ${expected.toFixed(1)}; one bucket at the client's times: ${paused}`);
  assert.ok(accepted <= expected * 1.05, `accepted ${accepted} of ${sent} in ${elapsed.toFixed(2)} s: more than ${expected.toFixed(0)} + 5%`);
  const low = Math.min(expected, paused);
  assert.ok(accepted >= low * 0.95, `accepted ${accepted} of ${sent} in ${elapsed.toFixed(2)} s: fewer than ${low.toFixed(0)} - 5%`);
});

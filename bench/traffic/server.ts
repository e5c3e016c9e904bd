// The Gatehouse bench/traffic/run.ts loads: bench/execute's API (GET /mock, ANY /proxy/{proxy+}, ANY /keyed/{proxy+}
// with apiKeyRequired) whose usage plan is given a throttle and a quota no run reaches, so every keyed request goes
// through the plan's bucket, the stage's and the account's, the quota and the usage record. Prints {port, apiId}
// once listening; answers SIGUSR2 with its CPU time, like bench/execute/servers.ts.
// Usage: node bench/traffic/server.ts BACKEND_PORT [REDIS_URL]   (a Redis URL: the scale-out counters and cache,
// as bench/scale-out/run.ts compares them)
import * as AG from '@aws-sdk/client-api-gateway';
import { startBenchGatehouse } from '../execute/bench-api.ts';

const redisUrl = process.argv[3];
const { port, apiId, planId } = await startBenchGatehouse(Number(process.argv[2]), redisUrl ? { redisUrl, redisPrefix: 'bench:' } : {});
const c = new AG.APIGatewayClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'secret' } });
await c.send(
  new AG.UpdateUsagePlanCommand({
    usagePlanId: planId,
    patchOperations: [
      { op: 'replace', path: '/throttle/rateLimit', value: '1000000' },
      { op: 'replace', path: '/throttle/burstLimit', value: '1000000' },
      { op: 'replace', path: '/quota/limit', value: '1000000000' },
      { op: 'replace', path: '/quota/period', value: 'DAY' },
    ],
  }),
);
c.destroy();
process.stdout.write(`${JSON.stringify({ port, apiId })}\n`);

process.on('SIGTERM', () => process.exit(0));
process.on('SIGUSR2', () => {
  const u = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ cpuMicros: u.user + u.system })}\n`);
});

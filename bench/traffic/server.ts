// The Gatehouse bench/traffic/run.ts loads: bench/execute's API (GET /mock, ANY /proxy/{proxy+}, ANY /keyed/{proxy+}
// with apiKeyRequired) whose usage plan is given a throttle and a quota no run reaches, so every keyed request goes
// through the plan's bucket, the stage's and the account's, the quota and the usage record. Prints {port, apiId}
// once listening; answers SIGUSR2 with its CPU time, like bench/execute/servers.ts.
// Usage: node bench/traffic/server.ts BACKEND_PORT [REDIS_URL]   (a Redis URL: the scale-out counters and cache,
// as bench/scale-out/run.ts compares them)
import { liftPlanLimits, startBenchGatehouse } from '../execute/bench-api.ts';
import { answerCpuSignals } from '../execute/bench-server.ts';

const redisUrl = process.argv[3];
const { port, apiId, planId } = await startBenchGatehouse(Number(process.argv[2]), redisUrl ? { redisUrl, redisPrefix: 'bench:' } : {});
await liftPlanLimits(port, planId);
process.stdout.write(`${JSON.stringify({ port, apiId })}\n`);

answerCpuSignals();

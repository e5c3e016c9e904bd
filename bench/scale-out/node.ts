// One Gatehouse node for bench/scale-out/nodes.bench.ts: scale-out mode (PostgreSQL + Redis), as `gatehouse serve
// --database-url … --redis-url …` runs it. With `setup`, it also creates bench/execute's API (HTTP_PROXY to the
// backend, API key + usage plan with a throttle and a quota no run reaches) in the shared database; the other nodes
// serve what it created. Prints {port, apiId?} once listening; answers SIGUSR2 with its CPU time.
// Usage: node bench/scale-out/node.ts BACKEND_PORT DATABASE_URL REDIS_URL [setup]
import { createGatehouse } from '../../src/server/app.ts';
import { benchConfig, liftPlanLimits, startBenchGatehouse } from '../execute/bench-api.ts';
import { answerCpuSignals } from '../execute/bench-server.ts';

const [backendPort, databaseUrl, redisUrl, setup] = process.argv.slice(2);
const config = { databaseUrl, redisUrl, redisPrefix: 'bench:' };
if (setup === 'setup') {
  const { port, apiId, planId } = await startBenchGatehouse(Number(backendPort), config);
  await liftPlanLimits(port, planId);
  process.stdout.write(`${JSON.stringify({ port, apiId })}\n`);
} else {
  const port = await createGatehouse(benchConfig(config)).listen();
  process.stdout.write(`${JSON.stringify({ port })}\n`);
}

answerCpuSignals();

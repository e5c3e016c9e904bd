// The Gatehouse the metrics/tracing benchmark runs against (own process, pinned by ./metrics.bench.ts): the execute
// benchmark's API (bench/execute/bench-api.ts) with spans going to the OTLP sink given as argv[3], and a second stage
// `observed` on the same deployment with detailed metrics (`*/*` metricsEnabled) and tracingEnabled, so
// /bench/proxy/x and /observed/proxy/x differ only in what is observed. Prints one JSON line {port, apiId} once
// ready; answers SIGUSR2 with its CPU time, as bench/execute/servers.ts does.
import * as AG from '@aws-sdk/client-api-gateway';
import { startBenchGatehouse } from '../execute/bench-api.ts';
import { answerCpuSignals } from '../execute/bench-server.ts';

const backendPort = Number(process.argv[2]);
const otlpTracesUrl = process.argv[3]!;
const { port, apiId } = await startBenchGatehouse(backendPort, { otlpTracesUrl });
const c = new AG.APIGatewayClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'secret' } });
const bench = await c.send(new AG.GetStageCommand({ restApiId: apiId, stageName: 'bench' }));
await c.send(new AG.CreateStageCommand({ restApiId: apiId, stageName: 'observed', deploymentId: bench.deploymentId!, tracingEnabled: true }));
await c.send(
  new AG.UpdateStageCommand({ restApiId: apiId, stageName: 'observed', patchOperations: [{ op: 'replace', path: '/*/*/metrics/enabled', value: 'true' }] }),
);
c.destroy();
process.stdout.write(`${JSON.stringify({ port, apiId })}\n`);

answerCpuSignals();

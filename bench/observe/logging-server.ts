// The Gatehouse the logging benchmark runs against (own process, pinned by bench/observe/logging.bench.ts): the
// execute benchmark's API (bench/execute/bench-api.ts) with a second stage `logged` on the same deployment, whose
// access logs go in JSON format to a log group and whose methods log execution at INFO (no data trace), so the
// same process serves both and the ratio compares like with like. The process log is silent (its stdout carries the
// benchmark's JSON lines). Prints one JSON line {port, apiId} once ready; answers SIGUSR2 with its CPU time, resident
// memory and the number of stored log events.
import * as AG from '@aws-sdk/client-api-gateway';
import { startBenchGatehouse } from '../execute/bench-api.ts';
import { groupKey, type LogStore } from '../../src/observe/logs/log-store.ts';
import { answerCpuSignals } from '../execute/bench-server.ts';

const backendPort = Number(process.argv[2]);
const { gh, port, apiId } = await startBenchGatehouse(backendPort, { logLevel: 'silent' });
const logs = gh.services.logs as LogStore;
await gh.store.write((tx) => tx.put('loggroups', groupKey('us-east-1', 'bench-access'), logs.newGroup('us-east-1', 'bench-access', Date.now())));
const c = new AG.APIGatewayClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'secret' } });
const bench = await c.send(new AG.GetStageCommand({ restApiId: apiId, stageName: 'bench' }));
await c.send(new AG.CreateStageCommand({ restApiId: apiId, stageName: 'logged', deploymentId: bench.deploymentId! }));
// The JSON example of the developer guide ("Configure CloudWatch logging for REST APIs").
const format =
  '{ "requestId":"$context.requestId", "ip": "$context.identity.sourceIp", "caller":"$context.identity.caller", "user":"$context.identity.user","requestTime":"$context.requestTime", "httpMethod":"$context.httpMethod","resourcePath":"$context.resourcePath", "status":"$context.status","protocol":"$context.protocol", "responseLength":"$context.responseLength" }';
await c.send(
  new AG.UpdateStageCommand({
    restApiId: apiId,
    stageName: 'logged',
    patchOperations: [
      { op: 'replace', path: '/accessLogSettings/destinationArn', value: 'arn:aws:logs:us-east-1:123456789012:log-group:bench-access' },
      { op: 'replace', path: '/accessLogSettings/format', value: format },
      { op: 'replace', path: '/*/*/logging/loglevel', value: 'INFO' },
    ],
  }),
);
c.destroy();
process.stdout.write(`${JSON.stringify({ port, apiId })}\n`);

answerCpuSignals(() => ({ rssBytes: process.memoryUsage().rss, ...logs.stats }));

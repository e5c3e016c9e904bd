// Nothing silently ignored: settings Gatehouse stores but does not enforce yet are named in a WARN line when a
// control call stores them (issue 9), once per entity and set of settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as AG from '@aws-sdk/client-api-gateway';
import { clients, spawnGatehouse, tempDataDir } from '../helpers/gatehouse.ts';

test('stages with unenforced settings are named in WARN lines; throttles, quotas and resource policies are enforced', async () => {
  const gh = await spawnGatehouse({ dataDir: tempDataDir() });
  const c = clients(gh.endpoint).apigateway;
  try {
    const api = await c.send(new AG.CreateRestApiCommand({ name: 'w' }));
    const root = (await c.send(new AG.GetResourcesCommand({ restApiId: api.id }))).items![0]!.id!;
    await c.send(new AG.PutMethodCommand({ restApiId: api.id, resourceId: root, httpMethod: 'GET', authorizationType: 'NONE' }));
    await c.send(new AG.PutIntegrationCommand({ restApiId: api.id, resourceId: root, httpMethod: 'GET', type: 'MOCK' }));
    const dep = await c.send(new AG.CreateDeploymentCommand({ restApiId: api.id }));
    await c.send(new AG.CreateStageCommand({ restApiId: api.id, stageName: 'plain', deploymentId: dep.id }));
    // The stage cache is enforced (src/cache): only the tracing is named.
    await c.send(new AG.CreateStageCommand({ restApiId: api.id, stageName: 'cached', deploymentId: dep.id, cacheClusterEnabled: true, cacheClusterSize: '0.5', tracingEnabled: true }));
    const line = `WARN stage us-east-1/${api.id}/cached uses settings Gatehouse stores but does not enforce yet: tracingEnabled (X-Ray tracing: set OTEL_EXPORTER_OTLP_ENDPOINT to export OpenTelemetry spans)`;
    await gh.waitForOutput(line);
    await c.send(
      new AG.UpdateStageCommand({
        restApiId: api.id,
        stageName: 'plain',
        patchOperations: [
          { op: 'replace', path: '/*/*/throttling/rateLimit', value: '10' },
          { op: 'replace', path: '/accessLogSettings/destinationArn', value: 'arn:aws:logs:us-east-1:123456789012:log-group:g' },
          { op: 'replace', path: '/accessLogSettings/format', value: '$context.requestId' },
          { op: 'replace', path: '/*/*/logging/loglevel', value: 'INFO' },
          { op: 'replace', path: '/*/*/logging/dataTrace', value: 'true' },
        ],
      }),
    );
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' }] });
    await c.send(new AG.CreateRestApiCommand({ name: 'with-policy', policy }));
    // A stage change after the policy: once its WARN line is out, the scan has seen the API with the policy too.
    await c.send(new AG.UpdateStageCommand({ restApiId: api.id, stageName: 'plain', patchOperations: [{ op: 'replace', path: '/tracingEnabled', value: 'true' }] }));
    // Throttling (src/traffic), access and execution logs (src/observe) are enforced: only the tracing is named.
    await gh.waitForOutput(`WARN stage us-east-1/${api.id}/plain uses settings Gatehouse stores but does not enforce yet: tracingEnabled (X-Ray tracing: set OTEL_EXPORTER_OTLP_ENDPOINT to export OpenTelemetry spans)\n`);
    assert.doesNotMatch(gh.output(), /accessLogSettings|loggingLevel|dataTraceEnabled/);
    // Resource policies are enforced (src/execute/authorization/resource-policy.ts): no warning for them.
    assert.doesNotMatch(gh.output(), /WARN REST API/);
    // Once per entity and set of settings, and nothing for the stage without any.
    assert.equal(gh.output().split(line).length - 1, 1);
    assert.doesNotMatch(gh.output(), /WARN stage us-east-1\/\w+\/plain uses settings Gatehouse stores but does not enforce yet: \n/);
  } finally {
    c.destroy();
    await gh.stop();
  }
});

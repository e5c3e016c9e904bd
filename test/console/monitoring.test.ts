// The Monitoring view in Chromium: after calls to a deployed API its charts show the request count and the 4XX
// errors CloudWatch holds (read back through the CloudWatch SDK), per API and per stage, and its live tails show
// the stage's execution and access log lines as requests arrive; a stage without logging says so.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { openConsole, type ConsoleSession } from './harness.ts';
import { AG, ApiBuilder } from '../execute/helpers.ts';
import { TEST_CREDENTIALS } from '../helpers/gatehouse.ts';

let s: ConsoleSession;
let b: ApiBuilder;

before(async () => {
  s = await openConsole();
  b = await ApiBuilder.create(s.gh, { name: 'Watched' });
  await b.method('/pets', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, { responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"ok":true}' } }] });
  await b.deploy('prod');
  await b.deploy('quiet');
  const logs = new CloudWatchLogsClient({ endpoint: s.gh.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS });
  await logs.send(new CreateLogGroupCommand({ logGroupName: 'watched-access' }));
  logs.destroy();
  await s.gh.apigateway.send(new AG.UpdateStageCommand({ restApiId: b.apiId, stageName: 'prod', patchOperations: [
    { op: 'replace', path: '/*/*/logging/loglevel', value: 'INFO' },
    { op: 'replace', path: '/accessLogSettings/destinationArn', value: 'arn:aws:logs:us-east-1:123456789012:log-group:watched-access' },
    { op: 'replace', path: '/accessLogSettings/format', value: '$context.requestId $context.httpMethod $context.resourcePath $context.status' },
  ] }));
  await s.login();
});
after(async () => {
  await s?.close();
});

async function cloudWatchSum(metric: string, stage?: string): Promise<number> {
  const cw = new CloudWatchClient({ endpoint: s.gh.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS });
  try {
    const now = Date.now();
    const out = await cw.send(new GetMetricStatisticsCommand({
      Namespace: 'AWS/ApiGateway', MetricName: metric, Dimensions: [{ Name: 'ApiName', Value: 'Watched' }, ...(stage ? [{ Name: 'Stage', Value: stage }] : [])],
      StartTime: new Date(now - 3_600_000), EndTime: new Date(now + 60_000), Period: 3600, Statistics: ['Sum'],
    }));
    return (out.Datapoints ?? []).reduce((a, d) => a + (d.Sum ?? 0), 0);
  } finally {
    cw.destroy();
  }
}

test('charts show the request count and 4XX errors CloudWatch holds, for the API and per stage', async () => {
  for (let i = 0; i < 3; i++) assert.equal((await b.invoke('prod', '/pets')).status, 200);
  assert.equal((await b.invoke('prod', '/nothing')).status, 403);
  assert.equal((await b.invoke('quiet', '/pets')).status, 200);
  assert.equal(await cloudWatchSum('Count'), 5);
  assert.equal(await cloudWatchSum('4XXError'), 1);

  const { page } = s;
  await s.goto(`/apis/${b.apiId}/monitoring`);
  const legend = (series: string) => page.locator(`.legend[data-series="${series}"] b`);
  await page.getByRole('img', { name: 'API calls chart' }).waitFor();
  assert.equal(await legend('Count').innerText(), '5');
  assert.equal(await legend('4XX').innerText(), '1');
  assert.equal(await legend('5XX').innerText(), '0');
  assert.match(await legend('Latency').innerText(), /^\d+(\.\d+)?$/);
  assert.match(await legend('Integration latency').innerText(), /^\d+(\.\d+)?$/);
  await s.screenshot('monitoring-api');

  await page.getByLabel('Stage', { exact: true }).selectOption('prod');
  await page.locator('.legend[data-series="Count"] b').filter({ hasText: /^4$/ }).waitFor();
  assert.equal(await cloudWatchSum('Count', 'prod'), 4);
  assert.deepEqual(s.problems, []);
});

test('the live tails show the stage\'s execution and access log lines as requests arrive', async () => {
  const { page } = s;
  const access = page.getByLabel('Access log lines');
  const execution = page.getByLabel('Execution log lines');
  await access.filter({ hasText: 'GET /pets 200' }).waitFor();
  const r = await b.invoke('prod', '/pets?fresh=1');
  const id = r.headers['x-amzn-requestid'] as string;
  await access.filter({ hasText: `${id} GET /pets 200` }).waitFor();
  await execution.filter({ hasText: `(${id}) Method completed with status: 200` }).waitFor();
  await s.screenshot('monitoring-stage-logs');

  // Pause stops polling: a new request's line waits until Resume.
  await page.getByRole('button', { name: 'Pause' }).first().click();
  const later = (await b.invoke('prod', '/pets?later=1')).headers['x-amzn-requestid'] as string;
  await new Promise((r) => setTimeout(r, 2500));
  assert.doesNotMatch(await execution.innerText(), new RegExp(later));
  await page.getByRole('button', { name: 'Resume' }).click();
  await execution.filter({ hasText: `(${later}) Method completed` }).waitFor();
});

test('a stage without logging says so; the period choice reaches CloudWatch', async () => {
  const { page } = s;
  await page.getByLabel('Stage', { exact: true }).selectOption('quiet');
  await page.getByText('Execution logging is off for this stage').waitFor();
  await page.getByText('Access logging is off for this stage').waitFor();
  // Its execution log group was never written: said so (CloudWatch Logs answered ResourceNotFoundException).
  await page.getByText('The log group API-Gateway-Execution-Logs_' + b.apiId + '/quiet does not exist yet').waitFor();
  // (The view also refreshes every 15 s: the request wanted is the one with the day's 900 s period.)
  const asked = page.waitForRequest((r) => r.headers()['x-amz-target'] === 'GraniteServiceVersion20100801.GetMetricData' && JSON.parse(r.postData() ?? '{}').MetricDataQueries?.[0]?.MetricStat?.Period === 900);
  await page.getByLabel('Period').selectOption('86400000');
  const body = JSON.parse((await asked).postData()!);
  await page.locator('.legend[data-series="Count"] b').filter({ hasText: /^1$/ }).waitFor();
  assert.equal(body.MetricDataQueries[0].MetricStat.Period, 900);
  assert.equal(Date.parse(body.EndTime) - Date.parse(body.StartTime) || (body.EndTime - body.StartTime) * 1000, 86_400_000);
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await s.screenshot('monitoring-quiet-dark');
  await page.getByRole('button', { name: 'Switch to light theme' }).click();
  // The browser logs the log group's 400 (ResourceNotFoundException); nothing else went wrong.
  assert.deepEqual(s.problems.filter((p) => !p.includes('the server responded with a status of 400')), []);
});

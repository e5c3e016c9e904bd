// `aws logs tail --follow` (the CLI v2 polls FilterLogEvents with startTime and interleaved, every 5 seconds, and
// drops events it has already printed by eventId): events already there are printed, and a request's access log
// written afterwards appears on the next poll.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { AWS_V2, runAws } from '../helpers/aws-cli.ts';
import { TEST_CREDENTIALS, startGatehouse, tempDataDir, type Running } from '../helpers/gatehouse.ts';
import { AG, ApiBuilder } from '../execute/helpers.ts';

let gh: Running;

before(async () => {
  gh = await startGatehouse();
});
after(async () => {
  await gh.stop();
});

test('aws logs tail --follow prints new access log lines as requests arrive', { timeout: 40_000 }, async () => {
  assert.equal((await runAws({ endpoint: gh.endpoint }, 'logs', 'create-log-group', '--log-group-name', 'followed')).code, 0);
  const b = await ApiBuilder.create(gh);
  await b.method('/', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, { responses: [{ statusCode: '200' }] });
  await b.deploy('live');
  await gh.apigateway.send(
    new AG.UpdateStageCommand({
      restApiId: b.apiId,
      stageName: 'live',
      patchOperations: [
        { op: 'replace', path: '/accessLogSettings/destinationArn', value: 'arn:aws:logs:us-east-1:123456789012:log-group:followed' },
        { op: 'replace', path: '/accessLogSettings/format', value: 'request $context.requestId status $context.status' },
      ],
    }),
  );
  const first = await b.invoke('live', '/');
  const child = spawn(AWS_V2, ['logs', 'tail', 'followed', '--follow', '--format', 'short', '--endpoint-url', gh.endpoint, '--region', 'us-east-1'], {
    env: {
      PATH: process.env.PATH,
      HOME: tempDataDir(),
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_PAGER: '',
      AWS_MAX_ATTEMPTS: '1',
      // Lines as they are printed (Python buffers a pipe's output otherwise).
      PYTHONUNBUFFERED: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const until = async (what: string) => {
    while (!out.includes(what)) {
      if (child.exitCode !== null) throw new Error(`aws logs tail exited ${child.exitCode}: ${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  try {
    await until(`request ${first.headers['x-amzn-requestid']} status 200`);
    const second = await b.invoke('live', '/missing');
    await until(`request ${second.headers['x-amzn-requestid']} status 403`);
    const lines = out.trim().split('\n');
    assert.equal(lines.length, 2, out);
    assert.match(lines[1]!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d request \S+ status 403$/);
  } finally {
    child.kill('SIGTERM');
  }
});

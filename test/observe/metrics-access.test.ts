// /_gatehouse/metrics under --require-auth (src/server/metrics-access.ts): a SigV4 GET signed by an identity allowed
// cloudwatch:GetMetricData (with curl's --aws-sigv4, as an operator would), or Prometheus's bearer token from
// {dataDir}/metrics-token; anything else is refused with CloudWatch's 403s. Without --require-auth it stays open.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startGatehouse, type Running } from '../helpers/gatehouse.ts';
import { startRequiringAuth, type Credentials, type RequireAuthServer } from '../identity/helpers.ts';

const run = promisify(execFile);
let server: RequireAuthServer;
let gh: Running;

before(async () => {
  server = await startRequiringAuth();
  gh = server.gh;
});
after(() => server.stop());

/** curl, as an operator reads the endpoint: status, then body. */
async function curl(...args: string[]): Promise<{ status: number; body: string }> {
  const { stdout } = await run('curl', ['-s', '-w', '\n%{http_code}', ...args, `${gh.endpoint}/_gatehouse/metrics`]);
  const cut = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut) };
}

const sigv4 = (c: Credentials) => ['--aws-sigv4', 'aws:amz:us-east-1:monitoring', '--user', `${c.accessKeyId}:${c.secretAccessKey}`];

test('the scrape token is written once, mode 0600, and admits a bearer request', async () => {
  const file = join(gh.dataDir, 'metrics-token');
  assert.equal(gh.gatehouse.metricsTokenFile, file);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const token = readFileSync(file, 'utf8').trim();
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  const ok = await curl('-H', `Authorization: Bearer ${token}`);
  assert.equal(ok.status, 200);
  assert.match(ok.body, /^# HELP /m);
  const wrong = await curl('-H', `Authorization: Bearer ${token.slice(0, -1)}x`);
  assert.deepEqual(wrong, { status: 403, body: JSON.stringify({ message: "The bearer token is not this Gatehouse's metrics token (metrics-token in its data directory)" }) });
});

test('an unsigned request is refused as CloudWatch refuses one', async () => {
  assert.deepEqual(await curl(), { status: 403, body: JSON.stringify({ message: 'Missing Authentication Token' }) });
});

test('SigV4 (curl --aws-sigv4): allowed with cloudwatch:GetMetricData, refused without it or with a wrong secret', async () => {
  const reader = await server.userWithKey('metrics-reader', { Effect: 'Allow', Action: 'cloudwatch:GetMetricData', Resource: '*' });
  const ok = await curl(...sigv4(reader));
  assert.equal(ok.status, 200, ok.body);
  assert.match(ok.body, /^# TYPE /m);
  const other = await server.userWithKey('metrics-nobody', { Effect: 'Allow', Action: 'cloudwatch:ListMetrics', Resource: '*' });
  assert.deepEqual(await curl(...sigv4(other)), {
    status: 403,
    body: JSON.stringify({ message: 'User: arn:aws:iam::123456789012:user/metrics-nobody is not authorized to perform: cloudwatch:GetMetricData on resource: * because no identity-based policy allows the cloudwatch:GetMetricData action' }),
  });
  const forged = await curl(...sigv4({ accessKeyId: reader.accessKeyId, secretAccessKey: 'not-the-secret' }));
  assert.equal(forged.status, 403);
  assert.match(JSON.parse(forged.body).message, /signature we calculated does not match/);
});

test('without --require-auth the endpoint stays open (as the control APIs are then)', async () => {
  const open = await startGatehouse();
  try {
    const r = await fetch(`${open.endpoint}/_gatehouse/metrics`);
    assert.equal(r.status, 200);
    assert.equal(open.gatehouse.metricsTokenFile, undefined);
  } finally {
    await open.stop();
  }
});

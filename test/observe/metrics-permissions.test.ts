// The CloudWatch API under --require-auth: signatures verified, then `cloudwatch:{Operation}` on `*` must be allowed
// by the caller's identity policies (CloudWatch's metric actions have no resource-level permissions); a refusal is
// the awsQuery AccessDenied answer, through Debian's aws CLI v2.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { awsCli, cliFailed, startRequiringAuth, type RequireAuthServer } from '../identity/helpers.ts';

let server: RequireAuthServer;
before(async () => {
  server = await startRequiringAuth();
});
after(() => server.stop());

test('cloudwatch:ListMetrics is needed to list metrics; an unsigned-looking key is refused before that', async () => {
  const nobody = await server.userWithKey('cw-nobody');
  cliFailed(
    await awsCli(server.gh.endpoint, server.home, nobody, 'cloudwatch', 'list-metrics'),
    'ListMetrics',
    'AccessDenied',
    'User: arn:aws:iam::123456789012:user/cw-nobody is not authorized to perform: cloudwatch:ListMetrics on resource: * because no identity-based policy allows the cloudwatch:ListMetrics action',
  );
  const reader = await server.userWithKey('cw-reader', { Effect: 'Allow', Action: 'cloudwatch:List*', Resource: '*' });
  const listed = await awsCli(server.gh.endpoint, server.home, reader, 'cloudwatch', 'list-metrics');
  assert.equal(listed.code, 0, listed.stderr);
  assert.deepEqual(listed.json, { Metrics: [] });
  cliFailed(
    await awsCli(server.gh.endpoint, server.home, reader, 'cloudwatch', 'put-metric-data', '--namespace', 'Mine', '--metric-name', 'm', '--value', '1'),
    'PutMetricData',
    'AccessDenied',
    'User: arn:aws:iam::123456789012:user/cw-reader is not authorized to perform: cloudwatch:PutMetricData on resource: * because no identity-based policy allows the cloudwatch:PutMetricData action',
  );
  const forged = await awsCli(server.gh.endpoint, server.home, { accessKeyId: 'AKIAFORGEDFORGED0000', secretAccessKey: 'x' }, 'cloudwatch', 'list-metrics');
  assert.notEqual(forged.code, 0);
  assert.match(forged.stderr, /InvalidClientTokenId/);
});

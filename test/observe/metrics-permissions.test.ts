// The CloudWatch API under --require-auth: signatures verified, then `cloudwatch:{Operation}` on `*` must be allowed
// by the caller's identity policies (CloudWatch's metric actions have no resource-level permissions); a refusal is
// the awsQuery AccessDenied answer, through Debian's aws CLI v2.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as IAM from '@aws-sdk/client-iam';
import { startGatehouse, tempDataDir, type Running } from '../helpers/gatehouse.ts';
import { awsCli, cliFailed, identityClients, type Credentials } from '../identity/helpers.ts';

let gh: Running;
let admin: IAM.IAMClient;
let home: string;

before(async () => {
  gh = await startGatehouse({ config: { requireAuth: true } });
  home = tempDataDir();
  const b = gh.gatehouse.bootstrap!;
  admin = identityClients(gh.endpoint, { accessKeyId: b.accessKeyId, secretAccessKey: b.secretAccessKey }).iam;
});
after(async () => {
  admin.destroy();
  await gh.stop();
});

async function userWithKey(name: string, policy?: object): Promise<Credentials> {
  await admin.send(new IAM.CreateUserCommand({ UserName: name }));
  if (policy) await admin.send(new IAM.PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [policy] }) }));
  const k = (await admin.send(new IAM.CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
  return { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
}

test('cloudwatch:ListMetrics is needed to list metrics; an unsigned-looking key is refused before that', async () => {
  const nobody = await userWithKey('cw-nobody');
  cliFailed(
    await awsCli(gh.endpoint, home, nobody, 'cloudwatch', 'list-metrics'),
    'ListMetrics',
    'AccessDenied',
    'User: arn:aws:iam::123456789012:user/cw-nobody is not authorized to perform: cloudwatch:ListMetrics on resource: * because no identity-based policy allows the cloudwatch:ListMetrics action',
  );
  const reader = await userWithKey('cw-reader', { Effect: 'Allow', Action: 'cloudwatch:List*', Resource: '*' });
  const listed = await awsCli(gh.endpoint, home, reader, 'cloudwatch', 'list-metrics');
  assert.equal(listed.code, 0, listed.stderr);
  assert.deepEqual(listed.json, { Metrics: [] });
  cliFailed(
    await awsCli(gh.endpoint, home, reader, 'cloudwatch', 'put-metric-data', '--namespace', 'Mine', '--metric-name', 'm', '--value', '1'),
    'PutMetricData',
    'AccessDenied',
    'User: arn:aws:iam::123456789012:user/cw-reader is not authorized to perform: cloudwatch:PutMetricData on resource: * because no identity-based policy allows the cloudwatch:PutMetricData action',
  );
  const forged = await awsCli(gh.endpoint, home, { accessKeyId: 'AKIAFORGEDFORGED0000', secretAccessKey: 'x' }, 'cloudwatch', 'list-metrics');
  assert.notEqual(forged.code, 0);
  assert.match(forged.stderr, /InvalidClientTokenId/);
});

// `aws iam …` and `aws sts …` (the real aws CLI v2, botocore's awsQuery serializer and XML parser) against
// Gatehouse, unchanged: create-user, create-access-key, get-caller-identity with the new key, create-role and
// get-role (botocore decodes the URL-encoded trust policy into JSON), assume-role, and AWS's error lines.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startGatehouse, tempDataDir, TEST_CREDENTIALS, type Running } from '../helpers/gatehouse.ts';
import { awsCli, cliFailed, type Credentials } from './helpers.ts';

const ACCOUNT = '123456789012';

describe('IAM and STS through the aws CLI v2', () => {
  let gh: Running;
  let home: string;
  const aws = (creds: Credentials, ...args: string[]) => awsCli(gh.endpoint, home, creds, ...args);

  before(async () => {
    gh = await startGatehouse();
    home = tempDataDir();
  });
  after(async () => {
    await gh.stop();
  });

  it('create-user, create-access-key, then get-caller-identity with that key', async () => {
    const user = await aws(TEST_CREDENTIALS, 'iam', 'create-user', '--user-name', 'dana', '--tags', 'Key=team,Value=edge');
    assert.equal(user.code, 0, user.stderr);
    assert.equal(user.json.User.Arn, `arn:aws:iam::${ACCOUNT}:user/dana`);
    assert.deepEqual(user.json.User.Tags, [{ Key: 'team', Value: 'edge' }]);
    assert.match(user.json.User.CreateDate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\+00:00|Z)$/);

    const key = await aws(TEST_CREDENTIALS, 'iam', 'create-access-key', '--user-name', 'dana');
    assert.equal(key.code, 0, key.stderr);
    const creds = { accessKeyId: key.json.AccessKey.AccessKeyId, secretAccessKey: key.json.AccessKey.SecretAccessKey };
    const me = await aws(creds, 'sts', 'get-caller-identity');
    assert.equal(me.code, 0, me.stderr);
    assert.deepEqual(me.json, { UserId: user.json.User.UserId, Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/dana` });

    const listed = await aws(TEST_CREDENTIALS, 'iam', 'list-access-keys', '--user-name', 'dana');
    assert.deepEqual(listed.json.AccessKeyMetadata.map((k: { AccessKeyId: string }) => k.AccessKeyId), [creds.accessKeyId]);
    cliFailed(await aws(TEST_CREDENTIALS, 'iam', 'create-user', '--user-name', 'dana'), 'CreateUser', 'EntityAlreadyExists', 'User with name dana already exists.');
    cliFailed(await aws(TEST_CREDENTIALS, 'iam', 'get-user', '--user-name', 'erin'), 'GetUser', 'NoSuchEntity', 'The user with name erin cannot be found.');
  });

  it('create-role with a trust policy, get-role (decoded by botocore), assume-role, and the session acting as the role', async () => {
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] };
    const role = await aws(TEST_CREDENTIALS, 'iam', 'create-role', '--role-name', 'ops', '--assume-role-policy-document', JSON.stringify(trust));
    assert.equal(role.code, 0, role.stderr);
    const got = await aws(TEST_CREDENTIALS, 'iam', 'get-role', '--role-name', 'ops');
    assert.deepEqual(got.json.Role.AssumeRolePolicyDocument, trust);
    assert.equal(got.json.Role.MaxSessionDuration, 3600);

    const assumed = await aws(TEST_CREDENTIALS, 'sts', 'assume-role', '--role-arn', `arn:aws:iam::${ACCOUNT}:role/ops`, '--role-session-name', 'cli');
    assert.equal(assumed.code, 0, assumed.stderr);
    const c = assumed.json.Credentials;
    assert.match(c.AccessKeyId, /^ASIA/);
    assert.equal(assumed.json.AssumedRoleUser.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/ops/cli`);
    const me = await aws({ accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken }, 'sts', 'get-caller-identity');
    assert.equal(me.code, 0, me.stderr);
    assert.equal(me.json.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/ops/cli`);
    cliFailed(
      await aws(TEST_CREDENTIALS, 'sts', 'assume-role', '--role-arn', `arn:aws:iam::${ACCOUNT}:role/none`, '--role-session-name', 'cli'),
      'AssumeRole',
      'AccessDenied',
      `User: arn:aws:iam::${ACCOUNT}:root is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${ACCOUNT}:role/none`,
    );
  });

  it('managed policies: create-policy, attach-user-policy, get-policy-version (decoded), list-attached-user-policies', async () => {
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'apigateway:GET', Resource: 'arn:aws:apigateway:*::/restapis/*' }] };
    const created = await aws(TEST_CREDENTIALS, 'iam', 'create-policy', '--policy-name', 'ReadApis', '--policy-document', JSON.stringify(doc));
    assert.equal(created.code, 0, created.stderr);
    const arn = created.json.Policy.Arn;
    assert.equal(arn, `arn:aws:iam::${ACCOUNT}:policy/ReadApis`);
    assert.equal((await aws(TEST_CREDENTIALS, 'iam', 'create-user', '--user-name', 'reader')).code, 0);
    assert.equal((await aws(TEST_CREDENTIALS, 'iam', 'attach-user-policy', '--user-name', 'reader', '--policy-arn', arn)).code, 0);
    const attached = await aws(TEST_CREDENTIALS, 'iam', 'list-attached-user-policies', '--user-name', 'reader');
    assert.deepEqual(attached.json.AttachedPolicies, [{ PolicyName: 'ReadApis', PolicyArn: arn }]);
    const version = await aws(TEST_CREDENTIALS, 'iam', 'get-policy-version', '--policy-arn', arn, '--version-id', 'v1');
    assert.deepEqual(version.json.PolicyVersion.Document, doc);
    assert.equal(version.json.PolicyVersion.IsDefaultVersion, true);
    cliFailed(
      await aws(TEST_CREDENTIALS, 'iam', 'create-user', '--user-name', 'bad/name'),
      'CreateUser',
      'ValidationError',
      "1 validation error detected: Value 'bad/name' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
    );
  });
});

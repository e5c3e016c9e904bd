// STS over the awsQuery protocol, driven by @aws-sdk/client-sts: GetCallerIdentity for users, sessions and (when
// signatures are not verified) unknown keys; AssumeRole's temporary credentials (ASIA key, secret, session token,
// expiry) used by a client; the session-duration limits; GetSessionToken.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as IAM from '@aws-sdk/client-iam';
import * as STS from '@aws-sdk/client-sts';
import { startGatehouse, type Running } from '../helpers/gatehouse.ts';
import { rejects } from '../helpers/aws-assert.ts';
import { identityClients, type Credentials } from './helpers.ts';

const ACCOUNT = '123456789012';
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] });

describe('STS (SDK)', () => {
  let gh: Running;
  let iam: IAM.IAMClient;
  let sts: STS.STSClient;
  let userKey: Credentials;
  let roleId: string;

  before(async () => {
    gh = await startGatehouse();
    ({ iam, sts } = identityClients(gh.endpoint));
    await iam.send(new IAM.CreateUserCommand({ UserName: 'carol' }));
    const key = (await iam.send(new IAM.CreateAccessKeyCommand({ UserName: 'carol' }))).AccessKey!;
    userKey = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
    roleId = (await iam.send(new IAM.CreateRoleCommand({ RoleName: 'deployer', AssumeRolePolicyDocument: TRUST, MaxSessionDuration: 7200 }))).Role!.RoleId!;
    // Sessions of the role may assume roles again (role chaining).
    await iam.send(new IAM.PutRolePolicyCommand({
      RoleName: 'deployer',
      PolicyName: 'chain',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] }),
    }));
    // The trust policy trusts the account, so carol also needs an identity policy allowing sts:AssumeRole (as on AWS).
    await iam.send(new IAM.PutUserPolicyCommand({
      UserName: 'carol',
      PolicyName: 'assume',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${ACCOUNT}:role/*` }] }),
    }));
  });
  after(async () => {
    iam.destroy();
    sts.destroy();
    await gh.stop();
  });

  it("GetCallerIdentity: a user's key names the user; an unknown key (signatures not verified) is the account root", async () => {
    const asCarol = identityClients(gh.endpoint, userKey).sts;
    const me = await asCarol.send(new STS.GetCallerIdentityCommand({}));
    const carol = (await iam.send(new IAM.GetUserCommand({ UserName: 'carol' }))).User!;
    assert.deepEqual({ UserId: me.UserId, Account: me.Account, Arn: me.Arn }, { UserId: carol.UserId, Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/carol` });
    const anonymous = await sts.send(new STS.GetCallerIdentityCommand({}));
    assert.deepEqual({ UserId: anonymous.UserId, Account: anonymous.Account, Arn: anonymous.Arn }, { UserId: ACCOUNT, Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:root` });
    asCarol.destroy();
  });

  it('AssumeRole: temporary credentials with a session token and expiry, which act as the assumed role', async () => {
    const asCarol = identityClients(gh.endpoint, userKey).sts;
    const t0 = Date.now();
    const out = await asCarol.send(new STS.AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/deployer`, RoleSessionName: 'ci-run', DurationSeconds: 1800 }));
    const c = out.Credentials!;
    assert.match(c.AccessKeyId!, /^ASIA[A-Z2-7]{16}$/);
    assert.equal(c.SecretAccessKey!.length, 40);
    assert.ok(c.SessionToken!.length > 100);
    const lifetime = c.Expiration!.getTime() - t0;
    assert.ok(lifetime > 1795_000 && lifetime <= 1801_000, `expires in 1800 s (got ${lifetime} ms)`);
    assert.deepEqual(out.AssumedRoleUser, { AssumedRoleId: `${roleId}:ci-run`, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/ci-run` });

    const asRole = identityClients(gh.endpoint, { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! }).sts;
    const me = await asRole.send(new STS.GetCallerIdentityCommand({}));
    assert.deepEqual({ UserId: me.UserId, Arn: me.Arn }, { UserId: `${roleId}:ci-run`, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/ci-run` });
    // Role chaining is limited to one hour, as on AWS.
    await rejects(
      asRole.send(new STS.AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/deployer`, RoleSessionName: 'chained', DurationSeconds: 3601 })),
      'ValidationError',
      400,
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
    await rejects(asRole.send(new STS.GetSessionTokenCommand({})), 'AccessDenied', 403, 'Cannot call GetSessionToken with session credentials');
    asRole.destroy();
    asCarol.destroy();
  });

  it("AssumeRole's refusals: a missing role, a duration over the role's maximum or outside the model's range", async () => {
    const asCarol = identityClients(gh.endpoint, userKey).sts;
    await rejects(
      asCarol.send(new STS.AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/nope`, RoleSessionName: 'ss' })),
      'AccessDenied',
      403,
      `User: arn:aws:iam::${ACCOUNT}:user/carol is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${ACCOUNT}:role/nope`,
    );
    await rejects(
      asCarol.send(new STS.AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/deployer`, RoleSessionName: 'ss', DurationSeconds: 7201 })),
      'ValidationError',
      400,
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    );
    await rejects(
      asCarol.send(new STS.AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/deployer`, RoleSessionName: 'ss', DurationSeconds: 60 })),
      'ValidationError',
      400,
      "1 validation error detected: Value '60' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    );
    await rejects(
      asCarol.send(new STS.AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/deployer`, RoleSessionName: 'bad name' })),
      'ValidationError',
      400,
      "1 validation error detected: Value 'bad name' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    );
    asCarol.destroy();
  });

  it("AssumeRole evaluates the role's trust policy with the caller's identity policies, as AWS does for one account", async () => {
    await iam.send(new IAM.CreateUserCommand({ UserName: 'dave' }));
    const k = (await iam.send(new IAM.CreateAccessKeyCommand({ UserName: 'dave' }))).AccessKey!;
    const asDave = identityClients(gh.endpoint, { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! }).sts;
    const denied = (role: string) => `User: arn:aws:iam::${ACCOUNT}:user/dave is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${ACCOUNT}:role/${role}`;
    // Trusted through the account only, without an identity policy: refused.
    await rejects(asDave.send(new STS.AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/deployer`, RoleSessionName: 'dd' })), 'AccessDenied', 403, denied('deployer'));
    // A trust policy naming dave himself needs no identity policy.
    const named = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/dave` }, Action: 'sts:AssumeRole' }] };
    await iam.send(new IAM.CreateRoleCommand({ RoleName: 'for-dave', AssumeRolePolicyDocument: JSON.stringify(named) }));
    assert.equal((await asDave.send(new STS.AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/for-dave`, RoleSessionName: 'dd' }))).AssumedRoleUser!.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/for-dave/dd`);
    // A role only a service may assume.
    const service = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
    await iam.send(new IAM.CreateRoleCommand({ RoleName: 'lambda-only', AssumeRolePolicyDocument: JSON.stringify(service) }));
    await rejects(asDave.send(new STS.AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/lambda-only`, RoleSessionName: 'dd' })), 'AccessDenied', 403, denied('lambda-only'));
    // An explicit deny in an identity policy wins over the trust policy naming him.
    await iam.send(new IAM.PutUserPolicyCommand({
      UserName: 'dave',
      PolicyName: 'no-roles',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'sts:*', Resource: '*' }] }),
    }));
    await rejects(asDave.send(new STS.AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/for-dave`, RoleSessionName: 'dd' })), 'AccessDenied', 403, denied('for-dave'));
    // A trust-policy condition: only with an external id.
    const withExternalId = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'xx' } } }] };
    await iam.send(new IAM.CreateRoleCommand({ RoleName: 'external', AssumeRolePolicyDocument: JSON.stringify(withExternalId) }));
    const asCarol = identityClients(gh.endpoint, userKey).sts;
    await rejects(
      asCarol.send(new STS.AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/external`, RoleSessionName: 'cc', ExternalId: 'yy' })),
      'AccessDenied',
      403,
      `User: arn:aws:iam::${ACCOUNT}:user/carol is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${ACCOUNT}:role/external`,
    );
    assert.ok((await asCarol.send(new STS.AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/external`, RoleSessionName: 'cc', ExternalId: 'xx' }))).Credentials);
    asDave.destroy();
    asCarol.destroy();
  });

  it('MFA codes are refused (Gatehouse has no MFA devices); GetAccessKeyInfo names the account', async () => {
    const asCarol = identityClients(gh.endpoint, userKey).sts;
    await rejects(
      asCarol.send(new STS.AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/deployer`, RoleSessionName: 'mfa', SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/carol`, TokenCode: '123456' })),
      'AccessDenied',
      403,
      'MultiFactorAuthentication failed with invalid MFA one time pass code.',
    );
    await rejects(
      asCarol.send(new STS.AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/deployer`, RoleSessionName: 'pol', Policy: '{"Statement":' })),
      'MalformedPolicyDocumentException',
      400,
      'This policy contains invalid Json',
    );
    // Session tags need sts:TagSession in the trust policy.
    await rejects(
      asCarol.send(new STS.AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/deployer`, RoleSessionName: 'tags', Tags: [{ Key: 'a', Value: 'b' }] })),
      'AccessDenied',
      403,
      `User: arn:aws:iam::${ACCOUNT}:user/carol is not authorized to perform: sts:TagSession on resource: arn:aws:iam::${ACCOUNT}:role/deployer`,
    );
    assert.equal((await asCarol.send(new STS.GetAccessKeyInfoCommand({ AccessKeyId: userKey.accessKeyId }))).Account, ACCOUNT);
    asCarol.destroy();
  });

  it("GetSessionToken: temporary credentials acting as the user (12 hours by default)", async () => {
    const asCarol = identityClients(gh.endpoint, userKey).sts;
    const t0 = Date.now();
    const c = (await asCarol.send(new STS.GetSessionTokenCommand({}))).Credentials!;
    assert.match(c.AccessKeyId!, /^ASIA/);
    const lifetime = c.Expiration!.getTime() - t0;
    assert.ok(lifetime > 43_195_000 && lifetime <= 43_201_000, `expires in 43200 s (got ${lifetime} ms)`);
    const asSession = identityClients(gh.endpoint, { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! }).sts;
    assert.equal((await asSession.send(new STS.GetCallerIdentityCommand({}))).Arn, `arn:aws:iam::${ACCOUNT}:user/carol`);
    asSession.destroy();
    asCarol.destroy();
  });
});

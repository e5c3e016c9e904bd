// IAM over the awsQuery protocol, driven by @aws-sdk/client-iam: users, access keys, groups, roles with trust
// policies, managed policies with versions and attachments, inline policies; AWS's error codes, statuses and texts
// (NoSuchEntity "The user with name X cannot be found.", EntityAlreadyExists, DeleteConflict, LimitExceeded,
// ValidationError with the member named as awsQuery services name it), and the XML shapes on the wire.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as IAM from '@aws-sdk/client-iam';
import { startGatehouse, type Running } from '../helpers/gatehouse.ts';
import { rejects } from '../helpers/aws-assert.ts';
import { identityClients, queryRequest, withoutRequestIds } from './helpers.ts';

const ACCOUNT = '123456789012';
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const DOC = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

describe('IAM (SDK)', () => {
  let gh: Running;
  let iam: IAM.IAMClient;

  before(async () => {
    gh = await startGatehouse();
    iam = identityClients(gh.endpoint).iam;
  });
  after(async () => {
    iam.destroy();
    await gh.stop();
  });

  it('users: create, get, list by path, rename, delete; names unique regardless of case', async () => {
    const t0 = Date.now();
    const created = (await iam.send(new IAM.CreateUserCommand({ UserName: 'alice', Path: '/staff/', Tags: [{ Key: 'team', Value: 'api' }] }))).User!;
    assert.equal(created.UserName, 'alice');
    assert.equal(created.Path, '/staff/');
    assert.equal(created.Arn, `arn:aws:iam::${ACCOUNT}:user/staff/alice`);
    assert.match(created.UserId!, /^AIDA[A-Z2-7]{17}$/);
    assert.ok(created.CreateDate instanceof Date && Math.abs(created.CreateDate.getTime() - t0) < 5000);
    assert.deepEqual(created.Tags, [{ Key: 'team', Value: 'api' }]);

    const got = (await iam.send(new IAM.GetUserCommand({ UserName: 'alice' }))).User!;
    assert.deepEqual(got, created);
    await rejects(iam.send(new IAM.CreateUserCommand({ UserName: 'alice' })), 'EntityAlreadyExistsException', 409, 'User with name alice already exists.');
    await rejects(iam.send(new IAM.CreateUserCommand({ UserName: 'ALICE' })), 'EntityAlreadyExistsException', 409, 'User with name ALICE already exists.');
    await rejects(iam.send(new IAM.GetUserCommand({ UserName: 'nobody' })), 'NoSuchEntityException', 404, 'The user with name nobody cannot be found.');

    await iam.send(new IAM.CreateUserCommand({ UserName: 'bob' }));
    const staff = await iam.send(new IAM.ListUsersCommand({ PathPrefix: '/staff/' }));
    assert.deepEqual(staff.Users!.map((u) => u.UserName), ['alice']);
    assert.equal(staff.IsTruncated, false);
    const all = await iam.send(new IAM.ListUsersCommand({}));
    assert.deepEqual(all.Users!.map((u) => u.UserName), ['admin', 'alice', 'bob'], 'the bootstrap administrator is a user too');
    const page1 = await iam.send(new IAM.ListUsersCommand({ MaxItems: 2 }));
    assert.equal(page1.IsTruncated, true);
    const page2 = await iam.send(new IAM.ListUsersCommand({ MaxItems: 2, Marker: page1.Marker }));
    assert.deepEqual([...page1.Users!, ...page2.Users!].map((u) => u.UserName), ['admin', 'alice', 'bob']);
    assert.equal(page2.IsTruncated, false);

    await iam.send(new IAM.UpdateUserCommand({ UserName: 'bob', NewUserName: 'robert', NewPath: '/ops/' }));
    const renamed = (await iam.send(new IAM.GetUserCommand({ UserName: 'robert' }))).User!;
    assert.equal(renamed.Arn, `arn:aws:iam::${ACCOUNT}:user/ops/robert`);
    await rejects(iam.send(new IAM.GetUserCommand({ UserName: 'bob' })), 'NoSuchEntityException', 404, 'The user with name bob cannot be found.');
    await iam.send(new IAM.DeleteUserCommand({ UserName: 'robert' }));
    await rejects(iam.send(new IAM.DeleteUserCommand({ UserName: 'robert' })), 'NoSuchEntityException', 404, 'The user with name robert cannot be found.');
  });

  it("the model's constraints: ValidationError naming the member as awsQuery services do", async () => {
    await rejects(
      iam.send(new IAM.CreateUserCommand({ UserName: 'has space' })),
      'ValidationError',
      400,
      "1 validation error detected: Value 'has space' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
    );
    await rejects(
      iam.send(new IAM.CreateUserCommand({ UserName: 'x'.repeat(65) })),
      'ValidationError',
      400,
      `1 validation error detected: Value '${'x'.repeat(65)}' at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64`,
    );
    await rejects(
      iam.send(new IAM.CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: TRUST, MaxSessionDuration: 60 })),
      'ValidationError',
      400,
      "1 validation error detected: Value '60' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600",
    );
  });

  it('access keys: AKIA ids with 40-character secrets, two per user, status, deletion', async () => {
    await iam.send(new IAM.CreateUserCommand({ UserName: 'keyholder' }));
    const k1 = (await iam.send(new IAM.CreateAccessKeyCommand({ UserName: 'keyholder' }))).AccessKey!;
    assert.match(k1.AccessKeyId!, /^AKIA[A-Z2-7]{16}$/);
    assert.equal(k1.SecretAccessKey!.length, 40);
    assert.equal(k1.Status, 'Active');
    assert.equal(k1.UserName, 'keyholder');
    const k2 = (await iam.send(new IAM.CreateAccessKeyCommand({ UserName: 'keyholder' }))).AccessKey!;
    await rejects(iam.send(new IAM.CreateAccessKeyCommand({ UserName: 'keyholder' })), 'LimitExceededException', 409, 'Cannot exceed quota for AccessKeysPerUser: 2');

    await iam.send(new IAM.UpdateAccessKeyCommand({ UserName: 'keyholder', AccessKeyId: k1.AccessKeyId!, Status: 'Inactive' }));
    const listed = (await iam.send(new IAM.ListAccessKeysCommand({ UserName: 'keyholder' }))).AccessKeyMetadata!;
    const byId = new Map(listed.map((k) => [k.AccessKeyId, k]));
    assert.equal(byId.get(k1.AccessKeyId)!.Status, 'Inactive');
    assert.equal(byId.get(k2.AccessKeyId)!.Status, 'Active');
    assert.equal((listed[0] as { SecretAccessKey?: string }).SecretAccessKey, undefined, 'secrets are answered once, at creation');

    await rejects(iam.send(new IAM.DeleteUserCommand({ UserName: 'keyholder' })), 'DeleteConflictException', 409, 'Cannot delete entity, must delete access keys first.');
    await rejects(
      iam.send(new IAM.DeleteAccessKeyCommand({ UserName: 'keyholder', AccessKeyId: 'AKIAAAAAAAAAAAAAAAAA' })),
      'NoSuchEntityException',
      404,
      'The Access Key with id AKIAAAAAAAAAAAAAAAAA cannot be found.',
    );
    await iam.send(new IAM.DeleteAccessKeyCommand({ UserName: 'keyholder', AccessKeyId: k1.AccessKeyId! }));
    await iam.send(new IAM.DeleteAccessKeyCommand({ UserName: 'keyholder', AccessKeyId: k2.AccessKeyId! }));
    await iam.send(new IAM.DeleteUserCommand({ UserName: 'keyholder' }));
  });

  it('groups: members, groups of a user, deletion conflicts', async () => {
    await iam.send(new IAM.CreateUserCommand({ UserName: 'member' }));
    const group = (await iam.send(new IAM.CreateGroupCommand({ GroupName: 'devs' }))).Group!;
    assert.equal(group.Arn, `arn:aws:iam::${ACCOUNT}:group/devs`);
    assert.match(group.GroupId!, /^AGPA[A-Z2-7]{17}$/);
    await rejects(iam.send(new IAM.CreateGroupCommand({ GroupName: 'devs' })), 'EntityAlreadyExistsException', 409, 'Group with name devs already exists.');
    await iam.send(new IAM.AddUserToGroupCommand({ GroupName: 'devs', UserName: 'member' }));
    const got = await iam.send(new IAM.GetGroupCommand({ GroupName: 'devs' }));
    assert.deepEqual(got.Users!.map((u) => u.UserName), ['member']);
    assert.deepEqual((await iam.send(new IAM.ListGroupsForUserCommand({ UserName: 'member' }))).Groups!.map((g) => g.GroupName), ['devs']);
    await rejects(iam.send(new IAM.AddUserToGroupCommand({ GroupName: 'nope', UserName: 'member' })), 'NoSuchEntityException', 404, 'The group with name nope cannot be found.');
    await rejects(iam.send(new IAM.DeleteGroupCommand({ GroupName: 'devs' })), 'DeleteConflictException', 409, 'Cannot delete entity, must remove users from group first.');
    await rejects(iam.send(new IAM.DeleteUserCommand({ UserName: 'member' })), 'DeleteConflictException', 409, 'Cannot delete entity, must remove user from all groups first.');
    await iam.send(new IAM.RemoveUserFromGroupCommand({ GroupName: 'devs', UserName: 'member' }));
    await iam.send(new IAM.DeleteGroupCommand({ GroupName: 'devs' }));
    await iam.send(new IAM.DeleteUserCommand({ UserName: 'member' }));
    assert.deepEqual((await iam.send(new IAM.ListGroupsCommand({}))).Groups, []);
  });

  it('roles: the trust policy answered URL-encoded, as IAM does; MaxSessionDuration; update and delete', async () => {
    const role = (await iam.send(new IAM.CreateRoleCommand({ RoleName: 'lambda-exec', AssumeRolePolicyDocument: TRUST, Description: 'runs functions' }))).Role!;
    assert.equal(role.Arn, `arn:aws:iam::${ACCOUNT}:role/lambda-exec`);
    assert.match(role.RoleId!, /^AROA[A-Z2-7]{17}$/);
    assert.equal(role.MaxSessionDuration, 3600);
    assert.equal(role.AssumeRolePolicyDocument, encodeURIComponent(TRUST));
    assert.equal(decodeURIComponent(role.AssumeRolePolicyDocument!), TRUST);
    await rejects(iam.send(new IAM.CreateRoleCommand({ RoleName: 'lambda-exec', AssumeRolePolicyDocument: TRUST })), 'EntityAlreadyExistsException', 409, 'Role with name lambda-exec already exists.');
    await rejects(iam.send(new IAM.CreateRoleCommand({ RoleName: 'bad', AssumeRolePolicyDocument: '{not json' })), 'MalformedPolicyDocumentException', 400, 'This policy contains invalid Json');
    await rejects(iam.send(new IAM.GetRoleCommand({ RoleName: 'missing' })), 'NoSuchEntityException', 404, 'The role with name missing cannot be found.');

    await iam.send(new IAM.UpdateRoleCommand({ RoleName: 'lambda-exec', MaxSessionDuration: 7200 }));
    // What Terraform lists before deleting a role: no instance profiles exist here.
    assert.deepEqual((await iam.send(new IAM.ListInstanceProfilesForRoleCommand({ RoleName: 'lambda-exec' }))).InstanceProfiles, []);
    await rejects(iam.send(new IAM.ListInstanceProfilesForRoleCommand({ RoleName: 'nope' })), 'NoSuchEntityException', 404, 'The role with name nope cannot be found.');
    assert.equal((await iam.send(new IAM.UpdateRoleDescriptionCommand({ RoleName: 'lambda-exec', Description: 'runs functions' }))).Role!.Description, 'runs functions');
    const other = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] });
    await iam.send(new IAM.UpdateAssumeRolePolicyCommand({ RoleName: 'lambda-exec', PolicyDocument: other }));
    const got = (await iam.send(new IAM.GetRoleCommand({ RoleName: 'lambda-exec' }))).Role!;
    assert.equal(got.MaxSessionDuration, 7200);
    assert.equal(got.Description, 'runs functions');
    assert.equal(decodeURIComponent(got.AssumeRolePolicyDocument!), other);
    assert.deepEqual((await iam.send(new IAM.ListRolesCommand({}))).Roles!.map((r) => r.RoleName), ['lambda-exec']);
    await iam.send(new IAM.DeleteRoleCommand({ RoleName: 'lambda-exec' }));
    assert.deepEqual((await iam.send(new IAM.ListRolesCommand({}))).Roles, []);
  });

  it('managed policies: versions (five at most, newest first), the default version, attachments to users, groups and roles', async () => {
    await iam.send(new IAM.CreateUserCommand({ UserName: 'dev' }));
    await iam.send(new IAM.CreateGroupCommand({ GroupName: 'team' }));
    await iam.send(new IAM.CreateRoleCommand({ RoleName: 'svc', AssumeRolePolicyDocument: TRUST }));
    const p = (await iam.send(new IAM.CreatePolicyCommand({ PolicyName: 'ReadApis', Path: '/gw/', PolicyDocument: DOC('apigateway:GET'), Description: 'read' }))).Policy!;
    assert.equal(p.Arn, `arn:aws:iam::${ACCOUNT}:policy/gw/ReadApis`);
    assert.equal(p.DefaultVersionId, 'v1');
    assert.equal(p.AttachmentCount, 0);
    assert.equal(p.IsAttachable, true);
    assert.equal(p.Description, undefined, 'CreatePolicy answers no description');
    await rejects(
      iam.send(new IAM.CreatePolicyCommand({ PolicyName: 'ReadApis', PolicyDocument: DOC('*') })),
      'EntityAlreadyExistsException',
      409,
      'A policy called ReadApis already exists. Duplicate names are not allowed.',
    );
    assert.equal((await iam.send(new IAM.GetPolicyCommand({ PolicyArn: p.Arn }))).Policy!.Description, 'read');

    for (const target of [
      new IAM.AttachUserPolicyCommand({ UserName: 'dev', PolicyArn: p.Arn }),
      new IAM.AttachGroupPolicyCommand({ GroupName: 'team', PolicyArn: p.Arn }),
      new IAM.AttachRolePolicyCommand({ RoleName: 'svc', PolicyArn: p.Arn }),
    ]) {
      await iam.send(target as any);
    }
    assert.equal((await iam.send(new IAM.GetPolicyCommand({ PolicyArn: p.Arn }))).Policy!.AttachmentCount, 3);
    assert.deepEqual((await iam.send(new IAM.ListAttachedUserPoliciesCommand({ UserName: 'dev' }))).AttachedPolicies, [{ PolicyName: 'ReadApis', PolicyArn: p.Arn }]);
    assert.deepEqual((await iam.send(new IAM.ListAttachedRolePoliciesCommand({ RoleName: 'svc' }))).AttachedPolicies, [{ PolicyName: 'ReadApis', PolicyArn: p.Arn }]);
    const entities = await iam.send(new IAM.ListEntitiesForPolicyCommand({ PolicyArn: p.Arn }));
    assert.deepEqual(entities.PolicyUsers!.map((u) => u.UserName), ['dev']);
    assert.deepEqual(entities.PolicyGroups!.map((g) => g.GroupName), ['team']);
    assert.deepEqual(entities.PolicyRoles!.map((r) => r.RoleName), ['svc']);
    const missing = `arn:aws:iam::${ACCOUNT}:policy/Nope`;
    await rejects(iam.send(new IAM.AttachUserPolicyCommand({ UserName: 'dev', PolicyArn: missing })), 'NoSuchEntityException', 404, `Policy ${missing} does not exist or is not attachable.`);
    await rejects(
      iam.send(new IAM.AttachUserPolicyCommand({ UserName: 'dev', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' })),
      'NoSuchEntityException',
      404,
      'Policy arn:aws:iam::aws:policy/ReadOnlyAccess does not exist or is not attachable.',
    );
    await rejects(iam.send(new IAM.DeletePolicyCommand({ PolicyArn: p.Arn })), 'DeleteConflictException', 409, 'Cannot delete a policy attached to entities.');
    await rejects(iam.send(new IAM.DeleteRoleCommand({ RoleName: 'svc' })), 'DeleteConflictException', 409, 'Cannot delete entity, must detach all policies first.');

    const v2 = (await iam.send(new IAM.CreatePolicyVersionCommand({ PolicyArn: p.Arn, PolicyDocument: DOC('apigateway:*'), SetAsDefault: true }))).PolicyVersion!;
    assert.equal(v2.VersionId, 'v2');
    assert.equal(v2.IsDefaultVersion, true);
    for (let i = 0; i < 3; i++) await iam.send(new IAM.CreatePolicyVersionCommand({ PolicyArn: p.Arn, PolicyDocument: DOC(`lambda:Get${i}`) }));
    await rejects(
      iam.send(new IAM.CreatePolicyVersionCommand({ PolicyArn: p.Arn, PolicyDocument: DOC('x:y') })),
      'LimitExceededException',
      409,
      'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
    );
    const versions = (await iam.send(new IAM.ListPolicyVersionsCommand({ PolicyArn: p.Arn }))).Versions!;
    assert.deepEqual(versions.map((v) => [v.VersionId, v.IsDefaultVersion]), [['v5', false], ['v4', false], ['v3', false], ['v2', true], ['v1', false]]);
    const doc = (await iam.send(new IAM.GetPolicyVersionCommand({ PolicyArn: p.Arn, VersionId: 'v2' }))).PolicyVersion!.Document!;
    assert.equal(decodeURIComponent(doc), DOC('apigateway:*'));
    await rejects(iam.send(new IAM.DeletePolicyVersionCommand({ PolicyArn: p.Arn, VersionId: 'v2' })), 'DeleteConflictException', 409, 'Cannot delete the default version of a policy.');
    await iam.send(new IAM.SetDefaultPolicyVersionCommand({ PolicyArn: p.Arn, VersionId: 'v5' }));
    assert.equal((await iam.send(new IAM.GetPolicyCommand({ PolicyArn: p.Arn }))).Policy!.DefaultVersionId, 'v5');
    await iam.send(new IAM.DeletePolicyVersionCommand({ PolicyArn: p.Arn, VersionId: 'v1' }));
    const v6 = (await iam.send(new IAM.CreatePolicyVersionCommand({ PolicyArn: p.Arn, PolicyDocument: DOC('x:y') }))).PolicyVersion!;
    assert.equal(v6.VersionId, 'v6', 'version numbers are never reused');

    await iam.send(new IAM.DetachUserPolicyCommand({ UserName: 'dev', PolicyArn: p.Arn }));
    await iam.send(new IAM.DetachGroupPolicyCommand({ GroupName: 'team', PolicyArn: p.Arn }));
    await iam.send(new IAM.DetachRolePolicyCommand({ RoleName: 'svc', PolicyArn: p.Arn }));
    await rejects(
      iam.send(new IAM.DeletePolicyCommand({ PolicyArn: p.Arn })),
      'DeleteConflictException',
      409,
      "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
    );
    for (const v of ['v2', 'v3', 'v4', 'v6']) await iam.send(new IAM.DeletePolicyVersionCommand({ PolicyArn: p.Arn, VersionId: v }));
    await iam.send(new IAM.DeletePolicyCommand({ PolicyArn: p.Arn }));
    await rejects(iam.send(new IAM.GetPolicyCommand({ PolicyArn: p.Arn })), 'NoSuchEntityException', 404, `Policy ${p.Arn} was not found.`);
  });

  it('the AWS managed policies function roles attach (AWSLambdaBasicExecutionRole…): get, list with Scope=AWS, attach', async () => {
    const arn = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';
    const p = (await iam.send(new IAM.GetPolicyCommand({ PolicyArn: arn }))).Policy!;
    assert.equal(p.PolicyName, 'AWSLambdaBasicExecutionRole');
    assert.equal(p.Path, '/service-role/');
    assert.equal(p.DefaultVersionId, 'v1');
    assert.equal(p.CreateDate!.toISOString(), '2015-04-09T15:03:00.000Z');
    const v = (await iam.send(new IAM.GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }))).PolicyVersion!;
    assert.deepEqual(JSON.parse(decodeURIComponent(v.Document!)), {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }],
    });
    const awsScope = (await iam.send(new IAM.ListPoliciesCommand({ Scope: 'AWS' }))).Policies!.map((x) => x.Arn);
    assert.ok(awsScope.includes(arn) && awsScope.includes('arn:aws:iam::aws:policy/AdministratorAccess'), String(awsScope));
    assert.ok(awsScope.every((a) => a!.startsWith('arn:aws:iam::aws:policy/')));
    await iam.send(new IAM.CreateRoleCommand({ RoleName: 'fn-role', AssumeRolePolicyDocument: TRUST }));
    await iam.send(new IAM.AttachRolePolicyCommand({ RoleName: 'fn-role', PolicyArn: arn }));
    assert.deepEqual((await iam.send(new IAM.ListAttachedRolePoliciesCommand({ RoleName: 'fn-role' }))).AttachedPolicies, [{ PolicyName: 'AWSLambdaBasicExecutionRole', PolicyArn: arn }]);
    assert.equal((await iam.send(new IAM.GetPolicyCommand({ PolicyArn: arn }))).Policy!.AttachmentCount, 1);
    assert.deepEqual((await iam.send(new IAM.ListEntitiesForPolicyCommand({ PolicyArn: arn }))).PolicyRoles!.map((r) => r.RoleName), ['fn-role']);
    // A customer policy may have the same name as an AWS managed one; both attach side by side.
    const mine = (await iam.send(new IAM.CreatePolicyCommand({ PolicyName: 'AWSLambdaBasicExecutionRole', PolicyDocument: DOC('logs:*') }))).Policy!.Arn!;
    await iam.send(new IAM.AttachRolePolicyCommand({ RoleName: 'fn-role', PolicyArn: mine }));
    assert.equal((await iam.send(new IAM.ListAttachedRolePoliciesCommand({ RoleName: 'fn-role' }))).AttachedPolicies!.length, 2);
    await iam.send(new IAM.DetachRolePolicyCommand({ RoleName: 'fn-role', PolicyArn: arn }));
    assert.deepEqual((await iam.send(new IAM.ListAttachedRolePoliciesCommand({ RoleName: 'fn-role' }))).AttachedPolicies, [{ PolicyName: 'AWSLambdaBasicExecutionRole', PolicyArn: mine }]);
  });

  it('inline policies of users, groups and roles', async () => {
    await iam.send(new IAM.CreateUserCommand({ UserName: 'inliner' }));
    await iam.send(new IAM.PutUserPolicyCommand({ UserName: 'inliner', PolicyName: 'p1', PolicyDocument: DOC('apigateway:GET') }));
    const got = await iam.send(new IAM.GetUserPolicyCommand({ UserName: 'inliner', PolicyName: 'p1' }));
    assert.equal(got.UserName, 'inliner');
    assert.equal(got.PolicyName, 'p1');
    assert.equal(decodeURIComponent(got.PolicyDocument!), DOC('apigateway:GET'));
    assert.deepEqual((await iam.send(new IAM.ListUserPoliciesCommand({ UserName: 'inliner' }))).PolicyNames, ['p1']);
    await rejects(iam.send(new IAM.GetUserPolicyCommand({ UserName: 'inliner', PolicyName: 'p2' })), 'NoSuchEntityException', 404, 'The user policy with name p2 cannot be found.');
    await rejects(iam.send(new IAM.DeleteUserCommand({ UserName: 'inliner' })), 'DeleteConflictException', 409, 'Cannot delete entity, must delete policies first.');
    await rejects(
      iam.send(new IAM.PutUserPolicyCommand({ UserName: 'inliner', PolicyName: 'bad', PolicyDocument: '{"Statement":[{"Effect":"Maybe"}]}' })),
      'MalformedPolicyDocumentException',
      400,
      'Syntax errors in policy.',
    );
    await iam.send(new IAM.DeleteUserPolicyCommand({ UserName: 'inliner', PolicyName: 'p1' }));
    await iam.send(new IAM.DeleteUserCommand({ UserName: 'inliner' }));

    await iam.send(new IAM.CreateRoleCommand({ RoleName: 'inline-role', AssumeRolePolicyDocument: TRUST }));
    await iam.send(new IAM.PutRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'logs', PolicyDocument: DOC('logs:*') }));
    assert.equal(decodeURIComponent((await iam.send(new IAM.GetRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'logs' }))).PolicyDocument!), DOC('logs:*'));
    await rejects(iam.send(new IAM.GetRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'x' })), 'NoSuchEntityException', 404, 'The role policy with name x cannot be found.');
    await iam.send(new IAM.CreateGroupCommand({ GroupName: 'g-inline' }));
    await iam.send(new IAM.PutGroupPolicyCommand({ GroupName: 'g-inline', PolicyName: 'gp', PolicyDocument: DOC('iam:Get*') }));
    assert.deepEqual((await iam.send(new IAM.ListGroupPoliciesCommand({ GroupName: 'g-inline' }))).PolicyNames, ['gp']);
    await rejects(iam.send(new IAM.DeleteGroupPolicyCommand({ GroupName: 'g-inline', PolicyName: 'x' })), 'NoSuchEntityException', 404, 'The group policy with name x cannot be found.');
  });

  it('tags of users, roles and managed policies: replaced by key case-insensitively, removed, listed; 50 at most', async () => {
    await iam.send(new IAM.CreateUserCommand({ UserName: 'tagged', Tags: [{ Key: 'team', Value: 'a' }] }));
    await iam.send(new IAM.TagUserCommand({ UserName: 'tagged', Tags: [{ Key: 'TEAM', Value: 'b' }, { Key: 'env', Value: 'dev' }] }));
    assert.deepEqual((await iam.send(new IAM.ListUserTagsCommand({ UserName: 'tagged' }))).Tags, [{ Key: 'TEAM', Value: 'b' }, { Key: 'env', Value: 'dev' }]);
    await iam.send(new IAM.UntagUserCommand({ UserName: 'tagged', TagKeys: ['team'] }));
    assert.deepEqual((await iam.send(new IAM.GetUserCommand({ UserName: 'tagged' }))).User!.Tags, [{ Key: 'env', Value: 'dev' }]);
    const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await rejects(iam.send(new IAM.TagUserCommand({ UserName: 'tagged', Tags: many })), 'LimitExceededException', 409, 'The number of tags has reached the maximum limit.');
    await rejects(iam.send(new IAM.TagUserCommand({ UserName: 'ghost', Tags: [{ Key: 'a', Value: 'b' }] })), 'NoSuchEntityException', 404, 'The user with name ghost cannot be found.');

    await iam.send(new IAM.CreateRoleCommand({ RoleName: 'tagged-role', AssumeRolePolicyDocument: TRUST }));
    await iam.send(new IAM.TagRoleCommand({ RoleName: 'tagged-role', Tags: [{ Key: 'owner', Value: 'me' }] }));
    assert.deepEqual((await iam.send(new IAM.ListRoleTagsCommand({ RoleName: 'tagged-role' }))).Tags, [{ Key: 'owner', Value: 'me' }]);
    const p = (await iam.send(new IAM.CreatePolicyCommand({ PolicyName: 'TaggedPolicy', PolicyDocument: DOC('*') }))).Policy!;
    await iam.send(new IAM.TagPolicyCommand({ PolicyArn: p.Arn!, Tags: [{ Key: 'x', Value: 'y' }] }));
    assert.deepEqual((await iam.send(new IAM.ListPolicyTagsCommand({ PolicyArn: p.Arn! }))).Tags, [{ Key: 'x', Value: 'y' }]);
    assert.deepEqual((await iam.send(new IAM.GetPolicyCommand({ PolicyArn: p.Arn! }))).Policy!.Tags, [{ Key: 'x', Value: 'y' }]);
  });

  it('the XML on the wire: a result wrapper with response metadata, errors as ErrorResponse with Type Sender', async () => {
    const ok = await queryRequest(gh.endpoint, 'iam', { Action: 'CreateGroup', Version: '2010-05-08', GroupName: 'wire' });
    assert.equal(ok.status, 200);
    assert.equal(ok.contentType, 'text/xml');
    assert.match(
      withoutRequestIds(ok.body),
      /^<CreateGroupResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/"><CreateGroupResult><Group><Path>\/<\/Path><GroupName>wire<\/GroupName><GroupId>AGPA[A-Z2-7]{17}<\/GroupId><Arn>arn:aws:iam::123456789012:group\/wire<\/Arn><CreateDate>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/CreateDate><\/Group><\/CreateGroupResult><ResponseMetadata><RequestId>RID<\/RequestId><\/ResponseMetadata><\/CreateGroupResponse>$/,
    );
    const missing = await queryRequest(gh.endpoint, 'iam', { Action: 'GetUser', Version: '2010-05-08', UserName: 'ghost' });
    assert.equal(missing.status, 404);
    assert.equal(missing.contentType, 'text/xml');
    assert.equal(
      withoutRequestIds(missing.body),
      '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code>' +
        '<Message>The user with name ghost cannot be found.</Message></Error><RequestId>RID</RequestId></ErrorResponse>',
    );
    const unknown = await queryRequest(gh.endpoint, 'iam', { Action: 'FlyToTheMoon', Version: '2010-05-08' });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body, /<Code>InvalidAction<\/Code><Message>Could not find operation FlyToTheMoon for version 2010-05-08<\/Message>/);
    const wrongVersion = await queryRequest(gh.endpoint, 'iam', { Action: 'ListUsers', Version: '2099-01-01' });
    assert.equal(wrongVersion.status, 400);
    assert.match(wrongVersion.body, /<Code>InvalidAction<\/Code><Message>Could not find operation ListUsers for version 2099-01-01<\/Message>/);
    const escaped = await queryRequest(gh.endpoint, 'iam', { Action: 'GetUser', Version: '2010-05-08', UserName: 'a<b' });
    assert.equal(escaped.status, 400);
    assert.match(escaped.body, /Value 'a&lt;b' at 'userName'/);
    const health = await fetch(`${gh.endpoint}/_gatehouse/health`);
    assert.equal(health.status, 200);
  });
});

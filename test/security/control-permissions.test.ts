// Management permissions under --require-auth: a verified caller may do only what its identity policies allow —
// `apigateway:{VERB}` on `arn:aws:apigateway:{region}::/{path}`, `lambda:*` on functions, `iam:*` on IAM entities —
// through its own, its groups' and (for an assumed-role session) its role's inline and managed policies, with
// conditions and policy variables; explicit deny wins; refusals are AWS's AccessDenied answers, and nothing happens.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as AG from '@aws-sdk/client-api-gateway';
import * as IAM from '@aws-sdk/client-iam';
import * as STS from '@aws-sdk/client-sts';
import { LambdaClient, ListFunctionsCommand, GetFunctionCommand } from '@aws-sdk/client-lambda';
import type { Running } from '../helpers/gatehouse.ts';
import { rejects } from '../helpers/aws-assert.ts';
import { awsCli, cliFailed, identityClients, startRequiringAuth, type Credentials, type RequireAuthServer } from '../identity/helpers.ts';

const ACCOUNT = '123456789012';
const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const noPolicy = (who: string, action: string, resource: string) =>
  `User: ${who} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;
const explicitDeny = (who: string, action: string, resource: string) =>
  `User: ${who} is not authorized to perform: ${action} on resource: ${resource} with an explicit deny in an identity-based policy`;

describe('management permissions (--require-auth)', () => {
  let server: RequireAuthServer;
  let gh: Running;
  let admin: IAM.IAMClient;
  let home: string;
  const userWithKey = (name: string) => server.userWithKey(name);
  const clientsFor = (c: Credentials) => ({
    ag: new AG.APIGatewayClient({ endpoint: gh.endpoint, region: 'us-east-1', credentials: c, maxAttempts: 1 }),
    lambda: new LambdaClient({ endpoint: gh.endpoint, region: 'us-east-1', credentials: c, maxAttempts: 1 }),
    ...identityClients(gh.endpoint, c),
  });

  before(async () => {
    server = await startRequiringAuth();
    ({ gh, admin, home } = server);
  });
  after(async () => {
    assert.equal((await fetch(`${gh.endpoint}/_gatehouse/health`)).status, 200);
    await server.stop();
  });

  it('a user without policies may call nothing but STS; each refusal is the service\'s AccessDenied', async () => {
    const creds = await userWithKey('nobody');
    const who = `arn:aws:iam::${ACCOUNT}:user/nobody`;
    const c = clientsFor(creds);
    await rejects(c.ag.send(new AG.GetRestApisCommand({})), 'AccessDeniedException', 403, noPolicy(who, 'apigateway:GET', 'arn:aws:apigateway:us-east-1::/restapis'));
    await rejects(c.ag.send(new AG.CreateRestApiCommand({ name: 'not-mine' })), 'AccessDeniedException', 403, noPolicy(who, 'apigateway:POST', 'arn:aws:apigateway:us-east-1::/restapis'));
    await rejects(c.lambda.send(new ListFunctionsCommand({})), 'AccessDeniedException', 403, noPolicy(who, 'lambda:ListFunctions', '*'));
    await rejects(c.lambda.send(new GetFunctionCommand({ FunctionName: 'f', Qualifier: 'live' })), 'AccessDeniedException', 403, noPolicy(who, 'lambda:GetFunction', `arn:aws:lambda:us-east-1:${ACCOUNT}:function:f:live`));
    await rejects(c.iam.send(new IAM.ListUsersCommand({})), 'AccessDenied', 403, noPolicy(who, 'iam:ListUsers', `arn:aws:iam::${ACCOUNT}:user/`));
    await rejects(c.iam.send(new IAM.CreateUserCommand({ UserName: 'sneaky' })), 'AccessDenied', 403, noPolicy(who, 'iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/sneaky`));
    cliFailed(await awsCli(gh.endpoint, home, creds, 'iam', 'get-user', '--user-name', 'admin'), 'GetUser', 'AccessDenied', noPolicy(who, 'iam:GetUser', `arn:aws:iam::${ACCOUNT}:user/admin`));
    assert.equal((await c.sts.send(new STS.GetCallerIdentityCommand({}))).Arn, who, 'GetCallerIdentity needs no permission');
    // Nothing happened.
    await rejects(admin.send(new IAM.GetUserCommand({ UserName: 'sneaky' })), 'NoSuchEntityException', 404, 'The user with name sneaky cannot be found.');
    const adminAg = clientsFor({ accessKeyId: gh.gatehouse.bootstrap!.accessKeyId, secretAccessKey: gh.gatehouse.bootstrap!.secretAccessKey }).ag;
    assert.deepEqual((await adminAg.send(new AG.GetRestApisCommand({}))).items, []);
    for (const x of [c.ag, c.lambda, c.iam, c.sts, adminAg]) x.destroy();
  });

  it('managed policies attached to a group grant by verb and path; an explicit deny wins', async () => {
    const creds = await userWithKey('reader');
    const who = `arn:aws:iam::${ACCOUNT}:user/reader`;
    await admin.send(new IAM.CreateGroupCommand({ GroupName: 'readers' }));
    await admin.send(new IAM.AddUserToGroupCommand({ GroupName: 'readers', UserName: 'reader' }));
    const arn = (await admin.send(new IAM.CreatePolicyCommand({
      PolicyName: 'ApiAuthors',
      PolicyDocument: doc({ Effect: 'Allow', Action: ['apigateway:GET', 'apigateway:POST', 'apigateway:DELETE'], Resource: 'arn:aws:apigateway:*::/restapis*' }),
    }))).Policy!.Arn!;
    await admin.send(new IAM.AttachGroupPolicyCommand({ GroupName: 'readers', PolicyArn: arn }));
    const c = clientsFor(creds);
    assert.deepEqual((await c.ag.send(new AG.GetRestApisCommand({}))).items, []);
    const api = await c.ag.send(new AG.CreateRestApiCommand({ name: 'authored' }));
    await rejects(c.ag.send(new AG.GetApiKeysCommand({})), 'AccessDeniedException', 403, noPolicy(who, 'apigateway:GET', 'arn:aws:apigateway:us-east-1::/apikeys'));
    await rejects(
      c.ag.send(new AG.UpdateRestApiCommand({ restApiId: api.id!, patchOperations: [{ op: 'replace', path: '/name', value: 'x' }] })),
      'AccessDeniedException',
      403,
      noPolicy(who, 'apigateway:PATCH', `arn:aws:apigateway:us-east-1::/restapis/${api.id}`),
    );
    await admin.send(new IAM.PutUserPolicyCommand({ UserName: 'reader', PolicyName: 'no-delete', PolicyDocument: doc({ Effect: 'Deny', Action: 'apigateway:DELETE', Resource: '*' }) }));
    await rejects(
      c.ag.send(new AG.DeleteRestApiCommand({ restApiId: api.id! })),
      'AccessDeniedException',
      403,
      explicitDeny(who, 'apigateway:DELETE', `arn:aws:apigateway:us-east-1::/restapis/${api.id}`),
    );
    assert.equal((await c.ag.send(new AG.GetRestApiCommand({ restApiId: api.id! }))).name, 'authored', 'the API is still there');
    // A new default version of the managed policy takes effect at once.
    await admin.send(new IAM.CreatePolicyVersionCommand({ PolicyArn: arn, SetAsDefault: true, PolicyDocument: doc({ Effect: 'Allow', Action: 'apigateway:GET', Resource: 'arn:aws:apigateway:*::/apikeys' }) }));
    assert.deepEqual((await c.ag.send(new AG.GetApiKeysCommand({}))).items, []);
    await rejects(c.ag.send(new AG.GetRestApisCommand({})), 'AccessDeniedException', 403, noPolicy(who, 'apigateway:GET', 'arn:aws:apigateway:us-east-1::/restapis'));
    for (const x of [c.ag, c.lambda, c.iam, c.sts]) x.destroy();
  });

  it('policy variables and conditions: each user manages only their own access keys, only from loopback', async () => {
    const selfService = doc(
      { Effect: 'Allow', Action: ['iam:CreateAccessKey', 'iam:ListAccessKeys', 'iam:DeleteAccessKey'], Resource: `arn:aws:iam::${ACCOUNT}:user/\${aws:username}`, Condition: { IpAddress: { 'aws:SourceIp': ['127.0.0.0/8', '::1/128'] } } },
    );
    const erin = await userWithKey('erin');
    await userWithKey('frank');
    await admin.send(new IAM.PutUserPolicyCommand({ UserName: 'erin', PolicyName: 'self', PolicyDocument: selfService }));
    const c = clientsFor(erin);
    const keys = await c.iam.send(new IAM.ListAccessKeysCommand({}));
    assert.deepEqual(keys.AccessKeyMetadata!.map((k) => k.AccessKeyId), [erin.accessKeyId]);
    await rejects(
      c.iam.send(new IAM.ListAccessKeysCommand({ UserName: 'frank' })),
      'AccessDenied',
      403,
      noPolicy(`arn:aws:iam::${ACCOUNT}:user/erin`, 'iam:ListAccessKeys', `arn:aws:iam::${ACCOUNT}:user/frank`),
    );
    // The same policy with a source range that excludes loopback grants nothing.
    await admin.send(new IAM.PutUserPolicyCommand({ UserName: 'erin', PolicyName: 'self', PolicyDocument: selfService.replace('127.0.0.0/8', '203.0.113.0/24').replace('::1/128', '2001:db8::/32') }));
    await rejects(c.iam.send(new IAM.ListAccessKeysCommand({})), 'AccessDenied', 403, noPolicy(`arn:aws:iam::${ACCOUNT}:user/erin`, 'iam:ListAccessKeys', `arn:aws:iam::${ACCOUNT}:user/erin`));
    for (const x of [c.ag, c.lambda, c.iam, c.sts]) x.destroy();
  });

  it('session policies narrow a session; session and principal tags are condition keys', async () => {
    const creds = await userWithKey('narrow');
    await admin.send(new IAM.PutUserPolicyCommand({ UserName: 'narrow', PolicyName: 'assume', PolicyDocument: doc({ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: '*' }) }));
    await admin.send(new IAM.CreateRoleCommand({
      RoleName: 'broad',
      AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: ['sts:AssumeRole', 'sts:TagSession'] }),
      Tags: [{ Key: 'tier', Value: 'gold' }],
    }));
    await admin.send(new IAM.PutRolePolicyCommand({
      RoleName: 'broad',
      PolicyName: 'all',
      PolicyDocument: doc(
        { Effect: 'Allow', Action: ['apigateway:*', 'lambda:*'], Resource: '*' },
        { Effect: 'Deny', Action: 'lambda:*', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalTag/project': 'blue' } } },
      ),
    }));
    const u = clientsFor(creds);
    const narrowed = (await u.sts.send(new STS.AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/broad`,
      RoleSessionName: 'ro',
      Policy: doc({ Effect: 'Allow', Action: 'apigateway:GET', Resource: '*' }),
      Tags: [{ Key: 'project', Value: 'blue' }],
    }))).Credentials!;
    const s = clientsFor({ accessKeyId: narrowed.AccessKeyId!, secretAccessKey: narrowed.SecretAccessKey!, sessionToken: narrowed.SessionToken! });
    const who = `arn:aws:sts::${ACCOUNT}:assumed-role/broad/ro`;
    assert.deepEqual((await s.ag.send(new AG.GetRestApisCommand({}))).items!.map((a) => a.name), ['authored']);
    await rejects(s.ag.send(new AG.CreateRestApiCommand({ name: 'x' })), 'AccessDeniedException', 403, `User: ${who} is not authorized to perform: apigateway:POST on resource: arn:aws:apigateway:us-east-1::/restapis because no session policy allows the apigateway:POST action`);
    // Without the session policy, the role's own policy applies, and its tag condition reads the session's tags.
    const plain = (await u.sts.send(new STS.AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/broad`, RoleSessionName: 'rw', Tags: [{ Key: 'project', Value: 'blue' }] }))).Credentials!;
    const p = clientsFor({ accessKeyId: plain.AccessKeyId!, secretAccessKey: plain.SecretAccessKey!, sessionToken: plain.SessionToken! });
    assert.deepEqual((await p.lambda.send(new ListFunctionsCommand({}))).Functions, []);
    const red = (await u.sts.send(new STS.AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/broad`, RoleSessionName: 'red', Tags: [{ Key: 'project', Value: 'red' }] }))).Credentials!;
    const r = clientsFor({ accessKeyId: red.AccessKeyId!, secretAccessKey: red.SecretAccessKey!, sessionToken: red.SessionToken! });
    await rejects(r.lambda.send(new ListFunctionsCommand({})), 'AccessDeniedException', 403, `User: arn:aws:sts::${ACCOUNT}:assumed-role/broad/red is not authorized to perform: lambda:ListFunctions on resource: * with an explicit deny in an identity-based policy`);
    for (const x of [u, s, p, r]) for (const c of Object.values(x)) c.destroy();
  });

  it('AWS managed policies grant what their documents say (AmazonAPIGatewayAdministrator)', async () => {
    const creds = await userWithKey('gwadmin');
    await admin.send(new IAM.AttachUserPolicyCommand({ UserName: 'gwadmin', PolicyArn: 'arn:aws:iam::aws:policy/AmazonAPIGatewayAdministrator' }));
    const c = clientsFor(creds);
    assert.ok((await c.ag.send(new AG.GetApiKeysCommand({}))).items);
    await rejects(c.lambda.send(new ListFunctionsCommand({})), 'AccessDeniedException', 403, noPolicy(`arn:aws:iam::${ACCOUNT}:user/gwadmin`, 'lambda:ListFunctions', '*'));
    for (const x of Object.values(c)) x.destroy();
  });

  it('a permissions boundary caps what identity policies grant', async () => {
    const creds = await userWithKey('bounded');
    const boundary = (await admin.send(new IAM.CreatePolicyCommand({ PolicyName: 'OnlyApiGateway', PolicyDocument: doc({ Effect: 'Allow', Action: 'apigateway:*', Resource: '*' }) }))).Policy!.Arn!;
    await admin.send(new IAM.PutUserPolicyCommand({ UserName: 'bounded', PolicyName: 'everything', PolicyDocument: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) }));
    await admin.send(new IAM.PutUserPermissionsBoundaryCommand({ UserName: 'bounded', PermissionsBoundary: boundary }));
    const got = (await admin.send(new IAM.GetUserCommand({ UserName: 'bounded' }))).User!;
    assert.deepEqual(got.PermissionsBoundary, { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: boundary });
    assert.equal((await admin.send(new IAM.GetPolicyCommand({ PolicyArn: boundary }))).Policy!.PermissionsBoundaryUsageCount, 1);
    const asBoundary = await admin.send(new IAM.ListEntitiesForPolicyCommand({ PolicyArn: boundary, PolicyUsageFilter: 'PermissionsBoundary' }));
    assert.deepEqual(asBoundary.PolicyUsers!.map((u) => u.UserName), ['bounded']);
    assert.deepEqual((await admin.send(new IAM.ListEntitiesForPolicyCommand({ PolicyArn: boundary, PolicyUsageFilter: 'PermissionsPolicy' }))).PolicyUsers, []);
    assert.deepEqual((await admin.send(new IAM.ListPoliciesCommand({ PolicyUsageFilter: 'PermissionsBoundary' }))).Policies!.map((p) => p.PolicyName), ['OnlyApiGateway']);
    const c = clientsFor(creds);
    assert.ok((await c.ag.send(new AG.GetRestApisCommand({}))).items);
    await rejects(c.lambda.send(new ListFunctionsCommand({})), 'AccessDeniedException', 403, `User: arn:aws:iam::${ACCOUNT}:user/bounded is not authorized to perform: lambda:ListFunctions on resource: * because no permissions boundary allows the lambda:ListFunctions action`);
    await rejects(admin.send(new IAM.DeletePolicyCommand({ PolicyArn: boundary })), 'DeleteConflictException', 409, 'Cannot delete a policy attached to entities.');
    await admin.send(new IAM.DeleteUserPermissionsBoundaryCommand({ UserName: 'bounded' }));
    assert.deepEqual((await c.lambda.send(new ListFunctionsCommand({}))).Functions, []);
    await rejects(
      admin.send(new IAM.CreateUserCommand({ UserName: 'b2', PermissionsBoundary: `arn:aws:iam::${ACCOUNT}:policy/Missing` })),
      'NoSuchEntityException',
      404,
      `Policy arn:aws:iam::${ACCOUNT}:policy/Missing does not exist or is not attachable.`,
    );
    for (const x of Object.values(c)) x.destroy();
  });

  it("an assumed-role session has its role's permissions", async () => {
    const creds = await userWithKey('operator');
    await admin.send(new IAM.PutUserPolicyCommand({ UserName: 'operator', PolicyName: 'assume', PolicyDocument: doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }) }));
    await admin.send(new IAM.CreateRoleCommand({ RoleName: 'lambda-admin', AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }) }));
    await admin.send(new IAM.PutRolePolicyCommand({ RoleName: 'lambda-admin', PolicyName: 'lambda', PolicyDocument: doc({ Effect: 'Allow', Action: 'lambda:*', Resource: '*' }) }));
    const op = clientsFor(creds);
    await rejects(op.lambda.send(new ListFunctionsCommand({})), 'AccessDeniedException', 403, noPolicy(`arn:aws:iam::${ACCOUNT}:user/operator`, 'lambda:ListFunctions', '*'));
    const s = (await op.sts.send(new STS.AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/lambda-admin`, RoleSessionName: 'ops' }))).Credentials!;
    const session = clientsFor({ accessKeyId: s.AccessKeyId!, secretAccessKey: s.SecretAccessKey!, sessionToken: s.SessionToken! });
    assert.deepEqual((await session.lambda.send(new ListFunctionsCommand({}))).Functions, []);
    await rejects(
      session.ag.send(new AG.GetRestApisCommand({})),
      'AccessDeniedException',
      403,
      noPolicy(`arn:aws:sts::${ACCOUNT}:assumed-role/lambda-admin/ops`, 'apigateway:GET', 'arn:aws:apigateway:us-east-1::/restapis'),
    );
    for (const x of [op.ag, op.lambda, op.iam, op.sts, session.ag, session.lambda, session.iam, session.sts]) x.destroy();
  });
});

// The policy engine (src/auth/policy), table-driven from the IAM User Guide's policy grammar, condition-operator
// reference and evaluation logic: an explicit deny wins, then an allow, else an implicit deny; wildcards; NotAction
// and NotResource; policy variables; every condition operator family with …IfExists, ForAnyValue / ForAllValues
// and the absent-key rules; Principal and NotPrincipal; grammar errors found at parse time.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parsePolicy, PolicyError } from '../../src/auth/policy/document.ts';
import { evaluate, type AuthorizationRequest } from '../../src/auth/policy/evaluate.ts';

const ACCOUNT = '123456789012';
const alice = { arn: `arn:aws:iam::${ACCOUNT}:user/alice`, account: ACCOUNT };

const policy = (statements: object | object[], source = 'p') => parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: statements }), source);
function req(over: Partial<AuthorizationRequest> = {}): AuthorizationRequest {
  return { principal: alice, action: 'apigateway:GET', resource: 'arn:aws:apigateway:us-east-1::/restapis', context: { 'aws:username': 'alice', 'aws:userid': 'AIDAEXAMPLE' }, ...over };
}
const decide = (statements: object | object[], over?: Partial<AuthorizationRequest>) => evaluate(req(over), [policy(statements)]).decision;

describe('policy evaluation', () => {
  it('explicit deny wins, then allow, else implicit deny; reasons name the statements', () => {
    const allow = policy({ Sid: 'A', Effect: 'Allow', Action: 'apigateway:*', Resource: '*' }, 'allow-all');
    const deny = policy({ Sid: 'D', Effect: 'Deny', Action: 'apigateway:GET', Resource: 'arn:aws:apigateway:*::/restapis' }, 'deny-get');
    assert.deepEqual(evaluate(req(), [allow]), { decision: 'Allow', allowedBy: [{ source: 'allow-all', index: 0, sid: 'A' }], deniedBy: [] });
    assert.equal(evaluate(req(), [allow, deny]).decision, 'ExplicitDeny');
    assert.deepEqual(evaluate(req(), [allow, deny]).deniedBy, [{ source: 'deny-get', index: 0, sid: 'D' }]);
    assert.equal(evaluate(req(), []).decision, 'ImplicitDeny');
    assert.equal(evaluate(req({ action: 'lambda:ListFunctions' }), [allow]).decision, 'ImplicitDeny');
  });

  const cases: Array<[string, object | object[], Partial<AuthorizationRequest>, string]> = [
    ['actions compare case-insensitively', { Effect: 'Allow', Action: 'APIGateway:get', Resource: '*' }, {}, 'Allow'],
    ['? matches one character', { Effect: 'Allow', Action: 'apigateway:G?T', Resource: '*' }, {}, 'Allow'],
    ['resources compare case-sensitively', { Effect: 'Allow', Action: '*', Resource: 'arn:aws:apigateway:us-east-1::/RestApis' }, {}, 'ImplicitDeny'],
    ['* in a resource crosses / and :', { Effect: 'Allow', Action: '*', Resource: 'arn:aws:apigateway:*' }, {}, 'Allow'],
    ['a list of actions is any-of', { Effect: 'Allow', Action: ['lambda:*', 'apigateway:GET'], Resource: '*' }, {}, 'Allow'],
    ['NotAction allows everything else', { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }, {}, 'Allow'],
    ['NotAction excludes what it names', { Effect: 'Allow', NotAction: 'apigateway:*', Resource: '*' }, {}, 'ImplicitDeny'],
    ['NotResource', { Effect: 'Allow', Action: '*', NotResource: 'arn:aws:apigateway:*::/apikeys*' }, {}, 'Allow'],
    ['Deny with NotResource leaves the named resource alone', [{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: '*', NotResource: 'arn:aws:apigateway:*::/restapis' }], {}, 'Allow'],
    ['policy variable in a resource', { Effect: 'Allow', Action: 'iam:*', Resource: `arn:aws:iam::${ACCOUNT}:user/\${aws:username}` }, { action: 'iam:GetUser', resource: `arn:aws:iam::${ACCOUNT}:user/alice` }, 'Allow'],
    ['policy variable: another user', { Effect: 'Allow', Action: 'iam:*', Resource: `arn:aws:iam::${ACCOUNT}:user/\${aws:username}` }, { action: 'iam:GetUser', resource: `arn:aws:iam::${ACCOUNT}:user/bob` }, 'ImplicitDeny'],
    ['policy variable absent: no match', { Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::b/${aws:PrincipalTag/team}/*' }, { resource: 'arn:aws:s3:::b//x' }, 'ImplicitDeny'],
    ['policy variable default', { Effect: 'Allow', Action: '*', Resource: "arn:aws:s3:::b/${aws:PrincipalTag/team, 'none'}/*" }, { resource: 'arn:aws:s3:::b/none/x' }, 'Allow'],
    ['escaped ${*} is a literal *', { Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::b/${*}' }, { resource: 'arn:aws:s3:::b/*' }, 'Allow'],
  ];
  for (const [name, statements, over, expected] of cases) it(name, () => assert.equal(decide(statements, over), expected));

  const cond = (condition: object) => ({ Effect: 'Allow', Action: '*', Resource: '*', Condition: condition });
  const conditions: Array<[string, object, Record<string, string | string[]>, string]> = [
    ['StringEquals', { StringEquals: { 'aws:username': 'alice' } }, {}, 'Allow'],
    ['StringEquals: keys are case-insensitive, values are not', { StringEquals: { 'AWS:UserName': 'Alice' } }, {}, 'ImplicitDeny'],
    ['StringEqualsIgnoreCase', { StringEqualsIgnoreCase: { 'aws:username': 'ALICE' } }, {}, 'Allow'],
    ['values of one key are any-of', { StringEquals: { 'aws:username': ['bob', 'alice'] } }, {}, 'Allow'],
    ['keys of one operator are all-of', { StringEquals: { 'aws:username': 'alice', 'aws:userid': 'other' } }, {}, 'ImplicitDeny'],
    ['operators are all-of', { StringEquals: { 'aws:username': 'alice' }, StringLike: { 'aws:userid': 'AIDA*' } }, {}, 'Allow'],
    ['StringLike', { StringLike: { 'aws:userid': 'AIDA*' } }, {}, 'Allow'],
    ['StringNotEquals', { StringNotEquals: { 'aws:username': ['bob', 'carol'] } }, {}, 'Allow'],
    ['StringNotLike', { StringNotLike: { 'aws:username': 'a*' } }, {}, 'ImplicitDeny'],
    ['absent key: a positive operator is false', { StringEquals: { 'aws:SourceVpc': 'vpc-1' } }, {}, 'ImplicitDeny'],
    ['absent key: a negated operator is true', { StringNotEquals: { 'aws:SourceVpc': 'vpc-1' } }, {}, 'Allow'],
    ['absent key: …IfExists is true', { StringEqualsIfExists: { 'aws:SourceVpc': 'vpc-1' } }, {}, 'Allow'],
    ['present key: …IfExists compares', { StringEqualsIfExists: { 'aws:SourceVpc': 'vpc-1' } }, { 'aws:SourceVpc': 'vpc-2' }, 'ImplicitDeny'],
    ['Null true: the key is absent', { Null: { 'aws:SourceVpc': 'true' } }, {}, 'Allow'],
    ['Null false: the key is present', { Null: { 'aws:SourceVpc': 'false' } }, {}, 'ImplicitDeny'],
    ['NumericLessThan', { NumericLessThan: { 's3:max-keys': '10' } }, { 's3:max-keys': '9' }, 'Allow'],
    ['NumericGreaterThanEquals', { NumericGreaterThanEquals: { 's3:max-keys': '10' } }, { 's3:max-keys': '9' }, 'ImplicitDeny'],
    ['NumericEquals with a non-number is false', { NumericEquals: { 's3:max-keys': '10' } }, { 's3:max-keys': 'ten' }, 'ImplicitDeny'],
    ['DateGreaterThan (ISO 8601)', { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } }, { 'aws:CurrentTime': '2026-12-05T12:00:00Z' }, 'Allow'],
    ['DateLessThan (epoch seconds)', { DateLessThan: { 'aws:EpochTime': '1700000000' } }, { 'aws:EpochTime': '1800000000' }, 'ImplicitDeny'],
    ['Bool', { Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:SecureTransport': 'false' }, 'ImplicitDeny'],
    ['Bool deny on false', { Bool: { 'aws:SecureTransport': 'false' } }, { 'aws:SecureTransport': 'false' }, 'Allow'],
    ['IpAddress v4 CIDR', { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, { 'aws:SourceIp': '203.0.113.77' }, 'Allow'],
    ['IpAddress outside', { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, { 'aws:SourceIp': '203.0.114.1' }, 'ImplicitDeny'],
    ['IpAddress single address', { IpAddress: { 'aws:SourceIp': '10.0.0.1' } }, { 'aws:SourceIp': '10.0.0.1' }, 'Allow'],
    ['IpAddress v6 CIDR', { IpAddress: { 'aws:SourceIp': '2001:db8::/32' } }, { 'aws:SourceIp': '2001:db8:1234::1' }, 'Allow'],
    ['NotIpAddress', { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '192.168.0.0/16'] } }, { 'aws:SourceIp': '192.168.4.4' }, 'ImplicitDeny'],
    ['ArnLike', { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:user/a*` } }, { 'aws:PrincipalArn': alice.arn }, 'Allow'],
    ['ArnNotLike', { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/*' } }, { 'aws:PrincipalArn': alice.arn }, 'Allow'],
    ['ArnEquals compares the parts', { ArnEquals: { 'aws:SourceArn': 'arn:aws:execute-api:us-east-1:123456789012:abc/*' } }, { 'aws:SourceArn': 'arn:aws:execute-api:us-east-1:123456789012:abc/prod/GET/' }, 'Allow'],
    ['ForAnyValue: one request value suffices', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['team', 'env'] } }, { 'aws:TagKeys': ['cost', 'env'] }, 'Allow'],
    ['ForAnyValue: none', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['team'] } }, { 'aws:TagKeys': ['cost'] }, 'ImplicitDeny'],
    ['ForAllValues: every request value must be allowed', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'env'] } }, { 'aws:TagKeys': ['team', 'cost'] }, 'ImplicitDeny'],
    ['ForAllValues: all allowed', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'env'] } }, { 'aws:TagKeys': ['env'] }, 'Allow'],
    ['ForAllValues: an absent key is true', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } }, {}, 'Allow'],
    ['ForAnyValue: an absent key is false', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['team'] } }, {}, 'ImplicitDeny'],
    ['ForAllValues:StringNotLike', { 'ForAllValues:StringNotLike': { 'aws:TagKeys': ['aws:*'] } }, { 'aws:TagKeys': ['team', 'aws:x'] }, 'ImplicitDeny'],
    ['condition value with a policy variable', { StringEquals: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:user/\${aws:username}` } }, { 'aws:PrincipalArn': alice.arn }, 'Allow'],
  ];
  for (const [name, condition, context, expected] of conditions) {
    it(`condition: ${name}`, () => assert.equal(decide(cond(condition), { context: { 'aws:username': 'alice', 'aws:userid': 'AIDAEXAMPLE', ...context } }), expected));
  }

  it('Principal and NotPrincipal (trust and resource policies)', () => {
    const session = { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/ci`, account: ACCOUNT, roleArn: `arn:aws:iam::${ACCOUNT}:role/deployer` };
    const trust = (principal: unknown, p = 'Principal') => ({ Effect: 'Allow', [p]: principal, Action: 'sts:AssumeRole' });
    const assume = { action: 'sts:AssumeRole', resource: `arn:aws:iam::${ACCOUNT}:role/r` };
    assert.equal(decide(trust({ AWS: ACCOUNT }), assume), 'Allow');
    assert.equal(decide(trust({ AWS: `arn:aws:iam::${ACCOUNT}:root` }), assume), 'Allow');
    assert.equal(decide(trust({ AWS: 'arn:aws:iam::999999999999:root' }), assume), 'ImplicitDeny');
    assert.equal(decide(trust({ AWS: alice.arn }), assume), 'Allow');
    assert.equal(decide(trust({ AWS: [`arn:aws:iam::${ACCOUNT}:user/bob`] }), assume), 'ImplicitDeny');
    assert.equal(decide(trust('*'), assume), 'Allow');
    assert.equal(decide(trust({ AWS: `arn:aws:iam::${ACCOUNT}:role/deployer` }), { ...assume, principal: session }), 'Allow', 'a role ARN matches its sessions');
    assert.equal(decide(trust({ Service: 'lambda.amazonaws.com' }), { ...assume, principal: { arn: 'lambda.amazonaws.com', account: '', service: 'lambda.amazonaws.com' } }), 'Allow');
    assert.equal(decide(trust({ Service: 'lambda.amazonaws.com' }), assume), 'ImplicitDeny');
    assert.equal(decide([{ Effect: 'Allow', Principal: '*', Action: '*' }, { Effect: 'Deny', NotPrincipal: { AWS: alice.arn }, Action: '*' }], assume), 'Allow');
    assert.equal(decide([{ Effect: 'Allow', Principal: '*', Action: '*' }, { Effect: 'Deny', NotPrincipal: { AWS: 'arn:aws:iam::123456789012:user/bob' }, Action: '*' }], assume), 'ExplicitDeny');
  });

  it('grammar errors are found when the policy is parsed', () => {
    const bad: Array<[string, string]> = [
      ['{', 'This policy contains invalid Json'],
      ['[]', 'Syntax errors in policy.'],
      ['{"Version":"2012-10-17"}', 'Syntax errors in policy.'],
      ['{"Statement":{"Effect":"Maybe","Action":"*"}}', 'Syntax errors in policy.'],
      ['{"Statement":{"Effect":"Allow","Resource":"*"}}', 'Policy statement must contain actions.'],
      ['{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","NotResource":"*"}}', 'Syntax errors in policy.'],
      ['{"Statement":{"Effect":"Allow","Action":"*","Condition":{"StringEqualz":{"a":"b"}}}}', 'Invalid Condition type : StringEqualz'],
      ['{"Statement":{"Effect":"Allow","Action":[1]}}', 'Action must be a string or a list of strings'],
      ['{"Version":"2001-01-01","Statement":{"Effect":"Allow","Action":"*"}}', 'The policy failed legacy parsing'],
    ];
    for (const [text, message] of bad) assert.throws(() => parsePolicy(text, 'x'), (e: Error) => e instanceof PolicyError && e.message === message, text);
  });
});

// An authorizer's `authorizerCredentials`: the IAM role API Gateway assumes to invoke the authorizer function. As
// on AWS the role must exist, trust apigateway.amazonaws.com (sts:AssumeRole in its trust policy), and its
// permissions (identity policies, capped by its permissions boundary) must allow lambda:InvokeFunction on the
// function; the function's resource policy is then not consulted. Decided by the project's policy engine on the IAM
// entities in the store. Only a cache miss (an actual authorizer invocation) gets here.
import { parsePolicy, PolicyError } from '../../auth/policy/document.ts';
import { evaluate } from '../../auth/policy/evaluate.ts';
import type { Caller } from '../../identity/caller.ts';
import { identityPolicies, permissionsBoundary } from '../../identity/identity-policies.ts';
import { C, type StoredRole, type StoredSession } from '../../identity/records.ts';
import type { Store } from '../../store/store.ts';
import { AuthorizerConfigurationError } from '../responses/gateway-errors.ts';

const ROLE_ARN = /^arn:aws[a-zA-Z-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/;
const SERVICE = 'apigateway.amazonaws.com';

/** Throws AuthorizerConfigurationError unless API Gateway may invoke `functionArn` as the role `roleArn`. */
export async function checkAuthorizerRole(store: Store, accountId: string, roleArn: string, functionArn: string): Promise<void> {
  const m = ROLE_ARN.exec(roleArn);
  // AWS's execution-log text when the role cannot be assumed (the AWS knowledge center's "API Gateway does not have
  // permission to assume the provided role" troubleshooting article quotes it).
  const cannotAssume = new AuthorizerConfigurationError('API Gateway does not have permission to assume the provided role');
  if (!m || m[1] !== accountId) throw cannotAssume;
  const allowed = await store.read(async (tx) => {
    const role = await tx.get<StoredRole>(C.roles, m[2]!);
    if (!role || role.Arn !== roleArn) return 'no-role';
    let trust;
    try {
      trust = parsePolicy(role.AssumeRolePolicyDocument, `role/${role.RoleName}/trust`);
    } catch (e) {
      if (e instanceof PolicyError) return 'no-role';
      throw e;
    }
    const assume = evaluate({ principal: { arn: SERVICE, account: accountId, service: SERVICE }, action: 'sts:AssumeRole', resource: role.Arn, context: {} }, [trust]);
    if (assume.decision !== 'Allow') return 'no-role';
    const caller: Caller = { kind: 'session', session: { RoleName: role.RoleName } as StoredSession };
    const request = { principal: { arn: role.Arn, account: accountId, roleArn: role.Arn }, action: 'lambda:InvokeFunction', resource: functionArn, context: {} };
    const identity = evaluate(request, (await identityPolicies(tx, caller)) ?? []);
    if (identity.decision !== 'Allow') return 'no-permission';
    const boundary = await permissionsBoundary(tx, caller);
    if (boundary !== undefined && evaluate(request, boundary).decision !== 'Allow') return 'no-permission';
    return 'ok';
  });
  if (allowed === 'no-role') throw cannotAssume;
  if (allowed === 'no-permission') throw new AuthorizerConfigurationError('Invalid permissions on Lambda function');
}

// Management permissions of the control APIs under --require-auth: after a request's signature is verified and its
// input bound, the caller's identity policies are evaluated for the IAM action and resource AWS names for that call,
// and a request they do not allow is refused with the service's AccessDenied answer:
//   apigateway, apigatewayv2  `apigateway:{HTTP method}` on `arn:aws:apigateway:{region}::{path as sent}`
//   lambda                    `lambda:{operation}` (Invoke → InvokeFunction) on the function's ARN (qualified when
//                             the call names a qualifier), layer or event-source mapping, else `*`
//   iam                       `iam:{operation}` on the user, group, role or policy it concerns, else the kind's
//                             path prefix (`arn:aws:iam::{account}:user/` for ListUsers)
//   monitoring                `cloudwatch:{operation}` on `*` (CloudWatch's metric actions have no resource-level
//                             permissions)
//   sts                       none here: GetCallerIdentity and GetSessionToken need no permission; AssumeRole is
//                             decided by the role's trust policy with the identity policies (src/identity/sts.ts)
// The texts are AWS's: `User: {arn} is not authorized to perform: {action} on resource: {resource} because no
// identity-based policy allows the {action} action` (or `… with an explicit deny in an identity-based policy`).
import { AwsError } from '../aws/errors.ts';
import type { ControlCall } from '../aws/service.ts';
import type { Store, Tx } from '../store/store.ts';
import type { Caller } from './caller.ts';
import type { IdentityDirectory } from './directory.ts';
import { identityDecision } from './identity-decision.ts';
import { principalContext, requestPrincipal } from './identity-policies.ts';
import { arnOf, C, type StoredGroup, type StoredRole, type StoredUser } from './records.ts';

export interface PermissionOptions {
  store: Store;
  /** Callers and their parsed policies, in memory (the store is read only for the IAM resource a call names). */
  identities: IdentityDirectory;
  accountId: string;
  now: () => Date;
}

export function createControlAuthorizer(opts: PermissionOptions): (call: ControlCall) => Promise<void> {
  return async (call) => {
    if (call.service === 'sts') return;
    // A call reaching this point has a verified signature, so its key is known; an unknown one is the root's only
    // when signatures are not verified (never under --require-auth, the only place this runs).
    const known = call.accessKeyId ? await opts.identities.get(call.accessKeyId) : null;
    if (!known || known.identityPolicies === undefined) return; // the account root
    const caller = known.caller;
    const target = call.service === 'iam' ? await opts.store.read((tx) => actionAndResource(tx, call, caller, opts.accountId)) : await actionAndResource(undefined, call, caller, opts.accountId);
    const request = {
      principal: known.principal,
      action: target.action,
      resource: target.resource,
      context: {
        ...principalContext(caller, opts.accountId, opts.now(), { sourceIp: call.sourceIp, secure: call.secure, region: call.region, ...(known.roleArn ? { roleArn: known.roleArn } : {}) }),
        ...known.principalTags,
      },
    };
    const verdict = identityDecision(known, request);
    if (verdict.decision === 'Allow') return;
    const why =
      verdict.decision === 'ExplicitDeny'
        ? `with an explicit deny in ${verdict.by === 'identity-based policy' ? 'an' : 'a'} ${verdict.by}`
        : `because no ${verdict.by} allows the ${target.action} action`;
    const who = requestPrincipal(caller, opts.accountId).arn;
    const text = `User: ${who} is not authorized to perform: ${target.action} on resource: ${target.resource} ${why}`;
    if (call.service === 'iam' || call.service === 'monitoring') throw new AwsError('AccessDenied', 403, text);
    throw new AwsError('AccessDeniedException', 403, text, call.service === 'lambda' ? { extra: { Type: 'User' } } : {});
  };
}

// Lambda operations whose IAM action is not their own name.
const LAMBDA_ACTIONS: Record<string, string> = { Invoke: 'InvokeFunction', InvokeWithResponseStream: 'InvokeFunction' };

async function actionAndResource(tx: Tx | undefined, call: ControlCall, caller: Caller, account: string): Promise<{ action: string; resource: string }> {
  const input = call.input;
  switch (call.service) {
    case 'apigateway':
    case 'apigatewayv2':
      return { action: `apigateway:${call.method}`, resource: `arn:aws:apigateway:${call.region}::${call.rawPath}` };
    case 'lambda': {
      const action = `lambda:${LAMBDA_ACTIONS[call.operation] ?? call.operation}`;
      const prefix = `arn:aws:lambda:${call.region}:${account}`;
      if (typeof input.FunctionName === 'string') {
        const fn = input.FunctionName.startsWith('arn:') ? input.FunctionName : `${prefix}:function:${input.FunctionName}`;
        return { action, resource: typeof input.Qualifier === 'string' ? `${fn}:${input.Qualifier}` : fn };
      }
      if (typeof input.LayerName === 'string') {
        const layer = input.LayerName.startsWith('arn:') ? input.LayerName : `${prefix}:layer:${input.LayerName}`;
        return { action, resource: input.VersionNumber !== undefined ? `${layer}:${String(input.VersionNumber)}` : layer };
      }
      if (typeof input.UUID === 'string') return { action, resource: `${prefix}:event-source-mapping:${input.UUID}` };
      return { action, resource: '*' };
    }
    case 'monitoring':
      return { action: `cloudwatch:${call.operation}`, resource: '*' };
    default:
      return { action: `iam:${call.operation}`, resource: await iamResource(tx!, call, caller, account) };
  }
}

/** The IAM entity a call concerns; for an operation naming several (AddUserToGroup), the one in its name last. */
async function iamResource(tx: Tx, call: ControlCall, caller: Caller, account: string): Promise<string> {
  const input = call.input;
  const op = call.operation;
  const path = typeof input.Path === 'string' ? input.Path : '/';
  const group = async () => (await tx.get<StoredGroup>(C.groups, input.GroupName as string))?.Arn ?? arnOf(account, 'group', path, input.GroupName as string);
  const role = async () => (await tx.get<StoredRole>(C.roles, input.RoleName as string))?.Arn ?? arnOf(account, 'role', path, input.RoleName as string);
  const user = async () => (await tx.get<StoredUser>(C.users, input.UserName as string))?.Arn ?? arnOf(account, 'user', path, input.UserName as string);
  if (typeof input.GroupName === 'string' && op.includes('Group')) return group();
  if (typeof input.RoleName === 'string' && op.includes('Role')) return role();
  if (typeof input.UserName === 'string') return user();
  if (typeof input.GroupName === 'string') return group();
  if (typeof input.RoleName === 'string') return role();
  if (typeof input.PolicyArn === 'string') return input.PolicyArn;
  if (typeof input.PolicyName === 'string' && op === 'CreatePolicy') return arnOf(account, 'policy', path, input.PolicyName);
  // Access-key calls without a user name are about the caller's own user.
  if (op.includes('AccessKey') && caller.kind === 'user') return caller.user.Arn;
  const kind = /^List(Users|Groups|Roles|Policies)$/.exec(op)?.[1];
  if (kind) return `arn:aws:iam::${account}:${{ Users: 'user', Groups: 'group', Roles: 'role', Policies: 'policy' }[kind]}/`;
  return '*';
}

// Policies of users, groups and roles: managed policies attached (Attach/Detach/ListAttached{User,Group,Role}Policies,
// ListEntitiesForPolicy) and inline policies embedded (Put/Get/List/Delete{User,Group,Role}Policy). One table built
// for the three kinds, which IAM treats alike.
import type { HandlerTable } from '../aws/operation.ts';
import type { Tx } from '../store/store.ts';
import { checkPolicyDocument, noSuchEntity } from './errors.ts';
import { C, encodeDocument, groupOrThrow, paginate, roleOrThrow, userOrThrow, type EntityKind, type StoredGroup, type StoredRole, type StoredUser } from './records.ts';
import { attachableByArn } from './policies.ts';

const KINDS: Array<{ kind: EntityKind; Kind: 'User' | 'Group' | 'Role'; exists: (tx: Tx, name: string) => Promise<unknown> }> = [
  { kind: 'user', Kind: 'User', exists: userOrThrow },
  { kind: 'group', Kind: 'Group', exists: groupOrThrow },
  { kind: 'role', Kind: 'Role', exists: roleOrThrow },
];

const notAttachable = (arn: string) => `Policy ${arn} does not exist or is not attachable.`;

function tableFor(kind: EntityKind, Kind: 'User' | 'Group' | 'Role', exists: (tx: Tx, name: string) => Promise<unknown>): HandlerTable {
  const nameOf = (input: Record<string, unknown>) => input[`${Kind}Name`] as string;
  return {
    async [`Attach${Kind}Policy`](input, ctx) {
      await ctx.globalDb.write(async (tx) => {
        const name = nameOf(input);
        await exists(tx, name);
        const p = await attachableByArn(tx, input.PolicyArn as string, ctx.accountId, notAttachable);
        // Keyed by ARN: a customer policy may share its name with an AWS managed one.
        await tx.put(C.attached, `${kind}/${name}/${p.Arn}`, { PolicyName: p.PolicyName, PolicyArn: p.Arn });
      });
    },
    async [`Detach${Kind}Policy`](input, ctx) {
      await ctx.globalDb.write(async (tx) => {
        const name = nameOf(input);
        await exists(tx, name);
        const p = await attachableByArn(tx, input.PolicyArn as string, ctx.accountId, notAttachable);
        if (!(await tx.delete(C.attached, `${kind}/${name}/${p.Arn}`))) throw noSuchEntity(`Policy ${p.Arn} was not found.`);
      });
    },
    async [`ListAttached${Kind}Policies`](input, ctx) {
      return ctx.globalDb.read(async (tx) => {
        const name = nameOf(input);
        await exists(tx, name);
        const prefix = (input.PathPrefix as string | undefined) ?? '/';
        const all = await tx.list<{ PolicyName: string; PolicyArn: string }>(C.attached, `${kind}/${name}/`);
        const matching = all.filter((a) => a.value.PolicyArn.split(':policy')[1]!.startsWith(prefix));
        const { page, IsTruncated, Marker } = paginate(matching, input);
        return { AttachedPolicies: page, IsTruncated, Marker };
      });
    },
    async [`Put${Kind}Policy`](input, ctx) {
      await ctx.globalDb.write(async (tx) => {
        const name = nameOf(input);
        await exists(tx, name);
        checkPolicyDocument(input.PolicyDocument as string);
        await tx.put(C.inline, `${kind}/${name}/${input.PolicyName as string}`, { PolicyDocument: input.PolicyDocument });
      });
    },
    async [`Get${Kind}Policy`](input, ctx) {
      return ctx.globalDb.read(async (tx) => {
        const name = nameOf(input);
        await exists(tx, name);
        const policyName = input.PolicyName as string;
        const p = await tx.get<{ PolicyDocument: string }>(C.inline, `${kind}/${name}/${policyName}`);
        if (!p) throw noSuchEntity(`The ${kind} policy with name ${policyName} cannot be found.`);
        return { [`${Kind}Name`]: name, PolicyName: policyName, PolicyDocument: encodeDocument(p.PolicyDocument) };
      });
    },
    async [`List${Kind}Policies`](input, ctx) {
      return ctx.globalDb.read(async (tx) => {
        const name = nameOf(input);
        await exists(tx, name);
        const prefix = `${kind}/${name}/`;
        const all = (await tx.list(C.inline, prefix)).map((p) => ({ key: p.key, value: p.key.slice(prefix.length) }));
        const { page, IsTruncated, Marker } = paginate(all, input);
        return { PolicyNames: page, IsTruncated, Marker };
      });
    },
    async [`Delete${Kind}Policy`](input, ctx) {
      await ctx.globalDb.write(async (tx) => {
        const name = nameOf(input);
        await exists(tx, name);
        const policyName = input.PolicyName as string;
        if (!(await tx.delete(C.inline, `${kind}/${name}/${policyName}`))) throw noSuchEntity(`The ${kind} policy with name ${policyName} cannot be found.`);
      });
    },
  };
}

export const policyAttachmentHandlers: HandlerTable = {
  ...Object.assign({}, ...KINDS.map((k) => tableFor(k.kind, k.Kind, k.exists))),

  async ListEntitiesForPolicy(input, ctx) {
    return ctx.globalDb.read(async (tx) => {
      const p = await attachableByArn(tx, input.PolicyArn as string, ctx.accountId, (arn) => `Policy ${arn} was not found.`);
      const out = { PolicyGroups: [] as unknown[], PolicyUsers: [] as unknown[], PolicyRoles: [] as unknown[], IsTruncated: false };
      const prefix = (input.PathPrefix as string | undefined) ?? '/';
      // EntityFilter User | Role | Group narrows the kind (LocalManagedPolicy / AWSManagedPolicy name policies, which
      // are not entities: nothing is listed for them).
      const wanted = (kind: EntityKind) => input.EntityFilter === undefined || input.EntityFilter === kind.charAt(0).toUpperCase() + kind.slice(1);
      const add = (kind: EntityKind, e: StoredUser | StoredGroup | StoredRole) => {
        if (!e.Path.startsWith(prefix)) return;
        if (kind === 'user') out.PolicyUsers.push({ UserName: (e as StoredUser).UserName, UserId: (e as StoredUser).UserId });
        else if (kind === 'group') out.PolicyGroups.push({ GroupName: (e as StoredGroup).GroupName, GroupId: (e as StoredGroup).GroupId });
        else out.PolicyRoles.push({ RoleName: (e as StoredRole).RoleName, RoleId: (e as StoredRole).RoleId });
      };
      if (input.PolicyUsageFilter !== 'PermissionsBoundary') {
        for (const a of await tx.list<{ PolicyArn: string }>(C.attached)) {
          if (a.value.PolicyArn !== p.Arn) continue;
          const [kind, name] = a.key.split('/') as [EntityKind, string];
          if (!wanted(kind)) continue;
          const e = await tx.get<StoredUser | StoredGroup | StoredRole>(kind === 'user' ? C.users : kind === 'group' ? C.groups : C.roles, name);
          if (e) add(kind, e);
        }
      }
      if (input.PolicyUsageFilter !== 'PermissionsPolicy') {
        for (const [kind, coll] of [['user', C.users], ['role', C.roles]] as const) {
          if (!wanted(kind)) continue;
          for (const e of await tx.list<StoredUser | StoredRole>(coll)) if (e.value.PermissionsBoundary === p.Arn) add(kind, e.value);
        }
      }
      return out;
    });
  },
};

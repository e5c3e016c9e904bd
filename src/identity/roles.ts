// IAM roles: CreateRole (with its trust policy), GetRole, ListRoles, UpdateRole, UpdateRoleDescription,
// UpdateAssumeRolePolicy, DeleteRole. Gatehouse has no EC2 instance profiles: the listings that Terraform and the
// CLI make before deleting a role answer none.
import type { HandlerTable } from '../aws/operation.ts';
import { checkPolicyDocument, deleteConflict, entityAlreadyExists, validationError } from './errors.ts';
import { arnOf, boundaryOut, C, encodeDocument, newId, paginate, roleOrThrow, type StoredRole } from './records.ts';
import { findCaseInsensitive } from './users.ts';
import { checkBoundary } from './boundaries.ts';

export function roleOut(r: StoredRole, full = true): Record<string, unknown> {
  return {
    Path: r.Path,
    RoleName: r.RoleName,
    RoleId: r.RoleId,
    Arn: r.Arn,
    CreateDate: new Date(r.CreateDate),
    AssumeRolePolicyDocument: encodeDocument(r.AssumeRolePolicyDocument),
    Description: r.Description,
    MaxSessionDuration: r.MaxSessionDuration,
    ...(full ? boundaryOut(r.PermissionsBoundary) : {}),
    ...(full && r.Tags?.length ? { Tags: r.Tags } : {}),
    ...(full ? { RoleLastUsed: {} } : {}),
  };
}

export const roleHandlers: HandlerTable = {
  async CreateRole(input, ctx) {
    return ctx.globalDb.write(async (tx) => {
      const name = input.RoleName as string;
      if (await findCaseInsensitive(tx, C.roles, name)) throw entityAlreadyExists(`Role with name ${name} already exists.`);
      checkPolicyDocument(input.AssumeRolePolicyDocument as string);
      if (input.PermissionsBoundary !== undefined) await checkBoundary(tx, input.PermissionsBoundary as string, ctx.accountId);
      const path = (input.Path as string | undefined) ?? '/';
      const role: StoredRole = {
        RoleName: name,
        RoleId: newId('AROA'),
        Arn: arnOf(ctx.accountId, 'role', path, name),
        Path: path,
        CreateDate: ctx.now().getTime(),
        AssumeRolePolicyDocument: input.AssumeRolePolicyDocument as string,
        ...(input.Description !== undefined ? { Description: input.Description as string } : {}),
        MaxSessionDuration: (input.MaxSessionDuration as number | undefined) ?? 3600,
        ...(input.Tags ? { Tags: input.Tags as StoredRole['Tags'] } : {}),
        ...(input.PermissionsBoundary !== undefined ? { PermissionsBoundary: input.PermissionsBoundary as string } : {}),
      };
      await tx.put(C.roles, name, role);
      return { Role: roleOut(role, false) };
    });
  },

  async GetRole(input, ctx) {
    return ctx.globalDb.read(async (tx) => ({ Role: roleOut(await roleOrThrow(tx, input.RoleName as string)) }));
  },

  async ListRoles(input, ctx) {
    const prefix = (input.PathPrefix as string | undefined) ?? '/';
    const all = await ctx.globalDb.read((tx) => tx.list<StoredRole>(C.roles));
    const { page, IsTruncated, Marker } = paginate(all.filter((r) => r.value.Path.startsWith(prefix)), input);
    // ListRoles answers neither tags nor last use (IAM: "use GetRole").
    return { Roles: page.map((r) => roleOut(r, false)), IsTruncated, Marker };
  },

  async UpdateRole(input, ctx) {
    await ctx.globalDb.write(async (tx) => {
      const role = await roleOrThrow(tx, input.RoleName as string);
      await tx.put(C.roles, role.RoleName, {
        ...role,
        ...(input.Description !== undefined ? { Description: input.Description } : {}),
        ...(input.MaxSessionDuration !== undefined ? { MaxSessionDuration: input.MaxSessionDuration } : {}),
      });
    });
  },

  async UpdateRoleDescription(input, ctx) {
    return ctx.globalDb.write(async (tx) => {
      const role = { ...(await roleOrThrow(tx, input.RoleName as string)), Description: input.Description as string };
      await tx.put(C.roles, role.RoleName, role);
      return { Role: roleOut(role) };
    });
  },

  async ListInstanceProfilesForRole(input, ctx) {
    await ctx.globalDb.read((tx) => roleOrThrow(tx, input.RoleName as string));
    return { InstanceProfiles: [], IsTruncated: false };
  },

  async ListInstanceProfiles() {
    return { InstanceProfiles: [], IsTruncated: false };
  },

  async UpdateAssumeRolePolicy(input, ctx) {
    await ctx.globalDb.write(async (tx) => {
      const role = await roleOrThrow(tx, input.RoleName as string);
      checkPolicyDocument(input.PolicyDocument as string);
      await tx.put(C.roles, role.RoleName, { ...role, AssumeRolePolicyDocument: input.PolicyDocument });
    });
  },

  async DeleteRole(input, ctx) {
    await ctx.globalDb.write(async (tx) => {
      const name = input.RoleName as string;
      await roleOrThrow(tx, name);
      if ((await tx.list(C.inline, `role/${name}/`)).length) throw deleteConflict('Cannot delete entity, must delete policies first.');
      if ((await tx.list(C.attached, `role/${name}/`)).length) throw deleteConflict('Cannot delete entity, must detach all policies first.');
      await tx.delete(C.roles, name);
    });
  },
};

/** STS checks a requested session duration against the role's maximum. */
export function checkSessionDuration(role: StoredRole, seconds: number): void {
  if (seconds > role.MaxSessionDuration) {
    throw validationError('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  }
}

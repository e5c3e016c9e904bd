// Permissions boundaries of users and roles: a customer managed policy that caps what the identity's own policies
// can grant (Put/Delete{User,Role}PermissionsBoundary, and PermissionsBoundary on CreateUser / CreateRole).
import type { HandlerTable } from '../aws/operation.ts';
import type { Tx } from '../store/store.ts';
import { attachableByArn } from './policies.ts';
import { C, roleOrThrow, userOrThrow } from './records.ts';

/** A boundary must be an existing managed policy. */
export async function checkBoundary(tx: Tx, arn: string, account: string): Promise<void> {
  await attachableByArn(tx, arn, account, (a) => `Policy ${a} does not exist or is not attachable.`);
}

export const boundaryHandlers: HandlerTable = {
  async PutUserPermissionsBoundary(input, ctx) {
    await ctx.globalDb.write(async (tx) => {
      const user = await userOrThrow(tx, input.UserName as string);
      await checkBoundary(tx, input.PermissionsBoundary as string, ctx.accountId);
      await tx.put(C.users, user.UserName, { ...user, PermissionsBoundary: input.PermissionsBoundary });
    });
  },
  async DeleteUserPermissionsBoundary(input, ctx) {
    await ctx.globalDb.write(async (tx) => {
      const { PermissionsBoundary: _dropped, ...user } = await userOrThrow(tx, input.UserName as string);
      await tx.put(C.users, user.UserName, user);
    });
  },
  async PutRolePermissionsBoundary(input, ctx) {
    await ctx.globalDb.write(async (tx) => {
      const role = await roleOrThrow(tx, input.RoleName as string);
      await checkBoundary(tx, input.PermissionsBoundary as string, ctx.accountId);
      await tx.put(C.roles, role.RoleName, { ...role, PermissionsBoundary: input.PermissionsBoundary });
    });
  },
  async DeleteRolePermissionsBoundary(input, ctx) {
    await ctx.globalDb.write(async (tx) => {
      const { PermissionsBoundary: _dropped, ...role } = await roleOrThrow(tx, input.RoleName as string);
      await tx.put(C.roles, role.RoleName, role);
    });
  },
};

// IAM users: CreateUser, GetUser, ListUsers, UpdateUser, DeleteUser. Texts as IAM answers them.
import type { HandlerTable } from '../aws/operation.ts';
import { callerOf } from './caller.ts';
import { deleteConflict, entityAlreadyExists, noSuchEntity } from './errors.ts';
import { arnOf, C, newId, paginate, userOrThrow, userOut, type StoredUser } from './records.ts';
import { checkBoundary } from './boundaries.ts';

export const userHandlers: HandlerTable = {
  async CreateUser(input, ctx) {
    return ctx.globalDb.write(async (tx) => {
      const name = input.UserName as string;
      if (await findCaseInsensitive(tx, C.users, name)) throw entityAlreadyExists(`User with name ${name} already exists.`);
      const path = (input.Path as string | undefined) ?? '/';
      if (input.PermissionsBoundary !== undefined) await checkBoundary(tx, input.PermissionsBoundary as string, ctx.accountId);
      const user: StoredUser = {
        UserName: name,
        UserId: newId('AIDA'),
        Arn: arnOf(ctx.accountId, 'user', path, name),
        Path: path,
        CreateDate: ctx.now().getTime(),
        ...(input.Tags ? { Tags: input.Tags as StoredUser['Tags'] } : {}),
        ...(input.PermissionsBoundary !== undefined ? { PermissionsBoundary: input.PermissionsBoundary as string } : {}),
      };
      await tx.put(C.users, name, user);
      return { User: userOut(user) };
    });
  },

  async GetUser(input, ctx) {
    return ctx.globalDb.read(async (tx) => {
      if (input.UserName !== undefined) return { User: userOut(await userOrThrow(tx, input.UserName as string)) };
      // Without a name, the caller's own user (the root user for the account's root credentials).
      const caller = await callerOf(tx, ctx.accessKeyId, ctx.accountId);
      if (caller.kind === 'user') return { User: userOut(caller.user) };
      if (caller.kind === 'root') return { User: { Path: '/', UserName: undefined, UserId: ctx.accountId, Arn: `arn:aws:iam::${ctx.accountId}:root`, CreateDate: new Date(0) } };
      throw noSuchEntity('Must specify userName when calling with non-User credentials');
    });
  },

  async ListUsers(input, ctx) {
    const prefix = (input.PathPrefix as string | undefined) ?? '/';
    const all = await ctx.globalDb.read((tx) => tx.list<StoredUser>(C.users));
    const { page, IsTruncated, Marker } = paginate(all.filter((u) => u.value.Path.startsWith(prefix)), input);
    return { Users: page.map(userOut), IsTruncated, Marker };
  },

  async UpdateUser(input, ctx) {
    await ctx.globalDb.write(async (tx) => {
      const name = input.UserName as string;
      const user = await userOrThrow(tx, name);
      const newName = (input.NewUserName as string | undefined) ?? name;
      const newPath = (input.NewPath as string | undefined) ?? user.Path;
      if (newName !== name && (await findCaseInsensitive(tx, C.users, newName))) throw entityAlreadyExists(`User with name ${newName} already exists.`);
      const updated: StoredUser = { ...user, UserName: newName, Path: newPath, Arn: arnOf(ctx.accountId, 'user', newPath, newName) };
      if (newName !== name) {
        await tx.delete(C.users, name);
        // Everything keyed by the user's name follows it.
        for (const k of await tx.list<{ UserName: string }>(C.accessKeys)) {
          if (k.value.UserName === name) await tx.put(C.accessKeys, k.key, { ...k.value, UserName: newName });
        }
        for (const g of await tx.list(C.userGroups, `${name}/`)) {
          const group = g.key.slice(name.length + 1);
          await tx.delete(C.userGroups, g.key);
          await tx.delete(C.groupMembers, `${group}/${name}`);
          await tx.put(C.userGroups, `${newName}/${group}`, {});
          await tx.put(C.groupMembers, `${group}/${newName}`, {});
        }
        for (const coll of [C.attached, C.inline]) {
          for (const p of await tx.list(coll, `user/${name}/`)) {
            await tx.delete(coll, p.key);
            await tx.put(coll, `user/${newName}/${p.key.slice(`user/${name}/`.length)}`, p.value);
          }
        }
      }
      await tx.put(C.users, newName, updated);
    });
  },

  async DeleteUser(input, ctx) {
    await ctx.globalDb.write(async (tx) => {
      const name = input.UserName as string;
      await userOrThrow(tx, name);
      const keys = (await tx.list<{ UserName: string }>(C.accessKeys)).filter((k) => k.value.UserName === name);
      if (keys.length) throw deleteConflict('Cannot delete entity, must delete access keys first.');
      if ((await tx.list(C.inline, `user/${name}/`)).length) throw deleteConflict('Cannot delete entity, must delete policies first.');
      if ((await tx.list(C.attached, `user/${name}/`)).length) throw deleteConflict('Cannot delete entity, must detach all policies first.');
      if ((await tx.list(C.userGroups, `${name}/`)).length) throw deleteConflict('Cannot delete entity, must remove user from all groups first.');
      await tx.delete(C.users, name);
    });
  },
};

/** IAM names are unique case-insensitively (`Bob` and `bob` cannot both exist). */
export async function findCaseInsensitive(tx: import('../store/store.ts').Tx, collection: string, name: string): Promise<string | undefined> {
  const exact = await tx.get(collection, name);
  if (exact) return name;
  const lower = name.toLowerCase();
  for (const item of await tx.list(collection)) if (item.key.toLowerCase() === lower) return item.key;
  return undefined;
}

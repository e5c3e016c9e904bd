// IAM groups: CreateGroup, GetGroup (with its users), ListGroups, DeleteGroup, AddUserToGroup,
// RemoveUserFromGroup, ListGroupsForUser.
import type { HandlerTable } from '../aws/operation.ts';
import { deleteConflict, entityAlreadyExists, noSuchEntity } from './errors.ts';
import { arnOf, C, groupOrThrow, newId, paginate, userOrThrow, userOut, type StoredGroup, type StoredUser } from './records.ts';
import { findCaseInsensitive } from './users.ts';

const groupOut = (g: StoredGroup) => ({ Path: g.Path, GroupName: g.GroupName, GroupId: g.GroupId, Arn: g.Arn, CreateDate: new Date(g.CreateDate) });

export const groupHandlers: HandlerTable = {
  async CreateGroup(input, ctx) {
    return ctx.globalDb.write(async (tx) => {
      const name = input.GroupName as string;
      if (await findCaseInsensitive(tx, C.groups, name)) throw entityAlreadyExists(`Group with name ${name} already exists.`);
      const path = (input.Path as string | undefined) ?? '/';
      const group: StoredGroup = { GroupName: name, GroupId: newId('AGPA'), Arn: arnOf(ctx.accountId, 'group', path, name), Path: path, CreateDate: ctx.now().getTime() };
      await tx.put(C.groups, name, group);
      return { Group: groupOut(group) };
    });
  },

  async GetGroup(input, ctx) {
    return ctx.globalDb.read(async (tx) => {
      const group = await groupOrThrow(tx, input.GroupName as string);
      const members = await tx.list(C.groupMembers, `${group.GroupName}/`);
      const users: StoredUser[] = [];
      for (const m of members) {
        const u = await tx.get<StoredUser>(C.users, m.key.slice(group.GroupName.length + 1));
        if (u) users.push(u);
      }
      const { page, IsTruncated, Marker } = paginate(users.map((u) => ({ key: u.UserName, value: u })), input);
      return { Group: groupOut(group), Users: page.map(userOut), IsTruncated, Marker };
    });
  },

  async ListGroups(input, ctx) {
    const prefix = (input.PathPrefix as string | undefined) ?? '/';
    const all = await ctx.globalDb.read((tx) => tx.list<StoredGroup>(C.groups));
    const { page, IsTruncated, Marker } = paginate(all.filter((g) => g.value.Path.startsWith(prefix)), input);
    return { Groups: page.map(groupOut), IsTruncated, Marker };
  },

  async DeleteGroup(input, ctx) {
    await ctx.globalDb.write(async (tx) => {
      const name = input.GroupName as string;
      await groupOrThrow(tx, name);
      if ((await tx.list(C.groupMembers, `${name}/`)).length) throw deleteConflict('Cannot delete entity, must remove users from group first.');
      if ((await tx.list(C.inline, `group/${name}/`)).length) throw deleteConflict('Cannot delete entity, must delete policies first.');
      if ((await tx.list(C.attached, `group/${name}/`)).length) throw deleteConflict('Cannot delete entity, must detach all policies first.');
      await tx.delete(C.groups, name);
    });
  },

  async AddUserToGroup(input, ctx) {
    await ctx.globalDb.write(async (tx) => {
      const group = await groupOrThrow(tx, input.GroupName as string);
      const user = await userOrThrow(tx, input.UserName as string);
      await tx.put(C.groupMembers, `${group.GroupName}/${user.UserName}`, {});
      await tx.put(C.userGroups, `${user.UserName}/${group.GroupName}`, {});
    });
  },

  async RemoveUserFromGroup(input, ctx) {
    await ctx.globalDb.write(async (tx) => {
      const group = await groupOrThrow(tx, input.GroupName as string);
      const user = await userOrThrow(tx, input.UserName as string);
      if (!(await tx.delete(C.groupMembers, `${group.GroupName}/${user.UserName}`))) {
        throw noSuchEntity(`The user with name ${user.UserName} cannot be found.`);
      }
      await tx.delete(C.userGroups, `${user.UserName}/${group.GroupName}`);
    });
  },

  async ListGroupsForUser(input, ctx) {
    return ctx.globalDb.read(async (tx) => {
      const user = await userOrThrow(tx, input.UserName as string);
      const groups: Array<{ key: string; value: StoredGroup }> = [];
      for (const m of await tx.list(C.userGroups, `${user.UserName}/`)) {
        const g = await tx.get<StoredGroup>(C.groups, m.key.slice(user.UserName.length + 1));
        if (g) groups.push({ key: g.GroupName, value: g });
      }
      const { page, IsTruncated, Marker } = paginate(groups, input);
      return { Groups: page.map(groupOut), IsTruncated, Marker };
    });
  },
};

// Tags of IAM users, roles and managed policies: Tag*, Untag*, List*Tags. A tag with a key the entity already has
// (compared case-insensitively, as IAM does) replaces it; at most 50 tags per entity. Principal tags are condition
// keys (`aws:PrincipalTag/…`) for the entity's own requests.
import type { HandlerTable } from '../aws/operation.ts';
import type { Tx } from '../store/store.ts';
import { limitExceeded } from './errors.ts';
import { policyByArn } from './policies.ts';
import { C, paginate, roleOrThrow, userOrThrow, type Tag } from './records.ts';

const MAX_TAGS = 50;

interface Tagged {
  Tags?: Tag[];
}

interface Kind {
  Kind: 'User' | 'Role' | 'Policy';
  find: (tx: Tx, input: Record<string, unknown>, account: string) => Promise<{ collection: string; key: string; entity: Tagged }>;
}

const KINDS: Kind[] = [
  { Kind: 'User', find: async (tx, input) => ({ collection: C.users, key: input.UserName as string, entity: await userOrThrow(tx, input.UserName as string) }) },
  { Kind: 'Role', find: async (tx, input) => ({ collection: C.roles, key: input.RoleName as string, entity: await roleOrThrow(tx, input.RoleName as string) }) },
  {
    Kind: 'Policy',
    find: async (tx, input, account) => {
      const p = await policyByArn(tx, input.PolicyArn as string, account, (arn) => `Policy ${arn} was not found.`);
      return { collection: C.policies, key: p.PolicyName, entity: p };
    },
  },
];

function tableFor({ Kind, find }: Kind): HandlerTable {
  return {
    async [`Tag${Kind}`](input, ctx) {
      await ctx.globalDb.write(async (tx) => {
        const { collection, key, entity } = await find(tx, input, ctx.accountId);
        const tags = [...(entity.Tags ?? [])];
        for (const t of input.Tags as Tag[]) {
          const at = tags.findIndex((x) => x.Key.toLowerCase() === t.Key.toLowerCase());
          if (at === -1) tags.push(t);
          else tags[at] = t;
        }
        if (tags.length > MAX_TAGS) throw limitExceeded('The number of tags has reached the maximum limit.');
        await tx.put(collection, key, { ...entity, Tags: tags });
      });
    },
    async [`Untag${Kind}`](input, ctx) {
      await ctx.globalDb.write(async (tx) => {
        const { collection, key, entity } = await find(tx, input, ctx.accountId);
        const drop = new Set((input.TagKeys as string[]).map((k) => k.toLowerCase()));
        await tx.put(collection, key, { ...entity, Tags: (entity.Tags ?? []).filter((t) => !drop.has(t.Key.toLowerCase())) });
      });
    },
    async [`List${Kind}Tags`](input, ctx) {
      return ctx.globalDb.read(async (tx) => {
        const { entity } = await find(tx, input, ctx.accountId);
        const { page, IsTruncated, Marker } = paginate((entity.Tags ?? []).map((t, i) => ({ key: String(i).padStart(4, '0'), value: t })), input);
        return { Tags: page, IsTruncated, Marker };
      });
    },
  };
}

export const tagHandlers: HandlerTable = Object.assign({}, ...KINDS.map(tableFor));

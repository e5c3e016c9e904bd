// IAM access keys: CreateAccessKey, ListAccessKeys, UpdateAccessKey, DeleteAccessKey, GetAccessKeyLastUsed. The
// secret is answered once, by CreateAccessKey, and kept for SigV4 verification (src/auth).
import type { HandlerTable, OperationContext } from '../aws/operation.ts';
import type { Tx } from '../store/store.ts';
import { callerOf } from './caller.ts';
import { limitExceeded, noSuchEntity } from './errors.ts';
import { C, newAccessKeyId, newSecret, paginate, userOrThrow, type StoredAccessKey } from './records.ts';

// IAM's quota: two access keys per user.
const KEYS_PER_USER = 2;

/** The user an access-key call is about: the named one, else the caller's own. */
async function subjectUser(tx: Tx, input: Record<string, unknown>, ctx: OperationContext): Promise<string> {
  if (input.UserName !== undefined) return (await userOrThrow(tx, input.UserName as string)).UserName;
  const caller = await callerOf(tx, ctx.accessKeyId, ctx.accountId);
  if (caller.kind === 'user') return caller.user.UserName;
  throw noSuchEntity('Must specify userName when calling with non-User credentials');
}

async function keyOf(tx: Tx, id: string, userName: string): Promise<StoredAccessKey> {
  const key = await tx.get<StoredAccessKey>(C.accessKeys, id);
  if (!key || key.UserName !== userName) throw noSuchEntity(`The Access Key with id ${id} cannot be found.`);
  return key;
}

export async function createAccessKey(tx: Tx, userName: string, now: Date, fixed?: { AccessKeyId: string; SecretAccessKey: string }): Promise<StoredAccessKey> {
  const existing = (await tx.list<StoredAccessKey>(C.accessKeys)).filter((k) => k.value.UserName === userName);
  if (existing.length >= KEYS_PER_USER) throw limitExceeded(`Cannot exceed quota for AccessKeysPerUser: ${KEYS_PER_USER}`);
  const key: StoredAccessKey = {
    AccessKeyId: fixed?.AccessKeyId ?? newAccessKeyId('AKIA'),
    SecretAccessKey: fixed?.SecretAccessKey ?? newSecret(),
    UserName: userName,
    Status: 'Active',
    CreateDate: now.getTime(),
  };
  await tx.put(C.accessKeys, key.AccessKeyId, key);
  return key;
}

export const accessKeyHandlers: HandlerTable = {
  async CreateAccessKey(input, ctx) {
    return ctx.globalDb.write(async (tx) => {
      const key = await createAccessKey(tx, await subjectUser(tx, input, ctx), ctx.now());
      return { AccessKey: { ...key, CreateDate: new Date(key.CreateDate) } };
    });
  },

  async ListAccessKeys(input, ctx) {
    return ctx.globalDb.read(async (tx) => {
      const user = await subjectUser(tx, input, ctx);
      const keys = (await tx.list<StoredAccessKey>(C.accessKeys)).filter((k) => k.value.UserName === user);
      const { page, IsTruncated, Marker } = paginate(keys, input);
      return {
        AccessKeyMetadata: page.map((k) => ({ UserName: k.UserName, AccessKeyId: k.AccessKeyId, Status: k.Status, CreateDate: new Date(k.CreateDate) })),
        IsTruncated,
        Marker,
      };
    });
  },

  async UpdateAccessKey(input, ctx) {
    await ctx.globalDb.write(async (tx) => {
      const key = await keyOf(tx, input.AccessKeyId as string, await subjectUser(tx, input, ctx));
      await tx.put(C.accessKeys, key.AccessKeyId, { ...key, Status: input.Status });
    });
  },

  async DeleteAccessKey(input, ctx) {
    await ctx.globalDb.write(async (tx) => {
      const key = await keyOf(tx, input.AccessKeyId as string, await subjectUser(tx, input, ctx));
      await tx.delete(C.accessKeys, key.AccessKeyId);
    });
  },

  async GetAccessKeyLastUsed(input, ctx) {
    return ctx.globalDb.read(async (tx) => {
      const key = await tx.get<StoredAccessKey>(C.accessKeys, input.AccessKeyId as string);
      // Last use is not tracked: every key answers as a never-used one does (N/A).
      if (!key) throw noSuchEntity(`The Access Key with id ${input.AccessKeyId as string} cannot be found.`);
      return { UserName: key.UserName, AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } };
    });
  },
};

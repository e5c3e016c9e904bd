// Lambda API: resource policies (AddPermission, RemovePermission, GetPolicy), reserved concurrency
// (Put/Get/DeleteFunctionConcurrency), tags (TagResource, UntagResource, ListTags) and GetAccountSettings.
import { randomUUID } from 'node:crypto';
import { InvalidParameterValueException, ResourceConflictException, ResourceNotFoundException } from '../aws/errors.ts';
import type { HandlerTable, OperationContext } from '../aws/operation.ts';
import type { Tx } from '../store/store.ts';
import { checkRevision, functions, notFound } from './api-common.ts';
import { functionArn, isVersionNumber, LATEST, parseFunctionName, parseUnqualifiedName } from './names.ts';
import { buildStatement, type PermissionInput } from './policy.ts';
import { getAlias, getFunction, getVersion, policyKey, type FunctionRecord, type PolicyRecord } from './records.ts';
import { MAX_UNZIPPED_BYTES, MAX_ZIP_BYTES } from './code-storage.ts';

/** Lambda keeps this much of the account's concurrency unreserved. */
const MIN_UNRESERVED = 100;

async function requireTarget(tx: Tx, ctx: OperationContext, name: string, qualifier: string | undefined): Promise<FunctionRecord> {
  const fn = await getFunction(tx, name);
  if (!fn) throw notFound(ctx, name, qualifier);
  if (qualifier !== undefined && qualifier !== LATEST) {
    const found = isVersionNumber(qualifier) ? await getVersion(tx, name, qualifier) : await getAlias(tx, name, qualifier);
    if (!found) throw notFound(ctx, name, qualifier);
  }
  return fn;
}

function parseFunctionArnResource(ctx: OperationContext, resource: string): string {
  const m = /^arn:aws[a-zA-Z-]*:lambda:([^:]+):(\d{12}):function:([a-zA-Z0-9-_]+)$/.exec(resource);
  if (!m) throw new InvalidParameterValueException(`Invalid ARN: ${resource}`);
  if (m[1] !== ctx.region || m[2] !== ctx.accountId) throw new ResourceNotFoundException(`Function not found: ${resource}`);
  return m[3]!;
}

export const permissionHandlers: HandlerTable = {
  async AddPermission(input, ctx) {
    const ref = parseFunctionName(input.FunctionName, input.Qualifier, ctx.region, ctx.accountId);
    return ctx.db.write(async (tx) => {
      const fn = await requireTarget(tx, ctx, ref.name, ref.qualifier);
      checkRevision(input.RevisionId, fn.latest.RevisionId);
      const key = policyKey(ref.name, ref.qualifier);
      const policy: PolicyRecord = (await tx.get<PolicyRecord>('policies', key)) ?? { statements: [], RevisionId: '' };
      if (policy.statements.some((s) => s.Sid === input.StatementId)) {
        throw new ResourceConflictException(
          `The statement id (${input.StatementId}) provided already exists. Please provide a new statement id, or remove the existing statement.`,
        );
      }
      const statement = buildStatement(input as PermissionInput, functionArn(ctx.region, ctx.accountId, ref.name, ref.qualifier));
      await tx.put('policies', key, { statements: [...policy.statements, statement], RevisionId: randomUUID() });
      return { Statement: JSON.stringify(statement) };
    });
  },

  async RemovePermission(input, ctx) {
    const ref = parseFunctionName(input.FunctionName, input.Qualifier, ctx.region, ctx.accountId);
    await ctx.db.write(async (tx) => {
      await requireTarget(tx, ctx, ref.name, ref.qualifier);
      const key = policyKey(ref.name, ref.qualifier);
      const policy = await tx.get<PolicyRecord>('policies', key);
      if (!policy) throw new ResourceNotFoundException('No policy is associated with the given resource.');
      checkRevision(input.RevisionId, policy.RevisionId);
      const statements = policy.statements.filter((s) => s.Sid !== input.StatementId);
      if (statements.length === policy.statements.length) {
        throw new ResourceNotFoundException(`Statement ${input.StatementId} is not found in resource policy.`);
      }
      if (statements.length) await tx.put('policies', key, { statements, RevisionId: randomUUID() });
      else await tx.delete('policies', key);
    });
  },

  async GetPolicy(input, ctx) {
    const ref = parseFunctionName(input.FunctionName, input.Qualifier, ctx.region, ctx.accountId);
    return ctx.db.read(async (tx) => {
      await requireTarget(tx, ctx, ref.name, ref.qualifier);
      const policy = await tx.get<PolicyRecord>('policies', policyKey(ref.name, ref.qualifier));
      if (!policy) throw new ResourceNotFoundException('The resource you requested does not exist.');
      return { Policy: JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: policy.statements }), RevisionId: policy.RevisionId };
    });
  },

  async PutFunctionConcurrency(input, ctx) {
    const name = parseUnqualifiedName(input.FunctionName, ctx.region, ctx.accountId);
    const limit = functions(ctx).options.accountConcurrency;
    return ctx.db.write(async (tx) => {
      const fn = await getFunction(tx, name);
      if (!fn) throw notFound(ctx, name);
      let othersReserved = 0;
      for (const { value } of await tx.list<FunctionRecord>('functions')) {
        if (value.name !== name) othersReserved += value.reservedConcurrency ?? 0;
      }
      if (othersReserved + input.ReservedConcurrentExecutions > limit - MIN_UNRESERVED) {
        throw new InvalidParameterValueException(
          `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${MIN_UNRESERVED}].`,
        );
      }
      await tx.put('functions', name, { ...fn, reservedConcurrency: input.ReservedConcurrentExecutions });
      return { ReservedConcurrentExecutions: input.ReservedConcurrentExecutions };
    });
  },

  async GetFunctionConcurrency(input, ctx) {
    const name = parseUnqualifiedName(input.FunctionName, ctx.region, ctx.accountId);
    const fn = await ctx.db.read((tx) => getFunction(tx, name));
    if (!fn) throw notFound(ctx, name);
    return fn.reservedConcurrency !== undefined ? { ReservedConcurrentExecutions: fn.reservedConcurrency } : {};
  },

  async DeleteFunctionConcurrency(input, ctx) {
    const name = parseUnqualifiedName(input.FunctionName, ctx.region, ctx.accountId);
    await ctx.db.write(async (tx) => {
      const fn = await getFunction(tx, name);
      if (!fn) throw notFound(ctx, name);
      const { reservedConcurrency: _dropped, ...rest } = fn;
      await tx.put('functions', name, rest);
    });
  },

  async TagResource(input, ctx) {
    const name = parseFunctionArnResource(ctx, input.Resource);
    await ctx.db.write(async (tx) => {
      const fn = await getFunction(tx, name);
      if (!fn) throw notFound(ctx, name);
      await tx.put('functions', name, { ...fn, tags: { ...fn.tags, ...input.Tags } });
    });
  },

  async UntagResource(input, ctx) {
    const name = parseFunctionArnResource(ctx, input.Resource);
    await ctx.db.write(async (tx) => {
      const fn = await getFunction(tx, name);
      if (!fn) throw notFound(ctx, name);
      const tags = { ...fn.tags };
      for (const k of input.TagKeys as string[]) delete tags[k];
      await tx.put('functions', name, { ...fn, tags });
    });
  },

  async ListTags(input, ctx) {
    const name = parseFunctionArnResource(ctx, input.Resource);
    const fn = await ctx.db.read((tx) => getFunction(tx, name));
    if (!fn) throw notFound(ctx, name);
    return { Tags: fn.tags };
  },

  async GetAccountSettings(_input, ctx) {
    const limit = functions(ctx).options.accountConcurrency;
    const fns = await ctx.db.read((tx) => tx.list<FunctionRecord>('functions'));
    const reserved = fns.reduce((n, { value }) => n + (value.reservedConcurrency ?? 0), 0);
    const totalCodeSize = fns.reduce((n, { value }) => n + value.latest.CodeSize, 0);
    return {
      AccountLimit: {
        TotalCodeSize: 80_530_636_800,
        CodeSizeUnzipped: MAX_UNZIPPED_BYTES,
        CodeSizeZipped: MAX_ZIP_BYTES,
        ConcurrentExecutions: limit,
        UnreservedConcurrentExecutions: limit - reserved,
      },
      AccountUsage: { TotalCodeSize: totalCodeSize, FunctionCount: fns.length },
    };
  },
};

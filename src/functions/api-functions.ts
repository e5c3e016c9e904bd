// Lambda API: functions — CreateFunction, GetFunction, GetFunctionConfiguration, ListFunctions, UpdateFunctionCode,
// UpdateFunctionConfiguration, DeleteFunction — and Invoke.
import { InvalidParameterValueException, ResourceConflictException } from '../aws/errors.ts';
import type { HandlerTable, OperationContext } from '../aws/operation.ts';
import type { Tx } from '../store/store.ts';
import { checkRevision, functions, notFound, page, settleCode, storeCode } from './api-common.ts';
import { publishVersion, withSnapshot } from './api-versions.ts';
import { applyConfigurationUpdate, lastModified, newLatest, renderConfiguration, validateCreate } from './configuration.ts';
import { LocalCodeWatcher } from './local-code.ts';
import { isVersionNumber, LATEST, parseFunctionName, parseUnqualifiedName, versionKey } from './names.ts';
import { getAlias, getFunction, getVersion, listAliases, listVersions, policyKey, type FunctionRecord, type VersionConfig } from './records.ts';
import { randomUUID } from 'node:crypto';

/** The configuration a qualifier names: $LATEST, a version, or an alias's version. */
async function configFor(tx: Tx, ctx: OperationContext, fn: FunctionRecord, qualifier: string | undefined): Promise<VersionConfig> {
  if (qualifier === undefined || qualifier === LATEST) return fn.latest;
  if (isVersionNumber(qualifier)) {
    const v = await getVersion(tx, fn.name, qualifier);
    if (!v) throw notFound(ctx, fn.name, qualifier);
    return v;
  }
  const alias = await getAlias(tx, fn.name, qualifier);
  if (!alias) throw notFound(ctx, fn.name, qualifier);
  const v = alias.FunctionVersion === LATEST ? fn.latest : await getVersion(tx, fn.name, alias.FunctionVersion);
  if (!v) throw notFound(ctx, fn.name, qualifier);
  return v;
}

function render(ctx: OperationContext, fn: FunctionRecord, v: VersionConfig, qualifier?: string) {
  const out = renderConfiguration(ctx.region, ctx.accountId, fn, v, qualifier !== undefined);
  // Asked for through an alias, the ARN names the alias while Version is the version it points to.
  if (qualifier !== undefined) out.FunctionArn = `arn:aws:lambda:${ctx.region}:${ctx.accountId}:function:${fn.name}:${qualifier}`;
  return out;
}

export const functionHandlers: HandlerTable = {
  async CreateFunction(input, ctx) {
    validateCreate(input);
    const name = parseUnqualifiedName(input.FunctionName, ctx.region, ctx.accountId);
    const svc = functions(ctx);
    const exists = () => new ResourceConflictException(`Function already exist: ${name}`);
    if (await ctx.db.read((tx) => getFunction(tx, name))) throw exists();
    const code = await storeCode(svc, ctx, name, input.Code ?? {}, 'CreateFunction');
    const fn: FunctionRecord = {
      name,
      latest: newLatest({ name, input, code, now: ctx.now() }),
      lastVersion: 0,
      tags: { ...(input.Tags ?? {}) },
    };
    let saved = false;
    try {
      const out = await withSnapshot(svc, ctx, name, code.location, input.Publish === true, (snapshot) =>
        ctx.db.write(async (tx) => {
          if (await getFunction(tx, name)) throw exists();
          await tx.put('functions', name, fn);
          if (input.Publish) {
            const v = await publishVersion(tx, ctx, fn, {}, snapshot);
            return render(ctx, fn, v, v.Version);
          }
          return render(ctx, fn, fn.latest);
        }),
      );
      saved = true;
      return out;
    } finally {
      settleCode(svc, ctx.region, name, code, saved);
    }
  },

  async GetFunction(input, ctx) {
    const ref = parseFunctionName(input.FunctionName, input.Qualifier, ctx.region, ctx.accountId);
    return ctx.db.read(async (tx) => {
      const fn = await getFunction(tx, ref.name);
      if (!fn) throw notFound(ctx, ref.name, ref.qualifier);
      const v = await configFor(tx, ctx, fn, ref.qualifier);
      const location = v.code.kind === 'directory' ? `file://${v.code.path}` : `file://${functions(ctx).code.absolute(v.code.zipFile ?? v.code.dir)}`;
      return {
        Configuration: render(ctx, fn, v, ref.qualifier),
        Code: { RepositoryType: 'S3', Location: location },
        ...(Object.keys(fn.tags).length ? { Tags: fn.tags } : {}),
        ...(fn.reservedConcurrency !== undefined ? { Concurrency: { ReservedConcurrentExecutions: fn.reservedConcurrency } } : {}),
      };
    });
  },

  async GetFunctionConfiguration(input, ctx) {
    const ref = parseFunctionName(input.FunctionName, input.Qualifier, ctx.region, ctx.accountId);
    return ctx.db.read(async (tx) => {
      const fn = await getFunction(tx, ref.name);
      if (!fn) throw notFound(ctx, ref.name, ref.qualifier);
      return render(ctx, fn, await configFor(tx, ctx, fn, ref.qualifier), ref.qualifier);
    });
  },

  async ListFunctions(input, ctx) {
    if (input.MasterRegion !== undefined) {
      throw new InvalidParameterValueException('MasterRegion (Lambda@Edge replicas) is not supported by Gatehouse.');
    }
    const all = input.FunctionVersion === 'ALL';
    const items = await ctx.db.read(async (tx) => {
      const out: Record<string, unknown>[] = [];
      for (const { value: fn } of await tx.list<FunctionRecord>('functions')) {
        if (all) {
          out.push(renderConfiguration(ctx.region, ctx.accountId, fn, fn.latest, true));
          for (const v of await listVersions(tx, fn.name)) out.push(renderConfiguration(ctx.region, ctx.accountId, fn, v, true));
        } else {
          out.push(renderConfiguration(ctx.region, ctx.accountId, fn, fn.latest, false));
        }
      }
      return out;
    });
    const p = page(items, input.Marker, input.MaxItems);
    return { Functions: p.items, NextMarker: p.next };
  },

  async UpdateFunctionCode(input, ctx) {
    const name = parseUnqualifiedName(input.FunctionName, ctx.region, ctx.accountId);
    const svc = functions(ctx);
    const current = await ctx.db.read((tx) => getFunction(tx, name));
    if (!current) throw notFound(ctx, name);
    checkRevision(input.RevisionId, current.latest.RevisionId);
    if (input.Architectures && input.Architectures.length !== 1) {
      throw new InvalidParameterValueException('Only one architecture can be specified.');
    }
    const code = await storeCode(svc, ctx, name, input, 'UpdateFunctionCode');
    let saved = false;
    try {
      const result = await withSnapshot(svc, ctx, name, code.location, input.Publish === true && !input.DryRun, (snapshot) =>
        ctx.db.write(async (tx) => {
          const fn = await getFunction(tx, name);
          if (!fn) throw notFound(ctx, name);
          checkRevision(input.RevisionId, fn.latest.RevisionId);
          const latest: VersionConfig = {
            ...fn.latest,
            code: code.location,
            CodeSha256: code.CodeSha256,
            CodeSize: code.CodeSize,
            LastModified: lastModified(ctx.now()),
            RevisionId: randomUUID(),
            ...(input.Architectures ? { Architectures: input.Architectures } : {}),
          };
          const next: FunctionRecord = { ...fn, latest };
          if (input.DryRun) return render(ctx, next, latest);
          await tx.put('functions', name, next);
          if (input.Publish) {
            const v = await publishVersion(tx, ctx, next, {}, snapshot);
            return render(ctx, next, v, v.Version);
          }
          return render(ctx, next, latest);
        }),
      );
      saved = !input.DryRun;
      if (saved) svc.retire(ctx.region, name);
      return result;
    } finally {
      settleCode(svc, ctx.region, name, code, saved);
    }
  },

  async UpdateFunctionConfiguration(input, ctx) {
    const name = parseUnqualifiedName(input.FunctionName, ctx.region, ctx.accountId);
    const svc = functions(ctx);
    const result = await ctx.db.write(async (tx) => {
      const fn = await getFunction(tx, name);
      if (!fn) throw notFound(ctx, name);
      checkRevision(input.RevisionId, fn.latest.RevisionId);
      const latest = applyConfigurationUpdate(fn.latest, input, ctx.now());
      const next: FunctionRecord = { ...fn, latest };
      await tx.put('functions', name, next);
      return render(ctx, next, latest);
    });
    svc.retire(ctx.region, name);
    return result;
  },

  async DeleteFunction(input, ctx) {
    const ref = parseFunctionName(input.FunctionName, input.Qualifier, ctx.region, ctx.accountId);
    const svc = functions(ctx);
    const name = ref.name;
    if (ref.qualifier === LATEST) throw new InvalidParameterValueException('$LATEST version cannot be deleted without deleting the function.');
    if (ref.qualifier !== undefined && !isVersionNumber(ref.qualifier)) {
      throw new InvalidParameterValueException('Deletion of aliases is not supported with DeleteFunction. Use DeleteAlias.');
    }
    const removedCode = await ctx.db.write(async (tx) => {
      const fn = await getFunction(tx, name);
      if (!fn) throw notFound(ctx, name, ref.qualifier);
      if (ref.qualifier === undefined) {
        await tx.delete('functions', name);
        await tx.deletePrefix('functionversions', `${name}/`);
        await tx.deletePrefix('aliases', `${name}/`);
        await tx.deletePrefix('policies', `${name}/`);
        return 'all' as const;
      }
      const v = await getVersion(tx, name, ref.qualifier);
      if (!v) throw notFound(ctx, name, ref.qualifier);
      const referencing = (await listAliases(tx, name))
        .filter((a) => a.FunctionVersion === v.Version || Object.keys(a.RoutingConfig?.AdditionalVersionWeights ?? {}).includes(v.Version))
        .map((a) => a.Name);
      if (referencing.length) {
        throw new ResourceConflictException(`Unable to delete version because the following aliases reference it: [${referencing.join(', ')}]`);
      }
      await tx.delete('functionversions', versionKey(name, v.Version));
      await tx.delete('policies', policyKey(name, v.Version));
      const others = [fn.latest, ...(await listVersions(tx, name))];
      return others.some((o) => svc.code.sameCode(o.code, v.code)) ? undefined : v.code;
    });
    svc.retire(ctx.region, name);
    if (removedCode === 'all') svc.watcher.release(LocalCodeWatcher.key(ctx.region, name));
    if (removedCode === 'all') svc.removeFunctionFiles(ctx.region, name);
    else if (removedCode) svc.code.removeCode(removedCode);
    return { StatusCode: 204 };
  },

  async Invoke(input, ctx) {
    const r = await functions(ctx).invokeLocal({
      functionName: input.FunctionName,
      qualifier: input.Qualifier,
      region: ctx.region,
      payload: Buffer.from(input.Payload ?? []),
      invocationType: input.InvocationType ?? 'RequestResponse',
      logType: input.LogType,
      clientContext: input.ClientContext,
      requestId: ctx.requestId,
    });
    return {
      StatusCode: r.statusCode,
      Payload: r.payload,
      FunctionError: r.functionError,
      LogResult: r.logResult,
      ExecutedVersion: r.executedVersion,
    };
  },

  /** The deprecated asynchronous invoke: same queue and retries as an Event invocation. */
  async InvokeAsync(input, ctx) {
    const r = await functions(ctx).invokeLocal({
      functionName: input.FunctionName,
      region: ctx.region,
      payload: Buffer.from(input.InvokeArgs ?? []),
      invocationType: 'Event',
      requestId: ctx.requestId,
    });
    return { Status: r.statusCode };
  },
};

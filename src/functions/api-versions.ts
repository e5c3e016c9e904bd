// Lambda API: versions and aliases — PublishVersion, ListVersionsByFunction, Create/Get/Update/Delete/ListAliases.
import { randomUUID } from 'node:crypto';
import { InvalidParameterValueException, ResourceConflictException, ResourceNotFoundException } from '../aws/errors.ts';
import type { HandlerTable, OperationContext } from '../aws/operation.ts';
import type { Tx } from '../store/store.ts';
import { checkRevision, functions, notFound, page } from './api-common.ts';
import { lastModified, renderConfiguration } from './configuration.ts';
import type { EmbeddedFunctions } from './index.ts';
import { functionArn, isVersionNumber, LATEST, parseUnqualifiedName, versionKey } from './names.ts';
import { getAlias, getFunction, getVersion, listAliases, listVersions, type AliasRecord, type CodeLocation, type FunctionRecord, type VersionConfig } from './records.ts';

/**
 * Whether $LATEST (`latest`) is what the last version already published (PublishVersion publishes only when something
 * changed). A hot-reload directory may have changed without its path changing: it is always published anew.
 */
function sameAsPublished(published: VersionConfig, latest: VersionConfig): boolean {
  const strip = (v: VersionConfig) => ({ ...v, Version: '', RevisionId: '', LastModified: '', Description: '', code: undefined });
  return latest.code.kind !== 'directory' && published.CodeSha256 === latest.CodeSha256 && JSON.stringify(strip(published)) === JSON.stringify(strip(latest));
}

/** A frozen copy of a directory function's code, made before the transaction that publishes it. */
export interface Snapshot {
  from: string;
  location: CodeLocation;
}

/**
 * Runs `write` (a transaction that may publish a version of code `code`) with the snapshot a directory function's
 * new version needs: the copy is made first, off the event loop and outside the transaction (it can take seconds),
 * and removed again if the transaction fails.
 */
export async function withSnapshot<T>(
  svc: EmbeddedFunctions,
  ctx: OperationContext,
  name: string,
  code: CodeLocation,
  publish: boolean,
  write: (snapshot: Snapshot | undefined) => Promise<T>,
): Promise<T> {
  const snapshot = publish && code.kind === 'directory' ? { from: code.path, location: await svc.code.snapshot(ctx.region, name, code.path) } : undefined;
  try {
    return await write(snapshot);
  } catch (err) {
    if (snapshot) svc.code.removeCode(snapshot.location);
    throw err;
  }
}

/** Publishes $LATEST as the next version within the caller's transaction; returns the (new or unchanged) version. */
export async function publishVersion(
  tx: Tx,
  ctx: OperationContext,
  fn: FunctionRecord,
  opts: { Description?: string; CodeSha256?: string; RevisionId?: string },
  snapshot: Snapshot | undefined,
): Promise<VersionConfig> {
  checkRevision(opts.RevisionId, fn.latest.RevisionId);
  if (opts.CodeSha256 !== undefined && opts.CodeSha256 !== fn.latest.CodeSha256) {
    throw new InvalidParameterValueException(
      `CodeSHA256 (${opts.CodeSha256}) is different from current CodeSHA256 in $LATEST(${fn.latest.CodeSha256}). Please try again with the new CodeSHA256.`,
    );
  }
  if (fn.lastVersion > 0) {
    const last = await getVersion(tx, fn.name, String(fn.lastVersion));
    if (last && sameAsPublished(last, fn.latest)) return last;
  }
  const version = String(fn.lastVersion + 1);
  // A directory function's version freezes a copy of the directory, as a published zip is immutable.
  let code = fn.latest.code;
  if (code.kind === 'directory') {
    if (snapshot?.from !== code.path) throw updateInProgress(ctx, fn.name); // the code changed while it was copied
    code = snapshot.location;
  }
  const v: VersionConfig = {
    ...fn.latest,
    Version: version,
    Description: opts.Description ?? fn.latest.Description,
    LastModified: lastModified(ctx.now()),
    RevisionId: randomUUID(),
    code,
  };
  await tx.put('functionversions', versionKey(fn.name, version), v);
  await tx.put('functions', fn.name, { ...fn, lastVersion: fn.lastVersion + 1 });
  return v;
}

/** Lambda's answer when a function changes while an operation on it is under way. */
const updateInProgress = (ctx: OperationContext, name: string) =>
  new ResourceConflictException(`The operation cannot be performed at this time. An update is in progress for resource: ${functionArn(ctx.region, ctx.accountId, name)}`);

const aliasArn = (ctx: OperationContext, name: string, alias: string) => functionArn(ctx.region, ctx.accountId, name, alias);

function renderAlias(ctx: OperationContext, name: string, a: AliasRecord) {
  return {
    AliasArn: aliasArn(ctx, name, a.Name),
    Name: a.Name,
    FunctionVersion: a.FunctionVersion,
    Description: a.Description,
    ...(a.RoutingConfig ? { RoutingConfig: a.RoutingConfig } : {}),
    RevisionId: a.RevisionId,
  };
}

async function requireFunction(tx: Tx, ctx: OperationContext, name: string): Promise<FunctionRecord> {
  const fn = await getFunction(tx, name);
  if (!fn) throw notFound(ctx, name);
  return fn;
}

async function checkAliasTarget(tx: Tx, ctx: OperationContext, fn: FunctionRecord, version: string, routing: AliasRecord['RoutingConfig']): Promise<void> {
  const exists = async (v: string) => v === LATEST || (isVersionNumber(v) && (await getVersion(tx, fn.name, v)) !== undefined);
  if (!(await exists(version))) throw notFound(ctx, fn.name, version);
  const extra = Object.keys(routing?.AdditionalVersionWeights ?? {});
  if (!extra.length) return;
  if (extra.length > 1) throw new InvalidParameterValueException('Number of items in AdditionalVersionWeights cannot be greater than 1');
  if (version === LATEST || extra.includes(LATEST)) {
    throw new InvalidParameterValueException('$LATEST is not supported for an alias pointing to more than 1 version');
  }
  for (const v of extra) {
    if (v === version) throw new InvalidParameterValueException(`Invalid function version ${v}. Function version ${v} is already included in routing configuration.`);
    if (!(await exists(v))) throw notFound(ctx, fn.name, v);
  }
}

export const versionHandlers: HandlerTable = {
  async PublishVersion(input, ctx) {
    const name = parseUnqualifiedName(input.FunctionName, ctx.region, ctx.accountId);
    const svc = functions(ctx);
    if (input.PublishTo) throw new InvalidParameterValueException("PublishTo is not supported by Gatehouse's embedded Lambda.");
    // Checked before a directory is copied, and again in the transaction.
    const current = await ctx.db.read((tx) => requireFunction(tx, ctx, name));
    checkRevision(input.RevisionId, current.latest.RevisionId);
    return withSnapshot(svc, ctx, name, current.latest.code, true, (snapshot) =>
      ctx.db.write(async (tx) => {
        const fn = await requireFunction(tx, ctx, name);
        const v = await publishVersion(tx, ctx, fn, input, snapshot);
        if (snapshot && v.code !== snapshot.location) svc.code.removeCode(snapshot.location);
        return renderConfiguration(ctx.region, ctx.accountId, fn, v, true);
      }),
    );
  },

  async ListVersionsByFunction(input, ctx) {
    const name = parseUnqualifiedName(input.FunctionName, ctx.region, ctx.accountId);
    const items = await ctx.db.read(async (tx) => {
      const fn = await requireFunction(tx, ctx, name);
      return [fn.latest, ...(await listVersions(tx, name))].map((v) => renderConfiguration(ctx.region, ctx.accountId, fn, v, true));
    });
    const p = page(items, input.Marker, input.MaxItems);
    return { Versions: p.items, NextMarker: p.next };
  },

  async CreateAlias(input, ctx) {
    const name = parseUnqualifiedName(input.FunctionName, ctx.region, ctx.accountId);
    return ctx.db.write(async (tx) => {
      const fn = await requireFunction(tx, ctx, name);
      if (await getAlias(tx, name, input.Name)) throw new ResourceConflictException(`Alias already exists: ${aliasArn(ctx, name, input.Name)}`);
      await checkAliasTarget(tx, ctx, fn, input.FunctionVersion, input.RoutingConfig);
      const alias: AliasRecord = {
        Name: input.Name,
        FunctionVersion: input.FunctionVersion,
        Description: input.Description ?? '',
        ...(input.RoutingConfig?.AdditionalVersionWeights ? { RoutingConfig: { AdditionalVersionWeights: input.RoutingConfig.AdditionalVersionWeights } } : {}),
        RevisionId: randomUUID(),
      };
      await tx.put('aliases', `${name}/${alias.Name}`, alias);
      return renderAlias(ctx, name, alias);
    });
  },

  async GetAlias(input, ctx) {
    const name = parseUnqualifiedName(input.FunctionName, ctx.region, ctx.accountId);
    return ctx.db.read(async (tx) => {
      await requireFunction(tx, ctx, name);
      const alias = await getAlias(tx, name, input.Name);
      if (!alias) throw new ResourceNotFoundException(`Cannot find alias arn: ${aliasArn(ctx, name, input.Name)}`);
      return renderAlias(ctx, name, alias);
    });
  },

  async UpdateAlias(input, ctx) {
    const name = parseUnqualifiedName(input.FunctionName, ctx.region, ctx.accountId);
    const result = await ctx.db.write(async (tx) => {
      const fn = await requireFunction(tx, ctx, name);
      const alias = await getAlias(tx, name, input.Name);
      if (!alias) throw new ResourceNotFoundException(`Cannot find alias arn: ${aliasArn(ctx, name, input.Name)}`);
      checkRevision(input.RevisionId, alias.RevisionId);
      const next: AliasRecord = { ...alias, RevisionId: randomUUID() };
      if (input.FunctionVersion !== undefined) next.FunctionVersion = input.FunctionVersion;
      if (input.Description !== undefined) next.Description = input.Description;
      if (input.RoutingConfig !== undefined) {
        const w = input.RoutingConfig.AdditionalVersionWeights;
        if (w && Object.keys(w).length) next.RoutingConfig = { AdditionalVersionWeights: w };
        else delete next.RoutingConfig;
      }
      await checkAliasTarget(tx, ctx, fn, next.FunctionVersion, next.RoutingConfig);
      await tx.put('aliases', `${name}/${next.Name}`, next);
      return renderAlias(ctx, name, next);
    });
    return result;
  },

  async DeleteAlias(input, ctx) {
    const name = parseUnqualifiedName(input.FunctionName, ctx.region, ctx.accountId);
    await ctx.db.write(async (tx) => {
      await requireFunction(tx, ctx, name);
      await tx.delete('aliases', `${name}/${input.Name}`);
      await tx.delete('policies', `${name}/${input.Name}`);
    });
  },

  async ListAliases(input, ctx) {
    const name = parseUnqualifiedName(input.FunctionName, ctx.region, ctx.accountId);
    const items = await ctx.db.read(async (tx) => {
      await requireFunction(tx, ctx, name);
      return (await listAliases(tx, name))
        .filter((a) => input.FunctionVersion === undefined || a.FunctionVersion === input.FunctionVersion)
        .map((a) => renderAlias(ctx, name, a));
    });
    const p = page(items, input.Marker, input.MaxItems);
    return { Aliases: p.items, NextMarker: p.next };
  },
};

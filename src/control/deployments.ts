// Deployments: immutable snapshots of a REST API. CreateDeployment freezes the API (deployments-snapshot.ts) and,
// with `stageName`, creates that stage or points it at the new deployment (or, with canarySettings, makes the new
// deployment the stage's canary).
import { BadRequestException } from '../aws/errors.ts';
import type { HandlerTable, OperationContext, OperationInput } from '../aws/operation.ts';
import type { Stage, StoredDeployment } from '../store/entities.ts';
import { requireRestApi } from './common.ts';
import { newId } from './ids.ts';
import { paginate } from './pagination.ts';
import { invalidPatchPath, parsePatchOperations } from './patch.ts';
import { apiSummaryOf, freezeRestApi } from './deployments-snapshot.ts';
import { buildStage } from './stages.ts';
import { cacheClusterChanged } from '../cache/cluster-status.ts';
import { flushStageCacheData } from './stage-cache.ts';
import { completeCanary, DEFAULT_CACHE_SIZE, requireDeployment, validateCacheClusterSize, validatePercentTraffic, validateStageName, validateVariables } from './stages-validation.ts';


/** The Deployment shape Get/Create return; apiSummary only when asked for (embed=apisummary). */
function deploymentOutput(d: StoredDeployment, withSummary: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { id: d.id, createdDate: new Date(d.createdDate) };
  if (d.description !== undefined) out.description = d.description;
  if (withSummary) out.apiSummary = d.apiSummary;
  return out;
}

async function CreateDeployment(input: OperationInput, ctx: OperationContext) {
  const apiId: string = input.restApiId;
  const stageName: string | undefined = input.stageName === '' ? undefined : input.stageName;
  let cacheDataGone = false;
  const out = await ctx.db.write(async (tx) => {
    const api = await requireRestApi(tx, ctx, apiId);
    if (stageName !== undefined) validateStageName(stageName);
    validateVariables(input.variables);
    validateCacheClusterSize(input.cacheClusterSize);
    const existing = stageName !== undefined ? await tx.get<Stage>('stages', `${apiId}/${stageName}`) : undefined;
    if (input.canarySettings) {
      // Texts as AWS returns them for a canary release without a (created) stage.
      if (stageName === undefined) {
        throw new BadRequestException(
          `Invalid deployment content specified.Non null and non empty stageName must be provided for canary deployment. Provided value is ${input.stageName ?? 'null'}`,
        );
      }
      if (!existing) {
        throw new BadRequestException(
          `Invalid deployment content specified.Stage ${stageName} must already be created before making a canary release deployment`,
        );
      }
      if (input.canarySettings.percentTraffic !== undefined) validatePercentTraffic(input.canarySettings.percentTraffic);
      validateVariables(input.canarySettings.stageVariableOverrides);
    }

    const snapshot = await freezeRestApi(tx, api);
    const now = ctx.now().getTime();
    const deployment: StoredDeployment = { id: newId(6), createdDate: now, apiSummary: apiSummaryOf(snapshot), snapshot };
    if (input.description !== undefined) deployment.description = input.description;
    await tx.put('deployments', `${apiId}/${deployment.id}`, deployment);

    if (stageName !== undefined) {
      let stage: Stage;
      if (!existing) {
        stage = buildStage(
          {
            stageName,
            deploymentId: deployment.id,
            description: input.stageDescription,
            cacheClusterEnabled: input.cacheClusterEnabled,
            cacheClusterSize: input.cacheClusterSize,
            variables: input.variables,
            tracingEnabled: input.tracingEnabled,
          },
          now,
        );
      } else {
        stage = structuredClone(existing);
        if (input.canarySettings) {
          stage.canarySettings = completeCanary({ ...input.canarySettings, deploymentId: deployment.id }, deployment.id);
        } else {
          stage.deploymentId = deployment.id;
          // A plain deployment to a stage ends any canary release on it (AWS behaviour).
          delete stage.canarySettings;
        }
        if (input.stageDescription !== undefined) {
          if (input.stageDescription === '') delete stage.description;
          else stage.description = input.stageDescription;
        }
        if (input.variables !== undefined) {
          if (Object.keys(input.variables).length) stage.variables = { ...input.variables };
          else delete stage.variables;
        }
        const was = { enabled: stage.cacheClusterEnabled === true, size: stage.cacheClusterSize };
        if (input.cacheClusterEnabled !== undefined) {
          stage.cacheClusterEnabled = input.cacheClusterEnabled;
          if (input.cacheClusterEnabled && !stage.cacheClusterSize) stage.cacheClusterSize = DEFAULT_CACHE_SIZE;
        }
        if (input.cacheClusterSize !== undefined) stage.cacheClusterSize = input.cacheClusterSize;
        if (input.tracingEnabled !== undefined) stage.tracingEnabled = input.tracingEnabled;
        cacheDataGone = cacheClusterChanged(stage, was, stage.cacheClusterSize, now);
        stage.lastUpdatedDate = now;
      }
      await tx.put('stages', `${apiId}/${stageName}`, stage);
    }
    return deploymentOutput(deployment, false);
  });
  // A new deployment keeps the stage's cached responses (AWS flushes only on FlushStageCache or when the cache is
  // disabled or resized: users flush after deploying when they need to); entries are keyed by method, cacheNamespace
  // and key parameters, not by deployment.
  if (cacheDataGone && stageName !== undefined) await flushStageCacheData(ctx, apiId, stageName);
  return out;
}

async function GetDeployment(input: OperationInput, ctx: OperationContext) {
  return ctx.db.read(async (tx) => {
    await requireRestApi(tx, ctx, input.restApiId);
    const d = await requireDeployment(tx, input.restApiId, input.deploymentId);
    const embed: string[] = input.embed ?? [];
    return deploymentOutput(d, embed.some((e) => e.toLowerCase() === 'apisummary'));
  });
}

async function GetDeployments(input: OperationInput, ctx: OperationContext) {
  return ctx.db.read(async (tx) => {
    await requireRestApi(tx, ctx, input.restApiId);
    const all = (await tx.list<StoredDeployment>('deployments', `${input.restApiId}/`))
      .map((e) => e.value)
      .sort((a, b) => a.createdDate - b.createdDate || (a.id < b.id ? -1 : 1));
    const page = paginate(all, input);
    return { items: page.items.map((d) => deploymentOutput(d, false)), position: page.position };
  });
}

async function UpdateDeployment(input: OperationInput, ctx: OperationContext) {
  const ops = parsePatchOperations(input.patchOperations);
  return ctx.db.write(async (tx) => {
    await requireRestApi(tx, ctx, input.restApiId);
    const d = await requireDeployment(tx, input.restApiId, input.deploymentId);
    for (const p of ops) {
      if (p.path !== '/description') throw invalidPatchPath(p, ['/description']);
      if (p.op !== 'replace') throw invalidPatchPath(p, ['/description']);
      if (p.value === undefined || p.value === '') delete d.description;
      else d.description = p.value;
    }
    await tx.put('deployments', `${input.restApiId}/${d.id}`, d);
    return deploymentOutput(d, false);
  });
}

async function DeleteDeployment(input: OperationInput, ctx: OperationContext) {
  await ctx.db.write(async (tx) => {
    await requireRestApi(tx, ctx, input.restApiId);
    await requireDeployment(tx, input.restApiId, input.deploymentId);
    const stages = await tx.list<Stage>('stages', `${input.restApiId}/`);
    if (stages.some((s) => s.value.deploymentId === input.deploymentId || s.value.canarySettings?.deploymentId === input.deploymentId)) {
      throw new BadRequestException('Active stages pointing to this deployment must be moved or deleted');
    }
    await tx.delete('deployments', `${input.restApiId}/${input.deploymentId}`);
  });
}

export const handlers: HandlerTable = { CreateDeployment, GetDeployment, GetDeployments, UpdateDeployment, DeleteDeployment };


// Stages: a named, addressable pointer to a deployment plus the settings AWS applies without redeploying
// (variables, method settings, cache, tracing, access logs, canary). Stored in the shape GetStage returns.
import { BadRequestException, ConflictException, NotFoundException } from '../aws/errors.ts';
import type { HandlerTable, OperationContext, OperationInput } from '../aws/operation.ts';
import type { Tx } from '../store/store.ts';
import type { Stage } from '../store/entities.ts';
import { requireRestApi, validateTags, withDates } from './common.ts';
import { booleanValue, numberValue, parsePatchOperations, requireValue, type ParsedPatch } from './patch.ts';
import { applyMethodSettingPatch, invalidStagePath } from './stages-method-settings.ts';
import { assertRestApiUnmapped, assertStageUnmapped } from './base-path-mappings.ts';
import { detachFromUsagePlans } from './usage-plans.ts';
import { cacheClusterChanged, cacheClusterStatusAt, initialCacheStatus } from '../cache/cluster-status.ts';
import { flushStageCacheData } from './stage-cache.ts';
import {
  completeCanary,
  DEFAULT_CACHE_SIZE,
  validateCacheClusterSize,
  requireStage,
  validatePercentTraffic,
  validateStageName,
  validateVariable,
  validateVariables,
} from './stages-validation.ts';


/**
 * GetStage's output for a stored stage. AWS always shows `methodSettings`, as `{}` when the stage has none (recorded
 * on AWS: localstack tests/aws/services/apigateway/test_apigateway_common.snapshot.json, TestStages and
 * TestDeployments, and test_apigateway_api.snapshot.json, test_get_stages_filters_by_deployment_id).
 */
export function stageOutput(stage: Stage, now: number): Record<string, unknown> {
  const { cacheClusterTransitionEnds: _ends, ...shown } = stage;
  shown.cacheClusterStatus = cacheClusterStatusAt(stage, now);
  return { ...(withDates(shown) as unknown as Record<string, unknown>), methodSettings: stage.methodSettings ?? {} };
}

export interface NewStage {
  stageName: string;
  deploymentId: string;
  description?: string;
  cacheClusterEnabled?: boolean;
  cacheClusterSize?: string;
  variables?: Record<string, string>;
  documentationVersion?: string;
  canarySettings?: Stage['canarySettings'];
  tracingEnabled?: boolean;
  tags?: Record<string, string>;
}

/** Builds a new stage record with AWS's defaults (cache off and NOT_AVAILABLE, tracing off). */
export function buildStage(s: NewStage, now: number): Stage {
  const stage: Stage = {
    deploymentId: s.deploymentId,
    stageName: s.stageName,
    cacheClusterEnabled: s.cacheClusterEnabled ?? false,
    tracingEnabled: s.tracingEnabled ?? false,
    createdDate: now,
    lastUpdatedDate: now,
  };
  if (s.description !== undefined && s.description !== '') stage.description = s.description;
  if (s.cacheClusterSize !== undefined) stage.cacheClusterSize = s.cacheClusterSize;
  else if (stage.cacheClusterEnabled) stage.cacheClusterSize = DEFAULT_CACHE_SIZE;
  initialCacheStatus(stage, now);
  if (s.variables && Object.keys(s.variables).length) stage.variables = { ...s.variables };
  if (s.documentationVersion !== undefined) stage.documentationVersion = s.documentationVersion;
  if (s.canarySettings) stage.canarySettings = completeCanary(s.canarySettings, s.deploymentId);
  if (s.tags && Object.keys(s.tags).length) stage.tags = { ...s.tags };
  return stage;
}

async function requireDocumentationVersion(tx: Tx, apiId: string, version: string): Promise<void> {
  if (!(await tx.get('documentationversions', `${apiId}/${version}`))) {
    throw new NotFoundException(`Documentation version not found: ${version}`);
  }
}

async function CreateStage(input: OperationInput, ctx: OperationContext) {
  const apiId: string = input.restApiId;
  return ctx.db.write(async (tx) => {
    await requireRestApi(tx, ctx, apiId);
    validateStageName(input.stageName);
    validateVariables(input.variables);
    validateTags(input.tags);
    validateCacheClusterSize(input.cacheClusterSize);
    if (await tx.get('stages', `${apiId}/${input.stageName}`)) throw new ConflictException('Stage already exists');
    // AWS: BadRequestException "Deployment id does not exist" (as Terraform users report it, aws/chalice#1839).
    if (!(await tx.get('deployments', `${apiId}/${input.deploymentId}`))) throw new BadRequestException('Deployment id does not exist');
    if (input.documentationVersion !== undefined) await requireDocumentationVersion(tx, apiId, input.documentationVersion);
    if (input.canarySettings) {
      const c = input.canarySettings;
      if (c.deploymentId !== undefined && !(await tx.get('deployments', `${apiId}/${c.deploymentId}`))) {
        throw new BadRequestException('Deployment id does not exist');
      }
      if (c.percentTraffic !== undefined) validatePercentTraffic(c.percentTraffic);
      validateVariables(c.stageVariableOverrides);
    }
    const stage = buildStage(
      {
        stageName: input.stageName,
        deploymentId: input.deploymentId,
        description: input.description,
        cacheClusterEnabled: input.cacheClusterEnabled,
        cacheClusterSize: input.cacheClusterSize,
        variables: input.variables,
        documentationVersion: input.documentationVersion,
        canarySettings: input.canarySettings,
        tracingEnabled: input.tracingEnabled,
        tags: input.tags,
      },
      ctx.now().getTime(),
    );
    await tx.put('stages', `${apiId}/${stage.stageName}`, stage);
    return stageOutput(stage, ctx.now().getTime());
  });
}

async function GetStage(input: OperationInput, ctx: OperationContext) {
  return ctx.db.read(async (tx) => {
    await requireRestApi(tx, ctx, input.restApiId);
    return stageOutput(await requireStage(tx, input.restApiId, input.stageName), ctx.now().getTime());
  });
}

async function GetStages(input: OperationInput, ctx: OperationContext) {
  return ctx.db.read(async (tx) => {
    await requireRestApi(tx, ctx, input.restApiId);
    const all = await tx.list<Stage>('stages', `${input.restApiId}/`);
    const item = all
      .map((e) => e.value)
      .filter((s) => input.deploymentId === undefined || s.deploymentId === input.deploymentId)
      .map((s) => stageOutput(s, ctx.now().getTime()));
    // GetStages is not paginated: the whole list comes back as `item`.
    return { item };
  });
}

async function DeleteStage(input: OperationInput, ctx: OperationContext) {
  await ctx.db.write(async (tx) => {
    await requireRestApi(tx, ctx, input.restApiId);
    await requireStage(tx, input.restApiId, input.stageName);
    await assertStageUnmapped(tx, input.restApiId, input.stageName);
    await tx.delete('stages', `${input.restApiId}/${input.stageName}`);
    await detachFromUsagePlans(tx, input.restApiId, input.stageName);
  });
  await flushStageCacheData(ctx, input.restApiId, input.stageName);
}

/**
 * What DeleteRestApi must settle outside the API's own collections before it deletes anything (restapis.ts calls it
 * inside its transaction): AWS refuses while base path mappings name the API, and otherwise the API's stages leave the
 * usage plans that list them, as a deleted stage does.
 */
export async function releaseRestApi(tx: Tx, restApiId: string): Promise<void> {
  await assertRestApiUnmapped(tx, restApiId);
  await detachFromUsagePlans(tx, restApiId);
}

// ---- UpdateStage ----

function applyVariablePatch(stage: Stage, p: ParsedPatch, name: string): void {
  const vars = { ...(stage.variables ?? {}) };
  if (p.op === 'remove') delete vars[name];
  else if (p.op === 'add' || p.op === 'replace') {
    const v = requireValue(p);
    validateVariable(name, v);
    vars[name] = v;
  } else throw invalidStagePath(p.path);
  if (Object.keys(vars).length) stage.variables = vars;
  else delete stage.variables;
}

async function applyCanaryPatch(tx: Tx, apiId: string, stage: Stage, p: ParsedPatch): Promise<void> {
  const [, field, sub] = p.segments;
  if (field === undefined) {
    // Recorded: replace /canarySettings answers the unknown-path text (update-stage-canary-settings-bad-path-2 in
    // localstack's test_apigateway_canary.snapshot.json, test_update_stage_canary_deployment_validation).
    if (p.op !== 'remove') throw invalidStagePath(p.path);
    delete stage.canarySettings;
    return;
  }
  if (p.op === 'remove' && field === 'stageVariableOverrides' && sub !== undefined) {
    const c = stage.canarySettings;
    if (c?.stageVariableOverrides) {
      delete c.stageVariableOverrides[sub];
      if (!Object.keys(c.stageVariableOverrides).length) delete c.stageVariableOverrides;
    }
    return;
  }
  // AWS removes a canary only as a whole and sets its members only with `replace`; the texts below are AWS's, trailing
  // space included (recorded: localstack tests/aws/services/apigateway/test_apigateway_canary.snapshot.json,
  // test_update_stage_canary_deployment_validation).
  if (p.op === 'remove') {
    throw new BadRequestException(`Cannot remove method setting ${p.path.slice(1)} because there is no method setting for this method `);
  }
  if (p.op === 'add') throw new BadRequestException(`Invalid add operation with path: ${p.path}`);
  if (p.op !== 'replace') throw invalidStagePath(p.path);
  const canary = completeCanary(stage.canarySettings ?? {}, stage.deploymentId);
  switch (field) {
    case 'percentTraffic': {
      if (sub !== undefined) throw invalidStagePath(p.path);
      const v = numberValue(p);
      validatePercentTraffic(v);
      canary.percentTraffic = v;
      break;
    }
    case 'deploymentId': {
      if (sub !== undefined) throw invalidStagePath(p.path);
      const id = requireValue(p);
      if (!(await tx.get('deployments', `${apiId}/${id}`))) throw new BadRequestException('Deployment id does not exist');
      canary.deploymentId = id;
      break;
    }
    case 'useStageCache':
      if (sub !== undefined) throw invalidStagePath(p.path);
      canary.useStageCache = booleanValue(p);
      break;
    case 'stageVariableOverrides': {
      if (sub === undefined) throw invalidStagePath(p.path);
      const v = requireValue(p);
      validateVariable(sub, v);
      canary.stageVariableOverrides = { ...(canary.stageVariableOverrides ?? {}), [sub]: v };
      break;
    }
    default:
      throw invalidStagePath(p.path);
  }
  stage.canarySettings = canary;
}

/** `copy` promotes a canary: from /canarySettings/deploymentId to /deploymentId, or its overrides to /variables. */
function applyCopy(stage: Stage, p: ParsedPatch): void {
  const valid =
    (p.path === '/deploymentId' && p.from === '/canarySettings/deploymentId') ||
    (p.path === '/variables' && p.from === '/canarySettings/stageVariableOverrides');
  if (!valid) {
    throw new BadRequestException(
      `Invalid copy operation with path: ${p.path} and from ${p.from ?? 'null'}. Valid copy:path are [/deploymentId, /variables] and valid copy:from are [/canarySettings/deploymentId, /canarySettings/stageVariableOverrides]`,
    );
  }
  const canary = stage.canarySettings;
  if (!canary) throw new BadRequestException('Promotion not available. Canary does not exist.');
  if (p.path === '/deploymentId') {
    stage.deploymentId = canary.deploymentId ?? stage.deploymentId;
  } else {
    const vars = { ...(stage.variables ?? {}), ...(canary.stageVariableOverrides ?? {}) };
    if (Object.keys(vars).length) stage.variables = vars;
  }
}

function requireReplace(p: ParsedPatch): void {
  if (p.op !== 'replace') throw new BadRequestException(`Invalid patch operation specified. Must be one of: [replace]`);
}

async function applyStagePatch(tx: Tx, apiId: string, stage: Stage, p: ParsedPatch): Promise<void> {
  if (p.op === 'copy') return applyCopy(stage, p);
  const [first, second] = p.segments;
  if (first === 'variables' && second !== undefined && p.segments.length === 2) return applyVariablePatch(stage, p, second);
  if (first === 'canarySettings' && p.segments.length <= 3) return applyCanaryPatch(tx, apiId, stage, p);
  if (first !== 'accessLogSettings') {
    const settings = { ...(stage.methodSettings ?? {}) };
    if (applyMethodSettingPatch(settings, p)) {
      if (Object.keys(settings).length) stage.methodSettings = settings;
      else delete stage.methodSettings;
      return;
    }
  }
  switch (p.path) {
    case '/description': {
      if (p.op === 'remove' || !p.value) delete stage.description;
      else {
        requireReplace(p);
        stage.description = p.value;
      }
      return;
    }
    case '/deploymentId': {
      requireReplace(p);
      const id = requireValue(p);
      if (!(await tx.get('deployments', `${apiId}/${id}`))) throw new BadRequestException('Deployment id does not exist');
      stage.deploymentId = id;
      return;
    }
    case '/cacheClusterEnabled': {
      requireReplace(p);
      stage.cacheClusterEnabled = booleanValue(p);
      if (stage.cacheClusterEnabled && !stage.cacheClusterSize) stage.cacheClusterSize = DEFAULT_CACHE_SIZE;
      return;
    }
    case '/cacheClusterSize': {
      requireReplace(p);
      const v = requireValue(p);
      validateCacheClusterSize(v);
      stage.cacheClusterSize = v;
      return;
    }
    case '/tracingEnabled':
      requireReplace(p);
      stage.tracingEnabled = booleanValue(p);
      return;
    case '/clientCertificateId': {
      if (p.op === 'remove' || !p.value) {
        delete stage.clientCertificateId;
        return;
      }
      requireReplace(p);
      if (!(await tx.get('clientcertificates', p.value))) throw new BadRequestException('Invalid client certificate identifier specified');
      stage.clientCertificateId = p.value;
      return;
    }
    case '/documentationVersion': {
      if (p.op === 'remove' || !p.value) {
        delete stage.documentationVersion;
        return;
      }
      requireReplace(p);
      await requireDocumentationVersion(tx, apiId, p.value);
      stage.documentationVersion = p.value;
      return;
    }
    case '/accessLogSettings':
      if (p.op !== 'remove') throw new BadRequestException(`Invalid patch operation specified. Must be one of: [remove]`);
      delete stage.accessLogSettings;
      return;
    case '/accessLogSettings/format':
    case '/accessLogSettings/destinationArn': {
      const field = p.segments[1] as 'format' | 'destinationArn';
      const als = { ...(stage.accessLogSettings ?? {}) };
      if (p.op === 'remove') delete als[field];
      else {
        requireReplace(p);
        const v = requireValue(p);
        if (field === 'destinationArn' && !/^arn:aws[a-z-]*:(logs|firehose):[a-z0-9-]+:\d{12}:.+/.test(v)) {
          throw new BadRequestException(`Invalid ARN specified in the request: ${v}`);
        }
        // Gatehouse delivers access logs to its own CloudWatch Logs groups; it has no Kinesis Data Firehose to send to.
        if (field === 'destinationArn' && /^arn:aws[a-z-]*:firehose:/.test(v)) {
          throw new BadRequestException(`Firehose access log destinations are not available in this version of Gatehouse (${v}): use a CloudWatch Logs log group ARN, arn:aws:logs:{region}:{account}:log-group:{name}`);
        }
        als[field] = v;
      }
      if (Object.keys(als).length) stage.accessLogSettings = als;
      else delete stage.accessLogSettings;
      return;
    }
    default:
      throw invalidStagePath(p.path);
  }
}

async function UpdateStage(input: OperationInput, ctx: OperationContext) {
  const apiId: string = input.restApiId;
  const ops = parsePatchOperations(input.patchOperations);
  let cacheDataGone = false;
  const out = await ctx.db.write(async (tx) => {
    await requireRestApi(tx, ctx, apiId);
    const stage = structuredClone(await requireStage(tx, apiId, input.stageName));
    const was = { enabled: stage.cacheClusterEnabled === true, size: stage.cacheClusterSize };
    for (const p of ops) await applyStagePatch(tx, apiId, stage, p);
    const now = ctx.now().getTime();
    cacheDataGone = cacheClusterChanged(stage, was, stage.cacheClusterSize, now);
    stage.lastUpdatedDate = now;
    await tx.put('stages', `${apiId}/${stage.stageName}`, stage);
    return stageOutput(stage, now);
  });
  // A cache disabled or resized loses its data (AWS deletes the cache instance).
  if (cacheDataGone) await flushStageCacheData(ctx, apiId, input.stageName);
  return out;
}

export const handlers: HandlerTable = { CreateStage, GetStage, GetStages, UpdateStage, DeleteStage };

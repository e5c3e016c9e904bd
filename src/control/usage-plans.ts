// Usage plans: which API stages a set of API keys may call, with what throttle (plan-wide and per method) and
// quota. Stored as GetUsagePlan returns them; the keys live in usage-plans-keys.ts.
import { type AwsError, BadRequestException, ConflictException, NotFoundException } from '../aws/errors.ts';
import type { HandlerTable, OperationContext, OperationInput } from '../aws/operation.ts';
import type { Tx } from '../store/store.ts';
import type { UsagePlan, UsagePlanKey } from '../store/entities.ts';
import { validateTags } from './common.ts';
import { newId } from './ids.ts';
import { paginate } from './pagination.ts';
import { integerValue, invalidPatchPath, numberValue, parsePatchOperations, requireValue, type ParsedPatch } from './patch.ts';
import { assertNoStageConflict, plansOfKey, requireUsagePlan, usagePlanKeyHandlers } from './usage-plans-keys.ts';
import {
  stageId,
  validateApiStage,
  validateApiStages,
  validateFineGrainThrottle,
  validateMethodThrottleKey,
  validateQuota,
  validateThrottle,
} from './usage-plans-validation.ts';

type ApiStage = NonNullable<UsagePlan['apiStages']>[number];

function planOutput(plan: UsagePlan): Record<string, unknown> {
  return structuredClone(plan) as unknown as Record<string, unknown>;
}

/** GetUsagePlan and UpdateUsagePlan always carry a tags map, empty when untagged (as localstack's AWS-validated
 *  provider reproduces them); CreateUsagePlan and GetUsagePlans omit it when empty. */
function planOutputWithTags(plan: UsagePlan): Record<string, unknown> {
  return { tags: {}, ...planOutput(plan) };
}

function copyApiStage(s: ApiStage): ApiStage {
  const out: ApiStage = { apiId: s.apiId, stage: s.stage };
  if (s.throttle && Object.keys(s.throttle).length) out.throttle = structuredClone(s.throttle);
  return out;
}

async function CreateUsagePlan(input: OperationInput, ctx: OperationContext) {
  return ctx.db.write(async (tx) => {
    const id = newId(6);
    const apiStages: ApiStage[] = (input.apiStages ?? []).map(copyApiStage);
    await validateApiStages(tx, apiStages);
    validateThrottle(input.throttle);
    validateQuota(input.quota);
    validateTags(input.tags);
    // AWS lists apiStages even when empty.
    const plan: UsagePlan = { id, name: input.name, apiStages };
    if (input.description !== undefined) plan.description = input.description;
    if (input.throttle) plan.throttle = { ...input.throttle };
    if (input.quota) plan.quota = { offset: 0, ...input.quota };
    if (input.tags && Object.keys(input.tags).length) plan.tags = { ...input.tags };
    validateFineGrainThrottle(plan);
    await tx.put('usageplans', id, plan);
    return planOutput(plan);
  });
}

async function GetUsagePlan(input: OperationInput, ctx: OperationContext) {
  return ctx.db.read(async (tx) => planOutputWithTags(await requireUsagePlan(tx, input.usagePlanId)));
}

async function GetUsagePlans(input: OperationInput, ctx: OperationContext) {
  return ctx.db.read(async (tx) => {
    let plans = (await tx.list<UsagePlan>('usageplans')).map((e) => e.value);
    if (input.keyId !== undefined) {
      const ids = new Set(await plansOfKey(tx, input.keyId));
      plans = plans.filter((p) => ids.has(p.id));
    }
    plans.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || (a.id < b.id ? -1 : 1));
    const page = paginate(plans, input);
    return { items: page.items.map(planOutput), position: page.position };
  });
}

async function DeleteUsagePlan(input: OperationInput, ctx: OperationContext) {
  await ctx.db.write(async (tx) => {
    const plan = await requireUsagePlan(tx, input.usagePlanId);
    // AWS refuses while API stages remain (text as quoted in aws/aws-sdk-js#3841).
    const first = plan.apiStages?.[0];
    if (first) {
      throw new BadRequestException(
        `Cannot delete Usage Plan ${plan.id} because there are API Stages associated with it, including ${first.apiId}:${first.stage}`,
      );
    }
    await tx.deletePrefix('usageplankeys', `${input.usagePlanId}/`);
    await tx.delete('usageplans', input.usagePlanId);
  });
}

/**
 * Takes a stage (or, without `stageName`, every stage of the API) out of every usage plan. AWS does this when a stage
 * goes away: deleting a stage disconnects it from its usage plans (Terraform maintainers' account of AWS behaviour,
 * hashicorp/terraform-provider-aws#14100), so no plan is left naming a stage that no longer exists.
 */
export async function detachFromUsagePlans(tx: Tx, apiId: string, stageName?: string): Promise<void> {
  for (const { key, value: plan } of await tx.list<UsagePlan>('usageplans')) {
    const stages = plan.apiStages ?? [];
    const kept = stages.filter((s) => !(s.apiId === apiId && (stageName === undefined || s.stage === stageName)));
    if (kept.length !== stages.length) await tx.put('usageplans', key, { ...plan, apiStages: kept });
  }
}

// ---- UpdateUsagePlan ----

// The paths each op accepts. The remove list is AWS's own text (boto/boto3#2629, "apidId" included); add and replace
// follow the UpdateUsagePlan patch table of the API reference.
const STAGE = '/apiStages/<apidId:stageName>';
const OP_PATHS: Record<string, string[]> = {
  remove: ['/apiStages', '/quota', '/throttle', '/productCode', `${STAGE}/throttle/<resourcePath>/<httpMethod>`, `${STAGE}/throttle`],
  add: ['/apiStages', `${STAGE}/throttle/<resourcePath>/<httpMethod>/burstLimit`, `${STAGE}/throttle/<resourcePath>/<httpMethod>/rateLimit`],
  replace: [
    '/name', '/description', '/productCode', '/quota/limit', '/quota/offset', '/quota/period', '/throttle/burstLimit', '/throttle/rateLimit',
    `${STAGE}/throttle/<resourcePath>/<httpMethod>/burstLimit`, `${STAGE}/throttle/<resourcePath>/<httpMethod>/rateLimit`,
  ],
};

function invalidPlanPath(p: ParsedPatch): AwsError {
  return invalidPatchPath(p, OP_PATHS[p.op] ?? OP_PATHS.replace);
}

function requireOp(p: ParsedPatch, ...ops: string[]): void {
  if (!ops.includes(p.op)) throw invalidPlanPath(p);
}

async function patchWholeApiStage(tx: Tx, plan: UsagePlan, p: ParsedPatch): Promise<void> {
  requireOp(p, 'add', 'remove');
  const stages = plan.apiStages ?? [];
  // The stage is named by the value, `{apiId}:{stage}`.
  const value = p.value ?? '';
  const [apiId, stage, extra] = value.split(':');
  if (!apiId || !stage || extra !== undefined) throw new BadRequestException('Invalid API Stage specified');
  if (p.op === 'add') {
    if (stages.some((x) => stageId(x) === value)) throw new ConflictException(`API Stage ${value} already exists in usage plan ${plan.id}`);
    const s: ApiStage = { apiId, stage };
    await validateApiStage(tx, s);
    const prospective = new Set([...stages.map(stageId), value]);
    for (const e of await tx.list<UsagePlanKey>('usageplankeys', `${plan.id}/`)) await assertNoStageConflict(tx, plan, e.value.id, prospective);
    plan.apiStages = [...stages, s];
    return;
  }
  // Text and type as recorded against AWS by localstack's tests.
  if (!stages.some((x) => stageId(x) === value)) {
    throw new NotFoundException(`Invalid API Stage {api: ${apiId}, stage: ${stage}} specified for usageplan ${plan.id}`);
  }
  plan.apiStages = stages.filter((x) => stageId(x) !== value);
}

/** /apiStages/{apiId:stage}/throttle[/{resourcePath}/{httpMethod}[/burstLimit|rateLimit]] */
function patchStageThrottle(plan: UsagePlan, p: ParsedPatch): void {
  const [, id, throttleWord, ...rest] = p.segments;
  if (throttleWord !== 'throttle') throw invalidPlanPath(p);
  const last = rest[rest.length - 1];
  const field = last === 'burstLimit' || last === 'rateLimit' ? last : undefined;
  const keyParts = field ? rest.slice(0, -1) : rest;
  if (rest.length === 0 || !field) requireOp(p, 'remove');
  else requireOp(p, 'add', 'replace');
  if (rest.length > 0 && keyParts.length < 2) throw invalidPlanPath(p);
  const target = (plan.apiStages ?? []).find((x) => stageId(x) === id);
  if (!target) {
    const [apiId, stage] = id!.split(':');
    throw new NotFoundException(`Invalid API Stage {api: ${apiId ?? 'null'}, stage: ${stage ?? 'null'}} specified for usageplan ${plan.id}`);
  }
  if (rest.length === 0) {
    delete target.throttle;
    return;
  }
  // The resource path arrives JSON-pointer encoded (`~1pets`) or as plain segments; the key is `/pets/GET`.
  const verb = keyParts[keyParts.length - 1]!;
  let resourcePath = keyParts.slice(0, -1).join('/');
  if (!resourcePath.startsWith('/')) resourcePath = `/${resourcePath}`;
  const key = `${resourcePath}/${verb}`;
  validateMethodThrottleKey(key);
  const throttle = { ...(target.throttle ?? {}) };
  if (!field) delete throttle[key];
  else {
    const t = { ...(throttle[key] ?? {}) };
    t[field] = field === 'burstLimit' ? integerValue(p) : numberValue(p);
    validateThrottle(t, `method ${key}`);
    throttle[key] = t;
  }
  if (Object.keys(throttle).length) target.throttle = throttle;
  else delete target.throttle;
}

async function applyPlanPatch(tx: Tx, plan: UsagePlan, p: ParsedPatch): Promise<void> {
  const [first, second] = p.segments;
  const depth = p.segments.length;
  if (first === 'apiStages') return depth === 1 ? patchWholeApiStage(tx, plan, p) : patchStageThrottle(plan, p);
  if ((first === 'throttle' || first === 'quota') && depth === 1) {
    requireOp(p, 'remove');
    delete plan[first];
    return;
  }
  if (first === 'throttle' && depth === 2 && (second === 'burstLimit' || second === 'rateLimit')) {
    requireOp(p, 'replace');
    const t = { ...(plan.throttle ?? {}) };
    t[second] = second === 'burstLimit' ? integerValue(p) : numberValue(p);
    validateThrottle(t);
    plan.throttle = t;
    return;
  }
  if (first === 'quota' && depth === 2 && (second === 'limit' || second === 'offset' || second === 'period')) {
    requireOp(p, 'replace');
    const q = { ...(plan.quota ?? {}) };
    if (second === 'period') q.period = requireValue(p);
    else q[second] = integerValue(p);
    plan.quota = q;
    return;
  }
  if (p.path === '/name') {
    requireOp(p, 'replace');
    const v = requireValue(p);
    if (!v) throw new BadRequestException('Usage plan name must be non-empty');
    plan.name = v;
    return;
  }
  if (p.path === '/description' || p.path === '/productCode') {
    const field = p.path === '/description' ? 'description' : 'productCode';
    requireOp(p, 'replace', ...(field === 'productCode' ? ['remove'] : []));
    if (p.op === 'remove' || !p.value) delete plan[field];
    else plan[field] = p.value;
    return;
  }
  throw invalidPlanPath(p);
}

async function UpdateUsagePlan(input: OperationInput, ctx: OperationContext) {
  const ops = parsePatchOperations(input.patchOperations);
  return ctx.db.write(async (tx) => {
    const plan = structuredClone(await requireUsagePlan(tx, input.usagePlanId));
    for (const p of ops) await applyPlanPatch(tx, plan, p);
    // A quota patched piecewise is validated once complete.
    if (plan.quota) {
      plan.quota = { offset: 0, ...plan.quota };
      validateQuota(plan.quota);
    }
    validateFineGrainThrottle(plan);
    await tx.put('usageplans', plan.id, plan);
    return planOutputWithTags(plan);
  });
}

export const handlers: HandlerTable = {
  CreateUsagePlan,
  GetUsagePlan,
  GetUsagePlans,
  UpdateUsagePlan,
  DeleteUsagePlan,
  ...usagePlanKeyHandlers,
};

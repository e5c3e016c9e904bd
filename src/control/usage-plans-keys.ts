// UsagePlanKeys: API keys attached to a usage plan. A key may belong to several plans, but never to two plans that
// cover the same API stage (AWS rejects the second association), so the data plane always finds at most one plan
// per (key, API stage).
import { BadRequestException, ConflictException, NotFoundException } from '../aws/errors.ts';
import type { HandlerTable, OperationContext, OperationInput } from '../aws/operation.ts';
import type { Tx } from '../store/store.ts';
import type { ApiKey, UsagePlan, UsagePlanKey } from '../store/entities.ts';
import { requireApiKey } from './api-keys-lookup.ts';
import { paginate } from './pagination.ts';

export async function requireUsagePlan(tx: Tx, planId: string): Promise<UsagePlan> {
  const plan = await tx.get<UsagePlan>('usageplans', planId);
  if (!plan) throw new NotFoundException('Invalid Usage Plan ID specified');
  return plan;
}

export function usagePlanKeyOf(key: ApiKey): UsagePlanKey {
  const out: UsagePlanKey = { id: key.id, type: 'API_KEY', value: key.value };
  if (key.name !== undefined) out.name = key.name;
  return out;
}

/** Ids of the plans `keyId` belongs to. */
export async function plansOfKey(tx: Tx, keyId: string): Promise<string[]> {
  const all = await tx.list<UsagePlanKey>('usageplankeys');
  return all.filter((e) => e.key.endsWith(`/${keyId}`)).map((e) => e.key.slice(0, e.key.length - keyId.length - 1));
}

const stageIds = (plan: UsagePlan) => new Set((plan.apiStages ?? []).map((s) => `${s.apiId}:${s.stage}`));

/**
 * Throws AWS's error when `keyId` is already in another plan sharing an API stage with `plan` (stage ids
 * `apiId:stage`; pass `stages` to check a plan's prospective stages instead of its current ones).
 */
export async function assertNoStageConflict(tx: Tx, plan: UsagePlan, keyId: string, stages = stageIds(plan)): Promise<void> {
  for (const otherId of await plansOfKey(tx, keyId)) {
    if (otherId === plan.id) continue;
    const other = await tx.get<UsagePlan>('usageplans', otherId);
    if (!other) continue;
    for (const s of stageIds(other)) {
      if (stages.has(s)) {
        throw new BadRequestException(
          `Usage Plan ${plan.id} cannot be added because API Key ${keyId} cannot reference multiple Usage Plans with the same API Stage: ${s}`,
        );
      }
    }
  }
}

/** Adds `key` to `plan` with the checks CreateUsagePlanKey makes (also used by ImportApiKeys' UsagePlanIds). */
export async function addUsagePlanKey(tx: Tx, plan: UsagePlan, key: ApiKey): Promise<UsagePlanKey> {
  if (await tx.get('usageplankeys', `${plan.id}/${key.id}`)) throw new ConflictException('Usage Plan Key already exists');
  await assertNoStageConflict(tx, plan, key.id);
  const upk = usagePlanKeyOf(key);
  await tx.put('usageplankeys', `${plan.id}/${key.id}`, upk);
  return upk;
}

async function CreateUsagePlanKey(input: OperationInput, ctx: OperationContext) {
  return ctx.db.write(async (tx) => {
    const plan = await requireUsagePlan(tx, input.usagePlanId);
    if (input.keyType !== 'API_KEY') throw new BadRequestException(`Invalid key type specified: ${input.keyType}. Must be one of: [API_KEY]`);
    const key = await requireApiKey(tx, input.keyId);
    return { ...(await addUsagePlanKey(tx, plan, key)) };
  });
}

async function requireUsagePlanKey(tx: Tx, planId: string, keyId: string): Promise<UsagePlanKey> {
  const upk = await tx.get<UsagePlanKey>('usageplankeys', `${planId}/${keyId}`);
  if (!upk) throw new NotFoundException('Invalid Usage Plan Key identifier specified');
  // Name and value follow the API key (they can change through UpdateApiKey).
  const key = await tx.get<ApiKey>('apikeys', keyId);
  return key ? usagePlanKeyOf(key) : upk;
}

async function GetUsagePlanKey(input: OperationInput, ctx: OperationContext) {
  return ctx.db.read(async (tx) => {
    await requireUsagePlan(tx, input.usagePlanId);
    return { ...(await requireUsagePlanKey(tx, input.usagePlanId, input.keyId)) };
  });
}

async function GetUsagePlanKeys(input: OperationInput, ctx: OperationContext) {
  return ctx.db.read(async (tx) => {
    // An unknown plan has no keys: AWS answers an empty list, not 404 (recorded: get-up-keys-bad-usage-plan in
    // LocalStack's AWS-validated test_apigateway_extended.snapshot.json, test_get_usage_plan_api_keys).
    const entries = await tx.list<UsagePlanKey>('usageplankeys', `${input.usagePlanId}/`);
    const keys: UsagePlanKey[] = [];
    for (const e of entries) {
      const key = await tx.get<ApiKey>('apikeys', e.value.id);
      keys.push(key ? usagePlanKeyOf(key) : e.value);
    }
    const nameQuery: string | undefined = input.nameQuery;
    const filtered = keys
      .filter((k) => nameQuery === undefined || (k.name ?? '').startsWith(nameQuery))
      .sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || (a.id < b.id ? -1 : 1));
    const page = paginate(filtered, input);
    return { items: page.items, position: page.position };
  });
}

async function DeleteUsagePlanKey(input: OperationInput, ctx: OperationContext) {
  await ctx.db.write(async (tx) => {
    await requireUsagePlan(tx, input.usagePlanId);
    if (!(await tx.delete('usageplankeys', `${input.usagePlanId}/${input.keyId}`))) {
      throw new NotFoundException('Invalid Usage Plan Key identifier specified');
    }
  });
}

export const usagePlanKeyHandlers: HandlerTable = { CreateUsagePlanKey, GetUsagePlanKey, GetUsagePlanKeys, DeleteUsagePlanKey };

// API keys: account-wide (per region) secrets that clients send as `x-api-key`. A generated value is 40
// characters; a given one must be 20..128 characters and unique (an empty one means "generate"). Disabled unless
// created with enabled=true. An empty name is no name (recorded: create-api-key-empty-name answers without `name`).
import { BadRequestException, ConflictException } from '../aws/errors.ts';
import type { HandlerTable, OperationContext, OperationInput } from '../aws/operation.ts';
import type { Tx } from '../store/store.ts';
import type { ApiKey, UsagePlanKey } from '../store/entities.ts';
import { validateTags } from './common.ts';
import { newApiKeyValue, newId } from './ids.ts';
import { paginate } from './pagination.ts';
import { booleanValue, invalidPatchPath, parsePatchOperations, requireValue, type ParsedPatch } from './patch.ts';
import { apiKeyOutput, requireApiKey, validateKeyDescription, validateKeyName, validateKeyValue, valueInUse } from './api-keys-lookup.ts';
import { importApiKeys } from './api-keys-import.ts';
import { usagePlanKeyOf } from './usage-plans-keys.ts';

/** Legacy stage keys `{restApiId}/{stageName}`: the stage must exist. */
async function validateStageKey(tx: Tx, restApiId: string | undefined, stageName: string | undefined): Promise<string> {
  if (!restApiId || !stageName || !(await tx.get('stages', `${restApiId}/${stageName}`))) {
    throw new BadRequestException(`Invalid stage key specified: ${restApiId ?? 'null'}/${stageName ?? 'null'}`);
  }
  return `${restApiId}/${stageName}`;
}

async function CreateApiKey(input: OperationInput, ctx: OperationContext) {
  return ctx.db.write(async (tx) => {
    validateTags(input.tags);
    if (input.name !== undefined) validateKeyName(input.name);
    if (input.description !== undefined) validateKeyDescription(input.description);
    let value: string;
    if (input.value !== undefined && input.value !== '') {
      validateKeyValue(input.value);
      if (await valueInUse(tx, input.value)) throw new ConflictException('API Key already exists');
      value = input.value;
    } else {
      value = newApiKeyValue();
    }
    const stageKeys: string[] = [];
    for (const sk of input.stageKeys ?? []) stageKeys.push(await validateStageKey(tx, sk.restApiId, sk.stageName));
    const now = ctx.now().getTime();
    // generateDistinctId is deprecated on AWS and has no effect: key ids are always distinct from their values.
    const key: ApiKey = { id: newId(10), value, enabled: input.enabled ?? false, createdDate: now, lastUpdatedDate: now, stageKeys };
    if (input.name) key.name = input.name;
    if (input.description !== undefined) key.description = input.description;
    if (input.customerId !== undefined) key.customerId = input.customerId;
    if (input.tags && Object.keys(input.tags).length) key.tags = { ...input.tags };
    await tx.put('apikeys', key.id, key);
    return apiKeyOutput(key, true);
  });
}

async function GetApiKey(input: OperationInput, ctx: OperationContext) {
  return ctx.db.read(async (tx) => apiKeyOutput(await requireApiKey(tx, input.apiKey), input.includeValue === true));
}

async function GetApiKeys(input: OperationInput, ctx: OperationContext) {
  return ctx.db.read(async (tx) => {
    const nameQuery: string | undefined = input.nameQuery;
    const keys = (await tx.list<ApiKey>('apikeys'))
      .map((e) => e.value)
      .filter((k) => nameQuery === undefined || (k.name ?? '').startsWith(nameQuery))
      .filter((k) => input.customerId === undefined || k.customerId === input.customerId)
      .sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || a.createdDate - b.createdDate || (a.id < b.id ? -1 : 1));
    const page = paginate(keys, input);
    return { items: page.items.map((k) => apiKeyOutput(k, input.includeValues === true)), position: page.position };
  });
}

// The paths AWS names when refusing one, in its order (recorded: update-api-key-immutable-field). `/stages` (legacy
// stage keys) is accepted too but AWS's text does not list it.
const KEY_PATHS = ['/description', '/enabled', '/name', '/customerId'];

async function applyKeyPatch(tx: Tx, key: ApiKey, p: ParsedPatch): Promise<void> {
  switch (p.path) {
    case '/name':
    case '/description':
    case '/customerId': {
      const field = p.path.slice(1) as 'name' | 'description' | 'customerId';
      if (p.op === 'replace' && p.value && field === 'name') validateKeyName(p.value);
      if (p.op === 'replace' && p.value && field === 'description') validateKeyDescription(p.value);
      if (p.op === 'remove' || (p.op === 'replace' && !p.value)) delete key[field];
      else if (p.op === 'replace') key[field] = p.value;
      else throw invalidPatchPath(p, KEY_PATHS);
      return;
    }
    case '/enabled':
      if (p.op !== 'replace') throw invalidPatchPath(p, KEY_PATHS);
      key.enabled = booleanValue(p);
      return;
    case '/stages': {
      const v = requireValue(p);
      const slash = v.indexOf('/');
      const sk = slash > 0 ? [v.slice(0, slash), v.slice(slash + 1)] : [v, undefined];
      const stages = new Set(key.stageKeys ?? []);
      if (p.op === 'add') stages.add(await validateStageKey(tx, sk[0], sk[1]));
      else if (p.op === 'remove') stages.delete(v);
      else throw invalidPatchPath(p, KEY_PATHS);
      key.stageKeys = [...stages];
      return;
    }
    default:
      throw invalidPatchPath(p, KEY_PATHS);
  }
}

async function UpdateApiKey(input: OperationInput, ctx: OperationContext) {
  const ops = parsePatchOperations(input.patchOperations);
  return ctx.db.write(async (tx) => {
    const key = structuredClone(await requireApiKey(tx, input.apiKey));
    for (const p of ops) await applyKeyPatch(tx, key, p);
    key.lastUpdatedDate = ctx.now().getTime();
    await tx.put('apikeys', key.id, key);
    // Usage plan keys carry the key's name and value for the data plane: keep them in step.
    for (const e of await tx.list<UsagePlanKey>('usageplankeys')) {
      if (e.value.id === key.id) await tx.put('usageplankeys', e.key, usagePlanKeyOf(key));
    }
    // UpdateApiKey answers without the value and always with a tags map (AWS behaviour as localstack's
    // AWS-validated provider reproduces it).
    return { tags: {}, ...apiKeyOutput(key, false) };
  });
}

async function DeleteApiKey(input: OperationInput, ctx: OperationContext) {
  await ctx.db.write(async (tx) => {
    await requireApiKey(tx, input.apiKey);
    await tx.delete('apikeys', input.apiKey);
    // A deleted key leaves every usage plan it was in.
    for (const e of await tx.list<UsagePlanKey>('usageplankeys')) {
      if (e.value.id === input.apiKey) await tx.delete('usageplankeys', e.key);
    }
  });
}

async function ImportApiKeys(input: OperationInput, ctx: OperationContext) {
  const body: Buffer = input.body;
  return ctx.db.write((tx) => importApiKeys(tx, ctx, body.toString('utf8'), input.failOnWarnings === true));
}

export const handlers: HandlerTable = { CreateApiKey, GetApiKey, GetApiKeys, UpdateApiKey, DeleteApiKey, ImportApiKeys };

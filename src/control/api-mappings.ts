// API mappings: the apigatewayv2 API's view of a custom domain's base path mappings. They are the same mappings the
// v1 API (base-path-mappings.ts) manages, stored once under `basepathmappings`, with what only the v2 API can do:
// multi-level keys such as `orders/v1/items`, an empty key beside others, an id per mapping.
//
// Rules (developer guide "Use API mappings to connect API stages to a custom domain name for REST APIs"): only
// REGIONAL domain names with a TLS 1.2 (or stricter) security policy can be managed through the v2 API. Error texts
// as real AWS returns them, quoted in public issues (amplify-education/serverless-domain-manager#381 and #401 for
// the domain rules, aws/aws-cdk#9077 and #8983 for the key and stage texts, aws-cloudformation/
// cloudformation-coverage-roadmap#1151 for the 409). The v2 texts for an unknown domain, API or mapping are not
// recorded publicly; the v1 texts of the same back end are used.
import { createHash } from 'node:crypto';
import { BadRequestException, ConflictException, NotFoundException } from '../aws/errors.ts';
import { paginateV2 } from './pagination.ts';
import type { HandlerTable, OperationContext, OperationInput } from '../aws/operation.ts';
import type { Tx } from '../store/store.ts';
import { checkBasePathFree, checkTarget, NO_BASE_PATH } from './base-path-mappings.ts';
import { BASE_PATH_MAPPINGS, type BasePathMapping, type StoredDomainName, domainKey, requireDomainName } from './domain-names-store.ts';
import { endpointType } from './domain-names-validation.ts';
import { newId } from './ids.ts';

const MAPPING_NOT_FOUND = 'Invalid ApiMapping identifier specified';
// One segment of a key: the characters a v1 base path may hold.
const KEY_SEGMENT = /^[A-Za-z0-9$\-_.+!*'()]+$/;
const MAX_KEY_LENGTH = 128;

/** Only REGIONAL TLS 1.2+ domain names are the v2 API's to manage; everything else is refused with AWS's texts. */
export function requireV2Domain(d: StoredDomainName): void {
  if (endpointType(d) !== 'REGIONAL') {
    throw new BadRequestException(
      'Only REGIONAL domain names can be managed through the API Gateway V2 API. For EDGE domain names, please use the API Gateway V1 API. ' +
        'Also note that only REST APIs can be attached to EDGE domain names.',
    );
  }
  if ((d.securityPolicy ?? 'TLS_1_2') === 'TLS_1_0') {
    throw new BadRequestException(
      'Only REGIONAL domain names with a security policy of TLS 1.2 can be managed through the API Gateway V2 API. For TLS 1.0 domain names, ' +
        'please use the API Gateway V1 API to upgrade your security policy to TLS 1.2. Currently, only REST APIs can be attached to a domain name ' +
        'with a security policy of TLS 1.0.',
    );
  }
}

/** The stored base path of a requested key: omitted or empty is `(none)`; else `/`-separated segments. */
function basePathOf(key: string | undefined): string {
  if (key === undefined || key === '' || key === NO_BASE_PATH) return NO_BASE_PATH;
  if (key.length > MAX_KEY_LENGTH || !key.split('/').every((s) => KEY_SEGMENT.test(s))) {
    throw new BadRequestException("An ApiMapping key may contain only letters, numbers and one of $-_.+!*'()");
  }
  return key;
}

/** A mapping created through the v1 API before ids were kept has a stable id derived from its store key. */
function mappingId(key: string, m: BasePathMapping): string {
  if (m.apiMappingId) return m.apiMappingId;
  const digest = createHash('sha256').update(key).digest();
  let id = '';
  for (let i = 0; i < 6; i++) id += 'abcdefghijklmnopqrstuvwxyz0123456789'[digest[i]! % 36];
  return id;
}

/** The v1 uniqueness rule with the v2 API's own 409 text. */
async function checkKeyFree(tx: Tx, dKey: string, basePath: string, replacing: string | undefined): Promise<void> {
  try {
    await checkBasePathFree(tx, dKey, basePath, replacing, true);
  } catch (err) {
    if (err instanceof ConflictException) throw new ConflictException('ApiMapping key already exists for this domain name');
    throw err;
  }
}

function present(key: string, m: BasePathMapping) {
  const out: Record<string, string> = { ApiId: m.restApiId, ApiMappingId: mappingId(key, m), ApiMappingKey: m.basePath === NO_BASE_PATH ? '' : m.basePath };
  if (m.stage !== undefined) out.Stage = m.stage;
  return out;
}

async function v2Domain(tx: Tx, name: string): Promise<{ domain: StoredDomainName; dKey: string }> {
  const domain = await requireDomainName(tx, name, undefined);
  requireV2Domain(domain);
  return { domain, dKey: domainKey(domain.domainName, domain.domainNameId) };
}

async function findMapping(tx: Tx, dKey: string, id: string): Promise<{ key: string; mapping: BasePathMapping }> {
  for (const { key, value } of await tx.list<BasePathMapping>(BASE_PATH_MAPPINGS, `${dKey}/`)) {
    if (mappingId(key, value) === id) return { key, mapping: value };
  }
  throw new NotFoundException(MAPPING_NOT_FOUND);
}

async function CreateApiMapping(input: OperationInput, ctx: OperationContext) {
  return ctx.db.write(async (tx) => {
    const { domain, dKey } = await v2Domain(tx, input.DomainName);
    const basePath = basePathOf(input.ApiMappingKey);
    await checkTarget(tx, domain, input.ApiId, input.Stage);
    await checkKeyFree(tx, dKey, basePath, undefined);
    const mapping: BasePathMapping = { basePath, restApiId: input.ApiId, stage: input.Stage, apiMappingId: newId(6) };
    const key = `${dKey}/${basePath}`;
    await tx.put(BASE_PATH_MAPPINGS, key, mapping);
    return present(key, mapping);
  });
}

async function GetApiMapping(input: OperationInput, ctx: OperationContext) {
  return ctx.db.read(async (tx) => {
    const { dKey } = await v2Domain(tx, input.DomainName);
    const { key, mapping } = await findMapping(tx, dKey, input.ApiMappingId);
    return present(key, mapping);
  });
}

async function GetApiMappings(input: OperationInput, ctx: OperationContext) {
  const all = await ctx.db.read(async (tx) => {
    const { dKey } = await v2Domain(tx, input.DomainName);
    return tx.list<BasePathMapping>(BASE_PATH_MAPPINGS, `${dKey}/`);
  });
  const { page, nextToken } = paginateV2(all, input);
  const out: Record<string, unknown> = { Items: page.map((e) => present(e.key, e.value)) };
  if (nextToken) out.NextToken = nextToken;
  return out;
}

async function UpdateApiMapping(input: OperationInput, ctx: OperationContext) {
  return ctx.db.write(async (tx) => {
    const { domain, dKey } = await v2Domain(tx, input.DomainName);
    const { key, mapping } = await findMapping(tx, dKey, input.ApiMappingId);
    const next: BasePathMapping = { ...mapping, restApiId: input.ApiId, apiMappingId: mappingId(key, mapping) };
    if (input.ApiMappingKey !== undefined) next.basePath = basePathOf(input.ApiMappingKey);
    if (input.Stage !== undefined) next.stage = input.Stage;
    await checkTarget(tx, domain, next.restApiId, next.stage);
    const nextKey = `${dKey}/${next.basePath}`;
    if (nextKey !== key) {
      await checkKeyFree(tx, dKey, next.basePath, mapping.basePath);
      await tx.delete(BASE_PATH_MAPPINGS, key);
    }
    await tx.put(BASE_PATH_MAPPINGS, nextKey, next);
    return present(nextKey, next);
  });
}

async function DeleteApiMapping(input: OperationInput, ctx: OperationContext) {
  await ctx.db.write(async (tx) => {
    const { dKey } = await v2Domain(tx, input.DomainName);
    const { key } = await findMapping(tx, dKey, input.ApiMappingId);
    await tx.delete(BASE_PATH_MAPPINGS, key);
  });
}

export const apiMappingHandlers: HandlerTable = {
  CreateApiMapping,
  GetApiMapping,
  GetApiMappings,
  UpdateApiMapping,
  DeleteApiMapping,
};

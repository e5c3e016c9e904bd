// BasePathMappings: which REST API (and optionally which stage) serves a custom domain name under a base path.
// Stored under `basepathmappings` / `{domainKey}/{basePath}`, the empty base path kept as AWS shows it: `(none)`.
//
// Error texts: API reference CreateBasePathMapping / BasePathMapping, and real AWS answers quoted in public projects
// ("Invalid REST API identifier specified", "Invalid stage identifier specified" as 400; "Base path already exists for
// this domain name" as 409; "Invalid base path mapping identifier specified" as 404).
import { BadRequestException, ConflictException, NotFoundException } from '../aws/errors.ts';
import type { HandlerTable, OperationContext, OperationInput } from '../aws/operation.ts';
import type { Tx } from '../store/store.ts';
import type { RestApi } from '../store/entities.ts';
import { newId } from './ids.ts';
import { paginate } from './pagination.ts';
import { invalidPatchPath, parsePatchOperations, type ParsedPatch } from './patch.ts';
import { BASE_PATH_MAPPINGS, type BasePathMapping, type DomainName, domainKey, requireDomainName } from './domain-names-store.ts';
import { endpointType } from './domain-names-validation.ts';

export const NO_BASE_PATH = '(none)';
const MAPPING_NOT_FOUND = 'Invalid base path mapping identifier specified';
const PATCH_PATHS = ['/basePath', '/restapiId', '/stage'];

// Characters a base path may hold: URL-safe characters without '/', which REST API custom domains do not support
// (multi-level mappings are an API mappings feature of the v2 API).
const BASE_PATH = /^[A-Za-z0-9$\-_.+!*'()]+$/;

/** The stored form of a requested base path: omitted or empty means no base path, `(none)`. */
function normaliseBasePath(basePath: string | undefined): string {
  if (basePath === undefined || basePath === '' || basePath === NO_BASE_PATH) return NO_BASE_PATH;
  if (basePath.includes('/')) {
    throw new BadRequestException(
      "API Gateway V1 doesn't support the slash character (/) in base path mappings. To create a multi-level base path mapping, use API Gateway V2.",
    );
  }
  if (basePath.length > 128 || !BASE_PATH.test(basePath)) {
    throw new BadRequestException(`Invalid base path: '${basePath}'. A base path may contain only letters, digits and $-_.+!*'()`);
  }
  return basePath;
}

/** The mapped API and stage must exist, and private domains serve private APIs only (and only they). */
export async function checkTarget(tx: Tx, domain: DomainName, restApiId: string, stage: string | undefined): Promise<void> {
  const api = await tx.get<RestApi>('restapis', restApiId);
  if (!api) throw new BadRequestException('Invalid REST API identifier specified');
  if (stage !== undefined && !(await tx.get('stages', `${restApiId}/${stage}`))) {
    throw new BadRequestException('Invalid stage identifier specified');
  }
  const privateApi = api.endpointConfiguration?.types?.includes('PRIVATE') ?? false;
  const privateDomain = endpointType(domain) === 'PRIVATE';
  if (privateApi && !privateDomain) {
    throw new BadRequestException('A private REST API can only be mapped to a private custom domain name.');
  }
  if (privateDomain && !privateApi) {
    throw new BadRequestException('A private custom domain name can only be mapped to private REST APIs.');
  }
}

/**
 * A domain's base paths are unique, and an empty base path takes the whole domain: while one exists no other mapping
 * may be added, and it cannot be added beside others (409 texts as AWS returns them, quoted in public issues).
 * `replacing` is the base path of the mapping being renamed, which does not count. API mappings (the v2 API) may add
 * an empty base path beside others (`emptyBesideOthers`): the developer guide's multi-level example maps `(none)`
 * and `orders/v1/items` on one domain.
 */
export async function checkBasePathFree(tx: Tx, dKey: string, basePath: string, replacing: string | undefined, emptyBesideOthers = false): Promise<void> {
  const others = (await tx.list<BasePathMapping>(BASE_PATH_MAPPINGS, `${dKey}/`)).map((e) => e.value.basePath).filter((p) => p !== replacing);
  if (others.includes(basePath) && basePath !== NO_BASE_PATH) throw new ConflictException('Base path already exists for this domain name');
  if (others.includes(basePath) && emptyBesideOthers) throw new ConflictException('Base path already exists for this domain name');
  if (!emptyBesideOthers && others.length && (basePath === NO_BASE_PATH || others.includes(NO_BASE_PATH))) {
    throw new ConflictException('Only one base path mapping is allowed if the base path is empty.');
  }
}

function present(m: BasePathMapping): BasePathMapping {
  const out: BasePathMapping = { basePath: m.basePath, restApiId: m.restApiId };
  if (m.stage !== undefined) out.stage = m.stage;
  return out;
}

async function CreateBasePathMapping(input: OperationInput, ctx: OperationContext) {
  return ctx.db.write(async (tx) => {
    const domain = await requireDomainName(tx, input.domainName, input.domainNameId);
    const basePath = normaliseBasePath(input.basePath);
    const stage: string | undefined = input.stage === '' ? undefined : input.stage;
    await checkTarget(tx, domain, input.restApiId, stage);
    const dKey = domainKey(domain.domainName, domain.domainNameId);
    await checkBasePathFree(tx, dKey, basePath, undefined);
    const key = `${dKey}/${basePath}`;
    const mapping: BasePathMapping = { basePath, restApiId: input.restApiId, apiMappingId: newId(6) };
    if (stage !== undefined) mapping.stage = stage;
    await tx.put(BASE_PATH_MAPPINGS, key, mapping);
    return present(mapping);
  });
}

async function requireMapping(tx: Tx, input: OperationInput): Promise<{ key: string; domain: DomainName; mapping: BasePathMapping }> {
  const domain = await requireDomainName(tx, input.domainName, input.domainNameId);
  const basePath = input.basePath === '' ? NO_BASE_PATH : (input.basePath as string);
  const key = `${domainKey(domain.domainName, domain.domainNameId)}/${basePath}`;
  const mapping = await tx.get<BasePathMapping>(BASE_PATH_MAPPINGS, key);
  if (!mapping) throw new NotFoundException(MAPPING_NOT_FOUND);
  return { key, domain, mapping };
}

async function GetBasePathMapping(input: OperationInput, ctx: OperationContext) {
  return ctx.db.read(async (tx) => present((await requireMapping(tx, input)).mapping));
}

async function GetBasePathMappings(input: OperationInput, ctx: OperationContext) {
  const all = await ctx.db.read(async (tx) => {
    const domain = await requireDomainName(tx, input.domainName, input.domainNameId);
    return tx.list<BasePathMapping>(BASE_PATH_MAPPINGS, `${domainKey(domain.domainName, domain.domainNameId)}/`);
  });
  const page = paginate(all.map((e) => e.value), input);
  return { items: page.items.map(present), position: page.position };
}

function applyPatch(m: BasePathMapping, p: ParsedPatch): void {
  if (!PATCH_PATHS.includes(p.path)) throw invalidPatchPath(p, PATCH_PATHS);
  if (p.op === 'remove' && p.path === '/stage') {
    delete m.stage;
    return;
  }
  if (p.op !== 'replace') throw invalidPatchPath(p, PATCH_PATHS);
  const v = p.value ?? '';
  if (p.path === '/basePath') m.basePath = normaliseBasePath(v);
  else if (p.path === '/restapiId') {
    if (!v) throw new BadRequestException('Invalid REST API identifier specified');
    m.restApiId = v;
  } else if (v === '') delete m.stage;
  else m.stage = v;
}

async function UpdateBasePathMapping(input: OperationInput, ctx: OperationContext) {
  const ops = parsePatchOperations(input.patchOperations);
  return ctx.db.write(async (tx) => {
    const { key, domain, mapping } = await requireMapping(tx, input);
    const next: BasePathMapping = { ...mapping };
    for (const p of ops) applyPatch(next, p);
    await checkTarget(tx, domain, next.restApiId, next.stage);
    const dKey = domainKey(domain.domainName, domain.domainNameId);
    const nextKey = `${dKey}/${next.basePath}`;
    if (nextKey !== key) {
      await checkBasePathFree(tx, dKey, next.basePath, mapping.basePath);
      await tx.delete(BASE_PATH_MAPPINGS, key);
    }
    await tx.put(BASE_PATH_MAPPINGS, nextKey, next);
    return present(next);
  });
}

async function DeleteBasePathMapping(input: OperationInput, ctx: OperationContext) {
  await ctx.db.write(async (tx) => {
    const { key } = await requireMapping(tx, input);
    await tx.delete(BASE_PATH_MAPPINGS, key);
  });
}

/** The custom domain names (sorted) with a base path mapping to the API, or only to its stage `stage`. */
async function mappedDomains(tx: Tx, restApiId: string, stage?: string): Promise<string[]> {
  const domains = new Set<string>();
  for (const { key, value } of await tx.list<BasePathMapping>(BASE_PATH_MAPPINGS)) {
    if (value.restApiId !== restApiId || (stage !== undefined && value.stage !== stage)) continue;
    // Keys are `{domainName}[+{domainNameId}]/{basePath}`; a domain name holds neither '/' nor '+' (a multi-level
    // base path of the v2 API holds '/').
    domains.add(key.slice(0, key.indexOf('/')).split('+')[0]!);
  }
  return [...domains].sort();
}

/**
 * AWS refuses DeleteRestApi while custom domain names still map to the API, naming those domains (BadRequestException,
 * text as real AWS returns it, quoted in glomex/gcdt#373 and serverless/serverless#3638).
 */
export async function assertRestApiUnmapped(tx: Tx, restApiId: string): Promise<void> {
  const domains = await mappedDomains(tx, restApiId);
  if (domains.length) {
    throw new BadRequestException(
      `Deleting RestApi ${restApiId} failed. Please remove all base path mappings related to the RestApi in your domains: ${domains.join(', ')}`,
    );
  }
}

/**
 * Likewise DeleteStage while a base path mapping names the stage. The text's opening is AWS's as quoted in
 * hashicorp/terraform-provider-aws#41651 ("Deleting stage <stagename> failed. Please remove all ba…", cut there); the
 * rest follows the DeleteRestApi text above.
 */
export async function assertStageUnmapped(tx: Tx, restApiId: string, stageName: string): Promise<void> {
  const domains = await mappedDomains(tx, restApiId, stageName);
  if (domains.length) {
    throw new BadRequestException(
      `Deleting stage ${stageName} failed. Please remove all base path mappings related to the stage in your domains: ${domains.join(', ')}`,
    );
  }
}

export const handlers: HandlerTable = {
  CreateBasePathMapping,
  GetBasePathMapping,
  GetBasePathMappings,
  UpdateBasePathMapping,
  DeleteBasePathMapping,
};

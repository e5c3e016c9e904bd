// REST APIs: creation with AWS's defaults (EDGE endpoint, HEADER api key source, the root resource and the Empty
// and Error models), cloning, listing, patch updates and the cascading delete. The shapes and error texts follow
// AWS responses recorded in localstack's tests/aws/services/apigateway/test_apigateway_api.snapshot.json
// (TestApiGatewayApiRestApi) and the UpdateRestApi section of
// https://docs.aws.amazon.com/apigateway/latest/api/patch-operations.html.
import type { HandlerTable, OperationContext, OperationInput } from '../aws/operation.ts';
import { BadRequestException } from '../aws/errors.ts';
import type { Tx } from '../store/store.ts';
import type { EndpointConfiguration, RestApi } from '../store/entities.ts';
import { requireRestApi, validateTags, withDates } from './common.ts';
import { newId } from './ids.ts';
import { paginate } from './pagination.ts';
import { type ParsedPatch, booleanValue, parsePatchOperations, requireOp } from './patch.ts';
import { defaultModels } from './models-schema.ts';
import { cloneRestApiContent } from './restapis-clone.ts';
import { releaseRestApi } from './stages.ts';
import { flushStageCacheData } from './stage-cache.ts';

/** Every region-scoped collection keyed `{apiId}/...` (src/store/entities.ts): DeleteRestApi empties them all. */
export const API_SCOPED_COLLECTIONS = [
  'resources',
  'methods',
  'models',
  'requestvalidators',
  'authorizers',
  'gatewayresponses',
  'deployments',
  'stages',
  'documentationparts',
  'documentationversions',
] as const;

const MAX_COMPRESSION = 10485760;
const COMPRESSION_TEXT = `Invalid minimum compression size, must be between 0 and ${MAX_COMPRESSION}`;
const ENDPOINT_TYPES = ['REGIONAL', 'EDGE', 'PRIVATE'];
const PRIVATE_IPV4_TEXT = 'Only dualstack ipAddressType is supported for Private APIs.';
// AWS's text, quoted from a CloudFormation failure in aws-cloudformation/cfn-lint#3111.
const EMPTY_NAME_TEXT = 'Name cannot be an empty string';
const POLICY_TEXT = 'Invalid policy document. Please check the policy syntax and ensure that Principals are valid.';

export function checkCompression(n: number | undefined): void {
  if (n !== undefined && (!Number.isInteger(n) || n < 0 || n > MAX_COMPRESSION)) throw new BadRequestException(COMPRESSION_TEXT);
}

/** Where a policy's `execute-api:/...` shorthand resources point: this API of this account and region. */
export interface PolicyScope {
  region: string;
  accountId: string;
  apiId: string;
}

/**
 * AWS saves a statement's `Resource` / `NotResource` with the `execute-api:/{stage}/{verb}/{path}` shorthand
 * expanded to the API's full ARN, and a one-element list as its element (recorded in localstack's
 * test_apigateway_integrations.snapshot.json, test_create_execute_api_vpc_endpoint: `"Resource":
 * ["execute-api:/*"]` reads back as `"Resource": "arn:aws:execute-api:{region}:{account}:{apiId}/*"`).
 */
function expandStatementResources(doc: Record<string, unknown>, scope: PolicyScope): void {
  const expand = (r: unknown) =>
    typeof r === 'string' && r.startsWith('execute-api:/')
      ? `arn:aws:execute-api:${scope.region}:${scope.accountId}:${scope.apiId}${r.slice('execute-api:'.length)}`
      : r;
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  for (const statement of statements) {
    if (!statement || typeof statement !== 'object') continue;
    const st = statement as Record<string, unknown>;
    for (const key of ['Resource', 'NotResource']) {
      const value = st[key];
      if (Array.isArray(value)) st[key] = value.length === 1 ? expand(value[0]) : value.map(expand);
      else if (value !== undefined) st[key] = expand(value);
    }
  }
}

/**
 * A resource policy as AWS stores and returns it: the document minified, then escaped as the inside of a JSON
 * string (`"` → `\"`, `/` → `\/`); clients such as Terraform unquote it on read. Rejects what is not a JSON object.
 */
export function normalizePolicy(policy: string, scope: PolicyScope): string {
  let doc: unknown;
  try {
    doc = JSON.parse(policy);
  } catch {
    throw new BadRequestException(POLICY_TEXT);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new BadRequestException(POLICY_TEXT);
  if ('Statement' in doc) expandStatementResources(doc as Record<string, unknown>, scope);
  return JSON.stringify(JSON.stringify(doc)).slice(1, -1).replace(/\//g, '\\/');
}

/** The policy document of a stored RestApi policy (undoes normalizePolicy), for whoever evaluates it. */
export function policyDocument(stored: string): unknown {
  return JSON.parse(JSON.parse(`"${stored}"`) as string);
}

/** AWS's endpoint configuration rules: exactly one type (EDGE when absent), PRIVATE only dualstack. */
export function endpointConfiguration(input: EndpointConfiguration | undefined): EndpointConfiguration {
  const types = input?.types ?? ['EDGE'];
  if (types.length === 0) throw new BadRequestException('REGIONAL Configuration and EDGE Configuration cannot be both DISABLED.');
  if (types.length > 1) throw new BadRequestException('Cannot create an api with multiple Endpoint Types.');
  const type = types[0]!;
  if (type === 'PRIVATE' && input?.ipAddressType === 'ipv4') throw new BadRequestException(PRIVATE_IPV4_TEXT);
  const out: EndpointConfiguration = { types: [type], ipAddressType: input?.ipAddressType ?? (type === 'PRIVATE' ? 'dualstack' : 'ipv4') };
  if (input?.vpcEndpointIds?.length) out.vpcEndpointIds = [...input.vpcEndpointIds];
  return out;
}

/** A stored RestApi as AWS returns it: unset and empty members omitted. */
export function presentRestApi(api: RestApi, opts: { alwaysTags?: boolean } = {}): RestApi {
  const out = withDates(api) as RestApi;
  if (!out.binaryMediaTypes?.length) delete out.binaryMediaTypes;
  if (opts.alwaysTags) out.tags = { ...(api.tags ?? {}) };
  else if (!out.tags || !Object.keys(out.tags).length) delete out.tags;
  return out;
}

// The global `apiregions` index is written in the same transaction as the API (through the unscoped view of it),
// so a crash can never leave one without the other.
const CreateRestApi = async (input: OperationInput, ctx: OperationContext) => {
  const api = await ctx.db.write(async (tx) => {
    if (input.name === '') throw new BadRequestException(EMPTY_NAME_TEXT);
    if (input.description === '') throw new BadRequestException('Description cannot be an empty string');
    checkCompression(input.minimumCompressionSize);
    validateTags(input.tags);
    const endpoint = endpointConfiguration(input.endpointConfiguration);
    const source: RestApi | undefined = input.cloneFrom ? await requireRestApi(tx, ctx, input.cloneFrom) : undefined;

    const api: RestApi = {
      id: newId(10),
      name: input.name,
      createdDate: ctx.now().getTime(),
      apiKeySource: input.apiKeySource ?? 'HEADER',
      endpointConfiguration: endpoint,
      disableExecuteApiEndpoint: input.disableExecuteApiEndpoint ?? false,
      rootResourceId: '',
    };
    if (input.description !== undefined) api.description = input.description;
    if (input.version !== undefined) api.version = input.version;
    if (input.binaryMediaTypes?.length) api.binaryMediaTypes = [...input.binaryMediaTypes];
    if (input.minimumCompressionSize !== undefined) api.minimumCompressionSize = input.minimumCompressionSize;
    if (input.policy) api.policy = normalizePolicy(input.policy, { region: ctx.region, accountId: ctx.accountId, apiId: api.id });
    if (input.tags && Object.keys(input.tags).length) api.tags = { ...input.tags };
    if (input.securityPolicy !== undefined) api.securityPolicy = input.securityPolicy;
    if (input.endpointAccessMode !== undefined) api.endpointAccessMode = input.endpointAccessMode;

    if (source) {
      api.rootResourceId = await cloneRestApiContent(tx, source, api.id);
    } else {
      api.rootResourceId = newId(10);
      await tx.put('resources', `${api.id}/${api.rootResourceId}`, { id: api.rootResourceId, path: '/' });
      for (const model of defaultModels()) await tx.put('models', `${api.id}/${model.name}`, model);
    }
    await tx.put('restapis', api.id, api);
    await tx.unscoped().put('apiregions', api.id, { region: ctx.region });
    return api;
  });
  return presentRestApi(api);
};

const GetRestApi = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.read(async (tx) => presentRestApi(await requireRestApi(tx, ctx, input.restApiId)));

const GetRestApis = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.read(async (tx) => {
    const apis = (await tx.list<RestApi>('restapis')).map((i) => i.value);
    apis.sort((a, b) => a.createdDate - b.createdDate || (a.id < b.id ? -1 : 1));
    const page = paginate(apis, input);
    return { items: page.items.map((a) => presentRestApi(a)), ...(page.position ? { position: page.position } : {}) };
  });


/** Applies one UpdateRestApi patch operation to `api` (a working copy). Returns whether it set ipAddressType. */
function applyRestApiPatch(api: RestApi, p: ParsedPatch, scope: PolicyScope): boolean {
  const [head, ...rest] = p.segments;
  const extra = api as unknown as Record<string, unknown>;
  switch (head) {
    case 'name':
    case 'description':
    case 'version':
    case 'policy':
    case 'apiKeySource':
    case 'securityPolicy':
    case 'endpointAccessMode':
      if (rest.length) break;
      requireOp(p, head === 'name' ? ['replace'] : ['replace', 'remove']);
      if (p.op === 'remove' || p.value === undefined || p.value === '') {
        if (head === 'name') throw new BadRequestException(EMPTY_NAME_TEXT);
        delete extra[head];
        return false;
      }
      if (head === 'policy') {
        api.policy = normalizePolicy(p.value, scope);
        return false;
      }
      if (head === 'apiKeySource' && p.value !== 'HEADER' && p.value !== 'AUTHORIZER') {
        throw new BadRequestException('Invalid ApiKeySourceType specified. Valid options are HEADER,AUTHORIZER');
      }
      extra[head] = p.value;
      return false;
    case 'disableExecuteApiEndpoint':
      if (rest.length) break;
      requireOp(p, ['replace']);
      api.disableExecuteApiEndpoint = booleanValue(p);
      return false;
    case 'minimumCompressionSize': {
      if (rest.length) break;
      requireOp(p, ['replace']);
      if (p.value === undefined || p.value === '') {
        delete api.minimumCompressionSize;
        return false;
      }
      const n = /^-?\d+$/.test(p.value) ? Number(p.value) : NaN;
      checkCompression(Number.isNaN(n) ? -1 : n);
      api.minimumCompressionSize = n;
      return false;
    }
    case 'binaryMediaTypes': {
      // The media type is the path's last segment ('/' escaped as ~1); AWS's replace removes it and appends the value.
      if (rest.length !== 1 || rest[0] === '') throw new BadRequestException(`Invalid patch path ${p.path}`);
      requireOp(p, ['add', 'remove', 'replace']);
      const type = rest[0]!;
      const types = (api.binaryMediaTypes ?? []).filter((t) => p.op === 'add' || t !== type);
      if (p.op === 'add' && !types.includes(type)) types.push(type);
      if (p.op === 'replace' && p.value && !types.includes(p.value)) types.push(p.value);
      api.binaryMediaTypes = types;
      return false;
    }
    case 'endpointConfiguration': {
      const ec: EndpointConfiguration = { ...(api.endpointConfiguration ?? {}) };
      api.endpointConfiguration = ec;
      if (rest[0] === 'types' && rest.length === 2) {
        // AWS answers `remove` with the same text as an op it does not know, although the text lists remove
        // (recorded: update-rest-api-invalid-operation-on-type in localstack's test_apigateway_api.snapshot.json,
        // test_update_rest_api_ip_address_type): an API keeps exactly one endpoint type.
        if (p.op !== 'add' && p.op !== 'replace') {
          throw new BadRequestException("Invalid patch operation specified. Must be 'add'|'remove'|'replace'");
        }
        if (p.op === 'add') throw new BadRequestException('Cannot create an api with multiple Endpoint Types.');
        if (!p.value || !ENDPOINT_TYPES.includes(p.value)) {
          throw new BadRequestException('Invalid EndpointTypes specified. Valid options are REGIONAL,EDGE,PRIVATE');
        }
        ec.types = [p.value];
        return false;
      }
      if (rest[0] === 'ipAddressType' && rest.length === 1) {
        requireOp(p, ['replace']);
        if (p.value !== 'ipv4' && p.value !== 'dualstack') throw new BadRequestException('ipAddressType must be either ipv4 or dualstack.');
        ec.ipAddressType = p.value;
        return true;
      }
      if (rest[0] === 'vpcEndpointIds' && rest.length === 1) {
        requireOp(p, ['add', 'remove', 'replace']);
        const values = (p.value ?? '').split(',').map((v) => v.trim()).filter(Boolean);
        let ids = [...(ec.vpcEndpointIds ?? [])];
        if (p.op === 'replace') ids = values;
        else if (p.op === 'add') ids.push(...values.filter((v) => !ids.includes(v)));
        else ids = ids.filter((v) => !values.includes(v));
        if (ids.length) ec.vpcEndpointIds = ids;
        else delete ec.vpcEndpointIds;
        return false;
      }
      break;
    }
  }
  throw new BadRequestException(`Invalid patch path ${p.path}`);
}

const UpdateRestApi = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.write(async (tx) => {
    const stored = await requireRestApi(tx, ctx, input.restApiId);
    const api: RestApi = structuredClone(stored);
    let ipAddressTypeSet = false;
    const scope: PolicyScope = { region: ctx.region, accountId: ctx.accountId, apiId: api.id };
    for (const p of parsePatchOperations(input.patchOperations)) ipAddressTypeSet = applyRestApiPatch(api, p, scope) || ipAddressTypeSet;
    const ec = api.endpointConfiguration;
    if (ec?.types?.[0] === 'PRIVATE' && ec.ipAddressType === 'ipv4') {
      // Switching an API to PRIVATE moves it to dualstack unless the same call asked for ipv4 explicitly.
      if (ipAddressTypeSet) throw new BadRequestException(PRIVATE_IPV4_TEXT);
      ec.ipAddressType = 'dualstack';
    }
    if (!api.binaryMediaTypes?.length) delete api.binaryMediaTypes;
    await tx.put('restapis', api.id, api);
    // AWS answers UpdateRestApi with `tags` always present, `{}` when the API has none.
    return presentRestApi(api, { alwaysTags: true });
  });

async function deleteApiContent(tx: Tx, apiId: string): Promise<void> {
  for (const collection of API_SCOPED_COLLECTIONS) await tx.deletePrefix(collection, `${apiId}/`);
}

const DeleteRestApi = async (input: OperationInput, ctx: OperationContext) => {
  const stageNames = await ctx.db.write(async (tx) => {
    await requireRestApi(tx, ctx, input.restApiId);
    const stages = (await tx.list<{ stageName: string }>('stages', `${input.restApiId}/`)).map((s) => s.value.stageName);
    await releaseRestApi(tx, input.restApiId);
    await deleteApiContent(tx, input.restApiId);
    await tx.delete('restapis', input.restApiId);
    await tx.unscoped().delete('apiregions', input.restApiId);
    return stages;
  });
  // The stages' cached responses go with them, as DeleteStage's do (they would otherwise stay until evicted).
  for (const stageName of stageNames) await flushStageCacheData(ctx, input.restApiId, stageName);
};

export const handlers: HandlerTable = { CreateRestApi, GetRestApi, GetRestApis, UpdateRestApi, DeleteRestApi };

// ImportRestApi (`POST /restapis?mode=import`) and PutRestApi (`PUT /restapis/{id}`, mode merge | overwrite):
// an OpenAPI definition read (import-document.ts) and written, in one store transaction, through the control
// plane's own operations (import-session.ts). Order matters: the API's settings, then models, authorizers and
// validators (methods refer to them), then resources and methods, gateway responses and documentation.
// ImportRestApi answers 201 with the new RestApi; PutRestApi 200 with `tags` always present (recorded on AWS:
// localstack's test_apigateway_import.snapshot.json, test_put_rest_api_mode_binary_media_types). Warnings are
// returned in `warnings`, or fail the call with failonwarnings=true; errors always fail it, changing nothing.
import { BadRequestException } from '../aws/errors.ts';
import type { HandlerTable, OperationContext, OperationInput } from '../aws/operation.ts';
import type { Tx } from '../store/store.ts';
import type { Authorizer, Model, RequestValidator, RestApi } from '../store/entities.ts';
import { requireRestApi } from '../control/common.ts';
import { newId } from '../control/ids.ts';
import { presentRestApi } from '../control/restapis.ts';
import { listResources } from '../control/resources-tree.ts';
import { INVALID_INPUT, loadDefinition, type Definition } from './import-document.ts';
import { checkRefsLocal } from './import-refs.ts';
import { ImportSession } from './import-session.ts';
import { applyApiSettings } from './import-api-settings.ts';
import { importModels } from './import-models.ts';
import { importSecuritySchemes } from './import-security.ts';
import { importDocumentation, importGatewayResponses, importRequestValidators } from './import-api-extensions.ts';
import { ResourceTree, fullPath, pathPrefix } from './import-paths.ts';
import { importOperation } from './import-operations.ts';

const OPERATION_KEYS = new Map<string, string>(Object.entries({
  get: 'GET',
  put: 'PUT',
  post: 'POST',
  delete: 'DELETE',
  options: 'OPTIONS',
  head: 'HEAD',
  patch: 'PATCH',
  'x-amazon-apigateway-any-method': 'ANY',
}));

/** What an overwrite removes: everything the definition describes, keeping the API, its root, stages and deployments. */
const OVERWRITTEN = ['methods', 'models', 'authorizers', 'requestvalidators', 'gatewayresponses', 'documentationparts'] as const;

async function clearApiContent(tx: Tx, api: RestApi): Promise<void> {
  for (const collection of OVERWRITTEN) await tx.deletePrefix(collection, `${api.id}/`);
  for (const r of await listResources(tx, api.id)) if (r.id !== api.rootResourceId) await tx.delete('resources', `${api.id}/${r.id}`);
}

async function byName<T extends { id: string; name?: string }>(tx: Tx, collection: string, apiId: string): Promise<Map<string, string>> {
  return new Map((await tx.list<T>(collection, `${apiId}/`)).filter((i) => i.value.name).map((i) => [i.value.name!, i.value.id]));
}

/** Everything below the RestApi itself: models, authorizers, validators, resources and methods, responses, docs. */
async function importContent(session: ImportSession, mode: 'create' | 'merge' | 'overwrite', parameters: Record<string, string>): Promise<void> {
  const { tx, apiId } = session;
  const merging = mode === 'merge';
  const models = await importModels(session, merging ? new Set((await tx.list<Model>('models', `${apiId}/`)).map((i) => i.value.name)) : new Set());
  const schemes = await importSecuritySchemes(session, merging ? await byName<Authorizer>(tx, 'authorizers', apiId) : new Map());
  const validators = await importRequestValidators(session, merging ? await byName<RequestValidator & { name?: string }>(tx, 'requestvalidators', apiId) : new Map());
  const inlineModels = new Map<string, string>();
  const prefix = pathPrefix(session, parameters.basepath);
  const tree = new ResourceTree(session, await listResources(tx, apiId));
  for (const [path, rawItem] of Object.entries((session.def.doc.paths ?? {}) as Record<string, any>)) {
    if (!rawItem || typeof rawItem !== 'object') continue;
    const full = fullPath(prefix, path);
    const resourceId = await tree.ensure(full);
    if (!resourceId) continue;
    for (const [key, op] of Object.entries(rawItem as Record<string, any>)) {
      const httpMethod = OPERATION_KEYS.get(key);
      if (!httpMethod || !op || typeof op !== 'object') continue;
      if (merging && (await tx.get('methods', `${apiId}/${resourceId}/${httpMethod}`))) {
        await session.call('DeleteMethod', { resourceId, httpMethod }, `Unable to put method '${httpMethod}' on resource at path '${full}'`);
      }
      await importOperation(session, resourceId, full, httpMethod, rawItem, op, { schemes, models, validators, inlineModels });
    }
  }
  await importGatewayResponses(session);
  if (parameters.ignore !== 'documentation') await importDocumentation(session, mode === 'merge' ? 'merge' : 'overwrite');
}

function readParameters(input: OperationInput): Record<string, string> {
  const p = input.parameters;
  return p && typeof p === 'object' ? (p as Record<string, string>) : {};
}

function withWarnings(api: RestApi, warnings: string[]): RestApi {
  return warnings.length ? { ...api, warnings: [...warnings] } : api;
}

function definitionOf(input: OperationInput): Definition {
  const def = loadDefinition(input.body);
  checkRefsLocal(def.doc);
  return def;
}

const ImportRestApi = async (input: OperationInput, ctx: OperationContext) => {
  const def = definitionOf(input);
  const parameters = readParameters(input);
  const { api, warnings } = await ctx.db.write(async (tx) => {
    const api: RestApi = {
      id: newId(10),
      name: '',
      createdDate: ctx.now().getTime(),
      apiKeySource: 'HEADER',
      disableExecuteApiEndpoint: false,
      rootResourceId: newId(10),
    };
    const session = new ImportSession(def, api.id, tx, ctx);
    applyApiSettings(session, api, 'create', parameters);
    if (!api.name) throw new BadRequestException(INVALID_INPUT);
    await tx.put('restapis', api.id, api);
    await tx.unscoped().put('apiregions', api.id, { region: ctx.region });
    await tx.put('resources', `${api.id}/${api.rootResourceId}`, { id: api.rootResourceId, path: '/' });
    await importContent(session, 'create', parameters);
    session.finish(input.failOnWarnings === true);
    return { api: (await tx.get<RestApi>('restapis', api.id))!, warnings: session.warnings };
  });
  return withWarnings(presentRestApi(api), warnings);
};

const PutRestApi = async (input: OperationInput, ctx: OperationContext) => {
  const def = definitionOf(input);
  const parameters = readParameters(input);
  const mode: 'merge' | 'overwrite' = input.mode === 'overwrite' ? 'overwrite' : 'merge';
  const { api, warnings } = await ctx.db.write(async (tx) => {
    const api = structuredClone(await requireRestApi(tx, ctx, input.restApiId));
    const session = new ImportSession(def, api.id, tx, ctx);
    applyApiSettings(session, api, mode, parameters);
    if (!api.binaryMediaTypes?.length) delete api.binaryMediaTypes;
    await tx.put('restapis', api.id, api);
    if (mode === 'overwrite') await clearApiContent(tx, api);
    await importContent(session, mode, parameters);
    session.finish(input.failOnWarnings === true);
    return { api: (await tx.get<RestApi>('restapis', api.id))!, warnings: session.warnings };
  });
  return withWarnings(presentRestApi(api, { alwaysTags: true }), warnings);
};

export const handlers: HandlerTable = { ImportRestApi, PutRestApi };

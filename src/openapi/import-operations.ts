// One operation of a path → a method with its request parameters, request models, method responses and
// integration (developer guide, "Develop REST APIs using OpenAPI"; shapes recorded on AWS in localstack's
// test_apigateway_import.snapshot.json):
// - `in: path|query|header` parameters (path-level and operation-level, `$ref`s followed) become
//   `method.request.{path|querystring|header}.{name}` = required; every `{name}` of the resource path is a
//   required path parameter even when undeclared (recorded: test_import_with_global_api_key_authorizer);
// - a body parameter (2.0) or `requestBody` (3.0) schema becomes a request model, per content type (`consumes`,
//   or the content map; application/json by default); inline schemas become models (import-inline-models.ts);
// - each numeric response becomes a method response: its headers `method.response.header.{name}` = false, its
//   schema reference a response model per content type (`produces`, or the content map);
// - `operationId` is the operation name; `x-amazon-apigateway-request-validator` (or the document's) the validator.
// A reference to a model that does not exist is a warning, "Reference to model 'X' not found. Ignoring." (AWS's
// text, quoted in amazon-archives/aws-apigateway-importer#194).
import type { OperationInput } from '../aws/operation.ts';
import type { ImportSession } from './import-session.ts';
import { deref, modelNameOfSchemaRef } from './import-refs.ts';
import { INTEGRATION_EXTENSION, planIntegration } from './import-integration.ts';
import { type Scheme, methodAuth } from './import-security.ts';
import { type InlineModelSite, inlineModel } from './import-inline-models.ts';

const LOCATIONS = new Map([['path', 'path'], ['query', 'querystring'], ['header', 'header']]);
const VALIDATOR_EXTENSION = 'x-amazon-apigateway-request-validator';

export interface OperationScope {
  schemes: Map<string, Scheme>;
  models: Set<string>;
  validators: Map<string, string>;
  /** Inline schemas already imported as models (their JSON text → model name). */
  inlineModels: Map<string, string>;
}

async function modelFor(session: ImportSession, schema: unknown, scope: OperationScope, site: InlineModelSite): Promise<string | undefined> {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return undefined;
  const where = site.where;
  const ref = (schema as Record<string, unknown>).$ref;
  const name = modelNameOfSchemaRef(ref);
  if (name === undefined) {
    if (ref !== undefined || !Object.keys(schema).length) return undefined;
    return inlineModel(session, schema as Record<string, unknown>, scope.models, scope.inlineModels, site);
  }
  if (!scope.models.has(name)) {
    session.warn(`Reference to model '${name}' not found. Ignoring. (${where})`);
    return undefined;
  }
  return name;
}

function contentTypes(list: unknown, fallback: unknown): string[] {
  const types = Array.isArray(list) ? list : Array.isArray(fallback) ? fallback : [];
  return types.length ? types.map(String) : ['application/json'];
}

async function requestOf(session: ImportSession, path: string, pathItem: Record<string, any>, op: Record<string, any>, scope: OperationScope, where: string) {
  const site: InlineModelSite = { kind: 'request', where };
  const requestParameters: Record<string, boolean> = {};
  for (const m of path.matchAll(/\{([^}+]+)\+?\}/g)) requestParameters[`method.request.path.${m[1]}`] = true;
  const requestModels: Record<string, string> = {};
  const params = [...(Array.isArray(pathItem.parameters) ? pathItem.parameters : []), ...(Array.isArray(op.parameters) ? op.parameters : [])];
  for (const raw of params) {
    const p = deref(session.def, raw);
    if (!p || typeof p !== 'object' || typeof p.name !== 'string') continue;
    const location = LOCATIONS.get(String(p.in));
    if (location) requestParameters[`method.request.${location}.${p.name}`] = location === 'path' ? true : p.required === true;
    else if (p.in === 'body') {
      const model = await modelFor(session, p.schema, scope, site);
      if (model) for (const ct of contentTypes(op.consumes, session.def.doc.consumes)) requestModels[ct] = model;
    }
  }
  const body = deref(session.def, op.requestBody);
  if (body && typeof body === 'object' && body.content && typeof body.content === 'object') {
    for (const [ct, media] of Object.entries(body.content as Record<string, any>)) {
      const model = await modelFor(session, media?.schema, scope, site);
      if (model) requestModels[ct] = model;
    }
  }
  return { requestParameters, requestModels };
}

async function methodResponsesOf(session: ImportSession, op: Record<string, any>, scope: OperationScope, where: string): Promise<OperationInput[]> {
  const out: OperationInput[] = [];
  for (const [status, raw] of Object.entries((op.responses ?? {}) as Record<string, any>)) {
    if (!/^[1-5]\d\d$/.test(status)) continue;
    const response = deref(session.def, raw) ?? {};
    const input: OperationInput = { statusCode: status };
    const headers = Object.keys(response.headers && typeof response.headers === 'object' ? response.headers : {});
    if (headers.length) input.responseParameters = Object.fromEntries(headers.map((h) => [`method.response.header.${h}`, false]));
    const models: Record<string, string> = {};
    const site: InlineModelSite = { kind: 'response', statusCode: status, where };
    if (session.def.version === 'swagger2') {
      const model = await modelFor(session, response.schema, scope, site);
      if (model) for (const ct of contentTypes(op.produces, session.def.doc.produces)) models[ct] = model;
    } else if (response.content && typeof response.content === 'object') {
      for (const [ct, media] of Object.entries(response.content as Record<string, any>)) {
        const model = await modelFor(session, media?.schema, scope, site);
        if (model) models[ct] = model;
      }
    }
    if (Object.keys(models).length) input.responseModels = models;
    out.push(input);
  }
  return out;
}

/** Puts the method `httpMethod` on `resourceId` (path `path`) with everything the operation describes. */
export async function importOperation(
  session: ImportSession,
  resourceId: string,
  path: string,
  httpMethod: string,
  pathItem: Record<string, any>,
  op: Record<string, any>,
  scope: OperationScope,
): Promise<void> {
  const where = `${httpMethod} ${path}`;
  const auth = methodAuth(session, op, scope.schemes, where);
  const { requestParameters, requestModels } = await requestOf(session, path, pathItem, op, scope, where);
  const method: OperationInput = { resourceId, httpMethod, ...auth, requestParameters, requestModels };
  if (typeof op.operationId === 'string') method.operationName = op.operationId;
  const validatorName = op[VALIDATOR_EXTENSION] ?? session.def.doc[VALIDATOR_EXTENSION];
  if (typeof validatorName === 'string') {
    const id = scope.validators.get(validatorName);
    if (id) method.requestValidatorId = id;
    else session.warn(`Unable to find request validator '${validatorName}' referenced by method '${where}'. Ignoring.`);
  }
  const putMethod = `Unable to put method '${httpMethod}' on resource at path '${path}'`;
  if (!(await session.call('PutMethod', method, putMethod))) return;
  for (const response of await methodResponsesOf(session, op, scope, where)) {
    await session.call('PutMethodResponse', { resourceId, httpMethod, ...response }, `Unable to put method response on '${httpMethod}' for resource at path '${path}'`);
  }

  const ext = op[INTEGRATION_EXTENSION];
  if (ext === undefined) return;
  const plan = planIntegration(ext, path);
  const putIntegration = `Unable to put integration on '${httpMethod}' for resource at path '${path}'`;
  if (!(await session.call('PutIntegration', { resourceId, httpMethod, ...plan.integration }, putIntegration))) return;
  for (const response of plan.responses) {
    await session.call(
      'PutIntegrationResponse',
      { resourceId, httpMethod, ...response },
      `Unable to put integration response on '${httpMethod}' for resource at path '${path}'`,
    );
  }
}

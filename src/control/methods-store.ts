// Where methods live (`methods` → {apiId}/{resourceId}/{HTTP_METHOD}, with their method responses and integration
// embedded) and how every method-level operation finds one, with AWS's texts for each missing level.
import { NotFoundException } from '../aws/errors.ts';
import type { Tx } from '../store/store.ts';
import type { Integration, IntegrationResponse, Method, Resource } from '../store/entities.ts';
import { requireResource } from './resources-tree.ts';

export const INVALID_METHOD = 'Invalid Method identifier specified';
export const INVALID_INTEGRATION = 'Invalid Integration identifier specified';
export const INVALID_RESPONSE_STATUS = 'Invalid Response status code specified';

export const methodKey = (apiId: string, resourceId: string, httpMethod: string): string =>
  `${apiId}/${resourceId}/${httpMethod}`;

export const HTTP_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'ANY'] as const;

export interface MethodRef {
  resource: Resource;
  method: Method;
  key: string;
}

/** Resource then method, each with AWS's 404 text. */
export async function requireMethod(tx: Tx, apiId: string, resourceId: string, httpMethod: string): Promise<MethodRef> {
  const resource = await requireResource(tx, apiId, resourceId);
  const key = methodKey(apiId, resourceId, httpMethod);
  const method = await tx.get<Method>('methods', key);
  if (!method) throw new NotFoundException(INVALID_METHOD);
  return { resource, method, key };
}

/** The methods of one resource, by HTTP method. */
export async function methodsOf(tx: Tx, apiId: string, resourceId: string): Promise<Record<string, Method>> {
  const out: Record<string, Method> = {};
  for (const { value } of await tx.list<Method>('methods', `${apiId}/${resourceId}/`)) out[value.httpMethod] = value;
  return out;
}

/**
 * Every resource's methods of an API in one read (GetResources: one query for the page instead of one per resource,
 * which on PostgreSQL is a round trip each).
 */
export async function methodsByResource(tx: Tx, apiId: string): Promise<Map<string, Record<string, Method>>> {
  const out = new Map<string, Record<string, Method>>();
  const prefix = `${apiId}/`;
  for (const { key, value } of await tx.list<Method>('methods', prefix)) {
    const rest = key.slice(key.indexOf(prefix) + prefix.length);
    const resourceId = rest.slice(0, rest.indexOf('/'));
    let methods = out.get(resourceId);
    if (!methods) out.set(resourceId, (methods = {}));
    methods[value.httpMethod] = value;
  }
  return out;
}

/** Drops map members that are empty objects, as AWS omits them. */
export function pruneEmptyMaps<T extends object>(entity: T, fields: readonly (keyof T)[]): T {
  for (const f of fields) {
    const v = entity[f];
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) delete entity[f];
  }
  return entity;
}

/** "GET /pets"-style locations of the methods matching `pred`, for reference-checked deletes. */
export async function methodUsages(tx: Tx, apiId: string, pred: (m: Method) => boolean): Promise<string[]> {
  const resources = new Map((await tx.list<Resource>('resources', `${apiId}/`)).map((i) => [i.value.id, i.value]));
  return (await tx.list<Method>('methods', `${apiId}/`))
    .filter((i) => pred(i.value))
    .map((i) => `${i.value.httpMethod} ${resources.get(i.key.split('/')[1]!)?.path ?? ''}`);
}

// ---- presentation ----
// AWS answers an empty integration response template as JSON null (recorded: localstack's
// test_apigateway_api.snapshot.json, test_put_integration_response_templates: a template put as "" or null reads
// back as `"application/json": null`). The store keeps "" (an empty response template passes the body through); only the answer
// carries the null.

/** An integration response as Put/Get/Update answer it. */
export function presentIntegrationResponse(response: IntegrationResponse): IntegrationResponse {
  const out = structuredClone(response);
  if (out.responseTemplates) {
    const templates: Record<string, string | null> = out.responseTemplates;
    for (const [contentType, template] of Object.entries(templates)) if (template === '') templates[contentType] = null;
  }
  return out;
}

/** An integration as Put/Get/UpdateIntegration answer it (and as embedded in a method). */
export function presentIntegration(integration: Integration): Integration {
  const out = structuredClone(integration);
  for (const [status, response] of Object.entries(out.integrationResponses ?? {})) {
    out.integrationResponses![status] = presentIntegrationResponse(response);
  }
  return out;
}

/** A method as GetMethod (and GetResource?embed=methods) answers it. */
export function presentMethod(method: Method): Method {
  const out = structuredClone(method);
  if (out.methodIntegration) out.methodIntegration = presentIntegration(out.methodIntegration);
  return out;
}

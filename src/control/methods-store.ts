// Where methods live (`methods` → {apiId}/{resourceId}/{HTTP_METHOD}, with their method responses and integration
// embedded) and how every method-level operation finds one, with AWS's texts for each missing level.
import { NotFoundException } from '../aws/errors.ts';
import type { Tx } from '../store/store.ts';
import type { Method, Resource } from '../store/entities.ts';
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

// CreateRestApi with `cloneFrom`: the new API gets a copy of the source API's resources (with new ids), their
// methods, method responses and integrations, its models, request validators, authorizers and gateway responses.
// References between them (parent ids, a method's authorizerId / requestValidatorId, an integration's
// cacheNamespace defaulted to its resource id) are rewritten to the new ids. Deployments, stages and documentation
// are not part of a clone.
import type { Tx } from '../store/store.ts';
import type { Authorizer, GatewayResponse, Method, Model, RequestValidator, Resource, RestApi } from '../store/entities.ts';
import { newId } from './ids.ts';

/** Copies the content of `source` under `apiId`; returns the new root resource id. */
export async function cloneRestApiContent(tx: Tx, source: RestApi, apiId: string): Promise<string> {
  const from = `${source.id}/`;
  const resourceIds = new Map<string, string>();
  const resources = (await tx.list<Resource>('resources', from)).map((i) => i.value);
  for (const r of resources) resourceIds.set(r.id, newId(10));

  const validatorIds = new Map<string, string>();
  for (const { value } of await tx.list<RequestValidator>('requestvalidators', from)) {
    const id = newId(6);
    validatorIds.set(value.id, id);
    await tx.put('requestvalidators', `${apiId}/${id}`, { ...value, id });
  }
  const authorizerIds = new Map<string, string>();
  for (const { value } of await tx.list<Authorizer>('authorizers', from)) {
    const id = newId(6);
    authorizerIds.set(value.id, id);
    await tx.put('authorizers', `${apiId}/${id}`, { ...value, id });
  }
  for (const { value } of await tx.list<Model>('models', from)) {
    await tx.put('models', `${apiId}/${value.name}`, { ...value, id: newId(6) });
  }
  for (const { value } of await tx.list<GatewayResponse>('gatewayresponses', from)) {
    await tx.put('gatewayresponses', `${apiId}/${value.responseType}`, structuredClone(value));
  }

  let rootId = '';
  for (const r of resources) {
    const id = resourceIds.get(r.id)!;
    const copy: Resource = { ...r, id };
    if (r.parentId) copy.parentId = resourceIds.get(r.parentId);
    else rootId = id;
    await tx.put('resources', `${apiId}/${id}`, copy);
    for (const { value } of await tx.list<Method>('methods', `${source.id}/${r.id}/`)) {
      const method: Method = structuredClone(value);
      if (method.authorizerId) method.authorizerId = authorizerIds.get(method.authorizerId) ?? method.authorizerId;
      if (method.requestValidatorId) {
        method.requestValidatorId = validatorIds.get(method.requestValidatorId) ?? method.requestValidatorId;
      }
      if (method.methodIntegration?.cacheNamespace === r.id) method.methodIntegration.cacheNamespace = id;
      await tx.put('methods', `${apiId}/${id}/${method.httpMethod}`, method);
    }
  }
  return rootId;
}

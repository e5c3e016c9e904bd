// The current (undeployed) definition of an API, read as a deployment snapshot: what TestInvokeMethod runs.
// Mirrors what CreateDeployment freezes (entities as src/store/entities.ts keeps them).
import type { DeploymentSnapshot, GatewayResponse, Method, Model, RequestValidator, Resource, RestApi, Authorizer } from '../../store/entities.ts';
import type { Tx } from '../../store/store.ts';

export async function readCurrentApi(tx: Tx, apiId: string): Promise<DeploymentSnapshot | undefined> {
  const restApi = await tx.get<RestApi>('restapis', apiId);
  if (!restApi) return undefined;
  const values = async <T>(collection: string) => (await tx.list<T>(collection, `${apiId}/`)).map((e) => e.value);
  const resources = await values<Resource>('resources');
  const methods = await tx.list<Method>('methods', `${apiId}/`);
  const byResource = new Map<string, Record<string, Method>>();
  for (const { key, value } of methods) {
    const resourceId = key.split('/')[1]!;
    let m = byResource.get(resourceId);
    if (!m) byResource.set(resourceId, (m = {}));
    m[value.httpMethod] = value;
  }
  return {
    restApi,
    resources: resources.map((r) => ({ ...r, resourceMethods: byResource.get(r.id) })),
    models: await values<Model>('models'),
    requestValidators: await values<RequestValidator>('requestvalidators'),
    authorizers: await values<Authorizer>('authorizers'),
    gatewayResponses: await values<GatewayResponse>('gatewayresponses'),
  };
}

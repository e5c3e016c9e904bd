// Freezing an API for CreateDeployment: everything the data plane needs to run the API, read once from the
// collections documented in src/store/entities.ts and copied, so later edits to the API never reach a deployment
// (as on AWS, where changes take effect only when redeployed).
import { BadRequestException } from '../aws/errors.ts';
import type { Tx } from '../store/store.ts';
import type {
  Authorizer,
  DeploymentSnapshot,
  GatewayResponse,
  Method,
  Model,
  RequestValidator,
  Resource,
  ResourceWithMethods,
  RestApi,
  StoredDeployment,
} from '../store/entities.ts';

async function values<T>(tx: Tx, collection: string, apiId: string): Promise<T[]> {
  return (await tx.list<T>(collection, `${apiId}/`)).map((e) => structuredClone(e.value));
}

/**
 * Reads the API's current definition into a snapshot. AWS refuses to deploy an API without methods
 * ("The REST API doesn't contain any methods") or with a method lacking an integration ("No integration defined
 * for method"), both BadRequestException.
 */
export async function freezeRestApi(tx: Tx, api: RestApi): Promise<DeploymentSnapshot> {
  const apiId = api.id;
  const resources = await values<Resource>(tx, 'resources', apiId);
  const methods = await tx.list<Method>('methods', `${apiId}/`);
  if (methods.length === 0) throw new BadRequestException("The REST API doesn't contain any methods");

  const byResource = new Map<string, Record<string, Method>>();
  for (const { key, value } of methods) {
    if (!value.methodIntegration) throw new BadRequestException('No integration defined for method');
    const resourceId = key.split('/')[1]!;
    let m = byResource.get(resourceId);
    if (!m) byResource.set(resourceId, (m = {}));
    m[value.httpMethod] = structuredClone(value);
  }

  // A private API is reachable only as its resource policy allows: AWS will not deploy one without (recorded in
  // hashicorp/terraform-provider-aws#14290: "BadRequestException: Private REST API doesn't have a resource policy
  // attached to it").
  if (api.endpointConfiguration?.types?.includes('PRIVATE') && !api.policy) {
    throw new BadRequestException("Private REST API doesn't have a resource policy attached to it");
  }

  const withMethods: ResourceWithMethods[] = resources
    .map((r) => {
      const m = byResource.get(r.id);
      return m ? { ...r, resourceMethods: m } : { ...r };
    })
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  return {
    restApi: structuredClone(api),
    resources: withMethods,
    models: await values<Model>(tx, 'models', apiId),
    requestValidators: await values<RequestValidator>(tx, 'requestvalidators', apiId),
    authorizers: await values<Authorizer>(tx, 'authorizers', apiId),
    gatewayResponses: await values<GatewayResponse>(tx, 'gatewayresponses', apiId),
  };
}

/** AWS's `apiSummary` (GetDeployment?embed=apisummary): path → method → { authorizationType, apiKeyRequired }. */
export function apiSummaryOf(snapshot: DeploymentSnapshot): StoredDeployment['apiSummary'] {
  const summary: StoredDeployment['apiSummary'] = {};
  for (const r of snapshot.resources) {
    if (!r.resourceMethods) continue;
    const entry: Record<string, { authorizationType?: string; apiKeyRequired?: boolean }> = {};
    for (const [verb, m] of Object.entries(r.resourceMethods)) {
      entry[verb] = { authorizationType: m.authorizationType ?? 'NONE', apiKeyRequired: m.apiKeyRequired ?? false };
    }
    summary[r.path] = entry;
  }
  return summary;
}

// An API as the control API describes it, with what an import necessarily renumbers taken out, so that two imports
// of equivalent definitions compare equal: the API's own id (in model URLs and ARNs) becomes API_ID, resource ids
// disappear (resources are keyed by path, default cache namespaces are their ids), authorizers and request validators are named instead of numbered.
// Everything else the control API returns is kept: settings, methods, integrations and their responses, method
// responses, models and their schemas, authorizers, validators, gateway responses, documentation parts.
import * as AG from '@aws-sdk/client-api-gateway';

type Json = any;

async function all<T>(page: (position?: string) => Promise<{ items?: T[]; position?: string }>): Promise<T[]> {
  const out: T[] = [];
  let position: string | undefined;
  do {
    const r = await page(position);
    out.push(...(r.items ?? []));
    position = r.position;
  } while (position);
  return out;
}

function plain(value: unknown): Json {
  return JSON.parse(JSON.stringify(value, (k, v) => (k === '$metadata' ? undefined : v)));
}

/** `alsoApiIds`: other ids to write as API_ID (an API copied from another's export names that one in ARNs). */
export async function apiSnapshot(ag: AG.APIGatewayClient, restApiId: string, alsoApiIds: string[] = []): Promise<Json> {
  const api = plain(await ag.send(new AG.GetRestApiCommand({ restApiId })));
  const authorizers = await all((position) => ag.send(new AG.GetAuthorizersCommand({ restApiId, position, limit: 500 })));
  const validators = await all((position) => ag.send(new AG.GetRequestValidatorsCommand({ restApiId, position, limit: 500 })));
  const resources = await all((position) => ag.send(new AG.GetResourcesCommand({ restApiId, position, limit: 500, embed: ['methods'] })));
  const models = await all((position) => ag.send(new AG.GetModelsCommand({ restApiId, position, limit: 500 })));
  const gatewayResponses = await all((position) => ag.send(new AG.GetGatewayResponsesCommand({ restApiId, position, limit: 500 })));
  const documentation = await all((position) => ag.send(new AG.GetDocumentationPartsCommand({ restApiId, position, limit: 500 })));
  const authorizerName = new Map(authorizers.map((a) => [a.id, a.name]));
  const validatorName = new Map(validators.map((v) => [v.id, v.name]));

  delete api.id;
  delete api.createdDate;
  delete api.warnings;
  delete api.rootResourceId;
  // Tags are the resource's AWS tags, not part of the definition: GetExport does not carry them (on AWS neither), so
  // an export's re-import cannot have them. (Import reads them from root `tags[].x-amazon-apigateway-tag-value`.)
  delete api.tags;
  const byPath: Record<string, Json> = {};
  for (const r of resources) {
    const methods: Record<string, Json> = {};
    for (const [name, m] of Object.entries<Json>(plain(r.resourceMethods ?? {}))) {
      // An integration without a cacheNamespace gets its resource's id, as on AWS: renumbered like the resource.
      if (m.methodIntegration?.cacheNamespace === r.id) m.methodIntegration.cacheNamespace = 'RESOURCE_ID';
      if (m.authorizerId) m.authorizerId = `authorizer:${authorizerName.get(m.authorizerId)}`;
      if (m.requestValidatorId) m.requestValidatorId = `validator:${validatorName.get(m.requestValidatorId)}`;
      methods[name] = m;
    }
    byPath[r.path!] = methods;
  }
  const snapshot = {
    api,
    resources: byPath,
    models: Object.fromEntries(models.map((m) => [m.name, { ...plain(m), id: undefined, schema: m.schema ? JSON.parse(m.schema) : undefined }])),
    authorizers: Object.fromEntries(authorizers.map((a) => [a.name, { ...plain(a), id: undefined }])),
    validators: Object.fromEntries(validators.map((v) => [v.name, { ...plain(v), id: undefined }])),
    gatewayResponses: Object.fromEntries(gatewayResponses.map((g) => [g.responseType, plain(g)])),
    documentation: documentation.map((d) => ({ location: plain(d.location), properties: JSON.parse(d.properties ?? '{}') })).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
  };
  let text = JSON.stringify(snapshot);
  for (const id of [restApiId, ...alsoApiIds]) text = text.replaceAll(id, 'API_ID');
  return JSON.parse(text);
}

// "Enable CORS" as the API Gateway console does it: an OPTIONS method with a MOCK integration answering the
// preflight with static Access-Control-Allow-* headers, and Access-Control-Allow-Origin added to the 200 responses
// of the resource's other non-proxy methods. Proxy integrations pass their backend's headers through unchanged, so
// their backend must add the header itself (the page says so).
import {
  DeleteMethodCommand,
  GetMethodCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  UpdateIntegrationResponseCommand,
  UpdateMethodResponseCommand,
  type Resource,
} from '@aws-sdk/client-api-gateway';
import { apigw, emptyResponseModels } from './calls.ts';

export interface CorsSettings {
  allowOrigin: string;
  allowHeaders: string;
  /** Methods besides OPTIONS; default: the resource's. */
  allowMethods?: string[];
}

export const DEFAULT_ALLOW_HEADERS = 'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token';
const H = 'method.response.header.';

/** Sets up CORS on a resource; returns the methods whose backend must send the header itself (proxy integrations). */
export async function enableCors(restApiId: string, resource: Resource, settings: CorsSettings): Promise<string[]> {
  const client = apigw();
  const resourceId = resource.id!;
  const others = Object.keys(resource.resourceMethods ?? {}).filter((m) => m !== 'OPTIONS');
  const methods = settings.allowMethods ?? others;
  if (resource.resourceMethods?.OPTIONS) await client.send(new DeleteMethodCommand({ restApiId, resourceId, httpMethod: 'OPTIONS' }));
  await client.send(new PutMethodCommand({ restApiId, resourceId, httpMethod: 'OPTIONS', authorizationType: 'NONE' }));
  await client.send(new PutMethodResponseCommand({
    restApiId, resourceId, httpMethod: 'OPTIONS', statusCode: '200',
    responseModels: await emptyResponseModels(restApiId),
    responseParameters: { [`${H}Access-Control-Allow-Headers`]: false, [`${H}Access-Control-Allow-Methods`]: false, [`${H}Access-Control-Allow-Origin`]: false },
  }));
  await client.send(new PutIntegrationCommand({ restApiId, resourceId, httpMethod: 'OPTIONS', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  await client.send(new PutIntegrationResponseCommand({
    restApiId, resourceId, httpMethod: 'OPTIONS', statusCode: '200',
    responseTemplates: { 'application/json': '' },
    responseParameters: {
      [`${H}Access-Control-Allow-Headers`]: `'${settings.allowHeaders}'`,
      [`${H}Access-Control-Allow-Methods`]: `'${[...new Set([...methods, 'OPTIONS'])].join(',')}'`,
      [`${H}Access-Control-Allow-Origin`]: `'${settings.allowOrigin}'`,
    },
  }));
  const proxied: string[] = [];
  for (const httpMethod of others) {
    const method = await client.send(new GetMethodCommand({ restApiId, resourceId, httpMethod }));
    const type = method.methodIntegration?.type;
    if (type === 'AWS_PROXY' || type === 'HTTP_PROXY') {
      proxied.push(httpMethod);
      continue;
    }
    if (!method.methodResponses?.['200'] || !method.methodIntegration?.integrationResponses?.['200']) continue;
    const path = `/responseParameters/${H}Access-Control-Allow-Origin`;
    if (!(`${H}Access-Control-Allow-Origin` in (method.methodResponses['200'].responseParameters ?? {}))) {
      await client.send(new UpdateMethodResponseCommand({ restApiId, resourceId, httpMethod, statusCode: '200', patchOperations: [{ op: 'add', path, value: 'false' }] }));
    }
    const has = `${H}Access-Control-Allow-Origin` in (method.methodIntegration.integrationResponses['200'].responseParameters ?? {});
    await client.send(new UpdateIntegrationResponseCommand({ restApiId, resourceId, httpMethod, statusCode: '200', patchOperations: [{ op: has ? 'replace' : 'add', path, value: `'${settings.allowOrigin}'` }] }));
  }
  return proxied;
}

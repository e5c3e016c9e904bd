// A method's integration as the x-amazon-apigateway-integration extension, members in the order AWS writes
// them (type, httpMethod, uri, responses, requestParameters, requestTemplates, passthroughBehavior, as recorded
// in LocalStack's test_apigateway_extended.snapshot.json); `type` and `passthroughBehavior` lowercase, as AWS
// exports them; members AWS leaves at their defaults are omitted (the 29 s timeout, INTERNET connections, a cache
// namespace without cache key parameters).
import type { Integration, IntegrationResponse } from '../store/entities.ts';
import { inHashMapOrder, javaHashMapOrder } from './java-order.ts';

const DEFAULT_TIMEOUT_MS = 29000;

export function integrationExtension(i: Integration): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (i.type !== undefined) out.type = i.type.toLowerCase();
  if (i.credentials !== undefined) out.credentials = i.credentials;
  if (i.httpMethod !== undefined && i.type !== 'MOCK') out.httpMethod = i.httpMethod;
  if (i.uri !== undefined && i.type !== 'MOCK') out.uri = i.uri;
  if (i.connectionType === 'VPC_LINK') {
    out.connectionType = 'VPC_LINK';
    if (i.connectionId !== undefined) out.connectionId = i.connectionId;
  }
  const responses = integrationResponses(i.integrationResponses);
  if (responses) out.responses = responses;
  if (i.requestParameters && Object.keys(i.requestParameters).length) out.requestParameters = inHashMapOrder(i.requestParameters);
  if (i.requestTemplates && Object.keys(i.requestTemplates).length) out.requestTemplates = inHashMapOrder(i.requestTemplates);
  if (i.passthroughBehavior !== undefined) out.passthroughBehavior = i.passthroughBehavior.toLowerCase();
  if (i.cacheKeyParameters?.length) {
    if (i.cacheNamespace !== undefined) out.cacheNamespace = i.cacheNamespace;
    out.cacheKeyParameters = [...i.cacheKeyParameters];
  }
  if (i.contentHandling !== undefined) out.contentHandling = i.contentHandling;
  if (i.timeoutInMillis !== undefined && i.timeoutInMillis !== DEFAULT_TIMEOUT_MS) out.timeoutInMillis = i.timeoutInMillis;
  if (i.tlsConfig?.insecureSkipVerification !== undefined) out.tlsConfig = { insecureSkipVerification: i.tlsConfig.insecureSkipVerification };
  if (i.responseTransferMode !== undefined && i.responseTransferMode !== 'BUFFERED') out.responseTransferMode = i.responseTransferMode;
  if (i.integrationTarget !== undefined) out.integrationTarget = i.integrationTarget;
  return out;
}

/** Integration responses keyed by their selection pattern, `default` for the one without. */
function integrationResponses(responses: Record<string, IntegrationResponse> | undefined): Record<string, unknown> | undefined {
  if (!responses || Object.keys(responses).length === 0) return undefined;
  // A selection pattern is free text (even `__proto__`): collected in a Map, written with defined properties.
  const byKey = new Map<string, unknown>();
  for (const r of Object.values(responses)) {
    const entry: Record<string, unknown> = { statusCode: r.statusCode };
    if (r.responseParameters && Object.keys(r.responseParameters).length) entry.responseParameters = inHashMapOrder(r.responseParameters);
    if (r.responseTemplates && Object.keys(r.responseTemplates).length) entry.responseTemplates = inHashMapOrder(r.responseTemplates);
    if (r.contentHandling !== undefined) entry.contentHandling = r.contentHandling;
    byKey.set(r.selectionPattern === undefined || r.selectionPattern === '' ? 'default' : r.selectionPattern, entry);
  }
  return Object.fromEntries(javaHashMapOrder([...byKey.keys()]).map((k) => [k, byKey.get(k)]));
}

// `x-amazon-apigateway-integration` on an operation → PutIntegration and PutIntegrationResponse inputs
// (developer guide, "x-amazon-apigateway-integration object"). Enumerated values are written in lower case in
// definitions (`type: aws_proxy`, `passthroughBehavior: when_no_match`) and stored upper case; a response keyed
// `default` has no selection pattern, any other key is its selection pattern (recorded on AWS: localstack's
// test_apigateway_import.snapshot.json, test_import_swagger_api). Integer status codes are read as strings
// (recorded: test_import_with_integer_http_status_code).
import type { OperationInput } from '../aws/operation.ts';

export const INTEGRATION_EXTENSION = 'x-amazon-apigateway-integration';

const upper = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v).toUpperCase());

/**
 * A map of strings from the definition. Values that are not strings are dropped, as AWS drops them (recorded:
 * test_import_rest_api_with_base_path_oas30, where `integration.request.header.nothing: true` is not imported);
 * a null template is an empty one.
 */
function stringMap(v: unknown, nullAs?: string): Record<string, string> | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (typeof val === 'string') out[k] = val;
    else if (val === null && nullAs !== undefined) out[k] = nullAs;
  }
  return out;
}

export interface IntegrationPlan {
  integration: OperationInput;
  responses: OperationInput[];
}

/** The PutIntegration input and the PutIntegrationResponse inputs an integration object describes. */
export function planIntegration(ext: Record<string, any>): IntegrationPlan {
  const integration: OperationInput = { type: upper(ext.type) };
  if (ext.httpMethod !== undefined) integration.integrationHttpMethod = upper(ext.httpMethod);
  if (ext.uri !== undefined) integration.uri = String(ext.uri);
  if (ext.credentials !== undefined) integration.credentials = String(ext.credentials);
  if (ext.connectionType !== undefined) integration.connectionType = upper(ext.connectionType);
  if (ext.connectionId !== undefined) integration.connectionId = String(ext.connectionId);
  if (ext.passthroughBehavior !== undefined) integration.passthroughBehavior = upper(ext.passthroughBehavior);
  if (ext.contentHandling !== undefined) integration.contentHandling = upper(ext.contentHandling);
  if (ext.cacheNamespace !== undefined) integration.cacheNamespace = String(ext.cacheNamespace);
  if (Array.isArray(ext.cacheKeyParameters)) integration.cacheKeyParameters = ext.cacheKeyParameters.map(String);
  if (ext.timeoutInMillis !== undefined) integration.timeoutInMillis = Number(ext.timeoutInMillis);
  if (ext.tlsConfig && typeof ext.tlsConfig === 'object') {
    integration.tlsConfig = { insecureSkipVerification: ext.tlsConfig.insecureSkipVerification === true };
  }
  const requestParameters = stringMap(ext.requestParameters);
  if (requestParameters) integration.requestParameters = requestParameters;
  const requestTemplates = stringMap(ext.requestTemplates, '');
  if (requestTemplates) integration.requestTemplates = requestTemplates;

  const responses: OperationInput[] = [];
  for (const [pattern, raw] of Object.entries((ext.responses ?? {}) as Record<string, any>)) {
    if (!raw || typeof raw !== 'object') continue;
    const response: OperationInput = { statusCode: String(raw.statusCode ?? '') };
    if (pattern !== 'default') response.selectionPattern = pattern;
    const responseParameters = stringMap(raw.responseParameters);
    if (responseParameters) response.responseParameters = responseParameters;
    const responseTemplates = stringMap(raw.responseTemplates, '');
    if (responseTemplates) response.responseTemplates = responseTemplates;
    if (raw.contentHandling !== undefined) response.contentHandling = upper(raw.contentHandling);
    responses.push(response);
  }
  return { integration, responses };
}

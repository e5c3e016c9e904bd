// `x-amazon-apigateway-integration` on an operation → PutIntegration and PutIntegrationResponse inputs
// (developer guide, "x-amazon-apigateway-integration object"). Enumerated values are written in lower case in
// definitions (`type: aws_proxy`, `passthroughBehavior: when_no_match`) and stored upper case; a response keyed
// `default` has no selection pattern, any other key is its selection pattern (recorded on AWS: localstack's
// test_apigateway_import.snapshot.json, test_import_swagger_api). Integer status codes are read as strings
// (recorded: test_import_with_integer_http_status_code).
// An integration API Gateway cannot read (not an object, a field that is an object such as CloudFormation's
// `Fn::Sub` where a string belongs, an unknown type) fails the whole import at once with "Unable to parse API
// definition because of a malformed integration at path /." (AWS's answer quoted in localstack/localstack#4619).
import { BadRequestException } from '../aws/errors.ts';
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

const INTEGRATION_TYPES = ['HTTP', 'AWS', 'MOCK', 'HTTP_PROXY', 'AWS_PROXY'];
const CONNECTION_TYPES = ['INTERNET', 'VPC_LINK'];
const CONTENT_HANDLING = ['CONVERT_TO_BINARY', 'CONVERT_TO_TEXT'];
const SCALARS = ['type', 'httpMethod', 'uri', 'credentials', 'connectionType', 'connectionId', 'passthroughBehavior', 'contentHandling', 'cacheNamespace', 'timeoutInMillis'];

const isScalar = (v: unknown) => v === undefined || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** Whether the plan holds only what API Gateway can read. */
function readable(ext: Record<string, any>, plan: IntegrationPlan): boolean {
  const i = plan.integration;
  return (
    SCALARS.every((f) => isScalar(ext[f])) &&
    INTEGRATION_TYPES.includes(i.type) &&
    (i.connectionType === undefined || CONNECTION_TYPES.includes(i.connectionType)) &&
    (i.contentHandling === undefined || CONTENT_HANDLING.includes(i.contentHandling)) &&
    (i.timeoutInMillis === undefined || Number.isFinite(i.timeoutInMillis)) &&
    (ext.cacheKeyParameters === undefined || (Array.isArray(ext.cacheKeyParameters) && ext.cacheKeyParameters.every((k: unknown) => typeof k === 'string'))) &&
    plan.responses.every((r) => /^[1-5]\d\d$/.test(r.statusCode) && (r.contentHandling === undefined || CONTENT_HANDLING.includes(r.contentHandling)))
  );
}

/** The PutIntegration input and the PutIntegrationResponse inputs an integration object describes. */
export function planIntegration(ext: unknown, path: string): IntegrationPlan {
  const malformed = new BadRequestException(`Unable to parse API definition because of a malformed integration at path ${path}.`);
  if (!ext || typeof ext !== 'object' || Array.isArray(ext)) throw malformed;
  const plan = readPlan(ext as Record<string, any>);
  if (!readable(ext as Record<string, any>, plan)) throw malformed;
  return plan;
}

function readPlan(ext: Record<string, any>): IntegrationPlan {
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
    const response: OperationInput = { statusCode: isScalar(raw.statusCode) ? String(raw.statusCode ?? '') : '' };
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

// The gateway response types of API Gateway with their defaults, and how a REST API's own responses combine with
// them. Recorded on AWS (localstack's test_apigateway_api.snapshot.json, TestApiGatewayGatewayResponse):
// GetGatewayResponses lists every type in alphabetical order; a type the user did not put is
// `defaultResponse: true` with the default status, `responseParameters: {}` and the JSON message template; once
// the user puts DEFAULT_4XX or DEFAULT_5XX, the types of that class still at their default take its status code,
// parameters and templates (still `defaultResponse: true`). DEFAULT_4XX / DEFAULT_5XX have no status of their own.
import type { GatewayResponse } from '../store/entities.ts';

export const DEFAULT_TEMPLATE = '{"message":$context.error.messageString}';

/** Type → default status code (undefined for the DEFAULT_* types), in AWS's listing order. */
export const GATEWAY_RESPONSE_TYPES: ReadonlyArray<readonly [string, string | undefined]> = [
  ['ACCESS_DENIED', '403'],
  ['API_CONFIGURATION_ERROR', '500'],
  ['AUTHORIZER_CONFIGURATION_ERROR', '500'],
  ['AUTHORIZER_FAILURE', '500'],
  ['BAD_REQUEST_BODY', '400'],
  ['BAD_REQUEST_PARAMETERS', '400'],
  ['DEFAULT_4XX', undefined],
  ['DEFAULT_5XX', undefined],
  ['EXPIRED_TOKEN', '403'],
  ['INTEGRATION_FAILURE', '504'],
  ['INTEGRATION_TIMEOUT', '504'],
  ['INVALID_API_KEY', '403'],
  ['INVALID_SIGNATURE', '403'],
  ['MISSING_AUTHENTICATION_TOKEN', '403'],
  ['QUOTA_EXCEEDED', '429'],
  ['REQUEST_TOO_LARGE', '413'],
  ['RESOURCE_NOT_FOUND', '404'],
  ['THROTTLED', '429'],
  ['UNAUTHORIZED', '401'],
  ['UNSUPPORTED_MEDIA_TYPE', '415'],
  ['WAF_FILTERED', '403'],
];

const DEFAULT_STATUS = new Map(GATEWAY_RESPONSE_TYPES);

export function isGatewayResponseType(type: string): boolean {
  return DEFAULT_STATUS.has(type);
}

/** The response type's own default, as GetGatewayResponse shows it before any put. */
export function builtinGatewayResponse(type: string): GatewayResponse {
  const status = DEFAULT_STATUS.get(type);
  const out: GatewayResponse = {
    responseType: type,
    defaultResponse: true,
    responseParameters: {},
    responseTemplates: { 'application/json': DEFAULT_TEMPLATE },
  };
  if (status) out.statusCode = status;
  return out;
}

/** DEFAULT_4XX or DEFAULT_5XX: the class a type inherits from. */
function parentOf(type: string): string | undefined {
  if (type.startsWith('DEFAULT_')) return undefined;
  return DEFAULT_STATUS.get(type)!.startsWith('5') ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
}

/** The response in effect for `type`, given the API's own responses by type. */
export function effectiveGatewayResponse(type: string, own: ReadonlyMap<string, GatewayResponse>): GatewayResponse {
  const put = own.get(type);
  if (put) return structuredClone(put);
  const base = builtinGatewayResponse(type);
  const parentType = parentOf(type);
  const parent = parentType ? own.get(parentType) : undefined;
  if (!parent) return base;
  return {
    ...base,
    statusCode: parent.statusCode ?? base.statusCode,
    responseParameters: structuredClone(parent.responseParameters ?? {}),
    responseTemplates: structuredClone(parent.responseTemplates ?? {}),
  };
}

import type { BindingOptions } from '../aws/binding.ts';

// Enum value lists in the order real API Gateway prints them in ValidationException texts, which is not the
// order of the service model. Source: responses recorded on AWS in localstack's
// tests/aws/services/apigateway/test_apigateway_api.snapshot.json.
export const APIGATEWAY_ENUM_ORDER: Record<string, readonly string[]> = {
  IntegrationType: ['HTTP', 'MOCK', 'AWS_PROXY', 'HTTP_PROXY', 'AWS'],
  Op: ['add', 'remove', 'move', 'test', 'replace', 'copy'],
  // create_documentation_part_invalid_location_type (test_invalid_create_documentation_part_operations).
  DocumentationPartType: [
    'RESPONSE_BODY', 'RESPONSE', 'METHOD', 'MODEL', 'AUTHORIZER', 'RESPONSE_HEADER', 'RESOURCE', 'PATH_PARAMETER',
    'REQUEST_BODY', 'QUERY_PARAMETER', 'API', 'REQUEST_HEADER',
  ],
  GatewayResponseType: [
    'REQUEST_TOO_LARGE', 'RESOURCE_NOT_FOUND', 'AUTHORIZER_CONFIGURATION_ERROR', 'MISSING_AUTHENTICATION_TOKEN',
    'BAD_REQUEST_BODY', 'INVALID_SIGNATURE', 'INVALID_API_KEY', 'BAD_REQUEST_PARAMETERS', 'AUTHORIZER_FAILURE',
    'UNAUTHORIZED', 'INTEGRATION_TIMEOUT', 'ACCESS_DENIED', 'DEFAULT_4XX', 'DEFAULT_5XX', 'WAF_FILTERED',
    'QUOTA_EXCEEDED', 'THROTTLED', 'API_CONFIGURATION_ERROR', 'UNSUPPORTED_MEDIA_TYPE', 'INTEGRATION_FAILURE',
    'EXPIRED_TOKEN',
  ],
  EndpointType: ['PRIVATE', 'EDGE', 'REGIONAL'],
};

/**
 * How the protocol layer binds apigateway inputs: AWS's enum orders, and the maps whose null values AWS keeps
 * (`responseTemplates`: a template put as null reads back as null, recorded in localstack's
 * test_apigateway_api.snapshot.json, test_put_integration_response_templates).
 */
export const APIGATEWAY_BINDING: BindingOptions = { enumOrder: APIGATEWAY_ENUM_ORDER, keepNullMapValues: ['responseTemplates'] };

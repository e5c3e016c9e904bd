// The gateway responses of API Gateway: one error class per response type, each with the default status, the
// `x-amzn-ErrorType` AWS sends and its default message. A pipeline step ends a request by throwing one of these;
// src/execute/responses/gateway-response.ts renders it (per-API overrides, DEFAULT_4XX / DEFAULT_5XX inheritance).

export type GatewayResponseType =
  | 'ACCESS_DENIED'
  | 'API_CONFIGURATION_ERROR'
  | 'AUTHORIZER_CONFIGURATION_ERROR'
  | 'AUTHORIZER_FAILURE'
  | 'BAD_REQUEST_PARAMETERS'
  | 'BAD_REQUEST_BODY'
  | 'DEFAULT_4XX'
  | 'DEFAULT_5XX'
  | 'EXPIRED_TOKEN'
  | 'INTEGRATION_FAILURE'
  | 'INTEGRATION_TIMEOUT'
  | 'INVALID_API_KEY'
  | 'INVALID_SIGNATURE'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'QUOTA_EXCEEDED'
  | 'REQUEST_TOO_LARGE'
  | 'RESOURCE_NOT_FOUND'
  | 'THROTTLED'
  | 'UNAUTHORIZED'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'WAF_FILTERED';

interface TypeInfo {
  /** Default status; DEFAULT_4XX / DEFAULT_5XX have none of their own. */
  status: number;
  errorType: string;
  message: string;
  /**
   * AWS's default body is `{"message": "..."}` (with a space) for failures met while executing the method
   * (validation, integration, configuration: e.g. 504 `{"message": "Endpoint request timed out"}`), and
   * `{"message":"..."}` for the front end's (routing, authorization, throttling: `{"message":"Missing Authentication
   * Token"}`), as recorded from real APIs.
   */
  spaced: boolean;
}

/** AWS's defaults per response type (the ones GetGatewayResponses lists with defaultResponse: true). */
export const GATEWAY_RESPONSE_TYPES: Readonly<Record<GatewayResponseType, TypeInfo>> = {
  ACCESS_DENIED: { status: 403, errorType: 'AccessDeniedException', message: 'User is not authorized to access this resource', spaced: false },
  API_CONFIGURATION_ERROR: { status: 500, errorType: 'InternalServerErrorException', message: 'Internal server error', spaced: true },
  AUTHORIZER_CONFIGURATION_ERROR: { status: 500, errorType: 'AuthorizerConfigurationException', message: 'Internal server error', spaced: false },
  AUTHORIZER_FAILURE: { status: 500, errorType: 'AuthorizerFailureException', message: 'Internal server error', spaced: false },
  BAD_REQUEST_PARAMETERS: { status: 400, errorType: 'BadRequestException', message: 'Missing required request parameters', spaced: true },
  BAD_REQUEST_BODY: { status: 400, errorType: 'BadRequestException', message: 'Invalid request body', spaced: true },
  DEFAULT_4XX: { status: 400, errorType: 'BadRequestException', message: 'Bad Request', spaced: false },
  DEFAULT_5XX: { status: 500, errorType: 'InternalServerErrorException', message: 'Internal server error', spaced: true },
  EXPIRED_TOKEN: { status: 403, errorType: 'ExpiredTokenException', message: 'The security token included in the request is expired', spaced: false },
  INTEGRATION_FAILURE: { status: 504, errorType: 'InternalServerErrorException', message: 'Internal server error', spaced: true },
  INTEGRATION_TIMEOUT: { status: 504, errorType: 'InternalServerErrorException', message: 'Endpoint request timed out', spaced: true },
  INVALID_API_KEY: { status: 403, errorType: 'ForbiddenException', message: 'Forbidden', spaced: false },
  INVALID_SIGNATURE: { status: 403, errorType: 'InvalidSignatureException', message: 'The request signature we calculated does not match the signature you provided', spaced: false },
  MISSING_AUTHENTICATION_TOKEN: { status: 403, errorType: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token', spaced: false },
  QUOTA_EXCEEDED: { status: 429, errorType: 'LimitExceededException', message: 'Limit Exceeded', spaced: false },
  REQUEST_TOO_LARGE: { status: 413, errorType: 'BadRequestException', message: 'Request Too Long', spaced: true },
  RESOURCE_NOT_FOUND: { status: 404, errorType: 'ResourceNotFoundException', message: 'Not Found', spaced: false },
  THROTTLED: { status: 429, errorType: 'TooManyRequestsException', message: 'Too Many Requests', spaced: false },
  UNAUTHORIZED: { status: 401, errorType: 'UnauthorizedException', message: 'Unauthorized', spaced: false },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, errorType: 'UnsupportedMediaTypeException', message: 'Unsupported Media Type', spaced: true },
  WAF_FILTERED: { status: 403, errorType: 'WAFFilteredException', message: 'Forbidden', spaced: false },
};

/** Ends an invocation with a gateway response. `message` becomes $context.error.message. */
export class GatewayError extends Error {
  readonly responseType: GatewayResponseType;
  /** $context.error.validationErrorString (request validation failures only). */
  readonly validationErrorString: string;
  /** An execution-log line explaining the failure (AWS logs these as "Execution failed due to ..."). */
  readonly logLine: string | undefined;
  /** For answers AWS gives outside the response-type table (status and error type of their own). */
  readonly status: number | undefined;
  readonly errorType: string | undefined;
  /**
   * The default body's key: `message`, or `Message` for the policy refusals AWS writes with a capital
   * (`{"Message":"User: anonymous is not authorized to perform: execute-api:Invoke on resource: …"}`).
   */
  readonly bodyKey: 'message' | 'Message';
  constructor(
    type: GatewayResponseType,
    message?: string,
    opts: { validationErrorString?: string; logLine?: string; status?: number; errorType?: string; bodyKey?: 'Message' } = {},
  ) {
    // Gateway errors are answers, not bugs: capturing a stack trace for each would cost more than the request.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message ?? GATEWAY_RESPONSE_TYPES[type].message);
    Error.stackTraceLimit = limit;
    this.responseType = type;
    this.validationErrorString = opts.validationErrorString ?? '';
    this.logLine = opts.logLine;
    this.status = opts.status;
    this.errorType = opts.errorType;
    this.bodyKey = opts.bodyKey ?? 'message';
  }
}

const kind = (type: GatewayResponseType) =>
  class extends GatewayError {
    constructor(message?: string, opts?: { validationErrorString?: string; logLine?: string }) {
      super(type, message, opts);
    }
  };

export const MissingAuthenticationTokenError = kind('MISSING_AUTHENTICATION_TOKEN');
export const BadRequestParametersError = kind('BAD_REQUEST_PARAMETERS');
export const BadRequestBodyError = kind('BAD_REQUEST_BODY');
export const UnsupportedMediaTypeError = kind('UNSUPPORTED_MEDIA_TYPE');
export const RequestTooLargeError = kind('REQUEST_TOO_LARGE');
export const IntegrationTimeoutError = kind('INTEGRATION_TIMEOUT');
export const IntegrationFailureError = kind('INTEGRATION_FAILURE');
export const ApiConfigurationError = kind('API_CONFIGURATION_ERROR');
export const AccessDeniedError = kind('ACCESS_DENIED');
export const UnauthorizedError = kind('UNAUTHORIZED');
export const InvalidApiKeyError = kind('INVALID_API_KEY');
export const Default4xxError = kind('DEFAULT_4XX');
export const Default5xxError = kind('DEFAULT_5XX');
export const ThrottledError = kind('THROTTLED');
export const QuotaExceededError = kind('QUOTA_EXCEEDED');

/**
 * A failure AWS reports as a plain 500 "Internal server error" with an execution-log line
 * "Execution failed due to configuration error: ..." (no matching integration response, invalid method response,
 * integrations Gatehouse cannot run yet). Rendered through DEFAULT_5XX like AWS does.
 */
export class ConfigurationError extends GatewayError {
  constructor(detail: string) {
    super('DEFAULT_5XX', 'Internal server error', { logLine: `Execution failed due to configuration error: ${detail}` });
  }
}

/**
 * AUTHORIZER_CONFIGURATION_ERROR as API Gateway answers it for a Lambda authorizer that failed (threw, timed out,
 * returned something that is not a policy, or could not be invoked): 500 with `{"message":null}` — the error has no
 * message at all ($context.error.message is null), as recorded in aws/chalice#670 and
 * auth0-samples/jwt-rsa-aws-custom-authorizer#6. The reason goes to the execution log.
 */
export class AuthorizerConfigurationError extends GatewayError {
  readonly messageIsNull = true;
  constructor(detail: string) {
    super('AUTHORIZER_CONFIGURATION_ERROR', '', { logLine: `Execution failed due to configuration error: ${detail}` });
  }
}

/** The execute-api endpoint of an API with disableExecuteApiEndpoint: 403 Forbidden (ForbiddenException). */
export class ForbiddenError extends GatewayError {
  constructor() {
    super('DEFAULT_4XX', 'Forbidden', { status: 403, errorType: 'ForbiddenException' });
  }
}

// AWS error shapes. One class per error type; the protocol layer renders any AwsError as
// status + `x-amzn-ErrorType: <code>` + `{"message": "..."}` (plus `extra` members, e.g. Lambda's `Type`).
// Handlers throw these and nothing else; an unexpected exception becomes a 500 of the service's own kind.

export class AwsError extends Error {
  readonly code: string;
  readonly status: number;
  /** Extra response headers (e.g. Retry-After). */
  readonly headers: Record<string, string>;
  /** Extra members of the JSON error body. */
  readonly extra: Record<string, unknown>;

  constructor(code: string, status: number, message: string, opts: { headers?: Record<string, string>; extra?: Record<string, unknown> } = {}) {
    super(message);
    this.name = code;
    this.code = code;
    this.status = status;
    this.headers = opts.headers ?? {};
    this.extra = opts.extra ?? {};
  }
}

const kind = (code: string, status: number) =>
  class extends AwsError {
    constructor(message: string, opts?: { headers?: Record<string, string>; extra?: Record<string, unknown> }) {
      super(code, status, message, opts);
    }
  };

// apigateway (modelled) and the protocol-level errors real AWS also returns.
export const BadRequestException = kind('BadRequestException', 400);
export const UnauthorizedException = kind('UnauthorizedException', 401);
export const NotFoundException = kind('NotFoundException', 404);
export const ConflictException = kind('ConflictException', 409);
export const LimitExceededException = kind('LimitExceededException', 429);
export const ServiceUnavailableException = kind('ServiceUnavailableException', 503);
export const ValidationException = kind('ValidationException', 400);
export const SerializationException = kind('SerializationException', 400);
export const UnknownOperationException = kind('UnknownOperationException', 404);
export const MissingAuthenticationTokenException = kind('MissingAuthenticationTokenException', 403);
export const IncompleteSignatureException = kind('IncompleteSignatureException', 403);
export const InternalFailure = kind('InternalFailure', 500);

export class TooManyRequestsException extends AwsError {
  constructor(message: string, retryAfterSeconds = 1, extra?: Record<string, unknown>) {
    super('TooManyRequestsException', 429, message, { headers: { 'Retry-After': String(retryAfterSeconds) }, extra });
  }
}

// lambda: its errors carry `"Type": "User"` (or "Service") beside the message.
const lambdaKind = (code: string, status: number, type: 'User' | 'Service' = 'User') =>
  class extends AwsError {
    constructor(message: string, opts?: { headers?: Record<string, string>; extra?: Record<string, unknown> }) {
      super(code, status, message, { headers: opts?.headers, extra: { Type: type, ...opts?.extra } });
    }
  };

export const ResourceNotFoundException = lambdaKind('ResourceNotFoundException', 404);
export const ResourceConflictException = lambdaKind('ResourceConflictException', 409);
export const InvalidParameterValueException = lambdaKind('InvalidParameterValueException', 400);
export const InvalidRequestContentException = lambdaKind('InvalidRequestContentException', 400);
export const RequestTooLargeException = lambdaKind('RequestTooLargeException', 413);
export const PreconditionFailedException = lambdaKind('PreconditionFailedException', 412);
export const ServiceException = lambdaKind('ServiceException', 500, 'Service');
export const UnsupportedMediaTypeException = lambdaKind('UnsupportedMediaTypeException', 415);
export const CodeStorageExceededException = lambdaKind('CodeStorageExceededException', 400);
export const InvalidZipFileException = lambdaKind('InvalidZipFileException', 502);
export const InvalidRuntimeException = lambdaKind('InvalidRuntimeException', 502);
export const ResourceNotReadyException = lambdaKind('ResourceNotReadyException', 502);
export const PolicyLengthExceededException = lambdaKind('PolicyLengthExceededException', 400);

// Each error class is also a type, so handlers can declare what they return or throw.
export type BadRequestException = InstanceType<typeof BadRequestException>;
export type UnauthorizedException = InstanceType<typeof UnauthorizedException>;
export type NotFoundException = InstanceType<typeof NotFoundException>;
export type ConflictException = InstanceType<typeof ConflictException>;
export type LimitExceededException = InstanceType<typeof LimitExceededException>;
export type ServiceUnavailableException = InstanceType<typeof ServiceUnavailableException>;
export type ValidationException = InstanceType<typeof ValidationException>;
export type SerializationException = InstanceType<typeof SerializationException>;
export type UnknownOperationException = InstanceType<typeof UnknownOperationException>;
export type MissingAuthenticationTokenException = InstanceType<typeof MissingAuthenticationTokenException>;
export type InternalFailure = InstanceType<typeof InternalFailure>;
export type ResourceNotFoundException = InstanceType<typeof ResourceNotFoundException>;
export type ResourceConflictException = InstanceType<typeof ResourceConflictException>;
export type InvalidParameterValueException = InstanceType<typeof InvalidParameterValueException>;
export type InvalidRequestContentException = InstanceType<typeof InvalidRequestContentException>;
export type RequestTooLargeException = InstanceType<typeof RequestTooLargeException>;
export type PreconditionFailedException = InstanceType<typeof PreconditionFailedException>;
export type ServiceException = InstanceType<typeof ServiceException>;
export type UnsupportedMediaTypeException = InstanceType<typeof UnsupportedMediaTypeException>;
export type CodeStorageExceededException = InstanceType<typeof CodeStorageExceededException>;
export type InvalidZipFileException = InstanceType<typeof InvalidZipFileException>;
export type InvalidRuntimeException = InstanceType<typeof InvalidRuntimeException>;
export type ResourceNotReadyException = InstanceType<typeof ResourceNotReadyException>;
export type PolicyLengthExceededException = InstanceType<typeof PolicyLengthExceededException>;

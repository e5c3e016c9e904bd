// A function's configuration: what CreateFunction / UpdateFunctionConfiguration accept (with Lambda's defaults and
// error texts), and the FunctionConfiguration shape every operation answers with. Settings Gatehouse cannot honour
// (VPCs, layers, file systems, container images, ...) are refused loudly rather than stored and ignored.
import { randomUUID } from 'node:crypto';
import { InvalidParameterValueException, ValidationException } from '../aws/errors.ts';
import { functionArn, LATEST } from './names.ts';
import type { FunctionRecord, VersionConfig } from './records.ts';

/**
 * Runtimes Gatehouse runs (src/functions/runtimes): each nodejsNN.x on Node.js NN, python3.1x on the machine's Python
 * through Gatehouse's Python runtime client, provided.al2023 with the code's own bootstrap.
 */
export const SUPPORTED_RUNTIMES = ['nodejs20.x', 'nodejs22.x', 'nodejs24.x', 'python3.11', 'python3.12', 'python3.13', 'provided.al2023'] as const;
const DEPRECATED_RUNTIMES = new Set([
  'nodejs', 'nodejs4.3', 'nodejs6.10', 'nodejs8.10', 'nodejs10.x', 'nodejs12.x', 'nodejs14.x', 'nodejs16.x', 'nodejs4.3-edge',
  'python2.7', 'python3.6', 'python3.7', 'python3.8', 'dotnetcore1.0', 'dotnetcore2.0', 'dotnetcore2.1', 'dotnetcore3.1', 'dotnet6',
  'ruby2.5', 'ruby2.7', 'go1.x', 'java8', 'provided',
]);

export const isNodeRuntime = (runtime: string): boolean => runtime.startsWith('nodejs');

// Environment variables Lambda sets itself and refuses from users.
const RESERVED_ENV = new Set([
  '_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_INITIALIZATION_TYPE', 'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME', 'AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR',
]);

const MAX_TIMEOUT = 900;
const MAX_MEMORY = 10_240;
const ENV_LIMIT_BYTES = 4096;

export function lastModified(now: Date): string {
  // Lambda's own format: milliseconds and a +0000 offset, not ISO 8601's Z.
  return now.toISOString().replace('Z', '+0000');
}

export function checkRuntime(runtime: string): void {
  if (DEPRECATED_RUNTIMES.has(runtime)) {
    throw new InvalidParameterValueException(
      `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.`,
    );
  }
  if (!(SUPPORTED_RUNTIMES as readonly string[]).includes(runtime)) {
    throw new InvalidParameterValueException(
      `The runtime parameter of ${runtime} is not supported by Gatehouse. Supported runtimes: ${SUPPORTED_RUNTIMES.join(', ')}.`,
    );
  }
}

function checkTimeout(timeout: number | undefined): void {
  if (timeout !== undefined && timeout > MAX_TIMEOUT) {
    throw new ValidationException(
      `1 validation error detected: Value '${timeout}' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to ${MAX_TIMEOUT}`,
    );
  }
}

function checkMemory(memory: number | undefined): void {
  if (memory !== undefined && memory > MAX_MEMORY) {
    throw new InvalidParameterValueException(`'MemorySize' value failed to satisfy constraint: Member must have value less than or equal to ${MAX_MEMORY}`);
  }
}

function checkEnvironment(env: { Variables?: Record<string, string> } | undefined): void {
  const vars = env?.Variables;
  if (!vars) return;
  const reserved = Object.keys(vars).filter((k) => RESERVED_ENV.has(k));
  if (reserved.length) {
    throw new InvalidParameterValueException(
      `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`,
    );
  }
  for (const key of Object.keys(vars)) {
    if (!/^[a-zA-Z][a-zA-Z0-9_]*$/.test(key)) {
      throw new ValidationException(
        `1 validation error detected: Value at 'environment.variables' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]`,
      );
    }
  }
  const measured = JSON.stringify(vars);
  if (Buffer.byteLength(measured) > ENV_LIMIT_BYTES) {
    throw new InvalidParameterValueException(
      `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${measured}`,
    );
  }
}

const unsupported = (what: string) => new InvalidParameterValueException(`${what} is not supported by Gatehouse's embedded Lambda.`);

/** Settings that would change behaviour Gatehouse cannot provide: refused rather than silently ignored. */
function refuseUnsupported(input: Record<string, any>): void {
  const vpc = input.VpcConfig;
  if (vpc && ((vpc.SubnetIds?.length ?? 0) > 0 || (vpc.SecurityGroupIds?.length ?? 0) > 0)) throw unsupported('VpcConfig');
  if ((input.Layers?.length ?? 0) > 0) throw unsupported('Layers');
  if ((input.FileSystemConfigs?.length ?? 0) > 0) throw unsupported('FileSystemConfigs');
  if (input.DeadLetterConfig?.TargetArn) throw unsupported('DeadLetterConfig');
  if (input.KMSKeyArn) throw unsupported('KMSKeyArn');
  if (input.ImageConfig) throw unsupported('ImageConfig');
  if (input.CodeSigningConfigArn) throw unsupported('CodeSigningConfigArn');
  if (input.TracingConfig?.Mode === 'Active') throw unsupported('TracingConfig Mode Active');
  if (input.SnapStart?.ApplyOn === 'PublishedVersions') throw unsupported('SnapStart');
  if (input.EphemeralStorage && input.EphemeralStorage.Size !== 512) throw unsupported('EphemeralStorage other than 512 MB');
  if (input.LoggingConfig?.LogFormat === 'JSON') throw unsupported('LoggingConfig LogFormat JSON');
  if (input.LoggingConfig?.ApplicationLogLevel || input.LoggingConfig?.SystemLogLevel) throw unsupported('LoggingConfig log levels');
  if (input.CapacityProviderConfig) throw unsupported('CapacityProviderConfig');
  if (input.DurableConfig) throw unsupported('DurableConfig');
  if (input.TenancyConfig) throw unsupported('TenancyConfig');
  if (input.PublishTo) throw unsupported('PublishTo');
}

export interface CreateParams {
  name: string;
  input: Record<string, any>;
  code: { location: VersionConfig['code']; CodeSha256: string; CodeSize: number };
  now: Date;
}

export function validateCreate(input: Record<string, any>): void {
  if (input.PackageType === 'Image' || input.Code?.ImageUri) throw unsupported('PackageType Image');
  if (!input.Runtime || !input.Handler) {
    throw new InvalidParameterValueException('Runtime and Handler are mandatory parameters for functions created with deployment packages.');
  }
  checkRuntime(input.Runtime);
  checkTimeout(input.Timeout);
  checkMemory(input.MemorySize);
  checkEnvironment(input.Environment);
  refuseUnsupported(input);
  const arch: string[] | undefined = input.Architectures;
  if (arch && arch.length !== 1) {
    throw new ValidationException(
      `1 validation error detected: Value '[${arch.join(', ')}]' at 'architectures' failed to satisfy constraint: Member must have length less than or equal to 1`,
    );
  }
}

export function newLatest(p: CreateParams): VersionConfig {
  const i = p.input;
  return {
    Version: LATEST,
    Runtime: i.Runtime,
    Role: i.Role,
    Handler: i.Handler,
    Description: i.Description ?? '',
    Timeout: i.Timeout ?? 3,
    MemorySize: i.MemorySize ?? 128,
    CodeSize: p.code.CodeSize,
    CodeSha256: p.code.CodeSha256,
    LastModified: lastModified(p.now),
    RevisionId: randomUUID(),
    ...(i.Environment?.Variables ? { Environment: { Variables: { ...i.Environment.Variables } } } : {}),
    Architectures: i.Architectures ?? ['x86_64'],
    EphemeralStorage: { Size: 512 },
    LoggingConfig: { LogFormat: 'Text', LogGroup: i.LoggingConfig?.LogGroup ?? `/aws/lambda/${p.name}` },
    TracingConfig: { Mode: 'PassThrough' },
    code: p.code.location,
  };
}

/** UpdateFunctionConfiguration: only the members given change. */
export function applyConfigurationUpdate(latest: VersionConfig, input: Record<string, any>, now: Date): VersionConfig {
  if (input.Runtime !== undefined) checkRuntime(input.Runtime);
  checkTimeout(input.Timeout);
  checkMemory(input.MemorySize);
  checkEnvironment(input.Environment);
  refuseUnsupported(input);
  const next: VersionConfig = { ...latest, LastModified: lastModified(now), RevisionId: randomUUID() };
  if (input.Role !== undefined) next.Role = input.Role;
  if (input.Handler !== undefined) next.Handler = input.Handler;
  if (input.Description !== undefined) next.Description = input.Description;
  if (input.Timeout !== undefined) next.Timeout = input.Timeout;
  if (input.MemorySize !== undefined) next.MemorySize = input.MemorySize;
  if (input.Runtime !== undefined) next.Runtime = input.Runtime;
  if (input.Environment !== undefined) {
    const vars = input.Environment.Variables ?? {};
    if (Object.keys(vars).length) next.Environment = { Variables: { ...vars } };
    else delete next.Environment;
  }
  if (input.LoggingConfig?.LogGroup) next.LoggingConfig = { ...next.LoggingConfig, LogGroup: input.LoggingConfig.LogGroup };
  return next;
}

/**
 * The FunctionConfiguration shape. `qualifiedArn` follows Lambda: a published version (and $LATEST when asked for by
 * qualifier or listed among versions) carries its qualifier in FunctionArn; the plain function does not.
 */
export function renderConfiguration(region: string, accountId: string, fn: FunctionRecord, v: VersionConfig, qualifiedArn: boolean): Record<string, unknown> {
  return {
    FunctionName: fn.name,
    FunctionArn: functionArn(region, accountId, fn.name, qualifiedArn ? v.Version : undefined),
    Runtime: v.Runtime,
    Role: v.Role,
    Handler: v.Handler,
    CodeSize: v.CodeSize,
    Description: v.Description,
    Timeout: v.Timeout,
    MemorySize: v.MemorySize,
    LastModified: v.LastModified,
    CodeSha256: v.CodeSha256,
    Version: v.Version,
    ...(v.Environment ? { Environment: { Variables: v.Environment.Variables } } : {}),
    TracingConfig: v.TracingConfig,
    RevisionId: v.RevisionId,
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Architectures: v.Architectures,
    EphemeralStorage: v.EphemeralStorage,
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    RuntimeVersionConfig: { RuntimeVersionArn: `arn:aws:lambda:${region}::runtime:gatehouse-${v.Runtime}` },
    LoggingConfig: v.LoggingConfig,
  };
}

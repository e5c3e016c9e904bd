// Helpers shared by the Lambda API operation modules.
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { InvalidParameterValueException, PreconditionFailedException, ResourceNotFoundException, ServiceException } from '../aws/errors.ts';
import type { OperationContext } from '../aws/operation.ts';
import type { StoredCode } from './code-storage.ts';
import type { EmbeddedFunctions } from './index.ts';
import { functionArn } from './names.ts';

/** The S3 bucket name that means "this local directory" (the convention LocalStack introduced for hot reloading). */
export const LOCAL_CODE_BUCKET = 'hot-reload';

export function functions(ctx: OperationContext): EmbeddedFunctions {
  const svc = ctx.services.functions as EmbeddedFunctions | undefined;
  if (!svc) throw new ServiceException('The embedded Lambda service is not running');
  return svc;
}

export function notFound(ctx: OperationContext, name: string, qualifier?: string): ResourceNotFoundException {
  return new ResourceNotFoundException(`Function not found: ${functionArn(ctx.region, ctx.accountId, name, qualifier)}`);
}

export function checkRevision(given: string | undefined, current: string): void {
  if (given !== undefined && given !== current) {
    throw new PreconditionFailedException('The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id');
  }
}

/** Paginates a list with Lambda's opaque Marker and MaxItems (default 50). */
export function page<T>(items: T[], marker: string | undefined, maxItems: number | undefined): { items: T[]; next?: string } {
  let start = 0;
  if (marker !== undefined) {
    const n = Number(Buffer.from(marker, 'base64url').toString('utf8'));
    if (!Number.isInteger(n) || n < 0) throw new InvalidParameterValueException('Invalid marker');
    start = n;
  }
  const size = maxItems ?? 50;
  const slice = items.slice(start, start + size);
  const nextStart = start + slice.length;
  return { items: slice, next: nextStart < items.length ? Buffer.from(String(nextStart)).toString('base64url') : undefined };
}

/**
 * The code of CreateFunction / UpdateFunctionCode: a zip (ZipFile) or, for local development, a directory given
 * as S3Bucket `hot-reload` + S3Key `/absolute/path`. Other S3 locations and images are refused: Gatehouse has no S3.
 */
export function storeCode(
  svc: EmbeddedFunctions,
  region: string,
  name: string,
  code: { ZipFile?: Uint8Array; S3Bucket?: string; S3Key?: string; S3ObjectVersion?: string; ImageUri?: string },
  operation: string,
): StoredCode {
  if (code.ZipFile) return svc.code.store(region, name, code.ZipFile, operation);
  if (code.ImageUri) throw new InvalidParameterValueException("Container images are not supported by Gatehouse's embedded Lambda.");
  if (code.S3Bucket === LOCAL_CODE_BUCKET) {
    const dir = code.S3Key ?? '';
    if (!isAbsolute(dir) || !existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new InvalidParameterValueException(`S3Key of the ${LOCAL_CODE_BUCKET} bucket must be an absolute path to an existing directory: ${dir}`);
    }
    return { location: { kind: 'directory', path: dir }, CodeSha256: createHash('sha256').update(dir).digest('base64'), CodeSize: 0 };
  }
  if (code.S3Bucket || code.S3Key) {
    throw new InvalidParameterValueException(`Code from S3 is not supported by Gatehouse: upload the zip as ZipFile, or use S3Bucket "${LOCAL_CODE_BUCKET}" with S3Key set to a local directory.`);
  }
  throw new InvalidParameterValueException('Please provide a source for function code.');
}

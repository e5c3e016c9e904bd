// Helpers shared by the Lambda API operation modules.
import { createHash } from 'node:crypto';
import { InvalidParameterValueException, PreconditionFailedException, ResourceNotFoundException, ServiceException } from '../aws/errors.ts';
import type { OperationContext } from '../aws/operation.ts';
import type { StoredCode } from './code-storage.ts';
import { LOCAL_CODE_BUCKET } from './hot-reload-roots.ts';
import type { EmbeddedFunctions } from './index.ts';
import { LocalCodeWatcher } from './local-code.ts';
import { functionArn } from './names.ts';

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
 * The code of CreateFunction / UpdateFunctionCode: a zip (ZipFile, unpacked off the event loop with Lambda's limits)
 * or, for local development, a directory given as S3Bucket `hot-reload` + S3Key `/absolute/path`, accepted only where
 * the operator allows hot reload (hot-reload-roots.ts) and then watched on the function's behalf: `settleCode` once
 * the function is saved (or not). Other S3 locations and images are refused: Gatehouse has no S3.
 */
export async function storeCode(
  svc: EmbeddedFunctions,
  ctx: OperationContext,
  name: string,
  code: { ZipFile?: Uint8Array; S3Bucket?: string; S3Key?: string; S3ObjectVersion?: string; ImageUri?: string },
  operation: string,
): Promise<StoredCode> {
  if (code.ZipFile) {
    const length = Number(ctx.rawHeaders['content-length']);
    return svc.code.store(ctx.region, name, code.ZipFile, operation, Number.isFinite(length) ? length : undefined);
  }
  if (code.ImageUri) throw new InvalidParameterValueException("Container images are not supported by Gatehouse's embedded Lambda.");
  if (code.S3Bucket === LOCAL_CODE_BUCKET) {
    if (svc.scaleOut) {
      throw new InvalidParameterValueException(`Hot-reload code (S3Bucket "${LOCAL_CODE_BUCKET}") is a directory of one machine: not available when Gatehouse runs as several nodes on one database (--database-url). Upload the zip as ZipFile.`);
    }
    const dir = await svc.hotReloadRoots.check(code.S3Key ?? '');
    await svc.watcher.attach(LocalCodeWatcher.key(ctx.region, name), dir);
    return { location: { kind: 'directory', path: dir }, CodeSha256: createHash('sha256').update(dir).digest('base64'), CodeSize: 0 };
  }
  if (code.S3Bucket || code.S3Key) {
    throw new InvalidParameterValueException(`Code from S3 is not supported by Gatehouse: upload the zip as ZipFile, or use S3Bucket "${LOCAL_CODE_BUCKET}" with S3Key set to a local directory.`);
  }
  throw new InvalidParameterValueException('Please provide a source for function code.');
}

/** After CreateFunction / UpdateFunctionCode: the function's hot-reload watch follows the code it was saved with. */
export function settleCode(svc: EmbeddedFunctions, region: string, name: string, code: StoredCode, saved: boolean): void {
  const key = LocalCodeWatcher.key(region, name);
  if (code.location.kind !== 'directory') {
    if (saved) svc.watcher.release(key);
  } else if (saved) svc.watcher.bind(key, code.location.path);
  else svc.watcher.abort(key, code.location.path);
}

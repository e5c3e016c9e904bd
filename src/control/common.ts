// Small pieces every entity family needs: finding the parent REST API with AWS's not-found text, turning stored
// epoch-millisecond timestamps into the Dates the protocol layer serialises, and tag validation.
import { BadRequestException, NotFoundException } from '../aws/errors.ts';
import type { OperationContext } from '../aws/operation.ts';
import type { Tx } from '../store/store.ts';
import type { RestApi } from '../store/entities.ts';

export async function requireRestApi(tx: Tx, ctx: OperationContext, restApiId: string): Promise<RestApi> {
  const api = await tx.get<RestApi>('restapis', restApiId);
  if (!api) throw new NotFoundException(`Invalid API identifier specified ${ctx.accountId}:${restApiId}`);
  return api;
}

const DATE_FIELDS = ['createdDate', 'lastUpdatedDate', 'expirationDate', 'certificateUploadDate', 'domainNameStatusMessageDate'];

/** A copy of a stored entity with its epoch-ms timestamp fields as Date, ready to return from a handler. */
export function withDates<T extends object>(entity: T): T {
  const out = { ...entity } as Record<string, unknown>;
  for (const f of DATE_FIELDS) {
    const v = out[f];
    if (typeof v === 'number') out[f] = new Date(v);
  }
  return out as T;
}

/** AWS tag rules: at most 50 tags, keys 1..128 chars not starting with `aws:`, values at most 256 chars. */
export function validateTags(tags: Record<string, string> | undefined): void {
  if (!tags) return;
  const keys = Object.keys(tags);
  if (keys.length > 50) throw new BadRequestException('Too many tags: a resource can have at most 50 tags');
  for (const k of keys) {
    if (k.length < 1 || k.length > 128) throw new BadRequestException(`Invalid tag key: ${k}`);
    if (k.toLowerCase().startsWith('aws:')) throw new BadRequestException(`Invalid tag key: tag keys cannot start with 'aws:'`);
    const v = tags[k] ?? '';
    if (v.length > 256) throw new BadRequestException(`Invalid tag value for key ${k}`);
  }
}

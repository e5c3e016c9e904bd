// TagResource / UntagResource / GetTags by ARN. Every taggable entity keeps its own `tags` map (what its Get
// returns), so tagging by ARN edits that map in the entity's collection.
//   arn:aws:apigateway:{region}::/restapis/{id}[/stages/{name}] | /apikeys/{id} | /usageplans/{id}
//   | /domainnames/{name} | /clientcertificates/{id} | /vpclinks/{id}
// and, with the account in the ARN, private custom domain names and their access associations:
//   arn:aws:apigateway:{region}:{account}:/domainnames/{name}+{id}
//   arn:aws:apigateway:{region}:{account}:/domainnameaccessassociations/domainname/{name}+{id}/vpcesource/{vpce}
import { BadRequestException, NotFoundException } from '../aws/errors.ts';
import type { HandlerTable, OperationContext, OperationInput } from '../aws/operation.ts';
import type { Tx } from '../store/store.ts';
import { validateTags } from './common.ts';

interface Target {
  collection: string;
  key: string;
  notFound: string;
}

const ARN_RE = /^arn:(aws|aws-cn|aws-us-gov):apigateway:([a-z0-9-]+):(\d{12})?:(\/.*)$/;

/** The stored entity an ARN names, with the NotFoundException text its own Get operation uses. */
function resolveArn(arn: string, ctx: OperationContext): Target {
  const m = ARN_RE.exec(arn);
  const invalid = () => new BadRequestException(`Invalid ARN specified in the request: ${arn}`);
  if (!m) throw invalid();
  const account = m[3];
  const parts = m[4]!.slice(1).split('/');
  if (parts.some((p) => p === '')) throw invalid();
  if (m[2] !== ctx.region) throw new NotFoundException(`Invalid resource specified: ${arn} is not in region ${ctx.region}`);
  const [kind, id, sub, subId] = parts;
  if (account !== undefined) {
    // Only private custom domain names and their access associations carry the account in their ARN.
    const notFound = 'Invalid domain name identifier specified';
    if (account !== ctx.accountId) throw new NotFoundException(notFound);
    if (kind === 'domainnames' && parts.length === 2 && id!.includes('+')) return { collection: 'domainnames', key: id!, notFound };
    if (kind === 'domainnameaccessassociations' && parts.length === 5 && id === 'domainname' && parts[3] === 'vpcesource') {
      return { collection: 'domainnameaccessassociations', key: `${parts[2]}/${parts[4]}`, notFound: 'Invalid domain name access association identifier specified' };
    }
    throw invalid();
  }
  if (parts.length === 2) {
    switch (kind) {
      case 'restapis': return { collection: 'restapis', key: id!, notFound: `Invalid API identifier specified ${ctx.accountId}:${id}` };
      case 'apikeys': return { collection: 'apikeys', key: id!, notFound: 'Invalid API Key identifier specified' };
      case 'usageplans': return { collection: 'usageplans', key: id!, notFound: 'Invalid Usage Plan ID specified' };
      case 'domainnames': return { collection: 'domainnames', key: id!, notFound: 'Invalid domain name identifier specified' };
      case 'clientcertificates': return { collection: 'clientcertificates', key: id!, notFound: 'Invalid Client Certificate identifier specified' };
      case 'vpclinks': return { collection: 'vpclinks', key: id!, notFound: 'Invalid Vpc Link identifier specified' };
    }
  }
  if (parts.length === 4 && kind === 'restapis' && sub === 'stages') {
    return { collection: 'stages', key: `${id}/${subId}`, notFound: 'Invalid stage identifier specified' };
  }
  throw invalid();
}

async function load(tx: Tx, t: Target, ctx: OperationContext): Promise<{ tags?: Record<string, string> }> {
  if (t.collection === 'stages') {
    const apiId = t.key.split('/')[0]!;
    if (!(await tx.get('restapis', apiId))) throw new NotFoundException(`Invalid API identifier specified ${ctx.accountId}:${apiId}`);
  }
  const entity = await tx.get<{ tags?: Record<string, string> }>(t.collection, t.key);
  if (!entity) throw new NotFoundException(t.notFound);
  return entity;
}

async function TagResource(input: OperationInput, ctx: OperationContext) {
  const target = resolveArn(input.resourceArn, ctx);
  await ctx.db.write(async (tx) => {
    const entity = structuredClone(await load(tx, target, ctx));
    const tags = { ...(entity.tags ?? {}), ...(input.tags as Record<string, string>) };
    validateTags(tags);
    if (Object.keys(tags).length) entity.tags = tags;
    await tx.put(target.collection, target.key, entity);
  });
}

async function UntagResource(input: OperationInput, ctx: OperationContext) {
  const target = resolveArn(input.resourceArn, ctx);
  await ctx.db.write(async (tx) => {
    const entity = structuredClone(await load(tx, target, ctx));
    const tags = { ...(entity.tags ?? {}) };
    for (const k of input.tagKeys as string[]) delete tags[k];
    if (Object.keys(tags).length) entity.tags = tags;
    else delete entity.tags;
    await tx.put(target.collection, target.key, entity);
  });
}

async function GetTags(input: OperationInput, ctx: OperationContext) {
  const target = resolveArn(input.resourceArn, ctx);
  return ctx.db.read(async (tx) => {
    const entity = await load(tx, target, ctx);
    return { tags: { ...(entity.tags ?? {}) } };
  });
}

export const handlers: HandlerTable = { TagResource, UntagResource, GetTags };

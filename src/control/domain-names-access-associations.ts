// DomainNameAccessAssociations: the link between a VPC endpoint and a private custom domain name that lets the
// endpoint invoke it (developer guide, "Custom domain names for private APIs"). Stored under
// `domainnameaccessassociations` / `{domainKey}/{vpcEndpointId}`, so deleting a domain drops its associations by prefix.
//
// ARNs (API reference examples):
//   domain name   arn:aws:apigateway:{region}:{account}:/domainnames/{name}+{domainNameId}
//   association   arn:aws:apigateway:{region}:{account}:/domainnameaccessassociations/domainname/{name}+{id}/vpcesource/{vpce}
import { BadRequestException, ConflictException, NotFoundException } from '../aws/errors.ts';
import type { HandlerTable, OperationContext, OperationInput } from '../aws/operation.ts';
import { validateTags } from './common.ts';
import { paginate } from './pagination.ts';
import { ACCESS_ASSOCIATIONS, DOMAIN_NAMES, type DomainName, type DomainNameAccessAssociation } from './domain-names-store.ts';

const VPCE_ID = /^vpce-[0-9a-f]{8,17}$/;
const DOMAIN_ARN = /^arn:aws[a-z-]*:apigateway:([a-z0-9-]+):(\d{12}):\/domainnames\/([^/]+)$/;
const ASSOCIATION_ARN = /^arn:aws[a-z-]*:apigateway:([a-z0-9-]+):(\d{12}):\/domainnameaccessassociations\/domainname\/([^/]+)\/vpcesource\/([^/]+)$/;

const ASSOCIATION_NOT_FOUND = 'Invalid domain name access association identifier specified';

/** The store key (`{name}+{id}`) a domain name ARN of this account and region designates, if it does. */
function domainKeyOfArn(arn: string, ctx: OperationContext): string | undefined {
  const m = DOMAIN_ARN.exec(arn);
  if (!m || m[1] !== ctx.region || m[2] !== ctx.accountId) return undefined;
  return m[3];
}

function associationKeyOfArn(arn: string, ctx: OperationContext): string | undefined {
  const m = ASSOCIATION_ARN.exec(arn);
  if (!m || m[1] !== ctx.region || m[2] !== ctx.accountId) return undefined;
  return `${m[3]}/${m[4]}`;
}

async function CreateDomainNameAccessAssociation(input: OperationInput, ctx: OperationContext) {
  const domainArn: string = input.domainNameArn;
  const source: string = input.accessAssociationSource;
  validateTags(input.tags);
  if (!VPCE_ID.test(source)) {
    throw new BadRequestException(`Invalid VPC endpoint identifier specified: ${source}`);
  }
  const key = domainKeyOfArn(domainArn, ctx);
  if (!key) throw new BadRequestException(`Invalid domain name ARN specified: ${domainArn}`);
  return ctx.db.write(async (tx) => {
    const domain = await tx.get<DomainName>(DOMAIN_NAMES, key);
    // Only private custom domain names take access associations; a public one has no domainNameId in its key.
    if (!domain || !domain.domainNameId) throw new BadRequestException(`Invalid domain name ARN specified: ${domainArn}`);
    const storeKey = `${key}/${source}`;
    if (await tx.get(ACCESS_ASSOCIATIONS, storeKey)) {
      throw new ConflictException(`A domain name access association already exists between ${domainArn} and ${source}`);
    }
    const association: DomainNameAccessAssociation = {
      domainNameAccessAssociationArn:
        `arn:aws:apigateway:${ctx.region}:${ctx.accountId}:/domainnameaccessassociations/domainname/${key}/vpcesource/${source}`,
      domainNameArn: domainArn,
      accessAssociationSourceType: input.accessAssociationSourceType,
      accessAssociationSource: source,
    };
    if (input.tags && Object.keys(input.tags).length) association.tags = { ...input.tags };
    await tx.put(ACCESS_ASSOCIATIONS, storeKey, association);
    return association;
  });
}

async function GetDomainNameAccessAssociations(input: OperationInput, ctx: OperationContext) {
  // OTHER_ACCOUNTS: associations other accounts made to the caller's domains; a Gatehouse has a single account.
  const all = input.resourceOwner === 'OTHER_ACCOUNTS'
    ? []
    : await ctx.db.read((tx) => tx.list<DomainNameAccessAssociation>(ACCESS_ASSOCIATIONS));
  return paginate(all.map((e) => e.value), input);
}

async function DeleteDomainNameAccessAssociation(input: OperationInput, ctx: OperationContext) {
  const key = associationKeyOfArn(input.domainNameAccessAssociationArn, ctx);
  await ctx.db.write(async (tx) => {
    if (!key || !(await tx.delete(ACCESS_ASSOCIATIONS, key))) throw new NotFoundException(ASSOCIATION_NOT_FOUND);
  });
}

/**
 * The domain owner turns an association away. AWS offers this for associations made from other accounts; with one
 * account, rejecting removes the association so the endpoint can no longer reach the domain, which is the effect a
 * rejection has on AWS.
 */
async function RejectDomainNameAccessAssociation(input: OperationInput, ctx: OperationContext) {
  const key = associationKeyOfArn(input.domainNameAccessAssociationArn, ctx);
  await ctx.db.write(async (tx) => {
    const found = key ? await tx.get<DomainNameAccessAssociation>(ACCESS_ASSOCIATIONS, key) : undefined;
    if (!found || found.domainNameArn !== input.domainNameArn) throw new NotFoundException(ASSOCIATION_NOT_FOUND);
    await tx.delete(ACCESS_ASSOCIATIONS, key!);
  });
}

export const handlers: HandlerTable = {
  CreateDomainNameAccessAssociation,
  GetDomainNameAccessAssociations,
  DeleteDomainNameAccessAssociation,
  RejectDomainNameAccessAssociation,
};

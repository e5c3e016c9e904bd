// Custom domain names as stored, and how the other families find one.
//
// Collections (region-scoped, like every control-plane collection):
//   domainnames                     {domainKey}                 DomainName
//   basepathmappings                {domainKey}/{basePath}      BasePathMapping (basePath '(none)' for the empty path)
//   domainnameaccessassociations    {associationArn}            DomainNameAccessAssociation
// where domainKey is the domain name for public (EDGE / REGIONAL) domain names and `{domainName}+{domainNameId}` for
// private ones: AWS identifies a private custom domain name by name and id (its ARN ends in `/domainnames/{name}+{id}`),
// and a private domain may share its name with a public one.
import { NotFoundException } from '../aws/errors.ts';
import type { OperationContext } from '../aws/operation.ts';
import type { Tx } from '../store/store.ts';
import type { EndpointConfiguration, StringMap, Timestamp } from '../store/entities.ts';

export const DOMAIN_NAMES = 'domainnames';
export const BASE_PATH_MAPPINGS = 'basepathmappings';
export const ACCESS_ASSOCIATIONS = 'domainnameaccessassociations';

export interface MutualTlsAuthentication {
  truststoreUri?: string;
  truststoreVersion?: string;
  truststoreWarnings?: string[];
}

export interface DomainName {
  domainName: string;
  domainNameId?: string;
  domainNameArn?: string;
  certificateName?: string;
  certificateArn?: string;
  certificateUploadDate?: Timestamp;
  regionalDomainName?: string;
  regionalHostedZoneId?: string;
  regionalCertificateName?: string;
  regionalCertificateArn?: string;
  distributionDomainName?: string;
  distributionHostedZoneId?: string;
  endpointConfiguration: EndpointConfiguration;
  domainNameStatus: string;
  domainNameStatusMessage?: string;
  securityPolicy?: string;
  endpointAccessMode?: string;
  tags?: StringMap;
  mutualTlsAuthentication?: MutualTlsAuthentication;
  ownershipVerificationCertificateArn?: string;
  managementPolicy?: string;
  policy?: string;
  routingMode?: string;
}

/** The stored form: the public members plus, for a certificate uploaded in CreateDomainName, its PEMs (internal). */
export interface StoredDomainName extends DomainName {
  uploadedCertificate?: { body: string; privateKey: string; chain?: string };
}

export interface BasePathMapping {
  basePath: string;
  restApiId: string;
  stage?: string;
}

export interface DomainNameAccessAssociation {
  domainNameAccessAssociationArn: string;
  domainNameArn: string;
  accessAssociationSourceType: string;
  accessAssociationSource: string;
  tags?: StringMap;
}

/** The store key of a domain name: its name, plus `+{id}` for a private custom domain name. */
export function domainKey(domainName: string, domainNameId?: string): string {
  return domainNameId ? `${domainName}+${domainNameId}` : domainName;
}

export const DOMAIN_NOT_FOUND = 'Invalid domain name identifier specified';

/**
 * The domain name a request addresses (`domainName` label plus the `domainNameId` query for private ones), or AWS's
 * 404. A private custom domain name is reachable only with its id.
 */
export async function requireDomainName(tx: Tx, domainName: string, domainNameId: string | undefined): Promise<StoredDomainName> {
  const found = await tx.get<StoredDomainName>(DOMAIN_NAMES, domainKey(domainName, domainNameId));
  if (!found) throw new NotFoundException(DOMAIN_NOT_FOUND);
  return found;
}

export function domainNameArn(ctx: OperationContext, key: string): string {
  return `arn:aws:apigateway:${ctx.region}:${ctx.accountId}:/domainnames/${key}`;
}

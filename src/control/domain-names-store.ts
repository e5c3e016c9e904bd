// Custom domain names as stored, and how the other families find one.
//
// Collections (region-scoped, like every control-plane collection):
//   domainnames                     {domainKey}                 DomainName
//   basepathmappings                {domainKey}/{basePath}      BasePathMapping (basePath '(none)' for the empty path)
//   domainnameaccessassociations    {associationArn}            DomainNameAccessAssociation
// and one global (unscoped) index, written in the same transaction as the domain (as `apiregions` is for APIs), so
// the data plane finds the domain a request's Host names without knowing its region:
//   domainhosts                     {name, lower case}/{region} { region, key }   (public domains only)
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
export const DOMAIN_HOSTS = 'domainhosts';

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
  /** The id the apigatewayv2 API knows the mapping by (internal to the v1 API, which never shows it). */
  apiMappingId?: string;
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

/** A row of the global `domainhosts` index. */
export interface DomainHost {
  region: string;
  key: string;
}

/**
 * Adds a public domain to the global host index (private domains are reached through VPC endpoints, which Gatehouse
 * does not have, so no Host ever routes to them). Call inside the write transaction that stores the domain.
 */
export async function indexDomainHost(tx: Tx, region: string, d: DomainName): Promise<void> {
  if (d.domainNameId) return;
  const row: DomainHost = { region, key: domainKey(d.domainName, d.domainNameId) };
  await tx.unscoped().put(DOMAIN_HOSTS, `${d.domainName.toLowerCase()}/${region}`, row);
}

/**
 * Writes the index rows of public domains stored before the index existed (data directories of earlier versions);
 * idempotent, run once when the data plane loads its domains. Unscoped domain keys are `{region}/{domainKey}`.
 */
export async function backfillDomainHosts(tx: Tx): Promise<number> {
  const indexed = new Set((await tx.list<DomainHost>(DOMAIN_HOSTS)).map((e) => `${e.value.region}/${e.value.key}`));
  let added = 0;
  for (const { key, value } of await tx.list<StoredDomainName>(DOMAIN_NAMES)) {
    if (value.domainNameId || indexed.has(key)) continue;
    const region = key.slice(0, key.indexOf('/'));
    await tx.put(DOMAIN_HOSTS, `${value.domainName.toLowerCase()}/${region}`, { region, key: key.slice(region.length + 1) } satisfies DomainHost);
    added++;
  }
  return added;
}

export async function unindexDomainHost(tx: Tx, region: string, d: DomainName): Promise<void> {
  if (d.domainNameId) return;
  await tx.unscoped().delete(DOMAIN_HOSTS, `${d.domainName.toLowerCase()}/${region}`);
}

// DomainNames: custom domain names (edge-optimized, regional and private) and, for private ones, the domain name
// access associations that let VPC endpoints reach them. Stored and validated here; requests arriving on a custom
// domain are routed through its base path mappings by the data plane.
import { BadRequestException } from '../aws/errors.ts';
import type { HandlerTable, OperationContext, OperationInput } from '../aws/operation.ts';
import type { Tx } from '../store/store.ts';
import { validateTags, withDates } from './common.ts';
import { newId } from './ids.ts';
import { paginate } from './pagination.ts';
import { invalidPatchPath, parsePatchOperations, requireValue, type ParsedPatch } from './patch.ts';
import {
  ACCESS_ASSOCIATIONS,
  BASE_PATH_MAPPINGS,
  DOMAIN_NAMES,
  type DomainName,
  type StoredDomainName,
  domainKey,
  domainNameArn,
  indexDomainHost,
  requireDomainName,
  unindexDomainHost,
} from './domain-names-store.ts';
import {
  CLOUDFRONT_HOSTED_ZONE_ID,
  newDistributionDomainName,
  newRegionalDomainName,
  regionalHostedZoneId,
} from './domain-names-endpoints.ts';
import { checkUploadedCertificate, endpointType, validateDomainConfiguration, validateDomainNameValue } from './domain-names-validation.ts';
import { handlers as accessAssociations } from './domain-names-access-associations.ts';

const DEFAULT_SECURITY_POLICY = 'TLS_1_2';
const DEFAULT_ROUTING_MODE = 'BASE_PATH_MAPPING_ONLY';

/** Sets (or clears) the generated endpoint members that belong to the domain's endpoint type. */
function assignEndpoint(d: DomainName, region: string): void {
  const type = endpointType(d);
  if (type === 'EDGE') {
    d.distributionDomainName ??= newDistributionDomainName();
    d.distributionHostedZoneId = CLOUDFRONT_HOSTED_ZONE_ID;
    delete d.regionalDomainName;
    delete d.regionalHostedZoneId;
  } else if (type === 'REGIONAL') {
    d.regionalDomainName ??= newRegionalDomainName(region);
    d.regionalHostedZoneId = regionalHostedZoneId(region);
    delete d.distributionDomainName;
    delete d.distributionHostedZoneId;
  } else {
    // Private custom domain names are reached through VPC endpoints only: no public endpoint name.
    delete d.regionalDomainName;
    delete d.regionalHostedZoneId;
    delete d.distributionDomainName;
    delete d.distributionHostedZoneId;
  }
}

/** The execute-api ARN a private domain's resource policy governs (what `execute-api:/*` stands for in it). */
function executeApiArn(ctx: OperationContext, key: string): string {
  return `arn:aws:execute-api:${ctx.region}:${ctx.accountId}:/domainnames/${key}`;
}

/**
 * A private domain's policy as AWS stores it (AWS CLI reference, create-domain-name example 2): compact JSON, the
 * `execute-api:/…` shorthand expanded to the domain's execute-api ARN, a single Resource as a plain string.
 */
function normalisePolicy(policy: string, domainExecuteArn: string): string {
  const doc = JSON.parse(policy) as { Statement?: unknown };
  const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  for (const st of statements as Array<Record<string, unknown>>) {
    if (!st || typeof st !== 'object' || st.Resource === undefined) continue;
    const list = (Array.isArray(st.Resource) ? st.Resource : [st.Resource]).map((r) =>
      typeof r === 'string' && r.startsWith('execute-api:/') ? domainExecuteArn : r);
    const unique = [...new Set(list)];
    st.Resource = unique.length === 1 ? unique[0] : unique;
  }
  return JSON.stringify(doc);
}

function present(d: StoredDomainName): DomainName {
  const { uploadedCertificate: _pems, ...pub } = d;
  return withDates(pub);
}

async function CreateDomainName(input: OperationInput, ctx: OperationContext) {
  const name: string = input.domainName;
  validateDomainNameValue(name);
  validateTags(input.tags);
  const types: string[] = input.endpointConfiguration?.types ?? ['EDGE'];
  const type = types[0] ?? 'EDGE';
  const endpointConfiguration: DomainName['endpointConfiguration'] = {
    types,
    ipAddressType: input.endpointConfiguration?.ipAddressType ?? (type === 'PRIVATE' ? 'dualstack' : 'ipv4'),
  };
  if (input.endpointConfiguration?.vpcEndpointIds !== undefined) {
    endpointConfiguration.vpcEndpointIds = input.endpointConfiguration.vpcEndpointIds;
  }
  const uploaded = input.certificateBody !== undefined || input.certificatePrivateKey !== undefined || input.certificateChain !== undefined;

  const d: StoredDomainName = {
    domainName: name,
    endpointConfiguration,
    domainNameStatus: 'AVAILABLE',
    securityPolicy: input.securityPolicy ?? DEFAULT_SECURITY_POLICY,
    routingMode: input.routingMode ?? DEFAULT_ROUTING_MODE,
  };
  const copy = ['certificateName', 'certificateArn', 'regionalCertificateName', 'regionalCertificateArn', 'endpointAccessMode',
    'ownershipVerificationCertificateArn', 'policy'] as const;
  for (const k of copy) if (input[k] !== undefined) d[k] = input[k];
  if (input.mutualTlsAuthentication) {
    d.mutualTlsAuthentication = { ...input.mutualTlsAuthentication };
  }
  if (input.tags && Object.keys(input.tags).length) d.tags = { ...input.tags };

  validateDomainConfiguration(d, ctx.region, uploaded);
  checkUploadedCertificate(input.certificateBody, input.certificatePrivateKey, input.certificateChain);
  if (uploaded) {
    // Kept (never returned) so the certificate can be served once custom domains terminate TLS.
    d.uploadedCertificate = { body: input.certificateBody, privateKey: input.certificatePrivateKey };
    if (input.certificateChain) d.uploadedCertificate.chain = input.certificateChain;
  }
  // The certificate members AWS stamps with an upload date: an imported certificate or an ACM one on the domain.
  if (d.certificateArn !== undefined || uploaded) d.certificateUploadDate = ctx.now().getTime();
  assignEndpoint(d, ctx.region);

  return ctx.db.write(async (tx) => {
    let key = name;
    if (type === 'PRIVATE') {
      if ((await tx.list(DOMAIN_NAMES, `${name}+`)).length > 0) {
        throw new BadRequestException('The domain name you provided already exists.');
      }
      // Ids of real private domains are 10 lowercase alphanumerics (e.g. `name+hykg7a12e7` in published import examples).
      d.domainNameId = newId(10);
      key = domainKey(name, d.domainNameId);
      d.domainNameArn = domainNameArn(ctx, key);
      if (d.policy !== undefined) d.policy = normalisePolicy(d.policy, executeApiArn(ctx, key));
    } else if (await tx.get(DOMAIN_NAMES, name)) {
      // Real AWS answers a duplicate with 400, not 409 (error text quoted from AWS in the zappa docs and many scripts).
      throw new BadRequestException('The domain name you provided already exists.');
    }
    await tx.put(DOMAIN_NAMES, key, d);
    await indexDomainHost(tx, ctx.region, d);
    return present(d);
  });
}

async function GetDomainName(input: OperationInput, ctx: OperationContext) {
  return ctx.db.read(async (tx) => present(await requireDomainName(tx, input.domainName, input.domainNameId)));
}

async function GetDomainNames(input: OperationInput, ctx: OperationContext) {
  // OTHER_ACCOUNTS lists private domain names other accounts shared with the caller; a Gatehouse has one account.
  const all = input.resourceOwner === 'OTHER_ACCOUNTS' ? [] : await ctx.db.read((tx) => tx.list<StoredDomainName>(DOMAIN_NAMES));
  const page = paginate(all.map((e) => e.value), input);
  return { items: page.items.map(present), position: page.position };
}

// UpdateDomainName patch paths (API reference, "PATCH operations for UpdateDomainName"): all `replace`.
const STRING_PATHS: Record<string, (d: DomainName, v: string | undefined) => void> = {
  '/certificateName': (d, v) => set(d, 'certificateName', v),
  '/certificateArn': (d, v) => set(d, 'certificateArn', v),
  '/regionalCertificateName': (d, v) => set(d, 'regionalCertificateName', v),
  '/regionalCertificateArn': (d, v) => set(d, 'regionalCertificateArn', v),
  '/securityPolicy': (d, v) => set(d, 'securityPolicy', v),
  '/endpointAccessMode': (d, v) => set(d, 'endpointAccessMode', v),
  '/ownershipVerificationCertificateArn': (d, v) => set(d, 'ownershipVerificationCertificateArn', v),
  '/policy': (d, v) => set(d, 'policy', v),
  '/managementPolicy': (d, v) => set(d, 'managementPolicy', v),
  '/routingMode': (d, v) => set(d, 'routingMode', v),
  '/endpointConfiguration/ipAddressType': (d, v) => {
    d.endpointConfiguration = { ...d.endpointConfiguration, ipAddressType: v };
  },
  '/endpointConfiguration/types/0': (d, v) => {
    d.endpointConfiguration = { ...d.endpointConfiguration, types: v === undefined ? [] : [v] };
  },
  '/mutualTlsAuthentication/truststoreUri': (d, v) => {
    d.mutualTlsAuthentication = { ...d.mutualTlsAuthentication, truststoreUri: v };
    if (v === undefined) delete d.mutualTlsAuthentication;
  },
  '/mutualTlsAuthentication/truststoreVersion': (d, v) => {
    d.mutualTlsAuthentication = { ...d.mutualTlsAuthentication, truststoreVersion: v };
  },
};
const ALLOWED_PATHS = Object.keys(STRING_PATHS);
const REMOVABLE = new Set(['/mutualTlsAuthentication/truststoreUri', '/mutualTlsAuthentication/truststoreVersion', '/policy',
  '/managementPolicy', '/ownershipVerificationCertificateArn', '/endpointAccessMode', '/certificateName', '/certificateArn',
  '/regionalCertificateName', '/regionalCertificateArn']);

function set<K extends keyof DomainName>(d: DomainName, k: K, v: DomainName[K] | undefined): void {
  if (v === undefined) delete d[k];
  else d[k] = v;
}

const ENUMS: Record<string, readonly string[]> = {
  '/securityPolicy': ['TLS_1_0', 'TLS_1_2', 'SecurityPolicy_TLS13_1_3_2025_09', 'SecurityPolicy_TLS13_1_3_FIPS_2025_09',
    'SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09', 'SecurityPolicy_TLS13_1_2_FIPS_PQ_2025_09', 'SecurityPolicy_TLS13_1_2_FIPS_PFS_PQ_2025_09',
    'SecurityPolicy_TLS13_1_2_PQ_2025_09', 'SecurityPolicy_TLS13_1_2_2021_06', 'SecurityPolicy_TLS13_2025_EDGE',
    'SecurityPolicy_TLS12_PFS_2025_EDGE', 'SecurityPolicy_TLS12_2018_EDGE'],
  '/endpointAccessMode': ['BASIC', 'STRICT'],
  '/routingMode': ['BASE_PATH_MAPPING_ONLY', 'ROUTING_RULE_ONLY', 'ROUTING_RULE_THEN_BASE_PATH_MAPPING'],
  '/endpointConfiguration/ipAddressType': ['ipv4', 'dualstack'],
  '/endpointConfiguration/types/0': ['EDGE', 'REGIONAL', 'PRIVATE'],
};

function applyPatch(d: DomainName, p: ParsedPatch): void {
  const apply = STRING_PATHS[p.path];
  if (!apply) throw invalidPatchPath(p, ALLOWED_PATHS);
  if (p.op === 'remove') {
    if (!REMOVABLE.has(p.path)) throw invalidPatchPath(p, [...REMOVABLE]);
    apply(d, undefined);
    return;
  }
  if (p.op !== 'replace') throw invalidPatchPath(p, ALLOWED_PATHS);
  const v = requireValue(p);
  const allowed = ENUMS[p.path];
  if (allowed && !allowed.includes(v)) {
    throw new BadRequestException(`Invalid value '${v}' for '${p.path}'. Must be one of: [${allowed.join(', ')}]`);
  }
  apply(d, v);
}

async function UpdateDomainName(input: OperationInput, ctx: OperationContext) {
  const ops = parsePatchOperations(input.patchOperations);
  return ctx.db.write(async (tx) => {
    const current = await requireDomainName(tx, input.domainName, input.domainNameId);
    const d: StoredDomainName = structuredClone(current);
    for (const p of ops) applyPatch(d, p);
    const typeChanged = endpointType(d) !== endpointType(current);
    if (typeChanged && (endpointType(current) === 'PRIVATE' || endpointType(d) === 'PRIVATE')) {
      throw new BadRequestException('The endpoint type of a PRIVATE domain name cannot be changed, nor can a domain name become PRIVATE.');
    }
    if (endpointType(d) !== 'EDGE') delete d.uploadedCertificate;
    validateDomainConfiguration(d, ctx.region, d.uploadedCertificate !== undefined);
    if (d.policy !== undefined && d.policy !== current.policy) {
      d.policy = normalisePolicy(d.policy, executeApiArn(ctx, domainKey(d.domainName, d.domainNameId)));
    }
    if (d.certificateArn !== undefined && d.certificateArn !== current.certificateArn) d.certificateUploadDate = ctx.now().getTime();
    if (d.certificateArn === undefined && !d.uploadedCertificate) delete d.certificateUploadDate;
    assignEndpoint(d, ctx.region);
    await tx.put(DOMAIN_NAMES, domainKey(d.domainName, d.domainNameId), d);
    return present(d);
  });
}

/** Removes a domain with everything hanging off it: its base path mappings and access associations. */
export async function deleteDomainCascade(tx: Tx, key: string): Promise<void> {
  await tx.deletePrefix(BASE_PATH_MAPPINGS, `${key}/`);
  await tx.deletePrefix(ACCESS_ASSOCIATIONS, `${key}/`);
  await tx.delete(DOMAIN_NAMES, key);
}

async function DeleteDomainName(input: OperationInput, ctx: OperationContext) {
  await ctx.db.write(async (tx) => {
    const d = await requireDomainName(tx, input.domainName, input.domainNameId);
    await deleteDomainCascade(tx, domainKey(d.domainName, d.domainNameId));
    await unindexDomainHost(tx, ctx.region, d);
  });
}

export const handlers: HandlerTable = {
  CreateDomainName,
  GetDomainName,
  GetDomainNames,
  UpdateDomainName,
  DeleteDomainName,
  ...accessAssociations,
};

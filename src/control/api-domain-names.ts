// apigatewayv2's DomainName operations on the same custom domain names as the apigateway API (domain-names.ts):
// tools that manage REGIONAL domains through the v2 API (Terraform's aws_apigatewayv2_domain_name, the serverless
// domain manager) see and create the very domains the v1 API and the data plane use. Each call is translated to the
// v1 handler, so the rules and texts stay in one place; the v2 shape differs only in form (one
// DomainNameConfiguration, `API_MAPPING_*` routing modes, ISO-8601 upload dates).
//
// Texts as real AWS returns them, quoted in public issues: "TLS_1_0 is not supported for APIGatewayV2 domainName."
// (aws/chalice#1255) and the REGIONAL-only text of api-mappings.ts (amplify-education/serverless-domain-manager#401).
import { BadRequestException } from '../aws/errors.ts';
import { paginateV2 } from './pagination.ts';
import type { HandlerTable, OperationContext, OperationInput } from '../aws/operation.ts';
import { requireV2Domain } from './api-mappings.ts';
import { handlers as v1 } from './domain-names.ts';
import { DOMAIN_NAMES, type DomainName, type StoredDomainName, requireDomainName } from './domain-names-store.ts';

const TO_V1_ROUTING: Record<string, string> = {
  API_MAPPING_ONLY: 'BASE_PATH_MAPPING_ONLY',
  ROUTING_RULE_ONLY: 'ROUTING_RULE_ONLY',
  ROUTING_RULE_THEN_API_MAPPING: 'ROUTING_RULE_THEN_BASE_PATH_MAPPING',
};
const TO_V2_ROUTING: Record<string, string> = Object.fromEntries(Object.entries(TO_V1_ROUTING).map(([k, v]) => [v, k]));

interface V2Configuration {
  CertificateArn?: string;
  CertificateName?: string;
  EndpointType?: string;
  SecurityPolicy?: string;
  IpAddressType?: string;
  OwnershipVerificationCertificateArn?: string;
}

/** The one configuration a v2 domain has; REGIONAL only, TLS 1.2 only. */
function configurationOf(input: OperationInput): V2Configuration {
  const configs: V2Configuration[] | undefined = input.DomainNameConfigurations;
  if (configs === undefined) return {};
  if (configs.length !== 1) throw new BadRequestException('Invalid input. Expected one domain name configuration');
  const c = configs[0]!;
  if (c.EndpointType !== undefined && c.EndpointType !== 'REGIONAL') {
    throw new BadRequestException(
      'Only REGIONAL domain names can be managed through the API Gateway V2 API. For EDGE domain names, please use the API Gateway V1 API. ' +
        'Also note that only REST APIs can be attached to EDGE domain names.',
    );
  }
  if (c.SecurityPolicy === 'TLS_1_0') throw new BadRequestException('TLS_1_0 is not supported for APIGatewayV2 domainName.');
  return c;
}

/** A domain in the v2 shape. */
function present(d: DomainName, ctx: OperationContext) {
  const config: Record<string, unknown> = {
    ApiGatewayDomainName: d.regionalDomainName ?? d.distributionDomainName,
    CertificateArn: d.regionalCertificateArn ?? d.certificateArn,
    CertificateName: d.regionalCertificateName ?? d.certificateName,
    CertificateUploadDate: d.certificateUploadDate === undefined ? undefined : new Date(d.certificateUploadDate as unknown as number),
    DomainNameStatus: d.domainNameStatus,
    DomainNameStatusMessage: d.domainNameStatusMessage,
    EndpointType: d.endpointConfiguration.types?.[0],
    HostedZoneId: d.regionalHostedZoneId ?? d.distributionHostedZoneId,
    IpAddressType: d.endpointConfiguration.ipAddressType,
    SecurityPolicy: d.securityPolicy,
    OwnershipVerificationCertificateArn: d.ownershipVerificationCertificateArn,
  };
  const out: Record<string, unknown> = {
    ApiMappingSelectionExpression: '$request.basepath',
    DomainName: d.domainName,
    DomainNameArn: `arn:aws:apigateway:${ctx.region}::/domainnames/${d.domainName}`,
    DomainNameConfigurations: [config],
    RoutingMode: TO_V2_ROUTING[d.routingMode ?? 'BASE_PATH_MAPPING_ONLY'],
  };
  if (d.mutualTlsAuthentication) {
    out.MutualTlsAuthentication = {
      TruststoreUri: d.mutualTlsAuthentication.truststoreUri,
      TruststoreVersion: d.mutualTlsAuthentication.truststoreVersion,
      TruststoreWarnings: d.mutualTlsAuthentication.truststoreWarnings,
    };
  }
  if (d.tags) out.Tags = d.tags;
  return out;
}

async function stored(ctx: OperationContext, name: string): Promise<StoredDomainName> {
  const d = await ctx.db.read((tx) => requireDomainName(tx, name, undefined));
  requireV2Domain(d);
  return d;
}

async function CreateDomainName(input: OperationInput, ctx: OperationContext) {
  const c = configurationOf(input);
  const v1Input: OperationInput = {
    domainName: input.DomainName,
    endpointConfiguration: { types: ['REGIONAL'], ...(c.IpAddressType ? { ipAddressType: c.IpAddressType } : {}) },
    securityPolicy: c.SecurityPolicy ?? 'TLS_1_2',
    regionalCertificateArn: c.CertificateArn,
    regionalCertificateName: c.CertificateName,
    ownershipVerificationCertificateArn: c.OwnershipVerificationCertificateArn,
    tags: input.Tags,
    routingMode: input.RoutingMode === undefined ? undefined : TO_V1_ROUTING[input.RoutingMode],
  };
  if (input.MutualTlsAuthentication) {
    v1Input.mutualTlsAuthentication = { truststoreUri: input.MutualTlsAuthentication.TruststoreUri, truststoreVersion: input.MutualTlsAuthentication.TruststoreVersion };
  }
  const created = (await v1.CreateDomainName!(v1Input, ctx)) as DomainName;
  // The v1 result carries Dates; read back the stored form for one conversion path.
  return present(await stored(ctx, created.domainName), ctx);
}

async function GetDomainName(input: OperationInput, ctx: OperationContext) {
  return present(await stored(ctx, input.DomainName), ctx);
}

async function GetDomainNames(input: OperationInput, ctx: OperationContext) {
  // Public domains only (private ones are the v1 API's, addressed with their id).
  const all = (await ctx.db.read((tx) => tx.list<StoredDomainName>(DOMAIN_NAMES))).map((e) => e.value).filter((d) => !d.domainNameId);
  const { page, nextToken } = paginateV2(all, input);
  const out: Record<string, unknown> = { Items: page.map((d) => present(d, ctx)) };
  if (nextToken) out.NextToken = nextToken;
  return out;
}

async function UpdateDomainName(input: OperationInput, ctx: OperationContext) {
  const current = await stored(ctx, input.DomainName);
  const c = configurationOf(input);
  // The v2 update replaces what it names; as v1 patch operations, so v1's checks apply unchanged.
  const ops: Array<{ op: string; path: string; value?: string }> = [];
  const replace = (path: string, value: string | undefined, now: string | undefined) => {
    if (value !== undefined && value !== now) ops.push({ op: 'replace', path, value });
  };
  replace('/regionalCertificateArn', c.CertificateArn, current.regionalCertificateArn);
  replace('/regionalCertificateName', c.CertificateName, current.regionalCertificateName);
  replace('/securityPolicy', c.SecurityPolicy, current.securityPolicy);
  replace('/endpointConfiguration/ipAddressType', c.IpAddressType, current.endpointConfiguration.ipAddressType);
  replace('/ownershipVerificationCertificateArn', c.OwnershipVerificationCertificateArn, current.ownershipVerificationCertificateArn);
  replace('/routingMode', input.RoutingMode === undefined ? undefined : TO_V1_ROUTING[input.RoutingMode], current.routingMode);
  if (input.MutualTlsAuthentication) {
    replace('/mutualTlsAuthentication/truststoreUri', input.MutualTlsAuthentication.TruststoreUri, current.mutualTlsAuthentication?.truststoreUri);
    replace('/mutualTlsAuthentication/truststoreVersion', input.MutualTlsAuthentication.TruststoreVersion, current.mutualTlsAuthentication?.truststoreVersion);
  }
  if (ops.length) await v1.UpdateDomainName!({ domainName: input.DomainName, patchOperations: ops }, ctx);
  return present(await stored(ctx, input.DomainName), ctx);
}

async function DeleteDomainName(input: OperationInput, ctx: OperationContext) {
  await stored(ctx, input.DomainName);
  await v1.DeleteDomainName!({ domainName: input.DomainName }, ctx);
}

export const apiDomainNameHandlers: HandlerTable = {
  CreateDomainName,
  GetDomainName,
  GetDomainNames,
  UpdateDomainName,
  DeleteDomainName,
};

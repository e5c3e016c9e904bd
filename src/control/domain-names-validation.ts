// The rules a custom domain name's configuration must satisfy, checked on create and again after every patch, so an
// update can never leave a domain in a state CreateDomainName would refuse.
//
// Sources: API reference CreateDomainName / DomainName / EndpointConfiguration; developer guide "Choose a security
// policy for your custom domain" and "Custom domain names for private APIs"; error texts quoted from real AWS in public
// issues ("Invalid certificate ARN: ... Certificate must be in 'us-east-1'.", "Cannot import certificates for EDGE
// while REGIONAL is active."). Certificates live in ACM, which Gatehouse does not have: an ARN is checked for shape and
// region only, never resolved.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { BadRequestException } from '../aws/errors.ts';
import type { DomainName } from './domain-names-store.ts';

export const ENDPOINT_TYPES = ['EDGE', 'REGIONAL', 'PRIVATE'] as const;

// ACM certificate ARN: arn:{partition}:acm:{region}:{account}:certificate/{id}
const ACM_ARN = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[A-Za-z0-9-]+$/;
// Lowercase or uppercase DNS name, optionally a wildcard: API Gateway accepts `*.example.com`.
const DNS_NAME = /^(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])$/;
const S3_URI = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/.+$/;

// Enhanced (2025) security policies are endpoint-specific: `*_EDGE` ones for edge-optimized domains only.
const isEdgePolicy = (p: string) => p.endsWith('_EDGE');
const isEnhancedPolicy = (p: string) => p.startsWith('SecurityPolicy_');

export function validateDomainNameValue(name: string): void {
  if (!name) throw new BadRequestException('No Domain Name specified');
  if (name.length > 253 || !DNS_NAME.test(name)) {
    throw new BadRequestException(`Invalid domain name: '${name}'. Must be a valid fully qualified domain name`);
  }
}

/** The endpoint type of a domain (exactly one, as API Gateway requires); default EDGE. */
export function endpointType(d: Pick<DomainName, 'endpointConfiguration'>): string {
  return d.endpointConfiguration.types?.[0] ?? 'EDGE';
}

function checkCertificateArn(arn: string, requiredRegion: string): void {
  const m = ACM_ARN.exec(arn);
  if (!m) throw new BadRequestException(`Invalid certificate ARN: ${arn}`);
  if (m[1] !== requiredRegion) {
    throw new BadRequestException(`Invalid certificate ARN: ${arn}. Certificate must be in '${requiredRegion}'.`);
  }
}

export function checkPolicyDocument(policy: string): void {
  try {
    const doc = JSON.parse(policy);
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new Error('not an object');
  } catch {
    throw new BadRequestException('Invalid policy document. Please check the policy syntax and ensure that Principals are valid.');
  }
}

/**
 * A certificate uploaded in the request (the deprecated certificateBody/PrivateKey/Chain members): it must parse, and
 * the key must belong to it. Returns nothing; the upload date is set by the caller.
 */
export function checkUploadedCertificate(body: string | undefined, privateKey: string | undefined, chain: string | undefined): void {
  if (body === undefined && privateKey === undefined && chain === undefined) return;
  if (!body || !privateKey) {
    throw new BadRequestException('Certificate body and certificate private key must both be provided');
  }
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(body);
  } catch {
    throw new BadRequestException('Unable to parse certificate. Please ensure the certificate is in PEM format.');
  }
  try {
    const key = createPrivateKey(privateKey);
    if (!cert.checkPrivateKey(key)) throw new Error('mismatch');
  } catch {
    throw new BadRequestException('The private key did not match the public key in the certificate.');
  }
  if (chain) {
    try {
      new X509Certificate(chain);
    } catch {
      throw new BadRequestException('Unable to parse certificate chain. Please ensure the certificate chain is in PEM format.');
    }
  }
}

/** Every cross-member rule of a domain name configuration. `region` is the caller's region. */
export function validateDomainConfiguration(d: DomainName, region: string, uploadedCertificate: boolean): void {
  const types = d.endpointConfiguration.types ?? [];
  // The same texts AWS gives for a REST API's endpoint configuration.
  if (types.length === 0) throw new BadRequestException('REGIONAL Configuration and EDGE Configuration cannot be both DISABLED.');
  if (types.length > 1) throw new BadRequestException('Cannot create a domain name with multiple Endpoint Types.');
  if (d.endpointConfiguration.vpcEndpointIds !== undefined) {
    throw new BadRequestException('VPC endpoint IDs can only be associated with a private REST API, not with a domain name');
  }
  const type = types[0]!;
  const ipAddressType = d.endpointConfiguration.ipAddressType;
  if (type === 'PRIVATE' && ipAddressType !== 'dualstack') {
    throw new BadRequestException('Only dualstack ipAddressType is supported for Private domain names.');
  }

  const edgeCertificate = d.certificateArn !== undefined || d.certificateName !== undefined || uploadedCertificate;
  const regionalCertificate = d.regionalCertificateArn !== undefined || d.regionalCertificateName !== undefined;

  if (type === 'EDGE') {
    if (regionalCertificate) throw new BadRequestException('Cannot import certificates for REGIONAL while EDGE is active.');
    if (d.certificateArn === undefined && !uploadedCertificate) {
      throw new BadRequestException('A certificate was not provided for the domain name. Specify certificateArn for an EDGE domain name.');
    }
    // Edge-optimized domains are served by CloudFront, which only reads certificates from us-east-1.
    if (d.certificateArn !== undefined) checkCertificateArn(d.certificateArn, 'us-east-1');
  } else if (type === 'REGIONAL') {
    if (edgeCertificate) throw new BadRequestException('Cannot import certificates for EDGE while REGIONAL is active.');
    if (d.regionalCertificateArn === undefined) {
      throw new BadRequestException('A certificate was not provided for the domain name. Specify regionalCertificateArn for a REGIONAL domain name.');
    }
    checkCertificateArn(d.regionalCertificateArn, region);
  } else {
    if (regionalCertificate) throw new BadRequestException('Cannot import certificates for REGIONAL while PRIVATE is active.');
    if (uploadedCertificate) throw new BadRequestException('Private custom domain names only support certificates from AWS Certificate Manager (certificateArn).');
    if (d.certificateArn === undefined) {
      throw new BadRequestException('A certificate was not provided for the domain name. Specify certificateArn for a PRIVATE domain name.');
    }
    checkCertificateArn(d.certificateArn, region);
  }

  const policy = d.securityPolicy ?? 'TLS_1_2';
  if (isEnhancedPolicy(policy) && isEdgePolicy(policy) !== (type === 'EDGE')) {
    throw new BadRequestException(`Security policy ${policy} is not supported for ${type} endpoint types.`);
  }
  if (type === 'PRIVATE' && policy === 'TLS_1_0') {
    throw new BadRequestException('Security policy TLS_1_0 is not supported for PRIVATE endpoint types.');
  }
  if (d.endpointAccessMode !== undefined && !isEnhancedPolicy(policy)) {
    throw new BadRequestException('endpointAccessMode can only be set with an enhanced security policy (SecurityPolicy_*).');
  }

  const mtls = d.mutualTlsAuthentication;
  if (mtls) {
    // Mutual TLS is a regional-endpoint feature requiring TLS 1.2 (developer guide "Mutual TLS authentication").
    if (type !== 'REGIONAL') throw new BadRequestException(`Mutual TLS authentication is not supported for ${type} endpoint types. Use a REGIONAL domain name.`);
    if (policy === 'TLS_1_0') throw new BadRequestException('Mutual TLS authentication requires security policy TLS_1_2.');
    if (!mtls.truststoreUri || !S3_URI.test(mtls.truststoreUri)) {
      throw new BadRequestException(`Invalid truststore URI: ${mtls.truststoreUri ?? ''}. The URI must have the form s3://bucket-name/key-name`);
    }
  }
  if (d.ownershipVerificationCertificateArn !== undefined) checkCertificateArn(d.ownershipVerificationCertificateArn, region);

  if (d.policy !== undefined || d.managementPolicy !== undefined) {
    if (type !== 'PRIVATE') throw new BadRequestException('A policy can only be set on a PRIVATE domain name.');
    if (d.policy !== undefined) checkPolicyDocument(d.policy);
    if (d.managementPolicy !== undefined) checkPolicyDocument(d.managementPolicy);
  }
}

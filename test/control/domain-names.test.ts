import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateDomainNameAccessAssociationCommand,
  CreateDomainNameCommand,
  DeleteDomainNameAccessAssociationCommand,
  DeleteDomainNameCommand,
  GetDomainNameAccessAssociationsCommand,
  GetDomainNameCommand,
  GetDomainNamesCommand,
  RejectDomainNameAccessAssociationCommand,
  UpdateDomainNameCommand,
} from '@aws-sdk/client-api-gateway';
import { sigv4Headers, startGatehouse, type Running } from '../helpers/gatehouse.ts';
import { generateClientCertificate } from '../../src/control/client-certificates-x509.ts';
import { rejects } from '../helpers/aws-assert.ts';

const EDGE_CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
const REGIONAL_CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/aaaaaaaa-2222-3333-4444-555555555555';
const WEST_CERT = 'arn:aws:acm:eu-west-1:123456789012:certificate/bbbbbbbb-2222-3333-4444-555555555555';


describe('DomainNames', () => {
  let gh: Running;
  before(async () => {
    gh = await startGatehouse();
  });
  after(() => gh.stop());

  test('an EDGE domain name gets a CloudFront distribution name and CloudFront hosted zone', async () => {
    const out = await gh.apigateway.send(new CreateDomainNameCommand({
      domainName: 'edge.example.com', certificateName: 'edge cert', certificateArn: EDGE_CERT, tags: { k: 'v' },
    }));
    assert.equal(out.$metadata.httpStatusCode, 201);
    // AWS CLI reference, create-domain-name example 1 (public, edge-optimized) output.
    assert.match(out.distributionDomainName!, /^d[a-z0-9]{13}\.cloudfront\.net$/);
    assert.equal(out.distributionHostedZoneId, 'Z2FDTNDATAQYW2');
    assert.equal(out.domainNameStatus, 'AVAILABLE');
    assert.equal(out.securityPolicy, 'TLS_1_2');
    assert.deepEqual(out.endpointConfiguration, { types: ['EDGE'], ipAddressType: 'ipv4' });
    assert.equal(out.certificateName, 'edge cert');
    assert.equal(out.certificateArn, EDGE_CERT);
    assert.ok(out.certificateUploadDate instanceof Date);
    assert.deepEqual(out.tags, { k: 'v' });
    assert.equal(out.regionalDomainName, undefined);
    assert.equal(out.domainNameId, undefined);

    const got = await gh.apigateway.send(new GetDomainNameCommand({ domainName: 'edge.example.com' }));
    assert.equal(got.distributionDomainName, out.distributionDomainName);
  });

  test('a REGIONAL domain name gets a d-… execute-api name and the region\'s hosted zone', async () => {
    const out = await gh.apigateway.send(new CreateDomainNameCommand({
      domainName: 'regional.example.com', regionalCertificateArn: REGIONAL_CERT, endpointConfiguration: { types: ['REGIONAL'] },
      securityPolicy: 'TLS_1_0',
    }));
    assert.match(out.regionalDomainName!, /^d-[a-z0-9]{10}\.execute-api\.us-east-1\.amazonaws\.com$/);
    assert.equal(out.regionalHostedZoneId, 'Z1UJRXOUMOOFQ8');
    assert.equal(out.regionalCertificateArn, REGIONAL_CERT);
    assert.equal(out.securityPolicy, 'TLS_1_0');
    assert.equal(out.distributionDomainName, undefined);
    assert.equal(out.certificateUploadDate, undefined);
  });

  test('duplicates are refused with AWS\'s 400 text', async () => {
    await gh.apigateway.send(new CreateDomainNameCommand({ domainName: 'dup.example.com', certificateArn: EDGE_CERT }));
    // Error text and type as real AWS returns them (quoted by Zappa's docs and many deployment scripts).
    await rejects(
      gh.apigateway.send(new CreateDomainNameCommand({ domainName: 'dup.example.com', certificateArn: EDGE_CERT })),
      'BadRequestException', 400, 'The domain name you provided already exists.',
    );
  });

  test('certificates must match the endpoint type and region', async () => {
    await rejects(
      gh.apigateway.send(new CreateDomainNameCommand({ domainName: 'c1.example.com', certificateArn: WEST_CERT })),
      'BadRequestException', 400, `Invalid certificate ARN: ${WEST_CERT}. Certificate must be in 'us-east-1'.`,
    );
    await rejects(
      gh.apigateway.send(new CreateDomainNameCommand({ domainName: 'c2.example.com', certificateArn: EDGE_CERT, endpointConfiguration: { types: ['REGIONAL'] } })),
      'BadRequestException', 400, 'Cannot import certificates for EDGE while REGIONAL is active.',
    );
    await rejects(
      gh.apigateway.send(new CreateDomainNameCommand({ domainName: 'c3.example.com', regionalCertificateArn: REGIONAL_CERT })),
      'BadRequestException', 400, 'Cannot import certificates for REGIONAL while EDGE is active.',
    );
    await rejects(
      gh.apigateway.send(new CreateDomainNameCommand({ domainName: 'c4.example.com' })),
      'BadRequestException', 400, /A certificate was not provided/,
    );
    await rejects(
      gh.apigateway.send(new CreateDomainNameCommand({ domainName: 'c5.example.com', regionalCertificateArn: WEST_CERT, endpointConfiguration: { types: ['REGIONAL'] } })),
      'BadRequestException', 400, `Invalid certificate ARN: ${WEST_CERT}. Certificate must be in 'us-east-1'.`,
    );
    await rejects(
      gh.apigateway.send(new CreateDomainNameCommand({ domainName: 'c6.example.com', certificateArn: 'not-an-arn' })),
      'BadRequestException', 400, 'Invalid certificate ARN: not-an-arn',
    );
    await rejects(
      gh.apigateway.send(new CreateDomainNameCommand({ domainName: 'c7.example.com', certificateArn: EDGE_CERT, endpointConfiguration: { types: ['EDGE', 'REGIONAL'] } })),
      'BadRequestException', 400, 'Cannot create a domain name with multiple Endpoint Types.',
    );
    await rejects(
      gh.apigateway.send(new CreateDomainNameCommand({ domainName: 'not a domain', certificateArn: EDGE_CERT })),
      'BadRequestException', 400, /Invalid domain name/,
    );
  });

  test('an uploaded certificate must parse and match its private key', async () => {
    const a = await generateClientCertificate(new Date());
    const b = await generateClientCertificate(new Date());
    const out = await gh.apigateway.send(new CreateDomainNameCommand({
      domainName: 'upload.example.com', certificateName: 'uploaded', certificateBody: a.pemEncodedCertificate, certificatePrivateKey: a.privateKeyPem,
    }));
    assert.ok(out.certificateUploadDate instanceof Date);
    assert.equal(out.certificateArn, undefined);
    const raw = await fetch(`${gh.endpoint}/domainnames/upload.example.com`, {
      headers: sigv4Headers(),
    });
    const wire = (await raw.json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(wire).sort(), [
      'certificateName', 'certificateUploadDate', 'distributionDomainName', 'distributionHostedZoneId', 'domainName', 'domainNameStatus',
      'endpointConfiguration', 'routingMode', 'securityPolicy',
    ], 'the uploaded PEMs are never returned');
    // Still valid after a patch: the uploaded certificate counts as the domain's certificate.
    const patched = await gh.apigateway.send(new UpdateDomainNameCommand({
      domainName: 'upload.example.com', patchOperations: [{ op: 'replace', path: '/securityPolicy', value: 'TLS_1_0' }],
    }));
    assert.equal(patched.securityPolicy, 'TLS_1_0');
    await rejects(
      gh.apigateway.send(new CreateDomainNameCommand({ domainName: 'upload2.example.com', certificateBody: a.pemEncodedCertificate, certificatePrivateKey: b.privateKeyPem })),
      'BadRequestException', 400, 'The private key did not match the public key in the certificate.',
    );
    await rejects(
      gh.apigateway.send(new CreateDomainNameCommand({ domainName: 'upload3.example.com', certificateBody: 'bar', certificatePrivateKey: 'fizz' })),
      'BadRequestException', 400, /Unable to parse certificate/,
    );
  });

  test('mutual TLS is for REGIONAL domains with an s3:// truststore', async () => {
    const out = await gh.apigateway.send(new CreateDomainNameCommand({
      domainName: 'mtls.example.com', regionalCertificateArn: REGIONAL_CERT, endpointConfiguration: { types: ['REGIONAL'] },
      mutualTlsAuthentication: { truststoreUri: 's3://bucket-name/truststore.pem', truststoreVersion: '1' },
    }));
    assert.deepEqual(out.mutualTlsAuthentication, { truststoreUri: 's3://bucket-name/truststore.pem', truststoreVersion: '1' });
    await rejects(
      gh.apigateway.send(new CreateDomainNameCommand({ domainName: 'mtls2.example.com', certificateArn: EDGE_CERT, mutualTlsAuthentication: { truststoreUri: 's3://b/k' } })),
      'BadRequestException', 400, /Mutual TLS authentication is not supported for EDGE/,
    );
    await rejects(
      gh.apigateway.send(new CreateDomainNameCommand({
        domainName: 'mtls3.example.com', regionalCertificateArn: REGIONAL_CERT, endpointConfiguration: { types: ['REGIONAL'] },
        mutualTlsAuthentication: { truststoreUri: 'https://example.com/ts.pem' },
      })),
      'BadRequestException', 400, /Invalid truststore URI/,
    );
  });

  test('GetDomainName of an unknown name is 404', async () => {
    await rejects(gh.apigateway.send(new GetDomainNameCommand({ domainName: 'none.example.com' })), 'NotFoundException', 404, 'Invalid domain name identifier specified');
    await rejects(gh.apigateway.send(new DeleteDomainNameCommand({ domainName: 'none.example.com' })), 'NotFoundException', 404, 'Invalid domain name identifier specified');
  });

  test('UpdateDomainName patches, revalidates, and migrates EDGE to REGIONAL', async () => {
    await gh.apigateway.send(new CreateDomainNameCommand({ domainName: 'migrate.example.com', certificateArn: EDGE_CERT }));
    const sec = await gh.apigateway.send(new UpdateDomainNameCommand({
      domainName: 'migrate.example.com', patchOperations: [{ op: 'replace', path: '/securityPolicy', value: 'TLS_1_0' }],
    }));
    assert.equal(sec.securityPolicy, 'TLS_1_0');

    // Without a regional certificate the migration is refused and nothing changes.
    await rejects(
      gh.apigateway.send(new UpdateDomainNameCommand({
        domainName: 'migrate.example.com', patchOperations: [{ op: 'replace', path: '/endpointConfiguration/types/0', value: 'REGIONAL' }],
      })),
      'BadRequestException', 400, 'Cannot import certificates for EDGE while REGIONAL is active.',
    );
    const migrated = await gh.apigateway.send(new UpdateDomainNameCommand({
      domainName: 'migrate.example.com',
      patchOperations: [
        { op: 'replace', path: '/endpointConfiguration/types/0', value: 'REGIONAL' },
        { op: 'replace', path: '/regionalCertificateArn', value: REGIONAL_CERT },
        { op: 'replace', path: '/certificateArn', value: '' },
      ],
    })).catch((e) => e);
    // An empty value is not a certificate: replacing with '' is refused; remove is the way to drop it.
    assert.equal(migrated.name, 'BadRequestException');
    const ok = await gh.apigateway.send(new UpdateDomainNameCommand({
      domainName: 'migrate.example.com',
      patchOperations: [
        { op: 'replace', path: '/endpointConfiguration/types/0', value: 'REGIONAL' },
        { op: 'replace', path: '/regionalCertificateArn', value: REGIONAL_CERT },
        { op: 'remove', path: '/certificateArn' },
      ],
    }));
    assert.deepEqual(ok.endpointConfiguration?.types, ['REGIONAL']);
    assert.match(ok.regionalDomainName!, /\.execute-api\.us-east-1\.amazonaws\.com$/);
    assert.equal(ok.distributionDomainName, undefined);
    assert.equal(ok.certificateArn, undefined);

    await rejects(
      gh.apigateway.send(new UpdateDomainNameCommand({ domainName: 'migrate.example.com', patchOperations: [{ op: 'replace', path: '/domainName', value: 'x' }] })),
      'BadRequestException', 400, /^Invalid patch path {2}'\/domainName' specified for op 'replace'\. Must be one of: \[/,
    );
    await rejects(
      gh.apigateway.send(new UpdateDomainNameCommand({ domainName: 'migrate.example.com', patchOperations: [{ op: 'replace', path: '/securityPolicy', value: 'TLS_9' }] })),
      'BadRequestException', 400, /Invalid value 'TLS_9'/,
    );
  });

  test('GetDomainNames pages with limit and position', async () => {
    const fresh = await startGatehouse();
    try {
      for (const n of ['a', 'b', 'c']) {
        await fresh.apigateway.send(new CreateDomainNameCommand({ domainName: `${n}.example.com`, certificateArn: EDGE_CERT }));
      }
      const first = await fresh.apigateway.send(new GetDomainNamesCommand({ limit: 2 }));
      assert.deepEqual(first.items!.map((d) => d.domainName), ['a.example.com', 'b.example.com']);
      const second = await fresh.apigateway.send(new GetDomainNamesCommand({ limit: 2, position: first.position }));
      assert.deepEqual(second.items!.map((d) => d.domainName), ['c.example.com']);
      assert.equal(second.position, undefined);
      const others = await fresh.apigateway.send(new GetDomainNamesCommand({ resourceOwner: 'OTHER_ACCOUNTS' }));
      assert.deepEqual(others.items ?? [], []);
    } finally {
      await fresh.stop();
    }
  });

  test('DeleteDomainName answers 202', async () => {
    await gh.apigateway.send(new CreateDomainNameCommand({ domainName: 'delete.example.com', certificateArn: EDGE_CERT }));
    const del = await gh.apigateway.send(new DeleteDomainNameCommand({ domainName: 'delete.example.com' }));
    assert.equal(del.$metadata.httpStatusCode, 202);
    await rejects(gh.apigateway.send(new GetDomainNameCommand({ domainName: 'delete.example.com' })), 'NotFoundException', 404, 'Invalid domain name identifier specified');
  });
});

describe('private custom domain names and access associations', () => {
  let gh: Running;
  before(async () => {
    gh = await startGatehouse();
  });
  after(() => gh.stop());

  const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: ['execute-api:/*'] }] });

  async function createPrivate(name: string) {
    return gh.apigateway.send(new CreateDomainNameCommand({
      domainName: name, certificateArn: REGIONAL_CERT, endpointConfiguration: { types: ['PRIVATE'] }, policy,
    }));
  }

  test('a PRIVATE domain name has an id and ARN and is addressed by both', async () => {
    const out = await createPrivate('private.example.com');
    assert.match(out.domainNameId!, /^[a-z0-9]{10}$/);
    // API reference examples: arn:aws:apigateway:{region}:{account}:/domainnames/{name}+{id}
    assert.equal(out.domainNameArn, `arn:aws:apigateway:us-east-1:123456789012:/domainnames/private.example.com+${out.domainNameId}`);
    assert.deepEqual(out.endpointConfiguration, { types: ['PRIVATE'], ipAddressType: 'dualstack' });
    // AWS CLI reference, create-domain-name example 2: the stored policy is compact JSON with `execute-api:/*`
    // expanded to the domain's execute-api ARN.
    assert.equal(out.policy, JSON.stringify({
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke',
        Resource: `arn:aws:execute-api:us-east-1:123456789012:/domainnames/private.example.com+${out.domainNameId}`,
      }],
    }));
    assert.equal(out.regionalDomainName, undefined);
    assert.equal(out.distributionDomainName, undefined);

    const got = await gh.apigateway.send(new GetDomainNameCommand({ domainName: 'private.example.com', domainNameId: out.domainNameId }));
    assert.equal(got.domainNameArn, out.domainNameArn);
    await rejects(gh.apigateway.send(new GetDomainNameCommand({ domainName: 'private.example.com' })), 'NotFoundException', 404, 'Invalid domain name identifier specified');

    const patched = await gh.apigateway.send(new UpdateDomainNameCommand({
      domainName: 'private.example.com', domainNameId: out.domainNameId,
      patchOperations: [{ op: 'replace', path: '/policy', value: '{"Version":"2012-10-17","Statement":[]}' }],
    }));
    assert.equal(patched.policy, '{"Version":"2012-10-17","Statement":[]}');
    await rejects(
      gh.apigateway.send(new UpdateDomainNameCommand({
        domainName: 'private.example.com', domainNameId: out.domainNameId, patchOperations: [{ op: 'replace', path: '/policy', value: '{not json' }],
      })),
      'BadRequestException', 400, 'Invalid policy document. Please check the policy syntax and ensure that Principals are valid.',
    );
  });

  test('a policy is for PRIVATE domain names only, and PRIVATE needs dualstack', async () => {
    await rejects(
      gh.apigateway.send(new CreateDomainNameCommand({ domainName: 'pub.example.com', certificateArn: EDGE_CERT, policy })),
      'BadRequestException', 400, /only be set on a PRIVATE domain name/,
    );
    await rejects(
      gh.apigateway.send(new CreateDomainNameCommand({
        domainName: 'p4.example.com', certificateArn: REGIONAL_CERT, endpointConfiguration: { types: ['PRIVATE'], ipAddressType: 'ipv4' },
      })),
      'BadRequestException', 400, 'Only dualstack ipAddressType is supported for Private domain names.',
    );
  });

  test('access associations: create, list, conflict, reject, delete', async () => {
    const domain = await createPrivate('assoc.example.com');
    const created = await gh.apigateway.send(new CreateDomainNameAccessAssociationCommand({
      domainNameArn: domain.domainNameArn, accessAssociationSourceType: 'VPCE', accessAssociationSource: 'vpce-0123456789abcdef0', tags: { t: '1' },
    }));
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.equal(
      created.domainNameAccessAssociationArn,
      `arn:aws:apigateway:us-east-1:123456789012:/domainnameaccessassociations/domainname/assoc.example.com+${domain.domainNameId}/vpcesource/vpce-0123456789abcdef0`,
    );
    assert.equal(created.domainNameArn, domain.domainNameArn);
    assert.equal(created.accessAssociationSourceType, 'VPCE');
    assert.deepEqual(created.tags, { t: '1' });

    await rejects(
      gh.apigateway.send(new CreateDomainNameAccessAssociationCommand({
        domainNameArn: domain.domainNameArn, accessAssociationSourceType: 'VPCE', accessAssociationSource: 'vpce-0123456789abcdef0',
      })),
      'ConflictException', 409, /already exists/,
    );
    await rejects(
      gh.apigateway.send(new CreateDomainNameAccessAssociationCommand({
        domainNameArn: domain.domainNameArn, accessAssociationSourceType: 'VPCE', accessAssociationSource: 'not-a-vpce',
      })),
      'BadRequestException', 400, /Invalid VPC endpoint identifier/,
    );
    const edge = await gh.apigateway.send(new CreateDomainNameCommand({ domainName: 'pubassoc.example.com', certificateArn: EDGE_CERT }));
    await rejects(
      gh.apigateway.send(new CreateDomainNameAccessAssociationCommand({
        domainNameArn: `arn:aws:apigateway:us-east-1:123456789012:/domainnames/${edge.domainName}`, accessAssociationSourceType: 'VPCE',
        accessAssociationSource: 'vpce-0123456789abcdef0',
      })),
      'BadRequestException', 400, /Invalid domain name ARN/,
    );

    const listed = await gh.apigateway.send(new GetDomainNameAccessAssociationsCommand({}));
    assert.deepEqual(listed.items!.map((a) => a.domainNameAccessAssociationArn), [created.domainNameAccessAssociationArn]);

    const second = await gh.apigateway.send(new CreateDomainNameAccessAssociationCommand({
      domainNameArn: domain.domainNameArn, accessAssociationSourceType: 'VPCE', accessAssociationSource: 'vpce-0fedcba9876543210',
    }));
    const rejected = await gh.apigateway.send(new RejectDomainNameAccessAssociationCommand({
      domainNameAccessAssociationArn: second.domainNameAccessAssociationArn, domainNameArn: domain.domainNameArn,
    }));
    assert.equal(rejected.$metadata.httpStatusCode, 202);
    await rejects(
      gh.apigateway.send(new RejectDomainNameAccessAssociationCommand({
        domainNameAccessAssociationArn: second.domainNameAccessAssociationArn, domainNameArn: domain.domainNameArn,
      })),
      'NotFoundException', 404, 'Invalid domain name access association identifier specified',
    );

    const del = await gh.apigateway.send(new DeleteDomainNameAccessAssociationCommand({ domainNameAccessAssociationArn: created.domainNameAccessAssociationArn }));
    assert.equal(del.$metadata.httpStatusCode, 202);
    await rejects(
      gh.apigateway.send(new DeleteDomainNameAccessAssociationCommand({ domainNameAccessAssociationArn: created.domainNameAccessAssociationArn })),
      'NotFoundException', 404, 'Invalid domain name access association identifier specified',
    );
    assert.deepEqual((await gh.apigateway.send(new GetDomainNameAccessAssociationsCommand({}))).items ?? [], []);
  });

  test('deleting a private domain name drops its access associations', async () => {
    const domain = await createPrivate('cascade.example.com');
    await gh.apigateway.send(new CreateDomainNameAccessAssociationCommand({
      domainNameArn: domain.domainNameArn, accessAssociationSourceType: 'VPCE', accessAssociationSource: 'vpce-0123456789abcdef0',
    }));
    await gh.apigateway.send(new DeleteDomainNameCommand({ domainName: 'cascade.example.com', domainNameId: domain.domainNameId }));
    const left = (await gh.apigateway.send(new GetDomainNameAccessAssociationsCommand({}))).items ?? [];
    assert.equal(left.filter((a) => a.domainNameArn === domain.domainNameArn).length, 0);
  });
});

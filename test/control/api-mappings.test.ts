// apigatewayv2's API mappings on the custom domain names of the apigateway API, driven by the real `aws` CLI v2
// (`aws apigatewayv2 ...`, signed for `apigateway` like every v2 client): multi-level keys, the v1 view of the same
// mappings, and AWS's rules and error texts (REGIONAL only, TLS 1.2 only; texts quoted from AWS in
// amplify-education/serverless-domain-manager#381/#401 and aws/aws-cdk#9077/#8983).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as AG from '@aws-sdk/client-api-gateway';
import { request } from 'undici';
import { runAws, type CliResult } from '../helpers/aws-cli.ts';
import { sigv4Headers, startGatehouse, type Running } from '../helpers/gatehouse.ts';
import { tempDataDir } from '../helpers/temp.ts';

const CERT_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/0f6b8c1e-1111-2222-3333-444455556666';


describe('apigatewayv2 API mappings (aws CLI v2)', () => {
  let gh: Running;
  let home: string;
  let apiId: string;

  function aws(...args: string[]): Promise<CliResult> {
    return runAws({ endpoint: gh.endpoint, home }, ...args);
  }

  /** Asserts the CLI failed with AWS error `code` and exactly `message`. */
  function failed(r: CliResult, operation: string, code: string, message: string): void {
    assert.notEqual(r.code, 0);
    // The CLI adds "(reached max retries: 0)" to errors AWS modelled as retryable (TooManyRequests among them).
    assert.equal(r.stderr.replace(/ \(reached max retries: \d+\)/, ''), `An error occurred (${code}) when calling the ${operation} operation: ${message}`);
  }

  before(async () => {
    gh = await startGatehouse();
    home = tempDataDir();
    const c = gh.apigateway;
    apiId = (await c.send(new AG.CreateRestApiCommand({ name: 'mapped' }))).id!;
    const root = (await c.send(new AG.GetResourcesCommand({ restApiId: apiId }))).items![0]!.id!;
    await c.send(new AG.PutMethodCommand({ restApiId: apiId, resourceId: root, httpMethod: 'GET', authorizationType: 'NONE' }));
    await c.send(new AG.PutIntegrationCommand({ restApiId: apiId, resourceId: root, httpMethod: 'GET', type: 'MOCK' }));
    await c.send(new AG.CreateDeploymentCommand({ restApiId: apiId, stageName: 'prod' }));
    await c.send(new AG.CreateStageCommand({ restApiId: apiId, stageName: 'beta', deploymentId: (await c.send(new AG.GetDeploymentsCommand({ restApiId: apiId }))).items![0]!.id! }));
    await c.send(new AG.CreateDomainNameCommand({ domainName: 'api.example.com', regionalCertificateArn: CERT_ARN, endpointConfiguration: { types: ['REGIONAL'] } }));
    await c.send(new AG.CreateDomainNameCommand({ domainName: 'old.example.com', regionalCertificateArn: CERT_ARN, endpointConfiguration: { types: ['REGIONAL'] }, securityPolicy: 'TLS_1_0' }));
    await c.send(new AG.CreateDomainNameCommand({ domainName: 'edge.example.com', certificateArn: CERT_ARN }));
  });

  after(async () => {
    await gh.stop();
  });

  test('create, get, list, update and delete a multi-level mapping; the v1 API sees the same mappings', async () => {
    const created = await aws('apigatewayv2', 'create-api-mapping', '--domain-name', 'api.example.com', '--api-id', apiId, '--stage', 'prod',
      '--api-mapping-key', 'orders/v1/items');
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.json.ApiMappingId, /^[a-z0-9]{6}$/);
    assert.deepEqual(created.json, { ApiId: apiId, ApiMappingId: created.json.ApiMappingId, ApiMappingKey: 'orders/v1/items', Stage: 'prod' });
    const id = created.json.ApiMappingId;

    const none = await aws('apigatewayv2', 'create-api-mapping', '--domain-name', 'api.example.com', '--api-id', apiId, '--stage', 'beta');
    assert.equal(none.code, 0, none.stderr);
    assert.equal(none.json.ApiMappingKey, '');

    const got = await aws('apigatewayv2', 'get-api-mapping', '--domain-name', 'api.example.com', '--api-mapping-id', id);
    assert.deepEqual(got.json, created.json);
    const listed = await aws('apigatewayv2', 'get-api-mappings', '--domain-name', 'api.example.com');
    assert.deepEqual(listed.json.Items.map((m: { ApiMappingKey: string }) => m.ApiMappingKey).sort(), ['', 'orders/v1/items']);

    // The same mappings through the v1 API: `(none)` and the multi-level base path.
    const v1 = await gh.apigateway.send(new AG.GetBasePathMappingsCommand({ domainName: 'api.example.com' }));
    assert.deepEqual(v1.items!.map((m) => m.basePath).sort(), ['(none)', 'orders/v1/items']);

    const updated = await aws('apigatewayv2', 'update-api-mapping', '--domain-name', 'api.example.com', '--api-mapping-id', id, '--api-id', apiId,
      '--api-mapping-key', 'orders/v2', '--stage', 'beta');
    assert.equal(updated.code, 0, updated.stderr);
    assert.deepEqual(updated.json, { ApiId: apiId, ApiMappingId: id, ApiMappingKey: 'orders/v2', Stage: 'beta' });
    const v1After = await gh.apigateway.send(new AG.GetBasePathMappingCommand({ domainName: 'api.example.com', basePath: 'orders/v2' }));
    assert.deepEqual({ basePath: v1After.basePath, stage: v1After.stage }, { basePath: 'orders/v2', stage: 'beta' });

    const deleted = await aws('apigatewayv2', 'delete-api-mapping', '--domain-name', 'api.example.com', '--api-mapping-id', id);
    assert.equal(deleted.code, 0, deleted.stderr);
    failed(await aws('apigatewayv2', 'get-api-mapping', '--domain-name', 'api.example.com', '--api-mapping-id', id),
      'GetApiMapping', 'NotFoundException', 'Invalid ApiMapping identifier specified');
    assert.equal((await aws('apigatewayv2', 'delete-api-mapping', '--domain-name', 'api.example.com', '--api-mapping-id', none.json.ApiMappingId)).code, 0);
  });

  test('a mapping made by the v1 API has an id in the v2 API', async () => {
    await gh.apigateway.send(new AG.CreateBasePathMappingCommand({ domainName: 'api.example.com', basePath: 'legacy', restApiId: apiId, stage: 'prod' }));
    const listed = await aws('apigatewayv2', 'get-api-mappings', '--domain-name', 'api.example.com');
    const legacy = listed.json.Items.find((m: { ApiMappingKey: string }) => m.ApiMappingKey === 'legacy');
    assert.ok(legacy, JSON.stringify(listed.json));
    const got = await aws('apigatewayv2', 'get-api-mapping', '--domain-name', 'api.example.com', '--api-mapping-id', legacy.ApiMappingId);
    assert.deepEqual(got.json, { ApiId: apiId, ApiMappingId: legacy.ApiMappingId, ApiMappingKey: 'legacy', Stage: 'prod' });
  });

  test("AWS's rules: REGIONAL TLS 1.2 domains only, valid keys, existing domain, API and stage, unique keys", async () => {
    const [edge, tls10, badKey, noDomain, noStage, noApi] = await Promise.all([
      aws('apigatewayv2', 'create-api-mapping', '--domain-name', 'edge.example.com', '--api-id', apiId, '--stage', 'prod', '--api-mapping-key', 'a/b'),
      aws('apigatewayv2', 'get-api-mappings', '--domain-name', 'old.example.com'),
      aws('apigatewayv2', 'create-api-mapping', '--domain-name', 'api.example.com', '--api-id', apiId, '--stage', 'prod', '--api-mapping-key', 'a//b'),
      aws('apigatewayv2', 'get-api-mappings', '--domain-name', 'missing.example.com'),
      aws('apigatewayv2', 'create-api-mapping', '--domain-name', 'api.example.com', '--api-id', apiId, '--stage', 'nope', '--api-mapping-key', 'x'),
      aws('apigatewayv2', 'create-api-mapping', '--domain-name', 'api.example.com', '--api-id', 'abcdefghij', '--stage', 'prod', '--api-mapping-key', 'x'),
    ]);
    failed(edge, 'CreateApiMapping', 'BadRequestException',
      'Only REGIONAL domain names can be managed through the API Gateway V2 API. For EDGE domain names, please use the API Gateway V1 API. ' +
        'Also note that only REST APIs can be attached to EDGE domain names.');
    failed(tls10, 'GetApiMappings', 'BadRequestException',
      'Only REGIONAL domain names with a security policy of TLS 1.2 can be managed through the API Gateway V2 API. For TLS 1.0 domain names, ' +
        'please use the API Gateway V1 API to upgrade your security policy to TLS 1.2. Currently, only REST APIs can be attached to a domain name ' +
        'with a security policy of TLS 1.0.');
    failed(badKey, 'CreateApiMapping', 'BadRequestException', "An ApiMapping key may contain only letters, numbers and one of $-_.+!*'()");
    failed(noDomain, 'GetApiMappings', 'NotFoundException', 'Invalid domain name identifier specified');
    failed(noStage, 'CreateApiMapping', 'BadRequestException', 'Invalid stage identifier specified');
    failed(noApi, 'CreateApiMapping', 'BadRequestException', 'Invalid REST API identifier specified');

    const first = await aws('apigatewayv2', 'create-api-mapping', '--domain-name', 'api.example.com', '--api-id', apiId, '--stage', 'prod', '--api-mapping-key', 'dup/x');
    assert.equal(first.code, 0, first.stderr);
    failed(await aws('apigatewayv2', 'create-api-mapping', '--domain-name', 'api.example.com', '--api-id', apiId, '--stage', 'beta', '--api-mapping-key', 'dup/x'),
      'CreateApiMapping', 'ConflictException', 'ApiMapping key already exists for this domain name');
    // The v1 API still refuses multi-level base paths with AWS's pointer to v2.
    await assert.rejects(
      gh.apigateway.send(new AG.CreateBasePathMappingCommand({ domainName: 'api.example.com', basePath: 'a/b', restApiId: apiId })),
      /To create a multi-level base path mapping, use API Gateway V2/,
    );
  });

  test('v2 domain names are the same domains: create, get, list, update, delete; REGIONAL TLS 1.2 only', async () => {
    const created = await aws('apigatewayv2', 'create-domain-name', '--domain-name', 'v2.example.com',
      '--domain-name-configurations', `CertificateArn=${CERT_ARN},EndpointType=REGIONAL,SecurityPolicy=TLS_1_2`, '--tags', 'team=core');
    assert.equal(created.code, 0, created.stderr);
    const config = created.json.DomainNameConfigurations[0];
    assert.match(config.ApiGatewayDomainName, /^d-[a-z0-9]{10}\.execute-api\.us-east-1\.amazonaws\.com$/);
    // The CLI (2.9) prints the members its model knows; the wire carries the newer ones too (checked below).
    assert.deepEqual(created.json, {
      ApiMappingSelectionExpression: '$request.basepath',
      DomainName: 'v2.example.com',
      DomainNameConfigurations: [{
        ApiGatewayDomainName: config.ApiGatewayDomainName, CertificateArn: CERT_ARN, DomainNameStatus: 'AVAILABLE', EndpointType: 'REGIONAL',
        HostedZoneId: 'Z1UJRXOUMOOFQ8', SecurityPolicy: 'TLS_1_2',
      }],
      Tags: { team: 'core' },
    });
    const wire = await request(`${gh.endpoint}/v2/domainnames/v2.example.com`, { headers: sigv4Headers() });
    const body = (await wire.body.json()) as Record<string, any>;
    assert.deepEqual(
      { arn: body.domainNameArn, routingMode: body.routingMode, ipAddressType: body.domainNameConfigurations[0].ipAddressType },
      { arn: 'arn:aws:apigateway:us-east-1::/domainnames/v2.example.com', routingMode: 'API_MAPPING_ONLY', ipAddressType: 'ipv4' },
    );
    // The v1 API sees the same domain.
    const v1 = await gh.apigateway.send(new AG.GetDomainNameCommand({ domainName: 'v2.example.com' }));
    assert.deepEqual({ types: v1.endpointConfiguration?.types, arn: v1.regionalCertificateArn, regional: v1.regionalDomainName }, { types: ['REGIONAL'], arn: CERT_ARN, regional: config.ApiGatewayDomainName });

    const got = await aws('apigatewayv2', 'get-domain-name', '--domain-name', 'v2.example.com');
    assert.deepEqual(got.json, created.json);
    const listed = await aws('apigatewayv2', 'get-domain-names');
    assert.ok(listed.json.Items.some((d: { DomainName: string }) => d.DomainName === 'v2.example.com'), JSON.stringify(listed.json));
    const other = CERT_ARN.replace('0f6b8c1e', '1a2b3c4d');
    const updated = await aws('apigatewayv2', 'update-domain-name', '--domain-name', 'v2.example.com', '--domain-name-configurations', `CertificateArn=${other}`);
    assert.equal(updated.code, 0, updated.stderr);
    assert.equal(updated.json.DomainNameConfigurations[0].CertificateArn, other);
    assert.equal((await gh.apigateway.send(new AG.GetDomainNameCommand({ domainName: 'v2.example.com' }))).regionalCertificateArn, other);

    failed(await aws('apigatewayv2', 'create-domain-name', '--domain-name', 'old2.example.com', '--domain-name-configurations', `CertificateArn=${CERT_ARN},SecurityPolicy=TLS_1_0`),
      'CreateDomainName', 'BadRequestException', 'TLS_1_0 is not supported for APIGatewayV2 domainName.');
    failed(await aws('apigatewayv2', 'get-domain-name', '--domain-name', 'edge.example.com'), 'GetDomainName', 'BadRequestException',
      'Only REGIONAL domain names can be managed through the API Gateway V2 API. For EDGE domain names, please use the API Gateway V1 API. ' +
        'Also note that only REST APIs can be attached to EDGE domain names.');

    const deleted = await aws('apigatewayv2', 'delete-domain-name', '--domain-name', 'v2.example.com');
    assert.equal(deleted.code, 0, deleted.stderr);
    failed(await aws('apigatewayv2', 'get-domain-name', '--domain-name', 'v2.example.com'), 'GetDomainName', 'NotFoundException', 'Invalid domain name identifier specified');
  });

  test('other apigatewayv2 operations say they are not available', async () => {
    failed(await aws('apigatewayv2', 'get-apis'), 'GetApis', 'BadRequestException',
      'GetApis is not available in this version of Gatehouse (apigatewayv2 serves domain names and API mappings only)');
  });
});

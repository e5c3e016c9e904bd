import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DeleteRestApiCommand,
  type APIGatewayClient,
  CreateBasePathMappingCommand,
  CreateDeploymentCommand,
  CreateDomainNameCommand,
  CreateRestApiCommand,
  CreateUsagePlanCommand,
  DeleteStageCommand,
  GetUsagePlanCommand,
  DeleteBasePathMappingCommand,
  DeleteDomainNameCommand,
  type EndpointType,
  GetBasePathMappingCommand,
  GetBasePathMappingsCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  UpdateBasePathMappingCommand,
} from '@aws-sdk/client-api-gateway';
import { sigv4Headers, startGatehouse, type Running } from '../helpers/gatehouse.ts';
import { rejects } from '../helpers/aws-assert.ts';

const EDGE_CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
const SIGNED = sigv4Headers();


/** A REST API with a GET / MOCK method deployed to `stage` (AWS refuses to deploy an API without methods). */
async function deployedApi(client: APIGatewayClient, stage: string, types?: EndpointType[]): Promise<string> {
  // A private API is deployable only with a resource policy (as on AWS).
  const policy = types?.includes('PRIVATE') ? JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' }] }) : undefined;
  const api = await client.send(new CreateRestApiCommand({ name: `api-${stage}`, endpointConfiguration: types ? { types } : undefined, policy }));
  await client.send(new PutMethodCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
  await client.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', type: 'MOCK' }));
  await client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: stage }));
  return api.id!;
}

describe('BasePathMappings', () => {
  let gh: Running;
  let apiId: string;
  let otherApiId: string;
  before(async () => {
    gh = await startGatehouse();
    apiId = await deployedApi(gh.apigateway, 'prod');
    otherApiId = await deployedApi(gh.apigateway, 'beta');
    await gh.apigateway.send(new CreateDomainNameCommand({ domainName: 'api.example.com', certificateArn: EDGE_CERT }));
  });
  after(() => gh.stop());

  test('an omitted base path is stored and shown as (none), and takes the whole domain', async () => {
    await gh.apigateway.send(new CreateDomainNameCommand({ domainName: 'root.example.com', certificateArn: EDGE_CERT }));
    const out = await gh.apigateway.send(new CreateBasePathMappingCommand({ domainName: 'root.example.com', restApiId: apiId, stage: 'prod' }));
    assert.equal(out.$metadata.httpStatusCode, 201);
    // API reference, BasePathMapping: "(none)" when the base path is not specified.
    assert.deepEqual({ basePath: out.basePath, restApiId: out.restApiId, stage: out.stage }, { basePath: '(none)', restApiId: apiId, stage: 'prod' });
    const got = await gh.apigateway.send(new GetBasePathMappingCommand({ domainName: 'root.example.com', basePath: '(none)' }));
    assert.equal(got.restApiId, apiId);
    // The label arrives percent-encoded (%28none%29), as clients send it.
    const raw = await fetch(`${gh.endpoint}/domainnames/root.example.com/basepathmappings/%28none%29`, { headers: SIGNED });
    assert.equal(raw.status, 200);
    assert.deepEqual(await raw.json(), { basePath: '(none)', restApiId: apiId, stage: 'prod' });
    // 409 text as real AWS returns it (quoted in serverless-domain-manager issue #179).
    const only = 'Only one base path mapping is allowed if the base path is empty.';
    await rejects(
      gh.apigateway.send(new CreateBasePathMappingCommand({ domainName: 'root.example.com', restApiId: otherApiId, basePath: '' })),
      'ConflictException', 409, only,
    );
    await rejects(
      gh.apigateway.send(new CreateBasePathMappingCommand({ domainName: 'root.example.com', restApiId: otherApiId, basePath: 'v1' })),
      'ConflictException', 409, only,
    );
    await rejects(
      gh.apigateway.send(new CreateBasePathMappingCommand({ domainName: 'api.example.com', restApiId: otherApiId, basePath: 'taken' }))
        .then(() => gh.apigateway.send(new CreateBasePathMappingCommand({ domainName: 'api.example.com', restApiId: otherApiId }))),
      'ConflictException', 409, only,
    );
    await rejects(
      gh.apigateway.send(new CreateBasePathMappingCommand({ domainName: 'api.example.com', restApiId: apiId, basePath: 'taken' })),
      'ConflictException', 409, 'Base path already exists for this domain name',
    );
  });

  test('a mapping without a stage has no stage member', async () => {
    const out = await gh.apigateway.send(new CreateBasePathMappingCommand({ domainName: 'api.example.com', restApiId: apiId, basePath: 'nostage' }));
    assert.equal(out.stage, undefined);
    const raw = await fetch(`${gh.endpoint}/domainnames/api.example.com/basepathmappings/nostage`, { headers: SIGNED });
    assert.deepEqual(await raw.json(), { basePath: 'nostage', restApiId: apiId });
  });

  test('the target API, stage and domain must exist; base paths are one segment', async () => {
    await rejects(
      gh.apigateway.send(new CreateBasePathMappingCommand({ domainName: 'api.example.com', restApiId: 'nope123456', basePath: 'x' })),
      'BadRequestException', 400, 'Invalid REST API identifier specified',
    );
    await rejects(
      gh.apigateway.send(new CreateBasePathMappingCommand({ domainName: 'api.example.com', restApiId: apiId, basePath: 'x', stage: 'nostage' })),
      'BadRequestException', 400, 'Invalid stage identifier specified',
    );
    await rejects(
      gh.apigateway.send(new CreateBasePathMappingCommand({ domainName: 'other.example.com', restApiId: apiId, basePath: 'x' })),
      'NotFoundException', 404, 'Invalid domain name identifier specified',
    );
    await rejects(
      gh.apigateway.send(new CreateBasePathMappingCommand({ domainName: 'api.example.com', restApiId: apiId, basePath: 'v1/orders' })),
      'BadRequestException', 400,
      "API Gateway V1 doesn't support the slash character (/) in base path mappings. To create a multi-level base path mapping, use API Gateway V2.",
    );
    await rejects(
      gh.apigateway.send(new CreateBasePathMappingCommand({ domainName: 'api.example.com', restApiId: apiId, basePath: 'a b' })),
      'BadRequestException', 400, /Invalid base path/,
    );
  });

  test('UpdateBasePathMapping patches /basePath, /restapiId and /stage', async () => {
    await gh.apigateway.send(new CreateBasePathMappingCommand({ domainName: 'api.example.com', restApiId: apiId, basePath: 'v1', stage: 'prod' }));
    const out = await gh.apigateway.send(new UpdateBasePathMappingCommand({
      domainName: 'api.example.com', basePath: 'v1',
      patchOperations: [
        { op: 'replace', path: '/basePath', value: 'v2' },
        { op: 'replace', path: '/restapiId', value: otherApiId },
        { op: 'replace', path: '/stage', value: 'beta' },
      ],
    }));
    assert.deepEqual({ basePath: out.basePath, restApiId: out.restApiId, stage: out.stage }, { basePath: 'v2', restApiId: otherApiId, stage: 'beta' });
    await rejects(gh.apigateway.send(new GetBasePathMappingCommand({ domainName: 'api.example.com', basePath: 'v1' })), 'NotFoundException', 404,
      'Invalid base path mapping identifier specified');

    // The stage must exist in the (new) API: 'prod' belongs to the other one.
    await rejects(
      gh.apigateway.send(new UpdateBasePathMappingCommand({ domainName: 'api.example.com', basePath: 'v2', patchOperations: [{ op: 'replace', path: '/stage', value: 'prod' }] })),
      'BadRequestException', 400, 'Invalid stage identifier specified',
    );
    await rejects(
      gh.apigateway.send(new UpdateBasePathMappingCommand({ domainName: 'api.example.com', basePath: 'v2', patchOperations: [{ op: 'replace', path: '/basePath', value: 'nostage' }] })),
      'ConflictException', 409, 'Base path already exists for this domain name',
    );
    await rejects(
      gh.apigateway.send(new UpdateBasePathMappingCommand({ domainName: 'api.example.com', basePath: 'v2', patchOperations: [{ op: 'replace', path: '/domainName', value: 'x' }] })),
      'BadRequestException', 400, "Invalid patch path  '/domainName' specified for op 'replace'. Must be one of: [/basePath, /restapiId, /stage]",
    );
    const cleared = await gh.apigateway.send(new UpdateBasePathMappingCommand({
      domainName: 'api.example.com', basePath: 'v2', patchOperations: [{ op: 'remove', path: '/stage' }],
    }));
    assert.equal(cleared.stage, undefined);
  });

  test('GetBasePathMappings pages; DeleteBasePathMapping answers 202', async () => {
    await gh.apigateway.send(new CreateDomainNameCommand({ domainName: 'list.example.com', certificateArn: EDGE_CERT }));
    for (const p of ['a', 'b', 'c']) {
      await gh.apigateway.send(new CreateBasePathMappingCommand({ domainName: 'list.example.com', restApiId: apiId, basePath: p }));
    }
    const first = await gh.apigateway.send(new GetBasePathMappingsCommand({ domainName: 'list.example.com', limit: 2 }));
    assert.deepEqual(first.items!.map((m) => m.basePath), ['a', 'b']);
    const second = await gh.apigateway.send(new GetBasePathMappingsCommand({ domainName: 'list.example.com', limit: 2, position: first.position }));
    assert.deepEqual(second.items!.map((m) => m.basePath), ['c']);
    assert.equal(second.position, undefined);

    const del = await gh.apigateway.send(new DeleteBasePathMappingCommand({ domainName: 'list.example.com', basePath: 'b' }));
    assert.equal(del.$metadata.httpStatusCode, 202);
    await rejects(gh.apigateway.send(new DeleteBasePathMappingCommand({ domainName: 'list.example.com', basePath: 'b' })), 'NotFoundException', 404,
      'Invalid base path mapping identifier specified');
    await rejects(gh.apigateway.send(new GetBasePathMappingsCommand({ domainName: 'missing.example.com' })), 'NotFoundException', 404,
      'Invalid domain name identifier specified');
  });

  test('deleting a domain name deletes its base path mappings', async () => {
    await gh.apigateway.send(new CreateDomainNameCommand({ domainName: 'cascade.example.com', certificateArn: EDGE_CERT }));
    await gh.apigateway.send(new CreateBasePathMappingCommand({ domainName: 'cascade.example.com', restApiId: apiId, basePath: 'v1' }));
    await gh.apigateway.send(new DeleteDomainNameCommand({ domainName: 'cascade.example.com' }));
    await gh.apigateway.send(new CreateDomainNameCommand({ domainName: 'cascade.example.com', certificateArn: EDGE_CERT }));
    const left = await gh.apigateway.send(new GetBasePathMappingsCommand({ domainName: 'cascade.example.com' }));
    assert.deepEqual(left.items ?? [], []);
  });

  test('private domain names map private APIs only, addressed with domainNameId', async () => {
    const privateApi = await deployedApi(gh.apigateway, 'internal', ['PRIVATE']);
    const domain = await gh.apigateway.send(new CreateDomainNameCommand({
      domainName: 'private.example.com', certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/cccccccc-2222-3333-4444-555555555555',
      endpointConfiguration: { types: ['PRIVATE'] },
    }));
    const out = await gh.apigateway.send(new CreateBasePathMappingCommand({
      domainName: 'private.example.com', domainNameId: domain.domainNameId, restApiId: privateApi, stage: 'internal',
    }));
    assert.equal(out.basePath, '(none)');
    const listed = await gh.apigateway.send(new GetBasePathMappingsCommand({ domainName: 'private.example.com', domainNameId: domain.domainNameId }));
    assert.equal(listed.items!.length, 1);
    await rejects(
      gh.apigateway.send(new CreateBasePathMappingCommand({ domainName: 'private.example.com', domainNameId: domain.domainNameId, restApiId: apiId, basePath: 'pub' })),
      'BadRequestException', 400, /private custom domain name can only be mapped to private REST APIs/,
    );
    await rejects(
      gh.apigateway.send(new CreateBasePathMappingCommand({ domainName: 'api.example.com', restApiId: privateApi, basePath: 'priv' })),
      'BadRequestException', 400, /private REST API can only be mapped to a private custom domain name/,
    );
  });
});

// DeleteRestApi (restapis.ts) calls releaseRestApi in its transaction before deleting the API's own collections.
describe('DeleteRestApi and DeleteStage with base path mappings', () => {
  let gh: Running;
  before(async () => {
    gh = await startGatehouse();
  });
  after(() => gh.stop());

  test('is refused while base path mappings name the API (AWS text), then frees its usage-plan stages', async () => {
    const apiId = await deployedApi(gh.apigateway, 'prod');
    await gh.apigateway.send(new CreateDomainNameCommand({ domainName: 'b.example.com', certificateArn: EDGE_CERT }));
    await gh.apigateway.send(new CreateDomainNameCommand({ domainName: 'a.example.com', certificateArn: EDGE_CERT }));
    await gh.apigateway.send(new CreateBasePathMappingCommand({ domainName: 'b.example.com', restApiId: apiId, basePath: 'v1' }));
    await gh.apigateway.send(new CreateBasePathMappingCommand({ domainName: 'a.example.com', restApiId: apiId, stage: 'prod' }));
    const plan = await gh.apigateway.send(new CreateUsagePlanCommand({ name: 'release', apiStages: [{ apiId, stage: 'prod' }] }));
    // Text as real AWS returns it (quoted in glomex/gcdt#373 and serverless/serverless#3638).
    await rejects(
      gh.apigateway.send(new DeleteRestApiCommand({ restApiId: apiId })),
      'BadRequestException', 400,
      `Deleting RestApi ${apiId} failed. Please remove all base path mappings related to the RestApi in your domains: a.example.com, b.example.com`,
    );
    assert.deepEqual((await gh.apigateway.send(new GetUsagePlanCommand({ usagePlanId: plan.id! }))).apiStages, [{ apiId, stage: 'prod' }]);
    await gh.apigateway.send(new DeleteBasePathMappingCommand({ domainName: 'b.example.com', basePath: 'v1' }));
    await gh.apigateway.send(new DeleteBasePathMappingCommand({ domainName: 'a.example.com', basePath: '(none)' }));
    const deleted = await gh.apigateway.send(new DeleteRestApiCommand({ restApiId: apiId }));
    assert.equal(deleted.$metadata.httpStatusCode, 202);
    assert.deepEqual((await gh.apigateway.send(new GetUsagePlanCommand({ usagePlanId: plan.id! }))).apiStages, []);
  });

  test('DeleteStage is refused while a base path mapping names the stage', async () => {
    const apiId = await deployedApi(gh.apigateway, 'live');
    await gh.apigateway.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'other' }));
    await gh.apigateway.send(new CreateDomainNameCommand({ domainName: 'stage.example.com', certificateArn: EDGE_CERT }));
    await gh.apigateway.send(new CreateBasePathMappingCommand({ domainName: 'stage.example.com', restApiId: apiId, basePath: 'live', stage: 'live' }));
    // Opening of the text as AWS returns it (hashicorp/terraform-provider-aws#41651); its tail follows DeleteRestApi's.
    await rejects(
      gh.apigateway.send(new DeleteStageCommand({ restApiId: apiId, stageName: 'live' })),
      'BadRequestException', 400,
      'Deleting stage live failed. Please remove all base path mappings related to the stage in your domains: stage.example.com',
    );
    // Stages no mapping names are deleted as usual.
    const other = await gh.apigateway.send(new DeleteStageCommand({ restApiId: apiId, stageName: 'other' }));
    assert.equal(other.$metadata.httpStatusCode, 202);
    await gh.apigateway.send(new DeleteBasePathMappingCommand({ domainName: 'stage.example.com', basePath: 'live' }));
    const live = await gh.apigateway.send(new DeleteStageCommand({ restApiId: apiId, stageName: 'live' }));
    assert.equal(live.$metadata.httpStatusCode, 202);
  });
});

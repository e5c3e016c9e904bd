import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateDeploymentCommand,
  CreateRestApiCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  CreateVpcLinkCommand,
  DeleteVpcLinkCommand,
  GetVpcLinkCommand,
  GetVpcLinksCommand,
  UpdateVpcLinkCommand,
} from '@aws-sdk/client-api-gateway';
import { startGatehouse, type Running } from '../helpers/gatehouse.ts';
import { rejects } from '../helpers/aws-assert.ts';

const NLB = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/my-nlb/0123456789abcdef';


describe('VpcLinks', () => {
  let gh: Running;
  before(async () => {
    gh = await startGatehouse();
  });
  after(() => gh.stop());

  test('CreateVpcLink answers 202 with the link PENDING; it is AVAILABLE with its ready message from then on', async () => {
    const out = await gh.apigateway.send(new CreateVpcLinkCommand({ name: 'link', description: 'to the nlb', targetArns: [NLB], tags: { team: 'a' } }));
    // CreateVpcLink's responseCode is 202 in the service model; the create answer is PENDING without a status message
    // (recorded: localstack tests/aws/services/apigateway/test_apigateway_api.snapshot.json, test_vpc_link_lifecycle).
    assert.equal(out.$metadata.httpStatusCode, 202);
    assert.match(out.id!, /^[a-z0-9]{6}$/);
    assert.deepEqual(
      { name: out.name, description: out.description, targetArns: out.targetArns, status: out.status, statusMessage: out.statusMessage, tags: out.tags },
      { name: 'link', description: 'to the nlb', targetArns: [NLB], status: 'PENDING', statusMessage: undefined, tags: { team: 'a' } },
    );
    const got = await gh.apigateway.send(new GetVpcLinkCommand({ vpcLinkId: out.id }));
    assert.equal(got.name, 'link');
    assert.deepEqual(got.targetArns, [NLB]);
    // Same recording, get_vpc_link; the text also appears in the AWS CLI reference's update-vpc-link example.
    assert.equal(got.status, 'AVAILABLE');
    assert.equal(got.statusMessage, 'Your vpc link is ready for use');
  });

  test('a malformed ARN and an empty name get the texts AWS returns', async () => {
    // Recorded from AWS (localstack's validated snapshots, test_create_vpc_link_invalid_parameters).
    await rejects(gh.apigateway.send(new CreateVpcLinkCommand({ name: 'x', targetArns: ['invalid-arn'] })), 'BadRequestException', 400,
      'Invalid ARN. ARN is not well formed invalid-arn');
    await rejects(gh.apigateway.send(new CreateVpcLinkCommand({ name: '', targetArns: [NLB] })), 'BadRequestException', 400, 'Name cannot be empty');
  });

  test('member presence follows AWS: tags only on Get/Update when untagged', async () => {
    const created = await gh.apigateway.send(new CreateVpcLinkCommand({ name: 'bare', targetArns: [NLB] }));
    assert.equal(created.tags, undefined);
    const got = await gh.apigateway.send(new GetVpcLinkCommand({ vpcLinkId: created.id }));
    assert.deepEqual(got.tags, {});
    const listed = (await gh.apigateway.send(new GetVpcLinksCommand({ limit: 500 }))).items!.find((l) => l.id === created.id)!;
    assert.equal(listed.tags, undefined);
  });

  test('targetArns must be exactly one Network Load Balancer ARN of the region', async () => {
    await rejects(gh.apigateway.send(new CreateVpcLinkCommand({ name: 'x', targetArns: [NLB, NLB] })), 'BadRequestException', 400, /exactly one/);
    await rejects(gh.apigateway.send(new CreateVpcLinkCommand({ name: 'x', targetArns: [] })), 'BadRequestException', 400, /exactly one/);
    const alb = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/my-alb/0123456789abcdef';
    await rejects(gh.apigateway.send(new CreateVpcLinkCommand({ name: 'x', targetArns: [alb] })), 'BadRequestException', 400, /Network Load Balancer/);
    const elsewhere = NLB.replace('us-east-1', 'eu-west-1');
    await rejects(gh.apigateway.send(new CreateVpcLinkCommand({ name: 'x', targetArns: [elsewhere] })), 'BadRequestException', 400, /must be in 'us-east-1'/);
  });

  test('UpdateVpcLink replaces /name and /description and refuses other paths', async () => {
    const { id } = await gh.apigateway.send(new CreateVpcLinkCommand({ name: 'before', targetArns: [NLB] }));
    const out = await gh.apigateway.send(new UpdateVpcLinkCommand({
      vpcLinkId: id,
      patchOperations: [{ op: 'replace', path: '/name', value: 'after' }, { op: 'replace', path: '/description', value: 'desc' }],
    }));
    assert.equal(out.name, 'after');
    assert.equal(out.description, 'desc');
    // An untagged link still shows `"tags": {}` (AWS CLI reference, update-vpc-link example output).
    assert.deepEqual(out.tags, {});
    await rejects(
      gh.apigateway.send(new UpdateVpcLinkCommand({ vpcLinkId: id, patchOperations: [{ op: 'replace', path: '/targetArns', value: NLB }] })),
      'BadRequestException', 400, "Invalid patch path  '/targetArns' specified for op 'replace'. Must be one of: [/name, /description]",
    );
    await rejects(
      gh.apigateway.send(new UpdateVpcLinkCommand({ vpcLinkId: id, patchOperations: [{ op: 'add', path: '/name', value: 'x' }] })),
      'BadRequestException', 400, "Invalid patch path  '/name' specified for op 'add'. Please choose supported operations",
    );
    await rejects(
      gh.apigateway.send(new UpdateVpcLinkCommand({ vpcLinkId: 'nope00', patchOperations: [{ op: 'replace', path: '/name', value: 'x' }] })),
      'NotFoundException', 404, 'Invalid Vpc Link identifier specified',
    );
  });

  test('GetVpcLinks pages with limit and position', async () => {
    const fresh = await startGatehouse();
    try {
      for (let i = 0; i < 5; i++) await fresh.apigateway.send(new CreateVpcLinkCommand({ name: `l${i}`, targetArns: [NLB] }));
      const first = await fresh.apigateway.send(new GetVpcLinksCommand({ limit: 2 }));
      assert.equal(first.items!.length, 2);
      assert.ok(first.position);
      const second = await fresh.apigateway.send(new GetVpcLinksCommand({ limit: 2, position: first.position }));
      const third = await fresh.apigateway.send(new GetVpcLinksCommand({ limit: 2, position: second.position }));
      assert.equal(third.items!.length, 1);
      assert.equal(third.position, undefined);
      const names = [...first.items!, ...second.items!, ...third.items!].map((l) => l.name).sort();
      assert.deepEqual(names, ['l0', 'l1', 'l2', 'l3', 'l4']);
    } finally {
      await fresh.stop();
    }
  });

  test('DeleteVpcLink answers 202, then the link is gone', async () => {
    const { id } = await gh.apigateway.send(new CreateVpcLinkCommand({ name: 'gone', targetArns: [NLB] }));
    const del = await gh.apigateway.send(new DeleteVpcLinkCommand({ vpcLinkId: id }));
    assert.equal(del.$metadata.httpStatusCode, 202);
    await rejects(gh.apigateway.send(new GetVpcLinkCommand({ vpcLinkId: id })), 'NotFoundException', 404, 'Invalid Vpc Link identifier specified');
    await rejects(gh.apigateway.send(new DeleteVpcLinkCommand({ vpcLinkId: id })), 'NotFoundException', 404, 'Invalid Vpc Link identifier specified');
  });

  test('a link used by a deployed stage cannot be deleted', async () => {
    const { id: linkId } = await gh.apigateway.send(new CreateVpcLinkCommand({ name: 'used', targetArns: [NLB] }));
    const api = await gh.apigateway.send(new CreateRestApiCommand({ name: 'private-integration' }));
    await gh.apigateway.send(new PutMethodCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
    await gh.apigateway.send(new PutIntegrationCommand({
      restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', type: 'HTTP_PROXY', integrationHttpMethod: 'GET',
      uri: 'http://nlb.internal/', connectionType: 'VPC_LINK', connectionId: linkId,
    }));
    await gh.apigateway.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' }));
    // Text as real AWS returns it (quoted from CloudFormation stack deletion failures).
    await rejects(
      gh.apigateway.send(new DeleteVpcLinkCommand({ vpcLinkId: linkId })),
      'BadRequestException', 400,
      `Cannot delete vpc link. Vpc link '${linkId}', is referenced in [GET:${api.rootResourceId}:dev] in format of [Method:Resource:Stage].`,
    );
    assert.equal((await gh.apigateway.send(new GetVpcLinkCommand({ vpcLinkId: linkId }))).id, linkId);
  });
});

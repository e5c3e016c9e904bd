import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateApiKeyCommand,
  CreateUsagePlanCommand,
  CreateVpcLinkCommand,
  GenerateClientCertificateCommand,
  GetApiKeyCommand,
  GetRestApiCommand,
  GetStageCommand,
  GetTagsCommand,
  GetUsagePlanCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-api-gateway';
import { startGatehouse, type Running } from '../helpers/gatehouse.ts';
import { awsError, deployedApi } from './deployable-api.ts';

let gh: Running;
before(async () => {
  gh = await startGatehouse();
});
after(async () => {
  await gh.stop();
});

const arn = (path: string, region = 'us-east-1') => `arn:aws:apigateway:${region}::${path}`;

test('tags a REST API, a stage, an API key and a usage plan by ARN; their Get shows the tags', async () => {
  const { apiId } = await deployedApi(gh.apigateway, 'dev');
  const key = await gh.apigateway.send(new CreateApiKeyCommand({ name: 'tagged' }));
  const plan = await gh.apigateway.send(new CreateUsagePlanCommand({ name: 'tagged' }));
  const targets = [`/restapis/${apiId}`, `/restapis/${apiId}/stages/dev`, `/apikeys/${key.id}`, `/usageplans/${plan.id}`];
  for (const t of targets) {
    const r = await gh.apigateway.send(new TagResourceCommand({ resourceArn: arn(t), tags: { env: 'test', owner: 'me' } }));
    assert.equal(r.$metadata.httpStatusCode, 204);
    const g = await gh.apigateway.send(new GetTagsCommand({ resourceArn: arn(t) }));
    assert.deepEqual(g.tags, { env: 'test', owner: 'me' });
  }
  assert.deepEqual((await gh.apigateway.send(new GetRestApiCommand({ restApiId: apiId }))).tags, { env: 'test', owner: 'me' });
  assert.deepEqual((await gh.apigateway.send(new GetStageCommand({ restApiId: apiId, stageName: 'dev' }))).tags, { env: 'test', owner: 'me' });
  assert.deepEqual((await gh.apigateway.send(new GetApiKeyCommand({ apiKey: key.id! }))).tags, { env: 'test', owner: 'me' });
  assert.deepEqual((await gh.apigateway.send(new GetUsagePlanCommand({ usagePlanId: plan.id! }))).tags, { env: 'test', owner: 'me' });
});

test('tags client certificates and VPC links, stored by their own families', async () => {
  const cert = await gh.apigateway.send(new GenerateClientCertificateCommand({ description: 'c' }));
  const link = await gh.apigateway.send(new CreateVpcLinkCommand({ name: 'l', targetArns: ['arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/nlb/0123456789abcdef'] }));
  for (const t of [`/clientcertificates/${cert.clientCertificateId}`, `/vpclinks/${link.id}`]) {
    await gh.apigateway.send(new TagResourceCommand({ resourceArn: arn(t), tags: { k: 'v' } }));
    assert.deepEqual((await gh.apigateway.send(new GetTagsCommand({ resourceArn: arn(t) }))).tags, { k: 'v' });
  }
});

test('TagResource merges, UntagResource removes keys; an untagged resource has empty tags', async () => {
  const { apiId } = await deployedApi(gh.apigateway, 'dev');
  const a = arn(`/restapis/${apiId}/stages/dev`);
  assert.deepEqual((await gh.apigateway.send(new GetTagsCommand({ resourceArn: a }))).tags, {});
  await gh.apigateway.send(new TagResourceCommand({ resourceArn: a, tags: { a: '1', b: '2' } }));
  await gh.apigateway.send(new TagResourceCommand({ resourceArn: a, tags: { b: '3', c: '4' } }));
  assert.deepEqual((await gh.apigateway.send(new GetTagsCommand({ resourceArn: a }))).tags, { a: '1', b: '3', c: '4' });
  const u = await gh.apigateway.send(new UntagResourceCommand({ resourceArn: a, tagKeys: ['a', 'c', 'missing'] }));
  assert.equal(u.$metadata.httpStatusCode, 204);
  assert.deepEqual((await gh.apigateway.send(new GetTagsCommand({ resourceArn: a }))).tags, { b: '3' });
});

test('tag rules: aws: prefix and more than 50 tags are refused', async () => {
  const { apiId } = await deployedApi(gh.apigateway, 'dev');
  const a = arn(`/restapis/${apiId}`);
  assert.equal((await awsError(() => gh.apigateway.send(new TagResourceCommand({ resourceArn: a, tags: { 'aws:x': 'y' } })))).name, 'BadRequestException');
  const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
  assert.equal((await awsError(() => gh.apigateway.send(new TagResourceCommand({ resourceArn: a, tags: many })))).name, 'BadRequestException');
});

test('bad ARNs are 400, missing resources 404 with their own Get texts', async () => {
  for (const bad of ['not-an-arn', 'arn:aws:apigateway:us-east-1::/widgets/x', 'arn:aws:s3:::bucket']) {
    const err = await awsError(() => gh.apigateway.send(new GetTagsCommand({ resourceArn: bad })));
    assert.deepEqual(err, { name: 'BadRequestException', message: `Invalid ARN specified in the request: ${bad}`, status: 400 });
  }
  assert.deepEqual(await awsError(() => gh.apigateway.send(new GetTagsCommand({ resourceArn: arn('/restapis/nope') }))), {
    name: 'NotFoundException',
    message: 'Invalid API identifier specified 123456789012:nope',
    status: 404,
  });
  assert.deepEqual(await awsError(() => gh.apigateway.send(new TagResourceCommand({ resourceArn: arn('/apikeys/nope'), tags: { a: 'b' } }))), {
    name: 'NotFoundException',
    message: 'Invalid API Key identifier specified',
    status: 404,
  });
  const { apiId } = await deployedApi(gh.apigateway, 'dev');
  assert.deepEqual(await awsError(() => gh.apigateway.send(new GetTagsCommand({ resourceArn: arn(`/restapis/${apiId}/stages/nope`) }))), {
    name: 'NotFoundException',
    message: 'Invalid stage identifier specified',
    status: 404,
  });
  assert.equal((await awsError(() => gh.apigateway.send(new GetTagsCommand({ resourceArn: arn(`/restapis/${apiId}`, 'eu-west-1') })))).status, 404);
});

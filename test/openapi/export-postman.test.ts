// GetExport with extensions=postman (src/openapi/export-postman.ts): the OpenAPI export with Postman's
// `x-postman-meta` (the awsSigV4 helper, credentials as Postman variables) on AWS_IAM methods only, in both export
// types and formats, combined with other extensions, through @aws-sdk/client-api-gateway and Debian's aws CLI v2;
// the export imports back into the same API shape.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetExportCommand, ImportRestApiCommand, GetResourcesCommand } from '@aws-sdk/client-api-gateway';
import { parse as parseYaml } from 'yaml';
import { ApiBuilder } from '../execute/helpers.ts';
import { startGatehouse, tempDataDir, type Running } from '../helpers/gatehouse.ts';
import { runAws } from '../helpers/aws-cli.ts';

let gh: Running;
let apiId: string;

const MOCK = { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } } as const;
const META = {
  currentHelper: 'awsSigV4',
  helperAttributes: { accessKey: '{{aws_access_key_id}}', secretKey: '{{aws_secret_access_key}}', region: 'us-east-1', service: 'execute-api', saveHelper: true },
};

before(async () => {
  gh = await startGatehouse();
  const api = await ApiBuilder.create(gh, { name: 'signed-pets' });
  apiId = api.apiId;
  await api.method('/pets', 'GET', MOCK, { method: { authorizationType: 'AWS_IAM' }, responses: [{ statusCode: '200' }] });
  await api.method('/pets', 'POST', MOCK, { method: { authorizationType: 'NONE' }, responses: [{ statusCode: '200' }] });
  await api.method('/pets/{id}', 'DELETE', MOCK, { method: { authorizationType: 'AWS_IAM' }, responses: [{ statusCode: '204' }] });
  await api.deploy('prod');
});
after(() => gh.stop());

async function exported(exportType: string, extensions: string, accepts = 'application/json'): Promise<any> {
  const r = await gh.apigateway.send(new GetExportCommand({ restApiId: apiId, stageName: 'prod', exportType, accepts, parameters: { extensions } }));
  const text = Buffer.from(r.body!).toString('utf8');
  return accepts === 'application/yaml' ? parseYaml(text) : JSON.parse(text);
}

test('swagger JSON: x-postman-meta on the AWS_IAM operations, before their responses; none on the others', async () => {
  const doc = await exported('swagger', 'postman');
  assert.deepEqual(doc.paths['/pets'].get['x-postman-meta'], META);
  assert.deepEqual(doc.paths['/pets/{id}'].delete['x-postman-meta'], META);
  assert.equal(doc.paths['/pets'].post['x-postman-meta'], undefined);
  const keys = Object.keys(doc.paths['/pets'].get);
  assert.equal(keys.indexOf('x-postman-meta') + 1, keys.indexOf('responses'));
  // The security the operation states is still the sigv4 scheme Postman's helper signs for.
  assert.deepEqual(doc.paths['/pets'].get.security, [{ sigv4: [] }]);
  assert.equal(doc.paths['/pets'].get['x-amazon-apigateway-integration'], undefined, 'postman alone adds no API Gateway extension');
  // Without the parameter, no Postman extension.
  assert.equal((await exported('swagger', ''))?.paths['/pets'].get['x-postman-meta'], undefined);
});

test('oas30 YAML, and postman combined with integrations', async () => {
  const doc = await exported('oas30', 'postman,integrations', 'application/yaml');
  assert.equal(doc.openapi, '3.0.1');
  assert.deepEqual(doc.paths['/pets'].get['x-postman-meta'], META);
  assert.equal(doc.paths['/pets'].get['x-amazon-apigateway-integration'].type, 'mock');
  assert.equal(doc.paths['/pets'].post['x-postman-meta'], undefined);
});

test('the aws CLI v2 writes the postman export to a file', async () => {
  const dir = tempDataDir();
  const file = join(dir, 'postman.json');
  const r = await runAws({ endpoint: gh.endpoint }, 'apigateway', 'get-export', '--rest-api-id', apiId, '--stage-name', 'prod', '--export-type', 'swagger', '--parameters', 'extensions=postman', file);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.contentType, 'application/octet-stream');
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  assert.deepEqual(doc.paths['/pets/{id}'].delete['x-postman-meta'], META);
});

test('a postman export imports back: the same paths and methods', async () => {
  const r = await gh.apigateway.send(new GetExportCommand({ restApiId: apiId, stageName: 'prod', exportType: 'swagger', accepts: 'application/json', parameters: { extensions: 'postman,integrations' } }));
  const imported = await gh.apigateway.send(new ImportRestApiCommand({ body: r.body! }));
  const resources = await gh.apigateway.send(new GetResourcesCommand({ restApiId: imported.id!, embed: ['methods'] }));
  const shape = resources.items!.map((i) => [i.path, Object.keys(i.resourceMethods ?? {}).sort().map((m) => `${m}:${i.resourceMethods![m]!.authorizationType}`)]).sort();
  assert.deepEqual(shape, [['/', []], ['/pets', ['GET:AWS_IAM', 'POST:NONE']], ['/pets/{id}', ['DELETE:AWS_IAM']]]);
});

// The AWS CLI v2 (/usr/bin/aws; runAws sets AWS_MAX_ATTEMPTS=1, hence "(reached max retries: 0)" in its error
// lines) end to end with definition files: import-rest-api --body fileb://…, put-rest-api
// --mode merge (what is already there stays, the file's paths are added), create-deployment, and get-export in YAML
// and JSON written to a file, which parses back to the API.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startGatehouse, tempDataDir, type Running } from '../helpers/gatehouse.ts';
import { runAws } from '../helpers/aws-cli.ts';

const CORPUS = join(import.meta.dirname, 'corpus');
let gh: Running;
let dir: string;

before(async () => {
  gh = await startGatehouse();
  dir = tempDataDir();
});
after(() => gh.stop());

const aws = (...args: string[]) => runAws({ endpoint: gh.endpoint }, 'apigateway', ...args);

test('import-rest-api, put-rest-api --mode merge, create-deployment and get-export, as a CI script would', async () => {
  const imported = await aws('import-rest-api', '--body', `fileb://${join(CORPUS, 'guide-petstore.json')}`, '--parameters', 'endpointConfigurationTypes=REGIONAL');
  assert.equal(imported.stderr, '');
  assert.equal(imported.code, 0);
  const id: string = imported.json.id;
  assert.match(id, /^[a-z0-9]{10}$/);
  assert.equal(imported.json.name, 'PetStore');
  assert.deepEqual(imported.json.endpointConfiguration.types, ['REGIONAL']);

  // Merge: a file with one new path; the PetStore's paths stay.
  const extra = join(dir, 'store.yaml');
  writeFileSync(extra, [
    'swagger: "2.0"',
    'info: {title: PetStore, version: "2"}',
    'paths:',
    '  /store/inventory:',
    '    get:',
    '      responses: {"200": {description: OK}}',
    '      x-amazon-apigateway-integration:',
    '        type: mock',
    '        requestTemplates: {application/json: \'{"statusCode": 200}\'}',
    '        responses: {default: {statusCode: "200", responseTemplates: {application/json: \'{"dogs": 3}\'}}}',
    '',
  ].join('\n'));
  const merged = await aws('put-rest-api', '--rest-api-id', id, '--mode', 'merge', '--body', `fileb://${extra}`);
  assert.equal(merged.code, 0, merged.stderr);
  assert.equal(merged.json.id, id);
  const resources = await aws('get-resources', '--rest-api-id', id);
  const paths = resources.json.items.map((r: { path: string }) => r.path).sort();
  assert.deepEqual(paths, ['/', '/pets', '/pets/{petId}', '/store', '/store/inventory']);

  const deployed = await aws('create-deployment', '--rest-api-id', id, '--stage-name', 'test');
  assert.equal(deployed.code, 0, deployed.stderr);
  const answer = await fetch(`${gh.endpoint}/restapis/${id}/test/_user_request_/store/inventory`);
  assert.deepEqual([answer.status, await answer.text()], [200, '{"dogs": 3}']);

  const yamlFile = join(dir, 'export.yaml');
  const yamlOut = await aws('get-export', '--rest-api-id', id, '--stage-name', 'test', '--export-type', 'oas30', '--parameters', 'extensions=apigateway', '--accepts', 'application/yaml', yamlFile);
  assert.equal(yamlOut.code, 0, yamlOut.stderr);
  // AWS answers GetExport with Content-Disposition naming the file (recorded as `attachment; filename="oas30_….json"`).
  assert.match(yamlOut.json.contentDisposition, /^attachment; filename="oas30_.+"$/);
  const oas = parse(readFileSync(yamlFile, 'utf8'));
  assert.equal(oas.openapi, '3.0.1');
  assert.deepEqual(Object.keys(oas.paths).sort(), ['/', '/pets', '/pets/{petId}', '/store/inventory']);
  assert.equal(oas.paths['/store/inventory'].get['x-amazon-apigateway-integration'].type, 'mock');

  const jsonFile = join(dir, 'export.json');
  const jsonOut = await aws('get-export', '--rest-api-id', id, '--stage-name', 'test', '--export-type', 'swagger', jsonFile);
  assert.equal(jsonOut.code, 0, jsonOut.stderr);
  assert.match(jsonOut.json.contentDisposition, /^attachment; filename="swagger_.+\.json"$/);
  const swagger = JSON.parse(readFileSync(jsonFile, 'utf8'));
  assert.equal(swagger.swagger, '2.0');
  assert.equal(swagger.info.title, 'PetStore');
  // Without extensions=integrations|apigateway the export has no integrations.
  assert.equal(swagger.paths['/store/inventory'].get['x-amazon-apigateway-integration'], undefined);

  // The exported YAML imports again.
  const again = await aws('import-rest-api', '--body', `fileb://${yamlFile}`);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.json.name, 'PetStore');
});

test('errors come back as the CLI shows AWS errors: an unknown API, an unknown stage', async () => {
  const body = `fileb://${join(CORPUS, 'anchors.yaml')}`;
  const put = await aws('put-rest-api', '--rest-api-id', 'nosuchapi1', '--mode', 'overwrite', '--body', body);
  assert.equal(put.code, 254);
  assert.equal(put.stderr, 'An error occurred (NotFoundException) when calling the PutRestApi operation (reached max retries: 0): Invalid API identifier specified 123456789012:nosuchapi1');
  const id = (await aws('import-rest-api', '--body', body)).json.id;
  const exp = await aws('get-export', '--rest-api-id', id, '--stage-name', 'nope', '--export-type', 'swagger', join(dir, 'x.json'));
  assert.equal(exp.code, 254);
  assert.equal(exp.stderr, 'An error occurred (NotFoundException) when calling the GetExport operation (reached max retries: 0): Invalid stage identifier specified');
});

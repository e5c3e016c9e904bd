// Mapping expressions in x-amazon-apigateway-integration are checked at import as PutIntegration and
// PutIntegrationResponse check them (src/control/integrations-validate.ts, run by the import through the control
// handlers): an undeclared method request parameter, a target or source of the wrong kind, a response header the
// method response does not declare — each fails the import with AWS's "Errors found during import" framing and
// nothing is created; valid ones import and are stored as written.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { GetIntegrationCommand, GetRestApisCommand, GetResourcesCommand, ImportRestApiCommand } from '@aws-sdk/client-api-gateway';
import { startGatehouse, type Running } from '../helpers/gatehouse.ts';
import { awsError } from '../control/deployable-api.ts';

let gh: Running;
before(async () => {
  gh = await startGatehouse();
});
after(() => gh.stop());

function definition(requestParameters: Record<string, string>, responseParameters: Record<string, string> = {}) {
  return Buffer.from(JSON.stringify({
    swagger: '2.0',
    info: { title: 'mapped', version: '1' },
    paths: {
      '/p/{id}': {
        get: {
          parameters: [{ name: 'id', in: 'path', required: true, type: 'string' }],
          responses: { '200': { description: 'ok', headers: { 'X-A': { type: 'string' } } } },
          'x-amazon-apigateway-integration': {
            type: 'http', httpMethod: 'GET', uri: 'http://example.com/{id}', requestParameters,
            responses: { default: { statusCode: '200', responseParameters } },
          },
        },
      },
    },
  }));
}

const PUT_INTEGRATION = "Errors found during import:\n\tUnable to put integration on 'GET' for resource at path '/p/{id}': Invalid mapping expression specified: Validation Result: warnings : [], errors : [";
const PUT_RESPONSE = "Errors found during import:\n\tUnable to put integration response on 'GET' for resource at path '/p/{id}': Invalid mapping expression specified: Validation Result: warnings : [], errors : [";

for (const [title, request, response, message] of [
  ['an undeclared method request parameter', { 'integration.request.header.x': 'method.request.header.nope' }, {}, `${PUT_INTEGRATION}Invalid mapping expression parameter specified: method.request.header.nope]`],
  ['a target that is no integration request parameter', { 'integration.request.bogus.x': "'v'" }, {}, `${PUT_INTEGRATION}Invalid mapping expression specified: integration.request.bogus.x]`],
  ['a response value as a request source', { 'integration.request.header.x': 'integration.response.header.y' }, {}, `${PUT_INTEGRATION}Invalid mapping expression specified: integration.response.header.y]`],
  ['a request value as a response source', {}, { 'method.response.header.X-A': 'integration.request.header.x' }, `${PUT_RESPONSE}Invalid mapping expression specified: integration.request.header.x]`],
  ['a response header the method response does not declare', {}, { 'method.response.header.X-B': "'v'" }, `${PUT_RESPONSE}Invalid mapping expression parameter specified: method.response.header.X-B]`],
] as const) {
  test(`refused at import: ${title}; nothing is created`, async () => {
    const before = (await gh.apigateway.send(new GetRestApisCommand({}))).items?.length ?? 0;
    assert.deepEqual(await awsError(() => gh.apigateway.send(new ImportRestApiCommand({ body: definition(request, response) }))), { name: 'BadRequestException', message, status: 400 });
    assert.equal((await gh.apigateway.send(new GetRestApisCommand({}))).items?.length ?? 0, before);
  });
}

test('valid mapping expressions import as written (also with failonwarnings)', async () => {
  const request = { 'integration.request.path.id': 'method.request.path.id', 'integration.request.header.x-stage': 'stageVariables.name', 'integration.request.header.x-id': 'context.requestId' };
  const api = await gh.apigateway.send(new ImportRestApiCommand({ body: definition(request, { 'method.response.header.X-A': 'integration.response.header.x-a' }), failOnWarnings: true }));
  assert.equal(api.warnings, undefined);
  const resource = (await gh.apigateway.send(new GetResourcesCommand({ restApiId: api.id }))).items!.find((r) => r.path === '/p/{id}')!;
  const integration = await gh.apigateway.send(new GetIntegrationCommand({ restApiId: api.id, resourceId: resource.id, httpMethod: 'GET' }));
  assert.deepEqual(integration.requestParameters, request);
  assert.deepEqual(integration.integrationResponses!['200']!.responseParameters, { 'method.response.header.X-A': 'integration.response.header.x-a' });
});

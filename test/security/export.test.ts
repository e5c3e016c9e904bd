// Hostile content in an API must not break, truncate or inject into its export: names and texts users choose
// (authorizer and validator names, selection patterns, templates, model schemas, documentation) are data in the
// document, whatever they contain; the YAML export reads back to exactly the JSON export; odd Accept headers and
// extension lists get AWS-shaped 400s, never a 5xx.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateAuthorizerCommand,
  CreateDeploymentCommand,
  CreateDocumentationPartCommand,
  CreateDocumentationVersionCommand,
  CreateModelCommand,
  CreateRequestValidatorCommand,
  CreateRestApiCommand,
  GetExportCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
} from '@aws-sdk/client-api-gateway';
import { parse as parseYaml } from 'yaml';
import { startGatehouse, type Running } from '../helpers/gatehouse.ts';

const FN = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:f/invocations';
const TRICKY = [
  '__proto__', 'constructor', '---\nfoo: bar', '- item', '{a: 1}', '"quoted" \'single\'', 'tab\there', 'line\u2028sep\u2029',
  '#comment', 'key: value', '&anchor *alias', '!!python/object', '% %', '@at `tick`', 'null', 'true', '0x1F', '1e3', '', ' lead', 'trail ',
  'emoji 😀 \u0000 nul', '\\backslash\\', '</script><script>alert(1)</script>',
];

let gh: Running;
let apiId: string;
before(async () => {
  gh = await startGatehouse();
  const c = gh.apigateway;
  const api = await c.send(new CreateRestApiCommand({ name: TRICKY.join('|'), description: '---\n...\n' }));
  apiId = api.id!;
  const resourceId = api.rootResourceId!;
  const auth = await c.send(new CreateAuthorizerCommand({ restApiId: apiId, name: '__proto__', type: 'TOKEN', authorizerUri: FN, identitySource: 'method.request.header.Authorization' }));
  await c.send(new CreateAuthorizerCommand({ restApiId: apiId, name: 'constructor', type: 'TOKEN', authorizerUri: FN, identitySource: 'method.request.header.Authorization' }));
  const validator = await c.send(new CreateRequestValidatorCommand({ restApiId: apiId, name: '__proto__', validateRequestBody: true }));
  await c.send(new CreateModelCommand({
    restApiId: apiId, name: 'Hostile', contentType: 'application/json',
    // Written as text: an object literal's `__proto__:` would set a prototype, not a member.
    schema: `{"type":"object","description":${JSON.stringify(TRICKY.join('\n'))},"properties":{"__proto__":{"type":"string"},"constructor":{"type":"string"}}}`,
  }));
  await c.send(new PutMethodCommand({
    restApiId: apiId, resourceId, httpMethod: 'POST', authorizationType: 'CUSTOM', authorizerId: auth.id, requestValidatorId: validator.id,
    requestModels: { 'application/json': 'Hostile' },
  }));
  await c.send(new PutMethodResponseCommand({ restApiId: apiId, resourceId, httpMethod: 'POST', statusCode: '200' }));
  await c.send(new PutMethodResponseCommand({ restApiId: apiId, resourceId, httpMethod: 'POST', statusCode: '400' }));
  await c.send(new PutIntegrationCommand({
    restApiId: apiId, resourceId, httpMethod: 'POST', type: 'MOCK',
    requestTemplates: Object.fromEntries(TRICKY.slice(0, 5).map((t, i) => [`application/x-${i}`, t])),
  }));
  await c.send(new PutIntegrationResponseCommand({ restApiId: apiId, resourceId, httpMethod: 'POST', statusCode: '200', responseTemplates: { 'application/json': TRICKY.join('\n') } }));
  await c.send(new PutIntegrationResponseCommand({ restApiId: apiId, resourceId, httpMethod: 'POST', statusCode: '400', selectionPattern: '__proto__' }));
  await c.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'dev' }));
  await c.send(new CreateDocumentationPartCommand({ restApiId: apiId, location: { type: 'API' }, properties: `{"__proto__":${JSON.stringify(TRICKY)},"description":"---"}` }));
  await c.send(new CreateDocumentationVersionCommand({ restApiId: apiId, documentationVersion: '---', stageName: 'dev' }));
});
after(() => gh.stop());

const exportText = async (exportType: string, accepts?: string) =>
  Buffer.from((await gh.apigateway.send(new GetExportCommand({ restApiId: apiId, stageName: 'dev', exportType, accepts, parameters: { extensions: 'apigateway' } }))).body!).toString('utf8');

test('names and texts that look like prototype keys or YAML syntax stay data, in JSON and YAML alike', async () => {
  for (const exportType of ['swagger', 'oas30']) {
    const json = JSON.parse(await exportText(exportType));
    const yaml = parseYaml(await exportText(exportType, 'application/yaml'), { uniqueKeys: true, merge: false, prettyErrors: true });
    assert.deepEqual(yaml, json, exportType);
    const post = json.paths['/'].post;
    const schemes = exportType === 'swagger' ? json.securityDefinitions : json.components.securitySchemes;
    assert.deepEqual(Object.keys(schemes).sort(), ['__proto__', 'constructor']);
    assert.equal(Object.getPrototypeOf(schemes), Object.prototype);
    assert.deepEqual(post.security, [JSON.parse('{"__proto__":[]}')]);
    assert.equal(post['x-amazon-apigateway-request-validator'], '__proto__');
    assert.deepEqual(Object.keys(json['x-amazon-apigateway-request-validators']), ['__proto__']);
    assert.deepEqual(Object.keys(post['x-amazon-apigateway-integration'].responses).sort(), ['__proto__', 'default']);
    assert.equal(post['x-amazon-apigateway-integration'].responses.default.responseTemplates['application/json'], TRICKY.join('\n'));
    const schemas = exportType === 'swagger' ? json.definitions : json.components.schemas;
    assert.deepEqual(Object.keys(schemas.Hostile.properties), ['__proto__', 'constructor']);
    assert.equal(json.info.title, TRICKY.join('|'));
    assert.equal(json['x-amazon-apigateway-documentation'].version, '---');
    assert.deepEqual(Object.keys(json['x-amazon-apigateway-documentation'].documentationParts[0].properties), ['__proto__', 'description']);
  }
});

test('odd Accept headers and extension lists are refused with 400s, never a 5xx', async () => {
  const cases: Array<{ accepts?: string; extensions?: string }> = [
    { accepts: 'x'.repeat(4000) }, { accepts: 'text/html' }, { accepts: ',,,;;;' },
    { extensions: ','.repeat(1000) + 'nope' }, { extensions: 'apigateway,swagger' }, { extensions: '__proto__' },
  ];
  for (const c of cases) {
    try {
      await gh.apigateway.send(new GetExportCommand({ restApiId: apiId, stageName: 'dev', exportType: 'oas30', accepts: c.accepts, parameters: c.extensions === undefined ? undefined : { extensions: c.extensions } }));
      assert.fail(`expected a 400 for ${JSON.stringify(c).slice(0, 60)}`);
    } catch (e) {
      const err = e as { name: string; $metadata?: { httpStatusCode?: number } };
      assert.equal(err.name, 'BadRequestException', JSON.stringify(c).slice(0, 60));
      assert.equal(err.$metadata?.httpStatusCode, 400);
    }
  }
  // Commas and blanks around valid values are fine; `*/*` and parameters on the media type are JSON.
  const ok = await gh.apigateway.send(new GetExportCommand({ restApiId: apiId, stageName: 'dev', exportType: 'oas30', accepts: '*/*', parameters: { extensions: ' integrations , ,authorizers' } }));
  assert.equal(JSON.parse(Buffer.from(ok.body!).toString()).openapi, '3.0.1');
  const yaml = await gh.apigateway.send(new GetExportCommand({ restApiId: apiId, stageName: 'dev', exportType: 'swagger', accepts: 'application/yaml; charset=utf-8' }));
  assert.ok(Buffer.from(yaml.body!).toString().startsWith('---\nswagger: "2.0"\n'));
});

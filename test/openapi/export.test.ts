import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateDeploymentCommand,
  CreateDocumentationVersionCommand,
  DeleteMethodCommand,
  GetExportCommand,
  ImportRestApiCommand,
  UpdateRestApiCommand,
} from '@aws-sdk/client-api-gateway';
import { parse as parseYaml } from 'yaml';
import { runAws } from '../helpers/aws-cli.ts';
import { startGatehouse, tempDataDir, type Running } from '../helpers/gatehouse.ts';
import { awsError } from '../control/deployable-api.ts';
import { buildEverything, FN, POOL, ROLE, type Everything } from './export-everything.ts';
import { buildPetStore, buildSimplePets } from './export-petstore.ts';
import { javaHashMapOrder } from '../../src/openapi/java-order.ts';

const isoSeconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Deep equality including the order of every object's keys. */
function assertSameOrdered(actual: unknown, expected: unknown): void {
  assert.equal(JSON.stringify(actual, null, 1), JSON.stringify(expected, null, 1));
}

type RecordedKind = 'swagger' | 'swaggerExt' | 'oas30' | 'oas30Ext';

/**
 * The four exports AWS recorded for one API (each type, without and with extensions=apigateway), compared with
 * Gatehouse's for the same API built through the SDK. `fixture` holds the recorded bodies with `{apiId}` and
 * `{version}` placeholders; `unordered` names recordings compared without key order.
 */
function matchesRecording(title: string, build: (c: Running['apigateway']) => Promise<string>, fixture: string, unordered: RecordedKind[] = []) {
  describe(title, () => {
    let gh: Running;
    let apiId: string;
    let version: string;
    const text = readFileSync(new URL(`./fixtures/${fixture}`, import.meta.url), 'utf8');
    before(async () => {
      gh = await startGatehouse();
      apiId = await build(gh.apigateway);
      const d = await gh.apigateway.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'local' }));
      version = isoSeconds(d.createdDate!);
    });
    after(() => gh.stop());

    for (const [exportType, withExt, kind] of [
      ['swagger', false, 'swagger'],
      ['swagger', true, 'swaggerExt'],
      ['oas30', false, 'oas30'],
      ['oas30', true, 'oas30Ext'],
    ] as const) {
      test(`${exportType}${withExt ? ' with extensions=apigateway' : ''}`, async () => {
        const out = await gh.apigateway.send(new GetExportCommand({
          restApiId: apiId, stageName: 'local', exportType, ...(withExt ? { parameters: { extensions: 'apigateway' } } : {}),
        }));
        const recorded = JSON.parse(text.replaceAll('{apiId}', apiId).replaceAll('{version}', version));
        assert.equal(out.contentType, 'application/octet-stream');
        assert.equal(out.contentDisposition, `attachment; filename="${exportType}_${recorded[kind].info.version}.json"`);
        const body = JSON.parse(Buffer.from(out.body!).toString('utf8'));
        if (unordered.includes(kind)) assert.deepEqual(body, recorded[kind]);
        else assertSameOrdered(body, recorded[kind]);
      });
    }
  });
}

matchesRecording('GetExport of the PetStore API matches the export AWS recorded, key order included', buildPetStore, 'petstore-export-aws.json');
// The Simple PetStore's oas30 recording with extensions writes the integration's `type` last, while the PetStore
// recordings (swagger and oas30) write it first, as Gatehouse does: that one is compared without key order.
matchesRecording(
  "GetExport of the Simple PetStore API matches AWS's recording: API version, binary media types, no models",
  buildSimplePets, 'pets-export-aws.json', ['oas30Ext'],
);

describe('GetExport of an API with every exported setting', () => {
  let gh: Running;
  let apiId: string;
  let ids: Everything['ids'];
  const exportOf = async (exportType: string, extensions?: string, accepts?: string) => {
    const out = await gh.apigateway.send(new GetExportCommand({
      restApiId: apiId, stageName: 'prod', exportType, accepts, ...(extensions !== undefined ? { parameters: { extensions } } : {}),
    }));
    return { out, text: Buffer.from(out.body!).toString('utf8') };
  };
  const jsonOf = async (exportType: string, extensions?: string) => JSON.parse((await exportOf(exportType, extensions)).text);
  /** Every x-amazon-apigateway-* key anywhere in a document. */
  const extensionKeys = (v: unknown, out = new Set<string>()): Set<string> => {
    if (Array.isArray(v)) for (const x of v) extensionKeys(x, out);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k.startsWith('x-amazon-apigateway-')) out.add(k);
        extensionKeys(x, out);
      }
    }
    return out;
  };

  before(async () => {
    gh = await startGatehouse();
    ({ apiId, ids } = await buildEverything(gh.apigateway, 'prod'));
  });
  after(() => gh.stop());

  test('swagger with extensions=apigateway: top level in AWS order, the API-level extensions, names from the API version', async () => {
    const { out, text } = await exportOf('swagger', 'apigateway');
    assert.equal(out.contentType, 'application/octet-stream');
    assert.equal(out.contentDisposition, 'attachment; filename="swagger_2.1.json"');
    assert.ok(text.startsWith('{\n  "swagger" : "2.0",\n  "info" : {\n    "description" : "Every exported setting",\n    "version" : "2.1",\n'), text.slice(0, 120));
    const doc = JSON.parse(text);
    assert.deepEqual(Object.keys(doc), [
      'swagger', 'info', 'host', 'basePath', 'schemes', 'paths', 'securityDefinitions', 'definitions',
      'x-amazon-apigateway-gateway-responses', 'x-amazon-apigateway-policy', 'x-amazon-apigateway-request-validators',
      'x-amazon-apigateway-binary-media-types', 'x-amazon-apigateway-api-key-source', 'x-amazon-apigateway-minimum-compression-size',
      'x-amazon-apigateway-documentation',
    ]);
    assert.equal(doc.host, `${apiId}.execute-api.us-east-1.amazonaws.com`);
    assert.equal(doc.basePath, '/prod');
    assert.deepEqual(Object.keys(doc.paths), ['/health', '/items', '/items/{id}']);
    assert.deepEqual(Object.keys(doc.paths['/items/{id}']), ['delete', 'x-amazon-apigateway-any-method']);
    assert.deepEqual(doc['x-amazon-apigateway-policy'], {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: `arn:aws:execute-api:us-east-1:123456789012:${apiId}/*` }],
    });
    assert.deepEqual(doc['x-amazon-apigateway-request-validators'], { 'body-only': { validateRequestParameters: false, validateRequestBody: true } });
    assert.deepEqual(doc['x-amazon-apigateway-binary-media-types'], ['image/png', 'application/octet-stream']);
    assert.equal(doc['x-amazon-apigateway-api-key-source'], 'AUTHORIZER');
    assert.equal(doc['x-amazon-apigateway-minimum-compression-size'], 1024);
    assert.deepEqual(doc['x-amazon-apigateway-gateway-responses'].UNAUTHORIZED, {
      statusCode: '401', responseTemplates: { 'application/json': '{"error":"$context.error.messageString"}' },
    });
    // Put without templates, it stored the default one, which exports leave out (as AWS's exports of CORS-enabled
    // APIs show DEFAULT_4XX with its headers alone).
    assert.deepEqual(doc['x-amazon-apigateway-gateway-responses'].DEFAULT_4XX, { responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" } });
    const docs = doc['x-amazon-apigateway-documentation'];
    assert.equal(docs.version, 'v1');
    assert.match(docs.createdDate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(docs.documentationParts, [
      { location: { type: 'API' }, properties: { description: 'Everything, documented' } },
      { location: { type: 'METHOD', path: '/items', method: 'GET' }, properties: { summary: 'List items' } },
    ]);
  });

  test('security schemes: api_key, sigv4 and one per authorizer, with x-amazon-apigateway-authorizer', async () => {
    const doc = await jsonOf('swagger', 'apigateway');
    assert.deepEqual(doc.securityDefinitions, {
      api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' },
      sigv4: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' },
      TokenAuth: {
        type: 'apiKey', name: 'X-Token', in: 'header', 'x-amazon-apigateway-authtype': 'custom',
        'x-amazon-apigateway-authorizer': { authorizerUri: FN('token'), authorizerResultTtlInSeconds: 60, identityValidationExpression: '^Bearer .+$', type: 'token' },
      },
      ReqAuth: {
        type: 'apiKey', name: 'Unused', in: 'header', 'x-amazon-apigateway-authtype': 'custom',
        'x-amazon-apigateway-authorizer': {
          authorizerUri: FN('request'), authorizerCredentials: ROLE, authorizerResultTtlInSeconds: 300,
          identitySource: 'method.request.header.A, method.request.querystring.b', type: 'request',
        },
      },
      Pool: {
        type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'cognito_user_pools',
        'x-amazon-apigateway-authorizer': { providerARNs: [POOL], type: 'cognito_user_pools' },
      },
    });
    // Key order within each scheme as AWS writes it, schemes in HashMap order.
    assert.deepEqual(Object.keys(doc.securityDefinitions), javaHashMapOrder(['api_key', 'sigv4', 'TokenAuth', 'ReqAuth', 'Pool']));
    assert.deepEqual(Object.keys(doc.securityDefinitions.ReqAuth['x-amazon-apigateway-authorizer']), [
      'authorizerUri', 'authorizerCredentials', 'authorizerResultTtlInSeconds', 'identitySource', 'type',
    ]);
    const items = doc.paths['/items'];
    assert.deepEqual(items.get.security, [{ sigv4: [] }, { api_key: [] }]);
    assert.deepEqual(items.post.security, [{ TokenAuth: [] }]);
    assert.deepEqual(doc.paths['/items/{id}']['x-amazon-apigateway-any-method'].security, [{ Pool: ['items/read'] }]);
    assert.deepEqual(doc.paths['/items/{id}'].delete.security, [{ ReqAuth: [] }]);
    assert.equal(doc.paths['/health'].get.security, undefined);
  });

  test('operations: parameters, body model, responses with headers and models, validator, every integration type', async () => {
    const doc = await jsonOf('swagger', 'apigateway');
    const items = doc.paths['/items'];
    assert.deepEqual(items.get.parameters, [
      { name: 'limit', in: 'query', required: true, type: 'string' },
      { name: 'X-Trace', in: 'header', required: false, type: 'string' },
    ]);
    assertSameOrdered(items.get['x-amazon-apigateway-integration'], {
      type: 'http_proxy', httpMethod: 'GET', uri: 'http://backend.internal/items', connectionType: 'VPC_LINK',
      connectionId: '${stageVariables.vpcLinkId}', requestParameters: { 'integration.request.querystring.limit': 'method.request.querystring.limit' },
      passthroughBehavior: 'when_no_match', timeoutInMillis: 5000,
    });
    assertSameOrdered(items.post, {
      operationId: 'CreateItem',
      consumes: ['application/json'],
      produces: ['application/json'],
      parameters: [{ in: 'body', name: 'Item', required: true, schema: { $ref: '#/definitions/Item' } }],
      responses: { 201: { description: '201 response', schema: { $ref: '#/definitions/Item' }, headers: { Location: { type: 'string' } } } },
      security: [{ TokenAuth: [] }],
      'x-amazon-apigateway-request-validator': 'body-only',
      'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: FN('items'), passthroughBehavior: 'when_no_match', contentHandling: 'CONVERT_TO_TEXT' },
    });
    const any = doc.paths['/items/{id}']['x-amazon-apigateway-any-method'];
    assert.deepEqual(any.responses, { 200: { description: '200 response' }, 404: { description: '404 response', schema: { $ref: '#/definitions/Error' } } });
    assertSameOrdered(any['x-amazon-apigateway-integration'], {
      type: 'http', httpMethod: 'ANY', uri: 'https://backend.example.com/items/{id}',
      responses: {
        '4\\d{2}': { statusCode: '404', responseTemplates: { 'application/json': '{"message":"not found"}' }, contentHandling: 'CONVERT_TO_TEXT' },
        default: { statusCode: '200' },
      },
      requestParameters: { 'integration.request.path.id': 'method.request.path.id' },
      requestTemplates: { 'application/json': '{"id":"$input.params(\'id\')"}' },
      passthroughBehavior: 'when_no_templates',
      cacheNamespace: ids.item,
      cacheKeyParameters: ['method.request.path.id'],
      tlsConfig: { insecureSkipVerification: true },
    });
    assertSameOrdered(doc.paths['/items/{id}'].delete['x-amazon-apigateway-integration'], {
      type: 'aws', credentials: ROLE, httpMethod: 'POST', uri: 'arn:aws:apigateway:us-east-1:dynamodb:action/DeleteItem',
      responses: { default: { statusCode: '204' } }, requestTemplates: { 'application/json': '{"TableName":"items"}' }, passthroughBehavior: 'when_no_match',
    });
    assertSameOrdered(doc.paths['/health'].get['x-amazon-apigateway-integration'], {
      type: 'mock', responses: { default: { statusCode: '200', responseTemplates: { 'application/json': '{"ok":true}' } } },
      requestTemplates: { 'application/json': '{"statusCode": 200}' }, passthroughBehavior: 'when_no_match',
    });
  });

  test('models become definitions / components.schemas with their $refs rewritten and no $schema', async () => {
    const swagger = await jsonOf('swagger');
    assertSameOrdered(swagger.definitions.Item, {
      type: 'object', title: 'Item', required: ['name'],
      properties: { name: { type: 'string' }, tags: { type: 'array', items: { $ref: '#/definitions/Tag' } } },
    });
    assertSameOrdered(swagger.definitions.Empty, { type: 'object', title: 'Empty Schema' });
    const oas = await jsonOf('oas30');
    assert.deepEqual(Object.keys(oas.components), ['schemas', 'securitySchemes']);
    assertSameOrdered(oas.components.schemas.Item, {
      title: 'Item', type: 'object', required: ['name'],
      properties: { name: { type: 'string' }, tags: { type: 'array', items: { $ref: '#/components/schemas/Tag' } } },
    });
    assertSameOrdered(oas.components.schemas.Empty, { title: 'Empty Schema', type: 'object' });
  });

  test('oas30: servers with the basePath variable, requestBody, parameters with schemas, response content', async () => {
    const doc = await jsonOf('oas30', 'apigateway');
    assert.deepEqual(doc.servers, [{ url: `https://${apiId}.execute-api.us-east-1.amazonaws.com/{basePath}`, variables: { basePath: { default: 'prod' } } }]);
    assert.deepEqual(doc.info, { title: 'Everything', description: 'Every exported setting', version: '2.1' });
    const items = doc.paths['/items'];
    assert.deepEqual(items.get.parameters, [
      { name: 'limit', in: 'query', required: true, schema: { type: 'string' } },
      { name: 'X-Trace', in: 'header', schema: { type: 'string' } },
    ]);
    assertSameOrdered(items.post.requestBody, { content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } }, required: true });
    assertSameOrdered(items.post.responses, {
      201: { description: '201 response', headers: { Location: { schema: { type: 'string' } } }, content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } } },
    });
    assert.deepEqual(doc.paths['/items/{id}'].delete.responses, { 204: { description: '204 response', content: {} } });
    assert.equal(doc.components.securitySchemes.TokenAuth['x-amazon-apigateway-authorizer'].type, 'token');
    assert.equal(doc['x-amazon-apigateway-api-key-source'], 'AUTHORIZER');
  });

  test('extensions select what is exported: none, integrations, authorizers, documentation', async () => {
    assert.deepEqual([...extensionKeys(await jsonOf('swagger'))].sort(), ['x-amazon-apigateway-any-method', 'x-amazon-apigateway-authtype']);
    assert.deepEqual([...extensionKeys(await jsonOf('swagger', 'integrations'))].sort(), [
      'x-amazon-apigateway-any-method', 'x-amazon-apigateway-authtype', 'x-amazon-apigateway-integration',
    ]);
    assert.deepEqual([...extensionKeys(await jsonOf('oas30', 'authorizers'))].sort(), [
      'x-amazon-apigateway-any-method', 'x-amazon-apigateway-authorizer', 'x-amazon-apigateway-authtype',
    ]);
    assert.deepEqual([...extensionKeys(await jsonOf('swagger', 'documentation'))].sort(), [
      'x-amazon-apigateway-any-method', 'x-amazon-apigateway-authtype', 'x-amazon-apigateway-documentation',
    ]);
    assert.deepEqual([...extensionKeys(await jsonOf('oas30', 'integrations,authorizers'))].sort(), [
      'x-amazon-apigateway-any-method', 'x-amazon-apigateway-authorizer', 'x-amazon-apigateway-authtype', 'x-amazon-apigateway-integration',
    ]);
  });

  test('Accept: application/yaml gives the same document as YAML, Jackson-style', async () => {
    for (const exportType of ['swagger', 'oas30']) {
      const { out, text } = await exportOf(exportType, 'apigateway', 'application/yaml');
      assert.equal(out.contentType, 'application/octet-stream');
      assert.equal(out.contentDisposition, `attachment; filename="${exportType}_2.1.yaml"`);
      assert.ok(text.startsWith(exportType === 'swagger' ? '---\nswagger: "2.0"\ninfo:\n  description: "Every exported setting"\n' : '---\nopenapi: "3.0.1"\ninfo:\n  title: "Everything"\n'), text.slice(0, 80));
      assert.deepEqual(parseYaml(text), await jsonOf(exportType, 'apigateway'));
    }
    const { text } = await exportOf('oas30', undefined, 'application/yaml');
    assert.match(text, /\nservers:\n- url: "https:\/\/[a-z0-9]+\.execute-api\.us-east-1\.amazonaws\.com\/\{basePath\}"\n  variables:\n    basePath:\n      default: "prod"\n/);
    assert.match(text, /\n {6}responses:\n {8}"204":\n {10}description: "204 response"\n {10}content: \{\}\n/);
  });

  test('the AWS CLI writes the export to a file, the same bytes as the SDK receives', async () => {
    const dir = tempDataDir();
    for (const [exportType, accepts, ext] of [['swagger', 'application/json', 'json'], ['oas30', 'application/yaml', 'yaml']] as const) {
      const file = join(dir, `out.${ext}`);
      const r = await runAws({ endpoint: gh.endpoint }, 'apigateway', 'get-export', '--rest-api-id', apiId, '--stage-name', 'prod',
        '--export-type', exportType, '--accepts', accepts, '--parameters', 'extensions=apigateway', file);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(r.json, { contentType: 'application/octet-stream', contentDisposition: `attachment; filename="${exportType}_2.1.${ext}"` });
      assert.equal(readFileSync(file, 'utf8'), (await exportOf(exportType, 'apigateway', accepts)).text);
    }
  });

  test('importing an export gives an API that exports the same document (both types)', async () => {
    for (const exportType of ['swagger', 'oas30']) {
      const { text } = await exportOf(exportType, 'apigateway');
      const imported = await gh.apigateway.send(new ImportRestApiCommand({ body: Buffer.from(text), failOnWarnings: true }));
      await gh.apigateway.send(new CreateDeploymentCommand({ restApiId: imported.id!, stageName: 'prod' }));
      await gh.apigateway.send(new CreateDocumentationVersionCommand({ restApiId: imported.id!, documentationVersion: 'v1', stageName: 'prod' }));
      const again = Buffer.from((await gh.apigateway.send(new GetExportCommand({
        restApiId: imported.id!, stageName: 'prod', exportType, parameters: { extensions: 'apigateway' },
      }))).body!).toString('utf8');
      // What differs is what must: the API id (in the host and, as stored, in the policy's ARN — AWS keeps the
      // exported ARN too), the cache namespace (the new resource's id) and the documentation version's date.
      const normal = (t: string, id: string) =>
        t.replaceAll(id, 'API').replaceAll(apiId, 'API').replace(/"cacheNamespace" : "[^"]+"/g, '"cacheNamespace" : "NS"').replace(/"createdDate" : "[^"]+"/g, '"createdDate" : "D"');
      assert.equal(normal(again, imported.id!), normal(text, apiId), exportType);
    }
  });

  test('the stage\'s deployment is exported, not the live API', async () => {
    await gh.apigateway.send(new UpdateRestApiCommand({ restApiId: apiId, patchOperations: [{ op: 'replace', path: '/description', value: 'changed' }] }));
    await gh.apigateway.send(new DeleteMethodCommand({ restApiId: apiId, resourceId: ids.items, httpMethod: 'POST' }));
    const before = await jsonOf('swagger');
    assert.equal(before.info.description, 'Every exported setting');
    assert.ok(before.paths['/items'].post);
    await gh.apigateway.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'prod' }));
    const afterDeploy = await jsonOf('swagger');
    assert.equal(afterDeploy.info.description, 'changed');
    assert.equal(afterDeploy.paths['/items'].post, undefined);
  });

  test('errors: unknown API, unknown stage, unknown export type, unknown extension, unsupported Accept', async () => {
    const call = (input: Partial<{ restApiId: string; stageName: string; exportType: string; accepts: string; parameters: Record<string, string> }>) =>
      awsError(() => gh.apigateway.send(new GetExportCommand({ restApiId: apiId, stageName: 'prod', exportType: 'swagger', ...input })));
    assert.deepEqual(await call({ restApiId: 'nope000000' }), { name: 'NotFoundException', message: 'Invalid API identifier specified 123456789012:nope000000', status: 404 });
    assert.deepEqual(await call({ stageName: 'nope' }), { name: 'NotFoundException', message: 'Invalid stage identifier specified', status: 404 });
    assert.deepEqual(await call({ exportType: 'raml' }), {
      name: 'BadRequestException', message: "Unsupported export type 'raml': supported types are swagger and oas30", status: 400,
    });
    assert.deepEqual(await call({ parameters: { extensions: 'integrations,bogus' } }), {
      name: 'BadRequestException', message: "Invalid extensions value 'bogus': valid values are integrations, apigateway, authorizers, documentation and postman", status: 400,
    });
    assert.deepEqual(await call({ accepts: 'application/xml' }), {
      name: 'BadRequestException', message: "Unsupported Accept header 'application/xml': exports are available as application/json and application/yaml", status: 400,
    });
  });
});

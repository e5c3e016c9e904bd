import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateDeploymentCommand,
  CreateDocumentationPartCommand,
  CreateDocumentationVersionCommand,
  CreateRestApiCommand,
  DeleteDocumentationPartCommand,
  DeleteDocumentationVersionCommand,
  GetDocumentationPartCommand,
  GetDocumentationPartsCommand,
  GetDocumentationVersionCommand,
  GetDocumentationVersionsCommand,
  GetStageCommand,
  ImportDocumentationPartsCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  UpdateDocumentationPartCommand,
  UpdateDocumentationVersionCommand,
} from '@aws-sdk/client-api-gateway';
import { startGatehouse, type Running } from '../helpers/gatehouse.ts';
import { rejects } from '../helpers/aws-assert.ts';


const enc = (s: string) => new TextEncoder().encode(s);

describe('DocumentationParts', () => {
  let gh: Running;
  let api: string;
  const newApi = async () => (await gh.apigateway.send(new CreateRestApiCommand({ name: 'docs' }))).id!;
  const create = (restApiId: string, location: Record<string, string>, properties = '{"description":"x"}') =>
    gh.apigateway.send(new CreateDocumentationPartCommand({ restApiId, location: location as never, properties }));

  before(async () => {
    gh = await startGatehouse();
    api = await newApi();
  });
  after(() => gh.stop());

  test('CreateDocumentationPart answers 201 and fills the location defaults', async () => {
    const out = await create(api, { type: 'METHOD', path: '/pets' }, '{"summary":"List pets"}');
    assert.equal(out.$metadata.httpStatusCode, 201);
    assert.match(out.id!, /^[a-z0-9]{6}$/);
    // API reference, DocumentationPartLocation: method defaults to '*', path to '/', statusCode to '*'.
    assert.deepEqual(out.location, { type: 'METHOD', path: '/pets', method: '*' });
    assert.equal(out.properties, '{"summary":"List pets"}');
    const resource = await create(api, { type: 'RESOURCE' });
    assert.deepEqual(resource.location, { type: 'RESOURCE', path: '/' });
    const response = await create(api, { type: 'RESPONSE', path: '/pets', method: 'GET' });
    assert.deepEqual(response.location, { type: 'RESPONSE', path: '/pets', method: 'GET', statusCode: '*' });
    const got = await gh.apigateway.send(new GetDocumentationPartCommand({ restApiId: api, documentationPartId: out.id }));
    assert.deepEqual({ id: got.id, location: got.location, properties: got.properties }, { id: out.id, location: out.location, properties: out.properties });
  });

  test('a second part at the same location is a 409 naming the location', async () => {
    const a = await newApi();
    await create(a, { type: 'API' });
    // Developer guide, "Document an API using the API Gateway REST API": 409 with this message.
    await rejects(create(a, { type: 'API' }), 'ConflictException', 409, "Documentation part already exists for the specified location: type 'API'.");
    await create(a, { type: 'METHOD', path: '/pets' });
    // An omitted field equals its default.
    await rejects(create(a, { type: 'METHOD', path: '/pets', method: '*' }), 'ConflictException', 409,
      "Documentation part already exists for the specified location: type 'METHOD', path '/pets', method '*'.");
  });

  test('location fields are validated per type; properties must be a JSON object', async () => {
    await rejects(create(api, { type: 'API', path: '/x' }), 'BadRequestException', 400, "Invalid location field 'path' for documentation part of type API");
    await rejects(create(api, { type: 'RESOURCE', method: 'GET' }), 'BadRequestException', 400, "Invalid location field 'method' for documentation part of type RESOURCE");
    await rejects(create(api, { type: 'METHOD', statusCode: '200' }), 'BadRequestException', 400, "Invalid location field 'statusCode' for documentation part of type METHOD");
    await rejects(create(api, { type: 'MODEL' }), 'BadRequestException', 400, 'Documentation part location of type MODEL requires a name');
    await rejects(create(api, { type: 'QUERY_PARAMETER', path: '/pets', method: 'GET' }), 'BadRequestException', 400,
      'Documentation part location of type QUERY_PARAMETER requires a name');
    // The model's statusCode pattern, checked by the protocol layer as AWS does.
    await rejects(create(api, { type: 'RESPONSE', statusCode: '99' }), 'ValidationException', 400,
      "1 validation error detected: Value '99' at 'createDocumentationPartInput.location.statusCode' failed to satisfy constraint: Member must satisfy regular expression pattern: ^([1-5]\\d\\d|\\*|\\s*)$");
    const blank = await create(api, { type: 'RESPONSE_BODY', path: '/blank', statusCode: ' ' });
    assert.equal(blank.location!.statusCode, '*');
    await rejects(create(api, { type: 'RESOURCE', path: 'pets' }), 'BadRequestException', 400, "Invalid documentation part location path: 'pets'");
    await rejects(create(api, { type: 'METHOD', method: 'FETCH' }), 'BadRequestException', 400, /Invalid documentation part location method: 'FETCH'/);
    await rejects(create(api, { type: 'API' }, '{not json'), 'BadRequestException', 400, 'Invalid documentation part properties: must be a valid JSON object');
    await rejects(create(api, { type: 'API' }, '[1]'), 'BadRequestException', 400, 'Invalid documentation part properties: must be a valid JSON object');
    await rejects(create('nope123456', { type: 'API' }), 'NotFoundException', 404, 'Invalid API identifier specified 123456789012:nope123456');
  });

  test('an unknown location type lists the types in AWS order (recorded: test_invalid_create_documentation_part_operations)', async () => {
    // LocalStack's AWS-validated tests/aws/services/apigateway/test_apigateway_api.snapshot.json,
    // create_documentation_part_invalid_location_type.
    await rejects(
      create(api, { type: 'INVALID' }, '{ "description": "Sample API description" }'),
      'ValidationException',
      400,
      "1 validation error detected: Value 'INVALID' at 'createDocumentationPartInput.location.type' failed to satisfy constraint: Member must satisfy enum value set: [RESPONSE_BODY, RESPONSE, METHOD, MODEL, AUTHORIZER, RESPONSE_HEADER, RESOURCE, PATH_PARAMETER, REQUEST_BODY, QUERY_PARAMETER, API, REQUEST_HEADER]",
    );
  });

  test('GetDocumentationParts filters by type, path, name and location status, and pages', async () => {
    const a = await newApi();
    await create(a, { type: 'API' });
    await create(a, { type: 'MODEL', name: 'PetModel' });
    await create(a, { type: 'MODEL', name: 'Error' }, '{}');
    await create(a, { type: 'QUERY_PARAMETER', path: '/pets', method: 'GET', name: 'petType' });
    await create(a, { type: 'METHOD', path: '/pets', method: 'GET' });
    await create(a, { type: 'METHOD', path: '/pets/{id}', method: 'GET' });
    await create(a, { type: 'METHOD', path: '/petshop', method: 'GET' });
    const all = await gh.apigateway.send(new GetDocumentationPartsCommand({ restApiId: a }));
    assert.equal(all.items!.length, 7);
    const models = await gh.apigateway.send(new GetDocumentationPartsCommand({ restApiId: a, type: 'MODEL' }));
    assert.deepEqual(models.items!.map((p) => p.location!.name).sort(), ['Error', 'PetModel']);
    const named = await gh.apigateway.send(new GetDocumentationPartsCommand({ restApiId: a, nameQuery: 'pet' }));
    assert.deepEqual(named.items!.map((p) => p.location!.name).sort(), ['PetModel', 'petType']);
    // The path filter takes the path's descendants too, as real AWS does (aws/aws-sdk-go-v2 issue 1776).
    const onPets = await gh.apigateway.send(new GetDocumentationPartsCommand({ restApiId: a, path: '/pets' }));
    assert.deepEqual(onPets.items!.map((p) => `${p.location!.type} ${p.location!.path}`).sort(), ['METHOD /pets', 'METHOD /pets/{id}', 'QUERY_PARAMETER /pets']);
    const undocumented = await gh.apigateway.send(new GetDocumentationPartsCommand({ restApiId: a, locationStatus: 'UNDOCUMENTED' }));
    assert.deepEqual(undocumented.items!.map((p) => p.location!.name), ['Error']);
    const documented = await gh.apigateway.send(new GetDocumentationPartsCommand({ restApiId: a, locationStatus: 'DOCUMENTED' }));
    assert.equal(documented.items!.length, 6);

    const first = await gh.apigateway.send(new GetDocumentationPartsCommand({ restApiId: a, limit: 4 }));
    assert.equal(first.items!.length, 4);
    const second = await gh.apigateway.send(new GetDocumentationPartsCommand({ restApiId: a, limit: 4, position: first.position }));
    assert.equal(second.items!.length, 3);
    assert.equal(second.position, undefined);
  });

  test('UpdateDocumentationPart replaces /properties only; DeleteDocumentationPart answers 202', async () => {
    const part = await create(api, { type: 'AUTHORIZER', name: 'auth' });
    const out = await gh.apigateway.send(new UpdateDocumentationPartCommand({
      restApiId: api, documentationPartId: part.id, patchOperations: [{ op: 'replace', path: '/properties', value: '{"description":"new"}' }],
    }));
    assert.equal(out.properties, '{"description":"new"}');
    await rejects(
      gh.apigateway.send(new UpdateDocumentationPartCommand({
        restApiId: api, documentationPartId: part.id, patchOperations: [{ op: 'replace', path: '/location/name', value: 'x' }],
      })),
      'BadRequestException', 400, "Invalid patch path  '/location/name' specified for op 'replace'. Must be one of: [/properties]",
    );
    // Texts recorded from AWS (localstack's validated snapshots, test_invalid_update_documentation_part).
    await rejects(
      gh.apigateway.send(new UpdateDocumentationPartCommand({
        restApiId: api, documentationPartId: part.id, patchOperations: [{ op: 'add', path: '/properties', value: '{}' }],
      })),
      'BadRequestException', 400, "Invalid patch path  '/properties' specified for op 'add'. Please choose supported operations",
    );
    await rejects(
      gh.apigateway.send(new UpdateDocumentationPartCommand({
        restApiId: 'nope123456', documentationPartId: part.id, patchOperations: [{ op: 'replace', path: '/properties', value: '{}' }],
      })),
      'NotFoundException', 404, 'Invalid Documentation part identifier specified',
    );
    await rejects(gh.apigateway.send(new GetDocumentationPartCommand({ restApiId: 'nope123456', documentationPartId: part.id })),
      'NotFoundException', 404, 'Invalid Documentation part identifier specified');
    await rejects(gh.apigateway.send(new DeleteDocumentationPartCommand({ restApiId: 'nope123456', documentationPartId: part.id })),
      'NotFoundException', 404, 'Invalid API identifier specified 123456789012:nope123456');
    await rejects(
      gh.apigateway.send(new UpdateDocumentationPartCommand({
        restApiId: api, documentationPartId: part.id, patchOperations: [{ op: 'replace', path: '/properties', value: 'nope' }],
      })),
      'BadRequestException', 400, 'Invalid documentation part properties: must be a valid JSON object',
    );
    const del = await gh.apigateway.send(new DeleteDocumentationPartCommand({ restApiId: api, documentationPartId: part.id }));
    assert.equal(del.$metadata.httpStatusCode, 202);
    const msg = 'Invalid Documentation part identifier specified';
    await rejects(gh.apigateway.send(new GetDocumentationPartCommand({ restApiId: api, documentationPartId: part.id })), 'NotFoundException', 404, msg);
    await rejects(gh.apigateway.send(new DeleteDocumentationPartCommand({ restApiId: api, documentationPartId: part.id })), 'NotFoundException', 404, msg);
  });
});

describe('ImportDocumentationParts', () => {
  let gh: Running;
  before(async () => {
    gh = await startGatehouse();
  });
  after(() => gh.stop());

  const swagger = {
    swagger: '2.0',
    info: { title: 'pets', version: '1' },
    'x-amazon-apigateway-documentation': {
      version: '1.0',
      documentationParts: [
        { location: { type: 'API' }, properties: { description: 'The pet store' } },
        { location: { type: 'METHOD', path: '/pets', method: 'GET' }, properties: { summary: 'List pets' } },
      ],
    },
  };

  test('imports from JSON, merging by location (mode=merge is the default)', async () => {
    const { id: restApiId } = await gh.apigateway.send(new CreateRestApiCommand({ name: 'import' }));
    const first = await gh.apigateway.send(new ImportDocumentationPartsCommand({ restApiId, body: enc(JSON.stringify(swagger)) }));
    assert.equal(first.ids!.length, 2);
    assert.equal(first.warnings, undefined);
    const parts = await gh.apigateway.send(new GetDocumentationPartsCommand({ restApiId }));
    const api = parts.items!.find((p) => p.location!.type === 'API')!;
    assert.equal(api.properties, '{"description":"The pet store"}');

    const changed = structuredClone(swagger);
    changed['x-amazon-apigateway-documentation'].documentationParts = [
      { location: { type: 'API' }, properties: { description: 'Renamed' } },
      { location: { type: 'MODEL', name: 'Pet' } as never, properties: { description: 'A pet' } },
    ];
    const second = await gh.apigateway.send(new ImportDocumentationPartsCommand({ restApiId, mode: 'merge', body: enc(JSON.stringify(changed)) }));
    assert.equal(second.ids![0], api.id, 'the part at the same location keeps its id');
    const after = await gh.apigateway.send(new GetDocumentationPartsCommand({ restApiId }));
    assert.equal(after.items!.length, 3);
    assert.equal(after.items!.find((p) => p.id === api.id)!.properties, '{"description":"Renamed"}');
  });

  test('the recorded AWS import: locations get their defaults, ids come in file order, no warnings member', async () => {
    // Input and expected parts as recorded from AWS (localstack's validated snapshots, test_import_documentation_parts,
    // with tests/aws/files/oas30_documentation_parts.json).
    const { id: restApiId } = await gh.apigateway.send(new CreateRestApiCommand({ name: 'recorded' }));
    const oas = {
      openapi: '3.0.0',
      info: { description: 'description', version: '1', title: 'doc' },
      paths: { '/': { get: { description: 'Method description.', responses: { 200: { description: '200 response' } } } } },
      'x-amazon-apigateway-documentation': {
        version: '1.0.3',
        documentationParts: [
          { location: { type: 'API' }, properties: { description: 'API description', info: { description: 'API info description 4', version: 'API info version 3' } } },
          { location: { type: 'METHOD', method: 'GET' }, properties: { description: 'Method description.' } },
          { location: { type: 'MODEL', name: 'Empty' }, properties: { title: 'Empty Schema' } },
          { location: { type: 'RESPONSE', method: 'GET', statusCode: '200' }, properties: { description: '200 response' } },
        ],
      },
    };
    const out = await gh.apigateway.send(new ImportDocumentationPartsCommand({ restApiId, mode: 'overwrite', body: enc(JSON.stringify(oas)) }));
    assert.equal(out.ids!.length, 4);
    assert.equal(out.warnings, undefined);
    const parts = (await gh.apigateway.send(new GetDocumentationPartsCommand({ restApiId }))).items!;
    const byId = new Map(parts.map((p) => [p.id, p]));
    assert.deepEqual(out.ids!.map((id) => byId.get(id)!.location), [
      { type: 'API' },
      { type: 'METHOD', path: '/', method: 'GET' },
      { type: 'MODEL', name: 'Empty' },
      { type: 'RESPONSE', path: '/', method: 'GET', statusCode: '200' },
    ]);
    assert.deepEqual(JSON.parse(byId.get(out.ids![1]!)!.properties!), { description: 'Method description.' });
  });

  test('mode=overwrite replaces every part; YAML bodies are accepted', async () => {
    const { id: restApiId } = await gh.apigateway.send(new CreateRestApiCommand({ name: 'overwrite' }));
    await gh.apigateway.send(new ImportDocumentationPartsCommand({ restApiId, body: enc(JSON.stringify(swagger)) }));
    const yaml = [
      'openapi: 3.0.1',
      'info: { title: pets, version: "1" }',
      'x-amazon-apigateway-documentation:',
      '  version: "2.0"',
      '  documentationParts:',
      '    - location: { type: RESOURCE, path: /pets }',
      '      properties: { description: Pets }',
    ].join('\n');
    const out = await gh.apigateway.send(new ImportDocumentationPartsCommand({ restApiId, mode: 'overwrite', body: enc(yaml) }));
    assert.equal(out.ids!.length, 1);
    const parts = await gh.apigateway.send(new GetDocumentationPartsCommand({ restApiId }));
    assert.deepEqual(parts.items!.map((p) => [p.location, p.properties]), [[{ type: 'RESOURCE', path: '/pets' }, '{"description":"Pets"}']]);
  });

  test('bad parts are skipped with warnings, or fail the import with failOnWarnings', async () => {
    const { id: restApiId } = await gh.apigateway.send(new CreateRestApiCommand({ name: 'warnings' }));
    const doc = structuredClone(swagger);
    (doc['x-amazon-apigateway-documentation'].documentationParts as unknown[]).push({ location: { type: 'MODEL' }, properties: {} });
    await rejects(
      gh.apigateway.send(new ImportDocumentationPartsCommand({ restApiId, failOnWarnings: true, body: enc(JSON.stringify(doc)) })),
      'BadRequestException', 400, /Documentation part at index 2 was not imported: Documentation part location of type MODEL requires a name/,
    );
    assert.deepEqual((await gh.apigateway.send(new GetDocumentationPartsCommand({ restApiId }))).items ?? [], [], 'nothing imported');
    const out = await gh.apigateway.send(new ImportDocumentationPartsCommand({ restApiId, body: enc(JSON.stringify(doc)) }));
    assert.equal(out.ids!.length, 2);
    assert.deepEqual(out.warnings, ['Documentation part at index 2 was not imported: Documentation part location of type MODEL requires a name']);

    // Recorded from AWS (localstack's validated snapshots, test_import_documentation_parts_bad_file).
    await rejects(
      gh.apigateway.send(new ImportDocumentationPartsCommand({ restApiId, body: enc('{"a": [') })),
      'BadRequestException', 400, 'Unable to build importer with provided input.',
    );
    await rejects(
      gh.apigateway.send(new ImportDocumentationPartsCommand({ restApiId: 'nope123456', body: enc(JSON.stringify(swagger)) })),
      'NotFoundException', 404, 'Invalid API identifier specified 123456789012:nope123456',
    );
  });
});

describe('DocumentationVersions', () => {
  let gh: Running;
  let restApiId: string;
  before(async () => {
    gh = await startGatehouse();
    const api = await gh.apigateway.send(new CreateRestApiCommand({ name: 'versions' }));
    restApiId = api.id!;
    await gh.apigateway.send(new PutMethodCommand({ restApiId, resourceId: api.rootResourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
    await gh.apigateway.send(new PutIntegrationCommand({ restApiId, resourceId: api.rootResourceId, httpMethod: 'GET', type: 'MOCK' }));
    await gh.apigateway.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod' }));
    await gh.apigateway.send(new CreateDocumentationPartCommand({ restApiId, location: { type: 'API' }, properties: '{"description":"v1"}' }));
  });
  after(() => gh.stop());

  test('CreateDocumentationVersion snapshots the parts and publishes to the stage', async () => {
    const out = await gh.apigateway.send(new CreateDocumentationVersionCommand({ restApiId, documentationVersion: '1.0.0', description: 'first', stageName: 'prod' }));
    assert.equal(out.$metadata.httpStatusCode, 201);
    assert.equal(out.version, '1.0.0');
    assert.equal(out.description, 'first');
    assert.ok(out.createdDate instanceof Date);
    const stage = await gh.apigateway.send(new GetStageCommand({ restApiId, stageName: 'prod' }));
    assert.equal(stage.documentationVersion, '1.0.0');

    await rejects(
      gh.apigateway.send(new CreateDocumentationVersionCommand({ restApiId, documentationVersion: '1.0.0' })),
      'ConflictException', 409, 'Documentation version 1.0.0 already exists',
    );
    await rejects(
      gh.apigateway.send(new CreateDocumentationVersionCommand({ restApiId, documentationVersion: '2.0.0', stageName: 'nostage' })),
      'NotFoundException', 404, 'Invalid stage identifier specified',
    );
  });

  test('Get, list with paging, update /description', async () => {
    await gh.apigateway.send(new CreateDocumentationVersionCommand({ restApiId, documentationVersion: '1.1.0' }));
    await gh.apigateway.send(new CreateDocumentationVersionCommand({ restApiId, documentationVersion: '1.2.0' }));
    const got = await gh.apigateway.send(new GetDocumentationVersionCommand({ restApiId, documentationVersion: '1.1.0' }));
    assert.equal(got.version, '1.1.0');
    assert.equal(got.description, undefined);
    const first = await gh.apigateway.send(new GetDocumentationVersionsCommand({ restApiId, limit: 2 }));
    const second = await gh.apigateway.send(new GetDocumentationVersionsCommand({ restApiId, limit: 2, position: first.position }));
    assert.deepEqual([...first.items!, ...second.items!].map((v) => v.version), ['1.0.0', '1.1.0', '1.2.0']);
    assert.equal(second.position, undefined);

    const updated = await gh.apigateway.send(new UpdateDocumentationVersionCommand({
      restApiId, documentationVersion: '1.1.0', patchOperations: [{ op: 'replace', path: '/description', value: 'patched' }],
    }));
    assert.equal(updated.description, 'patched');
    await rejects(
      gh.apigateway.send(new UpdateDocumentationVersionCommand({
        restApiId, documentationVersion: '1.1.0', patchOperations: [{ op: 'replace', path: '/version', value: '9' }],
      })),
      'BadRequestException', 400, "Invalid patch path  '/version' specified for op 'replace'. Must be one of: [/description]",
    );
    await rejects(
      gh.apigateway.send(new GetDocumentationVersionCommand({ restApiId, documentationVersion: '9.9.9' })),
      'NotFoundException', 404, 'Invalid Documentation version identifier specified',
    );
  });

  test('DeleteDocumentationVersion answers 202 and unpublishes it from stages', async () => {
    await gh.apigateway.send(new CreateDocumentationVersionCommand({ restApiId, documentationVersion: 'gone', stageName: 'prod' }));
    const del = await gh.apigateway.send(new DeleteDocumentationVersionCommand({ restApiId, documentationVersion: 'gone' }));
    assert.equal(del.$metadata.httpStatusCode, 202);
    const stage = await gh.apigateway.send(new GetStageCommand({ restApiId, stageName: 'prod' }));
    assert.equal(stage.documentationVersion, undefined);
    await rejects(
      gh.apigateway.send(new DeleteDocumentationVersionCommand({ restApiId, documentationVersion: 'gone' })),
      'NotFoundException', 404, 'Invalid Documentation version identifier specified',
    );
  });
});

// The one line `gatehouse import --watch` prints after a save: paths, methods, models and authorizers added (+),
// changed (~) and removed (-), other sections by name, for Swagger 2.0 and OpenAPI 3.0 documents.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { definitionChanges, describeChanges } from '../../src/cli/import-changes.ts';

const swagger = (paths: Record<string, unknown>, definitions: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  swagger: '2.0', info: { title: 't', version: '1' }, paths, definitions, ...extra,
});
const op = (template: string) => ({ responses: {}, 'x-amazon-apigateway-integration': { type: 'mock', requestTemplates: { 'application/json': template } } });

test('an identical document is "no change"', () => {
  const doc = swagger({ '/a': { get: op('{}') } }, { M: { type: 'object' } });
  assert.equal(describeChanges(definitionChanges(doc, structuredClone(doc))), 'no change');
});

test('paths, methods and models added, changed and removed are counted in that order, plural when more than one', () => {
  const before = swagger({ '/a': { get: op('1'), post: op('2') }, '/gone': { get: op('x') } }, { Old: { type: 'object' }, Kept: { type: 'string' } });
  const after = swagger(
    { '/a': { get: op('changed'), delete: op('3') }, '/new1': { get: op('y') }, '/new2': { put: op('z') } },
    { Kept: { type: 'integer' }, Added: { type: 'object' } },
  );
  assert.equal(describeChanges(definitionChanges(before, after)), '+2 paths, -1 path, +1 method, ~1 method, -1 method, +1 model, ~1 model, -1 model');
});

test('x-amazon-apigateway-any-method is a method, path-level parameters change the path, other keys are named', () => {
  const before = swagger({ '/p/{id}': { parameters: [{ name: 'id', in: 'path' }], 'x-amazon-apigateway-any-method': op('1') } });
  const after = swagger(
    { '/p/{id}': { parameters: [{ name: 'id', in: 'path', required: true }], 'x-amazon-apigateway-any-method': op('2') } },
    {},
    { 'x-amazon-apigateway-gateway-responses': { DEFAULT_4XX: { statusCode: 400 } } },
  );
  assert.equal(describeChanges(definitionChanges(before, after)), '~1 path, ~1 method, ~x-amazon-apigateway-gateway-responses');
});

test('OpenAPI 3.0: components.schemas are models, components.securitySchemes authorizers, other components named', () => {
  const before = { openapi: '3.0.1', info: { title: 't', version: '1' }, paths: {}, components: { schemas: { A: {} }, securitySchemes: { Tok: { type: 'apiKey' } }, parameters: { P: { name: 'p' } } } };
  const after = { openapi: '3.0.1', info: { title: 'renamed', version: '1' }, paths: {}, components: { schemas: { A: {}, B: {} }, securitySchemes: {}, parameters: { P: { name: 'q' } } } };
  assert.equal(describeChanges(definitionChanges(before, after)), '+1 model, -1 authorizer, ~info, ~components.parameters');
});

test('a method name is matched whatever its case (GET and get are one method)', () => {
  const before = swagger({ '/a': { GET: op('1') } });
  const after = swagger({ '/a': { get: op('1') } });
  assert.equal(describeChanges(definitionChanges(before, after)), 'no change');
});

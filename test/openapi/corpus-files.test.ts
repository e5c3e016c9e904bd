// The corpus of API definitions (test/openapi/corpus/) is what it says: each file parses as the format and version
// it claims, uses the extensions it is there for, and the 500-path file is exactly its generator's output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { largeDefinition } from './corpus/generate-large.ts';

const CORPUS = join(import.meta.dirname, 'corpus');
const read = (name: string) => readFileSync(join(CORPUS, name), 'utf8');
const load = (name: string): any => (name.endsWith('.json') ? JSON.parse(read(name)) : parse(read(name)));

const integrationTypes = (doc: any): string[] => {
  const types = new Set<string>();
  for (const item of Object.values<any>(doc.paths)) for (const op of Object.values<any>(item)) if (op?.['x-amazon-apigateway-integration']) types.add(op['x-amazon-apigateway-integration'].type);
  return [...types].sort();
};

test('the petstore uses every integration type', () => {
  const doc = load('petstore-integrations.yaml');
  assert.equal(doc.swagger, '2.0');
  assert.deepEqual(integrationTypes(doc), ['aws', 'aws_proxy', 'http', 'http_proxy', 'mock']);
});

test('the guide petstore is Swagger 2.0 JSON with CORS, a validator and gateway responses', () => {
  const doc = load('guide-petstore.json');
  assert.equal(doc.swagger, '2.0');
  assert.deepEqual(Object.keys(doc.paths), ['/', '/pets', '/pets/{petId}']);
  assert.ok(doc['x-amazon-apigateway-gateway-responses'].BAD_REQUEST_BODY);
});

test('the authorizers API is OpenAPI 3.0 YAML with TOKEN, REQUEST and Cognito authorizers, API key and SigV4', () => {
  const doc = load('authorizers-validators.yaml');
  assert.equal(doc.openapi, '3.0.1');
  const kinds = Object.values<any>(doc.components.securitySchemes).map((s) => s['x-amazon-apigateway-authorizer']?.type ?? s['x-amazon-apigateway-authtype'] ?? s.name);
  assert.deepEqual(kinds.sort(), ['awsSigv4', 'cognito_user_pools', 'request', 'token', 'x-api-key']);
  assert.deepEqual(Object.keys(doc['x-amazon-apigateway-request-validators']), ['all', 'params-only']);
});

test('the OpenAPI 3.0 file has components of every kind, $refs and a callback', () => {
  const doc = load('oas30-components.json');
  assert.equal(doc.openapi, '3.0.3');
  assert.deepEqual(Object.keys(doc.components).sort(), ['headers', 'parameters', 'requestBodies', 'responses', 'schemas']);
  assert.ok(doc.paths['/subscriptions'].post.callbacks.onEvent);
});

test('the anchors file resolves its aliases: one integration and one set of responses for both item paths', () => {
  const doc = load('anchors.yaml');
  const item = doc.paths['/products/{sku}'].get;
  const reviews = doc.paths['/products/{sku}/reviews'].get;
  assert.deepEqual(reviews['x-amazon-apigateway-integration'], item['x-amazon-apigateway-integration']);
  assert.equal(item['x-amazon-apigateway-integration'].type, 'mock');
  assert.equal(reviews.responses['404'].description, 'not found');
  assert.match(read('anchors.yaml'), /x-amazon-apigateway-integration: \*itemIntegration/);
});

test('the 500-path API is its generator\'s output', () => {
  const text = read('large-500-paths.json');
  assert.equal(text, `${JSON.stringify(largeDefinition(500), null, 2)}\n`);
  assert.equal(Object.keys(JSON.parse(text).paths).length, 500);
  assert.equal(Object.keys(largeDefinition(50).paths as object).length, 50);
});

test('the settings file carries the API-wide extensions and documentation parts', () => {
  const doc = load('settings-policy-docs.yaml');
  for (const k of ['policy', 'documentation', 'gateway-responses', 'binary-media-types', 'minimum-compression-size', 'endpoint-configuration', 'api-key-source']) {
    assert.ok(doc[`x-amazon-apigateway-${k}`] !== undefined, k);
  }
  assert.equal(doc.paths['/secure-upstream'].get['x-amazon-apigateway-integration'].tlsConfig.insecureSkipVerification, true);
});

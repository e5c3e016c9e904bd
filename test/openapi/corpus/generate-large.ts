// Writes large-500-paths.json: a 500-path Swagger 2.0 API in the shape of a big internal platform (50 resources
// with 10 paths each: collection, item, sub-collections, actions and a legacy pass-through; MOCK and HTTP integrations, a model per
// resource, request parameters and validators). Deterministic, so the committed file is exactly its output.
//   node test/openapi/corpus/generate-large.ts          rewrites the file
// `largeDefinition(n)` gives smaller or bigger variants (the bench's 50-path API for `--watch`).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const NOUNS = [
  'accounts', 'addresses', 'alerts', 'applications', 'assets', 'audits', 'balances', 'batches', 'bookings', 'budgets',
  'campaigns', 'carts', 'catalogs', 'certificates', 'channels', 'claims', 'clients', 'comments', 'contracts', 'coupons',
  'customers', 'datasets', 'devices', 'documents', 'drivers', 'events', 'exports', 'feeds', 'files', 'fleets',
  'forms', 'groups', 'imports', 'incidents', 'invoices', 'jobs', 'ledgers', 'licenses', 'locations', 'messages',
  'meters', 'notes', 'offers', 'orders', 'payments', 'policies', 'products', 'projects', 'quotes', 'shipments',
];

function pascal(noun: string): string {
  const singular = noun.endsWith('ies') ? `${noun.slice(0, -3)}y` : noun.endsWith('ses') ? noun.slice(0, -2) : noun.slice(0, -1);
  return singular[0]!.toUpperCase() + singular.slice(1);
}

const mock = (status: number, template: string) => ({
  type: 'mock',
  requestTemplates: { 'application/json': `{"statusCode": ${status}}` },
  passthroughBehavior: 'when_no_match',
  responses: { default: { statusCode: String(status), responseTemplates: { 'application/json': template } } },
});

const http = (method: string, path: string, params: Record<string, string>) => ({
  type: 'http',
  httpMethod: method,
  uri: `http://\${stageVariables.backend}${path}`,
  requestParameters: params,
  passthroughBehavior: 'when_no_match',
  timeoutInMillis: 10000,
  responses: { default: { statusCode: '200' } },
});

const pathParam = (name: string) => ({ name, in: 'path', required: true, type: 'string' });
const ok = (model: string) => ({ '200': { description: 'OK', schema: { $ref: `#/definitions/${model}` } } });

/** A definition with `count` paths (10 per resource; the last resource may have fewer). */
export function largeDefinition(count: number): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  const definitions: Record<string, unknown> = { Error: { type: 'object', properties: { message: { type: 'string' } } } };
  let n = 0;
  for (let r = 0; n < count; r++) {
    const noun = NOUNS[r % NOUNS.length]! + (r >= NOUNS.length ? String(Math.floor(r / NOUNS.length) + 1) : '');
    const model = pascal(NOUNS[r % NOUNS.length]!) + (r >= NOUNS.length ? String(Math.floor(r / NOUNS.length) + 1) : '');
    definitions[model] = {
      type: 'object',
      required: ['name'],
      properties: { id: { type: 'string' }, name: { type: 'string', maxLength: 200 }, createdAt: { type: 'string', format: 'date-time' }, tags: { type: 'array', items: { type: 'string' } } },
    };
    definitions[`${model}List`] = { type: 'object', properties: { items: { type: 'array', items: { $ref: `#/definitions/${model}` } }, next: { type: 'string' } } };
    const base = `/v1/${noun}`;
    const item = `${base}/{id}`;
    const entries: Array<[string, Record<string, unknown>]> = [
      [base, {
        get: { operationId: `list${model}s`, parameters: [{ name: 'limit', in: 'query', required: false, type: 'string' }, { name: 'next', in: 'query', required: false, type: 'string' }], responses: ok(`${model}List`),
          'x-amazon-apigateway-integration': http('GET', base, { 'integration.request.querystring.limit': 'method.request.querystring.limit', 'integration.request.querystring.next': 'method.request.querystring.next' }) },
        post: { operationId: `create${model}`, parameters: [{ in: 'body', name: model, required: true, schema: { $ref: `#/definitions/${model}` } }], responses: ok(model),
          'x-amazon-apigateway-request-validator': 'body', 'x-amazon-apigateway-integration': mock(200, '{"id": "$context.requestId"}') },
      }],
      [item, {
        get: { operationId: `get${model}`, parameters: [pathParam('id')], responses: { ...ok(model), '404': { description: 'Not found', schema: { $ref: '#/definitions/Error' } } },
          'x-amazon-apigateway-integration': http('GET', `${base}/{id}`, { 'integration.request.path.id': 'method.request.path.id' }) },
        put: { operationId: `replace${model}`, parameters: [pathParam('id'), { in: 'body', name: model, required: true, schema: { $ref: `#/definitions/${model}` } }], responses: ok(model),
          'x-amazon-apigateway-integration': mock(200, `{"id": "$input.params('id')"}`) },
        delete: { operationId: `delete${model}`, parameters: [pathParam('id')], responses: { '204': { description: 'Deleted' } }, 'x-amazon-apigateway-integration': mock(204, '') },
      }],
      [`${item}/history`, { get: { operationId: `history${model}`, parameters: [pathParam('id')], responses: ok(`${model}List`), 'x-amazon-apigateway-integration': mock(200, '{"items": []}') } }],
      [`${item}/tags`, { get: { operationId: `tags${model}`, parameters: [pathParam('id')], responses: { '200': { description: 'OK' } }, 'x-amazon-apigateway-integration': mock(200, '[]') } }],
      [`${item}/tags/{tag}`, { put: { operationId: `tag${model}`, parameters: [pathParam('id'), pathParam('tag')], responses: { '200': { description: 'OK' } }, 'x-amazon-apigateway-integration': mock(200, `{"tag": "$input.params('tag')"}`) } }],
      [`${item}/archive`, { post: { operationId: `archive${model}`, parameters: [pathParam('id')], responses: { '200': { description: 'OK' } }, 'x-amazon-apigateway-integration': mock(200, '{"archived": true}') } }],
      [`${item}/restore`, { post: { operationId: `restore${model}`, parameters: [pathParam('id')], responses: { '200': { description: 'OK' } }, 'x-amazon-apigateway-integration': mock(200, '{"archived": false}') } }],
      [`${base}/search`, { get: { operationId: `search${model}s`, parameters: [{ name: 'q', in: 'query', required: true, type: 'string' }], responses: ok(`${model}List`),
        'x-amazon-apigateway-request-validator': 'params', 'x-amazon-apigateway-integration': mock(200, `{"q": "$input.params('q')", "items": []}`) } }],
      [`${base}/export`, { get: { operationId: `export${model}s`, produces: ['text/csv'], responses: { '200': { description: 'OK' } }, 'x-amazon-apigateway-integration': mock(200, 'id,name') } }],
      [`${base}/legacy/{proxy+}`, { 'x-amazon-apigateway-any-method': { parameters: [pathParam('proxy')], responses: {},
        'x-amazon-apigateway-integration': { type: 'http_proxy', httpMethod: 'ANY', uri: `http://\${stageVariables.backend}${base}/legacy/{proxy}`, requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' }, passthroughBehavior: 'when_no_match' } } }],
    ];
    for (const [p, item] of entries) {
      if (n++ >= count) break;
      paths[p] = item;
    }
  }
  return {
    swagger: '2.0',
    info: { title: `Platform${count}`, description: `A ${count}-path platform API (generated by test/openapi/corpus/generate-large.ts)`, version: '2026-02-01' },
    basePath: '/',
    schemes: ['https'],
    consumes: ['application/json'],
    produces: ['application/json'],
    paths,
    definitions,
    'x-amazon-apigateway-request-validators': {
      body: { validateRequestBody: true, validateRequestParameters: false },
      params: { validateRequestBody: false, validateRequestParameters: true },
    },
  };
}

if (import.meta.main) {
  const file = join(import.meta.dirname, 'large-500-paths.json');
  writeFileSync(file, `${JSON.stringify(largeDefinition(500), null, 2)}\n`);
  console.log(`wrote ${file}`);
}

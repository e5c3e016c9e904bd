// The rest-json protocol layer on its own: an AwsService over the official apigateway model with recording
// handlers, so routing, binding, validation, serialisation and error rendering are checked at the wire.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { AwsService, type ServiceEnv } from '../../src/aws/service.ts';
import { NotFoundException, UnknownOperationException } from '../../src/aws/errors.ts';
import type { OperationContext, OperationInput } from '../../src/aws/operation.ts';
import { SqliteStore } from '../../src/store/sqlite.ts';
import { tempDataDir } from '../helpers/temp.ts';

const calls: Array<{ op: string; input: OperationInput; region: string }> = [];
const record = (op: string, output: Record<string, unknown> | void = {}) => (input: OperationInput, ctx: OperationContext) => {
  calls.push({ op, input, region: ctx.region });
  return output;
};

const service = new AwsService({
  modelFile: 'apigateway-2015-07-09.json',
  maxBodyBytes: 1024 * 1024,
  unknownOperation: (m, p) => new UnknownOperationException(`No operation matches ${m} ${p}`),
  handlers: {
    CreateRestApi: record('CreateRestApi', { id: 'abc123defg', name: 'n', createdDate: new Date(1_700_000_000_500), binaryMediaTypes: ['image/png'] }),
    GetRestApis: record('GetRestApis', { items: [{ id: 'a1', name: 'one' }], position: 'next' }),
    DeleteRestApi: record('DeleteRestApi', undefined),
    ImportRestApi: record('ImportRestApi', { id: 'imported' }),
    PutRestApi: record('PutRestApi', { id: 'put' }),
    ImportApiKeys: record('ImportApiKeys', { ids: ['k1'], warnings: [] }),
    GetTags: record('GetTags', { tags: { a: 'b' } }),
    GetBasePathMapping: record('GetBasePathMapping', { basePath: '(none)' }),
    GetExport: record('GetExport', { contentType: 'application/yaml', contentDisposition: 'attachment; filename="x.yaml"', body: Buffer.from('openapi: 3.0.1\n') }),
    GetSdk: () => {
      throw new NotFoundException('Invalid stage identifier specified');
    },
    GetApiKeys: record('GetApiKeys', { items: [] }),
    GetGatewayResponse: record('GetGatewayResponse', {}),
    UpdateMethodResponse: record('UpdateMethodResponse', {}),
    GetResource: () => {
      throw new Error('boom');
    },
  },
});

let server: Server;
let base: string;
let store: SqliteStore;

before(async () => {
  store = new SqliteStore(tempDataDir());
  const env: ServiceEnv = { store, accountId: '123456789012', defaultRegion: 'us-east-1', services: {}, now: () => new Date() };
  server = createServer((req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    void service.handle(req, res, env, q === -1 ? url : url.slice(0, q), new URLSearchParams(q === -1 ? '' : url.slice(q + 1)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});

after(async () => {
  await new Promise((r) => server.close(r));
  await store.close();
});

async function call(method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, { method, body, headers: { 'content-type': 'application/json', ...headers } });
  const text = await res.text();
  const json = text && res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : undefined;
  return { status: res.status, headers: res.headers, text, json };
}

describe('routing', () => {
  test('routes by method and requestUri, answering the model responseCode', async () => {
    calls.length = 0;
    const r = await call('POST', '/restapis', JSON.stringify({ name: 'n' }));
    assert.equal(r.status, 201);
    assert.equal(calls[0]?.op, 'CreateRestApi');
    const d = await call('DELETE', '/restapis/abc');
    assert.equal(d.status, 202);
    assert.equal(d.text, '');
    assert.deepEqual(calls[1]?.input, { restApiId: 'abc' });
  });

  test('a fixed query in the requestUri tells ImportRestApi from CreateRestApi and ImportApiKeys from CreateApiKey', async () => {
    calls.length = 0;
    await call('POST', '/restapis?mode=import&failonwarnings=true', 'swagger: "2.0"');
    await call('POST', '/apikeys?mode=import&format=csv', 'Name,Key\nk,aaaaaaaaaaaaaaaaaaaaaaaa\n', { 'content-type': 'text/csv' });
    assert.equal(calls[0]?.op, 'ImportRestApi');
    assert.equal(calls[0]?.input.failOnWarnings, true);
    assert.ok(Buffer.isBuffer(calls[0]?.input.body));
    assert.equal((calls[0]?.input.body as Buffer).toString(), 'swagger: "2.0"');
    assert.equal(calls[1]?.op, 'ImportApiKeys');
    assert.equal(calls[1]?.input.format, 'csv');
  });

  test('a label holding %2F stays one label (tag ARNs), (none) arrives decoded', async () => {
    calls.length = 0;
    await call('GET', '/tags/arn%3Aaws%3Aapigateway%3Aus-east-1%3A%3A%2Frestapis%2Fabc');
    assert.equal(calls[0]?.input.resourceArn, 'arn:aws:apigateway:us-east-1::/restapis/abc');
    await call('GET', '/domainnames/api.example.com/basepathmappings/%28none%29');
    assert.deepEqual(calls[1]?.input, { domainName: 'api.example.com', basePath: '(none)' });
  });

  test('PutRestApi is told from CreateRestApi by method and its query maps are free-form', async () => {
    calls.length = 0;
    await call('PUT', '/restapis/abc?mode=overwrite&endpointConfigurationTypes=REGIONAL&basepath=ignore', '{}');
    assert.equal(calls[0]?.op, 'PutRestApi');
    assert.equal(calls[0]?.input.mode, 'overwrite');
    assert.deepEqual(calls[0]?.input.parameters, { endpointConfigurationTypes: 'REGIONAL', basepath: 'ignore' });
  });

  test('unknown operations and malformed percent-encoding are AWS-shaped 4xx', async () => {
    const r = await call('GET', '/no/such/thing');
    assert.equal(r.status, 404);
    assert.equal(r.headers.get('x-amzn-errortype'), 'UnknownOperationException');
    assert.deepEqual(r.json, { message: 'No operation matches GET /no/such/thing' });
    const bad = await call('GET', '/restapis/%E0%A4%A');
    assert.equal(bad.status, 400);
    assert.equal(bad.headers.get('x-amzn-errortype'), 'SerializationException');
  });
});

describe('input binding and validation', () => {
  test('region comes from the SigV4 credential scope', async () => {
    calls.length = 0;
    await call('POST', '/restapis', '{"name":"n"}', {
      authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-3/apigateway/aws4_request, SignedHeaders=host, Signature=abc',
    });
    assert.equal(calls[0]?.region, 'eu-west-3');
  });

  test('missing required members and bad enums are ValidationException with AWS texts', async () => {
    const r = await call('POST', '/restapis', JSON.stringify({ apiKeySource: 'NOPE' }));
    assert.equal(r.status, 400);
    assert.equal(r.headers.get('x-amzn-errortype'), 'ValidationException');
    assert.equal(
      r.json.message,
      "2 validation errors detected: Value null at 'createRestApiInput.name' failed to satisfy constraint: Member must not be null; " +
        "Value 'NOPE' at 'createRestApiInput.apiKeySource' failed to satisfy constraint: Member must satisfy enum value set: [HEADER, AUTHORIZER]",
    );
  });

  test('nested enums name their path', async () => {
    const r = await call('POST', '/restapis', JSON.stringify({ name: 'n', endpointConfiguration: { types: ['EDGY'] } }));
    assert.equal(r.status, 400);
    assert.equal(
      r.json.message,
      "1 validation error detected: Value '[EDGY]' at 'createRestApiInput.endpointConfiguration.types' failed to satisfy constraint: " +
        'Member must satisfy constraint: [Member must satisfy enum value set: [REGIONAL, EDGE, PRIVATE]]',
    );
  });

  test('body members are reported before path labels', async () => {
    const r = await call('PATCH', '/restapis/a/resources/r/methods/GET/responses/wrong', JSON.stringify({ patchOperations: [{ op: 'wrong_op', path: '/x' }] }));
    assert.equal(r.status, 400);
    assert.equal(
      r.json.message,
      "2 validation errors detected: Value 'wrong_op' at 'updateMethodResponseInput.patchOperations.1.member.op' failed to satisfy constraint: " +
        'Member must satisfy enum value set: [add, remove, replace, move, copy, test]; ' +
        "Value 'wrong' at 'statusCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [1-5]\\d\\d",
    );
  });

  test('path labels are named bare (model enum order without overrides)', async () => {
    const r = await call('GET', '/restapis/a/gatewayresponses/NOPE');
    assert.equal(r.status, 400);
    assert.equal(
      r.json.message,
      "1 validation error detected: Value 'NOPE' at 'responseType' failed to satisfy constraint: Member must satisfy enum value set: [" +
        'DEFAULT_4XX, DEFAULT_5XX, RESOURCE_NOT_FOUND, UNAUTHORIZED, INVALID_API_KEY, ACCESS_DENIED, AUTHORIZER_FAILURE, ' +
        'AUTHORIZER_CONFIGURATION_ERROR, INVALID_SIGNATURE, EXPIRED_TOKEN, MISSING_AUTHENTICATION_TOKEN, INTEGRATION_FAILURE, ' +
        'INTEGRATION_TIMEOUT, API_CONFIGURATION_ERROR, UNSUPPORTED_MEDIA_TYPE, BAD_REQUEST_PARAMETERS, BAD_REQUEST_BODY, ' +
        'REQUEST_TOO_LARGE, THROTTLED, QUOTA_EXCEEDED, WAF_FILTERED]',
    );
  });

  test('wrong JSON types are SerializationException', async () => {
    for (const [body, message] of [
      [{ name: 5 }, 'class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String'],
      [{ name: true }, 'class java.lang.Boolean can not be converted to an String'],
      [{ name: 'n', minimumCompressionSize: 'big' }, 'class java.lang.String can not be converted to an Integer'],
      [{ name: 'n', disableExecuteApiEndpoint: 'yes' }, 'class java.lang.String can not be converted to an Boolean'],
      [{ name: 'n', binaryMediaTypes: 'image/png' }, 'class java.lang.String can not be converted to an List'],
      [{ name: { a: 1 } }, 'Start of structure or map found where not expected.'],
      [{ name: 'n', tags: ['a'] }, 'Start of list found where not expected.'],
    ] as const) {
      const r = await call('POST', '/restapis', JSON.stringify(body));
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.headers.get('x-amzn-errortype'), 'SerializationException');
      assert.equal(r.json.message, message);
    }
  });

  test('malformed JSON and a non-object body are SerializationException', async () => {
    const r = await call('POST', '/restapis', '{"name":');
    assert.equal(r.status, 400);
    assert.equal(r.headers.get('x-amzn-errortype'), 'SerializationException');
    const arr = await call('POST', '/restapis', '[1]');
    assert.equal(arr.status, 400);
    assert.equal(arr.headers.get('x-amzn-errortype'), 'SerializationException');
  });

  test('query integers and booleans are converted, bad ones refused', async () => {
    calls.length = 0;
    await call('GET', '/apikeys?limit=5&includeValues=true&name=x');
    assert.deepEqual(calls[0]?.input, { limit: 5, includeValues: true, nameQuery: 'x' });
    const r = await call('GET', '/apikeys?limit=five');
    assert.equal(r.status, 400);
    assert.equal(r.headers.get('x-amzn-errortype'), 'SerializationException');
  });

  test('oversized bodies are refused with 413', async () => {
    const r = await call('POST', '/restapis', Buffer.alloc(2 * 1024 * 1024, 32));
    assert.equal(r.status, 413);
    assert.equal(r.headers.get('x-amzn-errortype'), 'RequestEntityTooLargeException');
  });
});

describe('output serialisation', () => {
  test('timestamps are epoch seconds, lists are item/position, every answer has a request id', async () => {
    const r = await call('POST', '/restapis', '{"name":"n"}');
    assert.deepEqual(r.json, { id: 'abc123defg', name: 'n', createdDate: 1_700_000_000.5, binaryMediaTypes: ['image/png'] });
    assert.match(r.headers.get('x-amzn-requestid') ?? '', /^[0-9a-f-]{36}$/);
    const l = await call('GET', '/restapis');
    assert.deepEqual(l.json, { item: [{ id: 'a1', name: 'one' }], position: 'next' });
  });

  test('blob payloads keep their content type and disposition headers', async () => {
    const r = await call('GET', '/restapis/a/stages/s/exports/oas30', undefined, { accept: 'application/yaml' });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/yaml');
    assert.equal(r.headers.get('content-disposition'), 'attachment; filename="x.yaml"');
    assert.equal(r.text, 'openapi: 3.0.1\n');
  });

  test('handler errors keep their type; unexpected exceptions are a 500 that leaks nothing', async () => {
    const nf = await call('GET', '/restapis/a/stages/s/sdks/javascript');
    assert.equal(nf.status, 404);
    assert.equal(nf.headers.get('x-amzn-errortype'), 'NotFoundException');
    assert.deepEqual(nf.json, { message: 'Invalid stage identifier specified' });
    const original = console.error;
    console.error = () => {};
    try {
      const boom = await call('GET', '/restapis/a/resources/r');
      assert.equal(boom.status, 500);
      assert.equal(boom.headers.get('x-amzn-errortype'), 'InternalFailure');
      assert.deepEqual(boom.json, { message: 'Internal server error' });
    } finally {
      console.error = original;
    }
  });
});

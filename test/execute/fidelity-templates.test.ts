// Mapping templates as AWS records them, over HTTP through deployed APIs: $context.requestOverride and
// responseOverride carried from the MOCK request template to the response template (and applied without one),
// map property assignment (#set($m.a.b = …)), empty request bodies, and $util. Expected values marked "recorded"
// come from LocalStack's AWS-validated snapshots (tests/aws/services/apigateway/test_apigateway_integrations and
// test_apigateway_common .snapshot.json); the others from the API Gateway developer guide as cited.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiBuilder, startEcho, startGatehouse, type EchoServer } from './helpers.ts';
import type { Running } from '../helpers/gatehouse.ts';

describe('mapping templates as recorded on AWS', () => {
  let gh: Running;
  let api: ApiBuilder;
  let echo: EchoServer;
  const mockOk = { type: 'MOCK' as const, requestTemplates: { 'application/json': '{"statusCode": 200}' } };

  before(async () => {
    gh = await startGatehouse();
    echo = await startEcho();
    api = await ApiBuilder.create(gh);

    // test_integration_mock_with_request_overrides_in_response_template: data passed from the request template to
    // the response template through $context.requestOverride.path.
    await api.method(
      '/req-override/{testPath}',
      'GET',
      {
        type: 'MOCK',
        requestTemplates: {
          'application/json': [
            "#set($body = $util.base64Decode($input.params('testPath')))",
            '#set($context.requestOverride.path.body = $body)',
            '{',
            '  "statusCode": 200',
            '}',
          ].join('\n'),
        },
      },
      {
        responses: [{
          statusCode: '200',
          selectionPattern: '2\\d{2}',
          responseTemplates: {
            'application/json': [
              '#set($body = $util.parseJson($context.requestOverride.path.body))',
              '#set($inputBody = $body.message)',
              '#if($inputBody == "path1")',
              '{"response": "path was path one"}',
              '#elseif($inputBody == "path2")',
              '{"response": "path was path two"}',
              '#else',
              '{"response": "this is the else clause"}',
              '#end',
            ].join('\n'),
          },
        }],
      },
    );

    // test_integration_mock_with_response_override_in_request_template[True|False].
    const overridingRequest = {
      type: 'MOCK' as const,
      requestTemplates: {
        'application/json': [
          '#set($context.responseOverride.status = 444)',
          '#set($context.responseOverride.header.foo = "bar")',
          '#set($context.responseOverride.custom = "is also passed around")',
          '{',
          '  "statusCode": 200',
          '}',
        ].join('\n'),
      },
    };
    await api.method('/res-override/with-template', 'GET', overridingRequest, {
      responses: [{
        statusCode: '200',
        selectionPattern: '2\\d{2}',
        responseTemplates: {
          'application/json': [
            '#set($statusOverride = $context.responseOverride.status)',
            '#set($fooHeader = $context.responseOverride.header.foo)',
            '#set($custom = $context.responseOverride.custom)',
            '{',
            '    "statusOverride": "$statusOverride",',
            '    "fooHeader": "$fooHeader",',
            '    "custom": "$custom"',
            '}',
          ].join('\n'),
        },
      }],
    });
    await api.method('/res-override/no-template', 'GET', overridingRequest, {
      responses: [{ statusCode: '200', selectionPattern: '2\\d{2}', responseTemplates: {} }],
    });

    // test_integration_mock_with_vtl_map_assignation.
    await api.method(
      '/map-assignation',
      'GET',
      {
        type: 'MOCK',
        requestTemplates: {
          'application/json': [
            '#set($paramName = "foo")',
            '#set($context.requestOverride.querystring[$paramName] = "bar")',
            '#set($paramPutName = "putfoo")',
            '$context.requestOverride.querystring.put($paramPutName, "putBar")',
            '#set($context["requestOverride"].querystring["nestedfoo"] = "nestedFoo")',
            '{',
            '  "statusCode": 200',
            '}',
          ].join('\n'),
        },
      },
      {
        responses: [{
          statusCode: '200',
          selectionPattern: '2\\d{2}',
          responseTemplates: {
            'application/json': [
              '#set($value = $context.requestOverride.querystring["foo"])',
              '#set($value2 = $context.requestOverride.querystring["putfoo"])',
              '#set($value3 = $context.requestOverride.querystring["nestedfoo"])',
              '{"value": "$value", "value2": "$value2", "value3": "$value3"}',
            ].join('\n'),
          },
        }],
      },
    );

    // A response override replaces a header the method response maps, and sets a status no method response has.
    await api.method('/header-override', 'GET', mockOk, {
      responses: [{
        statusCode: '200',
        methodHeaders: ['X-Static'],
        responseParameters: { 'method.response.header.X-Static': "'mapped'" },
        responseTemplates: {
          'application/json': '#set($context.responseOverride.header.X-Static = "overridden")#set($context.responseOverride.status = 299){}',
        },
      }],
    });
    // "Overrides are final ... If you try to override the same parameter multiple times, API Gateway returns a 5XX
    // response." (developer guide, apigateway-override-request-response-parameters)
    await api.method('/override-twice', 'GET', mockOk, {
      responses: [{
        statusCode: '200',
        responseTemplates: { 'application/json': '#set($context.responseOverride.status = 400)#set($context.responseOverride.status = 401){}' },
      }],
    });
    // A request template that outgrows its inline slice renders in the render pool: its overrides travel the same.
    await api.method(
      '/pooled-override',
      'GET',
      {
        type: 'MOCK',
        requestTemplates: {
          'application/json': '#foreach($i in [1..1000])#foreach($j in [1..300])#set($x = $j)#end#end#set($context.responseOverride.status = 203)#set($context.responseOverride.header.X-Pooled = "$x"){"statusCode": 200}',
        },
      },
      { responses: [{ statusCode: '200' }] },
    );

    // #set($m.key = …) on maps, nested, as Velocity 1.7 does (golden cases fid-001 … fid-030).
    await api.method('/map-set', 'GET', mockOk, {
      responses: [{
        statusCode: '200',
        responseTemplates: {
          'application/json': [
            '#set($m = {})',
            '#set($m.name = $input.params("name"))',
            '#set($m.inner = {})',
            '#set($m.inner.level = {})',
            '#set($m.inner.level.deep = 3)',
            '#set($m.missing.child = "ignored")',
            '#set($m.X-Key = "hyphen")',
            '#set($key = "dyn")',
            '#set($m.inner[$key] = true)',
            '$m|$m.inner.level.deep|$m.X-Key',
          ].join(''),
        },
      }],
      method: { requestParameters: { 'method.request.querystring.name': false } },
    });

    // Empty request bodies (test_input_body_formatting): what reaches an HTTP backend after the template.
    await api.method('/empty-body', 'POST', {
      type: 'HTTP',
      integrationHttpMethod: 'POST',
      uri: `${echo.url}/empty`,
      requestTemplates: {
        'application/json': "Action=SendMessage&MessageBody=$input.body|EncodedBody=$util.urlEncode($input.body)&EncodedBodyAccess=$util.urlEncode($input.body.testAccess)|json=$input.json('$')|path=$input.path('$')|size=$input.path('$').size()",
      },
    }, { responses: [{ statusCode: '200', responseTemplates: { 'application/json': '$input.body' } }] });

    // $util over HTTP: each function, and a failing one (500, as a Java exception in a template is).
    await api.method('/util', 'GET', mockOk, {
      method: { requestParameters: { 'method.request.querystring.b64': false, 'method.request.querystring.enc': false } },
      responses: [{
        statusCode: '200',
        responseTemplates: {
          'application/json': [
            "#set($decoded = $util.base64Decode($input.params('b64')))",
            '{"decoded": "$util.escapeJavaScript($decoded)",',
            '"reencoded": "$util.base64Encode($decoded)",',
            '"url": "$util.urlEncode($decoded)",',
            '"back": "$util.escapeJavaScript($util.urlDecode($util.urlEncode($decoded)))",',
            `"parsed": "$util.parseJson('{"a": [1, {"b": "c"}]}').a[1].b",`,
            // The guide's advice: escaped single quotes are not JSON, turn them back.
            `"escaped": "$util.escapeJavaScript("it's </tag>").replaceAll("\\\\'", "'")"}`,
          ].join('\n'),
        },
      }],
    });
    await api.method('/util-error', 'GET', mockOk, {
      method: { requestParameters: { 'method.request.querystring.b64': false } },
      responses: [{ statusCode: '200', responseTemplates: { 'application/json': "[$util.base64Decode($input.params('b64'))]" } }],
    });

    await api.deploy('dev');
  });

  after(async () => {
    await gh.stop();
    await echo.close();
  });

  test('recorded: the response template reads what the request template put in $context.requestOverride.path', async () => {
    const pathOf = (message: string) => Buffer.from(JSON.stringify({ message })).toString('base64');
    const one = await api.invoke('dev', `/req-override/${pathOf('path1')}`);
    assert.equal(one.status, 200);
    assert.deepEqual(one.json(), { response: 'path was path one' });
    assert.deepEqual((await api.invoke('dev', `/req-override/${pathOf('path2')}`)).json(), { response: 'path was path two' });
    assert.deepEqual((await api.invoke('dev', `/req-override/${pathOf('whatever')}`)).json(), { response: 'this is the else clause' });
  });

  test('recorded: a response override set by the MOCK request template is read by the response template and applied', async () => {
    const r = await api.invoke('dev', '/res-override/with-template');
    assert.equal(r.status, 444);
    assert.equal(r.headers.foo, 'bar');
    assert.deepEqual(r.json(), { statusOverride: '444', fooHeader: 'bar', custom: 'is also passed around' });
  });

  test('recorded: ... and applied when the integration response has no template (empty MOCK body)', async () => {
    const r = await api.invoke('dev', '/res-override/no-template');
    assert.equal(r.status, 444);
    assert.equal(r.headers.foo, 'bar');
    assert.equal(r.body, '');
    // The custom key is carried, never applied as a header.
    assert.equal(r.headers.custom, undefined);
  });

  test('recorded: map assignment by index, put() and a nested index reach the response template', async () => {
    const r = await api.invoke('dev', '/map-assignation');
    assert.equal(r.status, 200);
    assert.deepEqual(r.json(), { value: 'bar', value2: 'putBar', value3: 'nestedFoo' });
  });

  test('a response override replaces a mapped method response header and sets a status without a method response', async () => {
    const r = await api.invoke('dev', '/header-override');
    assert.equal(r.status, 299);
    assert.equal(r.headers['x-static'], 'overridden');
    assert.equal(r.body, '{}');
  });

  test('overriding the same parameter twice in a template is a 5XX', async () => {
    const r = await api.invoke('dev', '/override-twice');
    assert.equal(r.status, 500);
    assert.equal(r.body, '{"message": "Internal server error"}');
    assert.equal(r.headers['x-amzn-errortype'], 'InternalServerErrorException');
    const health = await fetch(`${gh.endpoint}/_gatehouse/health`);
    assert.equal(health.status, 200);
  });

  test('overrides set by a template rendered in the render pool apply the same way', async () => {
    const r = await api.invoke('dev', '/pooled-override');
    assert.equal(r.status, 203);
    assert.equal(r.headers['x-pooled'], '300');
  });

  test('#set($m.key = …) on maps, nested; a missing intermediate map sets nothing (Velocity 1.7)', async () => {
    const r = await api.invoke('dev', '/map-set?name=ada');
    assert.equal(r.status, 200);
    assert.equal(r.body, '{name=ada, inner={level={deep=3}, dyn=true}, X-Key=hyphen}|3|hyphen');
  });

  test('recorded: an empty body is {} for $input.body, $input.json and $input.path; a null $util argument renders nothing', async () => {
    for (const headers of [{ 'content-type': 'application/json' }, {}] as Record<string, string>[]) {
      const before = echo.requests.length;
      const r = await api.invoke('dev', '/empty-body', { method: 'POST', headers });
      assert.equal(r.status, 200);
      const sent = echo.requests[before]!;
      assert.equal(sent.body, 'Action=SendMessage&MessageBody={}|EncodedBody=%7B%7D&EncodedBodyAccess=|json={}|path={}|size=0');
    }
    // A body is what was sent.
    const before = echo.requests.length;
    await api.invoke('dev', '/empty-body', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"some": "value"}' });
    assert.equal(echo.requests[before]!.body,
      'Action=SendMessage&MessageBody={"some": "value"}|EncodedBody=%7B%22some%22%3A+%22value%22%7D&EncodedBodyAccess=|json={"some":"value"}|path={some=value}|size=1');
  });

  test('$util functions with Java semantics', async () => {
    const b64 = Buffer.from('a b+c/é&x=1 😀').toString('base64');
    const r = await api.invoke('dev', `/util?b64=${encodeURIComponent(b64)}`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json(), {
      decoded: 'a b+c/é&x=1 😀',
      reencoded: b64,
      url: 'a+b%2Bc%2F%C3%A9%26x%3D1+%F0%9F%98%80',
      back: 'a b+c/é&x=1 😀',
      parsed: 'c',
      escaped: "it's </tag>",
    }, r.body);
  });

  test('a $util function that throws in Java fails the request with 500 and leaves the server healthy', async () => {
    const ok = await api.invoke('dev', '/util-error?b64=YQ');
    assert.equal(ok.status, 200);
    assert.equal(ok.body, '[a]');
    const bad = await api.invoke('dev', '/util-error?b64=YQ%3D');
    assert.equal(bad.status, 500);
    assert.equal(bad.body, '{"message": "Internal server error"}');
    const health = await fetch(`${gh.endpoint}/_gatehouse/health`);
    assert.equal(health.status, 200);
  });
});

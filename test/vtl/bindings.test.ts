import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { base64Decode, base64Encode, escapeJavaScript, urlDecode, urlEncode } from '../../src/vtl/bindings/util.ts';
import { JavaException, VtlRuntimeError } from '../../src/vtl/errors.ts';
import { expectVtl } from './expect-vtl.ts';

describe('$util', () => {
  test('escapeJavaScript: commons-lang 2 rules (quotes, slash, controls, non-ASCII as upper-case \\u)', () => {
    assert.equal(escapeJavaScript(`it's "x" a/b c\\d`), `it\\'s \\"x\\" a\\/b c\\\\d`);
    assert.equal(escapeJavaScript('\b\t\n\f\r\u0001\u001f\u007f'), '\\b\\t\\n\\f\\r\\u0001\\u001F\u007f');
    assert.equal(escapeJavaScript('é€😀'), '\\u00E9\\u20AC\\uD83D\\uDE00');
  });
  test('urlEncode: java.net.URLEncoder (space as +, *._- kept, UTF-8 bytes)', () => {
    assert.equal(urlEncode("a b&c=d/é*~._-!'()"), 'a+b%26c%3Dd%2F%C3%A9*%7E._-%21%27%28%29');
    assert.equal(urlEncode('😀'), '%F0%9F%98%80');
    assert.equal(urlEncode('\ud800'), '%3F');
  });
  test('urlDecode: java.net.URLDecoder, malformed escapes throw', () => {
    assert.equal(urlDecode('a+b%26%C3%A9%7e'), 'a b&é~');
    assert.throws(() => urlDecode('100%'), JavaException);
    assert.throws(() => urlDecode('%zz'), JavaException);
  });
  test('urlDecode: escapes parsed as Integer.parseInt(xx, 16) does (a sign is accepted), bytes decoded as Java does', () => {
    assert.equal(urlDecode('%+1|%-0'), '\u0001|\u0000');
    assert.throws(() => urlDecode('%-1'), (e) => e instanceof JavaException && /negative value/.test(e.message));
    assert.throws(() => urlDecode('%4'), (e) => e instanceof JavaException && /Incomplete trailing escape/.test(e.message));
    assert.throws(() => urlDecode('%zz'), (e) => e instanceof JavaException && e.message === 'URLDecoder: Illegal hex characters in escape (%) pattern - Error at index 0 in: "zz"');
    // Java's UTF-8 decoder: an encoded surrogate is one U+FFFD, a truncated sequence at the end one U+FFFD.
    assert.equal(urlDecode('%ED%A0%80|%E2%82'), '\ufffd|\ufffd');
    assert.equal(urlDecode('%F0%9F%98%80%C3%A9'), '😀é');
  });
  test('base64Decode: java.util.Base64 basic decoder, with its messages', () => {
    assert.equal(base64Decode('SGVsbG8='), 'Hello');
    assert.equal(base64Decode('SGVsbG8'), 'Hello');
    assert.equal(base64Decode(''), '');
    const fails = (input: string, message: string) =>
      assert.throws(() => base64Decode(input), (e) => e instanceof JavaException && e.javaClass === 'java.lang.IllegalArgumentException' && e.message === message);
    fails('SGV sbG8=', 'Illegal base64 character 20');
    fails('SGVsbG8==', 'Input byte array has incorrect ending byte at 8');
    fails('Y', 'Input byte[] should at least have 2 bytes for base64 bytes');
    fails('YQ=', 'Input byte array has wrong 4-byte ending unit');
    fails('YWJjZ', 'Last unit does not have enough valid bits');
    fails('_-8', 'Illegal base64 character 5f');
    fails('aé', 'Illegal base64 character -17');
    // Bytes that are not UTF-8 become U+FFFD as Java's new String(bytes, UTF_8) makes them.
    assert.equal(base64Decode('/w=='), '\ufffd');
    assert.equal(base64Decode('7aCA'), '\ufffd');
  });
  test('base64Encode: the UTF-8 bytes of String.getBytes (a lone surrogate is "?")', () => {
    assert.equal(base64Encode('hé😀'), 'aMOp8J+YgA==');
    assert.equal(base64Encode('\ud800x'), 'P3g=');
  });
  test('parseJson gives Java maps and lists; invalid JSON is a render error', () => {
    expectVtl(`#set($j = $util.parseJson('{"a":[1,2.0]}'))$j $j.a[1]`).toRender('{a=[1, 2.0]} 2.0');
    expectVtl(`$util.parseJson('{bad')`).toThrow((e) => e instanceof Error && /MethodInvocationException|parseJson|JsonParse/.test(`${(e as { javaException?: string }).javaException} ${(e as Error).message}`));
  });
  test('a non-string argument finds no method (null)', () => {
    expectVtl('[$util.urlEncode(5)]').toRender('[]');
  });
  test('a null argument gives null on API Gateway (recorded for urlEncode), NullPointerException in plain Java', () => {
    const all = '[$util.urlEncode($n)][$util.urlDecode($n)][$util.base64Encode($n)][$util.base64Decode($n)][$util.parseJson($n)][$util.escapeJavaScript($n)]';
    expectVtl(all).toRender('[][][][][][]');
    expectVtl('[$util.urlEncode($n)]').withOptions({ dialect: 'velocity' })
      .toThrow((e) => e instanceof VtlRuntimeError && /NullPointerException/.test(e.message));
    expectVtl('[$util.escapeJavaScript($n)]').withOptions({ dialect: 'velocity' }).toRender('[$util.escapeJavaScript($n)]');
  });
});

describe('$input', () => {
  const params = { path: { id: 'p' }, querystring: { id: 'q', only: 'qs' }, header: { id: 'h', 'X-H': 'hv' } };
  test('params(x) looks in path, then query string, then header', () => {
    expectVtl("$input.params('id') $input.params('only') $input.params('X-H') [$input.params('none')]").withParams(params).toRender('p qs hv []');
  });
  test('params() is the three maps', () => {
    expectVtl('$input.params()').withParams(params).toRender('{path={id=p}, querystring={id=q, only=qs}, header={id=h, X-H=hv}}');
  });
  test('body, json and path', () => {
    expectVtl("$input.body|$input.json('$.a')|$input.path('$.a').b|$input.json('$.x')").withBody('{"a":{"b":1.0}}').toRender('{"a":{"b":1.0}}|{"b":1.0}|1.0|null');
  });
  test('a body that is not JSON gives null paths', () => {
    expectVtl("[$input.path('$')][$input.json('$')]").withBody('a=b').toRender('[][null]');
  });
  test('changing a path result does not change the body seen by later calls', () => {
    expectVtl("#set($r = $input.path('$'))#set($r.x = 2)$input.json('$') $r.x").withBody('{"a":1}').toRender('{"a":1} 2');
    expectVtl("#set($l = $input.path('$.l'))#set($ok = $l.add(3))$input.path('$.l') $l").withBody('{"l":[1]}').toRender('[1] [1,3]');
  });
});

describe('$context and $stageVariables', () => {
  const context = { stage: 'prod', identity: { sourceIp: '1.2.3.4', caller: null }, authorizer: { claims: { sub: 'u1' } }, requestTimeEpoch: 1700000000000 };
  test('nested variables, null ones render as nothing', () => {
    expectVtl('$context.stage $context.identity.sourceIp [$context.identity.caller] $context.authorizer.claims.sub $context.requestTimeEpoch')
      .withContext(context).toRender('prod 1.2.3.4 [] u1 1700000000000');
  });
  test('keySet and iteration keep the order the data plane gave', () => {
    expectVtl('#foreach($k in $context.identity.keySet())$k,#end').withContext(context).toRender('sourceIp,caller,');
  });
  test('stage variables', () => {
    expectVtl('$stageVariables.url $stageVariables').withStageVariables({ url: 'example.com', v: '2' }).toRender('example.com {url=example.com, v=2}');
  });
  test('requestOverride and responseOverride are read back after rendering', () => {
    const r = expectVtl(
      '#set($context.requestOverride.header.X-Trace = "t-1")#set($context.requestOverride.querystring.page = 2)' +
        '#set($context.requestOverride.path.id = "9")#set($context.responseOverride.status = 418)' +
        '#set($context.responseOverride.header.Cache-Control = "no-store")ok',
    ).withContext(context).toRender('ok');
    assert.deepEqual({ ...r.requestOverride.header }, { 'X-Trace': 't-1' });
    assert.deepEqual({ ...r.requestOverride.querystring }, { page: '2' });
    assert.deepEqual({ ...r.requestOverride.path }, { id: '9' });
    assert.equal(r.responseOverride.status, 418);
    assert.deepEqual({ ...r.responseOverride.header }, { 'Cache-Control': 'no-store' });
  });
  test('no overrides when the template sets none', () => {
    const r = expectVtl('$context.stage').withContext(context).toRender('prod');
    assert.deepEqual({ ...r.requestOverride.header }, {});
    assert.equal(r.responseOverride.status, null);
  });
  test('overrides can be read in the template after they are set', () => {
    expectVtl('#set($context.responseOverride.status = 400)$context.responseOverride.status').withContext(context).toRender('400');
  });
});

describe('overrides are final', () => {
  test('setting the same override twice fails the render (API Gateway answers 5XX)', () => {
    for (const src of [
      '#set($context.responseOverride.status = 400)#set($context.responseOverride.status = 500)',
      '#set($context.requestOverride.header.X = "a")#set($context.requestOverride.header.X = "b")',
      '#set($context.requestOverride.querystring.q = "a")$context.requestOverride.querystring.put("q", "b")',
      '#set($context.requestOverride.header = {})',
    ]) {
      expectVtl(src).withContext({}).toThrow((e) => e instanceof VtlRuntimeError && /overrides are final|cannot be replaced/.test(e.message));
    }
  });
  test('the data plane context (as buildContext gives it, with empty override maps) is final too', () => {
    const dataPlane = { requestOverride: { header: {}, path: {}, querystring: {} }, responseOverride: { header: {} } };
    expectVtl('#set($context.responseOverride.header.X = "a")#set($context.responseOverride.header.X = "b")').withContext(dataPlane)
      .toThrow((e) => e instanceof VtlRuntimeError && /overrides are final/.test(e.message));
  });
  test('what an earlier template set is read, carried in the result, and may be overridden once', () => {
    const carried = {
      requestOverride: { header: { 'X-A': 'a' }, querystring: { foo: 'bar' }, path: { body: '{"m":1}' } },
      responseOverride: { header: { foo: 'bar' }, status: 444, custom: 'is also passed around' },
    };
    const r = expectVtl('$context.responseOverride.status $context.responseOverride.header.foo $context.responseOverride.custom ' +
      '$context.requestOverride.querystring["foo"] $util.parseJson($context.requestOverride.path.body).m')
      .withContext(carried).toRender('444 bar is also passed around bar 1');
    assert.equal(r.responseOverride.status, 444);
    assert.deepEqual({ ...r.responseOverride.header }, { foo: 'bar' });
    assert.deepEqual({ ...r.responseOverride.others }, { custom: 'is also passed around' });
    assert.deepEqual({ ...r.requestOverride.querystring }, { foo: 'bar' });
    const again = expectVtl('#set($context.responseOverride.status = 200)#set($context.responseOverride.header.foo = "baz")ok')
      .withContext(carried).toRender('ok');
    assert.equal(again.responseOverride.status, 200);
    assert.deepEqual({ ...again.responseOverride.header }, { foo: 'baz' });
    expectVtl('#set($context.responseOverride.status = 200)#set($context.responseOverride.status = 201)').withContext(carried)
      .toThrow((e) => e instanceof VtlRuntimeError && /overrides are final/.test(e.message));
  });
  test('different names are separate overrides', () => {
    const r = expectVtl('#set($context.requestOverride.header.A = "1")#set($context.requestOverride.header.B = "2")').withContext({}).toRender('');
    assert.deepEqual({ ...r.requestOverride.header }, { A: '1', B: '2' });
  });
  test('the documented example: status from the integration response body', () => {
    const src = '#set($inputRoot = $input.path(\'$\'))\n$input.json("$")\n#if($inputRoot.toString().contains("error"))\n#set($context.responseOverride.status = "400")\n#end';
    const r = expectVtl(src).withBody('{"errors":[{"key":"GetPetRequest.petId","message":"The value is out of range."}]}').withContext({})
      .toRender('{"errors":[{"key":"GetPetRequest.petId","message":"The value is out of range."}]}\n');
    assert.equal(r.responseOverride.status, 400);
  });
});

describe('$input as API Gateway reads the body', () => {
  test('arrays from $input.path print as json-smart JSON; maps stay Java-style', () => {
    expectVtl("$input.path('$.t')|$input.path('$')|$input.path('$.t[*]')").withBody('{"t":["a/b",{"k":1.0}],"m":{"x":1}}')
      .toRender('["a\\/b",{"k":1.0}]|{t=["a\\/b",{"k":1.0}], m={x=1}}|["a\\/b",{"k":1.0}]');
  });
  test('in plain Velocity they print as ArrayLists', () => {
    expectVtl("$input.path('$.t')").withBody('{"t":["a/b",1]}').withOptions({ dialect: 'velocity' }).toRender('[a/b, 1]');
  });
  test('an empty body is the empty object: $input.body is {} (recorded on AWS), and so are json and path', () => {
    expectVtl("[$input.body][$input.getBody()]$input.json('$')$input.path('$')").withBody('').toRender('[{}][{}]{}{}');
    // LocalStack's test_input_body_formatting (recorded on AWS): `MessageBody=$input.body` of an empty POST.
    expectVtl('Action=SendMessage&MessageBody=$input.body').withBody('').toRender('Action=SendMessage&MessageBody={}');
    expectVtl('EncodedBody=$util.urlEncode($input.body)&EncodedBodyAccess=$util.urlEncode($input.body.testAccess)').withBody('')
      .toRender('EncodedBody=%7B%7D&EncodedBodyAccess=');
    expectVtl("[$input.path('$.a')][$input.json('$.a')]").withBody('').toRender('[][null]');
    // Only the empty body: a blank one is text as sent.
    expectVtl('[$input.body]').withBody(' ').toRender('[ ]');
    expectVtl("$input.json('$')").withBody('').withOptions({ dialect: 'velocity' }).toRender('null');
    expectVtl('[$input.body]').withBody('').withOptions({ dialect: 'velocity' }).toRender('[]');
  });
});

// Hostile templates: a mapping template is user code running inside the gateway. It may only reach the
// allow-listed Java members and its bound variables; it cannot reach JS prototypes, constructors or globals,
// cannot pollute prototypes, and cannot make a render run or grow without bound.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { VtlLimitError, VtlRuntimeError, VtlSyntaxError, compileTemplate } from '../../src/vtl/index.ts';
import { expectVtl } from './expect-vtl.ts';

const canary = globalThis as { gatehouseCanary?: unknown };

describe('sandbox: no reach beyond the allow-list', () => {
  const refused = [
    '$input.getClass()', '$input.class', '$input.getClass().forName("java.lang.Runtime")', '$util.getClass().getClassLoader()',
    '$input.constructor', '$input.constructor.constructor("return process")()', '$util.constructor', '$context.constructor',
    '$str.constructor', '$str.constructor.constructor', '$str.__proto__', '$str.getClass()', '$str.getBytes()', '$str.class.name',
    '$list.constructor', '$list["constructor"]', '$list.__proto__', '$map.__proto__', '$map.constructor', '$n.constructor',
    '$n.__proto__', '$t.constructor', '$input.__proto__', '$input.source', '$input.parsed', '$input.state', '$util.vtlCall',
    '$input.vtlCall("getBody", [])', '$foreach.constructor', '$str.valueOf()', '$map.hasOwnProperty("a")', '$list.push(1)',
    '$list.map', '$str.at(0)', '$str.codePointAt', '$map.__defineGetter__', '${constructor}', '$toString', '$__proto__',
    '$hasOwnProperty', '$process', '$globalThis', '$require', '$Function',
  ];
  for (const src of refused) {
    test(src, () => {
      const out = expectVtl(src)
        .withBody('{"a":1}')
        .withVariables({ str: 'x', list: [1], map: new Map([['a', 1]]), n: 1, t: true })
        .render().output;
      // Nothing is reached: the reference is null (rendered as nothing) and what follows it is plain text.
      assert.ok(!/function|native code|\[object|process|class /.test(out), `${src} rendered ${JSON.stringify(out)}`);
      assert.equal(canary.gatehouseCanary, undefined);
    });
  }

  test('the same references render as their own text in plain Velocity mode (null, not a value)', () => {
    expectVtl('$input.getClass() $str.constructor').withVariables({ str: 'x' }).withOptions({ dialect: 'velocity' })
      .toRender('$input.getClass() $str.constructor');
  });

  test('template text cannot break out of the generated code', () => {
    for (const src of ['"); globalThis.gatehouseCanary = 1; ("', '`); globalThis.gatehouseCanary = 1; (`', '\\"); globalThis.gatehouseCanary = 1; //',
      '#set($a = "\\"); globalThis.gatehouseCanary = 1; //")$a', '#macro(x")globalThis.gatehouseCanary=1;//)#end', '$a\u2028globalThis.gatehouseCanary = 1']) {
      try {
        compileTemplate(src).render({ input: { body: '', params: { path: {}, querystring: {}, header: {} } } });
      } catch (e) {
        assert.ok(e instanceof VtlSyntaxError, String(e));
      }
      assert.equal(canary.gatehouseCanary, undefined);
    }
  });
});

describe('sandbox: no prototype pollution through #set', () => {
  const attempts = [
    '#set($__proto__.polluted = 1)', '#set($constructor.prototype.polluted = 1)', '#set($m = {})#set($m.__proto__.polluted = 1)',
    '#set($m = {})#set($m.__proto__ = {"polluted": 1})$m.polluted', '#set($l = [])#set($l.__proto__ = 1)', '#set($l = [])#set($l["__proto__"] = 1)',
    '#set($context.__proto__.polluted = 1)', '#set($context.constructor.prototype.polluted = 1)', '#set($input.body = "x")',
    '#set($util.escapeJavaScript = 1)', '#set($m = {})#set($ok = $m.put("__proto__", {"polluted": 1}))', '#set($Object = 1)#set($Object.prototype = 1)',
  ];
  for (const src of attempts) {
    test(src, () => {
      expectVtl(src).withContext({ stage: 'x' }).render();
      assert.equal(({} as { polluted?: unknown }).polluted, undefined);
      assert.equal(([] as unknown as { polluted?: unknown }).polluted, undefined);
      assert.equal((new Map() as unknown as { polluted?: unknown }).polluted, undefined);
      assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
    });
  }

  test('a key named __proto__ is an ordinary map entry', () => {
    expectVtl('#set($m = {})#set($m.__proto__ = "v")$m $m.get("__proto__")').toRender('{__proto__=v} v');
  });

  test('$input.body cannot be replaced', () => {
    expectVtl('#set($input.body = "x")$input.body').withBody('orig').toRender('orig');
  });
});

describe('sandbox: limits', () => {
  test('#foreach stops after 1,000 iterations, as API Gateway does', () => {
    const out = expectVtl('#foreach($i in [1..5000])x#end').render().output;
    assert.equal(out.length, 1000);
    expectVtl('#set($c = 0)#foreach($i in [1..1001])#set($c = $c + 1)#end$c').toRender('1000');
  });

  test('the limit is per loop: nested loops multiply', () => {
    expectVtl('#set($c = 0)#foreach($i in [1..3])#foreach($j in [1..2000])#set($c = $c + 1)#end#end$c').toRender('3000');
  });

  test('a render that runs too long is stopped (clock injected, no real waiting)', () => {
    let t = 0;
    const now = () => (t += 10);
    const src = '#foreach($a in [1..1000])#foreach($b in [1..1000])#foreach($c in [1..1000])#end#end#end';
    assert.throws(
      () => compileTemplate(src, { now, limits: { maxRenderMillis: 5000 } }).render({ input: { body: '', params: { path: {}, querystring: {}, header: {} } } }),
      (e: unknown) => e instanceof VtlLimitError && e.limit === 'time',
    );
  });

  test('exponential string growth is stopped by the size limit', () => {
    expectVtl('#set($s = "xxxxxxxxxx")#foreach($i in [1..60])#set($s = "$s$s")#end$s.length()')
      .toThrow((e) => e instanceof VtlLimitError && e.limit === 'output');
    expectVtl('#set($s = "xxxxxxxxxx")#foreach($i in [1..60])#set($s = $s.concat($s))#end')
      .toThrow((e) => e instanceof VtlLimitError && e.limit === 'output');
    expectVtl('#set($s = "xxxxxxxxxx")#foreach($i in [1..60])#set($s = $s + $s)#end')
      .toThrow((e) => e instanceof VtlLimitError && e.limit === 'output');
    // Replacing millions of occurrences takes longer than building the string: the CPU budget may stop it first.
    expectVtl('#set($s = "xxxxxxxxxx")#foreach($i in [1..60])#set($s = $s.replace("x", "xx"))#end')
      .toThrow((e) => e instanceof VtlLimitError && (e.limit === 'output' || e.limit === 'time'));
  });

  test('statements outside loops cannot build unbounded memory: every string built counts', () => {
    // 40 doublings of a 10-character string would be 10 TB; the memory budget stops it (no loop involved).
    const src = `#set($a = "xxxxxxxxxx")${'#set($a = "$a$a")'.repeat(40)}$a.length()`;
    expectVtl(src).withOptions({ limits: { maxOutputLength: 1 << 30 } }).toThrow((e) => e instanceof VtlLimitError && e.limit === 'memory');
    // Lists grown outside loops count too (a smaller budget keeps the test quick).
    const lists = `#set($l = [1,2,3,4,5,6,7,8])${'#set($ok = $l.addAll($l))'.repeat(40)}$l.size()`;
    expectVtl(lists).withOptions({ limits: { maxMemory: 1_000_000 } }).toThrow((e) => e instanceof VtlLimitError && e.limit === 'memory');
  });

  test('work outside loops is budgeted: macros that call the next one twice are stopped by the CPU budget', () => {
    // 2^18 macro calls, no #foreach: each call is a step of the budget, and the clock is read as work grows.
    let t = 0;
    const now = () => (t += 50);
    let src = '';
    for (let i = 0; i < 18; i++) src += `#macro(m${i})#m${i + 1}()#m${i + 1}()#end`;
    src += '#macro(m18)x#end#m0()';
    expectVtl(src).withOptions({ now, limits: { maxRenderMillis: 1000 } })
      .toThrow((e) => e instanceof VtlLimitError && e.limit === 'time');
  });

  test('large output is stopped by the size limit', () => {
    expectVtl('#foreach($i in [1..1000])#foreach($j in [1..1000])0123456789#end#end')
      .withOptions({ limits: { maxOutputLength: 1_000_000 } })
      .toThrow((e) => e instanceof VtlLimitError && e.limit === 'output');
  });

  test('huge ranges are refused before they are built', () => {
    expectVtl('#set($r = [1..2000000000])').toThrow((e) => e instanceof VtlLimitError && e.limit === 'range');
  });

  test('runaway macro recursion is stopped', () => {
    expectVtl('#macro(r $x)#r($x)#end#r(1)').toThrow((e) => e instanceof VtlLimitError && e.limit === 'depth');
  });

  test('runaway #evaluate is stopped', () => {
    expectVtl("#set($s = '#evaluate($s)')#evaluate($s)").toThrow((e) => e instanceof VtlLimitError && e.limit === 'evaluate');
  });

  test('catastrophic regexes do not block the process (patterns run on RE2, a linear-time engine)', () => {
    const hostile = `${'a'.repeat(5000)}b`;
    expectVtl('$s.matches("(a+)+$") $s.replaceAll("(a|aa)+$", "x").length() $s.split("(a*)*c").size()')
      .withVariables({ s: hostile }).toRender(`false ${hostile.length} 1`);
  });

  test('what only backtracking can run (lookahead, backreferences) is a PatternSyntaxException naming it', () => {
    for (const [src, what] of [['$s.matches("(?=(a+)+$)a*")', /Lookahead/], ['$s.replaceAll("(a+)+\\1$", "x")', /backreference/], ['$s.split("(?!b)")', /Lookahead/]] as const) {
      expectVtl(src).withVariables({ s: 'aaaa' }).toThrow((e) => e instanceof VtlRuntimeError && /PatternSyntaxException/.test(e.message) && what.test(e.message));
    }
  });

  test('#include and #parse cannot read files', () => {
    for (const src of ['#include("/etc/passwd")', '#parse("/etc/passwd")']) {
      assert.throws(() => compileTemplate(src), (e: unknown) => e instanceof VtlSyntaxError && /not supported/.test(e.message));
    }
  });
});

// What the render fast paths must not change: a template's variables map is reused from one render to the next
// (emptied), plain-text regex patterns skip RegExp, escapeJavaScript copies runs. Each case states the behaviour
// that the shortcut must keep.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileTemplate, parseJsonDocument } from '../../src/vtl/index.ts';
import { escapeJavaScript } from '../../src/vtl/bindings/util.ts';

const input = (body = '') => ({ body, params: { path: {}, querystring: {}, header: {} } });

describe('variables do not outlive a render', () => {
  test('a variable set in one render is unset in the next', () => {
    const t = compileTemplate('[$!x]#if($input.body == "set")#set($x = "one")#end[$!x]');
    assert.equal(t.render({ input: input('set') }), '[][one]');
    assert.equal(t.render({ input: input('') }), '[][]');
    assert.equal(t.render({ input: input('set') }), '[][one]');
  });

  test('loop variables, $foreach and $velocityCount are restored after the loop, render after render', () => {
    const t = compileTemplate('#foreach($i in [1..2])$i#end[$!i][$!velocityCount][$!foreach]');
    for (let k = 0; k < 3; k++) assert.equal(t.render({ input: input() }), '12[][][]');
    const outer = compileTemplate('#set($i = "kept")#foreach($i in [1..2])$i#end[$i]');
    for (let k = 0; k < 2; k++) assert.equal(outer.render({ input: input() }), '12[kept]');
  });

  test('macro parameters are restored, also to "unset"', () => {
    const t = compileTemplate('#macro(m $p)<$p>#end#m("a")[$!p]#set($p = "x")#m("b")[$p]#m($nothing)');
    // API Gateway renders the unset parameter of the last call as nothing.
    for (let k = 0; k < 2; k++) assert.equal(t.render({ input: input() }), '<a>[]<b>[x]<>');
  });

  test('a #define block kept in $context renders with its own render\'s variables later', () => {
    const t = compileTemplate('#set($v = $input.body)#define($b)v=$v#end#set($context.block = $b)');
    const first = t.renderWithOverrides({ input: input('first') });
    t.render({ input: input('second') });
    const block = first.context.get('block') as { javaToString(): string };
    assert.equal(block.javaToString(), 'v=first');
  });

  test('#evaluate bodies share the template\'s variables, including names only they mention', () => {
    const t = compileTemplate(
      `#set($a = "A")#evaluate('$a#set($b = "B")#set($only = "O")')[$!b]#evaluate('[$!only]')#if($input.body == "x")#evaluate('#set($only = "X")')#end`,
    );
    assert.equal(t.render({ input: input('x') }), 'A[B][O]');
    assert.equal(t.render({ input: input() }), 'A[B][O]');
    const u = compileTemplate(`#if($input.body == "x")#evaluate('#set($only = "X")')#end#evaluate('[$!only]')`);
    assert.equal(u.render({ input: input('x') }), '[X]');
    assert.equal(u.render({ input: input() }), '[]');
  });

  test('a macro defined by #evaluate binds its parameters by name', () => {
    const t = compileTemplate(`#evaluate('#macro(m $p)<$p>#end')#m("a")[$!p]`);
    for (let k = 0; k < 2; k++) assert.equal(t.render({ input: input() }), '<a>[]');
  });

  test('extra variables of one render are not seen by the next', () => {
    const t = compileTemplate('[$!a]');
    assert.equal(t.render({ input: input(), variables: { a: 1 } }), '[1]');
    assert.equal(t.render({ input: input() }), '[]');
  });

  test('a render that throws leaves nothing behind', () => {
    const t = compileTemplate('[$!x]#set($x = $input.body)$x.substring(99)');
    assert.throws(() => t.render({ input: input('boom') }));
    assert.equal(t.render({ input: input('y'.repeat(100)) }), '[]y');
  });
});

describe('replaceAll, replaceFirst and replace with plain-text patterns', () => {
  const render = (src: string, body: string) => compileTemplate(src).render({ input: input(body) });

  test('escaped punctuation is literal text', () => {
    assert.equal(render(`$input.body.replaceAll("\\\\'", "'")`, "it\\'s a\\'b"), "it's a'b");
    assert.equal(render('$input.body.replaceAll("\\.", "!")', 'a.b.c'), 'a!b!c');
    assert.equal(render('$input.body.replaceFirst("\\.", "!")', 'a.b.c'), 'a!b.c');
    assert.equal(render('$input.body.replaceAll("ab", "x")', 'abababa'), 'xxxa');
    assert.equal(render('$input.body.replaceAll("aa", "b")', 'aaaaa'), 'bba');
    assert.equal(render('$input.body.replaceAll("zz", "b")', 'aaaaa'), 'aaaaa');
  });

  test('patterns with metacharacters, class escapes or an empty pattern still go through the regex engine', () => {
    assert.equal(render('$input.body.replaceAll(".", "!")', 'a.b'), '!!!');
    assert.equal(render('$input.body.replaceAll("\\d", "#")', 'a1b22'), 'a#b##');
    assert.equal(render('$input.body.replaceAll("", "-")', 'ab'), '-a-b-');
    assert.equal(render('$input.body.replaceAll("(?i)A", "x")', 'aA'), 'xx');
  });

  test('String.replace is literal on both sides', () => {
    assert.equal(render('$input.body.replace(".", "$1")', 'a.b.c'), 'a$1b$1c');
    assert.equal(render(`$input.body.replace('"', '\\"')`, 'say "hi"'), 'say \\"hi\\"');
    assert.equal(render('$input.body.replace("", "-")', 'ab'), '-a-b-');
  });
});

describe('escapeJavaScript', () => {
  test('runs of plain text around escapes, at either end, and strings without any', () => {
    assert.equal(escapeJavaScript("'a'"), "\\'a\\'");
    assert.equal(escapeJavaScript("Ada O'Brien"), "Ada O\\'Brien");
    assert.equal(escapeJavaScript('plain text'), 'plain text');
    assert.equal(escapeJavaScript(''), '');
    assert.equal(escapeJavaScript('\n'), '\\n');
    assert.equal(escapeJavaScript('a\u007fb'), 'a\u007fb');
    assert.equal(escapeJavaScript('x\u0fffy\u1000z'), 'x\\u0FFFy\\u1000z');
  });
});

describe('$input reads a body the caller parsed already (InputSource.document)', () => {
  const body = '{"items":[{"id":1},{"id":2}],"name":"n"}';
  const withDocument = () => {
    let calls = 0;
    const source = { ...input(body), document: () => (calls++, parseJsonDocument(body)) };
    return { source, calls: () => calls };
  };

  test('used once per render, with the same results as parsing the body', () => {
    const t = compileTemplate("$input.path('$.name') $input.json('$.items') $input.path('$.items') $input.path('$.items[1].id')");
    const d = withDocument();
    assert.equal(t.render({ input: d.source }), t.render({ input: input(body) }));
    assert.equal(t.render({ input: d.source }), 'n [{"id":1},{"id":2}] [{"id":1},{"id":2}] 2');
    assert.equal(d.calls(), 2);
  });

  test('not called when the template does not read the body as JSON', () => {
    const d = withDocument();
    assert.equal(compileTemplate('$input.body.length()').render({ input: d.source }), String(body.length));
    assert.equal(d.calls(), 0);
  });

  test('after the template changes the document, the body is parsed afresh', () => {
    const t = compileTemplate("#set($l = $input.path('$.items'))#set($x = $l.add(3))$l.size() $input.path('$.items').size()");
    const d = withDocument();
    assert.equal(t.render({ input: d.source }), '3 2');
    assert.equal(d.calls(), 1);
  });
});

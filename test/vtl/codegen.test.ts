import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generate } from '../../src/vtl/codegen.ts';
import { parseTemplate } from '../../src/vtl/parser.ts';
import { expectVtl } from './expect-vtl.ts';

const code = (src: string) =>
  generate(parseTemplate(src).body, { nullReferences: 'empty', locate: () => ({ line: 1, column: 1 }) }).code;

describe('codegen: the generated source', () => {
  test('template names only appear as JSON string literals', () => {
    const js = code('#set($constructor = 1)$__proto__.toString()#foreach($process in [1])$process#end');
    assert.match(js, /v\.set\("constructor", x\)/);
    assert.match(js, /v\.get\("__proto__"\)/);
    assert.doesNotMatch(js, /[^"]\bprocess\b[^"]/);
  });

  test('text with quotes, backslashes and line separators is emitted as a JSON literal', () => {
    const src = 'a"b\\c\u2028d`${e}`';
    expectVtl(src).toRender('a"b\\c\u2028d``');
    assert.match(code(src), /w\.s \+= "a\\"b/);
  });

  test('consecutive text and references become one append', () => {
    const js = code('a $b c $d e');
    assert.equal(js.match(/w\.s \+=/g)?.length, 1);
  });

  test('#break outside a loop ends the template; inside, the innermost loop', () => {
    expectVtl('a#break b').toRender('a');
    expectVtl('#foreach($i in [1..3])#foreach($j in [1..3])#if($j == 2)#break#end$i$j #end#end').toRender('11 21 31 ');
  });

  test('macros are hoisted: a macro can be called before its definition', () => {
    expectVtl('#m(1)#macro(m $a)<$a>#end').toRender('<1>');
  });

  test('the same source compiles to the same code (deterministic)', () => {
    const src = '#foreach($i in $l)#if($i > 1)$i#end#end';
    assert.equal(code(src), code(src));
  });
});

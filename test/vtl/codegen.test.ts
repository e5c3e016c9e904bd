import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generate } from '../../src/vtl/codegen.ts';
import { parseTemplate } from '../../src/vtl/parser.ts';
import { expectVtl } from './expect-vtl.ts';

const code = (src: string, variables: 'slots' | 'names' = 'slots') =>
  generate(parseTemplate(src).body, { nullReferences: 'empty', locate: () => ({ line: 1, column: 1 }), variables }).code;

describe('codegen: the generated source', () => {
  test('template variables are numbered slots: their names do not appear in the code', () => {
    const src = '#set($constructor = 1)$__proto__.toString()#foreach($process in [1])$process#end';
    const js = code(src);
    assert.match(js, /v\.a\[0\] = x;/);
    assert.match(js, /v\.a\[1\]/);
    assert.doesNotMatch(js, /constructor|__proto__|process/);
    const { body } = generate(parseTemplate(src).body, { nullReferences: 'empty', locate: () => ({ line: 1, column: 1 }) });
    assert.deepEqual([...body.slots], [['constructor', 0], ['__proto__', 1], ['process', 2], ['foreach', 3], ['velocityCount', 4]]);
  });

  test('#evaluate bodies name their variables, as JSON string literals only', () => {
    const js = code('#set($constructor = 1)$__proto__.toString()#foreach($process in [1])$process#end', 'names');
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

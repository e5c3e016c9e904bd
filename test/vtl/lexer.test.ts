import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Lexer, type TemplateToken } from '../../src/vtl/lexer.ts';
import { VtlSyntaxError } from '../../src/vtl/errors.ts';

/** Template tokens until EOF; after a directive with arguments the rest is read as expression tokens up to `)`. */
function tokens(src: string): string[] {
  const lx = new Lexer(src);
  const out: string[] = [];
  for (;;) {
    const t: TemplateToken = lx.nextTemplate();
    if (t.kind === 'eof') return out;
    if (t.kind === 'text') out.push(`text:${t.value}`);
    else if (t.kind === 'ref') {
      out.push(`ref:${t.escapes}${t.quiet ? '!' : ''}${t.formal ? '{' : ''}:${lx.readIdentifier()}`);
      if (t.formal) lx.pos++;
      lx.markTokenEnd();
    } else if (t.kind === 'directive') {
      out.push(`#${t.name}`);
      if (['set', 'if', 'elseif', 'foreach'].includes(t.name)) {
        for (;;) {
          const e = lx.nextExpr();
          if (e.kind === 'op' && e.text === ')') break;
          out.push(`  ${e.kind}:${'text' in e ? e.text : 'value' in e ? e.value : ''}`);
          if (e.kind === 'ref') lx.readIdentifier();
        }
        lx.gobbleLineEnd();
      }
    } else out.push(`call:${t.name}${t.hasArgs ? '(' : ''}`);
  }
}

describe('lexer: template mode', () => {
  test('text, references and their prefixes', () => {
    assert.deepEqual(tokens('a $b $!c ${d} $!{e} \\$f'), [
      'text:a ', 'ref:0:b', 'text: ', 'ref:0!:c', 'text: ', 'ref:0{:d', 'text: ', 'ref:0!{:e', 'text: ', 'ref:1:f',
    ]);
  });

  test('a $ that starts no identifier is text', () => {
    assert.deepEqual(tokens('$1 $ x $.'), ['text:$1 $ x $.']);
  });

  test('reference identifiers may contain hyphens and underscores', () => {
    const lx = new Lexer('$a-b_c.d');
    lx.nextTemplate();
    assert.equal(lx.readIdentifier(), 'a-b_c');
  });

  test('comments disappear; ## takes its newline, #* *# does not', () => {
    assert.deepEqual(tokens('a ## c\nb #* x *#\nc'), ['text:a b \nc']);
  });

  test('an unterminated block comment runs to the end', () => {
    assert.deepEqual(tokens('a #* b'), ['text:a ']);
  });

  test('#[[ ]]# is literal text', () => {
    assert.deepEqual(tokens('#[[ $a #if ]]#'), ['text: $a #if ']);
  });

  test('directives, formal directives and macro calls', () => {
    assert.deepEqual(tokens('#{if}(true)x#{else}y#end #foo #bar('), [
      '#if', '  word:true', 'text:x', '#else', 'text:y', '#end', 'text: ', 'call:foo', 'text: ', 'call:bar(',
    ]);
  });

  test('an escaped directive is text with half of its backslashes', () => {
    assert.deepEqual(tokens('\\#if \\\\\\#end'), ['text:#if \\#end']);
  });

  test('#else and #end swallow a blank rest of line', () => {
    assert.deepEqual(tokens('#if(true)\nA\n#else  \nB\n  #end \t\nC'), ['#if', '  word:true', 'text:A\n', '#else', 'text:B\n  ', '#end', 'text:C']);
  });

  test('#set swallows the blanks before it only when they start a token', () => {
    assert.deepEqual(tokens('  #set($a = 1)\na\n  #set($b = 2)\n'), [
      '#set', '  ref:', '  op:=', '  int:1', 'text:a\n  ', '#set', '  ref:', '  op:=', '  int:2',
    ]);
  });

  test('directives without their parenthesis are syntax errors with a position', () => {
    assert.throws(() => tokens('\n  #if true'), (e: unknown) => e instanceof VtlSyntaxError && e.line === 2 && e.column === 7);
  });
});

describe('lexer: expression mode', () => {
  function expr(src: string): string[] {
    const lx = new Lexer(src);
    const out: string[] = [];
    for (;;) {
      const t = lx.nextExpr();
      if (t.kind === 'eof') return out;
      out.push(`${t.kind}:${'text' in t ? t.text : 'value' in t ? t.value : ''}`);
    }
  }

  test('numbers: a leading minus belongs to the literal, ranges stop before ..', () => {
    assert.deepEqual(expr('1 -2 3.5 1e3 -0.5 1..3'), ['int:1', 'int:-2', 'double:3.5', 'double:1e3', 'double:-0.5', 'int:1', 'op:..', 'int:3']);
  });

  test('strings: doubled quotes, no backslash escapes', () => {
    assert.deepEqual(expr(`"a""b" 'c''d' "e\\n"`), ['string:a"b', "string:c'd", 'string:e\\n']);
  });

  test('operators and word operators', () => {
    assert.deepEqual(expr('== != <= >= && || ! and or not eq ne lt gt le ge'), [
      'op:==', 'op:!=', 'op:<=', 'op:>=', 'op:&&', 'op:||', 'op:!', 'word:and', 'word:or', 'word:not', 'word:eq', 'word:ne',
      'word:lt', 'word:gt', 'word:le', 'word:ge',
    ]);
  });

  test('line and column of any offset', () => {
    const lx = new Lexer('ab\ncd\n\nef');
    assert.deepEqual(lx.locate(0), { line: 1, column: 1 });
    assert.deepEqual(lx.locate(4), { line: 2, column: 2 });
    assert.deepEqual(lx.locate(7), { line: 4, column: 1 });
  });
});

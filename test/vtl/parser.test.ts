import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTemplate } from '../../src/vtl/parser.ts';
import { VtlSyntaxError } from '../../src/vtl/errors.ts';
import type { Expression, Node } from '../../src/vtl/nodes.ts';

/** A compact rendering of the tree, to compare shapes rather than positions. */
function show(nodes: readonly Node[]): string {
  return nodes.map(node).join(' ');
}

function node(n: Node): string {
  switch (n.kind) {
    case 'text': return JSON.stringify(n.value);
    case 'reference': return ref(n);
    case 'set': return `(set ${ref(n.target)} ${expr(n.value)})`;
    case 'if': return `(if ${n.branches.map((b) => `[${expr(b.condition)} ${show(b.body)}]`).join(' ')}${n.otherwise ? ` else ${show(n.otherwise)}` : ''})`;
    case 'foreach': return `(foreach ${n.variable} ${expr(n.iterable)} ${show(n.body)})`;
    case 'macro': return `(macro ${n.name} ${n.params.join(',')} ${show(n.body)})`;
    case 'macroCall': return `(#${n.name} ${n.args.map(expr).join(' ')})`;
    case 'define': return `(define ${n.name} ${show(n.body)})`;
    case 'evaluate': return `(evaluate ${expr(n.source)})`;
    default: return `(${n.kind})`;
  }
}

function ref(r: Extract<Node, { kind: 'reference' }>): string {
  const steps = r.steps.map((s) => (s.kind === 'property' ? `.${s.name}` : s.kind === 'method' ? `.${s.name}(${s.args.map(expr).join(',')})` : `[${expr(s.index)}]`));
  return `$${r.quiet ? '!' : ''}${r.name}${steps.join('')}`;
}

function expr(e: Expression): string {
  switch (e.kind) {
    case 'literal': return e.text;
    case 'string': return e.parts ? `"${show(e.parts)}"` : `'${e.value}'`;
    case 'list': return `[${e.items.map(expr).join(',')}]`;
    case 'map': return `{${e.entries.map(([k, v]) => `${expr(k)}:${expr(v)}`).join(',')}}`;
    case 'range': return `[${expr(e.from)}..${expr(e.to)}]`;
    case 'reference': return ref(e);
    case 'binary': return `(${expr(e.left)} ${e.op} ${expr(e.right)})`;
    case 'not': return `!${expr(e.operand)}`;
    case 'group': return expr(e.inner);
  }
}

const parse = (src: string) => show(parseTemplate(src).body);

describe('parser: references', () => {
  test('properties, methods and indexes chain', () => {
    assert.equal(parse('$a.b.c($d, 1)[0].e'), '$a.b.c($d,1)[0].e');
  });
  test('a dot not followed by an identifier ends the reference', () => {
    assert.equal(parse('$a. $a.1'), '$a ". " $a ".1"');
  });
  test('formal and quiet references', () => {
    assert.equal(parse('${a.b}c $!{d}'), '$a.b "c " $!d');
  });
  test('the literal text is kept for rendering null references', () => {
    const [r] = parseTemplate('$!{a.b( 1 )}').body;
    assert.equal(r?.kind === 'reference' && r.literal, '$!{a.b( 1 )}');
  });
  test('an index must be a single parameter', () => {
    assert.throws(() => parseTemplate('$a[$b + 1]'), VtlSyntaxError);
  });
});

describe('parser: directives', () => {
  test('#set with an expression', () => {
    assert.equal(parse('#set($a.b = 1 + 2 * $c)'), '(set $a.b (1 + (2 * $c)))');
  });
  test('#if / #elseif / #else', () => {
    assert.equal(parse('#if($a)x#elseif($b)y#else z#end'), '(if [$a "x"] [$b "y"] else " z")');
  });
  test('#foreach over a range', () => {
    assert.equal(parse('#foreach($i in [1..$n])$i#end'), '(foreach i [1..$n] $i)');
  });
  test('#macro and its calls, with or without commas', () => {
    assert.equal(parse('#macro(m $a $b)$a#end#m(1 "x")#m(1, $y)'), '(macro m a,b $a) (#m 1 \'x\') (#m 1 $y)');
  });
  test('#define, #evaluate, #break, #stop', () => {
    assert.equal(parse('#define($d)x#end#evaluate($s)#break#stop'), '(define d "x") (evaluate $s) (break) (stop)');
  });
  test('operator precedence: or < and < equality < relational < additive < multiplicative < not', () => {
    assert.equal(parse('#set($x = !$a || $b && $c == 1 < 2 + 3 * 4)'), '(set $x (!$a || ($b && ($c == (1 < (2 + (3 * 4)))))))');
  });
  test('word operators', () => {
    assert.equal(parse('#if($a eq 1 and not $b or $c ge 2)#end'), '(if [((($a == 1) && !$b) || ($c >= 2)) ])');
  });
  test('list and map literals, interpolated strings', () => {
    assert.equal(parse('#set($l = [1, "a$b", {"k": [true]}])'), '(set $l [1,""a" $b",{\'k\':[true]}])');
  });
});

describe('parser: errors carry line and column', () => {
  const cases: [string, number, number][] = [
    ['#if($a)\nx', 2, 2],
    ['ok\n  #end', 2, 3],
    ['#set($a = )', 1, 11],
    ['#include("x")', 1, 1],
    ['\n\n#set($a = -$b)', 3, 11],
  ];
  for (const [src, line, column] of cases) {
    test(JSON.stringify(src), () => {
      assert.throws(() => parseTemplate(src), (e: unknown) => {
        assert.ok(e instanceof VtlSyntaxError, String(e));
        assert.deepEqual([e.line, e.column], [line, column], e.message);
        return true;
      });
    });
  }
  test('#include and #parse are refused with a clear message', () => {
    assert.throws(() => parseTemplate('#parse("x.vm")'), /#parse is not supported in API Gateway mapping templates/);
  });
});

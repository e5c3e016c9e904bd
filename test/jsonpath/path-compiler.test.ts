import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileJsonPath, compileMappingPath, JsonPathError } from '../../src/jsonpath/index.ts';
import { compileChain } from '../../src/jsonpath/path-compiler.ts';
import { parseJavaJson } from '../../src/jsonpath/json.ts';

const kinds = (path: string) =>
  compileChain(path).tokens.map((t) => (t.kind === 'array' ? `array:${t.op}:${t.numbers.join(',')}` : t.kind === 'property' ? `property:${t.names.join('|')}` : t.kind));

function throwsJava(fn: () => unknown, javaException: string) {
  assert.throws(fn, (e: unknown) => e instanceof JsonPathError && e.javaException === javaException);
}

describe('path compiler', () => {
  test('dot and bracket notation produce the same property tokens', () => {
    assert.deepEqual(kinds('$.a.b'), ['root', 'property:a', 'property:b']);
    assert.deepEqual(kinds("$['a']['b']"), ['root', 'property:a', 'property:b']);
    assert.deepEqual(kinds("$.['a'].b"), ['root', 'property:a', 'property:b']);
    assert.deepEqual(kinds('a.b'), ['root', 'property:a', 'property:b']);
    assert.deepEqual(kinds("$['a','b c']"), ['root', 'property:a|b c']);
  });

  test('array operations', () => {
    assert.deepEqual(kinds('$[0]'), ['root', 'array:index:0']);
    assert.deepEqual(kinds('$[-1]'), ['root', 'array:index:-1']);
    assert.deepEqual(kinds('$[0,2]'), ['root', 'array:indexes:0,2']);
    assert.deepEqual(kinds('$[1:]'), ['root', 'array:sliceFrom:1']);
    assert.deepEqual(kinds('$[-2:]'), ['root', 'array:sliceFrom:-2']);
    assert.deepEqual(kinds('$[:2]'), ['root', 'array:sliceTo:2']);
    assert.deepEqual(kinds('$[1:3]'), ['root', 'array:sliceBetween:1,3']);
    assert.deepEqual(kinds('$[(@.length-1)]'), ['root', 'array:fromEnd:-1']);
    assert.deepEqual(kinds('$[(@.size()-2)]'), ['root', 'array:fromEnd:-2']);
  });

  test('wildcards, deep scan and filters', () => {
    assert.deepEqual(kinds('$.*'), ['root', 'wildcard']);
    assert.deepEqual(kinds('$[*]'), ['root', 'wildcard']);
    assert.deepEqual(kinds('$..a'), ['root', 'scan', 'property:a']);
    assert.deepEqual(kinds('$..*'), ['root', 'scan', 'wildcard']);
    assert.deepEqual(kinds('$.a[?(@.b == 1)]'), ['root', 'property:a', 'filter']);
  });

  test('definite as Jayway decides', () => {
    for (const p of ['$', '$.a', "$['a','b']", '$.a[0]', '$.a[-1]', '$.a[(@.length-1)]', '@.a']) {
      assert.equal(compileJsonPath(p).definite, true, p);
    }
    for (const p of ['$.*', '$..a', '$.a[0,1]', '$.a[1:]', '$.a[:1]', '$.a[0:1]', '$.a[?(@.b)]', '$.a[*].b']) {
      assert.equal(compileJsonPath(p).definite, false, p);
    }
  });

  test('filters: operator precedence is Jayway\'s right fold, grouping parentheses are dropped', () => {
    const filter = compileChain('$[?(@.a == 1 || @.b == 2 && @.c == 3)]').tokens[1]!;
    assert.equal(filter.kind, 'filter');
    const node = filter.kind === 'filter' ? filter.predicates[0] : null;
    // Folded from the right: (c) or (b) → Or(c, b), then && a → Or(c, And(b, a)).
    assert.equal(node?.kind, 'or');
  });

  test('invalid syntax throws InvalidPathException', () => {
    for (const p of ['$.a b', '$.a.', '$..', '$a', '$.a[', "$.a['b'", '$.a[]', '$.a[abc]', '$[?(@.a in [1])]', '$[?(@.* == 1)]',
      '$[?(@.a == 1 &&)]', '$.a[99999999999]', '$[?(@.a =~ /(/)]', ' ']) {
      throwsJava(() => compileJsonPath(p), 'InvalidPathException');
    }
    throwsJava(() => compileJsonPath(''), 'IllegalArgumentException');
  });

  test('compiled paths are cached per expression string', () => {
    assert.equal(compileJsonPath('$.cached.path'), compileJsonPath('$.cached.path'));
    assert.notEqual(compileJsonPath('$.cached.path'), compileJsonPath('$.cached.other'));
  });
});

describe('compileMappingPath', () => {
  const body = parseJavaJson('{"a":{"b":"x"},"items":[{"id":3}],"k":1}');
  test('the expression after `body.` is a JSONPath below the root', () => {
    assert.equal(compileMappingPath('a.b').evaluate(body), 'x');
    assert.equal(compileMappingPath('items[0].id').evaluate(body), 3);
    assert.equal(compileMappingPath("['k']").evaluate(body), 1);
    assert.equal(compileMappingPath('missing').evaluate(body), undefined);
    assert.deepEqual(compileMappingPath('items[*].id').evaluate(body), [3]);
  });
  test('an empty expression is refused', () => {
    throwsJava(() => compileMappingPath(''), 'IllegalArgumentException');
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileJsonPath, JsonPathError } from '../../src/jsonpath/index.ts';
import { fastEvaluator } from '../../src/jsonpath/fast-path.ts';
import { collect, valueOf } from '../../src/jsonpath/evaluate.ts';
import { compileChain } from '../../src/jsonpath/path-compiler.ts';
import { JavaDouble, parseJavaJson, type JavaValue } from '../../src/jsonpath/json.ts';
import { compareDecimalText, javaToString } from '../../src/jsonpath/java-values.ts';
import { JavaPattern } from '../../src/jsonpath/java-regex.ts';

const doc = parseJavaJson('{"a":{"b":{"c":[1,2.5,{"d":null}]},"s":"str"},"l":[[0,1],[2]],"n":null}');

/** The generic evaluator's answer, bypassing the fast path. */
function generic(path: string, d: JavaValue): JavaValue | undefined | string {
  const chain = compileChain(path);
  try {
    return valueOf(chain, collect(chain, d, d));
  } catch (e) {
    if (e instanceof JsonPathError) return `error:${e.javaException}`;
    return undefined;
  }
}

function fast(path: string, d: JavaValue): JavaValue | undefined | string {
  const f = fastEvaluator(compileChain(path));
  assert.ok(f, `${path} should take the fast path`);
  try {
    return f(d);
  } catch (e) {
    return e instanceof JsonPathError ? `error:${e.javaException}` : 'crash';
  }
}

describe('fast path', () => {
  const simple = ['$', '$.a', '$.a.b', "$['a']", "$['a']['b']", '$.a.b.c', '$.a.b.c[1]', '$.a.b.c[2].d', '$.a.b.c[2].d.e', '$.a.b.c[3]',
    '$.a.b.c[-1]', '$.a.s.x', '$.a.s[0]', '$.a.x.y', '$.l[1][0]', '$.l[0][5]', '$.n[0]', '$.n.x', '$.a.b.c.d', 'a.b', '@.a'];
  for (const p of simple) {
    test(`${p} agrees with the generic evaluator`, () => {
      assert.deepEqual(fast(p, doc), generic(p, doc));
    });
  }
  test('values keep their Java types', () => {
    assert.ok(compileJsonPath('$.a.b.c[1]').evaluate(doc) instanceof JavaDouble);
    assert.equal(compileJsonPath('$.a.b.c[2].d').evaluate(doc), null);
    assert.equal(compileJsonPath('$.a.b.c[2].x').evaluate(doc), undefined);
  });
  test('paths needing the interpreter do not take it', () => {
    for (const p of ['$.*', '$..a', '$.a[0,1]', "$['a','b']", '$.a[(@.length-1)]', '$.a[?(@.b)]']) {
      assert.equal(fastEvaluator(compileChain(p)), undefined, p);
    }
  });
});

describe('evaluation', () => {
  test('indefinite paths return lists, PathNotFound becomes undefined even for them', () => {
    assert.deepEqual(compileJsonPath('$.l[*][0]').evaluate(doc), [0, 2]);
    assert.deepEqual(compileJsonPath('$.missing[*]').evaluate(doc), []);
    assert.equal(compileJsonPath('$.*.b').evaluate(doc), undefined); // `l` has no `b`: Jayway aborts the read
  });
  test('runtime type errors throw JsonPathError with the Java exception name', () => {
    assert.throws(() => compileJsonPath('$.a[0]').evaluate(doc), { javaException: 'InvalidPathException' });
    assert.throws(() => compileJsonPath('$.a.s[?(@.x)]').evaluate(doc), { javaException: 'InvalidPathException' });
    assert.throws(() => compileJsonPath('$.l[?(@[0] == abc)]').evaluate(doc), { javaException: 'NumberFormatException' });
    assert.throws(() => compileJsonPath("$.l[?(@[0] =~ 'x')]").evaluate(doc), { javaException: 'ClassCastException' });
  });
  test('filters compare numbers as BigDecimal and bare literals as text', () => {
    const d = parseJavaJson('[{"v":1},{"v":1.0},{"v":"1"},{"v":"x"},{"v":true}]');
    assert.deepEqual(compileJsonPath('$[?(@.v == 1)].v').evaluate(d), [1, new JavaDouble(1), '1']);
    // A quoted literal is text too: compared with a number it must parse as one, or the read fails.
    assert.deepEqual(compileJsonPath("$[?(@.v == '1')].v").evaluate(d), [1, new JavaDouble(1), '1']);
    assert.throws(() => compileJsonPath("$[?(@.v == 'x')].v").evaluate(d), { javaException: 'NumberFormatException' });
  });
  test('names that are JS object internals are plain keys', () => {
    const d = parseJavaJson('{"__proto__":{"x":1},"a":{}}');
    assert.deepEqual(compileJsonPath('$.__proto__.x').evaluate(d), 1);
    assert.equal(compileJsonPath('$.a.constructor').evaluate(d), undefined);
    assert.equal(compileJsonPath("$.a['toString']").evaluate(d), undefined);
    assert.deepEqual(compileJsonPath('$..constructor').evaluate(d), []);
  });
  test('documents are never mutated', () => {
    const d = parseJavaJson('{"a":[{"b":1},{"b":2}]}');
    const before = JSON.stringify([...(d as Map<string, JavaValue>).entries()]);
    compileJsonPath("$.a[?(@.b > 1)]['b','c']").evaluate(d);
    compileJsonPath('$..*').evaluate(d);
    assert.equal(JSON.stringify([...(d as Map<string, JavaValue>).entries()]), before);
  });
});

describe('Java value helpers', () => {
  test('BigDecimal comparison', () => {
    assert.equal(compareDecimalText('1', '1.0'), 0);
    assert.equal(compareDecimalText('10', '9.99'), 1);
    assert.equal(compareDecimalText('-0.5', '0'), -1);
    assert.equal(compareDecimalText('1E3', '999'), 1);
    assert.equal(compareDecimalText('.1', '1.0E-1'), 0);
    assert.equal(compareDecimalText('9007199254740993', '9007199254740992'), 1);
    assert.throws(() => compareDecimalText('abc', '1'), { javaException: 'NumberFormatException' });
    assert.throws(() => compareDecimalText('Infinity', '1'), { javaException: 'NumberFormatException' });
  });
  test('toString of maps and lists as java.util renders them', () => {
    assert.equal(javaToString(parseJavaJson('{"a":1,"b":[1.0,"x",null],"c":{"d":true}}')), '{a=1, b=[1.0, x, null], c={d=true}}');
  });
  test('Java regex literals match the whole string', () => {
    assert.equal(new JavaPattern('ab', false).matches('xaby'), false);
    assert.equal(new JavaPattern('\\Aab\\z', false).matches('ab'), true);
    assert.equal(new JavaPattern('\\p{Alpha}+', false).matches('abC'), true);
    assert.equal(new JavaPattern('\\Qa.b\\E', false).matches('a.b'), true);
    assert.equal(new JavaPattern('\\Qa.b\\E', false).matches('axb'), false);
    assert.equal(new JavaPattern('AB', true).matches('ab'), true);
    assert.equal(new JavaPattern('(?i)ab', false).matches('AB'), true);
    assert.equal(new JavaPattern('a\\hb', false).matches('a b'), true);
    assert.equal(new JavaPattern('a\\hb', false).matches('ahb'), false);
    // Unicode classes and possessive quantifiers are Java syntax the linear-time engine runs too.
    assert.equal(new JavaPattern('\\p{L}+', false).matches('héllo'), true);
    assert.equal(new JavaPattern('a*+', false).matches('aaa'), true);
    // What only a backtracking engine can run is refused as an invalid path, naming the construct.
    assert.throws(() => new JavaPattern('(a)\\1', false), (e: Error & { javaException?: string }) => e.javaException === 'InvalidPathException' && /backreference/.test(e.message));
    assert.throws(() => new JavaPattern('a(?=b)', false), (e: Error & { javaException?: string }) => e.javaException === 'InvalidPathException' && /Lookahead/.test(e.message));
  });
});

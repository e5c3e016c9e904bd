import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { JavaDouble } from '../../src/jsonpath/json.ts';
import { arithmetic, javaEquals, javaToString } from '../../src/vtl/java-values.ts';
import { javaMatches, javaReplace, javaSplit } from '../../src/vtl/java-regex.ts';
import { DEFAULT_LIMITS, RenderState, eq as eqIn, rel } from '../../src/vtl/runtime.ts';
import { JavaException } from '../../src/vtl/errors.ts';

const d = (x: number) => new JavaDouble(x);
const state = new RenderState(DEFAULT_LIMITS, () => performance.now(), () => ({ line: 1, column: 1 }), () => {
  throw new Error('no #evaluate here');
});
const eq = (a: unknown, b: unknown) => eqIn(state, a, b);

describe('Java toString', () => {
  test('maps and lists as AbstractMap / AbstractCollection print them', () => {
    const m = new Map<unknown, unknown>([['a', 1], ['b', [d(1), 'x', null, true]], ['c', new Map()]]);
    assert.equal(javaToString(m), '{a=1, b=[1.0, x, null, true], c={}}');
  });
  test('self references', () => {
    const l: unknown[] = [1];
    l.push(l);
    assert.equal(javaToString(l), '[1, (this Collection)]');
    const m = new Map<unknown, unknown>();
    m.set('me', m);
    assert.equal(javaToString(m), '{me=(this Map)}');
  });
  test('doubles as Double.toString', () => {
    assert.deepEqual([1, 0.5, 1e7, 1.0e-4, 123456789.123, -0].map((x) => javaToString(d(x))), ['1.0', '0.5', '1.0E7', '1.0E-4', '1.23456789123E8', '-0.0']);
  });
});

describe('Velocity arithmetic', () => {
  test('integer division truncates; doubles divide', () => {
    assert.equal(arithmetic('/', 7, 2), 3);
    assert.equal(arithmetic('/', -7, 2), -3);
    assert.deepEqual(arithmetic('/', d(7), 2), d(3.5));
  });
  test('integers widen instead of overflowing', () => {
    assert.equal(arithmetic('+', 2147483647, 1), 2147483648);
    assert.equal(arithmetic('*', 9007199254740991, 10), 90071992547409910n);
    assert.equal(arithmetic('-', 90071992547409910n, 90071992547409900n), 10);
  });
  test('division and modulo by zero are null', () => {
    assert.equal(arithmetic('/', 1, 0), null);
    assert.equal(arithmetic('%', d(1), d(0)), null);
  });
  test('remainders keep the sign of the dividend', () => {
    assert.equal(arithmetic('%', -7, 3), -1);
    assert.deepEqual(arithmetic('%', d(5.5), 2), d(1.5));
  });
});

describe('Velocity comparison', () => {
  test('numbers compare by value across int and double', () => {
    assert.equal(eq(1, d(1)), true);
    assert.equal(rel('<', 2, d(2.5)), true);
  });
  test('different kinds compare by toString; null only equals null', () => {
    assert.equal(eq(3, '3'), true);
    assert.equal(eq(true, 'true'), true);
    assert.equal(eq(null, null), true);
    assert.equal(eq(null, 'null'), false);
  });
  test('relational operators need numbers', () => {
    assert.equal(rel('<', 'a', 'b'), false);
    assert.equal(rel('>=', null, 1), false);
  });
  test('equals: Integer 1 is not Double 1.0 inside collections', () => {
    assert.equal(javaEquals([1], [d(1)]), false);
    assert.equal(javaEquals(new Map([['a', [1]]]), new Map([['a', [1]]])), true);
  });
});

describe('java.util.regex on JS', () => {
  test('replaceAll with groups, escapes and Java-only syntax', () => {
    assert.equal(javaReplace('Hello', '(l)(o)', '$2$1', true), 'Helol');
    assert.equal(javaReplace('a.b', '\\Q.\\E', '\\$', true), 'a$b');
    assert.equal(javaReplace('abc', '(?i)B', 'x', true), 'axc');
    assert.equal(javaReplace('abc', '', '-', true), '-a-b-c-');
    assert.equal(javaReplace('aaa', 'a', 'b', false), 'baa');
  });
  test('bad replacements throw what Java throws', () => {
    assert.throws(() => javaReplace('x', 'x', '$', true), (e) => e instanceof JavaException && e.javaClass === 'java.lang.IllegalArgumentException');
    assert.throws(() => javaReplace('x', 'x', '$2', true), (e) => e instanceof JavaException && e.javaClass === 'java.lang.IndexOutOfBoundsException');
    assert.throws(() => javaReplace('x', '(', 'y', true), (e) => e instanceof JavaException && e.javaClass === 'java.util.regex.PatternSyntaxException');
  });
  test('split drops trailing empty strings and a zero-width leading match', () => {
    assert.deepEqual(javaSplit('a,b,,c,,', ','), ['a', 'b', '', 'c']);
    assert.deepEqual(javaSplit(',a', ','), ['', 'a']);
    assert.deepEqual(javaSplit('abc', ''), ['a', 'b', 'c']);
    assert.deepEqual(javaSplit('a,b,c', ',', 2), ['a', 'b,c']);
    assert.deepEqual(javaSplit('', ','), ['']);
  });
  test('matches is a whole-string match; POSIX classes translate', () => {
    assert.equal(javaMatches('abc', 'b'), false);
    assert.equal(javaMatches('abc', '\\p{Alpha}+'), true);
    assert.equal(javaMatches('a1', '\\p{Alpha}\\p{Digit}'), true);
  });
});

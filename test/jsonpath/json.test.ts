// parseJavaJson (src/jsonpath/json.ts): the Java-shaped JSON model read from request bodies. The parser works on
// character codes for speed; these cases pin the values and the errors (message and position) it must keep.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { JavaDouble, JsonSyntaxError, parseJavaJson, type JavaValue } from '../../src/jsonpath/json.ts';

function syntaxError(text: string): string {
  try {
    parseJavaJson(text);
  } catch (e) {
    assert.ok(e instanceof JsonSyntaxError, `not a JsonSyntaxError: ${String(e)}`);
    return e.message;
  }
  assert.fail(`parsed: ${text}`);
}

function double(v: JavaValue): number {
  assert.ok(v instanceof JavaDouble, `not a double: ${String(v)}`);
  return v.value;
}

describe('parseJavaJson: values', () => {
  test('objects are maps in document order, duplicate keys keep their first position and last value', () => {
    const m = parseJavaJson('{"b":1,"1":2,"a":{"__proto__":3},"b":4}') as Map<string, JavaValue>;
    assert.deepEqual([...m.keys()], ['b', '1', 'a']);
    assert.equal(m.get('b'), 4);
    assert.equal((m.get('a') as Map<string, JavaValue>).get('__proto__'), 3);
  });

  test('whitespace everywhere JSON allows it', () => {
    const m = parseJavaJson(' \t\n\r{ "a" : [ 1 , true , null ] , "b" : "x" } \n') as Map<string, JavaValue>;
    assert.deepEqual(m.get('a'), [1, true, null]);
    assert.equal(m.get('b'), 'x');
  });

  test('string escapes', () => {
    assert.equal(parseJavaJson('"a\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti"'), 'a"b\\c/d\be\ff\ng\rh\ti');
    assert.equal(parseJavaJson('"\\u00e9\\u00E9\\u0041"'), 'ééA');
    assert.equal(parseJavaJson('"x\\u0000y"'), 'x\u0000y');
    assert.equal(parseJavaJson('"no escapes at all"'), 'no escapes at all');
    assert.equal(parseJavaJson('""'), '');
  });

  test('surrogate pairs: escaped, raw, and lone surrogates kept as code units', () => {
    assert.equal(parseJavaJson('"\\ud83d\\ude00"'), '😀');
    assert.equal(parseJavaJson('"😀 and \\uD83D\\uDE00"'), '😀 and 😀');
    assert.equal(parseJavaJson('"\\ud83d"'), '\ud83d');
    assert.equal(parseJavaJson('"a\ude00b"'), 'a\ude00b');
  });

  test('integers: int-sized numbers, then bigint beyond 2^53', () => {
    assert.equal(parseJavaJson('0'), 0);
    assert.equal(parseJavaJson('-12'), -12);
    assert.equal(parseJavaJson('2147483648'), 2147483648);
    assert.equal(parseJavaJson('999999999999999'), 999999999999999);
    assert.equal(parseJavaJson('9007199254740991'), 9007199254740991);
    assert.equal(parseJavaJson('-9007199254740991'), -9007199254740991);
    assert.equal(parseJavaJson('9007199254740992'), 9007199254740992n);
    assert.equal(parseJavaJson('9007199254740993'), 9007199254740993n);
    assert.equal(parseJavaJson('-12345678901234567890'), -12345678901234567890n);
  });

  test('-0 is the integer -0 and -0.0 the double -0.0', () => {
    assert.ok(Object.is(parseJavaJson('-0'), -0));
    assert.ok(Object.is(double(parseJavaJson('-0.0')), -0));
    assert.ok(Object.is(double(parseJavaJson('0.0')), 0));
  });

  test('a fraction or an exponent makes a double, rounded as Number() rounds', () => {
    assert.equal(double(parseJavaJson('1.0')), 1);
    assert.equal(double(parseJavaJson('19.99')), 19.99);
    assert.equal(double(parseJavaJson('-3.25')), -3.25);
    assert.equal(double(parseJavaJson('0.1')), 0.1);
    assert.equal(double(parseJavaJson('123456789.012345')), 123456789.012345);
    assert.equal(double(parseJavaJson('1234567890.1234567')), 1234567890.1234567); // beyond 15 digits
    assert.equal(double(parseJavaJson('0.000000000000000000000001')), 1e-24); // beyond 10^22
    assert.equal(double(parseJavaJson('1e5')), 100000);
    assert.equal(double(parseJavaJson('1E+5')), 100000);
    assert.equal(double(parseJavaJson('-2.5e-3')), -0.0025);
    assert.equal(double(parseJavaJson('1e400')), Infinity);
    assert.ok(Object.is(double(parseJavaJson('-1e-400')), -0));
    for (const text of ['3.14159', '2.2250738585072014e-308', '1.7976931348623157e308', '0.30000000000000004', '5e-324']) {
      assert.equal(double(parseJavaJson(text)), Number(text), text);
    }
  });

  test('numbers are read up to 400 characters', () => {
    const digits = '1'.repeat(400);
    assert.equal(parseJavaJson(digits), BigInt(digits));
    assert.equal(syntaxError('1'.repeat(401)), 'Unexpected trailing characters at position 400');
  });

  test('deep nesting', () => {
    let text = '1';
    for (let k = 0; k < 1000; k++) text = k % 2 ? `{"a":${text}}` : `[${text}]`;
    let v = parseJavaJson(text);
    for (let k = 999; k >= 0; k--) v = k % 2 ? (v as Map<string, JavaValue>).get('a')! : (v as JavaValue[])[0]!;
    assert.equal(v, 1);
    // Beyond the stack, an error rather than a wrong value.
    assert.throws(() => parseJavaJson('['.repeat(1_000_000)));
  });

  test('arrayMark tags every array as it is built', () => {
    const mark = Symbol('mark');
    const doc = parseJavaJson('{"a":[[1],{"b":[]}],"c":2}', mark) as Map<string, JavaValue>;
    const a = doc.get('a') as JavaValue[] & Record<symbol, unknown>;
    assert.equal(a[mark], true);
    assert.equal((a[0] as unknown as Record<symbol, unknown>)[mark], true);
    assert.equal(((a[1] as Map<string, JavaValue>).get('b') as unknown as Record<symbol, unknown>)[mark], true);
    assert.equal((parseJavaJson('[1]') as unknown as Record<symbol, unknown>)[mark], undefined);
  });
});

describe('parseJavaJson: errors say what and where', () => {
  const cases: [string, string][] = [
    ['', 'Unexpected end of input at position 0'],
    ['  ', 'Unexpected end of input at position 2'],
    ['{"a":', 'Unexpected end of input at position 5'],
    ['{a:1}', 'Expected a string key at position 1'],
    ['{"a":1,}', 'Expected a string key at position 7'],
    ['{"a" 1}', "Expected ':' at position 5"],
    ['{"a":1', "Expected ',' or '}' at position 6"],
    ['{"a":1]', "Expected ',' or '}' at position 6"],
    ['[1 2]', "Expected ',' or ']' at position 3"],
    ['[1,]', "Unexpected character ']' at position 3"],
    ['-', "Unexpected character '-' at position 0"],
    ['-a', "Unexpected character '-' at position 0"],
    ['.5', "Unexpected character '.' at position 0"],
    ['tru', "Unexpected character 't' at position 0"],
    ['x', "Unexpected character 'x' at position 0"],
    ['01', 'Unexpected trailing characters at position 1'],
    ['1.', 'Unexpected trailing characters at position 1'],
    ['1e', 'Unexpected trailing characters at position 1'],
    ['1e+', 'Unexpected trailing characters at position 1'],
    ['1.5e', 'Unexpected trailing characters at position 3'],
    ['truex', 'Unexpected trailing characters at position 4'],
    ['"abc', 'Unterminated string at position 4'],
    ['"a\\', 'Bad escape at position 3'],
    ['"a\\x"', 'Bad escape at position 3'],
    ['"\\u12"', 'Bad unicode escape at position 3'],
    ['"\\u12', 'Bad unicode escape at position 3'],
    ['"\\uZZZZ"', 'Bad unicode escape at position 3'],
    ['"a\nb"', 'Control character in string at position 2'],
    ['"\u001f"', 'Control character in string at position 1'],
  ];
  for (const [text, message] of cases) {
    test(JSON.stringify(text), () => assert.equal(syntaxError(text), message));
  }

  test('the position is a property too', () => {
    assert.throws(() => parseJavaJson('[1,,2]'), (e: unknown) => e instanceof JsonSyntaxError && e.position === 3);
  });
});

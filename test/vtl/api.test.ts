// The public API the data plane uses (src/vtl/index.ts).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { VtlRuntimeError, VtlSyntaxError, compileTemplate } from '../../src/vtl/index.ts';

const input = { body: '{"a":"x"}', params: { path: {}, querystring: {}, header: {} } };

describe('compileTemplate', () => {
  test('compiles once per source and options, renders many times', () => {
    const a = compileTemplate('$input.path("$.a")');
    assert.equal(compileTemplate('$input.path("$.a")'), a);
    assert.notEqual(compileTemplate('$input.path("$.a")', { dialect: 'velocity' }), a);
    assert.equal(a.render({ input }), 'x');
    assert.equal(a.render({ input: { ...input, body: '{"a":"y"}' } }), 'y');
  });

  test('syntax errors say where', () => {
    assert.throws(() => compileTemplate('{\n  "a": #if($x)\n}'), (e: unknown) => {
      assert.ok(e instanceof VtlSyntaxError);
      assert.equal(e.line, 3);
      assert.match(e.message, /line 3, column \d+/);
      return true;
    });
  });

  test('a Java exception while rendering is a VtlRuntimeError with its position', () => {
    const t = compileTemplate('line one\n  $input.body.substring(99)');
    assert.throws(() => t.render({ input }), (e: unknown) => {
      assert.ok(e instanceof VtlRuntimeError);
      assert.deepEqual([e.line, e.column], [2, 15]);
      assert.equal(e.javaException, 'MethodInvocationException');
      assert.match(e.message, /StringIndexOutOfBoundsException/);
      return true;
    });
  });

  test('#stop returns what was rendered so far', () => {
    assert.equal(compileTemplate('a#stop b').render({ input }), 'a');
  });

  test('renders are independent: variables set by one render are gone in the next', () => {
    const t = compileTemplate('[$x]#set($x = 1)');
    assert.equal(t.render({ input }), '[]');
    assert.equal(t.render({ input }), '[]');
  });

  test('null references: nothing on API Gateway, the reference text in plain Velocity', () => {
    assert.equal(compileTemplate('[$nope.x]').render({ input }), '[]');
    assert.equal(compileTemplate('[$nope.x]', { dialect: 'velocity' }).render({ input }), '[$nope.x]');
  });
});

// The route trie on its own: most specific resource first, backtracking from a literal to {param} to {proxy+}.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TrieRouter } from '../../src/execute/compile/router.ts';
import { segmentsOf } from '../../src/execute/pipeline/parse.ts';

function router(): TrieRouter<string> {
  const r = new TrieRouter<string>();
  for (const p of ['/', '/pets', '/pets/{id}', '/pets/{id}/toys', '/pets/mine', '/pets/mine/{toy}', '/{proxy+}', '/files/{path+}']) r.add(p, p);
  return r;
}

test('literal beats {param} beats {proxy+}, with backtracking', () => {
  const r = router();
  assert.deepEqual(r.match([]), { value: '/', params: {} });
  assert.deepEqual(r.match(['pets']), { value: '/pets', params: {} });
  assert.deepEqual(r.match(['pets', 'mine']), { value: '/pets/mine', params: {} });
  assert.deepEqual(r.match(['pets', '7']), { value: '/pets/{id}', params: { id: '7' } });
  assert.deepEqual(r.match(['pets', 'mine', 'toys']), { value: '/pets/mine/{toy}', params: { toy: 'toys' } });
  assert.deepEqual(r.match(['pets', '7', 'toys']), { value: '/pets/{id}/toys', params: { id: '7' } });
  assert.deepEqual(r.match(['pets', '7', 'bones']), { value: '/{proxy+}', params: { proxy: 'pets/7/bones' } });
  assert.deepEqual(r.match(['files', 'a', 'b c']), { value: '/files/{path+}', params: { path: 'a/b c' } });
  assert.deepEqual(r.match(['files']), { value: '/{proxy+}', params: { proxy: 'files' } });
});

test('a greedy parameter needs a segment; without a catch-all nothing matches', () => {
  const r = new TrieRouter<string>();
  r.add('/files/{proxy+}', 'files');
  assert.equal(r.match(['files']), undefined);
  assert.equal(r.match(['other']), undefined);
});

test('duplicate resources and non-final greedy parts are configuration errors', () => {
  const r = new TrieRouter<string>();
  r.add('/a/{x}', 'a');
  assert.throws(() => r.add('/a/{x}', 'again'), /duplicate resource/);
  assert.throws(() => r.add('/b/{p+}/c', 'bad'), /must be last/);
});

test('the routing segments of a raw path: outer slashes ignored, inner empty segments and encoding kept', () => {
  const cases: Array<[string, string[]]> = [
    ['/', []], ['', []], ['///', []], ['/mock', ['mock']], ['/a/b', ['a', 'b']], ['/a/b/', ['a', 'b']], ['a/b', ['a', 'b']],
    ['//a//b/', ['a', '', 'b']], ['///x///', ['x']], ['/a%2Fb/c', ['a%2Fb', 'c']], ['/a//', ['a']],
  ];
  for (const [path, segments] of cases) assert.deepEqual(segmentsOf(path), segments, path);
});

// The nesting scan that guards the YAML parser (src/openapi/definition-yaml.ts) passes every real definition — the
// corpus, block scalars holding mapping templates, quoted and commented brackets — and stops only deep nesting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_LINE_PREFIX, MAX_NESTING, nestingProblem, parseDefinitionYaml, DefinitionTooDeepError } from '../../src/openapi/definition-yaml.ts';

const CORPUS = join(import.meta.dirname, 'corpus');

test('every corpus definition passes the scan and parses', () => {
  const files = readdirSync(CORPUS).filter((f) => /\.(ya?ml|json)$/.test(f));
  assert.ok(files.length >= 5, files.join());
  for (const f of files) {
    const text = readFileSync(join(CORPUS, f), 'utf8');
    assert.equal(nestingProblem(text), undefined, f);
    assert.equal(typeof parseDefinitionYaml(text), 'object', f);
  }
});

test('brackets in quoted scalars, comments, plain text and block scalars are not nesting', () => {
  const open = '['.repeat(MAX_NESTING + 10);
  const text = [
    `a: "${open}"`,
    `b: '${open} it''s'`,
    `c: text with ${open} inside`,
    `d: 1 # ${open}`,
    'e: |',
    `  ${open}`,
    '  #set($x = [1, 2])',
    'f: >-',
    `    {{{{{${open}`,
    'g: [1, [2, "]"], {h: "[["}]',
  ].join('\n');
  assert.equal(nestingProblem(text), undefined);
  assert.deepEqual((parseDefinitionYaml(text) as Record<string, unknown>).g, [1, [2, ']'], { h: '[[' }]);
});

test('flow nesting, compact sequences and indentation beyond the bounds are refused', () => {
  assert.match(nestingProblem(`a: ${'['.repeat(MAX_NESTING + 1)}`)!, /nested more than 256 deep/);
  assert.equal(nestingProblem(`a: ${'['.repeat(MAX_NESTING)}${']'.repeat(MAX_NESTING)}`), undefined);
  assert.match(nestingProblem(`a:\n${'- '.repeat(MAX_LINE_PREFIX)}x`)!, /indented \d+ characters deep/);
  assert.match(nestingProblem(`a:\n${' '.repeat(MAX_LINE_PREFIX + 1)}b: 1`)!, /indented 1025 characters deep/);
  assert.throws(() => parseDefinitionYaml(`a: ${'{a: '.repeat(300)}`), DefinitionTooDeepError);
});

// Unit tests of the GetModelTemplate generator (src/control/models-template.ts): layout per the example of
// https://docs.aws.amazon.com/apigateway/latest/api/API_GetModelTemplate.html, and termination on recursive models.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateModelTemplate } from '../../src/control/models-template.ts';

const ctx = (models: Record<string, Record<string, unknown>> = {}) => ({
  resolveModel: (name: string) => models[name],
  modelNameOfRef: (ref: string) => /\/models\/([^/#]+)$/.exec(ref)?.[1],
});

describe('generateModelTemplate', () => {
  test('arrays of primitives and booleans', () => {
    const t = generateModelTemplate({ type: 'object', properties: { tags: { type: 'array', items: { type: 'string' } }, ok: { type: 'boolean' } } }, ctx());
    assert.equal(
      t,
      [
        "#set($inputRoot = $input.path('$'))",
        '{',
        '  "tags" : [',
        '#foreach($elem1 in $inputRoot.tags)',
        '    "$elem1"#if($foreach.hasNext),#end',
        '#end',
        '  ],',
        '  "ok" : $inputRoot.ok',
        '}',
      ].join('\n'),
    );
  });

  test('local definitions and recursive model references terminate', () => {
    const node = { type: 'object', properties: { value: { $ref: '#/definitions/v' }, next: { $ref: 'https://apigateway.amazonaws.com/restapis/a/models/Node' } }, definitions: { v: { type: 'integer' } } };
    const t = generateModelTemplate(node, ctx({ Node: node }));
    assert.ok(t.startsWith("#set($inputRoot = $input.path('$'))\n{\n  \"value\" : $inputRoot.value,\n  \"next\" : {"));
    assert.ok(t.includes('"next" : "$inputRoot.next.next"'), t);
  });
});

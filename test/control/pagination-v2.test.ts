// apigatewayv2 list pagination (GetDomainNames, GetApiMappings): without MaxResults the whole list, an empty one
// included (the aws CLI sends no MaxResults by default); string MaxResults and offset tokens otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { paginateV2 } from '../../src/control/pagination.ts';
import { BadRequestException } from '../../src/aws/errors.ts';

test('no MaxResults: everything, and an empty list is an empty page', () => {
  assert.deepEqual(paginateV2([], {}), { page: [] });
  assert.deepEqual(paginateV2([1, 2, 3], {}), { page: [1, 2, 3] });
});

test('MaxResults pages with a NextToken until the last page', () => {
  const first = paginateV2([1, 2, 3], { MaxResults: '2' });
  assert.deepEqual(first.page, [1, 2]);
  assert.ok(first.nextToken);
  assert.deepEqual(paginateV2([1, 2, 3], { MaxResults: '2', NextToken: first.nextToken }), { page: [3] });
});

test('bad MaxResults or NextToken are BadRequestException', () => {
  assert.throws(() => paginateV2([1], { MaxResults: '0' }), (e) => e instanceof BadRequestException && e.message === 'Invalid maxResults: 0');
  assert.throws(() => paginateV2([1], { NextToken: 'zzzz' }), (e) => e instanceof BadRequestException && e.message === 'Invalid nextToken');
});

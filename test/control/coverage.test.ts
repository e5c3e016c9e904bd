// Every operation of the official apigateway model has a handler: nothing answers with the generic
// "no handler" error, and the operations of later work answer their own 'not available' error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadServiceModel } from '../../src/aws/model.ts';
import { apigatewayHandlers } from '../../src/control/index.ts';

test('all 124 apigateway operations have a handler', () => {
  const model = loadServiceModel('apigateway-2015-07-09.json');
  const operations = Object.keys(model.operations);
  assert.equal(operations.length, 124);
  const missing = operations.filter((op) => typeof apigatewayHandlers[op] !== 'function');
  assert.deepEqual(missing, []);
  const extra = Object.keys(apigatewayHandlers).filter((op) => !model.operations[op]);
  assert.deepEqual(extra, []);
});

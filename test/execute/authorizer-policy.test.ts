// The policy a Lambda authorizer returns, matched against method ARNs as API Gateway matches it: `*` and `?`
// wildcards across ARN parts, Action `execute-api:Invoke` / `execute-api:*` / `*`, lists, explicit Deny over Allow,
// NotResource, and statements for other actions or resources granting nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide, parseAuthorizerOutput } from '../../src/execute/authorization/authorizer-output.ts';

const ARN = 'arn:aws:execute-api:us-east-1:123456789012:abc123';
const policyOf = (...statements: object[]) =>
  parseAuthorizerOutput(Buffer.from(JSON.stringify({ principalId: 'p', policyDocument: { Version: '2012-10-17', Statement: statements } }))).policy;

test('resource wildcards, as in the developer guide\'s examples', () => {
  const p = policyOf({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: [`${ARN}/*/GET/pets/*`, `${ARN}/prod/POST/orders`] });
  assert.equal(decide(p, `${ARN}/prod/GET/pets/7`), 'Allow');
  assert.equal(decide(p, `${ARN}/dev/GET/pets/7/toys`), 'Allow');
  assert.equal(decide(p, `${ARN}/prod/GET/pets`), 'ImplicitDeny');
  assert.equal(decide(p, `${ARN}/prod/POST/orders`), 'Allow');
  assert.equal(decide(p, `${ARN}/dev/POST/orders`), 'ImplicitDeny');
  assert.equal(decide(p, `arn:aws:execute-api:us-east-1:123456789012:other/prod/GET/pets/7`), 'ImplicitDeny');
  const q = policyOf({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `${ARN}/prod/GET/pets/?` });
  assert.equal(decide(q, `${ARN}/prod/GET/pets/7`), 'Allow');
  assert.equal(decide(q, `${ARN}/prod/GET/pets/77`), 'ImplicitDeny');
});

test('actions: execute-api:Invoke, execute-api:*, * and lists; other actions grant nothing', () => {
  for (const Action of ['execute-api:Invoke', 'execute-api:*', '*', ['s3:GetObject', 'execute-api:Invoke']]) {
    assert.equal(decide(policyOf({ Effect: 'Allow', Action, Resource: '*' }), `${ARN}/prod/GET/`), 'Allow', JSON.stringify(Action));
  }
  assert.equal(decide(policyOf({ Effect: 'Allow', Action: 'execute-api:InvalidateCache', Resource: '*' }), `${ARN}/prod/GET/`), 'ImplicitDeny');
  assert.equal(decide(policyOf({ Effect: 'Allow', NotAction: 'execute-api:Invoke', Resource: '*' }), `${ARN}/prod/GET/`), 'ImplicitDeny');
});

test('an explicit Deny wins over any Allow; NotResource', () => {
  const p = policyOf(
    { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `${ARN}/*` },
    { Effect: 'Deny', Action: 'execute-api:Invoke', Resource: `${ARN}/*/DELETE/*` },
  );
  assert.equal(decide(p, `${ARN}/prod/GET/pets`), 'Allow');
  assert.equal(decide(p, `${ARN}/prod/DELETE/pets/1`), 'ExplicitDeny');
  const n = policyOf({ Effect: 'Allow', Action: 'execute-api:Invoke', NotResource: `${ARN}/*/POST/*` });
  assert.equal(decide(n, `${ARN}/prod/GET/x`), 'Allow');
  assert.equal(decide(n, `${ARN}/prod/POST/x`), 'ImplicitDeny');
});

test('an empty statement list allows nothing', () => {
  assert.equal(decide(policyOf(), `${ARN}/prod/GET/`), 'ImplicitDeny');
});

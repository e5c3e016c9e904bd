// Hostile Lambda authorizer outputs and hostile identities: never a crash, never a 5xx other than AWS's
// AuthorizerConfigurationException, never a decision leaking across APIs, identities or methods.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import { ApiBuilder, AG } from '../execute/helpers.ts';
import { startGatehouse, type Running } from '../helpers/gatehouse.ts';
import { createFunction, startProbe, type Probe } from '../functions/helpers.ts';
import { decide, parseAuthorizerOutput } from '../../src/execute/authorization/authorizer-output.ts';
import { AuthorizerCache, MAX_BYTES_PER_AUTHORIZER, MAX_ENTRIES_PER_AUTHORIZER } from '../../src/execute/authorization/authorizer-cache.ts';
import { AuthorizerConfigurationError } from '../../src/execute/responses/gateway-errors.ts';

const ACCOUNT = '123456789012';
const uri = `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:${ACCOUNT}:function:hostile/invocations`;

// Answers by the token: `allow-star` (a policy for every resource), outputs meant to break the gateway, and an echo
// of the request's identity for the cache-confusion case.
const HOSTILE = `
export const handler = async (event) => {
  await fetch(process.env.PROBE + '/record/hostile', { method: 'POST', body: JSON.stringify(event) });
  const token = event.type === 'TOKEN' ? event.authorizationToken : event.queryStringParameters?.mode;
  const allow = (resource) => ({ Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: resource }] });
  switch (token) {
    case 'allow-star': return { principalId: 'star', policyDocument: allow('*') };
    case 'huge-context': return { principalId: 'p', policyDocument: allow('*'), context: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => ['k' + i, 'v'])) };
    case 'proto-key': return JSON.parse('{"principalId":"p","policyDocument":{"Version":"2012-10-17","Statement":[{"Action":"execute-api:Invoke","Effect":"Allow","Resource":"*"}]},"context":{"__proto__":"x","constructor":"y","toString":"z"}}');
    case 'proto-object': return JSON.parse('{"principalId":"p","policyDocument":{"Version":"2012-10-17","Statement":[{"Action":"execute-api:Invoke","Effect":"Allow","Resource":"*"}]},"context":{"__proto__":{"polluted":"yes"}}}');
    case 'principal-object': return { principalId: { a: 1 }, policyDocument: allow('*') };
    case 'policy-string': return { principalId: 'p', policyDocument: JSON.stringify(allow('*')) };
    case 'bad-effect': return { principalId: 'p', policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Maybe', Resource: '*' }] } };
    case 'other-action': return { principalId: 'p', policyDocument: { Version: '2012-10-17', Statement: [{ Action: 's3:GetObject', Effect: 'Allow', Resource: '*' }] } };
    case 'null': return null;
    case 'number': return 42;
    case 'huge-error': throw new Error('x'.repeat(200000));
    case 'unauthorized-ish': throw new Error('Unauthorized: token expired');
    default: return { principalId: 'q', policyDocument: allow(event.methodArn) };
  }
};`;

let gh: Running;
let probe: Probe;
before(async () => {
  gh = await startGatehouse();
  probe = await startProbe();
  await createFunction(gh.lambda, 'hostile', { 'index.mjs': HOSTILE }, { env: { PROBE: probe.url } });
  await gh.lambda.send(new AddPermissionCommand({ FunctionName: 'hostile', StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' }));
});
after(async () => {
  await probe.close();
  await gh.stop();
});

async function api(type: 'TOKEN' | 'REQUEST' = 'TOKEN', identitySource = 'method.request.header.Authorization') {
  const a = await ApiBuilder.create(gh);
  const authorizer = await gh.apigateway.send(new AG.CreateAuthorizerCommand({ restApiId: a.apiId, name: 'h', type, authorizerUri: uri, identitySource }));
  const method = { authorizationType: 'CUSTOM', authorizerId: authorizer.id };
  const mock = { type: 'MOCK' as const, requestTemplates: { 'application/json': '{"statusCode": 200}' } };
  const responses = [{ statusCode: '200', responseTemplates: { 'application/json': '{"p":"$context.authorizer.principalId","proto":"$context.authorizer.get(\'__proto__\')"}' } }];
  await a.method('/r', 'GET', mock, { method, responses });
  await a.method('/admin', 'DELETE', mock, { method, responses });
  await a.deploy('prod');
  return a;
}

test('malformed outputs are 500 AuthorizerConfigurationException {"message":null}, never a crash', async () => {
  const a = await api();
  for (const token of ['huge-context', 'proto-object', 'principal-object', 'policy-string', 'bad-effect', 'null', 'number', 'huge-error', 'unauthorized-ish']) {
    const r = await a.invoke('prod', '/r', { headers: { Authorization: token } });
    assert.equal(r.status, 500, token);
    assert.equal(r.body, '{"message":null}', token);
    assert.equal(r.headers['x-amzn-errortype'], 'AuthorizerConfigurationException', token);
  }
  // A policy granting another service's action grants nothing here.
  const other = await a.invoke('prod', '/r', { headers: { Authorization: 'other-action' } });
  assert.equal(other.status, 403);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('prototype keys in context stay plain keys and pollute nothing', async () => {
  const a = await api();
  const r = await a.invoke('prod', '/r', { headers: { Authorization: 'proto-key' } });
  assert.equal(r.status, 200);
  assert.deepEqual(r.json(), { p: 'p', proto: 'x' });
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(typeof ({} as { toString: unknown }).toString, 'function');
});

test('a policy for "*" allows every method of the API, but a cached result never crosses to another API', async () => {
  const a = await api();
  const b = await api();
  const before = probe.records('hostile').length;
  assert.equal((await a.invoke('prod', '/r', { headers: { Authorization: 'allow-star' } })).status, 200);
  assert.equal((await a.invoke('prod', '/admin', { method: 'DELETE', headers: { Authorization: 'allow-star' } })).status, 200);
  assert.equal(probe.records('hostile').length, before + 1);
  // Same token, another API (same function): the function decides again.
  assert.equal((await b.invoke('prod', '/r', { headers: { Authorization: 'allow-star' } })).status, 200);
  assert.equal(probe.records('hostile').length, before + 2);
});

test('a policy for one method, cached, does not open another method', async () => {
  const a = await api();
  assert.equal((await a.invoke('prod', '/r', { headers: { Authorization: 'scoped' } })).status, 200);
  const r = await a.invoke('prod', '/admin', { method: 'DELETE', headers: { Authorization: 'scoped' } });
  assert.equal(r.status, 403);
  assert.equal(r.body, '{"Message":"User is not authorized to access this resource"}');
});

test('identity values cannot be crafted to share another identity\'s cache entry', async () => {
  const a = await api('REQUEST', 'method.request.querystring.a, method.request.querystring.b');
  const before = probe.records('hostile').length;
  assert.equal((await a.invoke('prod', '/r?a=x%00y&b=z&mode=allow-star')).status, 200);
  // Joined naively these would be the same key ("x\0y\0z").
  const r = await a.invoke('prod', '/r?a=x&b=y%00z&mode=deny-by-default');
  assert.equal(probe.records('hostile').length, before + 2);
  assert.equal(r.status, 200); // its own decision (the default branch allows exactly this method)
});

test('huge and odd tokens are handled (no crash), and the cache stays bounded', async () => {
  const a = await api();
  const r = await a.invoke('prod', '/r', { headers: { Authorization: 'z'.repeat(8000) } });
  assert.equal(r.status, 200);
  const cache = new AuthorizerCache();
  const result = parseAuthorizerOutput(Buffer.from('{"principalId":"p","policyDocument":{"Version":"2012-10-17","Statement":[]}}'));
  for (let i = 0; i < MAX_ENTRIES_PER_AUTHORIZER + 50; i++) cache.set('api', 'prod', 'auth', `token-${i}`, result, 300);
  assert.equal(cache.size('api', 'prod', 'auth'), MAX_ENTRIES_PER_AUTHORIZER);
  assert.equal(cache.get('api', 'prod', 'auth', 'token-0'), undefined);
  assert.notEqual(cache.get('api', 'prod', 'auth', `token-${MAX_ENTRIES_PER_AUTHORIZER + 49}`), undefined);
  // Large outputs: the byte budget drops the oldest; one larger than the whole budget is not kept at all.
  const big = MAX_BYTES_PER_AUTHORIZER / 4;
  for (let i = 0; i < 6; i++) cache.set('api', 'prod', 'big', `b-${i}`, result, 300, big);
  assert.equal(cache.size('api', 'prod', 'big'), 3);
  assert.equal(cache.get('api', 'prod', 'big', 'b-2'), undefined);
  assert.notEqual(cache.get('api', 'prod', 'big', 'b-5'), undefined);
  cache.set('api', 'prod', 'big', 'huge', result, 300, MAX_BYTES_PER_AUTHORIZER + 1);
  assert.equal(cache.get('api', 'prod', 'big', 'huge'), undefined);
  assert.equal(cache.size('api', 'prod', 'big'), 3);
});

test('non-JSON and non-object payloads are configuration errors', () => {
  for (const payload of ['not json', '', '[]', '"s"', '{"policyDocument":[]}', '{"policyDocument":{"Statement":"x"}}', '{"policyDocument":{}}']) {
    assert.throws(() => parseAuthorizerOutput(Buffer.from(payload)), AuthorizerConfigurationError, payload);
  }
});

test('fuzz: 5,000 malformed authorizer outputs are accepted or refused as AuthorizerConfigurationError, never anything else', () => {
  // A seeded generator (xorshift32), so a failure reproduces.
  let seed = 0x9e3779b9;
  const rnd = (n: number) => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const atoms = [null, true, false, 0, -1, 1e308, 'x', '', '*', 'Allow', 'Deny', 'execute-api:Invoke', '__proto__', 'constructor', [], {}];
  const keys = ['principalId', 'policyDocument', 'context', 'usageIdentifierKey', 'Version', 'Statement', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition', 'Principal', '__proto__', 'constructor', 'prototype', 'StringEquals', 'aws:SourceIp'];
  const value = (depth: number): unknown => {
    if (depth > 4 || rnd(3) === 0) return atoms[rnd(atoms.length)];
    if (rnd(4) === 0) return Array.from({ length: rnd(4) }, () => value(depth + 1));
    const o: Record<string, unknown> = {};
    for (let i = rnd(5); i > 0; i--) Object.defineProperty(o, keys[rnd(keys.length)]!, { value: value(depth + 1), enumerable: true, configurable: true, writable: true });
    return o;
  };
  const valid = { principalId: 'p', policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: '*' }] }, context: { a: 'b' } };
  let accepted = 0;
  for (let i = 0; i < 5000; i++) {
    let text: string;
    const kind = rnd(4);
    if (kind === 0) text = JSON.stringify(value(0));
    else if (kind === 1) {
      // A valid output with one member replaced.
      const o = structuredClone(valid) as Record<string, any>;
      const target = [o, o.policyDocument, o.policyDocument.Statement[0], o.context][rnd(4)];
      target[keys[rnd(keys.length)]!] = value(1);
      text = JSON.stringify(o);
    } else if (kind === 2) {
      const whole = JSON.stringify(valid);
      text = whole.slice(0, rnd(whole.length));
    } else text = Buffer.from(Array.from({ length: rnd(64) }, () => rnd(256))).toString('latin1');
    let result;
    try {
      result = parseAuthorizerOutput(Buffer.from(text));
    } catch (e) {
      assert.ok(e instanceof AuthorizerConfigurationError, `${text}: ${(e as Error)?.stack}`);
      continue;
    }
    accepted++;
    for (const arn of ['arn:aws:execute-api:us-east-1:123456789012:a/b/GET/', '*', '']) {
      assert.ok(['Allow', 'ExplicitDeny', 'ImplicitDeny'].includes(decide(result.policy, arn)), text);
    }
    for (const [k] of result.authorizerEntries) assert.equal(typeof k, 'string');
  }
  assert.ok(accepted > 100, `only ${accepted} outputs were accepted: the generator no longer exercises the matcher`);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

// A model-driven probe: every apigateway operation is called with inputs generated from its shape — all members
// present with well-typed values, then only the required ones, then values of the wrong kind — against an API that
// exists (so ids resolve) and against ids that don't. No call may end in a 5xx; every error is AWS-shaped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pool } from 'undici';
import { loadServiceModel, type MemberRef, type ServiceModel, type Shape } from '../../src/aws/model.ts';
import { sigv4Headers, startGatehouse } from '../helpers/gatehouse.ts';

const SIGNED = sigv4Headers();

type Ids = Record<string, string>;

function sample(model: ServiceModel, ref: MemberRef, name: string, ids: Ids, mode: 'valid' | 'wrong', depth = 0): unknown {
  const shape: Shape = model.shapes[ref.shape]!;
  if (mode === 'wrong' && depth > 0 && shape.type !== 'structure') return shape.type === 'string' ? 42 : 'wrong';
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      if (depth > 4) return out;
      for (const [m, r] of Object.entries(shape.members ?? {})) out[m] = sample(model, r, m, ids, mode, depth + 1);
      return out;
    }
    case 'list':
      return depth > 4 ? [] : [sample(model, shape.member!, name, ids, mode, depth + 1)];
    case 'map':
      return depth > 4 ? {} : { key1: sample(model, shape.value!, name, ids, mode, depth + 1) };
    case 'string':
      if (shape.enum) return shape.enum[0];
      return ids[name] ?? (name.toLowerCase().includes('arn') ? 'arn:aws:iam::123456789012:role/probe' : name === 'patchOperations' ? '/x' : 'probe');
    case 'integer':
    case 'long':
      return 1;
    case 'double':
    case 'float':
      return 1.5;
    case 'boolean':
      return true;
    case 'timestamp':
      return 1_700_000_000;
    case 'blob':
      return 'e30=';
    default:
      return null;
  }
}

function buildRequest(model: ServiceModel, opName: string, input: Record<string, unknown>) {
  const op = model.operations[opName]!;
  const shape = op.input ? model.shapes[op.input.shape]! : { type: 'structure' as const, members: {} };
  const [pathTpl, fixedQuery] = op.http.requestUri.split('?') as [string, string | undefined];
  const query = new URLSearchParams(fixedQuery ?? '');
  const headers: Record<string, string> = { ...SIGNED, 'content-type': 'application/json' };
  const body: Record<string, unknown> = {};
  let path = pathTpl;
  let payload: string | undefined;
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const v = input[name];
    if (v === undefined) continue;
    const wire = ref.locationName ?? name;
    if (ref.location === 'uri') path = path.replace(`{${wire}}`, encodeURIComponent(String(v)));
    else if (ref.location === 'querystring') {
      if (v && typeof v === 'object' && !Array.isArray(v)) for (const [k, qv] of Object.entries(v)) query.append(k, String(qv));
      else if (Array.isArray(v)) v.forEach((x) => query.append(wire, String(x)));
      else query.set(wire, String(v));
    } else if (ref.location === 'header') headers[wire] = String(v);
    else if (name === shape.payload) payload = typeof v === 'string' ? Buffer.from(v, 'base64').toString() : JSON.stringify(v);
    else body[wire] = v;
  }
  path = path.replace(/\{[^}]+\}/g, 'missing');
  const q = query.toString();
  return { method: op.http.method as 'GET', path: q ? `${path}?${q}` : path, headers, body: payload ?? (Object.keys(body).length ? JSON.stringify(body) : undefined) };
}

test('every operation, generated inputs: no 5xx, AWS-shaped errors', async () => {
  const gh = await startGatehouse();
  const pool = new Pool(gh.endpoint, { connections: 4 });
  const model = loadServiceModel('apigateway-2015-07-09.json');
  const failures: string[] = [];
  try {
    // A small real API so that many ids resolve.
    const call = async (method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown) => {
      const r = await pool.request({ method, path, headers: { ...SIGNED, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      return (await r.body.json()) as any;
    };
    const api = await call('POST', '/restapis', { name: 'probe' });
    const res = await call('POST', `/restapis/${api.id}/resources/${api.rootResourceId}`, { pathPart: 'items' });
    await call('PUT', `/restapis/${api.id}/resources/${res.id}/methods/GET`, { authorizationType: 'NONE' });
    await call('PUT', `/restapis/${api.id}/resources/${res.id}/methods/GET/integration`, { type: 'MOCK' });
    const dep = await call('POST', `/restapis/${api.id}/deployments`, { stageName: 'dev' });
    const key = await call('POST', '/apikeys', { name: 'probe-key' });
    const plan = await call('POST', '/usageplans', { name: 'probe-plan' });
    const idSets: Ids[] = [
      {},
      {
        restApiId: api.id,
        resourceId: res.id,
        parentId: api.rootResourceId,
        httpMethod: 'GET',
        statusCode: '200',
        stageName: 'dev',
        deploymentId: dep.id,
        apiKey: key.id,
        keyId: key.id,
        usagePlanId: plan.id,
        modelName: 'Empty',
        responseType: 'DEFAULT_4XX',
      },
    ];
    let calls = 0;
    for (const opName of Object.keys(model.operations)) {
      const op = model.operations[opName]!;
      const inputRef = op.input;
      for (const ids of idSets) {
        for (const mode of ['valid', 'required', 'wrong'] as const) {
          let input: Record<string, unknown> = inputRef ? (sample(model, inputRef, opName, ids, mode === 'wrong' ? 'wrong' : 'valid') as Record<string, unknown>) : {};
          if (mode === 'required' && inputRef) {
            const required = new Set(model.shapes[inputRef.shape]!.required ?? []);
            input = Object.fromEntries(Object.entries(input).filter(([k]) => required.has(k)));
          }
          const req = buildRequest(model, opName, input);
          const r = await pool.request(req);
          const text = await r.body.text();
          calls++;
          if (r.statusCode >= 500) failures.push(`${opName} [${mode}${ids.restApiId ? ', real ids' : ''}] ${r.statusCode} ${text.slice(0, 200)}`);
          else if (r.statusCode >= 400) {
            let shaped = false;
            try {
              shaped = typeof JSON.parse(text).message === 'string' && typeof r.headers['x-amzn-errortype'] === 'string';
            } catch {}
            if (!shaped) failures.push(`${opName} [${mode}] not AWS-shaped: ${r.statusCode} ${text.slice(0, 200)}`);
          }
        }
      }
    }
    assert.equal(calls, Object.keys(model.operations).length * 6);
    assert.deepEqual(failures, []);
  } finally {
    await pool.close();
    await gh.stop();
  }
});

// What changed between two saves of an API definition, in the words `gatehouse import --watch` prints:
// `+2 paths, ~1 method, -1 model`. Computed from the two documents themselves (not from the server's state), so
// it costs no request and names what the author edited. Works for Swagger 2.0 and OpenAPI 3.0 alike: models are
// `definitions` or `components.schemas`, authorizers `securityDefinitions` or `components.securitySchemes`.
// Anything else that differs at the top level (or elsewhere in `components`) is named by its key.
import { isDeepStrictEqual } from 'node:util';

type Json = Record<string, unknown>;

/** The HTTP methods of a path item, and API Gateway's catch-all. Other keys (parameters, summary) are not methods. */
const METHOD_KEYS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace', 'x-amazon-apigateway-any-method']);

export interface Count {
  added: number;
  removed: number;
  changed: number;
}

export interface DefinitionChanges {
  paths: Count;
  /** Methods of paths present in both versions (a new path's methods come with "+1 path"). */
  methods: Count;
  models: Count;
  authorizers: Count;
  /** Other top-level sections that differ, e.g. `x-amazon-apigateway-gateway-responses`, `components.parameters`. */
  other: string[];
}

function obj(v: unknown): Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
}

function countKeys(before: Json, after: Json, same: (a: unknown, b: unknown) => boolean = isDeepStrictEqual): Count {
  const c: Count = { added: 0, removed: 0, changed: 0 };
  for (const k of Object.keys(after)) {
    if (!Object.hasOwn(before, k)) c.added++;
    else if (!same(before[k], after[k])) c.changed++;
  }
  for (const k of Object.keys(before)) if (!Object.hasOwn(after, k)) c.removed++;
  return c;
}

function methodsOf(pathItem: unknown): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(obj(pathItem))) if (METHOD_KEYS.has(k.toLowerCase())) out[k.toLowerCase()] = v;
  return out;
}

function modelsOf(doc: Json): Json {
  return obj(doc.definitions ?? obj(doc.components).schemas);
}

function authorizersOf(doc: Json): Json {
  return obj(doc.securityDefinitions ?? obj(doc.components).securitySchemes);
}

export function definitionChanges(beforeDoc: unknown, afterDoc: unknown): DefinitionChanges {
  const before = obj(beforeDoc);
  const after = obj(afterDoc);
  const beforePaths = obj(before.paths);
  const afterPaths = obj(after.paths);
  const paths: Count = { added: 0, removed: 0, changed: 0 };
  const methods: Count = { added: 0, removed: 0, changed: 0 };
  for (const p of Object.keys(afterPaths)) {
    if (!Object.hasOwn(beforePaths, p)) {
      paths.added++;
      continue;
    }
    const m = countKeys(methodsOf(beforePaths[p]), methodsOf(afterPaths[p]));
    methods.added += m.added;
    methods.removed += m.removed;
    methods.changed += m.changed;
    // Path-level parameters or summaries changed without any method changing: the path itself changed.
    const rest = (item: unknown) => Object.fromEntries(Object.entries(obj(item)).filter(([k]) => !METHOD_KEYS.has(k.toLowerCase())));
    if (!isDeepStrictEqual(rest(beforePaths[p]), rest(afterPaths[p]))) paths.changed++;
  }
  for (const p of Object.keys(beforePaths)) if (!Object.hasOwn(afterPaths, p)) paths.removed++;

  const handled = new Set(['paths', 'definitions', 'securityDefinitions', 'components']);
  const other: string[] = [];
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (!handled.has(k) && !isDeepStrictEqual(before[k], after[k])) other.push(k);
  }
  const bc = obj(before.components);
  const ac = obj(after.components);
  for (const k of new Set([...Object.keys(bc), ...Object.keys(ac)])) {
    if (k !== 'schemas' && k !== 'securitySchemes' && !isDeepStrictEqual(bc[k], ac[k])) other.push(`components.${k}`);
  }
  return { paths, methods, models: countKeys(modelsOf(before), modelsOf(after)), authorizers: countKeys(authorizersOf(before), authorizersOf(after)), other };
}

function phrase(c: Count, noun: string): string[] {
  const n = (k: number) => `${noun}${k === 1 ? '' : 's'}`;
  const out: string[] = [];
  if (c.added) out.push(`+${c.added} ${n(c.added)}`);
  if (c.changed) out.push(`~${c.changed} ${n(c.changed)}`);
  if (c.removed) out.push(`-${c.removed} ${n(c.removed)}`);
  return out;
}

/** `+2 paths, ~1 method, -1 model, ~x-amazon-apigateway-gateway-responses`, or `no change`. */
export function describeChanges(c: DefinitionChanges): string {
  const parts = [
    ...phrase(c.paths, 'path'),
    ...phrase(c.methods, 'method'),
    ...phrase(c.models, 'model'),
    ...phrase(c.authorizers, 'authorizer'),
    ...c.other.map((k) => `~${k}`),
  ];
  return parts.length ? parts.join(', ') : 'no change';
}

// Models as exported schemas: each model's JSON schema with references to other models (API Gateway's model
// URLs, https://apigateway.amazonaws.com/restapis/{id}/models/{name}) rewritten to `#/definitions/{name}`
// (swagger) or `#/components/schemas/{name}` (oas30), and the draft-04 `$schema` marker dropped, which OpenAPI
// schemas do not carry. Models come out in HashMap order of their names, as AWS's exports show them. Swagger
// definitions put `type` first (AWS exports the default Empty model, `{"$schema", "title", "type"}`, as
// `"type" : "object", "title" : "Empty Schema"` in swagger and `"title" : …, "type" : …` in oas30).
import type { Model } from '../store/entities.ts';
import { javaHashMapOrder } from './java-order.ts';

const MODEL_URL = /^https:\/\/apigateway\.amazonaws\.com\/restapis\/[^/]+\/models\/([^/#]+)(#.*)?$/;

export function exportedSchemas(models: readonly Model[], refPrefix: string, typeFirst: boolean): Record<string, unknown> {
  const byName = new Map<string, Model>();
  const names = [...models].map((m) => m.name).sort();
  for (const m of models) byName.set(m.name, m);
  return Object.fromEntries(javaHashMapOrder(names).map((name) => [name, exportedSchema(byName.get(name)!, refPrefix, typeFirst)]));
}

function exportedSchema(model: Model, refPrefix: string, typeFirst: boolean): unknown {
  let schema: unknown;
  try {
    schema = model.schema === undefined ? {} : JSON.parse(model.schema);
  } catch {
    schema = {};
  }
  if (schema !== null && typeof schema === 'object' && !Array.isArray(schema)) {
    const { $schema: _ignored, ...rest } = schema as Record<string, unknown>;
    schema = typeFirst && 'type' in rest ? { type: rest.type, ...rest } : rest;
    // (Object spread copies an own `__proto__` member as a plain property, like JSON.parse made it.)
  }
  return rewriteRefs(schema, refPrefix);
}

function rewriteRefs(v: unknown, refPrefix: string): unknown {
  if (Array.isArray(v)) return v.map((x) => rewriteRefs(x, refPrefix));
  if (v === null || typeof v !== 'object') return v;
  // Built with fromEntries (defining properties), so a schema member named `__proto__` stays a member.
  return Object.fromEntries(
    Object.entries(v).map(([k, x]) => {
      if (k === '$ref' && typeof x === 'string') {
        const m = MODEL_URL.exec(x);
        return [k, m ? `${refPrefix}${decodeURIComponent(m[1]!)}${m[2] && m[2] !== '#' ? m[2].slice(1) : ''}` : x];
      }
      return [k, rewriteRefs(x, refPrefix)];
    }),
  );
}

/** The reference to a model by name. */
export const modelRef = (refPrefix: string, name: string) => ({ $ref: `${refPrefix}${name}` });

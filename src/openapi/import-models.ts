// Models from `definitions` (Swagger 2.0) or `components.schemas` (OpenAPI 3.0): one model per schema, named
// after it, content type application/json, the schema stored with its `$ref`s rewritten to model URLs (recorded
// on AWS: localstack's test_apigateway_import.snapshot.json, test_import_swagger_api and
// test_import_with_circular_models). No Empty / Error defaults are added: an imported API has the models its
// definition names. Models referring to each other in a cycle import as on AWS: every model is created first
// with a placeholder schema, then given its real schema, so each reference finds its target.
import type { ImportSession } from './import-session.ts';
import { jacksonStringify } from './jackson-json.ts';
import { rewriteSchemaRefs } from './import-refs.ts';

const PLACEHOLDER = '{"type":"object"}';

export function schemasOf(session: ImportSession): Record<string, unknown> {
  const doc = session.def.doc;
  const schemas = session.def.version === 'swagger2' ? doc.definitions : doc.components?.schemas;
  return schemas && typeof schemas === 'object' && !Array.isArray(schemas) ? schemas : {};
}

/** Creates (or, when merging, replaces the schema of) every model; returns the names now usable by methods. */
export async function importModels(session: ImportSession, existing: ReadonlySet<string>): Promise<Set<string>> {
  const names = new Set(existing);
  const pending: Array<[string, unknown]> = [];
  for (const [name, schema] of Object.entries(schemasOf(session))) {
    const what = `Unable to create model for '${name}'`;
    if (!existing.has(name)) {
      const input: Record<string, unknown> = { name, contentType: 'application/json', schema: PLACEHOLDER };
      // AWS gives the model the schema's description (recorded: test_import_with_circular_models_and_request_validation).
      const description = (schema as { description?: unknown } | null)?.description;
      if (typeof description === 'string' && description) input.description = description;
      const created = await session.call('CreateModel', input, what);
      if (!created) continue;
    }
    names.add(name);
    pending.push([name, schema]);
  }
  for (const [name, schema] of pending) {
    const text = jacksonStringify(rewriteSchemaRefs(schema, session.apiId));
    const ok = await session.call(
      'UpdateModel',
      { modelName: name, patchOperations: [{ op: 'replace', path: '/schema', value: text }] },
      `Unable to create model for '${name}'`,
    );
    if (!ok) names.delete(name);
  }
  return names;
}

// API-level extensions that become entities of their own, each created through its control operation:
// x-amazon-apigateway-request-validators (name → CreateRequestValidator), x-amazon-apigateway-gateway-responses
// (response type → PutGatewayResponse) and x-amazon-apigateway-documentation (ImportDocumentationParts, skipped
// with `parameters.ignore=documentation`, as the ImportRestApi reference says).
import { importDocumentationParts } from '../control/documentation-import.ts';
import type { ImportSession } from './import-session.ts';

/** Creates the request validators; answers name → id. `existing` (merge) are replaced by name, keeping their ids. */
export async function importRequestValidators(session: ImportSession, existing: Map<string, string>): Promise<Map<string, string>> {
  const ids = new Map(existing);
  const validators = session.def.doc['x-amazon-apigateway-request-validators'];
  if (!validators || typeof validators !== 'object') return ids;
  for (const [name, raw] of Object.entries(validators as Record<string, any>)) {
    const what = `Unable to create request validator '${name}'`;
    const oldId = existing.get(name);
    const create = () =>
      session.call(
        'CreateRequestValidator',
        { name, validateRequestBody: raw?.validateRequestBody === true, validateRequestParameters: raw?.validateRequestParameters === true },
        what,
      );
    // merge: a validator of the same name is replaced by the definition's, keeping its id.
    const created = oldId ? await session.replaceKeepingId('requestvalidators', oldId, create) : await create();
    if (created) ids.set(name, created.id);
    else ids.delete(name);
  }
  return ids;
}

function stringMap(v: unknown): Record<string, string> | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  return Object.fromEntries(Object.entries(v).filter(([, val]) => typeof val === 'string'));
}

export async function importGatewayResponses(session: ImportSession): Promise<void> {
  const responses = session.def.doc['x-amazon-apigateway-gateway-responses'];
  if (!responses || typeof responses !== 'object') return;
  for (const [responseType, raw] of Object.entries(responses as Record<string, any>)) {
    const input: Record<string, unknown> = { responseType };
    if (raw?.statusCode !== undefined) input.statusCode = String(raw.statusCode);
    const params = stringMap(raw?.responseParameters);
    if (params) input.responseParameters = params;
    const templates = stringMap(raw?.responseTemplates);
    if (templates) input.responseTemplates = templates;
    await session.call('PutGatewayResponse', input, `Unable to put gateway response '${responseType}'`);
  }
}

export async function importDocumentation(session: ImportSession, mode: string): Promise<void> {
  if (session.def.doc['x-amazon-apigateway-documentation'] === undefined) return;
  const out = await session.callWith(
    (input, ctx) => importDocumentationParts(input, ctx),
    { body: JSON.stringify({ 'x-amazon-apigateway-documentation': session.def.doc['x-amazon-apigateway-documentation'] }), mode },
    'Unable to import documentation',
  );
  for (const w of (out?.warnings as string[] | undefined) ?? []) session.warn(w);
}

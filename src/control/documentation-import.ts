// ImportDocumentationParts: documentation parts from an OpenAPI / Swagger file (JSON or YAML) carrying the
// `x-amazon-apigateway-documentation` extension (developer guide, "Import API documentation"):
//
//   x-amazon-apigateway-documentation:
//     version: "1.0"
//     documentationParts:
//       - location: { type: METHOD, path: /pets, method: GET }
//         properties: { description: "..." }
//
// mode=merge (default) adds the file's parts and replaces the properties of parts already at the same locations;
// mode=overwrite first deletes every existing part of the API. A part that cannot be imported is skipped with a
// warning; with failOnWarnings=true any warning fails the whole import and nothing changes.
import { parseDefinitionYaml } from '../openapi/definition-yaml.ts';
import { AwsError, BadRequestException } from '../aws/errors.ts';
import type { OperationContext, OperationInput } from '../aws/operation.ts';
import { requireRestApi } from './common.ts';
import { newId } from './ids.ts';
import { type DocumentationPartLocation, locationKey, normaliseLocation } from './documentation-location.ts';
import { DOCUMENTATION_PARTS, type DocumentationPart, listParts, validateProperties } from './documentation-parts-store.ts';

const EXTENSION = 'x-amazon-apigateway-documentation';

interface Candidate {
  location: DocumentationPartLocation;
  properties: string;
}

function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  return '';
}

// What AWS answers for a body it cannot read as a definition, JSON or YAML (recorded in localstack's validated
// snapshots, test_import_documentation_parts_bad_file).
const UNREADABLE = 'Unable to build importer with provided input.';

/** The file as a document: JSON first, then YAML. */
function parseDefinition(text: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    try {
      doc = parseDefinitionYaml(text);
    } catch {
      throw new BadRequestException(UNREADABLE);
    }
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new BadRequestException(UNREADABLE);
  return doc as Record<string, unknown>;
}

/** The importable parts of the file, with a warning for each one skipped. */
function candidatesOf(doc: Record<string, unknown>, warnings: string[]): Candidate[] {
  const ext = doc[EXTENSION];
  if (ext === undefined) {
    warnings.push(`No documentation parts imported: the definition has no ${EXTENSION} extension`);
    return [];
  }
  const list = (ext as { documentationParts?: unknown } | null)?.documentationParts;
  if (!Array.isArray(list)) {
    warnings.push(`No documentation parts imported: ${EXTENSION}.documentationParts must be a list`);
    return [];
  }
  const out: Candidate[] = [];
  list.forEach((raw, i) => {
    try {
      if (typeof raw !== 'object' || raw === null) throw new BadRequestException('a documentation part must be an object');
      const { location, properties } = raw as { location?: unknown; properties?: unknown };
      if (typeof location !== 'object' || location === null) throw new BadRequestException('the part has no location');
      const props = typeof properties === 'string' ? properties : JSON.stringify(properties ?? null);
      out.push({ location: normaliseLocation(location as Record<string, unknown>), properties: validateProperties(props) });
    } catch (e) {
      if (!(e instanceof AwsError)) throw e;
      warnings.push(`Documentation part at index ${i} was not imported: ${e.message}`);
    }
  });
  return out;
}

export async function importDocumentationParts(input: OperationInput, ctx: OperationContext) {
  const mode: string = input.mode ?? 'merge';
  const warnings: string[] = [];
  const doc = parseDefinition(bodyText(input.body));
  const candidates = candidatesOf(doc, warnings);

  // Within one file the last part for a location wins, as if the parts were put one after the other.
  const byLocation = new Map<string, Candidate>();
  for (const c of candidates) {
    const key = locationKey(c.location);
    if (byLocation.has(key)) warnings.push(`Duplicate documentation part location in the definition; the last one is used: ${key}`);
    byLocation.set(key, c);
  }
  if (input.failOnWarnings === true && warnings.length) {
    throw new BadRequestException(`Documentation import failed with warnings: ${warnings.join('; ')}`);
  }

  return ctx.db.write(async (tx) => {
    const apiId: string = input.restApiId;
    await requireRestApi(tx, ctx, apiId);
    if (mode === 'overwrite') await tx.deletePrefix(DOCUMENTATION_PARTS, `${apiId}/`);
    const existing = new Map((await listParts(tx, apiId)).map((p) => [locationKey(p.location), p]));
    const ids: string[] = [];
    for (const [key, c] of byLocation) {
      const part: DocumentationPart = existing.get(key) ?? { id: newId(6), location: c.location, properties: c.properties };
      part.properties = c.properties;
      await tx.put(DOCUMENTATION_PARTS, `${apiId}/${part.id}`, part);
      ids.push(part.id);
    }
    const out: { ids: string[]; warnings?: string[] } = { ids };
    if (warnings.length) out.warnings = warnings;
    return out;
  });
}

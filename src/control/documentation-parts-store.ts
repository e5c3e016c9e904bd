// Documentation parts as stored (`documentationparts` / `{apiId}/{partId}`) and the rules every writer of them shares:
// properties must be a JSON object, and no two parts of an API may document the same location.
import { BadRequestException, ConflictException } from '../aws/errors.ts';
import type { Tx } from '../store/store.ts';
import { type DocumentationPartLocation, describeLocation, locationKey } from './documentation-location.ts';

export const DOCUMENTATION_PARTS = 'documentationparts';
export const DOCUMENTATION_VERSIONS = 'documentationversions';

export interface DocumentationPart {
  id: string;
  location: DocumentationPartLocation;
  properties: string;
}

/** `properties` is a JSON object of OpenAPI-style documentation fields (API reference, DocumentationPart). */
export function validateProperties(properties: string | undefined): string {
  if (properties === undefined || properties.trim() === '') {
    throw new BadRequestException('Documentation part properties must be non-empty');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(properties);
  } catch {
    throw new BadRequestException('Invalid documentation part properties: must be a valid JSON object');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new BadRequestException('Invalid documentation part properties: must be a valid JSON object');
  }
  return properties;
}

/** A part has content unless its properties are an empty object (GetDocumentationParts locationStatus). */
export function isDocumented(part: DocumentationPart): boolean {
  try {
    const v = JSON.parse(part.properties);
    return !(typeof v === 'object' && v !== null && Object.keys(v).length === 0);
  } catch {
    return true;
  }
}

export async function listParts(tx: Tx, apiId: string): Promise<DocumentationPart[]> {
  return (await tx.list<DocumentationPart>(DOCUMENTATION_PARTS, `${apiId}/`)).map((e) => e.value);
}

/** The part of `apiId` at this location, if any. */
export async function partAt(tx: Tx, apiId: string, location: DocumentationPartLocation): Promise<DocumentationPart | undefined> {
  const key = locationKey(location);
  return (await listParts(tx, apiId)).find((p) => locationKey(p.location) === key);
}

export function duplicateLocation(location: DocumentationPartLocation): ConflictException {
  // Developer guide, "Document an API using the API Gateway REST API": 409 with this text.
  return new ConflictException(`Documentation part already exists for the specified location: ${describeLocation(location)}.`);
}

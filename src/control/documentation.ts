// DocumentationParts and DocumentationVersions of a REST API. Parts are OpenAPI-style content attached to a location
// (the API, a resource, a method, a parameter, a response ...); a version freezes the parts as they are, and a stage
// can name the version its published documentation uses.
import { NotFoundException } from '../aws/errors.ts';
import type { HandlerTable, OperationContext, OperationInput } from '../aws/operation.ts';
import { requireRestApi } from './common.ts';
import { newId } from './ids.ts';
import { paginate } from './pagination.ts';
import { invalidPatchPath, parsePatchOperations, unsupportedOpForPath } from './patch.ts';
import { normaliseLocation } from './documentation-location.ts';
import {
  DOCUMENTATION_PARTS,
  type DocumentationPart,
  duplicateLocation,
  isDocumented,
  listParts,
  partAt,
  validateProperties,
} from './documentation-parts-store.ts';
import { importDocumentationParts } from './documentation-import.ts';
import { handlers as versions } from './documentation-versions.ts';

const PART_NOT_FOUND = 'Invalid Documentation part identifier specified';

async function CreateDocumentationPart(input: OperationInput, ctx: OperationContext) {
  const location = normaliseLocation(input.location);
  const properties = validateProperties(input.properties);
  return ctx.db.write(async (tx) => {
    await requireRestApi(tx, ctx, input.restApiId);
    if (await partAt(tx, input.restApiId, location)) throw duplicateLocation(location);
    const part: DocumentationPart = { id: newId(6), location, properties };
    await tx.put(DOCUMENTATION_PARTS, `${input.restApiId}/${part.id}`, part);
    return part;
  });
}

// Real AWS (recorded responses in localstack's validated snapshots): Get and Update of a part under an unknown API
// answer with the part's 404, while Create, Delete and GetDocumentationParts name the API.
async function GetDocumentationPart(input: OperationInput, ctx: OperationContext) {
  return ctx.db.read(async (tx) => {
    const part = await tx.get<DocumentationPart>(DOCUMENTATION_PARTS, `${input.restApiId}/${input.documentationPartId}`);
    if (!part) throw new NotFoundException(PART_NOT_FOUND);
    return part;
  });
}

/**
 * The `path` filter matches the path and everything below it: real AWS returns the parts of child resources too
 * (confirmed by AWS support as intended, aws/aws-sdk-go-v2 issue 1776).
 */
function underPath(partPath: string | undefined, filter: string): boolean {
  if (partPath === undefined) return false;
  if (filter === '/' || partPath === filter) return true;
  return partPath.startsWith(filter.endsWith('/') ? filter : `${filter}/`);
}

async function GetDocumentationParts(input: OperationInput, ctx: OperationContext) {
  const parts = await ctx.db.read(async (tx) => {
    await requireRestApi(tx, ctx, input.restApiId);
    return listParts(tx, input.restApiId);
  });
  const nameQuery = (input.nameQuery as string | undefined)?.toLowerCase();
  const matching = parts.filter((p) =>
    (input.type === undefined || p.location.type === input.type) &&
    (input.path === undefined || underPath(p.location.path, input.path)) &&
    (nameQuery === undefined || (p.location.name ?? '').toLowerCase().includes(nameQuery)) &&
    (input.locationStatus === undefined || isDocumented(p) === (input.locationStatus === 'DOCUMENTED')));
  return paginate(matching, input);
}

async function UpdateDocumentationPart(input: OperationInput, ctx: OperationContext) {
  const ops = parsePatchOperations(input.patchOperations);
  return ctx.db.write(async (tx) => {
    const key = `${input.restApiId}/${input.documentationPartId}`;
    const part = await tx.get<DocumentationPart>(DOCUMENTATION_PARTS, key);
    if (!part) throw new NotFoundException(PART_NOT_FOUND);
    for (const p of ops) {
      // The location is the part's identity; only /properties is replaced (texts recorded from AWS).
      if (p.op !== 'replace') throw unsupportedOpForPath(p);
      if (p.path !== '/properties') throw invalidPatchPath(p, ['/properties']);
      part.properties = validateProperties(p.value);
    }
    await tx.put(DOCUMENTATION_PARTS, key, part);
    return part;
  });
}

async function DeleteDocumentationPart(input: OperationInput, ctx: OperationContext) {
  await ctx.db.write(async (tx) => {
    await requireRestApi(tx, ctx, input.restApiId);
    if (!(await tx.delete(DOCUMENTATION_PARTS, `${input.restApiId}/${input.documentationPartId}`))) {
      throw new NotFoundException(PART_NOT_FOUND);
    }
  });
}

async function ImportDocumentationParts(input: OperationInput, ctx: OperationContext) {
  return importDocumentationParts(input, ctx);
}

export const handlers: HandlerTable = {
  CreateDocumentationPart,
  GetDocumentationPart,
  GetDocumentationParts,
  UpdateDocumentationPart,
  DeleteDocumentationPart,
  ImportDocumentationParts,
  ...versions,
};

// DocumentationVersions: a named snapshot of an API's documentation parts (developer guide, "Publish API
// documentation"). Creating one with a stageName also makes it that stage's documentationVersion. Stored under
// `documentationversions` / `{apiId}/{version}` with the frozen parts beside the public members.
import { BadRequestException, ConflictException, NotFoundException } from '../aws/errors.ts';
import type { HandlerTable, OperationContext, OperationInput } from '../aws/operation.ts';
import type { Stage, Timestamp } from '../store/entities.ts';
import type { Tx } from '../store/store.ts';
import { requireRestApi, withDates } from './common.ts';
import { paginate } from './pagination.ts';
import { invalidPatchPath, parsePatchOperations, unsupportedOpForPath } from './patch.ts';
import { DOCUMENTATION_VERSIONS, type DocumentationPart, listParts } from './documentation-parts-store.ts';

export interface DocumentationVersion {
  version: string;
  createdDate: Timestamp;
  description?: string;
}

export interface StoredDocumentationVersion extends DocumentationVersion {
  /** The parts as they were when the version was created (internal; what a published version documents). */
  parts: DocumentationPart[];
}

const VERSION_NOT_FOUND = 'Invalid Documentation version identifier specified';
const STAGE_NOT_FOUND = 'Invalid stage identifier specified';

function present(v: StoredDocumentationVersion): DocumentationVersion {
  const out: DocumentationVersion = { version: v.version, createdDate: v.createdDate };
  if (v.description !== undefined) out.description = v.description;
  return withDates(out);
}

async function requireVersion(tx: Tx, apiId: string, version: string): Promise<StoredDocumentationVersion> {
  const v = await tx.get<StoredDocumentationVersion>(DOCUMENTATION_VERSIONS, `${apiId}/${version}`);
  if (!v) throw new NotFoundException(VERSION_NOT_FOUND);
  return v;
}

async function CreateDocumentationVersion(input: OperationInput, ctx: OperationContext) {
  const version: string = input.documentationVersion;
  if (!version.trim()) throw new BadRequestException('Documentation version must be non-empty');
  return ctx.db.write(async (tx) => {
    const apiId: string = input.restApiId;
    await requireRestApi(tx, ctx, apiId);
    if (await tx.get(DOCUMENTATION_VERSIONS, `${apiId}/${version}`)) {
      throw new ConflictException(`Documentation version ${version} already exists`);
    }
    let stage: Stage | undefined;
    if (input.stageName !== undefined) {
      stage = await tx.get<Stage>('stages', `${apiId}/${input.stageName}`);
      if (!stage) throw new NotFoundException(STAGE_NOT_FOUND);
    }
    const now = ctx.now().getTime();
    const stored: StoredDocumentationVersion = { version, createdDate: now, parts: await listParts(tx, apiId) };
    if (input.description !== undefined) stored.description = input.description;
    await tx.put(DOCUMENTATION_VERSIONS, `${apiId}/${version}`, stored);
    if (stage) {
      await tx.put('stages', `${apiId}/${stage.stageName}`, { ...stage, documentationVersion: version, lastUpdatedDate: now });
    }
    return present(stored);
  });
}

async function GetDocumentationVersion(input: OperationInput, ctx: OperationContext) {
  return ctx.db.read(async (tx) => {
    await requireRestApi(tx, ctx, input.restApiId);
    return present(await requireVersion(tx, input.restApiId, input.documentationVersion));
  });
}

async function GetDocumentationVersions(input: OperationInput, ctx: OperationContext) {
  const all = await ctx.db.read(async (tx) => {
    await requireRestApi(tx, ctx, input.restApiId);
    return tx.list<StoredDocumentationVersion>(DOCUMENTATION_VERSIONS, `${input.restApiId}/`);
  });
  const page = paginate(all.map((e) => e.value), input);
  return { items: page.items.map(present), position: page.position };
}

async function UpdateDocumentationVersion(input: OperationInput, ctx: OperationContext) {
  const ops = parsePatchOperations(input.patchOperations);
  return ctx.db.write(async (tx) => {
    await requireRestApi(tx, ctx, input.restApiId);
    const v = await requireVersion(tx, input.restApiId, input.documentationVersion);
    for (const p of ops) {
      // API reference, UpdateDocumentationVersion: only /description, replaced; the snapshot itself is immutable.
      if (p.op !== 'replace') throw unsupportedOpForPath(p);
      if (p.path !== '/description') throw invalidPatchPath(p, ['/description']);
      if (p.value === undefined || p.value === '') delete v.description;
      else v.description = p.value;
    }
    await tx.put(DOCUMENTATION_VERSIONS, `${input.restApiId}/${v.version}`, v);
    return present(v);
  });
}

async function DeleteDocumentationVersion(input: OperationInput, ctx: OperationContext) {
  await ctx.db.write(async (tx) => {
    const apiId: string = input.restApiId;
    await requireRestApi(tx, ctx, apiId);
    const v = await requireVersion(tx, apiId, input.documentationVersion);
    await tx.delete(DOCUMENTATION_VERSIONS, `${apiId}/${v.version}`);
    // A stage must not keep naming a version that no longer exists.
    for (const { key, value } of await tx.list<Stage>('stages', `${apiId}/`)) {
      if (value.documentationVersion === v.version) {
        const { documentationVersion: _gone, ...rest } = value;
        await tx.put('stages', key, { ...rest, lastUpdatedDate: ctx.now().getTime() });
      }
    }
  });
}

export const handlers: HandlerTable = {
  CreateDocumentationVersion,
  GetDocumentationVersion,
  GetDocumentationVersions,
  UpdateDocumentationVersion,
  DeleteDocumentationVersion,
};

// Resources: the path tree of a REST API. Path parts are literal names, `{param}` variables or a greedy `{name+}`
// leaf; siblings must have distinct names and at most one of them may be a variable. Deleting a resource deletes
// its subtree and every method on it. Sources: AWS responses recorded in localstack's
// tests/aws/services/apigateway/test_apigateway_api.snapshot.json (TestApiGatewayApiResource).
import type { HandlerTable, OperationContext, OperationInput } from '../aws/operation.ts';
import { BadRequestException, ConflictException, NotFoundException } from '../aws/errors.ts';
import type { Tx } from '../store/store.ts';
import type { Method, Resource, ResourceWithMethods } from '../store/entities.ts';
import { newId } from './ids.ts';
import { paginate } from './pagination.ts';
import { parsePatchOperations, requireReplaceOf } from './patch.ts';
import {
  INVALID_RESOURCE,
  childrenOf,
  descendantsOf,
  isGreedyPathPart,
  isVariablePathPart,
  joinPath,
  listResources,
  requireResource,
  resourceKey,
} from './resources-tree.ts';
import { methodsByResource, methodsOf, presentMethod } from './methods-store.ts';

// A static part may also hold `:` (custom methods such as `events:batchGet`): AWS accepts it although its error text
// does not say so (checked against AWS in getmoto/moto#6148; accepted by CloudFormation and the console per
// aws/aws-cdk#22477). Variable names keep the narrower set.
const PATH_PART = /^(?:[A-Za-z0-9._:-]+|\{[A-Za-z0-9._-]+\+?\})$/;

export function validatePathPart(pathPart: string): void {
  // AWS's text for an empty path part, quoted from a real response in claudiajs/claudia-api-builder#3.
  if (pathPart === '') throw new BadRequestException("Resource's path part must be specified");
  if (!PATH_PART.test(pathPart)) {
    throw new BadRequestException(
      "Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.",
    );
  }
}

/** The sibling rules for placing `pathPart` under `parent` (ignoring the resource `selfId` itself). */
export function checkPlacement(all: readonly Resource[], parent: Resource, pathPart: string, selfId?: string): void {
  if (isGreedyPathPart(parent.pathPart)) {
    throw new BadRequestException(`Cannot create a child of a resource with a greedy path variable: ${parent.pathPart}`);
  }
  const siblings = childrenOf(all, parent.id).filter((r) => r.id !== selfId);
  if (siblings.some((s) => s.pathPart === pathPart)) {
    throw new ConflictException(`Another resource with the same parent already has this name: ${pathPart}`);
  }
  if (isVariablePathPart(pathPart)) {
    const variable = siblings.find((s) => isVariablePathPart(s.pathPart));
    if (variable) {
      throw new BadRequestException(
        `A sibling (${variable.pathPart}) of this resource already has a variable path part -- only one is allowed`,
      );
    }
  }
}

function wantsMethods(embed: unknown): boolean {
  const list = Array.isArray(embed) ? embed : typeof embed === 'string' ? [embed] : [];
  return list.some((e) => String(e).split(',').map((s) => s.trim()).includes('methods'));
}

/**
 * A resource as Get answers it: with `embed=methods` its methods in full; without, AWS still lists which methods
 * exist, each as an empty object.
 */
async function present(tx: Tx, apiId: string, resource: Resource, embed: boolean, loaded?: Record<string, Method>): Promise<ResourceWithMethods> {
  const methods = loaded ?? (await methodsOf(tx, apiId, resource.id));
  const names = Object.keys(methods);
  if (!names.length) return { ...resource };
  const resourceMethods: Record<string, Method> = {};
  for (const name of names) resourceMethods[name] = embed ? presentMethod(methods[name]!) : ({} as Method);
  return { ...resource, resourceMethods };
}

const CreateResource = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.write(async (tx) => {
    const { restApiId, parentId, pathPart } = input as { restApiId: string; parentId: string; pathPart: string };
    const parent = await requireResource(tx, restApiId, parentId);
    validatePathPart(pathPart);
    const all = await listResources(tx, restApiId);
    checkPlacement(all, parent, pathPart);
    const resource: Resource = { id: newId(10), parentId: parent.id, pathPart, path: joinPath(parent.path, pathPart) };
    await tx.put('resources', resourceKey(restApiId, resource.id), resource);
    return { ...resource };
  });

const GetResource = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.read(async (tx) => {
    const resource = await requireResource(tx, input.restApiId, input.resourceId);
    return present(tx, input.restApiId, resource, wantsMethods(input.embed));
  });

const GetResources = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.read(async (tx) => {
    if (!(await tx.get('restapis', input.restApiId))) {
      throw new NotFoundException(`Invalid API identifier specified ${ctx.accountId}:${input.restApiId}`);
    }
    const page = paginate(await listResources(tx, input.restApiId), input);
    const embed = wantsMethods(input.embed);
    const methods = await methodsByResource(tx, input.restApiId);
    const items: ResourceWithMethods[] = [];
    for (const r of page.items) items.push(await present(tx, input.restApiId, r, embed, methods.get(r.id) ?? {}));
    return { items, ...(page.position ? { position: page.position } : {}) };
  });

const UPDATE_PATHS = ['/parentId', '/pathPart'];

const UpdateResource = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.write(async (tx) => {
    const apiId: string = input.restApiId;
    const resource = await requireResource(tx, apiId, input.resourceId);
    const all = await listResources(tx, apiId);
    const next: Resource = { ...resource };
    for (const p of parsePatchOperations(input.patchOperations)) {
      // Only `replace` has paths here: any other op is refused whatever its path, as for models and validators
      // (recorded: add-unsupported, remove-unsupported, update-model-invalid-op).
      requireReplaceOf(p, UPDATE_PATHS);
      if (!resource.parentId) {
        throw new BadRequestException(`Root resource cannot update its ${p.path.slice(1)}.`);
      }
      const value = p.value ?? '';
      if (p.path === '/parentId') {
        const parent = all.find((r) => r.id === value);
        if (!parent) throw new NotFoundException(INVALID_RESOURCE);
        if (parent.id === resource.id || descendantsOf(all, resource.id).some((d) => d.id === parent.id)) {
          throw new BadRequestException('Resources cannot be cyclical.');
        }
        next.parentId = parent.id;
      } else {
        validatePathPart(value);
        next.pathPart = value;
      }
    }
    const parent = all.find((r) => r.id === next.parentId);
    if (parent && (next.parentId !== resource.parentId || next.pathPart !== resource.pathPart)) {
      checkPlacement(all, parent, next.pathPart!, resource.id);
      if (isGreedyPathPart(next.pathPart) && childrenOf(all, resource.id).length) {
        throw new BadRequestException(`Cannot create a child of a resource with a greedy path variable: ${next.pathPart}`);
      }
      next.path = joinPath(parent.path, next.pathPart!);
      await tx.put('resources', resourceKey(apiId, next.id), next);
      // Every descendant's path starts with the moved resource's path: rewrite them top-down.
      const paths = new Map<string, string>([[next.id, next.path]]);
      for (const d of descendantsOf(all, resource.id)) {
        const path = joinPath(paths.get(d.parentId!)!, d.pathPart!);
        paths.set(d.id, path);
        await tx.put('resources', resourceKey(apiId, d.id), { ...d, path });
      }
    }
    return present(tx, apiId, next, false);
  });

const DeleteResource = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.write(async (tx) => {
    const apiId: string = input.restApiId;
    const resource = await requireResource(tx, apiId, input.resourceId);
    if (!resource.parentId) throw new BadRequestException('Cannot delete the root resource of a REST API.');
    const all = await listResources(tx, apiId);
    for (const r of [resource, ...descendantsOf(all, resource.id)]) {
      await tx.deletePrefix('methods', `${apiId}/${r.id}/`);
      await tx.delete('resources', resourceKey(apiId, r.id));
    }
  });

export const handlers: HandlerTable = { CreateResource, GetResource, GetResources, UpdateResource, DeleteResource };

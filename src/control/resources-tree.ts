// The resource tree of a REST API as the store keeps it: one `resources` item per node ({apiId}/{resourceId}),
// each knowing its parent and its full path. These helpers find nodes with AWS's not-found text and answer the
// tree questions (children, descendants, path of a node) that resources, methods and integrations all ask.
import { NotFoundException } from '../aws/errors.ts';
import type { Tx } from '../store/store.ts';
import type { Resource } from '../store/entities.ts';

export const INVALID_RESOURCE = 'Invalid Resource identifier specified';

export const resourceKey = (apiId: string, resourceId: string): string => `${apiId}/${resourceId}`;

/** The resource, or AWS's 404. AWS answers the same text when the API itself does not exist. */
export async function requireResource(tx: Tx, apiId: string, resourceId: string): Promise<Resource> {
  const resource = await tx.get<Resource>('resources', resourceKey(apiId, resourceId));
  if (!resource) throw new NotFoundException(INVALID_RESOURCE);
  return resource;
}

/** Every resource of the API, ordered by path as GetResources lists them. */
export async function listResources(tx: Tx, apiId: string): Promise<Resource[]> {
  const items = (await tx.list<Resource>('resources', `${apiId}/`)).map((i) => i.value);
  return items.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export function childrenOf(all: readonly Resource[], parentId: string): Resource[] {
  return all.filter((r) => r.parentId === parentId);
}

/** The resource's descendants (not itself), parents before children. */
export function descendantsOf(all: readonly Resource[], resourceId: string): Resource[] {
  const out: Resource[] = [];
  const queue = [resourceId];
  while (queue.length) {
    const id = queue.shift()!;
    for (const child of childrenOf(all, id)) {
      out.push(child);
      queue.push(child.id);
    }
  }
  return out;
}

export function joinPath(parentPath: string, pathPart: string): string {
  return parentPath === '/' ? `/${pathPart}` : `${parentPath}/${pathPart}`;
}

/** `{name}` or `{name+}`: a path variable. */
export function isVariablePathPart(pathPart: string | undefined): boolean {
  return !!pathPart && pathPart.startsWith('{') && pathPart.endsWith('}');
}

/** `{name+}`: a greedy path variable, which must be a leaf. */
export function isGreedyPathPart(pathPart: string | undefined): boolean {
  return !!pathPart && pathPart.startsWith('{') && pathPart.endsWith('+}');
}

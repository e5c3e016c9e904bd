// Paths → the resource tree, with the definition's base path handled as `parameters.basepath` says (developer
// guide, "Set the OpenAPI basePath property"): `ignore` (the default) drops it, `prepend` puts all of it in front
// of every path, `split` drops its first segment and prepends the rest. The base path is Swagger's `basePath`, or
// in OpenAPI 3.0 the path of the first server's URL, or that server's only `basePath` variable (recorded on AWS:
// localstack's test_apigateway_import.snapshot.json, test_import_rest_api_with_base_path_oas30).
import { AwsError, BadRequestException } from '../aws/errors.ts';
import { newId } from '../control/ids.ts';
import { checkPlacement, validatePathPart } from '../control/resources.ts';
import { joinPath, resourceKey } from '../control/resources-tree.ts';
import type { Resource } from '../store/entities.ts';
import type { ImportSession } from './import-session.ts';

function serverBasePath(server: Record<string, any> | undefined): string {
  if (!server) return '';
  const variables = (server.variables && typeof server.variables === 'object' ? server.variables : {}) as Record<string, any>;
  let url = String(server.url ?? '').replace(/\{([^}]+)\}/g, (_m, name: string) => String((Object.hasOwn(variables, name) ? variables[name]?.default : undefined) ?? ''));
  if (!String(server.url ?? '').includes('{basePath}') && variables.basePath?.default !== undefined) {
    return String(variables.basePath.default);
  }
  url = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
  return url;
}

export function basePathOf(session: ImportSession): string {
  const doc = session.def.doc;
  const raw = session.def.version === 'swagger2' ? String(doc.basePath ?? '') : serverBasePath(Array.isArray(doc.servers) ? doc.servers[0] : undefined);
  return raw.split('/').filter(Boolean).join('/');
}

/** The path prefix to put in front of every definition path, for a `basepath` parameter value. */
export function pathPrefix(session: ImportSession, mode: string | undefined): string {
  const base = basePathOf(session);
  switch (mode ?? 'ignore') {
    case 'ignore':
      return '';
    case 'prepend':
      return base ? `/${base}` : '';
    case 'split': {
      const rest = base.split('/').slice(1).join('/');
      return rest ? `/${rest}` : '';
    }
    default:
      throw new BadRequestException(`Invalid basepath parameter value: ${mode}. Valid options are ignore,prepend,split`);
  }
}

/**
 * Finds or creates the resources of each path, parents first; answers the resource id of a full path. Resources
 * are checked with CreateResource's own rules (`validatePathPart`, `checkPlacement`) against the tree held here,
 * rather than through CreateResource itself, which reads every resource of the API for each one it creates.
 */
export class ResourceTree {
  private readonly byPath = new Map<string, Resource>();
  private readonly children = new Map<string, Resource[]>();
  private readonly session: ImportSession;

  constructor(session: ImportSession, existing: readonly Resource[]) {
    this.session = session;
    for (const r of existing) this.add(r);
  }

  private add(r: Resource): void {
    this.byPath.set(r.path, r);
    if (r.parentId) {
      const list = this.children.get(r.parentId);
      if (list) list.push(r);
      else this.children.set(r.parentId, [r]);
    }
  }

  async ensure(path: string): Promise<string | undefined> {
    const known = this.byPath.get(path);
    if (known) return known.id;
    const cut = path.lastIndexOf('/');
    const parentPath = cut <= 0 ? '/' : path.slice(0, cut);
    const parentId = await this.ensure(parentPath);
    if (!parentId) return undefined;
    const parent = this.byPath.get(parentPath)!;
    const pathPart = path.slice(cut + 1);
    try {
      validatePathPart(pathPart);
      checkPlacement(this.children.get(parent.id) ?? [], parent, pathPart);
    } catch (e) {
      if (!(e instanceof AwsError)) throw e;
      this.session.error(`Unable to create resource at path '${path}': ${e.message}`);
      return undefined;
    }
    const resource: Resource = { id: newId(10), parentId: parent.id, pathPart, path: joinPath(parent.path, pathPart) };
    await this.session.tx.put('resources', resourceKey(this.session.apiId, resource.id), resource);
    this.add(resource);
    return resource.id;
  }
}

/** A definition path joined to the prefix and normalised: one leading slash, no trailing one. */
export function fullPath(prefix: string, path: string): string {
  const joined = `${prefix}/${path}`.split('/').filter(Boolean).join('/');
  return `/${joined}`;
}

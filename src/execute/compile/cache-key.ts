// The stage cache key of a method, compiled once per deployment. As on AWS, a key is the HTTP method, the
// integration's cacheNamespace (the resource id unless set: resources sharing a namespace share entries) and the
// values of the integration's cacheKeyParameters — nothing else. In particular neither the actual path nor the query
// string nor any header is part of it unless declared: every path under `{proxy+}` shares one entry when no key
// parameter names `method.request.path.proxy` (as AWS users find out: dougmoscrop/serverless-http#301).
// A key parameter is a method request parameter (`method.request.{path|querystring|header|multivaluequerystring|
// multivalueheader}.NAME`) or an integration request parameter (`integration.request.{kind}.NAME`), whose value is
// what its mapping reads (a method request parameter, a context or stage variable, the body, a literal).
import type { Method } from '../../store/entities.ts';
import { compileSource, type MappingScope, type SourceReader } from './parameter-mapping.ts';

export interface CompiledCacheKey {
  readonly namespace: string;
  readonly readers: readonly SourceReader[];
  /** Whether a key parameter reads the request body (the lookup must then read the body first). */
  readonly readsBody: boolean;
  /** The key of a request; `httpMethod` is the request's (an ANY method caches each verb apart). */
  key(httpMethod: string, scope: MappingScope | undefined): string;
}

const METHOD_REQUEST = /^method\.request\.(path|querystring|header|multivaluequerystring|multivalueheader)\.\S+$/;

export function compileCacheKey(method: Method, resourceId: string): CompiledCacheKey {
  const integration = method.methodIntegration ?? {};
  const namespace = integration.cacheNamespace ?? resourceId;
  const readers: SourceReader[] = [];
  let readsBody = false;
  for (const param of integration.cacheKeyParameters ?? []) {
    // The control plane accepted only declared method parameters and mapped integration parameters.
    const source = METHOD_REQUEST.test(param) ? param : integration.requestParameters?.[param];
    if (source === undefined) continue;
    if (source === 'method.request.body' || source.startsWith('method.request.body.')) readsBody = true;
    readers.push(compileSource(source, 'request'));
  }
  // Without parameters the key depends on the verb only: built once per verb.
  const fixed = new Map<string, string>();
  return {
    namespace,
    readers,
    readsBody,
    key(httpMethod, scope) {
      if (readers.length === 0 || !scope) {
        let k = fixed.get(httpMethod);
        if (k === undefined) fixed.set(httpMethod, (k = JSON.stringify([httpMethod, namespace])));
        return k;
      }
      // JSON keeps the parts apart whatever they contain (no separator a value could forge); an absent parameter
      // (null) differs from an empty one (""), and every value of a repeated parameter counts.
      const parts: Array<string | string[] | null> = [httpMethod, namespace];
      for (const read of readers) parts.push(read(scope) ?? null);
      return JSON.stringify(parts);
    },
  };
}

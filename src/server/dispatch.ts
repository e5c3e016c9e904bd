// Which part of Gatehouse a raw request is for: product endpoints (/_gatehouse/...), execute-api (by Host
// `{apiId}.execute-api.*` or the path-style `/restapis/{apiId}/{stage}/_user_request_/...`), or an AWS control
// service — told by the SigV4 credential scope, else by the path (Lambda's paths start with a version date).
import type { IncomingMessage } from 'node:http';
import { credentialScope } from '../aws/sigv4.ts';
import { decodeSafe } from '../execute/custom-domains.ts';
import type { ExecuteTarget } from '../execute/data-plane.ts';

export type Destination =
  | { kind: 'product'; endpoint: string }
  | { kind: 'execute'; target: ExecuteTarget }
  | { kind: 'service'; service: string };

const EXECUTE_HOST = /^([a-z0-9]{10})\.execute-api\./i;
const USER_REQUEST = /^\/restapis\/([^/]+)\/([^/]+)\/_user_request_(\/.*)?$/;
const LAMBDA_PATH = /^\/20\d\d-\d\d-\d\d\//;

export function destinationOf(req: IncomingMessage, rawPath: string, rawQuery: string): Destination {
  if (rawPath.startsWith('/_gatehouse/') || rawPath === '/_gatehouse') {
    return { kind: 'product', endpoint: rawPath.slice('/_gatehouse'.length) || '/' };
  }
  const apiId = executeApiId(req.headers.host ?? '');
  if (apiId !== null) {
    // /{stage}/{rest...}: split with string operations (this runs for every execute-api request). Slashes before
    // the stage are collapsed, as AWS does (`//stage/x` is `/stage/x`).
    const path = rawPath.charCodeAt(1) === 47 ? rawPath.replace(/^\/+/, '/') : rawPath;
    const rooted = path.charCodeAt(0) === 47; // '/'
    const slash = rooted ? path.indexOf('/', 1) : -1;
    const stage = !rooted ? '' : slash === -1 ? path.slice(1) : path.slice(1, slash);
    return {
      kind: 'execute',
      target: { apiId, stage: decodeSafe(stage), rawPath: slash === -1 ? '/' : path.slice(slash), rawQuery, style: 'host' },
    };
  }
  const userRequest = USER_REQUEST.exec(rawPath);
  if (userRequest) {
    return {
      kind: 'execute',
      target: { apiId: decodeSafe(userRequest[1]!), stage: decodeSafe(userRequest[2]!), rawPath: userRequest[3] ?? '/', rawQuery, style: 'path' },
    };
  }
  const auth = req.headers.authorization;
  // The query is parsed only when the scope may be there (presigned requests carry X-Amz-Credential).
  const scope = credentialScope(Array.isArray(auth) ? auth[0] : auth, auth || !rawQuery.includes('X-Amz-Credential') ? undefined : new URLSearchParams(rawQuery));
  // apigatewayv2 signs as `apigateway` too; its operations all live under /v2/, where apigateway has none.
  const v2 = rawPath.startsWith('/v2/');
  if (scope) return { kind: 'service', service: v2 && scope.service === 'apigateway' ? 'apigatewayv2' : scope.service };
  return { kind: 'service', service: LAMBDA_PATH.test(rawPath) ? 'lambda' : v2 ? 'apigatewayv2' : 'apigateway' };
}

/** Host header → the API id it names (null: not an execute-api host); a regex per distinct Host, not per request. */
const executeHosts = new Map<string, string | null>();
function executeApiId(host: string): string | null {
  let apiId = executeHosts.get(host);
  if (apiId === undefined) {
    const m = EXECUTE_HOST.exec(host);
    apiId = m ? m[1]!.toLowerCase() : null;
    if (executeHosts.size >= 1_000) executeHosts.clear();
    executeHosts.set(host, apiId);
  }
  return apiId;
}

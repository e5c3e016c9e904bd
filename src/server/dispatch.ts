// Which part of Gatehouse a raw request is for: product endpoints (/_gatehouse/...), execute-api (by Host
// `{apiId}.execute-api.*` or the path-style `/restapis/{apiId}/{stage}/_user_request_/...`), or an AWS control
// service — told by the SigV4 credential scope, else by the path (Lambda's paths start with a version date).
import type { IncomingMessage } from 'node:http';
import { credentialScope } from '../aws/sigv4.ts';
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
  const host = req.headers.host ?? '';
  const hostMatch = EXECUTE_HOST.exec(host);
  if (hostMatch) {
    const m = /^\/([^/]*)(\/.*)?$/.exec(rawPath);
    return {
      kind: 'execute',
      target: { apiId: hostMatch[1]!.toLowerCase(), stage: decodeSafe(m?.[1] ?? ''), rawPath: m?.[2] ?? '/', rawQuery, style: 'host' },
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
  if (scope) return { kind: 'service', service: scope.service };
  return { kind: 'service', service: LAMBDA_PATH.test(rawPath) ? 'lambda' : 'apigateway' };
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

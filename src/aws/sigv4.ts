// What the protocol layer reads from a SigV4-signed request: the access key and the credential scope
// (`{key}/{date}/{region}/{service}/aws4_request`), from the Authorization header or a presigned query.
// Signatures are not verified here; verification belongs to access control (src/auth).
import { IncompleteSignatureException, MissingAuthenticationTokenException, type AwsError } from './errors.ts';

export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

const AUTH_RE = /Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

export function credentialScope(authorization: string | undefined, query: URLSearchParams | undefined): CredentialScope | undefined {
  let m = authorization ? AUTH_RE.exec(authorization) : null;
  if (!m && query) {
    const cred = query.get('X-Amz-Credential');
    if (cred) m = AUTH_RE.exec(`Credential=${cred}`);
  }
  if (!m) return undefined;
  return { accessKeyId: m[1]!, date: m[2]!, region: m[3]!, service: m[4]! };
}

/**
 * The shape check AWS's front end makes before anything else: a control request must carry a SigV4
 * `Authorization` header or a presigned query, else 403. Only the shape is checked here (signatures are verified by
 * access control when required); it is what keeps a web page's plain cross-origin POST away from the control APIs.
 * Texts as AWS answers them (e.g. a Bearer token sent to an IAM-authorised API:
 * `'tok' not a valid key=value pair (missing equal-sign) in Authorization header: 'Bearer tok'.`).
 */
export function signatureShapeError(authorization: string | undefined, query: URLSearchParams, hasDateHeader: boolean): AwsError | undefined {
  if (authorization !== undefined && authorization !== '') return authorizationHeaderError(authorization, hasDateHeader);
  const present = PRESIGN_PARAMS.filter((p) => query.has(p));
  if (present.length === 0) return new MissingAuthenticationTokenException('Missing Authentication Token');
  const missing = PRESIGN_PARAMS.filter((p) => !query.has(p));
  if (missing.length > 0) {
    return new IncompleteSignatureException(
      `${missing.map((p) => `AWS query-string parameters must include '${p}'.`).join(' ')} Re-examine the query-string parameters.`,
    );
  }
  return credentialError(query.get('X-Amz-Credential')!);
}

const PRESIGN_PARAMS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders'];
const REQUIRED_PARAMS = ['Credential', 'Signature', 'SignedHeaders'];

function authorizationHeaderError(header: string, hasDateHeader: boolean): AwsError | undefined {
  const space = header.indexOf(' ');
  const pairs = space === -1 ? [] : header.slice(space + 1).split(',');
  const params = new Map<string, string>();
  for (const raw of pairs) {
    const pair = raw.trim();
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    if (eq === -1) return new IncompleteSignatureException(`'${pair}' not a valid key=value pair (missing equal-sign) in Authorization header: '${header}'.`);
    params.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  const problems = REQUIRED_PARAMS.filter((p) => !params.has(p)).map((p) => `Authorization header requires '${p}' parameter.`);
  if (!hasDateHeader) problems.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  if (problems.length > 0) return new IncompleteSignatureException(`${problems.join(' ')} Authorization=${header}`);
  return credentialError(params.get('Credential')!);
}

function credentialError(credential: string): AwsError | undefined {
  const parts = credential.split('/');
  const terminator = parts[parts.length - 1] ?? '';
  if (parts.length !== 5 || terminator !== 'aws4_request') {
    return new IncompleteSignatureException(`Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'.`);
  }
  return undefined;
}

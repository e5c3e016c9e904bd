// What the protocol layer reads from a SigV4-signed request: the access key and the credential scope
// (`{key}/{date}/{region}/{service}/aws4_request`), from the Authorization header or a presigned query.
// Signatures are not verified here; verification belongs to access control (src/auth).

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

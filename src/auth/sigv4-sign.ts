// SigV4 signing of requests Gatehouse sends to AWS services (AWS service integrations): the same canonical form the
// verifier (./sigv4-verify.ts) checks, built from the request about to go out. Signing keys are cached per secret,
// day, region and service (SigningKeyCache), so a request costs two SHA-256 hashes and two HMACs.
import { createHmac } from 'node:crypto';
import { canonicalQuery, escapeUri, sha256Hex, SigningKeyCache } from './sigv4-verify.ts';

export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface RequestToSign {
  method: string;
  /** The Host header the request carries (host[:port]). */
  host: string;
  /** The path as sent, percent-encoded. */
  path: string;
  /** The query string as sent (without '?'), or ''. */
  query: string;
  /** Headers to be sent (Host and the X-Amz-* headers added here excluded), [name, value] pairs. */
  headers: Array<[string, string]>;
  body: Buffer;
  region: string;
  service: string;
  now: Date;
}

/** Headers a signer leaves out: they change on the way (proxies, tracing) or are the signature's own. */
const UNSIGNED = new Set(['authorization', 'user-agent', 'x-amzn-trace-id', 'expect', 'connection', 'content-length', 'transfer-encoding', 'x-amzn-apigateway-api-id']);

const keys = new SigningKeyCache();

/** `20260101T000000Z` */
export function amzDate(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * The headers to add to `req` (X-Amz-Date, X-Amz-Security-Token, X-Amz-Content-Sha256 for S3, Authorization), in
 * the order the AWS SDKs add them. S3 signs its path as sent (single encoding) and the payload hash travels in a
 * header; the other services sign the path normalised and encoded once more.
 */
export function signRequest(req: RequestToSign, creds: SigningCredentials): Array<[string, string]> {
  const date = amzDate(req.now);
  const day = date.slice(0, 8);
  const s3 = req.service === 's3';
  const payloadHash = sha256Hex(req.body);
  const added: Array<[string, string]> = [['X-Amz-Date', date]];
  if (creds.sessionToken) added.push(['X-Amz-Security-Token', creds.sessionToken]);
  if (s3) added.push(['X-Amz-Content-Sha256', payloadHash]);
  const canonical = new Map<string, string>();
  canonical.set('host', req.host);
  for (const [name, value] of [...req.headers, ...added]) {
    const n = name.toLowerCase();
    if (UNSIGNED.has(n)) continue;
    const v = value.trim().replace(/\s+/g, ' ');
    const prior = canonical.get(n);
    canonical.set(n, prior === undefined ? v : `${prior},${v}`);
  }
  const names = [...canonical.keys()].sort();
  const signedHeaders = names.join(';');
  const canonicalRequest = [
    req.method,
    canonicalPath(req.path, s3),
    canonicalQuery(req.query, false),
    names.map((n) => `${n}:${canonical.get(n)}\n`).join(''),
    signedHeaders,
    payloadHash,
  ].join('\n');
  const scope = `${day}/${req.region}/${req.service}/aws4_request`;
  const stringToSign = `AWS4-HMAC-SHA256\n${date}\n${scope}\n${sha256Hex(canonicalRequest)}`;
  const signature = createHmac('sha256', keys.get(creds.secretAccessKey, day, req.region, req.service)).update(stringToSign).digest('hex');
  added.push(['Authorization', `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`]);
  return added;
}

function canonicalPath(path: string, s3: boolean): string {
  if (path === '' || path === '/') return '/';
  if (s3) return path.split('/').map((s) => escapeUri(decode(s))).join('/');
  const segments: string[] = [];
  for (const s of path.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') segments.pop();
    else segments.push(escapeUri(escapeUri(decode(s))));
  }
  return `/${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

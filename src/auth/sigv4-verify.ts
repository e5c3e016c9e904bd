// SigV4 verification of control requests (`gatehouse serve --require-auth`): the request is signed again with the
// stored secret of its access key and the two signatures compared in constant time. Both forms are read: the
// `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` header and the presigned query
// (`X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`, `X-Amz-SignedHeaders`, `X-Amz-Signature`).
// STS session keys (`ASIA…`) need their `x-amz-security-token` and are refused once expired.
//
// The refusals are AWS's, per protocol family: the rest-json services (apigateway, apigatewayv2, lambda) answer
// `InvalidSignatureException` (with the canonical request and string-to-sign they expected, as AWS does),
// `UnrecognizedClientException`, `ExpiredTokenException`, and allow 5 minutes of clock skew; the awsQuery ones (iam,
// sts, monitoring) answer `SignatureDoesNotMatch`, `InvalidClientTokenId`, `ExpiredToken` and allow 15 minutes. The texts are
// the ones AWS's front end writes (`Signature expired: 20260101T000000Z is now earlier than 20260101T000500Z
// (20260101T001000Z - 5 min.)`).
//
// The shape of the credentials (missing parameters, a bad credential scope) is checked earlier, for every control
// request, by src/server/control-guard.ts; a request reaching this point has a well-formed scope.
import { createHmac, createSecretKey, hash, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AwsError } from '../aws/errors.ts';

export interface SigningSecret {
  secret: string;
  /** STS session credentials: the token the request must carry, and when it stops being valid (epoch ms). */
  session?: { token: string; expiration: number };
  /** Long-term keys can be deactivated (UpdateAccessKey Status=Inactive). */
  active: boolean;
}

export interface VerifierOptions {
  /** The secret of an access key id, or undefined when the key is unknown. */
  lookup: (accessKeyId: string) => Promise<SigningSecret | undefined>;
  now: () => Date;
}

const MISMATCH = 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const INVALID_TOKEN = 'The security token included in the request is invalid.';
const EXPIRED_TOKEN = 'The security token included in the request is expired';

export interface Family {
  skewMinutes: number;
  mismatch: string;
  unknownKey: string;
  expiredToken: string;
  incomplete: string;
  /** Whether the mismatch text carries the expected canonical request and string-to-sign. */
  explains: boolean;
}

const REST_JSON: Family = {
  skewMinutes: 5,
  mismatch: 'InvalidSignatureException',
  unknownKey: 'UnrecognizedClientException',
  expiredToken: 'ExpiredTokenException',
  incomplete: 'IncompleteSignatureException',
  explains: true,
};
const QUERY: Family = {
  skewMinutes: 15,
  mismatch: 'SignatureDoesNotMatch',
  unknownKey: 'InvalidClientTokenId',
  expiredToken: 'ExpiredToken',
  incomplete: 'IncompleteSignature',
  explains: false,
};
/**
 * execute-api (AWS_IAM methods): rest-json's codes and 5 minutes, the canonical request and string-to-sign in the
 * mismatch text (as execute-api answers them).
 */
export const EXECUTE_API: Family = REST_JSON;
// CloudWatch (`monitoring`) began as awsQuery and answers with its codes on both of its protocols.
const familyOf = (service: string): Family => (service === 'iam' || service === 'sts' || service === 'monitoring' ? QUERY : REST_JSON);

/** The SigV4 parameters of a request, from its Authorization header or its presigned query. */
export interface Signed {
  algorithm: string;
  accessKeyId: string;
  scopeDate: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  /** The request time as signed (ISO 8601 basic, `20260101T000000Z`). */
  amzDate: string | undefined;
  presigned: boolean;
  /** The declared payload hash (`x-amz-content-sha256`, or the presigned query's `X-Amz-Content-Sha256`). */
  contentSha256: string | undefined;
  expiresSeconds: number | undefined;
  securityToken: string | undefined;
}

export type Authenticate = (req: IncomingMessage, rawPath: string, query: URLSearchParams, body: Buffer, service: string) => Promise<void>;

export function createSignatureVerifier(opts: VerifierOptions): Authenticate {
  const keys = new SigningKeyCache();
  return async (req, rawPath, query, body, service) => {
    const family = familyOf(service);
    const signed = readSigned(req, query, family);
    const now = opts.now();
    checkSignedTime(signed, now, family);
    checkSignature(req, rawPath, signed, body, await opts.lookup(signed.accessKeyId), now, family, keys);
  };
}

/** The request time and the scope's date, checked before the key is looked up (AWS's order). */
export function checkSignedTime(signed: Signed, now: Date, family: Family): void {
  const requestTime = parseAmzDate(signed.amzDate, family);
  checkTime(requestTime, signed, now, family);
  if (signed.amzDate!.slice(0, 8) !== signed.scopeDate) {
    throw new AwsError(
      family.mismatch,
      403,
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${signed.scopeDate}' != '${signed.amzDate!.slice(0, 8)}', from '${signed.amzDate}'.`,
    );
  }
}

/**
 * The key (undefined: unknown), its session token and expiry, then the signature itself: the request signed again
 * with the key's secret and compared in constant time. Synchronous, so a caller holding the secret in memory (the
 * data plane) verifies without a promise.
 */
export function checkSignature(
  req: IncomingMessage,
  rawPath: string,
  signed: Signed,
  body: Buffer | undefined,
  secret: SigningSecret | undefined,
  now: Date,
  family: Family,
  keys: SigningKeyCache,
): void {
  if (!secret || !secret.active) throw new AwsError(family.unknownKey, 403, INVALID_TOKEN);
  if (secret.session) {
    if (signed.securityToken === undefined || !sameText(signed.securityToken, secret.session.token)) throw new AwsError(family.unknownKey, 403, INVALID_TOKEN);
    if (now.getTime() >= secret.session.expiration) throw new AwsError(family.expiredToken, 403, EXPIRED_TOKEN);
  } else if (signed.securityToken !== undefined && signed.securityToken !== '') {
    throw new AwsError(family.unknownKey, 403, INVALID_TOKEN);
  }
  const canonical = canonicalRequest(req, rawPath, signed, body);
  const scope = `${signed.scopeDate}/${signed.region}/${signed.service}/aws4_request`;
  const stringToSign = `AWS4-HMAC-SHA256\n${signed.amzDate}\n${scope}\n${sha256Hex(canonical)}`;
  const expected = createHmac('sha256', keys.get(secret.secret, signed.scopeDate, signed.region, signed.service)).update(stringToSign).digest('hex');
  if (signed.algorithm !== 'AWS4-HMAC-SHA256' || !sameText(expected, signed.signature)) {
    const text = family.explains
      ? `${MISMATCH}\n\nThe Canonical String for this request should have been\n'${canonical}'\n\nThe String-to-Sign should have been\n'${stringToSign}'\n`
      : MISMATCH;
    throw new AwsError(family.mismatch, 403, text);
  }
}

/** Constant-time comparison (timingSafeEqual needs equal lengths; a length difference is no secret). */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  // latin1 is byte per character: cheaper to encode than utf8, and two different texts still differ byte for byte
  // unless they differ only in characters above U+00FF (then a mismatch is still found by the utf8 comparison).
  return timingSafeEqual(Buffer.from(a, 'latin1'), Buffer.from(b, 'latin1')) && (isLatin1(a) || timingSafeEqual(Buffer.from(a), Buffer.from(b)));
}

function isLatin1(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return false;
  return true;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

export function readSigned(req: IncomingMessage, query: URLSearchParams, family: Family): Signed {
  const auth = header(req, 'authorization');
  if (auth) {
    const space = auth.indexOf(' ');
    const algorithm = space === -1 ? auth : auth.slice(0, space);
    const params = new Map<string, string>();
    for (const pair of auth.slice(space + 1).split(',')) {
      const eq = pair.indexOf('=');
      if (eq !== -1) params.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    const [accessKeyId = '', scopeDate = '', region = '', service = ''] = (params.get('Credential') ?? '').split('/');
    const xAmzDate = header(req, 'x-amz-date');
    const date = header(req, 'date');
    return {
      algorithm,
      accessKeyId,
      scopeDate,
      region,
      service,
      signedHeaders: (params.get('SignedHeaders') ?? '').split(';').filter(Boolean),
      signature: params.get('Signature') ?? '',
      amzDate: xAmzDate ?? (date !== undefined ? httpDateToAmz(date) : undefined),
      presigned: false,
      contentSha256: header(req, 'x-amz-content-sha256'),
      expiresSeconds: undefined,
      securityToken: header(req, 'x-amz-security-token'),
    };
  }
  const [accessKeyId = '', scopeDate = '', region = '', service = ''] = (query.get('X-Amz-Credential') ?? '').split('/');
  const expires = query.get('X-Amz-Expires');
  let expiresSeconds: number | undefined;
  if (expires !== null) {
    if (!/^\d{1,9}$/.test(expires)) throw new AwsError(family.incomplete, 403, `X-Amz-Expires must be non-negative integer: '${expires}'.`);
    expiresSeconds = Number(expires);
  }
  return {
    algorithm: query.get('X-Amz-Algorithm') ?? '',
    accessKeyId,
    scopeDate,
    region,
    service,
    signedHeaders: (query.get('X-Amz-SignedHeaders') ?? '').split(';').filter(Boolean),
    signature: query.get('X-Amz-Signature') ?? '',
    amzDate: query.get('X-Amz-Date') ?? undefined,
    presigned: true,
    contentSha256: header(req, 'x-amz-content-sha256') ?? query.get('X-Amz-Content-Sha256') ?? undefined,
    expiresSeconds,
    securityToken: query.get('X-Amz-Security-Token') ?? header(req, 'x-amz-security-token'),
  };
}

/** A `Date:` header (RFC 7231) as the ISO 8601 basic time SigV4 signs. */
function httpDateToAmz(date: string): string {
  const t = Date.parse(date);
  return Number.isNaN(t) ? date : formatAmz(new Date(t));
}

function formatAmz(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

// Clients sign many requests within a second: the last good parse is reused (a Date is never mutated here).
let lastAmzDate = '';
let lastParsed = new Date(0);

function parseAmzDate(amzDate: string | undefined, family: Family): Date {
  if (amzDate === lastAmzDate) return lastParsed;
  const parsed = parseNewAmzDate(amzDate, family);
  lastAmzDate = amzDate!;
  lastParsed = parsed;
  return parsed;
}

function parseNewAmzDate(amzDate: string | undefined, family: Family): Date {
  const m = amzDate ? /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate) : null;
  const d = m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : undefined;
  // The fields must be a real instant: Date.UTC rolls 13 months or 25 hours over, so the parts must read back.
  if (!d || Number.isNaN(d.getTime()) || d.getUTCFullYear() !== +m![1]! || d.getUTCMonth() !== +m![2]! - 1 || d.getUTCDate() !== +m![3]! || d.getUTCHours() !== +m![4]! || d.getUTCMinutes() !== +m![5]! || d.getUTCSeconds() !== +m![6]!) {
    throw new AwsError(family.incomplete, 403, `Date must be in ISO-8601 'basic format'. Got '${amzDate ?? ''}'. See http://en.wikipedia.org/wiki/ISO_8601`);
  }
  return d;
}

/**
 * AWS's time windows: a header-signed request is good for the skew window around the server's clock; a presigned
 * one from its X-Amz-Date until X-Amz-Expires seconds later (never before X-Amz-Date minus the skew).
 */
function checkTime(signedAt: Date, signed: Signed, now: Date, family: Family): void {
  const skewMs = family.skewMinutes * 60_000;
  const amz = signed.amzDate!;
  if (signedAt.getTime() > now.getTime() + skewMs) {
    throw new AwsError(
      family.mismatch,
      403,
      `Signature not yet current: ${amz} is still later than ${formatAmz(new Date(now.getTime() + skewMs))} (${formatAmz(now)} + ${family.skewMinutes} min.)`,
    );
  }
  if (signed.presigned && signed.expiresSeconds !== undefined) {
    const earliest = now.getTime() - signed.expiresSeconds * 1000;
    if (signedAt.getTime() < earliest) {
      throw new AwsError(
        family.mismatch,
        403,
        `Signature expired: ${amz} is now earlier than ${formatAmz(new Date(earliest))} (${formatAmz(now)} - ${signed.expiresSeconds} sec.)`,
      );
    }
    return;
  }
  if (signedAt.getTime() < now.getTime() - skewMs) {
    throw new AwsError(
      family.mismatch,
      403,
      `Signature expired: ${amz} is now earlier than ${formatAmz(new Date(now.getTime() - skewMs))} (${formatAmz(now)} - ${family.skewMinutes} min.)`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The canonical request, as the AWS signers build it for every service but S3.

function canonicalRequest(req: IncomingMessage, rawPath: string, signed: Signed, body: Buffer | undefined): string {
  const method = req.method ?? 'GET';
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawQuery = q === -1 ? '' : url.slice(q + 1);
  const headers = canonicalHeaders(req, signed.signedHeaders);
  return [method, canonicalUri(rawPath), canonicalQuery(rawQuery, signed.presigned), headers, signed.signedHeaders.join(';'), payloadHash(signed, body)].join('\n');
}

/** RFC 3986 unreserved characters stay; everything else is %XX (uppercase), including '%' of an encoded path. */
export function escapeUri(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const PLAIN_PATH = /^\/[A-Za-z0-9\-_~/]*$/;

/** The path normalised (empty and `.` segments dropped, `..` applied) and encoded once more, '/' kept. */
function canonicalUri(rawPath: string): string {
  // The common path (unreserved characters, no empty or dot segments) is its own canonical form.
  if (PLAIN_PATH.test(rawPath) && !rawPath.includes('//')) return rawPath;
  const segments: string[] = [];
  for (const s of rawPath.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') segments.pop();
    else segments.push(s);
  }
  const trailing = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  return `/${segments.map(escapeUri).join('/')}${trailing}`;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function canonicalQuery(rawQuery: string, presigned: boolean): string {
  if (rawQuery === '') return '';
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = decode(eq === -1 ? part : part.slice(0, eq));
    if (presigned && key === 'X-Amz-Signature') continue;
    pairs.push([escapeUri(key), escapeUri(decode(eq === -1 ? '' : part.slice(eq + 1)))]);
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** Runs of whitespace inside a header value, which the signers fold to one space. */
const INNER_WHITESPACE = /\s{2,}|[\t\n\r\f\v]/;

function canonicalHeaders(req: IncomingMessage, names: string[]): string {
  // Only the signed headers' values are gathered (each in the order sent); the others are never looked at.
  const values = new Map<string, string[]>();
  for (const n of names) values.set(n, []);
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const list = values.get(raw[i]!.toLowerCase());
    if (list === undefined) continue;
    let v = raw[i + 1]!.trim();
    if (INNER_WHITESPACE.test(v)) v = v.replace(/\s+/g, ' ');
    list.push(v);
  }
  let out = '';
  for (const n of names) out += `${n}:${values.get(n)!.join(',')}\n`;
  return out;
}

/** Whether the request's signature leaves its body out (`UNSIGNED-PAYLOAD`): then the body need not be read. */
export function unsignedPayload(signed: Signed): boolean {
  return signed.contentSha256 === 'UNSIGNED-PAYLOAD';
}

function payloadHash(signed: Signed, body: Buffer | undefined): string {
  const declared = signed.contentSha256;
  // UNSIGNED-PAYLOAD leaves the body out of the signature, as the signers allow; any other value must be the
  // body's real hash, so the body's own hash is what is signed.
  if (declared === 'UNSIGNED-PAYLOAD') return declared;
  return body === undefined || body.length === 0 ? EMPTY_SHA256 : sha256Hex(body);
}

/** One-shot hashing (node's crypto.hash): no Hash object per call. */
export function sha256Hex(data: string | Buffer): string {
  return hash('sha256', data, 'hex');
}

const EMPTY_SHA256 = sha256Hex('');

/**
 * Signing keys per secret, day, region and service: four HMACs saved on every request but the day's first. Kept as
 * KeyObjects: node's createHmac prepares a Buffer key anew on every call (about 10 µs), a KeyObject once. (Two
 * one-shot hashes over precomputed ipad/opad blocks were measured slower than createHmac with a KeyObject.)
 */
export class SigningKeyCache {
  private readonly keys = new Map<string, KeyObject>();

  get(secret: string, date: string, region: string, service: string): KeyObject {
    const id = `${date}\n${region}\n${service}\n${secret}`;
    let key = this.keys.get(id);
    if (!key) {
      const kDate = createHmac('sha256', `AWS4${secret}`).update(date).digest();
      const kRegion = createHmac('sha256', kDate).update(region).digest();
      const kService = createHmac('sha256', kRegion).update(service).digest();
      key = createSecretKey(createHmac('sha256', kService).update('aws4_request').digest());
      if (this.keys.size >= 1_000) this.keys.clear();
      this.keys.set(id, key);
    }
    return key;
  }
}

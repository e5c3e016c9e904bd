// AWS_IAM methods: the request's SigV4 signature is verified on every call (whatever --require-auth says about the
// control APIs), in AWS's order: the shape of the credentials, the request time (5 minutes of skew; presigned URLs
// until X-Amz-Expires), the scope's date, service (`execute-api`) and region, the key, its session token and expiry,
// then the signature over the method, path, query, signed headers and body (unless `UNSIGNED-PAYLOAD`). The caller's
// keys, secrets and policies come from the in-memory identity directory: no store read once a key has been seen.
// Refusals are execute-api's gateway responses (MISSING_AUTHENTICATION_TOKEN, INVALID_SIGNATURE, EXPIRED_TOKEN) with
// the texts the AWS front end writes.
import { AwsError } from '../../aws/errors.ts';
import { signatureShapeError } from '../../aws/sigv4.ts';
import { checkSignature, checkSignedTime, EXECUTE_API, readSigned, SigningKeyCache, unsignedPayload, type Signed } from '../../auth/sigv4-verify.ts';
import type { IdentityDirectory, KnownCaller } from '../../identity/directory.ts';
import type { Routed } from '../invocation.ts';
import { GatewayError, MissingAuthenticationTokenError } from '../responses/gateway-errors.ts';

const keys = new SigningKeyCache();
const NO_QUERY = new URLSearchParams();

/** Verifies the request's signature and returns who signed it; fills $context.identity. */
export function authenticateIam(inv: Routed, directory: IdentityDirectory): KnownCaller | Promise<KnownCaller> {
  const req = inv.req;
  // TestInvokeMethod never reaches authorization; a request without its node request cannot be verified.
  if (req === undefined) throw new MissingAuthenticationTokenError();
  let signed: Signed;
  const authorization = inv.headers.get('authorization');
  // The query is read only for a presigned request (a header signature ignores it until the canonical request).
  const query = authorization !== undefined && authorization !== '' ? NO_QUERY : new URLSearchParams(inv.target.rawQuery);
  try {
    const shape = signatureShapeError(authorization, query, inv.headers.has('x-amz-date') || inv.headers.has('date'));
    if (shape) throw shape;
    signed = readSigned(req, query, EXECUTE_API);
    checkSignedTime(signed, inv.env.now(), EXECUTE_API);
    checkScope(signed, inv.stage.region);
  } catch (e) {
    throw asGatewayError(e);
  }
  const found = directory.get(signed.accessKeyId);
  if (found instanceof Promise) return found.then((known) => verify(inv, signed, known));
  return verify(inv, signed, found);
}

function verify(inv: Routed, signed: Signed, known: KnownCaller | null): KnownCaller | Promise<KnownCaller> {
  const req = inv.req!;
  if (known !== null && !unsignedPayload(signed) && inv.body.buffered === undefined) {
    const body = inv.body.read();
    if (body instanceof Promise) return body.then(() => verify(inv, signed, known));
  }
  try {
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    checkSignature(req, q === -1 ? rawUrl : rawUrl.slice(0, q), signed, inv.body.buffered, known?.signing, inv.env.now(), EXECUTE_API, keys);
  } catch (e) {
    throw asGatewayError(e);
  }
  const k = known!;
  inv.identity = { ...k.identity, principalOrgId: null, cognitoIdentityPoolId: null, cognitoIdentityId: null, cognitoAuthenticationType: null, cognitoAuthenticationProvider: null };
  return k;
}

/** The credential scope must name execute-api and the API's region (AWS's texts). */
function checkScope(signed: Signed, region: string): void {
  if (signed.service !== 'execute-api') throw new AwsError('InvalidSignatureException', 403, `Credential should be scoped to correct service: 'execute-api'. `);
  if (signed.region !== region) throw new AwsError('InvalidSignatureException', 403, `Credential should be scoped to a valid region, not '${signed.region}'. `);
}

/** The verifier's AWS errors as execute-api's gateway responses. */
function asGatewayError(e: unknown): GatewayError {
  if (!(e instanceof AwsError)) throw e;
  switch (e.code) {
    case 'MissingAuthenticationTokenException':
      return new MissingAuthenticationTokenError();
    case 'ExpiredTokenException':
      return new GatewayError('EXPIRED_TOKEN', e.message);
    case 'UnrecognizedClientException':
      // No gateway response type of its own: a 403 under DEFAULT_4XX with AWS's error type.
      return new GatewayError('DEFAULT_4XX', e.message, { status: 403, errorType: 'UnrecognizedClientException' });
    case 'IncompleteSignatureException':
      return new GatewayError('INVALID_SIGNATURE', e.message, { errorType: 'IncompleteSignatureException' });
    default:
      return new GatewayError('INVALID_SIGNATURE', e.message);
  }
}

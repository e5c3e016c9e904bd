// Step 7 of DESIGN.md's list (steps 3-6, resource policy, authorization, API keys and throttling, belong to later
// issues; methods that need them are refused loudly here rather than run unprotected), then request validation:
// required parameters (400 "Missing required request parameters: [...]") and the body against the request model
// for its Content-Type (400 "Invalid request body").
import type { Routed } from '../invocation.ts';
import { mediaTypeOf } from '../headers.ts';
import { validateBody } from '../compile/request-validation.ts';
import {
  BadRequestBodyError,
  BadRequestParametersError,
  ConfigurationError,
  InvalidApiKeyError,
  MissingAuthenticationTokenError,
} from '../responses/gateway-errors.ts';

export function methodRequest(inv: Routed): void | Promise<void> {
  const method = inv.method;
  if (method.configurationError) throw new ConfigurationError(method.configurationError);
  authorize(inv);
  const validation = method.validation;
  if (!validation) return;
  const missing: string[] = [];
  for (const p of validation.requiredParameters) {
    const present =
      p.kind === 'path' ? Object.hasOwn(inv.pathParameters, p.name) : p.kind === 'querystring' ? inv.query.has(p.name) : inv.headers.has(p.name);
    if (!present) missing.push(p.name);
  }
  if (missing.length > 0) {
    // AWS names them in the order of the method's requestParameters keys, which it keeps sorted
    // (`method.request.header.*`, then `path`, then `querystring`: recorded in LocalStack's
    // test_api_gateway_request_validator as `[x-header-param, issuer, qs1]`).
    if (missing.length > 1) sortByParameterKey(missing, validation.requiredParameters);
    const message = `Missing required request parameters: [${missing.join(', ')}]`;
    throw new BadRequestParametersError(message, { validationErrorString: message });
  }
  const models = validation.bodyModels;
  if (!models) return;
  const mediaType = mediaTypeOf(inv.headers.get('content-type')) ?? 'application/json';
  const validate = models.get(mediaType) ?? models.get('$default');
  if (!validate) return;
  const body = inv.body.read();
  const check = (buf: Buffer) => {
    const error = validateBody(validate, buf.toString('utf8'));
    if (error !== undefined) throw new BadRequestBodyError('Invalid request body', { validationErrorString: error });
    inv.log?.push('Request validation succeeded for content type ' + mediaType);
  };
  if (body instanceof Promise) return body.then(check);
  check(body);
}

function sortByParameterKey(missing: string[], required: ReadonlyArray<{ kind: string; name: string }>): void {
  const keyOf = new Map<string, string>();
  for (const p of required) if (!keyOf.has(p.name)) keyOf.set(p.name, `${p.kind}.${p.name}`);
  missing.sort((a, b) => {
    const ka = keyOf.get(a)!;
    const kb = keyOf.get(b)!;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

/** Authorization types and API keys Gatehouse cannot check yet are refused, never skipped. */
function authorize(inv: Routed): void {
  const { authorizationType, apiKeyRequired } = inv.method;
  if (authorizationType === 'AWS_IAM' && !inv.headers.has('authorization') && !inv.query.has('X-Amz-Signature')) {
    throw new MissingAuthenticationTokenError();
  }
  if (authorizationType !== 'NONE') {
    throw new ConfigurationError(`${authorizationType} authorization is not available yet in this version of Gatehouse`);
  }
  if (apiKeyRequired) {
    if (!inv.headers.has('x-api-key')) throw new InvalidApiKeyError();
    throw new ConfigurationError('API key validation is not available yet in this version of Gatehouse');
  }
}

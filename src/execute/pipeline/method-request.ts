// Step 7 of DESIGN.md's list, request validation (steps 3-6 run before it: ./authorize.ts, ./throttle.ts):
// required parameters (400 "Missing required request parameters: [...]") and the body against the request model
// for its Content-Type (400 "Invalid request body").
import type { Routed } from '../invocation.ts';
import { mediaTypeOf } from '../headers.ts';
import { validateBody } from '../compile/request-validation.ts';
import { BadRequestBodyError, BadRequestParametersError, ConfigurationError } from '../responses/gateway-errors.ts';

export function methodRequest(inv: Routed): void | Promise<void> {
  const method = inv.method;
  if (method.configurationError) throw new ConfigurationError(method.configurationError);
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

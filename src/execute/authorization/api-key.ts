// Step 5 of DESIGN.md's list: the API key of a method with `apiKeyRequired`. The key comes from the `x-api-key`
// header (the API's apiKeySource HEADER, the default) or from the Lambda authorizer's `usageIdentifierKey`
// (AUTHORIZER); it must exist, be enabled and belong to a usage plan that covers this API and stage. Anything
// else is AWS's INVALID_API_KEY gateway response, 403 {"message":"Forbidden"} (developer guide, "Choose an API key
// source": a key that matches no usage plan key of the stage "throws an InvalidKeyParameter exception. As a result,
// the caller receives a 403 Forbidden response").
//
// apiKeySource is a setting of the RestApi and so, like binaryMediaTypes, reaches the data plane with a deployment
// (read from the routed deployment: a canary deployment carries its own). Keys and usage plans are not deployed:
// they apply at once, through the in-memory directory (./api-key-directory.ts), with no store read per request.
//
// $context.identity.apiKey / apiKeyId are set only here, so a method that does not require a key leaves them null
// even when a client sends one (developer guide, $context variables: "For methods that don't require an API key,
// this variable is null").
import type { Routed } from '../invocation.ts';
import { InvalidApiKeyError } from '../responses/gateway-errors.ts';
import type { RegionKeys } from './api-key-directory.ts';

/** Throws INVALID_API_KEY unless the request carries a key admitted on this stage; sets `inv.apiKey`. */
export function requireApiKey(inv: Routed): void | Promise<void> {
  const keys = inv.env.apiKeys.region(inv.stage.region);
  if (keys instanceof Promise) return keys.then((k) => admit(inv, k));
  admit(inv, keys);
}

function admit(inv: Routed, keys: RegionKeys): void {
  const fromAuthorizer = inv.deployment.apiKeySource === 'AUTHORIZER';
  const value = fromAuthorizer ? inv.usageIdentifierKey : headerKey(inv);
  if (value === undefined || value === '') {
    throw new InvalidApiKeyError(undefined, {
      logLine: fromAuthorizer
        ? 'API key check: the method requires an API key and the authorizer returned no usageIdentifierKey'
        : 'API key check: the method requires an API key and the request has no x-api-key header',
    });
  }
  const key = keys.get(value);
  const plan = key?.plans.get(inv.stage.apiId)?.get(inv.stage.stageName);
  if (!key || !plan) {
    throw new InvalidApiKeyError(undefined, {
      logLine: key
        ? `API key check: key ${key.id} is in no usage plan covering API stage ${inv.stage.apiId}/${inv.stage.stageName}`
        : 'API key check: the key is unknown or disabled',
    });
  }
  inv.apiKey = { id: key.id, value: key.value, usagePlan: plan };
}

/**
 * The x-api-key header's value. A header repeated with different values names no one key: AWS documents nothing
 * for it, and Gatehouse refuses the ambiguity (as if no key were sent) rather than pick one of them.
 */
function headerKey(inv: Routed): string | undefined {
  const values = inv.headers.all('x-api-key');
  if (values === undefined) return undefined;
  const first = values[0];
  for (let i = 1; i < values.length; i++) if (values[i] !== first) return undefined;
  return first;
}

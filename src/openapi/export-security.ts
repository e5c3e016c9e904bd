// Security schemes and per-operation security requirements as API Gateway exports them (developer guide:
// "x-amazon-apigateway-authtype", "x-amazon-apigateway-authorizer", "Configure a method to use API keys with an
// OpenAPI definition"): `api_key` (the x-api-key header) for methods requiring a key, `sigv4` (Authorization,
// authtype awsSigv4) for AWS_IAM methods, and one scheme per authorizer, named after it: TOKEN and COGNITO_USER_POOLS
// authorizers name their identity header, REQUEST authorizers the placeholder `Unused`; the authorizer's
// definition goes in x-amazon-apigateway-authorizer when authorizers are exported.
import type { Authorizer, Method } from '../store/entities.ts';
import { javaHashMapOrder } from './java-order.ts';

export interface SecurityContext {
  authorizersById: Map<string, Authorizer>;
  withAuthorizers: boolean;
}

/** The scheme's header: the `method.request.header.X` identity source of a TOKEN or Cognito authorizer. */
function identityHeader(a: Authorizer): string {
  const m = /^method\.request\.header\.(.+)$/.exec((a.identitySource ?? '').split(',')[0]!.trim());
  return m ? m[1]! : 'Authorization';
}

// Members in AWS's order (authorizerUri, authorizerCredentials, authorizerResultTtlInSeconds, identitySource,
// identityValidationExpression, type). TOKEN and Cognito authorizers' identity source is the scheme's `name`
// header, so only REQUEST authorizers list theirs.
function authorizerExtension(a: Authorizer): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (a.type === 'COGNITO_USER_POOLS') {
    out.providerARNs = [...(a.providerARNs ?? [])];
  } else {
    if (a.authorizerUri !== undefined) out.authorizerUri = a.authorizerUri;
    if (a.authorizerCredentials !== undefined) out.authorizerCredentials = a.authorizerCredentials;
    out.authorizerResultTtlInSeconds = a.authorizerResultTtlInSeconds ?? 300;
    if (a.type === 'REQUEST' && a.identitySource !== undefined) out.identitySource = a.identitySource;
  }
  if (a.identityValidationExpression !== undefined) out.identityValidationExpression = a.identityValidationExpression;
  out.type = (a.type ?? 'TOKEN').toLowerCase();
  return out;
}

function authorizerScheme(a: Authorizer, withAuthorizer: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    type: 'apiKey',
    name: a.type === 'REQUEST' ? 'Unused' : identityHeader(a),
    in: 'header',
    'x-amazon-apigateway-authtype': a.authType ?? (a.type === 'COGNITO_USER_POOLS' ? 'cognito_user_pools' : 'custom'),
  };
  if (withAuthorizer) out['x-amazon-apigateway-authorizer'] = authorizerExtension(a);
  return out;
}

/** The security schemes the deployed methods use, keyed by scheme name; undefined when there are none. */
export function securitySchemes(methods: Iterable<Method>, ctx: SecurityContext): Record<string, unknown> | undefined {
  let apiKey = false;
  let sigv4 = false;
  for (const m of methods) {
    if (m.apiKeyRequired) apiKey = true;
    if (m.authorizationType === 'AWS_IAM') sigv4 = true;
  }
  // Authorizer names are free text: entries, then defined properties (a name `__proto__` stays a scheme).
  const out: Array<[string, unknown]> = [];
  if (apiKey) out.push(['api_key', { type: 'apiKey', name: 'x-api-key', in: 'header' }]);
  if (sigv4) out.push(['sigv4', { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' }]);
  // Every authorizer of the deployment, used or not: a re-import then recreates them all.
  for (const a of ctx.authorizersById.values()) {
    out.push([a.name ?? a.id, authorizerScheme(a, ctx.withAuthorizers)]);
  }
  if (out.length === 0) return undefined;
  // A Java map like the export's others: scheme names in HashMap order.
  const byName = new Map(out);
  return Object.fromEntries(javaHashMapOrder([...byName.keys()]).map((k) => [k, byName.get(k)]));
}

/** A method's security requirements: its authorizer (with Cognito scopes) or sigv4, then api_key. */
export function operationSecurity(m: Method, ctx: SecurityContext): Array<Record<string, string[]>> | undefined {
  const out: Array<Record<string, string[]>> = [];
  if (m.authorizationType === 'AWS_IAM') out.push({ sigv4: [] });
  else if ((m.authorizationType === 'CUSTOM' || m.authorizationType === 'COGNITO_USER_POOLS') && m.authorizerId) {
    const a = ctx.authorizersById.get(m.authorizerId);
    if (a) out.push({ [a.name ?? a.id]: m.authorizationType === 'COGNITO_USER_POOLS' ? [...(m.authorizationScopes ?? [])] : [] });
  }
  if (m.apiKeyRequired) out.push({ api_key: [] });
  return out.length ? out : undefined;
}

// Security schemes (`securityDefinitions` in Swagger 2.0, `components.securitySchemes` in OpenAPI 3.0) and what an
// operation's `security` requirement makes of its method (developer guide, "x-amazon-apigateway-authorizer",
// "x-amazon-apigateway-authtype", "x-amazon-apigateway-auth"):
// - a scheme with `x-amazon-apigateway-authorizer` becomes an authorizer named after the scheme (token, request
//   or cognito_user_pools), created even when no operation uses it; methods requiring it are CUSTOM or
//   COGNITO_USER_POOLS, a Cognito one with the requirement's scopes as authorization scopes;
// - `x-amazon-apigateway-authtype: awsSigv4` makes methods AWS_IAM;
// - any other `apiKey` scheme is API Gateway's API key: methods requiring it have apiKeyRequired.
// A token authorizer's identity source defaults to the scheme's header (recorded on AWS: localstack's
// test_apigateway_import.snapshot.json, test_import_swagger_api and test_import_with_cognito_auth_identity_source).
import type { OperationInput } from '../aws/operation.ts';
import type { ImportSession } from './import-session.ts';

export const AUTHORIZER_EXTENSION = 'x-amazon-apigateway-authorizer';
const AUTHTYPE_EXTENSION = 'x-amazon-apigateway-authtype';
const AUTH_EXTENSION = 'x-amazon-apigateway-auth';

export type Scheme =
  | { kind: 'authorizer'; authorizerId: string; cognito: boolean }
  | { kind: 'sigv4' }
  | { kind: 'apiKey' }
  | { kind: 'other' };

export function securitySchemesOf(session: ImportSession): Record<string, any> {
  const doc = session.def.doc;
  const schemes = session.def.version === 'swagger2' ? doc.securityDefinitions : doc.components?.securitySchemes;
  return schemes && typeof schemes === 'object' ? schemes : {};
}

const AUTHORIZER_TYPES = new Map([['token', 'TOKEN'], ['request', 'REQUEST'], ['cognito_user_pools', 'COGNITO_USER_POOLS']]);

function authorizerInput(name: string, scheme: Record<string, any>): OperationInput {
  const ext = scheme[AUTHORIZER_EXTENSION] as Record<string, any>;
  const rawType = String(ext.type ?? 'token').toLowerCase();
  const type = AUTHORIZER_TYPES.get(rawType) ?? String(ext.type).toUpperCase();
  const input: OperationInput = { name, type };
  // Empty strings count as absent: AWS imports `"identitySource": ""` with the header default (recorded:
  // test_import_rest_api, whose openapi.spec.pulumi.json carries empty authorizerCredentials and identitySource).
  const given = (v: unknown): v is string | number => v !== undefined && v !== null && v !== '';
  if (given(ext.authorizerUri)) input.authorizerUri = String(ext.authorizerUri);
  if (given(ext.authorizerCredentials)) input.authorizerCredentials = String(ext.authorizerCredentials);
  if (given(ext.identityValidationExpression)) input.identityValidationExpression = String(ext.identityValidationExpression);
  if (given(ext.authorizerResultTtlInSeconds)) input.authorizerResultTtlInSeconds = Number(ext.authorizerResultTtlInSeconds);
  if (Array.isArray(ext.providerARNs)) input.providerARNs = ext.providerARNs.map(String);
  if (given(ext.identitySource)) input.identitySource = String(ext.identitySource);
  else if (type !== 'REQUEST' && scheme.in === 'header' && typeof scheme.name === 'string') {
    input.identitySource = `method.request.header.${scheme.name}`;
  }
  if (scheme[AUTHTYPE_EXTENSION] !== undefined) input.authType = String(scheme[AUTHTYPE_EXTENSION]);
  return input;
}

/** Creates the authorizers the schemes define; answers what each scheme name means for a method. */
export async function importSecuritySchemes(session: ImportSession, existing: Map<string, string>): Promise<Map<string, Scheme>> {
  const out = new Map<string, Scheme>();
  for (const [name, raw] of Object.entries(securitySchemesOf(session))) {
    if (!raw || typeof raw !== 'object') continue;
    const scheme = raw as Record<string, any>;
    const ext = scheme[AUTHORIZER_EXTENSION];
    if (ext && typeof ext === 'object') {
      const input = authorizerInput(name, scheme);
      const cognito = input.type === 'COGNITO_USER_POOLS';
      const existingId = existing.get(name);
      const create = () => session.call('CreateAuthorizer', input, `Unable to create authorizer '${name}'`);
      // merge: an authorizer of the same name is replaced by the definition's, keeping its id.
      const created = existingId ? await session.replaceKeepingId('authorizers', existingId, create) : await create();
      if (created) out.set(name, { kind: 'authorizer', authorizerId: created.id, cognito });
    } else if (String(scheme[AUTHTYPE_EXTENSION] ?? '').toLowerCase() === 'awssigv4') {
      out.set(name, { kind: 'sigv4' });
    } else if (scheme.type === 'apiKey') {
      out.set(name, { kind: 'apiKey' });
    } else {
      out.set(name, { kind: 'other' });
    }
  }
  return out;
}

export interface MethodAuth {
  authorizationType: string;
  authorizerId?: string;
  apiKeyRequired: boolean;
  authorizationScopes?: string[];
}

/** The method's authorization from its (or the document's) security requirements and `x-amazon-apigateway-auth`. */
export function methodAuth(session: ImportSession, op: Record<string, any>, schemes: Map<string, Scheme>, where: string): MethodAuth {
  const auth: MethodAuth = { authorizationType: 'NONE', apiKeyRequired: false };
  const requirements = Array.isArray(op.security) ? op.security : Array.isArray(session.def.doc.security) ? session.def.doc.security : [];
  for (const requirement of requirements) {
    if (!requirement || typeof requirement !== 'object') continue;
    for (const [name, scopes] of Object.entries(requirement as Record<string, unknown>)) {
      const scheme = schemes.get(name);
      if (!scheme) {
        session.warn(`Unable to find security definition '${name}' referenced by method '${where}'. Ignoring.`);
        continue;
      }
      if (scheme.kind === 'apiKey') auth.apiKeyRequired = true;
      else if (scheme.kind === 'sigv4') auth.authorizationType = 'AWS_IAM';
      else if (scheme.kind === 'authorizer') {
        auth.authorizationType = scheme.cognito ? 'COGNITO_USER_POOLS' : 'CUSTOM';
        auth.authorizerId = scheme.authorizerId;
        if (scheme.cognito && Array.isArray(scopes) && scopes.length) auth.authorizationScopes = scopes.map(String);
      }
    }
  }
  const explicit = op[AUTH_EXTENSION];
  if (explicit && typeof explicit === 'object' && typeof explicit.type === 'string') {
    auth.authorizationType = explicit.type.toUpperCase();
    if (auth.authorizationType !== 'CUSTOM' && auth.authorizationType !== 'COGNITO_USER_POOLS') delete auth.authorizerId;
  }
  return auth;
}

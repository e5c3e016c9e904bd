// COGNITO_USER_POOLS authorization of a method (issue 10 item 6), as the API Gateway developer guide describes it
// ("Control access to REST APIs using Amazon Cognito user pools as an authorizer" and its "Integrate a REST API with
// an Amazon Cognito user pool" page):
// - the token is the value of the authorizer's identity-source header (default Authorization); a leading
//   `Bearer ` is accepted, as AWS's own workshop sends it through the console's authorizer test;
// - it must be a token of one of the authorizer's provider pools (signature, issuer, expiry: src/auth/jwt); a
//   provider ARN may name its pool by a stage variable, resolved per stage;
// - a method without authorizationScopes takes ID tokens only; with scopes, only access tokens whose `scope` claim
//   holds one of them ("If there are no scopes defined the API Gateway Cognito Authorizer will require the ID
//   Token", AWS re:Post QUrEQW0PtJTZm34jx0UrnLlw; the Method reference: "When the method scope is configured, the
//   client must provide an access token instead of an identity token");
// - identityValidationExpression, for these authorizers, is matched against the ID token's `aud` ("validate the
//   aud (audience) field of the ID token … when using an access token this validation rejects the request",
//   same developer-guide page); REST authorizers have no other audience or client-id setting, so no other
//   audience check is made;
// - every failure is 401 UNAUTHORIZED `{"message":"Unauthorized"}`, the reason in the execution log only;
// - the claims, all strings, become $context.authorizer.claims and the proxy event's requestContext.authorizer.claims.
import type { Routed } from '../invocation.ts';
import type { MultiMap } from '../headers.ts';
import type { Authorizer } from '../../store/entities.ts';
import { ConfigurationError, UnauthorizedError } from '../responses/gateway-errors.ts';
import { JavaPattern } from '../../jsonpath/java-regex.ts';
import { userPoolOfArn, type UserPoolRef } from '../../auth/jwt/user-pool.ts';
import type { UserPoolTokens, VerifiedToken } from '../../auth/jwt/user-pool-tokens.ts';

/** The ExecuteEnv.services key of the process's UserPoolTokens. */
export const USER_POOL_TOKENS = 'userPoolTokens';

interface CompiledCognitoAuthorizer {
  /** The identity-source header's name, lowercased. */
  readonly header: string;
  /** Accepted issuer → pool, of the provider ARNs without stage variables. */
  readonly pools: ReadonlyMap<string, UserPoolRef>;
  /** Provider ARNs naming their pool by a stage variable (`…:userpool/${stageVariables.Pool}`), resolved per stage. */
  readonly templated: readonly string[];
  /** `pools` with the templated ARNs resolved, per stage-variables object. */
  readonly byStage: WeakMap<Record<string, string>, ReadonlyMap<string, UserPoolRef>>;
  readonly tokens: UserPoolTokens | undefined;
  readonly audience: JavaPattern | undefined;
  readonly error: string | undefined;
}

// Deployed authorizers are immutable: each is compiled once, on its first request.
const compiled = new WeakMap<Authorizer, CompiledCognitoAuthorizer>();

function compile(a: Authorizer, tokens: UserPoolTokens | undefined): CompiledCognitoAuthorizer {
  const source = a.identitySource ?? 'method.request.header.Authorization';
  const header = source.startsWith('method.request.header.') ? source.slice('method.request.header.'.length).toLowerCase() : '';
  const pools = new Map<string, UserPoolRef>();
  const templated: string[] = [];
  let error: string | undefined = header ? undefined : `Invalid token source expression: ${source}`;
  for (const arn of a.providerARNs ?? []) {
    if (STAGE_VARIABLE.test(arn)) {
      templated.push(arn);
      continue;
    }
    const pool = userPoolOfArn(arn);
    if (!pool) {
      error ??= `Invalid Cognito user pool ARN specified: ${arn}`;
      continue;
    }
    addPool(pools, pool, tokens);
  }
  let audience: JavaPattern | undefined;
  if (a.identityValidationExpression) {
    try {
      audience = new JavaPattern(a.identityValidationExpression, false);
    } catch (e) {
      error ??= `Invalid identity validation expression ${a.identityValidationExpression}: ${(e as Error).message}`;
    }
  }
  return { header, pools, templated, byStage: new WeakMap(), tokens, audience, error };
}

const STAGE_VARIABLE = /\$\{stageVariables\.([A-Za-z0-9_]+)\}/;

function addPool(pools: Map<string, UserPoolRef>, pool: UserPoolRef, tokens: UserPoolTokens | undefined): void {
  for (const iss of tokens?.keys.issuersOf(pool) ?? [pool.issuer]) pools.set(iss, pool);
}

/**
 * The authorizer's pools for a request with these stage variables: the developer guide lets a provider ARN name its
 * pool by a stage variable (`arn:aws:cognito-idp:us-east-2:111122223333:userpool/${stageVariables.MyUserPool}`). An
 * unset variable, or one that names no pool, adds no pool (its tokens are answered 401 like any other stranger's).
 */
function poolsFor(c: CompiledCognitoAuthorizer, stageVariables: Record<string, string>): ReadonlyMap<string, UserPoolRef> {
  if (c.templated.length === 0) return c.pools;
  let pools = c.byStage.get(stageVariables);
  if (!pools) {
    const resolved = new Map(c.pools);
    for (const arn of c.templated) {
      const name = STAGE_VARIABLE.exec(arn)![1]!;
      const value = Object.hasOwn(stageVariables, name) ? stageVariables[name]! : '';
      const pool = userPoolOfArn(arn.replace(STAGE_VARIABLE, value));
      if (pool) addPool(resolved, pool, c.tokens);
    }
    c.byStage.set(stageVariables, (pools = resolved));
  }
  return pools;
}

const unauthorized = (why: string) => new UnauthorizedError(undefined, { logLine: `Unauthorized request: ${why}` });

export function authorizeWithUserPool(inv: Routed): void | Promise<void> {
  const authorizer = inv.method.authorizer;
  if (!authorizer || authorizer.type !== 'COGNITO_USER_POOLS') {
    throw new ConfigurationError(`method ${inv.httpMethod} ${inv.method.resource.path} names no COGNITO_USER_POOLS authorizer`);
  }
  const t = userPoolToken(authorizer, inv.env.services, inv.headers, inv.method.authorizationScopes, inv.startedAt, inv.stageVariables);
  if (t instanceof Promise) {
    return t.then((verified) => {
      inv.authorizer = { claims: verified.claims };
    });
  }
  inv.authorizer = { claims: t.claims };
}

/**
 * The token a request carries for a COGNITO_USER_POOLS authorizer, verified and admitted for a method asking
 * `scopes`; synchronous when it was verified before. Throws (or rejects with) UnauthorizedError, or
 * ConfigurationError for an authorizer that cannot run.
 */
export function userPoolToken(
  authorizer: Authorizer,
  services: Record<string, unknown>,
  headers: MultiMap,
  scopes: readonly string[] | undefined,
  now: number,
  stageVariables: Record<string, string>,
): VerifiedToken | Promise<VerifiedToken> {
  const tokens = services[USER_POOL_TOKENS] as UserPoolTokens | undefined;
  let c = compiled.get(authorizer);
  if (!c) compiled.set(authorizer, (c = compile(authorizer, tokens)));
  if (c.error) throw new ConfigurationError(c.error);
  let token = headers.get(c.header);
  if (token !== undefined && token.length > 7 && (token.startsWith('Bearer ') || token.startsWith('bearer '))) token = token.slice(7);
  if (!token) throw unauthorized(`no token in the ${c.header} header`);
  const pools = poolsFor(c, stageVariables);
  const hit = tokens?.cached(token, now);
  if (hit) return admit(c, pools, hit, scopes);
  if (!tokens) throw unauthorized('user-pool tokens cannot be verified in this process');
  const compiledAuthorizer = c;
  return tokens.verify(token, (iss) => pools.get(iss), now).then((v) => {
    if ('reason' in v) throw unauthorized(v.reason);
    return admit(compiledAuthorizer, pools, v.token, scopes);
  });
}

function admit(c: CompiledCognitoAuthorizer, pools: ReadonlyMap<string, UserPoolRef>, t: VerifiedToken, scopes: readonly string[] | undefined): VerifiedToken {
  if (!pools.has(t.iss)) throw unauthorized(`issuer ${t.iss} is not a user pool of this authorizer`);
  if (scopes !== undefined && scopes.length > 0) {
    if (t.tokenUse !== 'access') throw unauthorized('the method has authorization scopes: an access token is required');
    if (!scopes.some((s) => t.scopes.includes(s))) throw unauthorized('the access token has none of the method\'s authorization scopes');
  } else if (t.tokenUse !== 'id') {
    throw unauthorized('the method has no authorization scopes: an ID token is required');
  }
  if (c.audience && !audienceMatches(c.audience, t.aud)) {
    throw unauthorized('the token\'s aud does not match the identity validation expression');
  }
  return t;
}

/** Cognito's `aud` is one client id; another OIDC issuer's may be a list, which matches if one of its items does. */
function audienceMatches(pattern: JavaPattern, aud: unknown): boolean {
  if (typeof aud === 'string') return pattern.matches(aud);
  return Array.isArray(aud) && aud.some((a) => typeof a === 'string' && pattern.matches(a));
}

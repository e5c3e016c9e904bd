// Lambda authorizers (authorizationType CUSTOM), TOKEN and REQUEST, as API Gateway runs them:
// 1. the identity sources are read from the method request; any one missing or empty (or, for TOKEN, a token the
//    identityValidationExpression does not match) → 401 Unauthorized without invoking the function;
// 2. a cached result for these identity values (per stage and authorizer, authorizerResultTtlInSeconds, 0 = off) is
//    used as is; otherwise the function is invoked (its resource policy must allow apigateway.amazonaws.com from
//    `{apiId}/authorizers/{authorizerId}`, or the authorizerCredentials role must be assumable and allowed to
//    invoke it) with AWS's TOKEN or REQUEST event, and its output checked (./authorizer-output.ts);
// 3. the policy is matched against this request's method ARN: explicit Deny → 403 "User is not authorized to access
//    this resource with an explicit deny", no Allow → 403 "User is not authorized to access this resource";
// 4. otherwise `principalId`, the `context` values and integrationLatency become $context.authorizer (and the proxy
//    event's requestContext.authorizer), `usageIdentifierKey` the API key for apiKeySource AUTHORIZER.
// A function that fails with the error message "Unauthorized" → 401; any other failure → 500
// AUTHORIZER_CONFIGURATION_ERROR with `{"message":null}`. A cache hit is synchronous (no promise on the hot path).
import { randomUUID } from 'node:crypto';
import { AwsError } from '../../aws/errors.ts';
import type { FunctionsService } from '../../functions/index.ts';
import { JavaPattern } from '../../jsonpath/java-regex.ts';
import type { Authorizer } from '../../store/entities.ts';
import type { Store } from '../../store/store.ts';
import { effectiveAuthorizerTtl } from '../../control/authorizers.ts';
import { contextOf } from '../context-variables.ts';
import type { IntegrationRequested, Routed } from '../invocation.ts';
import { buildProxyEvent, type ProxyEvent } from '../integrations/lambda-proxy-format.ts';
import { functionOf, type FunctionTarget } from '../integrations/lambda.ts';
import { AuthorizerConfigurationError, GatewayError, UnauthorizedError } from '../responses/gateway-errors.ts';
import { methodArn } from './resource-policy.ts';
import { AuthorizerCache, decisionFor, type CachedResult } from './authorizer-cache.ts';
import { checkAuthorizerRole } from './authorizer-credentials.ts';
import { decide, parseAuthorizerOutput, type AuthorizerResult } from './authorizer-output.ts';
import { compileIdentitySources, incomingIdentity, type IdentityInput, type NamedIdentitySource } from './identity-sources.ts';

/**
 * AWS's 403 for a request the authorizer's policy does not allow: AccessDeniedException with the body key spelled
 * `Message`, e.g. `{"Message":"User is not authorized to access this resource with an explicit deny"}` (recorded in
 * many projects' READMEs against real APIs, and in the AWS Chalice documentation for a policy without an Allow:
 * `{"Message":"User is not authorized to access this resource"}`).
 */
function denied(explicit: boolean): GatewayError {
  const text = explicit ? 'User is not authorized to access this resource with an explicit deny' : 'User is not authorized to access this resource';
  return new GatewayError('ACCESS_DENIED', text, { bodyKey: 'Message' });
}

/** The long-lived part: the result cache, and what invoking needs. Kept in `services.lambdaAuthorizers`. */
export class LambdaAuthorizers {
  readonly cache: AuthorizerCache;
  readonly store: Store;
  readonly accountId: string;
  readonly #services: Record<string, unknown>;
  constructor(store: Store, accountId: string, services: Record<string, unknown>, now: () => Date) {
    this.cache = new AuthorizerCache(() => now().getTime());
    this.store = store;
    this.accountId = accountId;
    this.#services = services;
  }
  get functions(): FunctionsService | undefined {
    return this.#services.functions as FunctionsService | undefined;
  }
}

export function lambdaAuthorizersOf(services: Record<string, unknown>): LambdaAuthorizers {
  const found = services.lambdaAuthorizers as LambdaAuthorizers | undefined;
  if (!found) throw new AuthorizerConfigurationError('Lambda authorizers are not available in this Gatehouse');
  return found;
}

/** An authorizer compiled once per (immutable) deployment snapshot object. */
export interface CompiledLambdaAuthorizer {
  readonly authorizer: Authorizer;
  readonly sources: NamedIdentitySource[];
  readonly validation: JavaPattern | undefined;
  readonly ttlSeconds: number;
  /** Set when the authorizer cannot run: the execution-log reason. */
  readonly error: string | undefined;
}

const compiledAuthorizers = new WeakMap<Authorizer, CompiledLambdaAuthorizer>();

export function compileLambdaAuthorizer(a: Authorizer): CompiledLambdaAuthorizer {
  let c = compiledAuthorizers.get(a);
  if (c) return c;
  let sources: NamedIdentitySource[] = [];
  let validation: JavaPattern | undefined;
  let error: string | undefined;
  try {
    if (a.type !== 'TOKEN' && a.type !== 'REQUEST') throw new Error(`Authorizer type ${a.type} is not a Lambda authorizer`);
    sources = compileIdentitySources(a.identitySource);
    if (a.type === 'TOKEN' && sources.length !== 1) throw new Error(`Invalid token source expression: ${a.identitySource}`);
    // A Java regular expression (java.util.regex semantics on RE2, as selection patterns). "The validation expression
    // does not apply to the REQUEST authorizer" (Authorizer reference), so REQUEST authorizers ignore it, as AWS does.
    if (a.type === 'TOKEN' && a.identityValidationExpression) validation = new JavaPattern(a.identityValidationExpression, false);
  } catch (e) {
    error = (e as Error).message;
  }
  c = { authorizer: a, sources, validation, ttlSeconds: effectiveAuthorizerTtl(a), error };
  compiledAuthorizers.set(a, c);
  return c;
}

/** The identity source values of a request, or undefined when one is missing (→ 401). */
export function identityValues(c: CompiledLambdaAuthorizer, input: IdentityInput): string[] | undefined {
  const values: string[] = [];
  for (const source of c.sources) {
    const v = source.read(input);
    if (v === undefined) return undefined;
    values.push(v);
  }
  if (c.validation !== undefined && !c.validation.matches(values[0]!)) return undefined;
  return values;
}

/**
 * The `case 'CUSTOM'` of the authorize step. `resourcePolicyAllows`: the API's resource policy explicitly allows the
 * request, which (Table A of the guide's "Policy evaluation outcome tables") admits it when the authorizer's policy
 * neither allows nor denies the method.
 */
export function authorizeWithLambda(inv: Routed, resourcePolicyAllows = false): void | Promise<void> {
  const a = inv.method.authorizer;
  if (a === undefined) throw new AuthorizerConfigurationError('Authorizer not found');
  const c = compileLambdaAuthorizer(a);
  if (c.error !== undefined) throw new AuthorizerConfigurationError(c.error);
  const service = lambdaAuthorizersOf(inv.env.services);
  const values = identityValues(c, {
    headers: inv.headers,
    query: inv.query,
    stageVariables: inv.stageVariables,
    context: () => contextOf(inv),
  });
  inv.log?.push(`Starting authorizer: ${a.id} for request: ${inv.requestId}`);
  if (values === undefined) {
    inv.log?.push(`Unauthorized request: ${inv.requestId}`, 'Unauthorized');
    throw new UnauthorizedError();
  }
  inv.log?.push(`Incoming identity: ${incomingIdentity(c.sources, values)}`);
  const arn = methodArn(inv);
  // Without identity sources (a REQUEST authorizer with caching off) there is nothing to key a result by.
  const cacheable = c.ttlSeconds > 0 && c.sources.length > 0;
  // One value is its own key; several are JSON-encoded, so no value can be crafted to look like two (`a\0b`).
  const identity = !cacheable ? '' : values.length === 1 ? values[0]! : JSON.stringify(values);
  if (cacheable) {
    const hit = service.cache.get(inv.target.apiId, inv.target.stage, a.id, identity);
    if (hit !== undefined) return admit(inv, hit, arn, 0, resourcePolicyAllows);
  }
  const event =
    a.type === 'TOKEN'
      ? { type: 'TOKEN', authorizationToken: values[0], methodArn: arn }
      : requestAuthorizerEvent(arn, buildProxyEvent(inv as IntegrationRequested, Buffer.alloc(0)));
  return invokeAuthorizer(service, c, {
    apiId: inv.target.apiId,
    region: inv.stage.region,
    stageVariables: inv.stageVariables,
    traceId: inv.traceId,
    requestId: inv.requestId,
    log: inv.log,
  }, event).then(({ result, latency, outputBytes }) => {
    const entry = cacheable
      ? service.cache.set(inv.target.apiId, inv.target.stage, a.id, identity, result, c.ttlSeconds, outputBytes)
      : { result, expiresAt: 0, decisions: new Map(), bytes: 0 };
    admit(inv, entry, arn, latency, resourcePolicyAllows);
  });
}

/** Matches the (possibly cached) policy against this method and fills what the authorizer gives the request. */
function admit(inv: Routed, entry: CachedResult, methodArn: string, latency: number, resourcePolicyAllows: boolean): void {
  // The authorizer's answer is the request's even when its policy refuses: an ACCESS_DENIED gateway response can
  // show $context.authorizer values (the AWS pattern for custom deny messages).
  inv.authorizer = authorizerContext(entry.result, latency);
  inv.usageIdentifierKey = entry.result.usageIdentifierKey;
  // A REQUEST event or a `context.*` identity source built $context before there was an authorizer (or an API
  // key): built again when next needed. No template has run yet, so nothing in it is lost.
  inv.contextObject = undefined;
  const decision = decisionFor(entry, methodArn, (arn) => decide(entry.result.policy, arn));
  if (decision === 'ExplicitDeny' || (decision !== 'Allow' && !resourcePolicyAllows)) throw denied(decision === 'ExplicitDeny');
  inv.log?.push(`Using valid authorizer policy for methodArn: ${methodArn}`);
}

/**
 * $context.authorizer: the context values (as strings), principalId and integrationLatency (0 for a cached result),
 * in API Gateway's order (./java-hash-map.ts); an own property per key (`__proto__` stays a key), a fresh object
 * per request (templates may write to it).
 */
export function authorizerContext(result: AuthorizerResult, latency: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of result.authorizerEntries) {
    Object.defineProperty(out, key, { value: key === 'integrationLatency' ? latency : value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** What a REQUEST event is made of: the proxy event without its body (absent maps may be null: they become {}). */
export type RequestEventParts = Omit<ProxyEvent, 'body' | 'isBase64Encoded'>;

/**
 * The REQUEST event: type and methodArn, then the proxy integration's event fields without the body (the developer
 * guide's "Input to an API Gateway Lambda authorizer" example: resource, path, httpMethod, headers,
 * multiValueHeaders, queryStringParameters, multiValueQueryStringParameters, pathParameters, stageVariables,
 * requestContext). Unlike the proxy event, absent maps are empty objects, not null (the guide's example has
 * "pathParameters": {}; an AWS TestInvokeAuthorizer recording has {} for the query strings, path parameters and
 * stage variables).
 */
export function requestAuthorizerEvent(methodArn: string, e: RequestEventParts): Record<string, unknown> {
  return {
    type: 'REQUEST',
    methodArn,
    resource: e.resource,
    path: e.path,
    httpMethod: e.httpMethod,
    headers: e.headers ?? {},
    multiValueHeaders: e.multiValueHeaders ?? {},
    queryStringParameters: e.queryStringParameters ?? {},
    multiValueQueryStringParameters: e.multiValueQueryStringParameters ?? {},
    pathParameters: e.pathParameters ?? {},
    stageVariables: e.stageVariables ?? {},
    requestContext: e.requestContext,
  };
}

export interface AuthorizerCall {
  apiId: string;
  region: string;
  stageVariables: Record<string, string>;
  traceId?: string;
  /** The request's id, for the execution log. */
  requestId: string;
  log: string[] | null;
}

const truncated = (text: string): string => (text.length > 1000 ? `${text.slice(0, 1000)} [TRUNCATED]` : text);

const STAGE_VARIABLE = /\$\{stageVariables\.([A-Za-z0-9_.:/?#&=,-]+)\}/g;

/** The function an authorizerUri names, stage variables substituted. */
function authorizerFunction(uri: string, stageVariables: Record<string, string>): FunctionTarget {
  const rendered = uri.replace(STAGE_VARIABLE, (_, name: string) => (Object.hasOwn(stageVariables, name) ? stageVariables[name]! : ''));
  try {
    return functionOf(rendered);
  } catch (e) {
    if (e instanceof GatewayError) throw new AuthorizerConfigurationError(`Invalid function ARN or invalid uri: ${rendered}`);
    throw e;
  }
}

/**
 * Invokes the authorizer function with `event` and checks its answer: the one code path for requests and
 * TestInvokeAuthorizer. Throws UnauthorizedError or AuthorizerConfigurationError.
 */
export async function invokeAuthorizer(
  service: LambdaAuthorizers,
  c: CompiledLambdaAuthorizer,
  call: AuthorizerCall,
  event: Record<string, unknown>,
): Promise<{ result: AuthorizerResult; latency: number; outputBytes: number }> {
  const a = c.authorizer;
  const fn = authorizerFunction(a.authorizerUri ?? '', call.stageVariables);
  const svc = service.functions;
  if (!svc) throw new AuthorizerConfigurationError('Lambda functions are not available in this Gatehouse');
  const fnArn = `arn:aws:lambda:${fn.region}:${fn.accountId}:function:${fn.name}${fn.qualifier ? `:${fn.qualifier}` : ''}`;
  try {
    return await callFunction(service, svc, c, call, event, fn, fnArn);
  } catch (e) {
    // Lambda's own refusals (no such function or qualifier, throttled, too large a payload).
    if (e instanceof AwsError) throw new AuthorizerConfigurationError(`Lambda invocation failed with status: ${e.status}`);
    throw e;
  }
}

async function callFunction(
  service: LambdaAuthorizers,
  svc: FunctionsService,
  c: CompiledLambdaAuthorizer,
  call: AuthorizerCall,
  event: Record<string, unknown>,
  fn: FunctionTarget,
  fnArn: string,
): Promise<{ result: AuthorizerResult; latency: number; outputBytes: number }> {
  const a = c.authorizer;
  if (a.authorizerCredentials) {
    await checkAuthorizerRole(service.store, service.accountId, a.authorizerCredentials, fnArn);
  } else {
    // Without credentials the function's resource policy must let API Gateway invoke it for this authorizer.
    const allowed = await svc.checkInvokePermission({
      region: fn.region,
      functionName: `${fn.accountId}:function:${fn.name}`,
      qualifier: fn.qualifier,
      principal: 'apigateway.amazonaws.com',
      sourceArn: `arn:aws:execute-api:${call.region}:${service.accountId}:${call.apiId}/authorizers/${a.id}`,
      sourceAccount: service.accountId,
    });
    if (!allowed) throw new AuthorizerConfigurationError('Invalid permissions on Lambda function');
  }
  // The execution log lines of an AWS TestInvokeAuthorizer recording (long lines cut at 1,000 characters there too).
  const uri = `https://lambda.${fn.region}.amazonaws.com/2015-03-31/functions/${fnArn}/invocations`;
  const payload = JSON.stringify(event);
  call.log?.push(`Endpoint request URI: ${uri}`, `Endpoint request body after transformations: ${truncated(payload)}`, `Sending request to ${uri}`);
  const started = Date.now();
  const invoked = await svc.invoke({
    functionName: `${fn.accountId}:function:${fn.name}`,
    qualifier: fn.qualifier,
    region: fn.region,
    payload: Buffer.from(payload),
    invocationType: 'RequestResponse',
    requestId: randomUUID(),
    payloadIsJson: true,
    traceId: call.traceId,
  });
  const latency = Math.max(0, Date.now() - started);
  const body = invoked.payload.toString('utf8');
  call.log?.push(`Authorizer result body before parsing: ${truncated(body)}`);
  if (invoked.functionError) {
    let message: unknown;
    try {
      message = JSON.parse(body)?.errorMessage;
    } catch {
      message = undefined;
    }
    // "Unauthorized", exactly, is the function's way to answer 401 (developer guide); any other error is a 500.
    if (message === 'Unauthorized') {
      call.log?.push(`Unauthorized request: ${call.requestId}`, 'Unauthorized');
      throw new UnauthorizedError();
    }
    throw new AuthorizerConfigurationError('Authorizer error');
  }
  return { result: parseAuthorizerOutput(invoked.payload), latency, outputBytes: invoked.payload.length };
}

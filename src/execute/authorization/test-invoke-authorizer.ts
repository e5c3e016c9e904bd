// TestInvokeAuthorizer for Lambda (TOKEN / REQUEST) authorizers: the authorizer as it is now (not as deployed),
// given the simulated request's headers, path and query, stage variables and additional context; the same identity
// checks and function call as a real request (./lambda-authorizer.ts), never the result cache. Answers what AWS's
// does: clientStatus (200 when the function returned a valid policy, 401, 500), the execution log, latency, and the
// principalId and policy (the policy is not matched against any method: the test has none).
// The event and log follow an AWS recording of a REQUEST authorizer test (quoted in the comments below): methodArn
// `{api}/ESTestInvoke-stage/GET{path}`, requestContext of stage `test-invoke-stage`, resource id
// `test-invoke-resource-id`, domain prefix `testPrefix`, API key `test-invoke-api-key`, the caller's identity.
import type { Authorizer } from '../../store/entities.ts';
import { MultiMap, parseQuery } from '../headers.ts';
import { requestTime } from '../context-variables.ts';
import { logTime } from '../test-invoke.ts';
import { newExtendedRequestId } from '../pipeline/parse.ts';
import { GATEWAY_RESPONSE_TYPES, GatewayError } from '../responses/gateway-errors.ts';
import { incomingIdentity } from './identity-sources.ts';
import { compileLambdaAuthorizer, identityValues, invokeAuthorizer, requestAuthorizerEvent, type LambdaAuthorizers } from './lambda-authorizer.ts';

export interface TestInvokeAuthorizerInput {
  restApiId: string;
  authorizerId: string;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  pathWithQueryString?: string;
  body?: string;
  stageVariables?: Record<string, string>;
  additionalContext?: Record<string, string>;
}

export interface TestInvokeAuthorizerOutput {
  clientStatus: number;
  log: string;
  latency: number;
  principalId?: string;
  policy?: string;
}

/** Who called TestInvokeAuthorizer: $context.identity's caller fields in the test's requestContext. */
export interface TestCaller {
  accountId: string;
  caller: string | null;
  user: string | null;
  userArn: string | null;
  accessKey: string | null;
}

export async function testInvokeAuthorizer(
  service: LambdaAuthorizers,
  authorizer: Authorizer,
  region: string,
  now: Date,
  caller: TestCaller,
  input: TestInvokeAuthorizerInput,
): Promise<TestInvokeAuthorizerOutput> {
  const requestId = crypto.randomUUID();
  const log: string[] = [`Starting authorizer: ${authorizer.id} for request: ${requestId}`];
  const headers = new MultiMap(true);
  for (const [k, v] of Object.entries(input.headers ?? {})) headers.set(k, v);
  for (const [k, vs] of Object.entries(input.multiValueHeaders ?? {})) headers.set(k, vs);
  const pathWithQuery = input.pathWithQueryString || '/';
  const q = pathWithQuery.indexOf('?');
  const path = q === -1 ? pathWithQuery : pathWithQuery.slice(0, q);
  const query = parseQuery(q === -1 ? '' : pathWithQuery.slice(q + 1));
  const stageVariables = input.stageVariables ?? {};
  const epoch = now.getTime();
  const requestContext: Record<string, unknown> = {
    resourceId: 'test-invoke-resource-id',
    resourcePath: path,
    httpMethod: 'GET',
    extendedRequestId: newExtendedRequestId(),
    requestTime: requestTime(epoch),
    path,
    accountId: service.accountId,
    protocol: 'HTTP/1.1',
    stage: 'test-invoke-stage',
    domainPrefix: 'testPrefix',
    requestTimeEpoch: epoch,
    requestId,
    identity: {
      cognitoIdentityPoolId: null,
      cognitoIdentityId: null,
      apiKey: 'test-invoke-api-key',
      principalOrgId: null,
      cognitoAuthenticationType: null,
      userArn: caller.userArn,
      apiKeyId: 'test-invoke-api-key-id',
      userAgent: headers.get('user-agent') ?? null,
      accountId: caller.accountId,
      caller: caller.caller,
      sourceIp: 'test-invoke-source-ip',
      accessKey: caller.accessKey,
      cognitoAuthenticationProvider: null,
      user: caller.user,
    },
    domainName: 'testPrefix.testDomainName',
    apiId: input.restApiId,
    ...input.additionalContext,
  };
  const c = compileLambdaAuthorizer(authorizer);
  const methodArn = `arn:aws:execute-api:${region}:${service.accountId}:${input.restApiId}/ESTestInvoke-stage/GET${path}`;
  const started = performance.now();
  let out: Omit<TestInvokeAuthorizerOutput, 'log' | 'latency'>;
  try {
    if (c.error !== undefined) throw new GatewayError('AUTHORIZER_CONFIGURATION_ERROR', '', { logLine: `Execution failed due to configuration error: ${c.error}` });
    const values = identityValues(c, { headers, query, stageVariables, context: () => requestContext });
    if (values === undefined) {
      log.push(`Unauthorized request: ${requestId}`, 'Unauthorized');
      throw new GatewayError('UNAUTHORIZED');
    }
    log.push(`Incoming identity: ${incomingIdentity(c.sources, values)}`);
    const event =
      authorizer.type === 'TOKEN'
        ? { type: 'TOKEN', authorizationToken: values[0], methodArn }
        : requestAuthorizerEvent(methodArn, {
            resource: path,
            path,
            httpMethod: 'GET',
            headers: headers.single(),
            multiValueHeaders: headers.multi(),
            queryStringParameters: query.single(),
            multiValueQueryStringParameters: query.multi(),
            pathParameters: null,
            stageVariables,
            requestContext,
          });
    const { result } = await invokeAuthorizer(service, c, { apiId: input.restApiId, region, stageVariables, requestId, log }, event);
    out = { clientStatus: 200, principalId: result.principalId, policy: result.policyText };
  } catch (e) {
    if (!(e instanceof GatewayError)) throw e;
    const status = e.status ?? GATEWAY_RESPONSE_TYPES[e.responseType].status;
    if (e.responseType !== 'UNAUTHORIZED') {
      if (e.logLine) log.push(e.logLine);
      log.push(GATEWAY_RESPONSE_TYPES[e.responseType].errorType);
    }
    out = { clientStatus: status };
  }
  const latency = Math.round(performance.now() - started);
  const at = logTime(now);
  return { ...out, log: [`Execution log for request ${requestId}`, ...log.map((l) => `${at} : ${l}`)].join('\n') + '\n', latency };
}

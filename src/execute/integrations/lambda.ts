// Lambda integrations: AWS_PROXY (the payload-format-1.0 event in, a proxy response out) and AWS (non-proxy: the
// request template's output is the payload, the integration response is selected by a regex on the function's
// errorMessage). The function comes from the integration URI
// `arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{functionArn}/invocations`, after path parameter and
// stage variable substitution, so `function:${stageVariables.fn}` and `:alias` / `:version` qualifiers work.
// Before invoking, the function's resource policy must allow apigateway.amazonaws.com from this method's ARN, as on
// AWS (otherwise 500 with "Invalid permissions on Lambda function" in the execution log). Other AWS service
// integrations are left to the module given as `otherwise`.
import { randomUUID } from 'node:crypto';
import { AwsError } from '../../aws/errors.ts';
import type { FunctionsService, InvokeResult } from '../../functions/index.ts';
import { mediaTypeOf, MultiMap } from '../headers.ts';
import type { EndpointResponse, IntegrationRequested } from '../invocation.ts';
import { ConfigurationError, GatewayError } from '../responses/gateway-errors.ts';
import type { IntegrationEnv, IntegrationModule } from './integration.ts';
import { buildProxyEvent, malformedProxyResponse, parseProxyResult } from './lambda-proxy-format.ts';

const LAMBDA_URI = /^arn:aws[a-zA-Z-]*:apigateway:([a-z0-9-]+):lambda:path\/+2015-03-31\/functions\/(.+)\/invocations$/;
const FUNCTION_ARN = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([^:/]+)(?::([^:/]+))?$/;

export const isLambdaUri = (uri: string | undefined): boolean => uri !== undefined && /:lambda:path\/+2015-03-31\/functions\//.test(uri);

export interface FunctionTarget {
  region: string;
  accountId: string;
  name: string;
  qualifier: string | undefined;
}

export function functionOf(rendered: string): FunctionTarget {
  // Proxy integrations carry the client's query string on the rendered URI; the function ARN ends before it.
  const q = rendered.indexOf('?');
  const uri = q === -1 ? rendered : rendered.slice(0, q);
  const m = LAMBDA_URI.exec(uri);
  const f = m ? FUNCTION_ARN.exec(decodeURIComponent(m[2]!)) : null;
  if (!m || !f) throw new ConfigurationError(`Invalid function ARN or invalid uri: ${uri}`);
  return { region: f[1]!, accountId: f[2]!, name: f[3]!, qualifier: f[4] };
}

export function functionsOf(env: IntegrationEnv): FunctionsService {
  const svc = env.services.functions as FunctionsService | undefined;
  if (!svc) throw new ConfigurationError('Lambda functions are not available in this Gatehouse');
  return svc;
}

/** The ARN API Gateway presents as the invocation's source: arn:aws:execute-api:{region}:{account}:{api}/{stage}/{VERB}{resourcePath}. */
function sourceArn(inv: IntegrationRequested, region: string): string {
  return `arn:aws:execute-api:${region}:${inv.accountId}:${inv.target.apiId}/${inv.target.stage}/${inv.httpMethod}${inv.method.resource.path}`;
}

async function invokeFunction(
  inv: IntegrationRequested,
  env: IntegrationEnv,
  payload: Buffer,
  invocationType: 'RequestResponse' | 'Event',
  invocationFailure: (status: number) => GatewayError,
  payloadIsJson = false,
): Promise<InvokeResult> {
  if (inv.method.integration.httpMethod !== 'POST') {
    throw new ConfigurationError('Lambda integrations must use the POST method to invoke the function');
  }
  const fn = functionOf(inv.integrationRequest.uri);
  const svc = functionsOf(env);
  try {
    // With `credentials` (an execution role) API Gateway invokes as that role and the resource policy is not
    // consulted.
    const role = inv.method.integration.credentials;
    const allowed = role !== undefined || await svc.checkInvokePermission({
      region: fn.region,
      functionName: `${fn.accountId}:function:${fn.name}`,
      qualifier: fn.qualifier,
      principal: 'apigateway.amazonaws.com',
      sourceArn: sourceArn(inv, fn.region),
      sourceAccount: inv.accountId,
    });
    if (!allowed) throw new ConfigurationError('Invalid permissions on Lambda function');
    inv.log?.push(`Sending request to https://lambda.${fn.region}.amazonaws.com/2015-03-31/functions/arn:aws:lambda:${fn.region}:${fn.accountId}:function:${fn.name}${fn.qualifier ? `:${fn.qualifier}` : ''}/invocations`);
    return await svc.invoke({
      functionName: `${fn.accountId}:function:${fn.name}`,
      qualifier: fn.qualifier,
      region: fn.region,
      payload,
      invocationType,
      requestId: randomUUID(),
      payloadIsJson,
      // A traced stage passes its integration span as the function's parent (src/observe/tracing.ts).
      traceId: inv.env.tracer?.functionTraceHeader(inv) ?? inv.traceId,
    });
  } catch (e) {
    if (e instanceof GatewayError) throw e;
    if (e instanceof AwsError) {
      inv.log?.push(`Lambda invocation failed with status: ${e.status}. Lambda request id: ${randomUUID()}`);
      throw invocationFailure(e.status);
    }
    throw e;
  }
}

async function requestBody(inv: IntegrationRequested): Promise<Buffer> {
  const b = inv.integrationRequest.body;
  if (b !== 'stream') return b;
  return inv.body.buffered ?? (await inv.body.read());
}

/** AWS_PROXY: the request becomes the event; the function's answer is validated and becomes the response. */
export const lambdaProxyIntegration = (otherwise: IntegrationModule): IntegrationModule => ({
  proxy: true,
  logsEndpointRequest: (uri) => !isLambdaUri(uri) && otherwise.logsEndpointRequest?.(uri) === true,
  compile: (integration) => {
    if (!isLambdaUri(integration.uri)) otherwise.compile?.(integration);
  },
  async invoke(inv, env, signal) {
    if (!isLambdaUri(inv.integrationRequest.uri)) return otherwise.invoke(inv, env, signal);
    const event = buildProxyEvent(inv, await requestBody(inv));
    const result = await invokeFunction(inv, env, Buffer.from(JSON.stringify(event)), 'RequestResponse', (status) =>
      // AWS answers a failed Lambda call 502, except a permission failure (500).
      status === 403 ? new ConfigurationError('Invalid permissions on Lambda function') : malformedProxyResponse(`Lambda invocation failed with status: ${status}`),
      true, // the event is JSON.stringify's output
    );
    if (result.functionError) {
      let message = '';
      try {
        message = JSON.parse(result.payload.toString('utf8')).errorMessage ?? '';
      } catch {
        // not JSON: no message to log
      }
      inv.log?.push(`Lambda execution failed with status 200 due to customer function error: ${message}.`);
      throw malformedProxyResponse();
    }
    const accept = mediaTypeOf(inv.headers.get('accept')?.split(',')[0]);
    const parsed = parseProxyResult(result.payload, inv.deployment.isBinary(accept));
    const response: EndpointResponse = { statusCode: parsed.statusCode, headers: parsed.headers, body: parsed.body };
    return response;
  },
});

/**
 * AWS (non-proxy) Lambda integration: the integration request body is the payload; `X-Amz-Invocation-Type: Event`
 * (mapped as 'Event' in requestParameters) invokes asynchronously. A function error makes its errorMessage the
 * selection subject for the integration responses; success selects the default response.
 */
export const lambdaAwsIntegration = (otherwise: IntegrationModule): IntegrationModule => ({
  proxy: false,
  logsEndpointRequest: (uri) => !isLambdaUri(uri) && otherwise.logsEndpointRequest?.(uri) === true,
  compile: (integration) => {
    if (!isLambdaUri(integration.uri)) otherwise.compile?.(integration);
  },
  async invoke(inv, env, signal) {
    if (!isLambdaUri(inv.integrationRequest.uri)) return otherwise.invoke(inv, env, signal);
    const type = inv.integrationRequest.headers.get('x-amz-invocation-type');
    const invocationType = type === 'Event' ? 'Event' : 'RequestResponse';
    if (type !== undefined && type !== 'Event' && type !== 'RequestResponse') {
      throw new ConfigurationError(`Invalid X-Amz-Invocation-Type: ${type}`);
    }
    const payload = await requestBody(inv);
    const result = await invokeFunction(inv, env, payload, invocationType, (status) =>
      status === 403
        ? new ConfigurationError('Invalid permissions on Lambda function')
        : new GatewayError('DEFAULT_5XX', 'Internal server error', { logLine: `Execution failed due to configuration error: Lambda invocation failed with status: ${status}` }),
    );
    const headers = new MultiMap(true);
    headers.set('Content-Type', 'application/json');
    if (result.executedVersion) headers.set('X-Amz-Executed-Version', result.executedVersion);
    let selectionSubject: string | null = null;
    if (result.functionError) {
      headers.set('X-Amz-Function-Error', result.functionError);
      try {
        const p = JSON.parse(result.payload.toString('utf8'));
        selectionSubject = typeof p?.errorMessage === 'string' ? p.errorMessage : null;
      } catch {
        selectionSubject = null;
      }
      inv.log?.push(`Lambda execution failed with status 200 due to customer function error: ${selectionSubject ?? ''}.`);
    }
    return { statusCode: result.statusCode, headers, body: result.payload, selectionSubject };
  },
});

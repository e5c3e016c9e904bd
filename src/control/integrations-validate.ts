// What AWS checks in an integration and its responses, shared by Put* (whole object) and Update* (the object after
// the patch). Texts from AWS responses quoted in localstack's provider and snapshots, moto's exceptions
// (moto/apigateway/exceptions.py) and AWS errors quoted in public issues ("Invalid mapping expression parameter
// specified: ..."). Where AWS's text could not be found, the message says plainly what is wrong.
import { AwsError, BadRequestException } from '../aws/errors.ts';
import type { Integration, IntegrationResponse, Method } from '../store/entities.ts';
import { HTTP_METHODS } from './methods-store.ts';

const STAGE_VARIABLE = /\$\{stageVariables\.[A-Za-z0-9_.:/?#&=,-]+\}/g;
const TARGET = /^integration\.request\.(path|querystring|header|multivaluequerystring|multivalueheader)\.[^.\s][^\s]*$/;
const METHOD_SOURCE = /^method\.request\.(path|querystring|header|multivaluequerystring|multivalueheader)\.([^\s]+)$/;
const RESPONSE_TARGET = /^method\.response\.header\.([^\s]+)$/;
const CONTENT_TYPE = /^[A-Za-z0-9!#$&^_.+*-]+\/[A-Za-z0-9!#$&^_.+*-]+(?:\s*;.*)?$/;
const PASSTHROUGH = ['WHEN_NO_MATCH', 'WHEN_NO_TEMPLATES', 'NEVER'];

export const DEFAULT_TIMEOUT = 29000;

export function mappingError(detail: string): BadRequestException {
  return new BadRequestException(`Invalid mapping expression specified: Validation Result: warnings : [], errors : [${detail}]`);
}

/** Mapping values any request or response mapping may use: literals, stage variables and context variables. */
function isStaticOrContext(value: string): boolean {
  return (
    /^'.*'$/s.test(value) ||
    /^stageVariables\.[A-Za-z0-9_.-]+$/.test(value) ||
    /^context\.[A-Za-z0-9_.$-]+$/.test(value)
  );
}

function checkContentTypes(templates: Record<string, string> | undefined): void {
  for (const ct of Object.keys(templates ?? {})) {
    if (!CONTENT_TYPE.test(ct)) throw new BadRequestException(`Validation Result: warnings : [], errors : [Invalid content type specified: ${ct}]`);
  }
}

/** An http(s) URL, once `${stageVariables.x}` placeholders are filled with a harmless value. */
function isHttpUrl(uri: string): boolean {
  try {
    const url = new URL(uri.replace(STAGE_VARIABLE, 'stagevar'));
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * `arn:aws:apigateway:{region}:{service}:{path|action}/...`: the AWS-service integration URI form; returns whether
 * it invokes a Lambda function. Recorded on AWS (LocalStack's AWS-validated test_apigateway_lambda.snapshot.json,
 * test_put_integration_aws_proxy_uri, and test_apigateway_integrations.snapshot.json, test_put_integration_validation):
 * text that is no ARN is "Invalid ARN"; a well-formed ARN of another kind (a Lambda function ARN, an IAM role ARN)
 * "must contain path or action"; AWS_PROXY takes Lambda function paths only (a Firehose `path/...` URI is refused
 * with the same text, which names Firehose).
 */
function checkAwsUri(type: string, uri: string | undefined): boolean {
  if (!uri || !uri.startsWith('arn:')) throw new BadRequestException('Invalid ARN specified in the request');
  const parts = uri.split(':');
  if (parts.length < 6) throw new BadRequestException('Invalid ARN specified in the request');
  const resource = parts.slice(5).join(':');
  if (parts[2] !== 'apigateway' || (!resource.startsWith('path/') && !resource.startsWith('action/'))) {
    throw new BadRequestException('AWS ARN for integration must contain path or action');
  }
  // AWS accepts the Lambda path with a doubled slash (`path//2015-03-31/functions/...`, recorded in localstack's
  // test_apigateway_common.snapshot.json, test_api_gateway_request_validator).
  const lambda = parts[4] === 'lambda' && /^path\/+2015-03-31\/functions\//.test(resource);
  // Firehose for AWS_PROXY is refused as well: its recorded URI form is refused and Gatehouse cannot invoke it.
  if (type === 'AWS_PROXY' && !lambda) {
    throw new BadRequestException(
      "Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations.",
    );
  }
  return lambda;
}

/**
 * The execution role (`credentials`) of an AWS or AWS_PROXY integration. A role of another account is refused as
 * IAM refuses passing it ("Cross-account pass role is not allowed.", the AccessDenied text AWS returns); AWS
 * integrations of services other than Lambda need one (AWS: "Role ARN must be specified for AWS integrations").
 * `arn:aws:iam::*:user/*` passes the caller's own identity through.
 */
function checkCredentials(integration: Integration, invokesLambda: boolean, accountId: string): void {
  const credentials = integration.credentials;
  if (!credentials) {
    if (integration.type === 'AWS' && !invokesLambda) throw new BadRequestException('Role ARN must be specified for AWS integrations');
    return;
  }
  const m = /^arn:[a-z-]+:iam::([^:]*):/.exec(credentials);
  if (m && m[1] !== '*' && m[1] !== accountId) throw new AwsError('AccessDeniedException', 403, 'Cross-account pass role is not allowed.');
}

/**
 * Validates a whole integration of `method`; `vpcLinkExists` answers for VPC_LINK connection ids, `accountId` is the
 * account an execution role must belong to.
 */
export function validateIntegration(integration: Integration, method: Method, vpcLinkExists: (id: string) => boolean, accountId: string): void {
  const type = integration.type ?? '';
  if (type !== 'MOCK') {
    if (!integration.httpMethod) throw new BadRequestException('Enumeration value for HttpMethod must be non-empty');
    if (!(HTTP_METHODS as readonly string[]).includes(integration.httpMethod)) {
      throw new BadRequestException(`Invalid HttpMethod specified. Valid options are ${HTTP_METHODS.join(',')}`);
    }
  }
  if (type === 'HTTP' || type === 'HTTP_PROXY') {
    if (!integration.uri || !isHttpUrl(integration.uri)) throw new BadRequestException('Invalid HTTP endpoint specified for URI');
  } else if (type === 'AWS' || type === 'AWS_PROXY') {
    checkCredentials(integration, checkAwsUri(type, integration.uri), accountId);
  }
  if (integration.connectionType === 'VPC_LINK') {
    if (type !== 'HTTP' && type !== 'HTTP_PROXY') {
      throw new BadRequestException('Connection type VPC_LINK is only supported for HTTP and HTTP_PROXY integrations');
    }
    const id = integration.connectionId;
    if (!id) throw new BadRequestException('Connection id must be specified for connection type VPC_LINK');
    if (!/^\$\{stageVariables\.[^}]+\}$/.test(id) && !vpcLinkExists(id)) {
      throw new BadRequestException(`Invalid Vpc Link identifier specified: ${id}`);
    }
  } else if (integration.connectionId) {
    throw new BadRequestException('Connection id must not be specified for connection type INTERNET');
  }
  const timeout = integration.timeoutInMillis ?? DEFAULT_TIMEOUT;
  if (!Number.isInteger(timeout) || timeout < 50 || timeout > 29000) {
    throw new BadRequestException('Timeout should be between 50 ms and 29000 ms');
  }
  if (integration.passthroughBehavior !== undefined && !PASSTHROUGH.includes(integration.passthroughBehavior)) {
    throw new BadRequestException(
      `Invalid passthrough behavior specified: ${integration.passthroughBehavior}. Valid options are ${PASSTHROUGH.join(',')}`,
    );
  }
  checkContentTypes(integration.requestTemplates);
  const declared = method.requestParameters ?? {};
  for (const [target, source] of Object.entries(integration.requestParameters ?? {})) {
    if (!TARGET.test(target)) throw mappingError(`Invalid mapping expression specified: ${target}`);
    const m = METHOD_SOURCE.exec(source);
    if (m) {
      if (!(source in declared)) throw mappingError(`Invalid mapping expression parameter specified: ${source}`);
    } else if (!(source === 'method.request.body' || /^method\.request\.body\.\S+$/.test(source) || isStaticOrContext(source))) {
      throw mappingError(`Invalid mapping expression specified: ${source}`);
    }
  }
  for (const param of integration.cacheKeyParameters ?? []) {
    if (!(param in declared) && !(integration.requestParameters && param in integration.requestParameters)) {
      throw new BadRequestException(`Invalid cache key parameter specified: ${param}`);
    }
  }
}

/** Validates an integration response of `method` for status `statusCode`. */
export function validateIntegrationResponse(response: IntegrationResponse, method: Method): void {
  checkContentTypes(response.responseTemplates);
  // selectionPattern is a Java regular expression; it is compiled (with Java semantics) by the data plane, not
  // checked here with JavaScript's RegExp, which rejects valid Java constructs such as possessive quantifiers.
  const declared = method.methodResponses?.[response.statusCode]?.responseParameters ?? {};
  for (const [target, source] of Object.entries(response.responseParameters ?? {})) {
    if (!RESPONSE_TARGET.test(target)) throw mappingError(`Invalid mapping expression specified: ${target}`);
    if (!(target in declared)) throw mappingError(`Invalid mapping expression parameter specified: ${target}`);
    const valid =
      isStaticOrContext(source) ||
      /^integration\.response\.(header|multivalueheader)\.\S+$/.test(source) ||
      source === 'integration.response.body' ||
      /^integration\.response\.body\.\S+$/.test(source) ||
      /^method\.request\.(path|querystring|header|multivaluequerystring|multivalueheader)\.\S+$/.test(source);
    if (!valid) throw mappingError(`Invalid mapping expression specified: ${source}`);
  }
}

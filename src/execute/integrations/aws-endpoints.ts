// Where AWS service integrations send their requests: the AWS SDKs' service-specific endpoint convention,
// `AWS_ENDPOINT_URL_<SERVICE_ID>` (the SDK service id upper-cased, spaces as underscores: DYNAMODB, SFN for Step
// Functions, EVENTBRIDGE for EventBridge), else `AWS_ENDPOINT_URL`, else nothing: Gatehouse never guesses a real AWS
// endpoint, so a service without one is answered 500 with a log line naming the variable to set. The variables are
// read and checked once at startup (src/server/config.ts); an endpoint may be any implementation of the service's
// wire protocol (LocalStack, moto's server, dynalite, s3rver, kinesalite, or real AWS).
import { ConfigurationError } from '../responses/gateway-errors.ts';

/**
 * SDK service ids of the ARN service names API Gateway integrations use (the service's `serviceId` in its model).
 * A service not listed here uses its ARN name upper-cased.
 */
const SERVICE_IDS: Readonly<Record<string, string>> = {
  s3: 'S3',
  dynamodb: 'DYNAMODB',
  sqs: 'SQS',
  sns: 'SNS',
  kinesis: 'KINESIS',
  firehose: 'FIREHOSE',
  states: 'SFN',
  events: 'EVENTBRIDGE',
  lambda: 'LAMBDA',
  logs: 'CLOUDWATCH_LOGS',
  monitoring: 'CLOUDWATCH',
  email: 'SES',
  ses: 'SES',
  secretsmanager: 'SECRETS_MANAGER',
  ssm: 'SSM',
  sts: 'STS',
  iam: 'IAM',
  kms: 'KMS',
  athena: 'ATHENA',
  'runtime.sagemaker': 'SAGEMAKER_RUNTIME',
};

/** `AWS_ENDPOINT_URL_DYNAMODB` for `dynamodb`, `AWS_ENDPOINT_URL_SFN` for `states`. */
export function endpointVariable(service: string): string {
  return `AWS_ENDPOINT_URL_${SERVICE_IDS[service] ?? service.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}

export interface ServiceEndpoint {
  /** Origin (scheme, host, port) requests go to. */
  readonly origin: string;
  /** The endpoint URL's own path prefix ('' for none), put before the integration's path. */
  readonly basePath: string;
  /** The Host header value (host[:port]), which the signature covers. */
  readonly host: string;
}

export class AwsEndpoints {
  readonly #byVariable: ReadonlyMap<string, ServiceEndpoint>;
  readonly #byService = new Map<string, ServiceEndpoint | null>();

  /** `urls`: AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_* variables → URL (already checked as http(s) URLs). */
  constructor(urls: Readonly<Record<string, string>>) {
    const m = new Map<string, ServiceEndpoint>();
    for (const [name, value] of Object.entries(urls)) {
      const url = new URL(value);
      m.set(name, { origin: url.origin, basePath: url.pathname.replace(/\/+$/, ''), host: url.host });
    }
    this.#byVariable = m;
  }

  /** The service's endpoint; throws AWS's 500 with the variable to set when there is none. */
  resolve(service: string): ServiceEndpoint {
    let found = this.#byService.get(service);
    if (found === undefined) {
      found = this.#byVariable.get(endpointVariable(service)) ?? this.#byVariable.get('AWS_ENDPOINT_URL') ?? null;
      this.#byService.set(service, found);
    }
    if (found === null) {
      const variable = endpointVariable(service);
      throw new ConfigurationError(`No endpoint is configured for the AWS service '${service}': set ${variable} (or AWS_ENDPOINT_URL) to its URL`);
    }
    return found;
  }
}

/** The endpoint variables of an environment, each checked as an http(s) URL; `invalid` reports the first bad one. */
export function endpointUrlsFromEnv(env: Readonly<Record<string, string | undefined>>, invalid: (name: string, value: string) => never): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value === '' || !(name === 'AWS_ENDPOINT_URL' || name.startsWith('AWS_ENDPOINT_URL_'))) continue;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return invalid(name, value);
    }
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search !== '' || url.hash !== '') invalid(name, value);
    out[name] = value;
  }
  return out;
}

// AWS service integration URIs (developer guide, "Integration.uri"): `arn:aws:apigateway:{region}:{service}:action/
// {Action}[&{p}={v}…]` calls an action by name, `arn:aws:apigateway:{region}:{service}:path/{path}` a path of the
// service's endpoint; the service part may carry a subdomain (`{bucket}.s3`, `{id}.iotdata`). `{param}` and
// `${stageVariables.x}` are substituted before this runs (../compile/uri.ts), and mapped query strings are appended
// after `?`. The shape is checked once per deployment (`checkAwsServiceUri`); the rendered URI is split per request.
const AWS_URI = /^arn:aws[a-zA-Z-]*:apigateway:([a-z0-9-]+):(?:([A-Za-z0-9._-]+)\.)?([A-Za-z0-9-]+):(action|path)\/(.*)$/s;
/** The template's shape, before substitution: region and service may come from stage variables. */
const AWS_URI_TEMPLATE = /^arn:aws[a-zA-Z-]*:apigateway:[^:/]+:[^:/]+:(action|path)\/./s;

export interface AwsServiceUri {
  readonly region: string;
  /** The service as the ARN names it (its signing name): s3, dynamodb, sqs, sns, kinesis, states, events… */
  readonly service: string;
  readonly subdomain: string | undefined;
  readonly kind: 'action' | 'path';
  /** The action's name (kind 'action'). */
  readonly action: string;
  /** The path after the service's endpoint, with its leading '/' (kind 'path'), percent-encoded as rendered. */
  readonly path: string;
  /** Query parameters as rendered (`Action=…` not included), without '?', or ''. */
  readonly query: string;
}

/** Throws with AWS's configuration-error text when the integration's URI is not an AWS service URI. */
export function checkAwsServiceUri(template: string): void {
  if (!AWS_URI_TEMPLATE.test(template)) throw new Error(`Invalid integration URI specified: ${template}`);
}

export function parseAwsServiceUri(rendered: string): AwsServiceUri | undefined {
  const m = AWS_URI.exec(rendered);
  if (!m) return undefined;
  const kind = m[4] as 'action' | 'path';
  let rest = m[5]!;
  let query = '';
  const q = rest.indexOf('?');
  if (q !== -1) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  if (kind === 'action') {
    // `action/GetObject&Bucket=b&Key=k`: parameters written after the action are query parameters too.
    const amp = rest.indexOf('&');
    if (amp !== -1) {
      query = query === '' ? rest.slice(amp + 1) : `${rest.slice(amp + 1)}&${query}`;
      rest = rest.slice(0, amp);
    }
    if (!/^[A-Za-z0-9_.-]+$/.test(rest)) return undefined;
    return { region: m[1]!, service: m[3]!, subdomain: m[2], kind, action: rest, path: '/', query };
  }
  return { region: m[1]!, service: m[3]!, subdomain: m[2], kind, action: '', path: `/${rest.replace(/^\/+/, '')}`, query };
}

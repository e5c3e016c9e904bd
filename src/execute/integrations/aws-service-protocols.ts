// What API Gateway adds for each AWS service's wire protocol. Path integrations are sent as the mapping made them
// (method, path, mapped headers, the template's output as body); action integrations name the action in the query
// string (`?Action=PutItem`, as AWS's execution logs show for every service) and, for the JSON services API Gateway
// knows (DynamoDB, Kinesis, Firehose, Step Functions), set the `X-Amz-Target` and JSON content type the service
// needs; EventBridge is JSON 1.1 too, but AWS leaves its target to the mapping (the guide's PutEvents template sets
// it through `$context.requestOverride`, recorded against AWS in LocalStack's test_apigateway_eventbridge). S3 is
// REST-XML (paths), SNS and SQS the query protocol (`Action=…` in the query string or a form body; SQS also takes
// JSON 1.0 with a mapped `X-Amz-Target: AmazonSQS.SendMessage`).
//
// Query-protocol services answer JSON when asked with `Accept: application/json` (API Gateway's default), in their
// legacy JSON shape: `{"ListTopicsResponse": {"ListTopicsResult": {...}, "ResponseMetadata": {...}}}`, errors as
// `{"Error": {"Type", "Code", "Message"}, "RequestId"}`. An endpoint that answers XML anyway (most local
// implementations) is converted to that shape here, so the guide's response templates read the same paths.
import { XMLParser } from 'fast-xml-parser';
import { MAX_PAYLOAD_BYTES } from '../responses/front-end.ts';

interface ServiceProtocol {
  /** Action integrations: X-Amz-Target is `{target}.{Action}`. */
  readonly target?: string;
  readonly contentType?: string;
  /** The query protocol: XML answers are converted to JSON when JSON was asked for. */
  readonly query?: boolean;
}

const PROTOCOLS: Readonly<Record<string, ServiceProtocol>> = {
  dynamodb: { target: 'DynamoDB_20120810', contentType: 'application/x-amz-json-1.0' },
  kinesis: { target: 'Kinesis_20131202', contentType: 'application/x-amz-json-1.1' },
  firehose: { target: 'Firehose_20150804', contentType: 'application/x-amz-json-1.1' },
  states: { target: 'AWSStepFunctions', contentType: 'application/x-amz-json-1.0' },
  sqs: { query: true },
  sns: { query: true },
  sts: { query: true },
  iam: { query: true },
  monitoring: { query: true },
  email: { query: true },
  cloudformation: { query: true },
  autoscaling: { query: true },
  elasticloadbalancing: { query: true },
  rds: { query: true },
};

const NONE: ServiceProtocol = {};

export function protocolOf(service: string): ServiceProtocol {
  return Object.hasOwn(PROTOCOLS, service) ? PROTOCOLS[service]! : NONE;
}

const XML_TYPE = /^\s*(?:text|application)\/(?:[\w.+-]+\+)?xml\b/i;
const JSON_ACCEPT = /^\s*application\/json\b/i;

/** Whether an answer of a query-protocol service should be converted: JSON asked for, XML received. */
export function needsJsonConversion(service: string, accept: string | undefined, contentType: string | undefined): boolean {
  return protocolOf(service).query === true && JSON_ACCEPT.test(accept ?? 'application/json') && contentType !== undefined && XML_TYPE.test(contentType);
}

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  trimValues: true,
  // Lists in the query protocol's XML are `<member>` items (`<entry>` for maps); one item is still a list.
  isArray: (name) => name === 'member' || name === 'entry',
  processEntities: true,
  htmlEntities: false,
});

/**
 * The query protocol's XML as the JSON the service itself would have answered; undefined when the body is not
 * well-formed XML (it then goes to the templates as it came).
 */
export function queryXmlToJson(body: Buffer): Buffer | undefined {
  if (body.length > MAX_PAYLOAD_BYTES) return undefined;
  let doc: unknown;
  try {
    doc = parser.parse(body.toString('utf8'), true);
  } catch {
    return undefined;
  }
  if (doc === null || typeof doc !== 'object') return undefined;
  let out = normalise(doc);
  // `<ErrorResponse><Error>…</Error><RequestId>…</RequestId></ErrorResponse>` is `{"Error": …, "RequestId": …}`.
  if (out !== null && typeof out === 'object' && !Array.isArray(out) && Object.keys(out).length === 1 && 'ErrorResponse' in out) {
    out = (out as Record<string, unknown>).ErrorResponse ?? {};
  }
  return Buffer.from(JSON.stringify(out));
}

/** `{member: [...]}` → `[...]`, `{entry: [{key, value}]}` → `{key: value}`, empty elements → null. */
function normalise(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalise);
  if (v === null || typeof v !== 'object') return v === '' ? null : v;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1 && keys[0] === 'member') return (o.member as unknown[]).map(normalise);
  if (keys.length === 1 && keys[0] === 'entry') {
    const map: Record<string, unknown> = {};
    for (const e of o.entry as Array<Record<string, unknown>>) {
      const k = e?.key ?? e?.Key ?? e?.Name;
      if (typeof k === 'string') Object.defineProperty(map, k, { value: normalise(e.value ?? e.Value), enumerable: true, writable: true, configurable: true });
    }
    return map;
  }
  const out: Record<string, unknown> = {};
  // Defined, not assigned: an element named __proto__ stays a member.
  for (const k of keys) Object.defineProperty(out, k, { value: normalise(o[k]), enumerable: true, writable: true, configurable: true });
  return out;
}

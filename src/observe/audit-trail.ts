// The audit trail: every control-plane call (apigateway, apigatewayv2, lambda, iam, sts, logs) as a CloudTrail-shaped
// JSON record ("CloudTrail record contents" in the CloudTrail user guide) in the log group `/gatehouse/audit` of the
// call's region, stream `{accountId}_CloudTrail_{region}` (the name CloudTrail gives the stream it delivers to
// CloudWatch Logs). Readable with `aws logs filter-log-events --log-group-name /gatehouse/audit` and, being JSON,
// searchable with JSON filter patterns (`{ $.eventName = "DeleteRestApi" }`).
//
// As CloudTrail does: data events are not management events and are not recorded (Lambda Invoke, CloudWatch Logs
// PutLogEvents / GetLogEvents / FilterLogEvents); secrets in request parameters are replaced by
// "HIDDEN_DUE_TO_SECURITY_REASONS" (secret keys, passwords, private keys, function code and environment, API key
// values, imported bodies, patch values), and responses are not recorded (they carry new secrets: CreateAccessKey, CreateApiKey). The identity is
// the verified caller's when signatures are verified (`--require-auth`); otherwise only the access key the request
// names, with type "Unknown".
import { randomUUID } from 'node:crypto';
import type { ControlCall } from '../aws/service.ts';
import type { IdentityDirectory, KnownCaller } from '../identity/directory.ts';
import type { LogStore } from './logs/log-store.ts';

export const AUDIT_LOG_GROUP = '/gatehouse/audit';
export const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';

/** CloudTrail's data events: not recorded in the management trail. */
const DATA_EVENTS = new Set(['lambda:Invoke', 'lambda:InvokeAsync', 'lambda:InvokeWithResponseStream', 'logs:PutLogEvents', 'logs:GetLogEvents', 'logs:FilterLogEvents']);

/** Member names (any service, any depth) whose values are secrets or code. */
const SECRET_MEMBER = /^(secretaccesskey|password|newpassword|oldpassword|privatekey|certificateprivatekey|regionalcertificateprivatekey|zipfile|value|sessiontoken|body|code|imagemanifest|clientsecret|apikey|apikeyvalue|token|environment)$/i;

export interface AuditOutcome {
  requestId: string;
  status: number;
  errorCode?: string;
  errorMessage?: string;
  userAgent?: string;
}

export interface AuditDeps {
  logs: LogStore;
  accountId: string;
  now: () => Date;
  /** Present with --require-auth: the verified caller of an access key. */
  identities?: IdentityDirectory;
}

export class AuditTrail {
  private readonly deps: AuditDeps;

  constructor(deps: AuditDeps) {
    this.deps = deps;
  }

  record(call: ControlCall, outcome: AuditOutcome): void {
    if (DATA_EVENTS.has(`${call.service}:${call.operation}`)) return;
    const known = this.deps.identities && call.accessKeyId ? this.deps.identities.get(call.accessKeyId) : null;
    if (known instanceof Promise) {
      // The caller was verified moments ago, so this is almost always in memory; if not, record once it is.
      void known.then((k) => this.write(call, outcome, k), () => this.write(call, outcome, null));
      return;
    }
    this.write(call, outcome, known);
  }

  private write(call: ControlCall, outcome: AuditOutcome, known: KnownCaller | null): void {
    const now = this.deps.now();
    const record = {
      eventVersion: '1.09',
      userIdentity: userIdentity(call, known, this.deps.accountId),
      eventTime: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      eventSource: `${call.service === 'apigatewayv2' ? 'apigateway' : call.service}.amazonaws.com`,
      eventName: call.operation,
      awsRegion: call.region,
      sourceIPAddress: call.sourceIp ?? null,
      userAgent: outcome.userAgent ?? null,
      ...(outcome.errorCode ? { errorCode: outcome.errorCode, errorMessage: outcome.errorMessage ?? '' } : {}),
      requestParameters: redact(call.input),
      responseElements: null,
      requestID: outcome.requestId,
      eventID: randomUUID(),
      readOnly: /^(Get|List|Describe|Test|Filter|Lookup)/.test(call.operation),
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: this.deps.accountId,
      eventCategory: 'Management',
    };
    this.deps.logs.append(call.region, AUDIT_LOG_GROUP, `${this.deps.accountId}_CloudTrail_${call.region}`, [{ timestamp: now.getTime(), message: JSON.stringify(record) }], true);
  }
}

function userIdentity(call: ControlCall, known: KnownCaller | null, accountId: string): Record<string, unknown> {
  if (!known) return call.accessKeyId ? { type: 'Unknown', accountId, accessKeyId: call.accessKeyId } : { type: 'Unknown' };
  const arn = known.principal.arn;
  const type = arn.endsWith(':root') ? 'Root' : arn.includes(':assumed-role/') ? 'AssumedRole' : 'IAMUser';
  return {
    type,
    principalId: known.identity.caller,
    arn,
    accountId: known.principal.account,
    accessKeyId: known.accessKeyId,
    ...(type === 'IAMUser' ? { userName: arn.slice(arn.lastIndexOf('/') + 1) } : {}),
    ...(known.roleArn ? { sessionContext: { sessionIssuer: { type: 'Role', arn: known.roleArn, accountId: known.principal.account } } } : {}),
  };
}

/** The input with secrets, code and blobs replaced; depth and size bounded so a huge request stays a small record. */
export function redact(input: unknown, depth = 0): unknown {
  if (input === null || input === undefined) return null;
  if (Buffer.isBuffer(input) || input instanceof Uint8Array) return HIDDEN;
  if (input instanceof Date) return input.toISOString();
  if (typeof input === 'string') return input.length > 4096 ? `${input.slice(0, 4096)}…` : input;
  if (typeof input !== 'object') return input;
  if (depth > 8) return '…';
  if (Array.isArray(input)) return input.slice(0, 100).map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input as Record<string, unknown>)) out[k] = SECRET_MEMBER.test(k) ? HIDDEN : redact(v, depth + 1);
  return out;
}

// Function resource policies: the statement AddPermission builds (as Lambda renders it in GetPolicy) and the
// evaluation API Gateway's invoke check needs (principal, action, SourceArn / SourceAccount conditions).
import type { PolicyStatement } from './records.ts';

export interface PermissionInput {
  StatementId: string;
  Action: string;
  Principal: string;
  SourceArn?: string;
  SourceAccount?: string;
  EventSourceToken?: string;
  PrincipalOrgID?: string;
  FunctionUrlAuthType?: string;
}

export function buildStatement(p: PermissionInput, resource: string): PolicyStatement {
  const statement: PolicyStatement = {
    Sid: p.StatementId,
    Effect: 'Allow',
    Principal: principalOf(p.Principal),
    Action: p.Action,
    Resource: resource,
  };
  const condition: Record<string, Record<string, string>> = {};
  if (p.SourceAccount) (condition.StringEquals ??= {})['AWS:SourceAccount'] = p.SourceAccount;
  if (p.PrincipalOrgID) (condition.StringEquals ??= {})['aws:PrincipalOrgID'] = p.PrincipalOrgID;
  if (p.EventSourceToken) (condition.StringEquals ??= {})['lambda:EventSourceToken'] = p.EventSourceToken;
  if (p.FunctionUrlAuthType) (condition.StringEquals ??= {})['lambda:FunctionUrlAuthType'] = p.FunctionUrlAuthType;
  if (p.SourceArn) (condition.ArnLike ??= {})['AWS:SourceArn'] = p.SourceArn;
  if (Object.keys(condition).length) statement.Condition = condition;
  return statement;
}

function principalOf(principal: string): PolicyStatement['Principal'] {
  if (principal === '*') return '*';
  if (/^\d{12}$/.test(principal)) return { AWS: `arn:aws:iam::${principal}:root` };
  if (principal.startsWith('arn:')) return { AWS: principal };
  return { Service: principal };
}

export interface InvokeCheck {
  /** e.g. 'apigateway.amazonaws.com' */
  service: string;
  sourceArn: string;
  sourceAccount: string;
}

/** Whether some statement allows the service to invoke the function from the source ARN. */
export function allowsInvoke(statements: readonly PolicyStatement[], check: InvokeCheck): boolean {
  return statements.some((s) => {
    if (s.Effect !== 'Allow') return false;
    if (!['lambda:InvokeFunction', 'lambda:*', '*'].includes(s.Action)) return false;
    const p = s.Principal;
    const principalOk = p === '*' || (typeof p === 'object' && (p.Service === check.service || p.AWS === '*'));
    if (!principalOk) return false;
    const arnLike = s.Condition?.ArnLike?.['AWS:SourceArn'];
    if (arnLike !== undefined && !wildcardMatch(arnLike, check.sourceArn)) return false;
    const account = s.Condition?.StringEquals?.['AWS:SourceAccount'];
    if (account !== undefined && account !== check.sourceAccount) return false;
    return true;
  });
}

/** IAM's ArnLike: `*` any run of characters, `?` one character, everything else literal. */
export function wildcardMatch(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
  return re.test(value);
}

// IAM policy documents, parsed once into a normalised form the evaluator walks without re-checking: every
// single-or-list element (Action, Resource, Principal values, condition values) becomes a list, and grammar errors
// are found here, not during evaluation (`PolicyError`, with IAM's MalformedPolicyDocument wording where known).
import { parseOperator } from './conditions.ts';

export type Effect = 'Allow' | 'Deny';

export interface Principal {
  /** `"Principal": "*"`. */
  any: boolean;
  /** By principal type (AWS, Service, Federated, CanonicalUser): the listed values. */
  byType: Record<string, string[]>;
}

export interface ConditionClause {
  /** The operator as written (`ForAnyValue:StringLikeIfExists`). */
  operator: string;
  key: string;
  values: string[];
}

export interface Statement {
  sid?: string;
  effect: Effect;
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  principal?: Principal;
  notPrincipal?: Principal;
  conditions: ConditionClause[];
  /** Position in its policy (0-based), for reasons. */
  index: number;
}

export interface PolicyDocument {
  version: string | undefined;
  statements: Statement[];
  /** Where the policy came from (`user/alice/inline/p1`, a managed policy ARN…), for reasons. */
  source: string;
}

export class PolicyError extends Error {}

const asList = (v: unknown, what: string): string[] => {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  throw new PolicyError(`${what} must be a string or a list of strings`);
};

function parsePrincipal(v: unknown, what: string): Principal {
  if (v === '*') return { any: true, byType: {} };
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new PolicyError(`${what} must be "*" or an object`);
  const byType: Record<string, string[]> = {};
  for (const [type, values] of Object.entries(v as Record<string, unknown>)) byType[type] = asList(values, `${what}.${type}`);
  return { any: false, byType };
}

function conditionValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new PolicyError('Condition values must be strings, numbers or booleans');
}

export function parsePolicy(text: string, source: string): PolicyDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new PolicyError('This policy contains invalid Json');
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new PolicyError('Syntax errors in policy.');
  const { Version, Statement: raw } = doc as { Version?: unknown; Statement?: unknown };
  if (Version !== undefined && Version !== '2012-10-17' && Version !== '2008-10-17') throw new PolicyError('The policy failed legacy parsing');
  if (raw === undefined) throw new PolicyError('Syntax errors in policy.');
  const list = Array.isArray(raw) ? raw : [raw];
  const statements = list.map((s, index): Statement => {
    if (s === null || typeof s !== 'object' || Array.isArray(s)) throw new PolicyError('Syntax errors in policy.');
    const st = s as Record<string, unknown>;
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') throw new PolicyError('Syntax errors in policy.');
    if ((st.Action === undefined) === (st.NotAction === undefined)) throw new PolicyError('Policy statement must contain actions.');
    if (st.Resource !== undefined && st.NotResource !== undefined) throw new PolicyError('Syntax errors in policy.');
    const conditions: ConditionClause[] = [];
    if (st.Condition !== undefined) {
      if (st.Condition === null || typeof st.Condition !== 'object' || Array.isArray(st.Condition)) throw new PolicyError('Syntax errors in policy.');
      for (const [operator, block] of Object.entries(st.Condition as Record<string, unknown>)) {
        if (block === null || typeof block !== 'object' || Array.isArray(block)) throw new PolicyError('Syntax errors in policy.');
        try {
          parseOperator(operator);
        } catch (e) {
          throw new PolicyError((e as Error).message);
        }
        for (const [key, values] of Object.entries(block as Record<string, unknown>)) {
          conditions.push({ operator, key, values: (Array.isArray(values) ? values : [values]).map(conditionValue) });
        }
      }
    }
    return {
      ...(typeof st.Sid === 'string' ? { sid: st.Sid } : {}),
      effect: st.Effect,
      ...(st.Action !== undefined ? { action: asList(st.Action, 'Action') } : {}),
      ...(st.NotAction !== undefined ? { notAction: asList(st.NotAction, 'NotAction') } : {}),
      ...(st.Resource !== undefined ? { resource: asList(st.Resource, 'Resource') } : {}),
      ...(st.NotResource !== undefined ? { notResource: asList(st.NotResource, 'NotResource') } : {}),
      ...(st.Principal !== undefined ? { principal: parsePrincipal(st.Principal, 'Principal') } : {}),
      ...(st.NotPrincipal !== undefined ? { notPrincipal: parsePrincipal(st.NotPrincipal, 'NotPrincipal') } : {}),
      conditions,
      index,
    };
  });
  return { version: Version as string | undefined, statements, source };
}

// Condition operators of IAM policies, as the IAM User Guide's "Condition operators" reference defines them:
// String*, Numeric*, Date*, Bool, BinaryEquals, IpAddress / NotIpAddress, Arn*, Null, the `…IfExists` suffix and the
// `ForAnyValue:` / `ForAllValues:` set prefixes. A key absent from the request context makes a positive operator
// false and a negated one (…Not…) true; `IfExists` makes it true; `ForAllValues` is true and `ForAnyValue` false.
import { isIP } from 'node:net';
import { wildcardMatch } from './wildcard.ts';

export type ContextValue = string | string[] | undefined;

type Compare = (requestValue: string, policyValue: string) => boolean;

const num = (s: string) => (/^-?\d+(\.\d+)?$/.test(s.trim()) ? Number(s) : NaN);
function date(s: string): number {
  if (/^\d+$/.test(s)) return Number(s) * 1000; // epoch seconds
  return Date.parse(s);
}
const numeric = (f: (a: number, b: number) => boolean): Compare => (a, b) => {
  const x = num(a);
  const y = num(b);
  return !Number.isNaN(x) && !Number.isNaN(y) && f(x, y);
};
const dated = (f: (a: number, b: number) => boolean): Compare => (a, b) => {
  const x = date(a);
  const y = date(b);
  return !Number.isNaN(x) && !Number.isNaN(y) && f(x, y);
};

/** ARNs compare part by part (six colon-separated parts), each part with wildcards. */
function arnLike(value: string, pattern: string): boolean {
  const v = value.split(':');
  const p = pattern.split(':');
  if (v.length < 6 || p.length < 6) return false;
  const head = (parts: string[]) => [...parts.slice(0, 5), parts.slice(5).join(':')];
  const vh = head(v);
  const ph = head(p);
  return ph.every((part, i) => wildcardMatch(part, vh[i]!, false));
}

/** An address as its bit string ('' for no address), cached: the same sources and policy networks recur. */
const addressBits = new Map<string, string>();
function bitsOf(ip: string): string {
  let bits = addressBits.get(ip);
  if (bits === undefined) {
    const family = isIP(ip);
    bits = family === 0 ? '' : toBits(ip, family);
    if (addressBits.size >= 10_000) addressBits.clear();
    addressBits.set(ip, bits);
  }
  return bits;
}

function inCidr(ip: string, cidr: string): boolean {
  const slash = cidr.indexOf('/');
  const base = slash === -1 ? cidr : cidr.slice(0, slash);
  const a = bitsOf(ip);
  const b = bitsOf(base);
  if (a === '' || a.length !== b.length) return false;
  const bits = slash === -1 ? a.length : Number(cidr.slice(slash + 1));
  if (!Number.isInteger(bits) || bits < 0 || bits > a.length) return false;
  return a.startsWith(b.slice(0, bits));
}

function toBits(ip: string, family: number): string {
  if (family === 4) return ip.split('.').map((o) => Number(o).toString(2).padStart(8, '0')).join('');
  const [head, tail] = ip.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.map((g) => parseInt(g || '0', 16).toString(2).padStart(16, '0')).join('');
}

/** Positive operators; each negated one is its positive twin, inverted. */
const POSITIVE: Record<string, Compare> = {
  StringEquals: (a, b) => a === b,
  StringEqualsIgnoreCase: (a, b) => a.toLowerCase() === b.toLowerCase(),
  StringLike: (a, b) => wildcardMatch(b, a, false),
  NumericEquals: numeric((a, b) => a === b),
  NumericLessThan: numeric((a, b) => a < b),
  NumericLessThanEquals: numeric((a, b) => a <= b),
  NumericGreaterThan: numeric((a, b) => a > b),
  NumericGreaterThanEquals: numeric((a, b) => a >= b),
  DateEquals: dated((a, b) => a === b),
  DateLessThan: dated((a, b) => a < b),
  DateLessThanEquals: dated((a, b) => a <= b),
  DateGreaterThan: dated((a, b) => a > b),
  DateGreaterThanEquals: dated((a, b) => a >= b),
  Bool: (a, b) => a.toLowerCase() === b.toLowerCase(),
  BinaryEquals: (a, b) => Buffer.from(a).toString('base64') === b || a === b,
  IpAddress: (a, b) => inCidr(a, b),
  ArnEquals: (a, b) => arnLike(a, b),
  ArnLike: (a, b) => arnLike(a, b),
};

const NEGATED: Record<string, string> = {
  StringNotEquals: 'StringEquals',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
  StringNotLike: 'StringLike',
  NumericNotEquals: 'NumericEquals',
  DateNotEquals: 'DateEquals',
  NotIpAddress: 'IpAddress',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
};

export class UnknownOperator extends Error {}

export interface ParsedOperator {
  set: 'ForAnyValue' | 'ForAllValues' | undefined;
  base: string;
  ifExists: boolean;
}

const parsedOperators = new Map<string, ParsedOperator>();

/** An operator's parts; parsed once per operator text (evaluation asks for every clause of every request). */
export function parseOperator(operator: string): ParsedOperator {
  let parsed = parsedOperators.get(operator);
  if (parsed === undefined) {
    parsed = parseOperatorText(operator);
    if (parsedOperators.size >= 1_000) parsedOperators.clear();
    parsedOperators.set(operator, parsed);
  }
  return parsed;
}

function parseOperatorText(operator: string): ParsedOperator {
  let rest = operator;
  let set: ParsedOperator['set'];
  if (rest.startsWith('ForAnyValue:')) {
    set = 'ForAnyValue';
    rest = rest.slice('ForAnyValue:'.length);
  } else if (rest.startsWith('ForAllValues:')) {
    set = 'ForAllValues';
    rest = rest.slice('ForAllValues:'.length);
  }
  const ifExists = rest.endsWith('IfExists') && rest !== 'IfExists';
  const base = ifExists ? rest.slice(0, -'IfExists'.length) : rest;
  if (base !== 'Null' && !POSITIVE[base] && !NEGATED[base]) throw new UnknownOperator(`Invalid Condition type : ${operator}`);
  return { set, base, ifExists };
}

/** One condition clause against the request's value for its key. `policyValues` have policy variables resolved. */
export function conditionHolds(op: ParsedOperator, policyValues: string[], value: ContextValue): boolean {
  const present = value !== undefined && !(Array.isArray(value) && value.length === 0 && op.set === undefined);
  if (op.base === 'Null') {
    // {"Null": {"k": "true"}}: the key is absent; "false": it is present.
    return policyValues.some((v) => (v.toLowerCase() === 'true') === !present);
  }
  const positive = NEGATED[op.base] ?? op.base;
  const negated = positive !== op.base;
  if (!present) {
    if (op.ifExists) return true;
    if (op.set === 'ForAllValues') return true;
    if (op.set === 'ForAnyValue') return false;
    return negated;
  }
  const compare = POSITIVE[positive]!;
  const values = Array.isArray(value) ? value : [value];
  const one = (v: string) => {
    const matched = policyValues.some((p) => compare(v, p));
    return negated ? !matched : matched;
  };
  if (op.set === 'ForAllValues') return values.every(one);
  if (op.set === 'ForAnyValue') return values.some(one);
  return negated ? values.every(one) : values.some(one);
}

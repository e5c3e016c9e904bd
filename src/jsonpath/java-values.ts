// The pieces of Java value semantics that Jayway's filters rely on: String.trim, Object.toString of JSON values,
// Integer.parseInt, and BigDecimal comparison (Jayway compares every number pair as `new BigDecimal(x.toString())`).

import { JavaDouble, javaDoubleToString, type JavaValue } from './json.ts';
import { JsonPathError } from './errors.ts';

/** Java's String.trim: strips code units <= U+0020 only (not Unicode spaces as JS trim does). */
export function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 32) start++;
  while (end > start && s.charCodeAt(end - 1) <= 32) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** Java's Integer.parseInt (ASCII digits): throws NumberFormatException on anything else or on overflow. */
export function javaParseInt(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw new JsonPathError('NumberFormatException', `For input string: "${s}"`);
  const n = Number(s);
  if (n > 2147483647 || n < -2147483648) throw new JsonPathError('NumberFormatException', `For input string: "${s}"`);
  return n;
}

export function isJavaNumber(v: unknown): v is number | bigint | JavaDouble {
  return typeof v === 'number' || typeof v === 'bigint' || v instanceof JavaDouble;
}

/** `toString()` of a JSON value as Java holds it: LinkedHashMap `{a=1, b=x}`, ArrayList `[1, 2]`, Double `1.0`. */
export function javaToString(v: JavaValue): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (v instanceof JavaDouble) return javaDoubleToString(v.value);
  if (Array.isArray(v)) return `[${v.map(javaToString).join(', ')}]`;
  const parts: string[] = [];
  for (const [k, val] of v) parts.push(`${k}=${javaToString(val)}`);
  return `{${parts.join(', ')}}`;
}

function numberText(v: number | bigint | JavaDouble): string {
  return v instanceof JavaDouble ? javaDoubleToString(v.value) : String(v);
}

interface Decimal {
  sign: -1 | 0 | 1;
  digits: string; // significant digits, no leading or trailing zeros
  exponent: number; // value = sign * 0.digits * 10^exponent
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** `new BigDecimal(text)`, reduced to what comparison needs. */
function parseDecimal(text: string): Decimal {
  const m = DECIMAL.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) {
    const bad = m ? text : (/[^0-9.eE+-]/.exec(text)?.[0] ?? text[0] ?? '');
    throw new JsonPathError(
      'NumberFormatException',
      `Character ${bad} is neither a decimal digit number, decimal point, nor "e" notation exponential mark.`,
    );
  }
  const intPart = m[2]!;
  const fracPart = m[3] ?? '';
  const all = intPart + fracPart;
  const lead = all.search(/[1-9]/);
  if (lead < 0) return { sign: 0, digits: '', exponent: 0 };
  const digits = all.slice(lead).replace(/0+$/, '');
  const exponent = intPart.length - lead + (m[4] ? Number(m[4]) : 0);
  return { sign: m[1] === '-' ? -1 : 1, digits, exponent };
}

/** BigDecimal.compareTo of two decimal texts: -1, 0 or 1. */
export function compareDecimalText(a: string, b: string): number {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  if (x.sign !== y.sign) return x.sign < y.sign ? -1 : 1;
  if (x.sign === 0) return 0;
  let mag: number;
  if (x.exponent !== y.exponent) mag = x.exponent < y.exponent ? -1 : 1;
  else mag = x.digits === y.digits ? 0 : x.digits < y.digits ? -1 : 1; // same length prefix order = numeric order
  return mag * x.sign;
}

const decimalSyntax = new Map<string, number>();

/** The double nearest to a BigDecimal text, after checking the text is one (NumberFormatException otherwise). */
function decimalApprox(text: string): number {
  const known = decimalSyntax.get(text);
  if (known !== undefined) return known;
  parseDecimal(text); // validates, throws NumberFormatException
  const approx = Number(text);
  if (decimalSyntax.size >= 1000) decimalSyntax.clear();
  decimalSyntax.set(text, approx);
  return approx;
}

function approx(v: string | number | bigint | JavaDouble): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return decimalApprox(v);
  if (typeof v === 'bigint') return Number(v);
  if (!Number.isFinite(v.value)) return decimalApprox(javaDoubleToString(v.value)); // throws: BigDecimal("Infinity")
  return v.value;
}

/**
 * `new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString()))`. Rounding to double is monotonic, so
 * different doubles already give the order; only equal approximations need the exact decimal comparison.
 */
function compareNumbers(a: string | number | bigint | JavaDouble, b: number | bigint | JavaDouble): number {
  const x = approx(a);
  const y = approx(b);
  if (x < y) return -1;
  if (x > y) return 1;
  if (typeof a === 'number' && typeof b === 'number') return 0;
  return compareDecimalText(typeof a === 'string' ? a : numberText(a), numberText(b));
}

/** Thrown when two values have no ordering (Jayway's ValueCompareException); filters read it as `false`. */
export const VALUE_COMPARE: unique symbol = Symbol('ValueCompareException');

function isNullish(v: unknown): boolean {
  return v === null || v === 'null';
}

function booleanCompare(a: boolean, b: boolean): number {
  return a === b ? 0 : a ? 1 : -1;
}

/**
 * Jayway's `Criteria.safeCompare(expected, model)`: `expected` is the right-hand operand of the filter expression,
 * `model` the left-hand one. Literals that are not quoted strings arrive here as strings too ("10", "true").
 */
export function safeCompare(expected: unknown, model: unknown): number {
  if (expected === model && typeof expected === 'object') return 0; // Java reference identity (maps, lists, null)
  const leftNullish = isNullish(expected);
  const rightNullish = isNullish(model);
  if (leftNullish && !rightNullish) return -1;
  if (!leftNullish && rightNullish) return 1;
  if (leftNullish && rightNullish) return 0;
  if (typeof expected === 'string') {
    if (typeof model === 'string') {
      const exp = expected.includes("'") ? expected.replaceAll("\\'", "'") : expected;
      return exp === model ? 0 : exp < model ? -1 : 1;
    }
    if (isJavaNumber(model)) return compareNumbers(expected, model);
    if (typeof model === 'boolean') return booleanCompare(expected.toLowerCase() === 'true', model);
  } else if (isJavaNumber(expected)) {
    if (isJavaNumber(model)) return compareNumbers(expected, model);
  } else if (typeof expected === 'boolean' && typeof model === 'boolean') {
    return booleanCompare(expected, model);
  }
  throw VALUE_COMPARE;
}

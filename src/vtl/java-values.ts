// Java value semantics over the shared Java-shaped JSON model (src/jsonpath/json.ts): toString as Java prints
// maps and lists, equals, numbers that keep int vs double (integers widen instead of overflowing, as Velocity
// 1.7's MathUtils does), and the few extra value kinds a template can produce (map entries, floats).
import { JavaDouble, javaDoubleToString, parseJavaJson, type JavaValue } from '../jsonpath/json.ts';

export { JavaDouble };

/** A Map.Entry from entrySet(): prints as `key=value`. */
export class MapEntry {
  readonly key: unknown;
  value: unknown;
  readonly map: Map<unknown, unknown>;
  constructor(map: Map<unknown, unknown>, key: unknown, value: unknown) {
    this.map = map;
    this.key = key;
    this.value = value;
  }
}

/**
 * A Set or Collection view (keySet(), values(), entrySet()): iterable, printable, `size()`, `contains()`…, but
 * without List's positional methods (`get(0)` finds no method, as in Java).
 */
export class JavaCollection extends Array<unknown> {
  static fromItems(items: Iterable<unknown>): JavaCollection {
    const c = new JavaCollection();
    for (const x of items) c.push(x);
    return c;
  }
}

/**
 * json-smart JSONArrays: what API Gateway's `$input.path()` returns for JSON arrays (Jayway JsonPath over
 * json-smart). Lists in every respect, except that they print as JSON text (`["a","b"]`, objects inside as JSON
 * too), where an ArrayList prints `[a, b]`. Marked with a symbol property (a subclass, another prototype or a
 * WeakSet costs more on every render).
 */
const JSON_ARRAY: unique symbol = Symbol('JSONArray');

type Marked = unknown[] & { [JSON_ARRAY]?: true };

/** Marks every array of a parsed JSON document as a JSONArray. */
export function markJsonArrays(v: unknown): void {
  if (Array.isArray(v)) {
    (v as Marked)[JSON_ARRAY] = true;
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (typeof x === 'object' && x !== null) markJsonArrays(x);
    }
  } else if (v instanceof Map) {
    v.forEach(markChild);
  }
}

function markChild(x: unknown): void {
  if (typeof x === 'object' && x !== null) markJsonArrays(x);
}

/** Parses JSON text as `$input.path()` sees it: every array a JSONArray (marked as it is built). */
export function parseJsonDocument(text: string): JavaValue {
  return parseJavaJson(text, JSON_ARRAY);
}

/** json-smart's string escaping (JStylerObj.ESCAPE4Web, the default style): `/` too, and some Unicode ranges. */
function smartQuote(s: string): string {
  let out = '"';
  let from = 0; // start of the run of characters copied as they are
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let e: string;
    switch (c) {
      case 34: e = '\\"'; break;
      case 92: e = '\\\\'; break;
      case 8: e = '\\b'; break;
      case 12: e = '\\f'; break;
      case 10: e = '\\n'; break;
      case 13: e = '\\r'; break;
      case 9: e = '\\t'; break;
      case 47: e = '\\/'; break;
      default:
        if (c <= 0x1f || (c >= 0x7f && c <= 0x9f) || (c >= 0x2000 && c <= 0x20ff)) {
          e = `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
        } else continue;
    }
    // Whole runs are appended, not single characters.
    out += from < i ? s.slice(from, i) + e : e;
    from = i + 1;
  }
  return from < s.length ? `${out}${s.slice(from)}"` : `${out}"`;
}

/** JSONValue.toJSONString as json-smart writes it (the text of a JSONArray). */
export function smartJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return smartQuote(v);
  if (Array.isArray(v)) return `[${v.map(smartJson).join(',')}]`;
  if (v instanceof Map) {
    const parts: string[] = [];
    for (const [k, x] of v) parts.push(`${smartQuote(javaToString(k))}:${smartJson(x)}`);
    return `{${parts.join(',')}}`;
  }
  if (v instanceof JavaDouble && !Number.isFinite(v.value)) return 'null';
  return javaToString(v);
}

/** A java.lang.Float (from floatValue()): prints with float precision, `0.1` not `0.10000000149011612`. */
export class JavaFloat {
  readonly value: number;
  constructor(value: number) {
    this.value = Math.fround(value);
  }
}

/** Host objects ($input, $util, $foreach…) print like this; Velocity would print `Class@hash`. */
export interface Printable {
  javaToString(): string;
}

export function isPrintable(v: unknown): v is Printable {
  return typeof v === 'object' && v !== null && typeof (v as Partial<Printable>).javaToString === 'function';
}

export type JavaNumber = number | bigint | JavaDouble | JavaFloat;

export function isJavaNumber(v: unknown): v is JavaNumber {
  return typeof v === 'number' || typeof v === 'bigint' || v instanceof JavaDouble || v instanceof JavaFloat;
}

export function isFloating(v: JavaNumber): v is JavaDouble | JavaFloat {
  return v instanceof JavaDouble || v instanceof JavaFloat;
}

/** The numeric value as a JS double (exact for doubles and safe integers). */
export function toDouble(v: JavaNumber): number {
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : v.value;
}

/** Integers beyond 2^53 are bigints; back to a number when it fits. */
export function normalizeInteger(v: bigint): number | bigint {
  return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}

function floatToString(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? 'Infinity' : '-Infinity';
  // Shortest decimal that reads back as the same float, printed as Java prints a Float.
  for (let p = 1; p <= 9; p++) {
    const candidate = Number(f.toPrecision(p));
    if (Math.fround(candidate) === f) return javaDoubleToString(candidate);
  }
  return javaDoubleToString(f);
}

/** Java's String.valueOf(v) for every value a template can hold. */
export function javaToString(v: unknown, seen?: Set<unknown>): string {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return Number.isInteger(v) ? String(v === 0 ? 0 : v) : javaDoubleToString(v);
    case 'bigint':
    case 'boolean':
      return String(v);
    default:
      break;
  }
  if (v instanceof JavaDouble) return javaDoubleToString(v.value);
  if (v instanceof JavaFloat) return floatToString(v.value);
  if (Array.isArray(v)) {
    if ((v as Marked)[JSON_ARRAY] === true) return smartJson(v);
    const s = seen ?? new Set();
    s.add(v);
    let out = '[';
    for (let i = 0; i < v.length; i++) {
      if (i) out += ', ';
      const item = v[i];
      out += item === v ? '(this Collection)' : s.has(item) ? '(this Collection)' : javaToString(item, s);
    }
    s.delete(v);
    return `${out}]`;
  }
  if (v instanceof Map) {
    const s = seen ?? new Set();
    s.add(v);
    let out = '{';
    let first = true;
    for (const [k, val] of v) {
      if (!first) out += ', ';
      first = false;
      out += `${k === v ? '(this Map)' : javaToString(k, s)}=${val === v || s.has(val) ? '(this Map)' : javaToString(val, s)}`;
    }
    s.delete(v);
    return `${out}}`;
  }
  if (v instanceof MapEntry) return `${javaToString(v.key, seen)}=${javaToString(v.value, seen)}`;
  if (isPrintable(v)) return v.javaToString();
  return String(v);
}

/** Java's a.equals(b) for template values. */
export function javaEquals(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined) return b === null || b === undefined;
  if (b === null || b === undefined) return false;
  if (typeof a === 'string' || typeof a === 'boolean') return a === b;
  if (typeof a === 'number' || typeof a === 'bigint') {
    // Integer.equals / Long.equals: same integral value (int vs long by magnitude, as everywhere here).
    return (typeof b === 'number' || typeof b === 'bigint') && a == b; // eslint-disable-line eqeqeq
  }
  if (a instanceof JavaDouble) return b instanceof JavaDouble && Object.is(a.value, b.value);
  if (a instanceof JavaFloat) return b instanceof JavaFloat && Object.is(a.value, b.value);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!javaEquals(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    for (const [k, v] of a) {
      if (!b.has(k) || !javaEquals(v, b.get(k))) return false;
    }
    return true;
  }
  if (a instanceof MapEntry) return b instanceof MapEntry && javaEquals(a.key, b.key) && javaEquals(a.value, b.value);
  return a === b;
}

/** Numeric comparison across int, long and double, as MathUtils.compare does. */
export function compareNumbers(a: JavaNumber, b: JavaNumber): number {
  if (isFloating(a) || isFloating(b) || (typeof a === 'number' && typeof b === 'number')) {
    const x = toDouble(a);
    const y = toDouble(b);
    return x < y ? -1 : x > y ? 1 : x === y ? 0 : Number.isNaN(x) ? (Number.isNaN(y) ? 0 : 1) : -1;
  }
  const x = BigInt(a as number | bigint);
  const y = BigInt(b as number | bigint);
  return x < y ? -1 : x > y ? 1 : 0;
}

type IntOp = '+' | '-' | '*' | '/' | '%';

/**
 * Velocity 1.7 arithmetic on two numbers: any double makes a double; integers widen on overflow (int → long →
 * BigInteger) so the exact result is kept; integer division truncates. Division or modulo by zero is null.
 */
export function arithmetic(op: IntOp, a: JavaNumber, b: JavaNumber): JavaNumber | null {
  if (isFloating(a) || isFloating(b)) {
    const x = toDouble(a);
    const y = toDouble(b);
    if ((op === '/' || op === '%') && y === 0) return null;
    switch (op) {
      case '+': return new JavaDouble(x + y);
      case '-': return new JavaDouble(x - y);
      case '*': return new JavaDouble(x * y);
      case '/': return new JavaDouble(x / y);
      case '%': return new JavaDouble(x % y);
    }
  }
  const ia = a as number | bigint;
  const ib = b as number | bigint;
  if (ib === 0 || ib === 0n) return op === '/' || op === '%' ? null : fastOrBig(op, ia, ib);
  return fastOrBig(op, ia, ib);
}

function fastOrBig(op: IntOp, a: number | bigint, b: number | bigint): number | bigint {
  if (typeof a === 'number' && typeof b === 'number') {
    let r: number;
    switch (op) {
      case '+': r = a + b; break;
      case '-': r = a - b; break;
      case '*': r = a * b; break;
      case '/': r = Math.abs(a) < 2147483648 ? Math.trunc(a / b) : NaN; break;
      case '%': r = a % b; break;
    }
    if (Number.isSafeInteger(r)) return r === 0 ? 0 : r;
  }
  const x = BigInt(a);
  const y = BigInt(b);
  switch (op) {
    case '+': return normalizeInteger(x + y);
    case '-': return normalizeInteger(x - y);
    case '*': return normalizeInteger(x * y);
    case '/': return normalizeInteger(x / y);
    case '%': return normalizeInteger(x % y);
  }
}

/** Java's (int) narrowing of a number. */
export function toJavaInt(v: JavaNumber): number {
  if (isFloating(v)) {
    const d = v.value;
    if (Number.isNaN(d)) return 0;
    if (d >= 2147483647) return 2147483647;
    if (d <= -2147483648) return -2147483648;
    return Math.trunc(d) | 0;
  }
  return Number(BigInt.asIntN(32, BigInt(v)));
}

/** Java's (long) narrowing of a number. */
export function toJavaLong(v: JavaNumber): number | bigint {
  if (isFloating(v)) {
    const d = v.value;
    if (Number.isNaN(d)) return 0;
    if (d >= 9223372036854775807) return 9223372036854775807n;
    if (d <= -9223372036854775808) return -9223372036854775808n;
    return normalizeInteger(BigInt(Math.trunc(d)));
  }
  return normalizeInteger(BigInt.asIntN(64, BigInt(v)));
}

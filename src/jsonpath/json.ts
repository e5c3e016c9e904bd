// JSON as the Java side of API Gateway sees it (json-smart under Jayway JsonPath, maps rendered by Velocity):
// objects are insertion-ordered maps, and integers and doubles are different types (`1.0` stays a double and
// prints as `1.0`; `1` is an Integer, beyond 32 bits a Long). Shared by src/jsonpath and src/vtl.
//
//   object  → Map<string, JavaValue>  (a Map, not a plain object: key order is kept exactly and no prototype is reachable)
//   array   → JavaValue[]
//   string  → string;  true/false → boolean;  null → null
//   integer → number (safe integers) or bigint (beyond 2^53), Java int vs long is decided by magnitude
//   double  → JavaDouble

export class JavaDouble {
  readonly value: number;
  constructor(value: number) {
    this.value = value;
  }
  toString(): string {
    return javaDoubleToString(this.value);
  }
}

export type JavaValue = null | boolean | string | number | bigint | JavaDouble | JavaValue[] | Map<string, JavaValue>;

export class JsonSyntaxError extends Error {
  readonly position: number;
  constructor(message: string, position: number) {
    super(`${message} at position ${position}`);
    this.position = position;
  }
}

/**
 * Parses JSON text into Java-shaped values. Throws JsonSyntaxError on malformed input. `arrayMark`, when given, is
 * set to `true` on every array of the document as it is built (how src/vtl tags json-smart arrays without a
 * second walk over the document).
 */
export function parseJavaJson(text: string, arrayMark?: symbol): JavaValue {
  const p = new JsonParser(text, arrayMark);
  const v = p.value();
  if (p.skipWhitespace() >= 0) throw new JsonSyntaxError('Unexpected trailing characters', p.i);
  return v;
}

// Character codes the parser dispatches on.
const QUOTE = 34;
const BACKSLASH = 92;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;

/** The longest number text read: longer digit runs stop there (and the rest is then unexpected). */
const MAX_NUMBER_LENGTH = 400;

/**
 * A recursive-descent parser over character codes: no regexes and no slicing except for the final text of a
 * string or a long number, since this runs on every request body a template reads.
 */
class JsonParser {
  readonly text: string;
  readonly n: number;
  readonly arrayMark: symbol | undefined;
  i = 0;

  constructor(text: string, arrayMark: symbol | undefined) {
    this.text = text;
    this.n = text.length;
    this.arrayMark = arrayMark;
  }

  /** Skips whitespace; returns the code of the next character, or -1 at the end of the text. */
  skipWhitespace(): number {
    const t = this.text;
    const n = this.n;
    let i = this.i;
    while (i < n) {
      const c = t.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else {
        this.i = i;
        return c;
      }
    }
    this.i = i;
    return -1;
  }

  value(): JavaValue {
    const c = this.skipWhitespace();
    if (c < 0) throw new JsonSyntaxError('Unexpected end of input', this.i);
    switch (c) {
      case 123: return this.object(); // {
      case 91: return this.array(); // [
      case QUOTE: return this.string();
      case 116: // t
        if (this.text.startsWith('true', this.i)) {
          this.i += 4;
          return true;
        }
        break;
      case 102: // f
        if (this.text.startsWith('false', this.i)) {
          this.i += 5;
          return false;
        }
        break;
      case 110: // n
        if (this.text.startsWith('null', this.i)) {
          this.i += 4;
          return null;
        }
        break;
      default:
        break;
    }
    return this.number();
  }

  private object(): Map<string, JavaValue> {
    this.i++;
    const m = new Map<string, JavaValue>();
    if (this.skipWhitespace() === 125) {
      this.i++;
      return m;
    }
    for (;;) {
      if (this.skipWhitespace() !== QUOTE) throw new JsonSyntaxError('Expected a string key', this.i);
      const k = this.string();
      if (this.skipWhitespace() !== 58) throw new JsonSyntaxError("Expected ':'", this.i);
      this.i++;
      m.set(k, this.value());
      const d = this.skipWhitespace();
      this.i++;
      if (d === 125) return m;
      if (d !== 44) throw new JsonSyntaxError("Expected ',' or '}'", this.i - 1);
    }
  }

  private array(): JavaValue[] {
    this.i++;
    const l: JavaValue[] = [];
    if (this.arrayMark !== undefined) (l as unknown as Record<symbol, boolean>)[this.arrayMark] = true;
    if (this.skipWhitespace() === 93) {
      this.i++;
      return l;
    }
    for (;;) {
      l.push(this.value());
      const d = this.skipWhitespace();
      this.i++;
      if (d === 93) return l;
      if (d !== 44) throw new JsonSyntaxError("Expected ',' or ']'", this.i - 1);
    }
  }

  /** A string; `this.i` is at its opening quote. */
  private string(): string {
    const t = this.text;
    const n = this.n;
    let i = this.i + 1;
    let start = i;
    let out = '';
    for (;;) {
      if (i >= n) {
        this.i = i;
        throw new JsonSyntaxError('Unterminated string', i);
      }
      const c = t.charCodeAt(i);
      if (c === QUOTE) {
        this.i = i + 1;
        return start === i ? out : out + t.slice(start, i);
      }
      if (c === BACKSLASH) {
        if (start < i) out += t.slice(start, i);
        const e = i + 1 < n ? t.charCodeAt(i + 1) : -1;
        i += 2;
        switch (e) {
          case 110: out += '\n'; break; // n
          case 116: out += '\t'; break; // t
          case 114: out += '\r'; break; // r
          case 98: out += '\b'; break; // b
          case 102: out += '\f'; break; // f
          case 47: out += '/'; break;
          case BACKSLASH: out += '\\'; break;
          case QUOTE: out += '"'; break;
          case 117: { // u
            const code = i + 4 <= n ? hex4(t, i) : -1;
            if (code < 0) throw new JsonSyntaxError('Bad unicode escape', i);
            out += String.fromCharCode(code);
            i += 4;
            break;
          }
          default:
            throw new JsonSyntaxError('Bad escape', i - 1);
        }
        start = i;
        continue;
      }
      if (c < 0x20) throw new JsonSyntaxError('Control character in string', i);
      i++;
    }
  }

  /**
   * A number (`-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`, at most MAX_NUMBER_LENGTH characters): with a
   * fraction or an exponent a double, else an integer (a bigint beyond 2^53).
   */
  private number(): JavaValue {
    const t = this.text;
    const start = this.i;
    const end = Math.min(this.n, start + MAX_NUMBER_LENGTH);
    let i = start;
    let c = t.charCodeAt(i);
    if (c === MINUS) c = ++i < end ? t.charCodeAt(i) : -1;
    if (c === ZERO) i++;
    else if (c > ZERO && c <= NINE) {
      i++;
      while (i < end && isDigit(t.charCodeAt(i))) i++;
    } else {
      throw new JsonSyntaxError(`Unexpected character '${t[start]}'`, start);
    }
    const integerEnd = i;
    let fractionEnd = i;
    if (i + 1 < end && t.charCodeAt(i) === DOT && isDigit(t.charCodeAt(i + 1))) {
      i += 2;
      while (i < end && isDigit(t.charCodeAt(i))) i++;
      fractionEnd = i;
    }
    if (i + 1 < end && (t.charCodeAt(i) | 0x20) === 101) { // e or E
      let j = i + 1;
      const s = t.charCodeAt(j);
      if (s === 43 || s === MINUS) j++;
      if (j < end && isDigit(t.charCodeAt(j))) {
        j++;
        while (j < end && isDigit(t.charCodeAt(j))) j++;
        i = j;
      }
    }
    this.i = i;
    if (i !== integerEnd) {
      // A plain decimal (`19.99`) of at most 15 digits and 22 fraction digits is an exact integer divided by an
      // exact power of ten: one correctly rounded division, the same double as Number() gives.
      const fractionDigits = fractionEnd - integerEnd - 1;
      const negative = t.charCodeAt(start) === MINUS;
      if (i === fractionEnd && i - start - (negative ? 2 : 1) <= 15) {
        let mantissa = 0;
        for (let k = negative ? start + 1 : start; k < i; k++) {
          if (k !== integerEnd) mantissa = mantissa * 10 + (t.charCodeAt(k) - ZERO);
        }
        const d = mantissa / POWERS_OF_TEN[fractionDigits]!;
        return new JavaDouble(negative ? -d : d);
      }
      return new JavaDouble(Number(t.slice(start, i)));
    }
    const negative = t.charCodeAt(start) === MINUS;
    if (i - start - (negative ? 1 : 0) <= 15) {
      // Up to 15 digits the value is exact in a double: no text conversion needed.
      let v = 0;
      for (let k = negative ? start + 1 : start; k < i; k++) v = v * 10 + (t.charCodeAt(k) - ZERO);
      return negative ? -v : v; // `-0` stays -0, as Number('-0') gives
    }
    const digits = t.slice(start, i);
    const num = Number(digits);
    return Number.isSafeInteger(num) ? num : BigInt(digits);
  }
}

/** 10^0 … 10^22: the powers of ten a double holds exactly. */
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

/** The value of four hex digits at `i`, or -1 when they are not all hex digits. */
function hex4(t: string, i: number): number {
  let v = 0;
  for (let k = i; k < i + 4; k++) {
    const c = t.charCodeAt(k);
    let d: number;
    if (c >= ZERO && c <= NINE) d = c - ZERO;
    else if (c >= 97 && c <= 102) d = c - 87; // a-f
    else if (c >= 65 && c <= 70) d = c - 55; // A-F
    else return -1;
    v = v * 16 + d;
  }
  return v;
}

/** Java's Double.toString: `1.0`, `0.5`, `1.0E10`, `1.234E-5`, `NaN`, `Infinity`. */
export function javaDoubleToString(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (d === Infinity) return 'Infinity';
  if (d === -Infinity) return '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(d);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(d);
    return s.includes('.') ? s : `${s}.0`;
  }
  // Scientific: shortest repr digits, mantissa with at least one fractional digit.
  const [mant, exp] = d.toExponential().split('e') as [string, string];
  const m = mant.includes('.') ? mant : `${mant}.0`;
  return `${m}E${exp.startsWith('+') ? exp.slice(1) : exp}`;
}

const ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

function quote(s: string): string {
  // eslint-disable-next-line no-control-regex
  return `"${s.replace(/["\\\u0000-\u001f]/g, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

/** Compact JSON text of a Java-shaped value (what `$input.json()` returns). */
export function stringifyJavaJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof JavaDouble) return javaDoubleToString(v.value);
  if (Array.isArray(v)) return `[${v.map(stringifyJavaJson).join(',')}]`;
  if (v instanceof Map) {
    const parts: string[] = [];
    for (const [k, val] of v) parts.push(`${quote(String(k))}:${stringifyJavaJson(val)}`);
    return `{${parts.join(',')}}`;
  }
  return quote(String(v));
}

/** Converts plain JS data (JSON.parse output, context objects) into Java-shaped values. */
export function toJavaValue(v: unknown): JavaValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isInteger(v) ? v : new JavaDouble(v);
  if (typeof v === 'string' || typeof v === 'boolean' || typeof v === 'bigint') return v;
  if (v instanceof JavaDouble || v instanceof Map) return v as JavaValue;
  if (Array.isArray(v)) return v.map(toJavaValue);
  if (typeof v === 'object') {
    const m = new Map<string, JavaValue>();
    for (const [k, val] of Object.entries(v)) m.set(k, toJavaValue(val));
    return m;
  }
  return String(v);
}

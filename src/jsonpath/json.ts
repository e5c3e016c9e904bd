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

/** Parses JSON text into Java-shaped values. Throws JsonSyntaxError on malformed input. */
export function parseJavaJson(text: string): JavaValue {
  let i = 0;
  const n = text.length;
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const value = (): JavaValue => {
    ws();
    if (i >= n) throw new JsonSyntaxError('Unexpected end of input', i);
    const c = text[i]!;
    if (c === '{') {
      i++;
      const m = new Map<string, JavaValue>();
      ws();
      if (text[i] === '}') {
        i++;
        return m;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') throw new JsonSyntaxError('Expected a string key', i);
        const k = str();
        ws();
        if (text[i] !== ':') throw new JsonSyntaxError("Expected ':'", i);
        i++;
        m.set(k, value());
        ws();
        const d = text[i++];
        if (d === '}') return m;
        if (d !== ',') throw new JsonSyntaxError("Expected ',' or '}'", i - 1);
      }
    }
    if (c === '[') {
      i++;
      const l: JavaValue[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return l;
      }
      for (;;) {
        l.push(value());
        ws();
        const d = text[i++];
        if (d === ']') return l;
        if (d !== ',') throw new JsonSyntaxError("Expected ',' or ']'", i - 1);
      }
    }
    if (c === '"') return str();
    if (text.startsWith('true', i)) {
      i += 4;
      return true;
    }
    if (text.startsWith('false', i)) {
      i += 5;
      return false;
    }
    if (text.startsWith('null', i)) {
      i += 4;
      return null;
    }
    const m = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) throw new JsonSyntaxError(`Unexpected character '${c}'`, i);
    i += m[0].length;
    if (m[1] !== undefined || m[2] !== undefined) return new JavaDouble(Number(m[0]));
    const num = Number(m[0]);
    return Number.isSafeInteger(num) ? num : BigInt(m[0]);
  };
  const str = (): string => {
    i++; // opening quote
    let out = '';
    let start = i;
    for (;;) {
      if (i >= n) throw new JsonSyntaxError('Unterminated string', i);
      const c = text.charCodeAt(i);
      if (c === 34) {
        out += text.slice(start, i);
        i++;
        return out;
      }
      if (c === 92) {
        out += text.slice(start, i);
        const e = text[i + 1];
        i += 2;
        switch (e) {
          case 'n': out += '\n'; break;
          case 't': out += '\t'; break;
          case 'r': out += '\r'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case '/': out += '/'; break;
          case '\\': out += '\\'; break;
          case '"': out += '"'; break;
          case 'u': {
            const hex = text.slice(i, i + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new JsonSyntaxError('Bad unicode escape', i);
            out += String.fromCharCode(parseInt(hex, 16));
            i += 4;
            break;
          }
          default: throw new JsonSyntaxError('Bad escape', i - 1);
        }
        start = i;
        continue;
      }
      if (c < 0x20) throw new JsonSyntaxError('Control character in string', i);
      i++;
    }
  };
  const v = value();
  ws();
  if (i < n) throw new JsonSyntaxError('Unexpected trailing characters', i);
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

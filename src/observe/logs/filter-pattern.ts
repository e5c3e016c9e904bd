// CloudWatch Logs filter patterns ("Filter pattern syntax for metric filters, subscription filters, and filter log
// events" in the CloudWatch Logs user guide), compiled once per FilterLogEvents call into a predicate on a message:
//
//   terms          ERROR            "quoted phrase"     ERROR -DEBUG (exclusion)     ?ERROR ?WARN (any of)
//                  case-sensitive substring matches; plain terms all match, `-` terms none, `?` terms at least one.
//   regex          %[0-9]{3}%       (RE2: linear time, so a hostile pattern cannot stall the server)
//   JSON           { $.status = 500 }  { ($.user.id = 2 && $.level = "ERROR") || $.latency > 100 }
//                  =, != on strings (with * wildcards) and numbers; <, >, <=, >= on numbers; IS TRUE / FALSE /
//                  NULL, NOT EXISTS; selectors `$.a.b`, `$.a[0]`, `$.*`-free. Messages that are not JSON never match.
//   space-delimited [ip, user, timestamp, request, status_code = 4*, size > 100, ...]
//                  fields split on spaces, "quoted" and [bracketed] fields count as one; `...` stands for any number
//                  of fields; conditions as in JSON patterns, joined with && and ||.
//
// Bounds for hostile input: the pattern is at most 1,024 characters (the model says so), nesting at most 20 deep,
// wildcards are matched without backtracking, space-delimited matching is dynamic programming over
// (field, token) — so every pattern costs O(pattern × message) per event at worst.
import { RE2JS } from 're2js';

export type Matcher = (message: string) => boolean;

export class FilterPatternError extends Error {}

const MAX_DEPTH = 20;

export function compileFilterPattern(pattern: string | undefined): Matcher {
  const p = (pattern ?? '').trim();
  if (p === '' || p === '""') return () => true;
  if (p.startsWith('{')) return jsonPattern(p);
  if (p.startsWith('[')) return spaceDelimitedPattern(p);
  if (p.length >= 2 && p.startsWith('%') && p.endsWith('%')) return regexPattern(p.slice(1, -1));
  return termPattern(p);
}

function invalid(): FilterPatternError {
  return new FilterPatternError('Invalid filter pattern');
}

function regexPattern(source: string): Matcher {
  let re: RE2JS;
  try {
    re = RE2JS.compile(source);
  } catch {
    throw invalid();
  }
  return (m) => re.matcher(m).find();
}

// ---------------------------------------------------------------------------------------------------------------
// Terms

function termPattern(p: string): Matcher {
  const all: string[] = [];
  const none: string[] = [];
  const any: string[] = [];
  let i = 0;
  while (i < p.length) {
    while (p[i] === ' ' || p[i] === '\t') i++;
    if (i >= p.length) break;
    let list = all;
    if (p[i] === '-') {
      list = none;
      i++;
    } else if (p[i] === '?') {
      list = any;
      i++;
    }
    let term = '';
    if (p[i] === '"') {
      i++;
      while (i < p.length && p[i] !== '"') {
        if (p[i] === '\\' && i + 1 < p.length) i++;
        term += p[i++];
      }
      if (p[i] !== '"') throw invalid();
      i++;
    } else {
      while (i < p.length && p[i] !== ' ' && p[i] !== '\t') term += p[i++];
    }
    if (term !== '') list.push(term);
  }
  return (m) => {
    for (const t of all) if (!m.includes(t)) return false;
    for (const t of none) if (m.includes(t)) return false;
    if (any.length === 0) return true;
    for (const t of any) if (m.includes(t)) return true;
    return false;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Conditions shared by JSON and space-delimited patterns: a value compared with = != < > <= >=.

type Value = { kind: 'string'; s: string } | { kind: 'number'; n: number };

/** `*` wildcards matched greedily without backtracking (O(n·m) at worst, no exponential blow-up). */
export function wildcardMatch(pattern: string, s: string): boolean {
  if (!pattern.includes('*')) return pattern === s;
  let p = 0;
  let i = 0;
  let star = -1;
  let mark = 0;
  while (i < s.length) {
    if (p < pattern.length && pattern[p] !== '*' && pattern[p] === s[i]) {
      p++;
      i++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = i;
    } else if (star !== -1) {
      p = star + 1;
      i = ++mark;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

function compare(op: string, v: Value, actual: unknown): boolean {
  if (v.kind === 'number') {
    const n = typeof actual === 'number' ? actual : typeof actual === 'string' && actual.trim() !== '' ? Number(actual) : NaN;
    if (Number.isNaN(n)) return op === '!=' && actual !== undefined;
    switch (op) {
      case '=':
        return n === v.n;
      case '!=':
        return n !== v.n;
      case '<':
        return n < v.n;
      case '>':
        return n > v.n;
      case '<=':
        return n <= v.n;
      case '>=':
        return n >= v.n;
    }
    return false;
  }
  if (actual === undefined || actual === null || typeof actual === 'object') return op === '!=' && actual !== undefined;
  const s = String(actual);
  if (op === '=') return wildcardMatch(v.s, s);
  if (op === '!=') return !wildcardMatch(v.s, s);
  return false;
}

// ---------------------------------------------------------------------------------------------------------------
// A small tokenizer for the expression languages inside { } and [ ].

interface Lexer {
  src: string;
  pos: number;
}

function skipSpace(lx: Lexer): void {
  while (lx.pos < lx.src.length && /\s/.test(lx.src[lx.pos]!)) lx.pos++;
}

function peek(lx: Lexer, s: string): boolean {
  skipSpace(lx);
  return lx.src.startsWith(s, lx.pos);
}

function eat(lx: Lexer, s: string): boolean {
  if (!peek(lx, s)) return false;
  lx.pos += s.length;
  return true;
}

function readOperator(lx: Lexer): string | undefined {
  skipSpace(lx);
  for (const op of ['!=', '<=', '>=', '=', '<', '>']) if (eat(lx, op)) return op;
  return undefined;
}

function readValue(lx: Lexer, stop: RegExp): Value {
  skipSpace(lx);
  if (lx.src[lx.pos] === '"') {
    lx.pos++;
    let s = '';
    while (lx.pos < lx.src.length && lx.src[lx.pos] !== '"') {
      if (lx.src[lx.pos] === '\\' && lx.pos + 1 < lx.src.length) lx.pos++;
      s += lx.src[lx.pos++];
    }
    if (lx.src[lx.pos] !== '"') throw invalid();
    lx.pos++;
    return { kind: 'string', s };
  }
  const start = lx.pos;
  while (lx.pos < lx.src.length && !stop.test(lx.src[lx.pos]!)) lx.pos++;
  const word = lx.src.slice(start, lx.pos).trim();
  if (word === '') throw invalid();
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(word)) return { kind: 'number', n: Number(word) };
  return { kind: 'string', s: word };
}

/** `a && b || c` with parentheses, over a leaf parser; && binds tighter than ||. */
function parseBoolean<T>(lx: Lexer, leaf: (lx: Lexer, depth: number) => (x: T) => boolean, depth: number): (x: T) => boolean {
  if (depth > MAX_DEPTH) throw invalid();
  const and = (): ((x: T) => boolean) => {
    let left = primary();
    while (eat(lx, '&&')) {
      const l = left;
      const r = primary();
      left = (x) => l(x) && r(x);
    }
    return left;
  };
  const primary = (): ((x: T) => boolean) => {
    if (eat(lx, '(')) {
      const inner = parseBoolean(lx, leaf, depth + 1);
      if (!eat(lx, ')')) throw invalid();
      return inner;
    }
    return leaf(lx, depth);
  };
  let left = and();
  while (eat(lx, '||')) {
    const l = left;
    const r = and();
    left = (x) => l(x) || r(x);
  }
  return left;
}

// ---------------------------------------------------------------------------------------------------------------
// JSON patterns

type Step = string | number;

function readSelector(lx: Lexer): Step[] {
  skipSpace(lx);
  if (lx.src[lx.pos] !== '$') throw invalid();
  lx.pos++;
  const steps: Step[] = [];
  for (;;) {
    const c = lx.src[lx.pos];
    if (c === '.') {
      lx.pos++;
      const start = lx.pos;
      while (lx.pos < lx.src.length && /[A-Za-z0-9_\-@]/.test(lx.src[lx.pos]!)) lx.pos++;
      if (lx.pos === start) throw invalid();
      steps.push(lx.src.slice(start, lx.pos));
    } else if (c === '[') {
      const end = lx.src.indexOf(']', lx.pos);
      if (end === -1) throw invalid();
      const inner = lx.src.slice(lx.pos + 1, end).trim();
      lx.pos = end + 1;
      if (/^\d+$/.test(inner)) steps.push(Number(inner));
      else if (/^'.*'$|^".*"$/.test(inner)) steps.push(inner.slice(1, -1));
      else throw invalid();
    } else break;
  }
  if (steps.length === 0 || steps.length > 32) throw invalid();
  return steps;
}

function select(doc: unknown, steps: Step[]): unknown {
  let v = doc;
  for (const s of steps) {
    // Own properties only (a selector must not reach `__proto__`, `constructor` or a string's `length`).
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, s)) return undefined;
    v = (v as Record<string | number, unknown>)[s];
  }
  return v;
}

function jsonLeaf(lx: Lexer): (doc: unknown) => boolean {
  const steps = readSelector(lx);
  if (eat(lx, 'IS')) {
    if (eat(lx, 'TRUE')) return (d) => select(d, steps) === true;
    if (eat(lx, 'FALSE')) return (d) => select(d, steps) === false;
    if (eat(lx, 'NULL')) return (d) => select(d, steps) === null;
    throw invalid();
  }
  if (eat(lx, 'NOT')) {
    if (eat(lx, 'EXISTS')) return (d) => select(d, steps) === undefined;
    throw invalid();
  }
  const op = readOperator(lx);
  if (!op) throw invalid();
  const v = readValue(lx, /[\s)&|}]/);
  if (v.kind === 'string' && op !== '=' && op !== '!=') throw invalid();
  return (d) => compare(op, v, select(d, steps));
}

function jsonPattern(p: string): Matcher {
  const lx: Lexer = { src: p, pos: 1 };
  const test = parseBoolean(lx, jsonLeaf, 0);
  if (!eat(lx, '}')) throw invalid();
  skipSpace(lx);
  if (lx.pos !== p.length) throw invalid();
  return (m) => {
    const first = m.trimStart()[0];
    if (first !== '{' && first !== '[') return false;
    let doc: unknown;
    try {
      doc = JSON.parse(m);
    } catch {
      return false;
    }
    return test(doc);
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Space-delimited patterns

interface Field {
  ellipsis: boolean;
  test: ((token: string) => boolean) | undefined;
}

function spaceDelimitedPattern(p: string): Matcher {
  if (!p.endsWith(']')) throw invalid();
  const body = p.slice(1, -1);
  const fields: Field[] = [];
  if (body.trim() !== '') {
    for (const part of splitTopLevel(body)) {
      const f = part.trim();
      if (f === '...') {
        fields.push({ ellipsis: true, test: undefined });
        continue;
      }
      if (f === '') throw invalid();
      const lx: Lexer = { src: f, pos: 0 };
      // `name`, or conditions on the name: `status = 4* || status = 5*`.
      if (/^[A-Za-z0-9_\-]+$/.test(f)) {
        fields.push({ ellipsis: false, test: undefined });
        continue;
      }
      const test = parseBoolean<string>(lx, fieldLeaf, 0);
      skipSpace(lx);
      if (lx.pos !== f.length) throw invalid();
      fields.push({ ellipsis: false, test });
    }
  }
  return (m) => matchFields(fields, tokenize(m));
}

function fieldLeaf(lx: Lexer): (token: string) => boolean {
  skipSpace(lx);
  const start = lx.pos;
  while (lx.pos < lx.src.length && /[A-Za-z0-9_\-]/.test(lx.src[lx.pos]!)) lx.pos++;
  if (lx.pos === start) throw invalid();
  const op = readOperator(lx);
  if (!op) throw invalid();
  const v = readValue(lx, /[\s)&|]/);
  if (v.kind === 'string' && op !== '=' && op !== '!=') throw invalid();
  return (token) => compare(op, v, token);
}

/** Splits on commas outside quotes. */
function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '"' && s[i - 1] !== '\\') quoted = !quoted;
    if (c === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (quoted) throw invalid();
  out.push(cur);
  return out;
}

/** A message's fields: split on spaces; "quoted" and [bracketed] runs are one field (without their delimiters). */
export function tokenize(m: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < m.length) {
    while (m[i] === ' ') i++;
    if (i >= m.length) break;
    const open = m[i];
    const close = open === '"' ? '"' : open === '[' ? ']' : undefined;
    if (close) {
      const end = m.indexOf(close, i + 1);
      if (end !== -1) {
        out.push(m.slice(i + 1, end));
        i = end + 1;
        continue;
      }
    }
    const end = m.indexOf(' ', i);
    out.push(m.slice(i, end === -1 ? m.length : end));
    i = end === -1 ? m.length : end;
  }
  return out;
}

/** Fields against tokens; `...` takes any number of tokens. Dynamic programming: O(fields × tokens). */
function matchFields(fields: Field[], tokens: string[]): boolean {
  const n = tokens.length;
  let row = new Uint8Array(n + 1);
  row[0] = 1; // no field consumed: at token 0
  for (const f of fields) {
    const next = new Uint8Array(n + 1);
    if (f.ellipsis) {
      let reach = 0;
      for (let j = 0; j <= n; j++) {
        if (row[j]) reach = 1;
        next[j] = reach;
      }
    } else {
      for (let j = 0; j < n; j++) if (row[j] && (!f.test || f.test(tokens[j]!))) next[j + 1] = 1;
    }
    row = next;
  }
  return row[n] === 1;
}

// Path text → token chain, reproducing Jayway JsonPath 2.0.0's PathCompiler (the version Debian ships and our
// oracle runs) including its quirks: no escapes in quoted names, negative indexes only in slices and
// `[(@.length-n)]`, characters it does not know inside brackets skipped, filters cut at the first `]` outside quotes.

import { invalidPath, JsonPathError } from './errors.ts';
import { javaParseInt, javaTrim } from './java-values.ts';
import { parseFilter } from './filter-parser.ts';
import type { ArrayOperation, PathToken, TokenChain } from './tokens.ts';

/** Compiles a path the way `PathCompiler.compile` does; any failure is an InvalidPathException, as in Jayway. */
export function compileChain(text: string): TokenChain {
  try {
    return compileUnwrapped(text);
  } catch (e) {
    if (e instanceof JsonPathError && e.javaException === 'InvalidPathException') throw e;
    throw invalidPath(e instanceof Error ? e.message : String(e));
  }
}

/** String.charAt: out of range is an exception in Java, not `''`. */
function charAt(s: string, i: number): string {
  if (i < 0 || i >= s.length) throw invalidPath(`java.lang.StringIndexOutOfBoundsException: String index out of range: ${i}`);
  return s[i]!;
}

function compileUnwrapped(text: string): TokenChain {
  let path = javaTrim(text);
  if (path.endsWith('..')) throw invalidPath('A path can not end with a scan.');
  const first = charAt(path, 0);
  if (first !== '$' && first !== '@') path = `$.${path}`;
  const rootPath = path[0] === '$';
  if (path[0] === '@') path = `$${path.slice(1)}`;
  if (path.length > 1 && path[1] !== '.' && path[1] !== '[') throw invalidPath(`Invalid path ${path}`);

  const tokens: PathToken[] = [];
  let i = 0;
  do {
    const c = path[i]!;
    let fragment: string;
    if (c === ' ') throw invalidPath('Space not allowed in path');
    else if (c === '$') {
      fragment = '$';
      i++;
    } else if (c === '[') {
      const n = forwardUntilClosed(path, i);
      fragment = path.slice(i, i + n);
      i += n;
    } else if (c === '.') {
      i++;
      if (charAt(path, i) === '.') {
        fragment = '..';
        i++;
      } else {
        const n = forwardToDelimiter(path, i);
        if (n === 0) continue; // `.[` : the dot is dropped
        fragment = n === 1 && path[i] === '*' ? '[*]' : `['${path.slice(i, i + n)}']`;
        i += n;
      }
    } else if (c === '*') {
      fragment = '[*]';
      i++;
    } else {
      const n = forwardToDelimiter(path, i);
      fragment = `['${path.slice(i, i + n)}']`;
      i += n;
    }
    const token = analyzeFragment(fragment);
    if (tokens.length === 0 && token.kind !== 'root') {
      throw invalidPath(`java.lang.ClassCastException: ${token.kind} token cannot be cast to RootPathToken`);
    }
    tokens.push(token);
  } while (i < path.length);
  return chainOf(tokens, rootPath);
}

export function chainOf(tokens: PathToken[], rootPath: boolean): TokenChain {
  const tokenDefinite = tokens.map(isTokenDefinite);
  // definiteFrom[i]: tokens i..end all definite (Jayway's isPathDefinite on token i).
  const definiteFrom = new Array<boolean>(tokens.length + 1);
  definiteFrom[tokens.length] = true;
  for (let k = tokens.length - 1; k >= 0; k--) definiteFrom[k] = tokenDefinite[k]! && definiteFrom[k + 1]!;
  const upstreamDefinite = tokens.map((_, k) => tokenDefinite[k]! && (k === 0 || definiteFrom[k - 1]!));
  return { tokens, rootPath, definite: definiteFrom[0]!, upstreamDefinite };
}

function isTokenDefinite(t: PathToken): boolean {
  switch (t.kind) {
    case 'root':
    case 'property':
      return true;
    case 'array':
      return t.op === 'index' || t.op === 'fromEnd';
    default:
      return false;
  }
}

function forwardToDelimiter(s: string, index: number): number {
  let n = 0;
  for (; index < s.length; index++, n++) {
    const c = s[index];
    if (c === '.' || c === '[' || c === ' ') break;
  }
  return n;
}

/** Length of the `[…]` fragment: up to the first `]` at bracket depth 0, quotes and parentheses ignored. */
function forwardUntilClosed(s: string, index: number): number {
  let n = 1;
  let depth = 0;
  index++;
  while (index < s.length) {
    const c = s[index]!;
    index++;
    n++;
    if (c === ']' && depth === 0) break;
    if (c === '[') depth++;
    if (c === ']') depth--;
  }
  return n;
}

const PLACEHOLDER_FILTER = /^\[[ \t\n\x0B\f\r]*\?[ \t\n\x0B\f\r]*[,\s*?]*?[ \t\n\x0B\f\r]*]$/;

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

function analyzeFragment(fragment: string): PathToken {
  if (fragment === '$') return { kind: 'root' };
  if (fragment === '..') return { kind: 'scan' };
  if (fragment === '[*]' || fragment === '.*') return { kind: 'wildcard' };
  if (fragment === '[?]') return { kind: 'filter', predicates: [null] };
  if (PLACEHOLDER_FILTER.test(fragment)) {
    const count = fragment.split('?').length - 1;
    return { kind: 'filter', predicates: new Array<null>(count).fill(null) };
  }
  for (let i = 0; i < fragment.length; i++) {
    const c = fragment[i]!;
    if (c === '?') return { kind: 'filter', predicates: [parseFilter(fragment.slice(...filterBounds(fragment, i)))] };
    if (c === "'") return analyzeProperty(fragment, i);
    if (isDigit(c) || c === ':' || c === '-' || c === '@') return analyzeArray(fragment, i);
  }
  throw invalidPath(`Could not analyze path component: ${fragment}`);
}

/** Where the filter text starts and ends: the `]` that closes it outside quotes and parentheses. */
function filterBounds(fragment: string, i: number): [number, number] {
  let start = i;
  while (charAt(fragment, start) !== '[') start--;
  let end = 0;
  let prev = ' ';
  let inQuote = false;
  let squares = 0;
  let parens = 0;
  for (let k = start; end === 0; k++) {
    const c = charAt(fragment, k);
    if (c === '(' && !inQuote) parens++;
    else if (c === ')' && !inQuote) parens--;
    else if (c === '[' && !inQuote) squares++;
    else if (c === ']' && !inQuote) {
      squares--;
      if (parens === 0) end = k + 1;
    } else if (c === "'" && prev !== '\\') inQuote = !inQuote;
    prev = c;
  }
  if (parens !== 0 || squares !== 0) throw invalidPath('Filter brackets are not balanced');
  return [start, end];
}

/** `['a']`, `['a','b']`: the text between each pair of quotes, no escapes, up to the first `]`. */
function analyzeProperty(fragment: string, i: number): PathToken {
  const names: string[] = [];
  let buffer = '';
  let open = false;
  for (let c = fragment[i]!; c !== ']'; c = charAt(fragment, ++i)) {
    if (c === "'") {
      if (open) {
        names.push(buffer);
        buffer = '';
      }
      open = !open;
    } else if (open) buffer += c;
  }
  return { kind: 'property', names };
}

/** `[1]`, `[1,2]`, `[1:]`, `[:2]`, `[-2:]`, `[1:3]`, `[(@.length-1)]`. */
function analyzeArray(fragment: string, i: number): PathToken {
  let c = fragment[i]!;
  let buffer = '';
  const numbers: number[] = [];
  const fromEnd = c === '@';
  let sliceTo = false;
  let sliceFrom = false;
  let sliceBetween = false;
  let indexes = false;
  const advance = () => charAt(fragment, ++i);
  if (fromEnd) {
    c = advance();
    c = advance();
    while (c !== '-') {
      if (c !== ' ' && c !== '(' && c !== ')') buffer += c;
      c = advance();
    }
    if (buffer !== 'size' && buffer !== 'length') {
      throw invalidPath(`Invalid function: @.${buffer}. Supported functions are: [(@.length - n)] and [(@.size() - n)]`);
    }
    buffer = '';
    while (c !== ')') {
      if (c !== ' ') buffer += c;
      c = advance();
    }
  } else {
    const readNumber = () => {
      c = advance();
      while (isDigit(c) || c === ' ' || c === '-') {
        if (c !== ' ') buffer += c;
        c = advance();
      }
    };
    while (isDigit(c) || c === ',' || c === ' ' || c === ':' || c === '-') {
      if (c === ':') {
        if (buffer.length === 0) {
          sliceTo = true;
          readNumber();
          numbers.push(javaParseInt(buffer));
          buffer = '';
        } else {
          numbers.push(javaParseInt(buffer));
          buffer = '';
          readNumber();
          if (buffer.length === 0) sliceFrom = true;
          else {
            sliceBetween = true;
            numbers.push(javaParseInt(buffer));
            buffer = '';
          }
        }
      } else if (c === ',') {
        numbers.push(javaParseInt(buffer));
        buffer = '';
        indexes = true;
      } else if (c !== ' ') buffer += c;
      if (c === ']') break;
      c = advance();
    }
  }
  if (buffer.length > 0) numbers.push(javaParseInt(buffer));
  const single = numbers.length === 1 && !sliceTo && !sliceFrom && !fromEnd;
  let op: ArrayOperation = 'none';
  if (single) op = 'index';
  else if (indexes) op = 'indexes';
  else if (sliceFrom) op = 'sliceFrom';
  else if (sliceTo) op = 'sliceTo';
  else if (sliceBetween) op = 'sliceBetween';
  else if (fromEnd) op = 'fromEnd';
  return { kind: 'array', op, numbers };
}

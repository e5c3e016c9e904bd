// java.util.regex as String.matches / replaceAll / replaceFirst / split use it, on the linear-time engine of
// src/regex (RE2): template patterns run on request data and must never backtrack catastrophically. Patterns are
// translated and compiled once and cached: templates pass the same literal patterns on every render.
//
// No process-wide V8 flag is needed any more (this module used to switch on
// --enable-experimental-regexp-engine-on-excessive-backtracks, which did not cover lookahead or backreferences):
// no user-supplied pattern reaches V8's RegExp.
import { JavaException } from './errors.ts';
import { compileJavaRegex, RegexSyntaxError, type JavaRegex } from '../regex/java.ts';

const METACHARACTERS = new Set(['\\', '^', '$', '.', '|', '?', '*', '+', '(', ')', '[', ']', '{', '}']);

/**
 * The text a pattern stands for when it is plain text: ordinary characters, and backslash-escaped characters that
 * are neither letters nor digits (`\.`, `\'`, `\\`), which Java reads as themselves. Null otherwise, for the
 * empty pattern (its empty matches fall between code points in Java, between code units in JS) and for patterns
 * with surrogates (Java matches code points).
 */
function literalText(pattern: string): string | null {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    let c = pattern[i]!;
    if (c === '\\') {
      c = pattern[++i] ?? '';
      if (c === '' || /[\p{L}\p{N}]/u.test(c)) return null;
    } else if (METACHARACTERS.has(c)) {
      return null;
    }
    const code = c.charCodeAt(0);
    if (code >= 0xd800 && code <= 0xdfff) return null;
    out += c;
  }
  return out.length ? out : null;
}

const literals = new Map<string, string | null>();

function literalOf(pattern: string): string | null {
  let hit = literals.get(pattern);
  if (hit === undefined) {
    hit = literalText(pattern);
    if (literals.size >= 500) literals.clear();
    literals.set(pattern, hit);
  }
  return hit;
}

/** The compiled pattern; a syntax error (or a construct RE2 cannot run) is Java's PatternSyntaxException. */
export function javaPattern(pattern: string): JavaRegex {
  try {
    return compileJavaRegex(pattern);
  } catch (e) {
    if (e instanceof RegexSyntaxError) throw new JavaException('java.util.regex.PatternSyntaxException', e.message);
    throw e;
  }
}

/**
 * Estimated work (about a nanosecond a unit) of running `pattern` over `input`, for render budgets: plain text is
 * a string search; RE2 costs about 10 ns a character per instruction of the pattern's program (measured: 50-130 ns
 * a character for small patterns), plus compiling the pattern.
 */
export function regexCost(input: string, pattern: string): number {
  const literal = literalOf(pattern);
  if (literal !== null) return input.length * 2;
  return input.length * 10 * Math.min(javaPattern(pattern).weight, 100) + pattern.length * 100;
}

type Part = string | { group: number | string };

const replacementCache = new Map<string, Part[]>();

/** Parses a Java replacement string: `$n`, `${name}` and `\x` escapes. */
function replacementParts(replacement: string, groupCount: number): Part[] {
  const key = `${groupCount}\u0000${replacement}`;
  const hit = replacementCache.get(key);
  if (hit) return hit;
  const parts: Part[] = [];
  let lit = '';
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i]!;
    if (c === '\\') {
      i++;
      if (i >= replacement.length) {
        throw new JavaException('java.lang.IllegalArgumentException', 'character to be escaped is missing');
      }
      lit += replacement[i];
    } else if (c === '$') {
      i++;
      if (i >= replacement.length) {
        throw new JavaException('java.lang.IllegalArgumentException', 'Illegal group reference: group index is missing');
      }
      if (replacement[i] === '{') {
        const end = replacement.indexOf('}', i);
        if (end < 0) throw new JavaException('java.lang.IllegalArgumentException', "named capturing group is missing trailing '}'");
        if (lit) parts.push(lit);
        lit = '';
        parts.push({ group: replacement.slice(i + 1, end) });
        i = end;
        continue;
      }
      let d = replacement.charCodeAt(i) - 48;
      if (d < 0 || d > 9) throw new JavaException('java.lang.IllegalArgumentException', 'Illegal group reference');
      // Further digits are taken while the group number stays valid, as Java does.
      while (i + 1 < replacement.length) {
        const nd = replacement.charCodeAt(i + 1) - 48;
        if (nd < 0 || nd > 9 || d * 10 + nd > groupCount) break;
        d = d * 10 + nd;
        i++;
      }
      if (d > groupCount) throw new JavaException('java.lang.IndexOutOfBoundsException', `No group ${d}`);
      if (lit) parts.push(lit);
      lit = '';
      parts.push({ group: d });
    } else {
      lit += c;
    }
  }
  if (lit) parts.push(lit);
  if (replacementCache.size > 500) replacementCache.clear();
  replacementCache.set(key, parts);
  return parts;
}

type Groups = (string | undefined)[] & { groups?: Record<string, string> };

function expand(parts: Part[], m: Groups): string {
  let s = '';
  for (const p of parts) {
    if (typeof p === 'string') s += p;
    else if (typeof p.group === 'number') s += m[p.group] ?? '';
    else {
      const g = m.groups;
      if (!g || !Object.hasOwn(g, p.group)) {
        throw new JavaException('java.lang.IllegalArgumentException', `No group with name {${p.group}}`);
      }
      s += g[p.group] ?? '';
    }
  }
  return s;
}

/** Replaces occurrences of plain text, left to right (indexOf and slices: faster than a RegExp or replaceAll). */
export function replaceText(input: string, text: string, replacement: string, all: boolean): string {
  let at = input.indexOf(text);
  if (at < 0) return input;
  let out = '';
  let from = 0;
  do {
    out += input.slice(from, at) + replacement;
    from = at + text.length;
    at = all ? input.indexOf(text, from) : -1;
  } while (at >= 0);
  return out + input.slice(from);
}

/** String.replaceAll / replaceFirst (RE2/J's Matcher advances over empty matches exactly as Java's does). */
export function javaReplace(input: string, pattern: string, replacement: string, all: boolean): string {
  // Plain text replaced by plain text needs no regex (the usual `replaceAll("\\\\'", "'")` of templates).
  const literal = literalOf(pattern);
  if (literal !== null && !replacement.includes('$') && !replacement.includes('\\')) return replaceText(input, literal, replacement, all);
  const compiled = javaPattern(pattern);
  const parts = replacementParts(replacement, compiled.groups);
  const n = compiled.groups;
  const replacer = (...a: unknown[]): string => {
    if (parts.length === 1 && typeof parts[0] === 'string') return parts[0];
    const last = a[a.length - 1];
    const m = a.slice(0, n + 1) as (string | undefined)[] as Groups;
    if (last !== null && typeof last === 'object') m.groups = last as Record<string, string>;
    return expand(parts, m);
  };
  const matcher = compiled.re.matcher(input);
  return all ? matcher.replaceAll(replacer) : matcher.replaceFirst(replacer);
}

/** String.matches: the whole string must match. */
export function javaMatches(input: string, pattern: string): boolean {
  const literal = literalOf(pattern);
  if (literal !== null) return input === literal;
  return javaPattern(pattern).re.testExact(input);
}

/** String.split(regex, limit) with Java's rules for leading and trailing empty strings. */
export function javaSplit(input: string, pattern: string, limit = 0): string[] {
  if (input.length === 0) return [''];
  const m = javaPattern(pattern).re.matcher(input);
  const out: string[] = [];
  let index = 0;
  while (m.find()) {
    const start = m.start();
    const end = m.end();
    if (limit > 0 && out.length >= limit - 1) break;
    // A zero-width match at the beginning never produces a leading empty string.
    if (index === 0 && start === 0 && start === end) continue;
    out.push(input.slice(index, start));
    index = end;
  }
  if (index === 0 && out.length === 0) return [input];
  out.push(input.slice(index));
  if (limit === 0) while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

// java.util.regex as String.matches / replaceAll / replaceFirst / split use it, on top of JS RegExp.
// Patterns are translated once and cached: templates pass the same literal patterns on every render.
import { setFlagsFromString } from 'node:v8';
import { JavaException } from './errors.ts';

// Templates are untrusted code and their patterns run on request data: a pattern like `(a+)+$` takes exponential
// time on a few dozen characters and would block the event loop (no render time limit can interrupt one regex
// call). V8 can switch such a match to its linear-time engine after excessive backtracking; results are the same.
// Patterns the linear engine cannot run (backreferences, lookaround) keep the backtracking engine. The flag is
// process-wide and also protects the other user-supplied regexes (integration response selection patterns);
// starting node with --enable-experimental-regexp-engine-on-excessive-backtracks does the same.
setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');

const POSIX: Record<string, string> = {
  Lower: 'a-z', Upper: 'A-Z', ASCII: '\\x00-\\x7F', Alpha: 'a-zA-Z', Digit: '0-9', Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~', Graph: '!-~', Print: ' -~', Blank: ' \\t', Cntrl: '\\x00-\\x1F\\x7F', XDigit: '0-9a-fA-F',
  Space: ' \\t\\n\\x0B\\f\\r', javaLowerCase: 'a-z', javaUpperCase: 'A-Z', javaWhitespace: ' \\t\\n\\x0B\\f\\r\\x1C-\\x1F',
};

interface Translated { source: string; flags: string }

function syntaxError(description: string, pattern: string): JavaException {
  return new JavaException('java.util.regex.PatternSyntaxException', `${description} near index 0\n${pattern}`);
}

/** Translates Java regex syntax into an equivalent JS RegExp source (the common subset plus Java-only forms). */
function translate(pattern: string): Translated {
  let flags = '';
  let i = 0;
  // Leading inline flags, e.g. (?i) or (?is).
  const lead = /^\(\?([imsux]+)\)/.exec(pattern);
  if (lead) {
    for (const f of lead[1]!) {
      if (f === 'i' || f === 'm' || f === 's') flags += f;
      else if (f === 'x') throw syntaxError('Unsupported flag (?x)', pattern);
    }
    i = lead[0].length;
  }
  let out = '';
  let inClass = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '\\') {
      const n = pattern[i + 1];
      if (n === undefined) throw syntaxError('Unexpected internal error', pattern);
      if (n === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        const lit = pattern.slice(i + 2, end < 0 ? pattern.length : end);
        out += lit.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
        i = end < 0 ? pattern.length : end + 2;
        continue;
      }
      if (n === 'p' || n === 'P') {
        const m = /^\{(?:Is)?(\w+)\}/.exec(pattern.slice(i + 2));
        const name = m ? m[1]! : pattern[i + 2] ?? '';
        const len = m ? m[0].length : 1;
        const set = POSIX[name];
        if (set !== undefined) {
          out += inClass ? (n === 'p' ? set : '') : n === 'p' ? `[${set}]` : `[^${set}]`;
        } else if (/^(L|Lu|Ll|N|Nd|P|S|Z|Alphabetic|Letter|Digit)$/.test(name)) {
          const js = name === 'Alphabetic' || name === 'Letter' ? 'L' : name === 'Digit' ? 'Nd' : name;
          out += `\\${n}{${js}}`;
          if (!flags.includes('u')) flags += 'u';
        } else {
          throw syntaxError(`Unknown character property name {${name}}`, pattern);
        }
        i += 2 + len;
        continue;
      }
      if (n === 'A') { out += '^'; i += 2; continue; }
      if (n === 'z') { out += '$(?![\\s\\S])'; i += 2; continue; }
      if (n === 'Z') { out += '(?=(?:\\r\\n|[\\n\\r\\u0085\\u2028\\u2029])?$)'; i += 2; continue; }
      if (n === 'h') { out += inClass ? ' \\t\\xA0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000' : '[ \\t\\xA0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000]'; i += 2; continue; }
      out += c + n;
      i += 2;
      continue;
    }
    if (inClass) {
      if (c === '[') inClass++;
      else if (c === ']') inClass--;
      out += c;
      i++;
      continue;
    }
    if (c === '[') {
      inClass = 1;
      out += c;
      i++;
      // A leading ']' or '^]' is literal in Java classes.
      if (pattern[i] === '^') { out += '^'; i++; }
      if (pattern[i] === ']') { out += '\\]'; i++; }
      continue;
    }
    if (c === '(' && pattern.startsWith('(?>', i)) { out += '(?:'; i += 3; continue; }
    if ((c === '*' || c === '+' || c === '?' || c === '}') && pattern[i + 1] === '+') {
      // Possessive quantifier: JS has none; the greedy form matches the same strings in ordinary patterns.
      out += c;
      i += 2;
      continue;
    }
    out += c;
    i++;
  }
  return { source: out, flags };
}

interface Compiled {
  re: RegExp;
  first: RegExp;
  whole: RegExp;
  groups: number;
  /** The text the pattern matches when it is plain text (no metacharacter, only escaped punctuation), else null. */
  literal: string | null;
}

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

const cache = new Map<string, Compiled>();

/** The compiled pattern: global (find loops), first match only, whole string (matches()), and its group count. */
export function javaPattern(pattern: string): Compiled {
  let hit = cache.get(pattern);
  if (hit) return hit;
  const t = translate(pattern);
  try {
    const first = new RegExp(t.source, t.flags);
    hit = {
      re: new RegExp(t.source, `g${t.flags}`),
      first,
      whole: new RegExp(`^(?:${t.source})$`, t.flags),
      groups: new RegExp(`${t.source}|`, t.flags).exec('')!.length - 1,
      literal: literalText(pattern),
    };
  } catch (e) {
    throw syntaxError((e as Error).message, pattern);
  }
  if (cache.size > 500) cache.clear();
  cache.set(pattern, hit);
  return hit;
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

function expand(parts: Part[], m: RegExpExecArray): string {
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

/** String.replaceAll / replaceFirst (JS advances over empty matches exactly as Java's Matcher does). */
export function javaReplace(input: string, pattern: string, replacement: string, all: boolean): string {
  const compiled = javaPattern(pattern);
  // Without `$` or `\` a Java replacement is literal text, and JS reads it literally too.
  if (!replacement.includes('$') && !replacement.includes('\\')) {
    // Plain text replaced by plain text needs no regex (the usual `replaceAll("\\\\'", "'")` of templates).
    const literal = compiled.literal;
    if (literal !== null) return replaceText(input, literal, replacement, all);
    return input.replace(all ? compiled.re : compiled.first, replacement);
  }
  const parts = replacementParts(replacement, compiled.groups);
  const n = compiled.groups;
  return input.replace(all ? compiled.re : compiled.first, (...a: unknown[]) => {
    const last = a[a.length - 1];
    const m = a.slice(0, n + 1) as string[] as RegExpExecArray;
    if (last !== null && typeof last === 'object') m.groups = last as Record<string, string>;
    return expand(parts, m);
  });
}

/** String.matches: the whole string must match. */
export function javaMatches(input: string, pattern: string): boolean {
  return javaPattern(pattern).whole.test(input);
}

/** String.split(regex, limit) with Java's rules for leading and trailing empty strings. */
export function javaSplit(input: string, pattern: string, limit = 0): string[] {
  const { re } = javaPattern(pattern);
  if (input.length === 0) return [''];
  const out: string[] = [];
  let index = 0;
  re.lastIndex = 0;
  for (;;) {
    const m = re.exec(input);
    if (!m) break;
    const start = m.index;
    const end = start + m[0].length;
    if (m[0].length === 0) re.lastIndex = end + 1;
    if (m[0].length === 0 && end > input.length) break;
    if (limit <= 0 || out.length < limit - 1) {
      // A zero-width match at the beginning never produces a leading empty string.
      if (index === 0 && start === 0 && start === end) continue;
      out.push(input.slice(index, start));
      index = end;
    } else {
      break;
    }
  }
  re.lastIndex = 0;
  if (index === 0 && out.length === 0) return [input];
  out.push(input.slice(index));
  if (limit === 0) while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

// java.util.regex patterns (mapping templates' String.matches / replaceAll / replaceFirst / split, JSONPath filter
// regexes, integration-response selection patterns, authorizer identity-validation expressions) run on a
// linear-time engine: re2js, the JavaScript port of RE2/J. User patterns meet request data, and a backtracking
// engine (V8's RegExp) takes exponential time on patterns like `(a+)+$` with a few dozen characters; nothing can
// interrupt a running RegExp call. RE2 matches in time linear in the input (times the pattern's size).
//
// Java syntax is translated to RE2's here. What needs backtracking (lookahead, backreferences, atomic groups
// that change a match) does not exist in RE2 and is refused with a PatternSyntaxException-style message that
// names the construct; lookbehind without capturing groups runs on re2js's linear-time lookbehind support.
// Differences from java.util.regex that remain: `(?i)` folds case by Unicode rules (Java: ASCII unless `(?u)`),
// possessive quantifiers and atomic groups match as their greedy forms, `\Z` consumes the final line terminator.
import { RE2JS } from 're2js';

/** An invalid or unsupported pattern: what Java reports as java.util.regex.PatternSyntaxException. */
export class RegexSyntaxError extends Error {
  readonly pattern: string;
  readonly description: string;
  constructor(description: string, pattern: string) {
    super(`${description} near index 0\n${pattern}`);
    this.name = 'RegexSyntaxError';
    this.pattern = pattern;
    this.description = description;
  }
}

// Java's POSIX property classes (\p{Lower}…, US-ASCII only) as RE2's POSIX bracket names, which mean the same sets.
const POSIX: Record<string, string> = {
  Lower: 'lower', Upper: 'upper', ASCII: 'ascii', Alpha: 'alpha', Digit: 'digit', Alnum: 'alnum', Punct: 'punct',
  Graph: 'graph', Print: 'print', Blank: 'blank', Cntrl: 'cntrl', XDigit: 'xdigit', Space: 'space',
};
// java.lang.Character properties, approximated by the Unicode categories they are defined with.
const JAVA_PROPERTIES: Record<string, string> = {
  javaLowerCase: 'Ll', javaUpperCase: 'Lu', javaTitleCase: 'Lt', javaDigit: 'Nd', javaLetter: 'L', Alphabetic: 'L',
  Letter: 'L', IsAlphabetic: 'L', IsLetter: 'L', IsDigit: 'Nd', IsLowercase: 'Ll', IsUppercase: 'Lu',
};
const HORIZONTAL = '\\t \\x{A0}\\x{1680}\\x{180E}\\x{2000}-\\x{200A}\\x{202F}\\x{205F}\\x{3000}';
const VERTICAL = '\\n\\x0B\\f\\r\\x{85}\\x{2028}\\x{2029}';
/** Java's `.` without DOTALL: anything but a line terminator (RE2's excludes only \n). */
const DOT = '[^\\n\\r\\x{85}\\x{2028}\\x{2029}]';

const hex = (code: number): string => `\\x{${code.toString(16)}}`;

function refuse(what: string, pattern: string): RegexSyntaxError {
  return new RegexSyntaxError(`${what} is not supported (Gatehouse runs regular expressions on RE2, a linear-time engine)`, pattern);
}

export interface Translated {
  readonly source: string;
  /** RE2JS flags the pattern needs (LOOKBEHINDS when it has one). */
  readonly flags: number;
}

/** Translates a java.util.regex pattern into RE2 syntax; throws RegexSyntaxError for what RE2 cannot run. */
export function translateJava(pattern: string): Translated {
  let flags = 0;
  const dotAll = /\(\?[a-zA-Z]*s[a-zA-Z-]*[:)]/.test(pattern);
  let out = '';
  let inClass = false;
  let i = 0;
  const n = pattern.length;
  while (i < n) {
    const c = pattern[i]!;
    if (c === '\\') {
      const d = pattern[i + 1];
      if (d === undefined) throw new RegexSyntaxError('Unexpected internal error', pattern);
      i += 2;
      switch (d) {
        case 'Q': {
          const end = pattern.indexOf('\\E', i);
          const lit = pattern.slice(i, end < 0 ? n : end);
          for (const ch of lit) out += /[\p{L}\p{N}\s]/u.test(ch) ? ch : /[\x21-\x7e]/.test(ch) ? `\\${ch}` : hex(ch.codePointAt(0)!);
          i = end < 0 ? n : end + 2;
          break;
        }
        case 'E':
          break; // a stray \E is ignored, as in Java
        case 'p':
        case 'P': {
          const m = /^\{([^}]*)\}/.exec(pattern.slice(i));
          const name = m ? m[1]! : pattern[i] ?? '';
          i += m ? m[0].length : 1;
          out += property(d === 'P', name, inClass, pattern);
          break;
        }
        case 's':
        case 'S':
          // Java's \s is [ \t\n\x0B\f\r]: RE2's [:space:] (RE2's own \s lacks \x0B).
          out += inClass ? `[:${d === 'S' ? '^' : ''}space:]` : `[[:${d === 'S' ? '^' : ''}space:]]`;
          break;
        case 'h':
          out += inClass ? HORIZONTAL : `[${HORIZONTAL}]`;
          break;
        case 'H':
          if (inClass) throw refuse('\\H inside a character class', pattern);
          out += `[^${HORIZONTAL}]`;
          break;
        case 'v':
          out += inClass ? VERTICAL : `[${VERTICAL}]`;
          break;
        case 'V':
          if (inClass) throw refuse('\\V inside a character class', pattern);
          out += `[^${VERTICAL}]`;
          break;
        case 'R':
          if (inClass) throw new RegexSyntaxError('Illegal/unsupported escape sequence', pattern);
          out += `(?:\\r\\n|[${VERTICAL}])`;
          break;
        case 'Z':
          out += '(?:\\r\\n|[\\n\\r\\x{85}\\x{2028}\\x{2029}])?\\z';
          break;
        case 'e':
          out += '\\x{1b}';
          break;
        case 'a':
          out += '\\x{7}';
          break;
        case 'c': {
          const ch = pattern.charCodeAt(i);
          if (Number.isNaN(ch)) throw new RegexSyntaxError('Illegal control escape sequence', pattern);
          out += hex(ch ^ 64);
          i++;
          break;
        }
        case 'u': {
          const h = pattern.slice(i, i + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(h)) throw new RegexSyntaxError('Illegal Unicode escape sequence', pattern);
          out += hex(parseInt(h, 16));
          i += 4;
          break;
        }
        case '0': {
          const m = /^[0-3]?[0-7]{1,2}|^[0-7]/.exec(pattern.slice(i));
          if (!m) throw new RegexSyntaxError('Illegal octal escape sequence', pattern);
          out += hex(parseInt(m[0], 8));
          i += m[0].length;
          break;
        }
        case 'G':
          throw refuse('\\G (end of the previous match)', pattern);
        case 'k':
          throw refuse('A backreference (\\k<name>)', pattern);
        default:
          if (d >= '1' && d <= '9') throw refuse(`A backreference (\\${d})`, pattern);
          out += `\\${d}`;
      }
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      else if (c === '[') {
        if (pattern[i + 1] === ':') out += '\\'; // `[:` is literal in Java, a POSIX class in RE2
        else throw refuse('A character class union or nested class ([a[b]])', pattern);
      } else if (c === '&' && pattern[i + 1] === '&') {
        throw refuse('A character class intersection (&&)', pattern);
      }
      out += c;
      i++;
      continue;
    }
    switch (c) {
      case '[':
        inClass = true;
        out += '[';
        i++;
        // A leading ']' (after an optional '^') is literal in Java classes.
        if (pattern[i] === '^') {
          out += '^';
          i++;
        }
        if (pattern[i] === ']') {
          out += '\\]';
          i++;
        }
        continue;
      case '.':
        out += dotAll ? '.' : DOT;
        i++;
        continue;
      case '(':
        if (pattern[i + 1] === '?') {
          const group = openGroup(pattern, i);
          out += group.text;
          flags |= group.flags;
          i = group.end;
          continue;
        }
        break;
      case '*':
      case '+':
      case '?':
      case '}':
        out += c;
        i++;
        // Possessive quantifiers: RE2 has none; the greedy form matches the same strings in ordinary patterns.
        if (pattern[i] === '+') i++;
        continue;
    }
    out += c;
    i++;
  }
  if (inClass) throw new RegexSyntaxError('Unclosed character class', pattern);
  return { source: out, flags };
}

/** `(?…` at `at`: what replaces the group opening, and where the pattern continues. */
function openGroup(pattern: string, at: number): { text: string; end: number; flags: number } {
  const rest = pattern.slice(at + 2);
  if (rest.startsWith(':')) return { text: '(?:', end: at + 3, flags: 0 };
  if (rest.startsWith('=') || rest.startsWith('!')) throw refuse(`Lookahead (?${rest[0]}…)`, pattern);
  if (rest.startsWith('<=') || rest.startsWith('<!')) return { text: `(?${rest.slice(0, 2)}`, end: at + 4, flags: RE2JS.LOOKBEHINDS };
  if (rest.startsWith('>')) return { text: '(?:', end: at + 3, flags: 0 }; // atomic group, matched as a plain group
  const named = /^<([a-zA-Z][a-zA-Z0-9]*)>/.exec(rest);
  if (named) return { text: `(?P<${named[1]}>`, end: at + 2 + named[0].length, flags: 0 };
  const inline = /^([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])/.exec(rest);
  if (!inline) throw new RegexSyntaxError('Unknown inline modifier', pattern);
  const keep = (set: string): string => {
    let kept = '';
    for (const f of set) {
      if (f === 'i' || f === 'm' || f === 's') kept += f;
      else if (f === 'x') throw refuse('Comments mode (?x)', pattern);
      else if (f !== 'u' && f !== 'd' && f !== 'U') throw new RegexSyntaxError('Unknown inline modifier', pattern);
    }
    return kept;
  };
  const on = keep(inline[1]!);
  const off = inline[2] === undefined ? '' : keep(inline[2]);
  const end = at + 2 + inline[0].length;
  if (on === '' && off === '') return { text: inline[3] === ':' ? '(?:' : '', end, flags: 0 };
  return { text: `(?${on}${off ? `-${off}` : ''}${inline[3]}`, end, flags: 0 };
}

function property(negated: boolean, name: string, inClass: boolean, pattern: string): string {
  const posix = POSIX[name.startsWith('Is') && POSIX[name.slice(2)] ? name.slice(2) : name];
  if (posix !== undefined) {
    const set = `[:${negated ? '^' : ''}${posix}:]`;
    return inClass ? set : `[${set}]`;
  }
  if (name === 'javaWhitespace' || name === 'IsWhite_Space' || name === 'IsWhiteSpace') {
    const set = '\\t\\n\\x0B\\f\\r\\x{1c}-\\x{1f} ';
    if (negated && inClass) throw refuse(`\\P{${name}} inside a character class`, pattern);
    return inClass ? set : `[${negated ? '^' : ''}${set}]`;
  }
  if (name.startsWith('In')) throw refuse(`The Unicode block property \\p{${name}}`, pattern);
  const category = JAVA_PROPERTIES[name] ?? (name.startsWith('Is') ? name.slice(2) : name);
  if (!/^[A-Za-z_]+$/.test(category)) throw new RegexSyntaxError(`Unknown character property name {${name}}`, pattern);
  return `\\${negated ? 'P' : 'p'}{${category}}`;
}

export interface JavaRegex {
  readonly source: string;
  readonly re: RE2JS;
  /** Capturing groups. */
  readonly groups: number;
  /** Relative cost of matching one input character (the compiled program's size), for render budgets. */
  readonly weight: number;
}

const cache = new Map<string, JavaRegex>();

/**
 * The compiled pattern (cached: templates pass the same literal patterns on every render). `caseInsensitive` is
 * Pattern.CASE_INSENSITIVE (JSONPath's `/…/i`). Throws RegexSyntaxError.
 */
export function compileJavaRegex(pattern: string, caseInsensitive = false): JavaRegex {
  const key = caseInsensitive ? `i\u0000${pattern}` : pattern;
  let hit = cache.get(key);
  if (hit) return hit;
  const t = translateJava(pattern);
  let re: RE2JS;
  try {
    re = RE2JS.compile(t.source, t.flags | (caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0));
  } catch (e) {
    throw new RegexSyntaxError((e as Error).message.replace(/^error parsing regexp: /, ''), pattern);
  }
  hit = { source: pattern, re, groups: re.groupCount(), weight: Math.max(1, re.programSize()) };
  if (cache.size >= 500) cache.delete(cache.keys().next().value!);
  cache.set(key, hit);
  return hit;
}

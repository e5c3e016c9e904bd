// `/…/` and `/…/i` literals in filters are java.util.regex Patterns matched with `Matcher.matches()` (the whole
// string). Translated to a JS RegExp once, at path compile time.

import { invalidPath } from './errors.ts';

export class JavaPattern {
  readonly source: string;
  readonly regex: RegExp;
  constructor(source: string, ignoreCase: boolean) {
    this.source = source;
    // Leading inline flags `(?i)`, `(?s)`, `(?m)` are Java's; JS only has them as RegExp flags.
    const inline = /^\(\?([a-zA-Z]+)\)/.exec(source);
    const flags = new Set(ignoreCase ? ['i'] : []);
    for (const f of inline?.[1] ?? '') {
      if (f === 'i' || f === 's' || f === 'm') flags.add(f);
      else if (f !== 'u') throw unsupported(`inline flag (?${f})`);
    }
    const body = translate(inline ? source.slice(inline[0].length) : source);
    try {
      // Sticky at 0 plus "nothing follows" = Matcher.matches(), whatever `(?m)` does to ^ and $.
      this.regex = new RegExp(`(?:${body})(?![\\s\\S])`, [...flags, 'y'].join(''));
    } catch (e) {
      throw invalidPath(`java.util.regex.PatternSyntaxException: ${(e as Error).message}`);
    }
  }
  /** Pattern.matcher(s).matches() */
  matches(s: string): boolean {
    this.regex.lastIndex = 0;
    return this.regex.test(s);
  }
  toString(): string {
    return this.source;
  }
}

const HORIZONTAL_SPACE = ' \\t\\xA0\\u1680\\u180E\\u2000-\\u200A\\u202F\\u205F\\u3000';
// Escapes JS (without the u flag) would silently read as the plain letter.
const ESCAPES: Record<string, string> = { e: '\\x1B', a: '\\x07', h: `[${HORIZONTAL_SPACE}]`, H: `[^${HORIZONTAL_SPACE}]` };

// Java-only syntax with a direct JS equivalent. Constructs without one (possessive quantifiers, atomic groups,
// Unicode \p{…} classes) are refused as an invalid path rather than matched differently.
const POSIX: Record<string, string> = {
  Lower: 'a-z', Upper: 'A-Z', ASCII: '\\x00-\\x7F', Alpha: 'a-zA-Z', Digit: '0-9', Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~', Graph: '!-~', Print: ' -~', Blank: ' \\t', Cntrl: '\\x00-\\x1F\\x7F', XDigit: '0-9a-fA-F',
  Space: ' \\t\\n\\x0B\\f\\r',
};

function unsupported(what: string): Error {
  return invalidPath(`Java regex construct not supported: ${what}`);
}

function translate(src: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      const d = src[i + 1];
      if (d === undefined) return out + '\\'; // trailing backslash: let RegExp reject it
      const mapped = ESCAPES[d];
      if (inClass && d === 'h') out += HORIZONTAL_SPACE;
      else if (inClass && d === 'H') throw unsupported('\\H inside a character class');
      else if (mapped !== undefined) out += mapped;
      else if (d === 'A' && !inClass) out += '^';
      else if ((d === 'z' || d === 'Z') && !inClass) out += d === 'z' ? '$' : '(?=\\n?$)';
      else if ((d === 'p' || d === 'P') && src[i + 2] === '{') {
        const end = src.indexOf('}', i + 3);
        const name = end < 0 ? '' : src.slice(i + 3, end).replace(/^Is/, '');
        const set = POSIX[name];
        if (set === undefined) throw unsupported(`\\${d}{${name}}`);
        out += d === 'p' ? (inClass ? set : `[${set}]`) : inClass ? '' : `[^${set}]`;
        i = end;
        continue;
      } else if (d === 'Q') {
        const end = src.indexOf('\\E', i + 2);
        const lit = end < 0 ? src.slice(i + 2) : src.slice(i + 2, end);
        out += lit.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
        i = end < 0 ? src.length : end + 1;
        continue;
      } else out += c + d;
      i++;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    out += c;
  }
  return out;
}

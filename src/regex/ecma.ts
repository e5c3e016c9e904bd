// ECMA 262 patterns of request models (JSON Schema `pattern`, `patternProperties`) on the linear-time engine, for
// ajv's `code.regExp` option. A 45-byte body must not freeze the server with a pattern like `^(a+)+$`.
//
// RE2 has no lookahead, but the idiom models use it for, password-style rules (`^(?=.*[A-Z])(?=.*\d).{8,}$`), is
// a conjunction: lookaheads at the very start of an anchored pattern each test the input from position 0,
// independently of the rest. Such a pattern runs as one anchored RE2 test per lookahead (negated for `(?!…)`)
// plus the rest. Lookahead anywhere else and backreferences are refused when the model is compiled.
import { RE2JS } from 're2js';
import { RegexSyntaxError } from './java.ts';

interface Part { readonly re: RE2JS; readonly negate: boolean }

/** What ajv calls `.test()` on. */
export class EcmaPattern {
  readonly source: string;
  readonly #parts: readonly Part[];
  constructor(source: string) {
    this.source = source;
    this.#parts = compileParts(source);
  }
  test(s: string): boolean {
    const parts = this.#parts;
    for (let i = 0; i < parts.length; i++) if (parts[i]!.re.test(s) === parts[i]!.negate) return false;
    return true;
  }
  toString(): string {
    return `/${this.source}/`;
  }
}

function compileParts(source: string): Part[] {
  const parts: Part[] = [];
  let rest = source;
  if (rest.startsWith('^')) {
    let at = 1;
    while (rest.startsWith('(?=', at) || rest.startsWith('(?!', at)) {
      const end = closingParen(rest, at);
      parts.push({ re: compileEcma(`^(?:${rest.slice(at + 3, end)})`, source), negate: rest[at + 2] === '!' });
      at = end + 1;
    }
    if (at > 1) rest = `^${rest.slice(at)}`;
  }
  parts.push({ re: compileEcma(rest, source), negate: false });
  return parts;
}

function compileEcma(source: string, whole: string): RE2JS {
  if (/\\[1-9]|\\k</.test(source.replace(/\\\\/g, ''))) {
    throw new RegexSyntaxError('A backreference is not supported (Gatehouse runs regular expressions on RE2, a linear-time engine)', whole);
  }
  if (/\(\?[=!]/.test(source.replace(/\\\\|\\\(/g, ''))) {
    throw new RegexSyntaxError('Lookahead is only supported at the start of a pattern anchored with ^ (Gatehouse runs regular expressions on RE2, a linear-time engine)', whole);
  }
  try {
    const lookbehind = /\(\?<[=!]/.test(source);
    return RE2JS.compile(RE2JS.translateRegExp(source), lookbehind ? RE2JS.LOOKBEHINDS : 0);
  } catch (e) {
    throw new RegexSyntaxError((e as Error).message.replace(/^error parsing regexp: /, ''), whole);
  }
}

/** The index of the `)` closing the group opened at `open`. */
function closingParen(s: string, open: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  throw new RegexSyntaxError('Unterminated group', s);
}

const cache = new Map<string, EcmaPattern>();

/** ajv's RegExpEngine: `new EcmaPattern(pattern)`, cached by pattern. */
export function ecmaRegExp(pattern: string): EcmaPattern {
  let hit = cache.get(pattern);
  if (!hit) {
    hit = new EcmaPattern(pattern);
    if (cache.size >= 500) cache.delete(cache.keys().next().value!);
    cache.set(pattern, hit);
  }
  return hit;
}
ecmaRegExp.code = 'ecmaRegExp';

// The VTL lexer. Like Velocity's JavaCC lexer it is modal: the parser asks for template tokens (text, references,
// directives) and, inside directive parentheses, method arguments and index brackets, for expression tokens.
// Velocity 1.7's whitespace rules live here, because in Velocity they are token shapes:
//   - `)` closing a directive's arguments, `#else` and `#end` swallow the rest of the line if it is blank
//     (spaces/tabs then a newline): see gobbleLineEnd();
//   - `#set` swallows the spaces/tabs before it when they are not part of a longer text run;
//   - `##` comments swallow their newline, `#* *#` comments do not.
import { VtlSyntaxError } from './errors.ts';

export type TemplateToken =
  | { readonly kind: 'text'; readonly pos: number; readonly value: string }
  /** `$`, `$!`, `${`, `$!{` followed by an identifier; the lexer stops right before the identifier. */
  | { readonly kind: 'ref'; readonly pos: number; readonly escapes: number; readonly quiet: boolean; readonly formal: boolean }
  /**
   * `#name`. For directives taking arguments the lexer has consumed the opening parenthesis; for `#else` and
   * `#end` a blank rest of line. Backslashes before it have become text already.
   */
  | { readonly kind: 'directive'; readonly pos: number; readonly name: string }
  /** `#name` that is not a directive: a macro call (`hasArgs` when `(` follows, consumed). */
  | { readonly kind: 'macroCall'; readonly pos: number; readonly name: string; readonly hasArgs: boolean }
  | { readonly kind: 'eof'; readonly pos: number };

export type ExpressionToken =
  | { readonly kind: 'int' | 'double'; readonly pos: number; readonly text: string }
  | { readonly kind: 'string'; readonly pos: number; readonly value: string; readonly interpolate: boolean; readonly contentPos: number }
  | { readonly kind: 'word'; readonly pos: number; readonly text: string }
  | { readonly kind: 'op'; readonly pos: number; readonly text: string }
  | { readonly kind: 'ref'; readonly pos: number; readonly quiet: boolean; readonly formal: boolean }
  | { readonly kind: 'eof'; readonly pos: number };

/** Directives whose name is followed by an argument list in parentheses. */
const PAREN_DIRECTIVES = new Set(['set', 'if', 'elseif', 'foreach', 'macro', 'define', 'evaluate', 'include', 'parse']);
/** Directives without arguments. */
const BARE_DIRECTIVES = new Set(['else', 'end', 'break', 'stop']);

const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '..', '<', '>', '!', '+', '-', '*', '/', '%', '=', '(', ')', '[', ']', '{', '}', ',', ':'];

export function isIdentifierStart(c: string | undefined): boolean {
  return c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_');
}

/** Reference identifiers may contain `-` in Velocity 1.7 (`$a-b` is one variable). */
export function isIdentifierPart(c: string | undefined): boolean {
  return c !== undefined && (isIdentifierStart(c) || (c >= '0' && c <= '9') || c === '-');
}

function isWordPart(c: string | undefined): boolean {
  return c !== undefined && (isIdentifierStart(c) || (c >= '0' && c <= '9'));
}

export class Lexer {
  readonly source: string;
  /** Offset added to reported positions (for string literals lexed as templates of their own). */
  readonly offset: number;
  pos = 0;
  private lineStarts: number[] | null = null;
  private readonly pending: TemplateToken[] = [];
  private readonly root: Lexer | null;

  constructor(source: string, offset = 0, root: Lexer | null = null) {
    this.source = source;
    this.offset = offset;
    this.root = root;
  }

  // ---- positions and errors

  /** 1-based line and column of an offset in the outermost template. */
  locate(pos: number): { line: number; column: number } {
    if (this.root) return this.root.locate(pos);
    if (!this.lineStarts) {
      this.lineStarts = [0];
      for (let i = 0; i < this.source.length; i++) if (this.source[i] === '\n') this.lineStarts.push(i + 1);
    }
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: pos - starts[lo]! + 1 };
  }

  error(message: string, pos: number = this.pos + this.offset): VtlSyntaxError {
    const { line, column } = this.locate(pos);
    return new VtlSyntaxError(message, line, column);
  }

  /** Absolute position of a local offset. */
  abs(local: number): number {
    return local + this.offset;
  }

  peekChar(ahead = 0): string | undefined {
    return this.source[this.pos + ahead];
  }

  // ---- template mode

  nextTemplate(): TemplateToken {
    if (this.pending.length) return this.pending.shift()!;
    const src = this.source;
    const start = this.pos;
    let text = '';
    let runStart = this.pos;
    while (this.pos < src.length) {
      const c = src[this.pos]!;
      if (c !== '$' && c !== '#' && c !== '\\') {
        this.pos++;
        continue;
      }
      const special = this.special();
      if (!special) {
        this.pos++;
        continue;
      }
      text += src.slice(runStart, special.dropFrom);
      if (special.prefix) text += special.prefix;
      runStart = this.pos;
      if (special.token) {
        if (!text) return special.token;
        this.pending.push(special.token);
        return { kind: 'text', pos: this.abs(start), value: text };
      }
    }
    text += src.slice(runStart, this.pos);
    if (text) return { kind: 'text', pos: this.abs(start), value: text };
    return { kind: 'eof', pos: this.abs(this.pos) };
  }

  /**
   * Recognises what starts at `$`, `#` or a backslash run. Returns null when it is plain text (the caller moves on
   * by one character); otherwise consumes it and says what to emit: the text before it ends at `dropFrom`,
   * `prefix` is literal text to add, `token` the token that follows.
   */
  private special(): { dropFrom: number; prefix?: string; token?: TemplateToken } | null {
    const src = this.source;
    const at = this.pos;
    let i = at;
    while (src[i] === '\\') i++;
    const escapes = i - at;
    const c = src[i];
    if (c === '$') {
      const ref = this.refStart(i);
      if (!ref) return null;
      this.pos = ref.end;
      return { dropFrom: at, token: { kind: 'ref', pos: this.abs(at), escapes, quiet: ref.quiet, formal: ref.formal } };
    }
    if (c !== '#') return null;
    const n1 = src[i + 1];
    if (escapes === 0) {
      if (n1 === '#') {
        // `##` line comment: up to and including the newline.
        const nl = src.indexOf('\n', i);
        this.pos = nl < 0 ? src.length : nl + 1;
        this.lastTokenEnd = this.pos;
        return { dropFrom: at };
      }
      if (n1 === '*') {
        // An unterminated block comment runs to the end of the template, as in Velocity.
        const close = src.indexOf('*#', i + 2);
        this.pos = close < 0 ? src.length : close + 2;
        this.lastTokenEnd = this.pos;
        return { dropFrom: at };
      }
      if (n1 === '[' && src[i + 2] === '[') {
        const close = src.indexOf(']]#', i + 3);
        if (close < 0) throw this.error('Unterminated unparsed content #[[', this.abs(i));
        this.pos = close + 3;
        this.lastTokenEnd = this.pos;
        return { dropFrom: at, prefix: src.slice(i + 3, close) };
      }
    }
    const word = this.directiveWord(i);
    if (!word) return null;
    const { name, end } = word;
    if (escapes % 2 === 1) {
      // `\#if` renders `#if` as text (half of the backslashes kept); what follows stays ordinary text.
      this.pos = end;
      return { dropFrom: at, prefix: '\\'.repeat((escapes - 1) / 2) + src.slice(i, end) };
    }
    // An even run of backslashes before a directive: half of them are output (all of them before #set, as
    // Velocity 1.7 does), and the directive runs.
    const prefix = escapes ? '\\'.repeat(name === 'set' ? escapes : escapes / 2) : undefined;
    const pos = this.abs(i);
    if (PAREN_DIRECTIVES.has(name)) {
      let j = end;
      while (src[j] === ' ' || src[j] === '\t') j++;
      if (src[j] !== '(') throw this.error(`Expected '(' after #${name}`, this.abs(j));
      this.pos = j + 1;
      // `#set` swallows the blanks before it, unless they belong to a longer text run.
      let dropFrom = at;
      if (name === 'set' && escapes === 0) {
        let k = at;
        while (k > this.lastTokenEnd && (src[k - 1] === ' ' || src[k - 1] === '\t')) k--;
        if (k === this.lastTokenEnd) dropFrom = k;
      }
      return { dropFrom, prefix, token: { kind: 'directive', pos, name } };
    }
    if (BARE_DIRECTIVES.has(name)) {
      this.pos = end;
      if (name === 'else' || name === 'end') this.gobbleLineEnd();
      else this.lastTokenEnd = this.pos;
      return { dropFrom: at, prefix, token: { kind: 'directive', pos, name } };
    }
    // Anything else is a macro call, with or without arguments.
    let j = end;
    while (src[j] === ' ' || src[j] === '\t') j++;
    const hasArgs = src[j] === '(';
    this.pos = hasArgs ? j + 1 : end;
    if (!hasArgs) this.lastTokenEnd = this.pos;
    return { dropFrom: at, prefix, token: { kind: 'macroCall', pos, name, hasArgs } };
  }

  /** Offset just after the last token the parser consumed (text runs excluded). */
  lastTokenEnd = 0;

  /** Marks the current position as a token boundary (called by the parser after a reference or directive). */
  markTokenEnd(): void {
    this.lastTokenEnd = this.pos;
  }

  private directiveWord(i: number): { name: string; end: number } | null {
    const src = this.source;
    if (src[i + 1] === '{') {
      let j = i + 2;
      if (!isIdentifierStart(src[j])) return null;
      while (isWordPart(src[j])) j++;
      if (src[j] !== '}') return null;
      return { name: src.slice(i + 2, j), end: j + 1 };
    }
    let j = i + 1;
    if (!isIdentifierStart(src[j])) return null;
    while (isWordPart(src[j])) j++;
    const name = src.slice(i + 1, j);
    // The whole word is the name (as Velocity's longest match): `#endif` is a macro call, not `#end` + `if`.
    return { name, end: j };
  }

  /** `$`, `$!`, `${`, `$!{` followed by an identifier start. */
  private refStart(i: number): { end: number; quiet: boolean; formal: boolean } | null {
    const src = this.source;
    let j = i + 1;
    const quiet = src[j] === '!';
    if (quiet) j++;
    const formal = src[j] === '{';
    if (formal) j++;
    if (!isIdentifierStart(src[j])) return null;
    return { end: j, quiet, formal };
  }

  /** After a directive's `)`, `#else` or `#end`: swallow blanks and one newline when the rest of the line is blank. */
  gobbleLineEnd(): void {
    const src = this.source;
    let j = this.pos;
    while (src[j] === ' ' || src[j] === '\t') j++;
    if (src[j] === '\n') this.pos = j + 1;
    else if (src[j] === '\r') this.pos = src[j + 1] === '\n' ? j + 2 : j + 1;
    this.lastTokenEnd = this.pos;
  }

  /** Reads an identifier at the current position (reference names, properties, methods). */
  readIdentifier(): string | null {
    const src = this.source;
    if (!isIdentifierStart(src[this.pos])) return null;
    const start = this.pos;
    while (isIdentifierPart(src[this.pos])) this.pos++;
    return src.slice(start, this.pos);
  }

  // ---- expression mode

  private peeked: ExpressionToken | null = null;

  peekExpr(): ExpressionToken {
    if (!this.peeked) this.peeked = this.scanExpr();
    return this.peeked;
  }

  nextExpr(): ExpressionToken {
    const t = this.peekExpr();
    this.peeked = null;
    return t;
  }

  /** Drops a peeked expression token so that the lexer can switch back to template or reference scanning. */
  resetTo(pos: number): void {
    this.peeked = null;
    this.pos = pos;
  }

  private scanExpr(): ExpressionToken {
    const src = this.source;
    while (this.pos < src.length && /\s/.test(src[this.pos]!)) this.pos++;
    const start = this.pos;
    const pos = this.abs(start);
    if (start >= src.length) return { kind: 'eof', pos };
    const c = src[start]!;
    if (c === '$') {
      const ref = this.refStart(start);
      if (!ref) throw this.error("Unexpected '$'", pos);
      this.pos = ref.end;
      return { kind: 'ref', pos, quiet: ref.quiet, formal: ref.formal };
    }
    const num = /^-?(?:\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)/.exec(src.slice(start, start + 400));
    if (num && (c !== '.' || src[start + 1] !== '.')) {
      // `1..3` is a range: the integer stops before `..`.
      this.pos = start + num[0].length;
      const isDouble = /[.eE]/.test(num[0]);
      return { kind: isDouble ? 'double' : 'int', pos, text: num[0] };
    }
    if (c === '"' || c === "'") {
      let j = start + 1;
      let value = '';
      for (;;) {
        const k = src.indexOf(c, j);
        if (k < 0) throw this.error('Unterminated string literal', pos);
        value += src.slice(j, k);
        if (src[k + 1] === c) {
          // A doubled quote is a quote.
          value += c;
          j = k + 2;
          continue;
        }
        this.pos = k + 1;
        break;
      }
      return { kind: 'string', pos, value, interpolate: c === '"', contentPos: pos + 1 };
    }
    if (isIdentifierStart(c)) {
      let j = start;
      while (isWordPart(src[j])) j++;
      this.pos = j;
      return { kind: 'word', pos, text: src.slice(start, j) };
    }
    for (const op of OPERATORS) {
      if (src.startsWith(op, start)) {
        this.pos = start + op.length;
        return { kind: 'op', pos, text: op };
      }
    }
    throw this.error(`Unexpected character '${c}'`, pos);
  }
}

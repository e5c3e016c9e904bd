// Recursive-descent parser: template tokens → directives and references; expression tokens → one parseX per
// precedence level (or, and, equality, relational, additive, multiplicative, unary, primary), as in Velocity 1.7.
import { Lexer, isIdentifierStart } from './lexer.ts';
import type {
  BinaryOperator, Expression, IfDirective, MacroDefinition, Node, Reference, Step, StringLiteral, Template,
} from './nodes.ts';

/** Directive names that end a block, and what the block was opened by. */
type Terminator = 'end' | 'else' | 'elseif' | 'eof';

export function parseTemplate(source: string): Template {
  const parser = new Parser(new Lexer(source));
  const body = parser.parseBlock('template');
  return { body, source };
}

class Parser {
  private readonly lexer: Lexer;
  /** The directive token that ended the last block. */
  private terminator: { name: Terminator; pos: number } = { name: 'eof', pos: 0 };

  constructor(lexer: Lexer) {
    this.lexer = lexer;
  }

  /** Parses nodes until `#end`, `#else`, `#elseif` or the end of input; checks the terminator fits the opener. */
  parseBlock(opener: 'template' | 'if' | 'block'): Node[] {
    const nodes: Node[] = [];
    const lx = this.lexer;
    for (;;) {
      const t = lx.nextTemplate();
      switch (t.kind) {
        case 'eof':
          if (opener !== 'template') throw lx.error(`Missing #end for #${opener === 'if' ? 'if' : 'directive'}`, t.pos);
          this.terminator = { name: 'eof', pos: t.pos };
          return nodes;
        case 'text':
          nodes.push({ kind: 'text', pos: t.pos, value: t.value });
          break;
        case 'ref': {
          nodes.push(this.parseReference(t.pos, t.quiet, t.formal, t.escapes, false));
          lx.markTokenEnd();
          break;
        }
        case 'macroCall':
          nodes.push(this.parseMacroCall(t.pos, t.name, t.hasArgs));
          break;
        case 'directive': {
          const name = t.name;
          if (name === 'end' || name === 'else' || name === 'elseif') {
            if (opener === 'template' || (opener === 'block' && name !== 'end')) {
              throw lx.error(`Unexpected #${name}`, t.pos);
            }
            this.terminator = { name, pos: t.pos };
            return nodes;
          }
          nodes.push(this.parseDirective(name, t.pos));
          break;
        }
      }
    }
  }

  private parseDirective(name: string, pos: number): Node {
    const lx = this.lexer;
    switch (name) {
      case 'set': {
        const target = this.expectReference();
        this.expectOp('=');
        const value = this.parseExpression();
        this.closeArgs();
        return { kind: 'set', pos, target, value };
      }
      case 'if': {
        const branches: { condition: Expression; body: Node[] }[] = [];
        let condition = this.parseExpression();
        this.closeArgs();
        let otherwise: Node[] | null = null;
        for (;;) {
          const body = this.parseBlock('if');
          branches.push({ condition, body });
          const term = this.terminator;
          if (term.name === 'end') break;
          if (term.name === 'elseif') {
            condition = this.parseExpression();
            this.closeArgs();
            continue;
          }
          otherwise = this.parseBlock('block');
          break;
        }
        return { kind: 'if', pos, branches, otherwise } satisfies IfDirective;
      }
      case 'foreach': {
        const variable = this.expectReference();
        if (variable.steps.length) throw lx.error('#foreach needs a simple variable', variable.pos);
        const inTok = lx.nextExpr();
        if (inTok.kind !== 'word' || inTok.text !== 'in') throw lx.error("Expected 'in' in #foreach", inTok.pos);
        const iterable = this.parseExpression();
        this.closeArgs();
        const body = this.parseBlock('block');
        return { kind: 'foreach', pos, variable: variable.name, iterable, body };
      }
      case 'break':
        return { kind: 'break', pos };
      case 'stop':
        return { kind: 'stop', pos };
      case 'macro': {
        const nameTok = lx.nextExpr();
        if (nameTok.kind !== 'word') throw lx.error('Expected a macro name', nameTok.pos);
        const params: string[] = [];
        for (;;) {
          const t = lx.peekExpr();
          if (t.kind === 'op' && t.text === ')') break;
          if (t.kind === 'op' && t.text === ',') {
            lx.nextExpr();
            continue;
          }
          const ref = this.expectReference();
          if (ref.steps.length) throw lx.error('Macro parameters must be simple variables', ref.pos);
          params.push(ref.name);
        }
        this.closeArgs();
        const body = this.parseBlock('block');
        return { kind: 'macro', pos, name: nameTok.text, params, body } satisfies MacroDefinition;
      }
      case 'define': {
        const ref = this.expectReference();
        if (ref.steps.length) throw lx.error('#define needs a simple variable', ref.pos);
        this.closeArgs();
        const body = this.parseBlock('block');
        return { kind: 'define', pos, name: ref.name, body };
      }
      case 'evaluate': {
        const source = this.parseExpression();
        this.closeArgs();
        return { kind: 'evaluate', pos, source };
      }
      case 'include':
      case 'parse':
        throw lx.error(`#${name} is not supported in API Gateway mapping templates`, pos);
      default:
        throw lx.error(`Unknown directive #${name}`, pos);
    }
  }

  private parseMacroCall(pos: number, name: string, hasArgs: boolean): Node {
    const lx = this.lexer;
    const args: Expression[] = [];
    if (hasArgs) {
      for (;;) {
        const t = lx.peekExpr();
        if (t.kind === 'op' && t.text === ')') break;
        if (t.kind === 'op' && t.text === ',') {
          lx.nextExpr();
          continue;
        }
        if (t.kind === 'eof') throw lx.error(`Unterminated call of #${name}`, pos);
        if (t.kind === 'word' && t.text !== 'true' && t.text !== 'false') {
          // Velocity accepts bare words as directive arguments: `#tag(a b)` is a call (rendered as text if no
          // macro `tag` exists when it runs).
          lx.nextExpr();
          args.push({ kind: 'string', pos: t.pos, value: t.text, parts: null });
          continue;
        }
        args.push(this.parseParameter());
      }
      this.closeArgs();
    }
    const literal = lx.source.slice(pos - lx.offset, lx.lastTokenEnd);
    return { kind: 'macroCall', pos, name, args, literal: hasArgs ? literal.replace(/[ \t]*(\r\n|\n|\r)$/, '') : literal };
  }

  /** Consumes the `)` closing a directive's arguments, then a blank rest of line. */
  private closeArgs(): void {
    const t = this.lexer.nextExpr();
    if (t.kind !== 'op' || t.text !== ')') throw this.lexer.error(`Expected ')'`, t.pos);
    this.lexer.gobbleLineEnd();
  }

  private expectOp(op: string): void {
    const t = this.lexer.nextExpr();
    if (t.kind !== 'op' || t.text !== op) throw this.lexer.error(`Expected '${op}'`, t.pos);
  }

  private expectReference(): Reference {
    const t = this.lexer.nextExpr();
    if (t.kind !== 'ref') throw this.lexer.error('Expected a reference', t.pos);
    return this.parseReference(t.pos, t.quiet, t.formal, 0, true);
  }

  /**
   * The reference after `$`/`$!`/`${`: identifier, then `.name`, `.name(args)` and `[index]` steps. In template
   * text a step that does not parse ends the reference (`$a.` followed by a space is `$a` then `.`); a formal
   * reference without its `}` is text.
   */
  private parseReference(pos: number, quiet: boolean, formal: boolean, escapes: number, inExpression: boolean): Reference {
    const lx = this.lexer;
    const name = lx.readIdentifier();
    if (name === null) throw lx.error('Expected an identifier', lx.abs(lx.pos));
    const steps: Step[] = [];
    const src = lx.source;
    for (;;) {
      const c = lx.peekChar();
      if (c === '.' && isIdentifierStart(lx.peekChar(1))) {
        const stepPos = lx.abs(lx.pos + 1);
        lx.pos++;
        const member = lx.readIdentifier()!;
        if (lx.peekChar() === '(') {
          if (!inExpression && lx.peekChar(1) === undefined) {
            // `$a.b(` at the very end of the template: Velocity renders `$a.b` and the `(` as text.
            steps.push({ kind: 'property', pos: stepPos, name: member });
            break;
          }
          lx.pos++;
          const args = this.parseArguments(')');
          steps.push({ kind: 'method', pos: stepPos, name: member, args });
        } else {
          steps.push({ kind: 'property', pos: stepPos, name: member });
        }
        continue;
      }
      if (c === '[') {
        // `$a[` always starts an index, in text too (Velocity reports a syntax error rather than backing off).
        const start = lx.pos;
        lx.pos++;
        const index = this.parseParameter();
        const close = lx.nextExpr();
        if (close.kind !== 'op' || close.text !== ']') throw lx.error("Expected ']'", close.pos);
        lx.resetTo(lx.pos);
        steps.push({ kind: 'index', pos: lx.abs(start), index });
        continue;
      }
      break;
    }
    if (formal) {
      if (lx.peekChar() !== '}') throw lx.error("Expected '}'", lx.abs(lx.pos));
      lx.pos++;
    }
    const start = pos - lx.offset + escapes;
    const literal = src.slice(start, lx.pos);
    return { kind: 'reference', pos, name, steps, quiet, literal, escapes };
  }

  /** Comma-separated expressions up to `close`; leaves the lexer right after `close`. */
  private parseArguments(close: string): Expression[] {
    const lx = this.lexer;
    const args: Expression[] = [];
    const first = lx.peekExpr();
    if (first.kind === 'op' && first.text === close) {
      lx.nextExpr();
      lx.resetTo(lx.pos);
      return args;
    }
    for (;;) {
      args.push(this.parseParameter());
      const t = lx.nextExpr();
      if (t.kind === 'op' && t.text === close) break;
      if (t.kind !== 'op' || t.text !== ',') throw lx.error(`Expected ',' or '${close}'`, t.pos);
    }
    lx.resetTo(lx.pos);
    return args;
  }

  // ---- expressions

  parseExpression(): Expression {
    return this.parseOr();
  }

  private binaryLevel(next: () => Expression, ops: Record<string, BinaryOperator>): Expression {
    let left = next();
    for (;;) {
      const t = this.lexer.peekExpr();
      const key = t.kind === 'op' || t.kind === 'word' ? t.text : '';
      if (!Object.hasOwn(ops, key)) return left;
      const op = ops[key]!;
      this.lexer.nextExpr();
      const right = next();
      left = { kind: 'binary', pos: t.pos, op, left, right };
    }
  }

  private parseOr = (): Expression => this.binaryLevel(this.parseAnd, { '||': '||', or: '||' });
  private parseAnd = (): Expression => this.binaryLevel(this.parseEquality, { '&&': '&&', and: '&&' });
  private parseEquality = (): Expression => this.binaryLevel(this.parseRelational, { '==': '==', '!=': '!=', eq: '==', ne: '!=' });
  private parseRelational = (): Expression =>
    this.binaryLevel(this.parseAdditive, { '<': '<', '>': '>', '<=': '<=', '>=': '>=', lt: '<', gt: '>', le: '<=', ge: '>=' });
  private parseAdditive = (): Expression => this.binaryLevel(this.parseMultiplicative, { '+': '+', '-': '-' });
  private parseMultiplicative = (): Expression => this.binaryLevel(this.parseUnary, { '*': '*', '/': '/', '%': '%' });

  private parseUnary = (): Expression => {
    const t = this.lexer.peekExpr();
    if ((t.kind === 'op' && t.text === '!') || (t.kind === 'word' && t.text === 'not')) {
      this.lexer.nextExpr();
      return { kind: 'not', pos: t.pos, operand: this.parseUnary() };
    }
    return this.parsePrimary();
  };

  /**
   * Velocity 1.7's "Parameter": what method arguments, indexes, macro arguments and list/map/range elements may
   * be: a literal, a reference, a list, map or range; not an operator expression (`$a.b($x + 1)` is a syntax error).
   */
  private parseParameter(): Expression {
    const t = this.lexer.peekExpr();
    if ((t.kind === 'op' && (t.text === '(' || t.text === '!')) || (t.kind === 'word' && t.text === 'not')) {
      throw this.lexer.error(`Encountered "${t.text}"`, t.pos);
    }
    return this.parsePrimary();
  }

  private parsePrimary(): Expression {
    const lx = this.lexer;
    const t = lx.nextExpr();
    switch (t.kind) {
      case 'int':
      case 'double':
        return { kind: 'literal', pos: t.pos, type: t.kind, text: t.text };
      case 'string':
        return this.stringLiteral(t.pos, t.value, t.interpolate, t.contentPos);
      case 'ref': {
        lx.resetTo(lx.pos);
        const ref = this.parseReference(t.pos, t.quiet, t.formal, 0, true);
        return ref;
      }
      case 'word':
        if (t.text === 'true' || t.text === 'false') return { kind: 'literal', pos: t.pos, type: 'boolean', text: t.text };
        throw lx.error(`Encountered "${t.text}"`, t.pos);
      case 'op':
        if (t.text === '(') {
          const inner = this.parseExpression();
          this.expectOp(')');
          return { kind: 'group', pos: t.pos, inner };
        }
        if (t.text === '[') {
          const first = lx.peekExpr();
          if (first.kind === 'op' && first.text === ']') {
            lx.nextExpr();
            return { kind: 'list', pos: t.pos, items: [] };
          }
          const head = this.parseParameter();
          const sep = lx.nextExpr();
          if (sep.kind === 'op' && sep.text === '..') {
            const to = this.parseParameter();
            this.expectOp(']');
            return { kind: 'range', pos: t.pos, from: head, to };
          }
          const items = [head];
          let s = sep;
          while (s.kind === 'op' && s.text === ',') {
            items.push(this.parseParameter());
            s = lx.nextExpr();
          }
          if (s.kind !== 'op' || s.text !== ']') throw lx.error("Expected ']'", s.pos);
          return { kind: 'list', pos: t.pos, items };
        }
        if (t.text === '{') {
          const entries: [Expression, Expression][] = [];
          const first = lx.peekExpr();
          if (first.kind === 'op' && first.text === '}') {
            lx.nextExpr();
            return { kind: 'map', pos: t.pos, entries };
          }
          for (;;) {
            const key = this.parseParameter();
            this.expectOp(':');
            entries.push([key, this.parseParameter()]);
            const s = lx.nextExpr();
            if (s.kind === 'op' && s.text === '}') break;
            if (s.kind !== 'op' || s.text !== ',') throw lx.error("Expected ',' or '}'", s.pos);
          }
          return { kind: 'map', pos: t.pos, entries };
        }
        throw lx.error(`Encountered "${t.text}"`, t.pos);
      case 'eof':
        throw lx.error('Unexpected end of template', t.pos);
    }
  }

  /** A `"…"` literal whose text contains `$` or `#` is itself a template, parsed now and rendered on use. */
  private stringLiteral(pos: number, value: string, interpolate: boolean, contentPos: number): StringLiteral {
    if (!interpolate || (!value.includes('$') && !value.includes('#'))) return { kind: 'string', pos, value, parts: null };
    const inner = new Parser(new Lexer(value, contentPos, this.lexer));
    const parts = inner.parseBlock('template');
    return { kind: 'string', pos, value, parts };
  }
}

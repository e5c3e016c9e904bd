// Syntax tree → JavaScript source of one function per template body (plus one per macro and #define), built
// once per template. Everything dynamic in the output is a JSON string literal or a number: template
// identifiers become Map keys and runtime arguments, never JS identifiers or property names.
import { VtlSyntaxError } from './errors.ts';
import type { Expression, ForeachDirective, Node, Reference, StringLiteral } from './nodes.ts';
import * as runtime from './runtime.ts';
import type { CompiledBody, Macro, RenderFn } from './runtime.ts';

export interface CodegenOptions {
  /**
   * How a null reference renders: 'empty' as API Gateway does (its engine renders `$missing` as nothing),
   * 'literal' as plain Velocity 1.7 does (the reference text, `$missing`).
   */
  readonly nullReferences: 'empty' | 'literal';
  readonly locate: (pos: number) => { line: number; column: number };
  /**
   * Variables by numbered slot (a template's own code) or by name (#evaluate bodies: compiled later, they share
   * the variables of the template that runs them).
   */
  readonly variables?: 'slots' | 'names';
}

const q = (s: string): string => JSON.stringify(s);

interface Scope {
  /** Labels of the enclosing #foreach loops of this function, innermost last. */
  readonly loops: string[];
  /** What `#break` outside a loop does in this function. */
  readonly exit: string;
}

class Generator {
  private readonly opts: CodegenOptions;
  private readonly hoisted: string[] = [];
  private readonly functions: string[] = [];
  private readonly macros: string[] = [];
  private counter = 0;
  readonly slots = new Map<string, number>();

  constructor(opts: CodegenOptions) {
    this.opts = opts;
  }

  /** Code reading variable `name` (undefined when unset). */
  private getVar(name: string): string {
    return this.opts.variables === 'names' ? `v.get(${q(name)})` : `v.a[${this.slot(name)}]`;
  }

  /** A statement setting variable `name` to the value of `value` (undefined unsets it). */
  private setVar(name: string, value: string): string {
    return this.opts.variables === 'names' ? `v.set(${q(name)}, ${value});` : `v.a[${this.slot(name)}] = ${value};`;
  }

  private slot(name: string): number {
    let i = this.slots.get(name);
    if (i === undefined) {
      i = this.slots.size;
      this.slots.set(name, i);
    }
    return i;
  }

  private id(prefix: string): string {
    return `${prefix}${this.counter++}`;
  }

  private error(message: string, pos: number): VtlSyntaxError {
    const { line, column } = this.opts.locate(pos);
    return new VtlSyntaxError(message, line, column);
  }

  program(body: readonly Node[]): string {
    const main = this.fn(body);
    return [
      '"use strict";',
      'const { out, lim, truthy, prop, call, index, setProp, setIndex, iter, arith, eq, rel, range, mapOf, macro, evaluate, Foreach, Block, STOP } = rt;',
      ...this.hoisted,
      ...this.functions,
      `return { main: ${main}, macros: [${this.macros.join(', ')}] };`,
    ].join('\n');
  }

  /** Emits a render function for a body and returns its name. */
  private fn(body: readonly Node[]): string {
    const name = this.id('f');
    const scope: Scope = { loops: [], exit: 'return;' };
    const code = this.block(body, scope);
    this.functions.push(`function ${name}(v, w, s) {\n${code}}`);
    return name;
  }

  private block(nodes: readonly Node[], scope: Scope): string {
    let code = '';
    // Consecutive text and references are appended in one statement.
    let run: string[] = [];
    const flush = () => {
      if (run.length) code += `w.s += ${run.join(' + ')};\n`;
      run = [];
    };
    for (const n of nodes) {
      if (n.kind === 'text') {
        if (n.value) run.push(q(n.value));
      } else if (n.kind === 'reference') {
        run.push(this.render(n));
      } else {
        flush();
        code += this.statement(n, scope);
      }
    }
    flush();
    return code;
  }

  private statement(n: Node, scope: Scope): string {
    switch (n.kind) {
      case 'text':
        return n.value ? `w.s += ${q(n.value)};\n` : '';
      case 'reference':
        return `w.s += ${this.render(n)};\n`;
      case 'set':
        return this.set(n.target, n.value, n.pos);
      case 'if': {
        let code = '';
        n.branches.forEach((b, i) => {
          code += `${i ? ' else ' : ''}if (${this.cond(b.condition)}) {\n${this.block(b.body, scope)}}`;
        });
        if (n.otherwise) code += ` else {\n${this.block(n.otherwise, scope)}}`;
        return `${code}\n`;
      }
      case 'foreach':
        return this.foreach(n, scope);
      case 'break':
        return scope.loops.length ? `break ${scope.loops[scope.loops.length - 1]};\n` : `${scope.exit}\n`;
      case 'stop':
        return 'throw STOP;\n';
      case 'macro': {
        const f = this.fn(n.body);
        this.macros.push(`[${q(n.name)}, { params: ${JSON.stringify(n.params)}, fn: ${f} }]`);
        return '';
      }
      case 'macroCall':
        return `macro(s, v, w, ${q(n.name)}, [${n.args.map((a) => this.expr(a)).join(', ')}], ${q(n.literal)}, ${n.pos});\n`;
      case 'define': {
        const f = this.fn(n.body);
        return `${this.setVar(n.name, `new Block(${f}, v, s)`)}\n`;
      }
      case 'evaluate':
        return `evaluate(s, v, w, ${this.expr(n.source)}, ${n.pos});\n`;
    }
  }

  /** A reference rendered into the output, with Velocity's escaping and null rules. */
  private render(r: Reference): string {
    const value = this.expr(r);
    const k = r.escapes;
    if (k % 2 === 1) {
      const prefix = '\\'.repeat((k - 1) / 2);
      return `(${value} === null ? ${q(`${prefix}\\${r.literal}`)} : ${q(prefix + r.literal)})`;
    }
    const prefix = '\\'.repeat(k / 2);
    const nullText = r.quiet || this.opts.nullReferences === 'empty' ? '' : prefix + r.literal;
    return prefix ? `${q(prefix)} + out(s, ${value}, ${q(nullText)})` : `out(s, ${value}, ${q(nullText)})`;
  }

  private set(target: Reference, value: Expression, pos: number): string {
    const rhs = this.expr(value);
    if (target.steps.length === 0) {
      return `{ const x = ${rhs}; if (x !== null) ${this.setVar(target.name, 'x')} }\n`;
    }
    const last = target.steps[target.steps.length - 1]!;
    const obj = this.reference({ ...target, steps: target.steps.slice(0, -1) });
    switch (last.kind) {
      case 'property':
        return `{ const x = ${rhs}; if (x !== null) setProp(s, ${obj}, ${q(last.name)}, x, ${last.pos}); }\n`;
      case 'index':
        return `{ const x = ${rhs}; if (x !== null) setIndex(s, ${obj}, ${this.expr(last.index)}, x, ${last.pos}); }\n`;
      case 'method':
        throw this.error('#set cannot assign to a method call', pos);
    }
  }

  private foreach(n: ForeachDirective, scope: Scope): string {
    const label = this.id('L');
    const a = this.id('a');
    const k = this.id('k');
    const fe = this.id('fe');
    const saved = this.id('p');
    const name = n.variable;
    const inner: Scope = { loops: [...scope.loops, label], exit: scope.exit };
    return `{ const ${a} = iter(s, ${this.expr(n.iterable)});
if (${a} !== null) {
const ${saved} = [${this.getVar(name)}, ${this.getVar('foreach')}, ${this.getVar('velocityCount')}];
const ${fe} = new Foreach(${saved}[1]);
${this.setVar('foreach', fe)}
try {
${label}: for (let ${k} = 0; ${k} < ${a}.length && ${k} < s.maxLoops; ${k}++) {
s.tick(w);
${fe}.index = ${k}; ${fe}.hasNext = ${k} + 1 < ${a}.length;
const x = ${a}[${k}];
${this.setVar(name, 'x ?? undefined')}
${this.setVar('velocityCount', `${k} + 1`)}
${this.block(n.body, inner)}}
} finally {
${this.setVar(name, `${saved}[0]`)}
${this.setVar('foreach', `${saved}[1]`)}
${this.setVar('velocityCount', `${saved}[2]`)}
}
} }
`;
  }

  /** An expression in a boolean position: references are true unless null or false; literals are false. */
  private cond(e: Expression): string {
    switch (e.kind) {
      case 'reference':
        return `truthy(${this.expr(e)})`;
      case 'literal':
        return e.type === 'boolean' ? e.text : 'false';
      case 'group':
        return this.cond(e.inner);
      case 'not':
        return `!${this.cond(e.operand)}`;
      case 'binary':
        if (['+', '-', '*', '/', '%'].includes(e.op)) return `(${this.expr(e)}, false)`;
        return this.expr(e);
      case 'string':
        return e.parts ? `(${this.expr(e)}, false)` : 'false';
      default:
        return `(${this.expr(e)}, false)`;
    }
  }

  expr(e: Expression): string {
    switch (e.kind) {
      case 'literal':
        if (e.type === 'boolean') return e.text;
        if (e.type === 'int') {
          const b = BigInt(e.text);
          return b >= -9007199254740991n && b <= 9007199254740991n ? `(${String(b)})` : `(${String(b)}n)`;
        }
        return this.hoist(`new rt.JavaDouble(${Object.is(Number(e.text), -0) ? '-0' : Number(e.text)})`);
      case 'string':
        return this.string(e);
      case 'list':
        return `[${e.items.map((i) => this.expr(i)).join(', ')}]`;
      case 'map':
        return `mapOf(s, [${e.entries.map(([k, v]) => `${this.expr(k)}, ${this.expr(v)}`).join(', ')}])`;
      case 'range':
        return `range(s, ${this.expr(e.from)}, ${this.expr(e.to)}, ${e.pos})`;
      case 'reference':
        return this.reference(e);
      case 'group':
        return this.expr(e.inner);
      case 'not':
        return `!${this.cond(e.operand)}`;
      case 'binary':
        switch (e.op) {
          case '&&':
          case '||':
            return `(${this.cond(e.left)} ${e.op} ${this.cond(e.right)})`;
          case '==':
            return `eq(s, ${this.expr(e.left)}, ${this.expr(e.right)})`;
          case '!=':
            return `!eq(s, ${this.expr(e.left)}, ${this.expr(e.right)})`;
          case '<':
          case '>':
          case '<=':
          case '>=':
            return `rel(${q(e.op)}, ${this.expr(e.left)}, ${this.expr(e.right)})`;
          default:
            return `arith(s, ${q(e.op)}, ${this.expr(e.left)}, ${this.expr(e.right)}, ${q(literalOf(e.left))}, ${q(literalOf(e.right))})`;
        }
    }
  }

  private hoist(code: string): string {
    const name = this.id('c');
    this.hoisted.push(`const ${name} = ${code};`);
    return name;
  }

  private reference(r: Reference): string {
    let code = `(${this.getVar(r.name)} ?? null)`;
    for (const step of r.steps) {
      switch (step.kind) {
        case 'property':
          code = `prop(${code}, ${q(step.name)})`;
          break;
        case 'method':
          code = `call(s, ${code}, ${q(step.name)}, [${step.args.map((a) => this.expr(a)).join(', ')}], ${step.pos})`;
          break;
        case 'index':
          code = `index(s, ${code}, ${this.expr(step.index)}, ${step.pos})`;
          break;
      }
    }
    return code;
  }

  /** An interpolated string: a concatenation when it holds only text and references, else a nested render. */
  private string(e: StringLiteral): string {
    if (!e.parts) return q(e.value);
    if (e.parts.every((p) => p.kind === 'text' || p.kind === 'reference')) {
      const pieces = e.parts.map((p) => (p.kind === 'text' ? q(p.value) : this.render(p)));
      return `lim(s, "" + ${pieces.join(' + ')})`;
    }
    const scope: Scope = { loops: [], exit: 'return lim(s, w.s);' };
    return `((w) => {\n${this.block(e.parts, scope)}return lim(s, w.s);\n})({ s: "" })`;
  }
}

/** Velocity's literal() of an operand: what a null operand contributes to a string concatenation. */
function literalOf(e: Expression): string {
  return e.kind === 'reference' ? e.literal : '';
}

/** Generates and instantiates the render functions of a template body. */
export function generate(body: readonly Node[], opts: CodegenOptions): { body: CompiledBody; code: string } {
  const generator = new Generator(opts);
  const code = generator.program(body);
  // The generated source only refers to `rt` (the runtime) and its own locals; see the file comment.
  const factory = new Function('rt', code) as (rt: typeof runtime) => { main: RenderFn; macros: [string, Macro][] };
  return { body: { ...factory(runtime), slots: generator.slots }, code };
}

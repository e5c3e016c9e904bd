// Mapping templates for the data plane: compile each template once per deployment, render it per request.
//
//   const t = compileTemplate(source);            // throws VtlSyntaxError {line, column}; cached by source
//   const { output, requestOverride } = t.renderWithOverrides({ input, context, stageVariables });
//   t.render(bindings)                            // just the text
//
// Rendering throws VtlRuntimeError (a Java method failed, as Velocity's MethodInvocationException) or
// VtlLimitError (output size, CPU time, memory built, range, macro depth); the data plane answers those with AWS's
// 500 and logs the message. The data plane renders inline with a small Slice of the budget and moves renders that
// need more to worker threads (render-pool.ts), so no template holds the event loop for long. The default dialect is API Gateway's; `dialect: 'velocity'` gives plain Velocity 1.7, used to compare
// with the Velocity oracle (differences: test/vtl/golden/AWS-DIFFERENCES.md).
import { Lexer } from './lexer.ts';
import { generate } from './codegen.ts';
import { parseTemplate } from './parser.ts';
import { InputBinding, type InputSource } from './bindings/input.ts';
import { UtilBinding } from './bindings/util.ts';
import {
  contextMap, readRequestOverride, readResponseOverride, stageVariablesMap,
  type ContextSource, type RequestOverride, type ResponseOverride,
} from './bindings/context.ts';
import { DEFAULT_LIMITS, RenderState, STOP, Variables, type CompiledBody, type Limits, type Slice, type Writer } from './runtime.ts';
import { VtlLimitError } from './errors.ts';
import { toJavaValue } from '../jsonpath/json.ts';

export { VtlSyntaxError, VtlRuntimeError, VtlLimitError } from './errors.ts';
export type { InputSource } from './bindings/input.ts';
/** Parses a body as `$input.path()` reads it, for InputSource.document. */
export { parseJsonDocument } from './java-values.ts';
export type { ContextSource, RequestOverride, ResponseOverride } from './bindings/context.ts';
export { NO_REQUEST_OVERRIDE, NO_RESPONSE_OVERRIDE } from './bindings/context.ts';
export type { Limits, Slice } from './runtime.ts';
export { DEFAULT_LIMITS, DEFAULT_SLICE, SliceExhausted } from './runtime.ts';

/**
 * 'api-gateway' (default): a null reference renders as nothing, `$input.path()` arrays print as JSON, an empty body
 * reads as `{}`. 'velocity': plain Velocity 1.7 with the oracle's bindings.
 */
export type Dialect = 'api-gateway' | 'velocity';

export interface CompileOptions {
  readonly dialect?: Dialect;
  /** Sandbox limits; defaults in DEFAULT_LIMITS (1,000 #foreach iterations as on API Gateway). */
  readonly limits?: Partial<Limits>;
  /** Clock for the render time limit (milliseconds); defaults to performance.now. */
  readonly now?: () => number;
}

export interface TemplateBindings {
  /** `$input`: the request, or the integration response in response templates. */
  readonly input: InputSource;
  /** `$context`: plain data, or a map from an earlier render (to chain overrides). */
  readonly context?: ContextSource | Map<string, unknown>;
  /** `$stageVariables`. */
  readonly stageVariables?: Readonly<Record<string, string>>;
  /** Further top-level variables (tests, and the oracle's `vars`); plain data becomes Java values. */
  readonly variables?: Readonly<Record<string, unknown>>;
}

export interface RenderResult {
  readonly output: string;
  readonly requestOverride: RequestOverride;
  readonly responseOverride: ResponseOverride;
  /** The `$context` map after rendering. */
  readonly context: Map<string, unknown>;
}

export class CompiledTemplate {
  readonly source: string;
  private readonly body: CompiledBody;
  private readonly options: Required<Pick<CompileOptions, 'dialect' | 'now'>> & { limits: Limits };
  private readonly locate: (pos: number) => { line: number; column: number };
  private readonly evaluateCache = new Map<string, CompiledBody>();
  private readonly compileEvaluateFn = (src: string): CompiledBody => this.compileEvaluate(src);
  /** The variables of the last render, emptied, for the next one (see release). */
  private spareVariables: Variables | null = null;

  constructor(source: string, options: CompileOptions = {}) {
    this.source = source;
    this.options = {
      dialect: options.dialect ?? 'api-gateway',
      now: options.now ?? (() => performance.now()),
      limits: { ...DEFAULT_LIMITS, ...options.limits },
    };
    this.body = this.compileBody(source, 'slots');
    this.locate = this.body.locate!;
  }

  private compileBody(source: string, variables: 'slots' | 'names'): CompiledBody {
    const template = parseTemplate(source);
    const lexer = new Lexer(source);
    const locate = (p: number) => lexer.locate(p);
    const nullReferences = this.options.dialect === 'api-gateway' ? 'empty' : 'literal';
    return { ...generate(template.body, { nullReferences, locate, variables }).body, locate };
  }

  /** Renders with the given bindings and returns the text. */
  render(bindings: TemplateBindings): string {
    return this.renderWithOverrides(bindings).output;
  }

  /**
   * Renders and returns the text plus what the template set in `$context.requestOverride/responseOverride`.
   * With a `slice`, the render stops with SliceExhausted once it has used that share of work, memory or time
   * (see Slice): the caller renders the same inputs again elsewhere with the full limits (render-pool.ts).
   */
  renderWithOverrides(bindings: TemplateBindings, slice: Slice | null = null): RenderResult {
    const context = bindings.context instanceof Map ? bindings.context : contextMap(bindings.context ?? {});
    const v = this.spareVariables ?? new Variables(this.body.slots);
    this.spareVariables = null;
    if (bindings.variables) {
      for (const [k, val] of Object.entries(bindings.variables)) if (val !== null && val !== undefined) v.set(k, toJavaValue(val));
    }
    const input = new InputBinding(bindings.input, this.options.dialect === 'api-gateway');
    v.set('input', input);
    v.set('util', this.options.dialect === 'api-gateway' ? UTIL : VELOCITY_UTIL);
    v.set('context', context);
    v.set('stageVariables', stageVariablesMap(bindings.stageVariables ?? {}));
    const s = new RenderState(this.options.limits, this.options.now, this.locate, this.compileEvaluateFn, slice);
    let output: string;
    try {
      output = this.run(v, s, input);
    } finally {
      this.release(v, s);
    }
    return { output, requestOverride: readRequestOverride(context), responseOverride: readResponseOverride(context), context };
  }

  /** Keeps a render's variables, emptied, for the next render; not when a `#define` block kept a reference to them. */
  private release(v: Variables, s: RenderState): void {
    if (s.variablesCaptured) return;
    v.clear();
    this.spareVariables = v;
  }

  private run(v: Variables, s: RenderState, input: InputBinding | null = null): string {
    const limits = this.options.limits;
    input?.attach(s);
    const macros = this.body.macros;
    for (let i = 0; i < macros.length; i++) s.macros.set(macros[i]![0], macros[i]![1]);
    const w: Writer = { s: '' };
    try {
      this.body.main(v, w, s);
    } catch (e) {
      if (e !== STOP) throw e;
    }
    if (w.s.length > limits.maxOutputLength) {
      throw new VtlLimitError('output', `Template output exceeded ${limits.maxOutputLength} characters`);
    }
    return w.s;
  }

  private compileEvaluate(source: string): CompiledBody {
    let body = this.evaluateCache.get(source);
    if (!body) {
      body = this.compileBody(source, 'names');
      if (this.evaluateCache.size >= 100) this.evaluateCache.delete(this.evaluateCache.keys().next().value!);
      this.evaluateCache.set(source, body);
    }
    return body;
  }
}

const UTIL = new UtilBinding(true);
const VELOCITY_UTIL = new UtilBinding(false);

const CACHE_LIMIT = 5_000;
const cache = new Map<string, CompiledTemplate>();

/**
 * Compiles a mapping template (or returns the cached compilation of the same source and options).
 * Throws VtlSyntaxError with the line and column of the first error.
 */
export function compileTemplate(source: string, options: CompileOptions = {}): CompiledTemplate {
  const cacheable = options.limits === undefined && options.now === undefined;
  const key = `${options.dialect ?? 'api-gateway'}\u0000${source}`;
  if (cacheable) {
    const hit = cache.get(key);
    if (hit) return hit;
  }
  const t = new CompiledTemplate(source, options);
  if (cacheable) {
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(key, t);
  }
  return t;
}

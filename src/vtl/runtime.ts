// What compiled templates call at render time. Generated code never touches a JS property of a template value
// directly: every member access, method call, index and assignment goes through prop/call/index/setProp/setIndex
// below, which only reach the allow-listed Java members (java-methods.ts) and host objects' own tables. Variables
// live in a Map, so no template name can reach a prototype.
import { JavaException, VtlLimitError, VtlRuntimeError } from './errors.ts';
import {
  NO_METHOD, booleanMethod, entryMethod, listMethod, mapMethod, numberMethod, stringMethod,
} from './java-methods.ts';
import {
  JavaCollection, JavaDouble, JavaFloat, MapEntry, arithmetic, compareNumbers, isJavaNumber, javaEquals, javaToString,
} from './java-values.ts';
import { regexCost } from './java-regex.ts';

export { JavaDouble };

/** Objects the bindings expose ($input, $util, $foreach…): they answer for their own members. */
export abstract class HostObject {
  /** Called when a render starts with this object bound (per-render caches belong to one render). */
  attach(_s: RenderState): void {}
  /** A property (`$x.name`); NO_METHOD when there is none. */
  abstract vtlProperty(name: string): unknown;
  /** A method call (`$x.name(args)`); NO_METHOD when there is none. Java exceptions are thrown as JavaException. */
  abstract vtlCall(name: string, args: readonly unknown[]): unknown;
  abstract javaToString(): string;
}

export { NO_METHOD };

export interface Writer { s: string }

/**
 * A render's variables. The names a template mentions get numbered slots when it is compiled, and its code reads
 * and writes `a[slot]` (a Map lookup per reference costs more than the rest of most references); names only known
 * at render time (#evaluate, macro parameters bound by name, extra bindings) go through get/set, which use the
 * same slots, or a map for names the template never mentions. Undefined means not set. Template names never
 * become JS property names: slots are numbers.
 */
export class Variables {
  readonly a: unknown[];
  readonly #slots: ReadonlyMap<string, number>;
  #others: Map<string, unknown> | null = null;

  constructor(slots: ReadonlyMap<string, number>) {
    this.#slots = slots;
    this.a = [];
    for (let i = 0; i < slots.size; i++) this.a.push(undefined);
  }

  get(name: string): unknown {
    const i = this.#slots.get(name);
    return i !== undefined ? this.a[i] : this.#others?.get(name);
  }

  set(name: string, value: unknown): void {
    const i = this.#slots.get(name);
    if (i !== undefined) this.a[i] = value;
    else if (value !== undefined || this.#others !== null) (this.#others ??= new Map()).set(name, value);
  }

  /** Unsets every variable (for reuse by the next render). */
  clear(): void {
    const a = this.a;
    for (let i = 0; i < a.length; i++) a[i] = undefined;
    this.#others = null;
  }
}

/** A compiled body, run with the variables of the render. */
export type RenderFn = (v: Variables, w: Writer, s: RenderState) => void;

export interface Macro { readonly params: readonly string[]; readonly fn: RenderFn }

/** A compiled template body plus the macros it defines (registered when it runs). */
export interface CompiledBody {
  readonly main: RenderFn;
  readonly macros: readonly (readonly [string, Macro])[];
  /** The variable slots the body's code uses (Variables); empty for #evaluate bodies, which use names. */
  readonly slots: ReadonlyMap<string, number>;
  /** Line and column of a position in this body's source (for #evaluate bodies, in the evaluated string). */
  readonly locate?: (pos: number) => { line: number; column: number };
}

export interface Limits {
  /** Iterations of one #foreach (API Gateway: 1,000). */
  readonly maxLoopIterations: number;
  /** Characters of output, and of any string a template builds. */
  readonly maxOutputLength: number;
  /** Time of one render, in milliseconds (checked as the render's estimated work grows, wherever it is spent). */
  readonly maxRenderMillis: number;
  /**
   * Memory one render may build, in units: a character of every string it makes (concatenations, interpolations,
   * method results, what it writes to the output), 16 per list element or map entry it adds.
   */
  readonly maxMemory: number;
  /** Macro calls nested in each other (Velocity's velocimacro.max.depth). */
  readonly maxMacroDepth: number;
  /** Elements of a range literal `[a..b]`. */
  readonly maxRangeSize: number;
  /** #evaluate compilations per render. */
  readonly maxEvaluations: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxLoopIterations: 1000,
  maxOutputLength: 10 * 1024 * 1024,
  maxRenderMillis: 1000,
  maxMemory: 64 * 1024 * 1024,
  maxMacroDepth: 20,
  maxRangeSize: 100_000,
  maxEvaluations: 100,
};

/**
 * The share of an inline render (on the server's event loop): estimated work units (about a nanosecond each),
 * memory units (as Limits.maxMemory) and wall time. A render that needs more is abandoned with SliceExhausted and
 * rendered again, from the same inputs, in the render pool with the full Limits.
 */
export interface Slice {
  readonly work: number;
  readonly memory: number;
  readonly millis: number;
}

export const DEFAULT_SLICE: Slice = { work: 2_000_000, memory: 4 * 1024 * 1024, millis: 2 };

/** Thrown when an inline render used up its slice (not an Error: nothing to report, no stack to capture). */
export class SliceExhausted {
  readonly reason: 'work' | 'memory' | 'time';
  constructor(reason: SliceExhausted['reason']) {
    this.reason = reason;
  }
}

/** Work units between two readings of the clock (about 20 µs of estimated work: a reading costs about 30 ns). */
const CLOCK_EVERY = 20_000;
/** Work units charged per loop iteration, macro call and method call. */
export const STEP_COST = 20;

/**
 * Per-render state: budgets, clock, macros and where to report errors. Every construct that repeats or costs more
 * than a constant (loop iterations, macro calls, #evaluate, method calls, regexes, JSON parsing and JSONPath,
 * building strings and collections) charges its estimated work (charge) and what it builds (alloc) here, so the
 * CPU and memory budgets hold wherever a template spends them, not only in loops.
 */
export class RenderState {
  readonly limits: Limits;
  readonly maxLoops: number;
  readonly macros = new Map<string, Macro>();
  readonly locate: (pos: number) => { line: number; column: number };
  readonly compileEvaluate: (source: string) => CompiledBody;
  private readonly now: () => number;
  /** Set at the first clock reading: smaller renders do bounded work and never read the clock. */
  private deadline: number = -1;
  /** Estimated work so far (units of about a nanosecond). */
  work = 0;
  private nextClock = CLOCK_EVERY;
  /** Memory built so far (see Limits.maxMemory). */
  memory = 0;
  private readonly workLimit: number;
  private readonly memoryLimit: number;
  private readonly millis: number;
  private readonly slice: boolean;
  depth = 0;
  /** Counts changes to lists and maps (add, put, #set($m.k = …)…), so that $input can tell its document is intact. */
  mutations = 0;
  evaluations = 0;
  /** Set when something that outlives the render (a #define block) holds the variables map. */
  variablesCaptured = false;
  /** Where positions of the code running now are reported (changes inside #evaluate). */
  locator: (pos: number) => { line: number; column: number };

  constructor(
    limits: Limits,
    now: () => number,
    locate: (pos: number) => { line: number; column: number },
    compileEvaluate: (source: string) => CompiledBody,
    slice: Slice | null = null,
  ) {
    this.limits = limits;
    this.maxLoops = limits.maxLoopIterations;
    this.now = now;
    this.locate = locate;
    this.locator = locate;
    this.compileEvaluate = compileEvaluate;
    this.slice = slice !== null;
    this.workLimit = slice === null ? Infinity : slice.work;
    this.memoryLimit = slice === null ? limits.maxMemory : Math.min(slice.memory, limits.maxMemory);
    this.millis = slice === null ? limits.maxRenderMillis : Math.min(slice.millis, limits.maxRenderMillis);
    // A slice is short: its clock starts now. A full render's starts at its first reading (small renders never read it).
    if (slice !== null) this.deadline = now() + this.millis;
  }

  /** Charges estimated work; reads the clock every CLOCK_EVERY units. Call before costly work, not after. */
  charge(units: number): void {
    if ((this.work += units) >= this.nextClock) this.checkClock();
  }

  /** Counts memory the template builds. */
  alloc(units: number): void {
    if ((this.memory += units) > this.memoryLimit) this.overMemory();
  }

  private checkClock(): void {
    this.nextClock = this.work + CLOCK_EVERY;
    if (this.work > this.workLimit) throw new SliceExhausted('work');
    const now = this.now();
    if (this.deadline < 0) this.deadline = now + this.millis;
    else if (now > this.deadline) {
      if (this.slice) throw new SliceExhausted('time');
      throw new VtlLimitError('time', `Template rendering exceeded its CPU budget of ${this.limits.maxRenderMillis} ms`);
    }
  }

  private overMemory(): never {
    if (this.slice && this.memory <= this.limits.maxMemory) throw new SliceExhausted('memory');
    throw new VtlLimitError('memory', `Template rendering exceeded its memory budget (${this.limits.maxMemory} units: characters of the strings it builds, list elements and map entries)`);
  }

  /** Called once per loop iteration (and macro call): output size, and a step of work. */
  tick(w: Writer): void {
    if (w.s.length > this.limits.maxOutputLength) throw outputLimit(this.limits);
    if ((this.work += STEP_COST) >= this.nextClock) this.checkClock();
  }

  fail(pos: number, e: unknown, what: string): never {
    if (e instanceof JavaException) {
      const { line, column } = this.locator(pos);
      throw new VtlRuntimeError(`Invocation of ${what} threw ${e.javaClass}: ${e.message.split('\n')[0]}`, line, column, 'MethodInvocationException');
    }
    throw e;
  }
}

function outputLimit(limits: Limits): VtlLimitError {
  return new VtlLimitError('output', `Template output exceeded ${limits.maxOutputLength} characters`);
}

function stringLimit(limits: Limits): VtlLimitError {
  return new VtlLimitError('output', `Template built a string of more than ${limits.maxOutputLength} characters`);
}

/** Thrown by #stop; the render returns what was written so far. */
export const STOP = new (class Stop {})();

/** The loop state `$foreach` (and `$foreach.parent` for nested loops). */
export class Foreach extends HostObject {
  index = 0;
  hasNext = false;
  readonly parent: Foreach | null;
  constructor(parent: unknown) {
    super();
    this.parent = parent instanceof Foreach ? parent : null;
  }
  vtlProperty(name: string): unknown {
    switch (name) {
      case 'index': return this.index;
      case 'count': return this.index + 1;
      case 'hasNext': return this.hasNext;
      case 'first': return this.index === 0;
      case 'last': return !this.hasNext;
      case 'parent': return this.parent;
      case 'topmost': {
        let f: Foreach = this;
        while (f.parent) f = f.parent;
        return f;
      }
      default: return NO_METHOD;
    }
  }
  vtlCall(name: string, args: readonly unknown[]): unknown {
    if (args.length) return NO_METHOD;
    switch (name) {
      case 'hasNext': case 'getHasNext': case 'isHasNext': return this.hasNext;
      case 'getIndex': return this.index;
      case 'getCount': return this.index + 1;
      case 'isFirst': case 'getFirst': return this.index === 0;
      case 'isLast': case 'getLast': return !this.hasNext;
      case 'getParent': return this.parent;
      default: return NO_METHOD;
    }
  }
  javaToString(): string {
    return 'org.apache.velocity.runtime.directive.ForeachScope';
  }
}

/** A `#define` block: renders its body, with the variables of the moment, wherever it is used. */
export class Block extends HostObject {
  private readonly fn: RenderFn;
  private readonly v: Variables;
  private readonly s: RenderState;
  constructor(fn: RenderFn, v: Variables, s: RenderState) {
    super();
    this.fn = fn;
    this.v = v;
    this.s = s;
    s.variablesCaptured = true;
  }
  vtlProperty(): unknown {
    return NO_METHOD;
  }
  vtlCall(name: string, args: readonly unknown[]): unknown {
    return name === 'toString' && args.length === 0 ? this.javaToString() : NO_METHOD;
  }
  javaToString(): string {
    const w: Writer = { s: '' };
    // A block may render itself: each rendering is a step, bounded by the budgets (and the stack).
    this.s.tick(w);
    this.fn(this.v, w, this.s);
    return w.s;
  }
}

// ---- rendering

/**
 * Text of a reference's value; `nullText` when it is null (the literal, or nothing for `$!` and in AWS mode).
 * What it writes counts against the memory budget (a template that writes a large value many times builds it).
 */
export function out(s: RenderState, v: unknown, nullText: string): string {
  if (v === null || v === undefined) return nullText;
  let str: string;
  if (typeof v === 'string') str = v;
  else {
    str = javaToString(v);
    s.charge(str.length);
  }
  s.alloc(str.length);
  return str;
}

/** A string built by the template (interpolation, concatenation, method results): counted, within the limit. */
export function lim(s: RenderState, str: string): string {
  if (str.length > s.limits.maxOutputLength) throw stringLimit(s.limits);
  s.alloc(str.length);
  return str;
}

/** Velocity's truth: null and false are false, anything else is true (for references). */
export function truthy(v: unknown): boolean {
  return v !== null && v !== undefined && v !== false;
}

// ---- members

/** `$x.name`: Velocity tries getName(), then get("name") on maps, then isName(). */
export function prop(x: unknown, name: string): unknown {
  if (x === null || x === undefined) return null;
  if (x instanceof Map) return x.get(name) ?? null;
  if (x instanceof HostObject) {
    const r = x.vtlProperty(name);
    return r === NO_METHOD ? null : r ?? null;
  }
  if (name === 'empty') {
    if (typeof x === 'string' || Array.isArray(x)) return x.length === 0;
    return null;
  }
  if (x instanceof MapEntry) return name === 'key' ? x.key ?? null : name === 'value' ? x.value ?? null : null;
  if ((x instanceof JavaDouble || x instanceof JavaFloat) && (name === 'naN' || name === 'infinite')) {
    return name === 'naN' ? Number.isNaN(x.value) : x.value === Infinity || x.value === -Infinity;
  }
  return null;
}

/** Methods that change a list or map (counted, so that $input knows its parsed document is intact). */
const MUTATORS = new Set(['add', 'addAll', 'set', 'remove', 'clear', 'put', 'putAll', 'putIfAbsent', 'setValue']);
/** Collection methods that take constant time (the others scan or copy the collection). */
const CONSTANT_TIME = new Set(['size', 'isEmpty', 'get', 'getOrDefault', 'containsKey', 'put', 'putIfAbsent', 'set', 'getKey', 'getValue', 'setValue']);
/** String methods whose result shares the receiver's characters (views, not new strings). */
const VIEWS = new Set(['toString', 'intern', 'substring', 'trim', 'charAt']);
/** String methods that run a regex over the receiver. */
const REGEX_METHODS = new Set(['matches', 'replaceAll', 'replaceFirst', 'split']);

/** Work and memory of a method call on a string: linear in the receiver (times the pattern's cost for regexes). */
function chargeString(s: RenderState, x: string, name: string, args: readonly unknown[]): void {
  const a0 = args[0];
  s.charge(STEP_COST + (REGEX_METHODS.has(name) && typeof a0 === 'string' ? regexCost(x, a0) : x.length * 2));
}

/** The method of `x` named `name`; strings and host objects ($util, $input…) first, the most frequent receivers. */
function invoke(s: RenderState, x: unknown, name: string, args: readonly unknown[]): unknown {
  if (typeof x === 'string') {
    chargeString(s, x, name, args);
    const r = stringMethod(x, name, args);
    if (typeof r === 'string' && r !== x && !VIEWS.has(name)) s.alloc(r.length);
    else if (Array.isArray(r)) s.alloc(x.length + 8 * r.length); // split
    return r;
  }
  if (x instanceof HostObject) {
    // $util's functions and $input's are linear in their string argument (JSON work is charged by $input).
    const a0 = args[0];
    s.charge(STEP_COST + (typeof a0 === 'string' ? a0.length * 4 : 0));
    const r = x.vtlCall(name, args);
    if (typeof r === 'string') s.alloc(r.length);
    else if (r !== null && typeof r === 'object' && typeof a0 === 'string') s.alloc(a0.length * 2); // parseJson
    return r;
  }
  if (Array.isArray(x)) {
    s.charge(CONSTANT_TIME.has(name) ? STEP_COST : STEP_COST + x.length * 4);
    if (MUTATORS.has(name)) {
      s.mutations++;
      const a0 = args[0];
      s.alloc(name === 'addAll' && Array.isArray(a0) ? 16 * a0.length : 16);
      if (name === 'addAll' && Array.isArray(a0)) s.charge(a0.length * 4);
    }
    const r = listMethod(x, name, args);
    if (typeof r === 'string') s.alloc(r.length);
    else if (Array.isArray(r)) s.alloc(8 * r.length); // subList
    return r;
  }
  if (x instanceof Map) {
    s.charge(CONSTANT_TIME.has(name) ? STEP_COST : STEP_COST + x.size * 8);
    if (MUTATORS.has(name)) {
      s.mutations++;
      const a0 = args[0];
      s.alloc(name === 'putAll' && a0 instanceof Map ? 16 * a0.size : 16);
      if (name === 'putAll' && a0 instanceof Map) s.charge(a0.size * 8);
    }
    const r = mapMethod(x, name, args);
    if (typeof r === 'string') s.alloc(r.length);
    else if (Array.isArray(r)) s.alloc(8 * r.length); // keySet, values, entrySet
    return r;
  }
  if (x instanceof MapEntry) {
    if (MUTATORS.has(name)) s.mutations++;
    return entryMethod(x, name, args);
  }
  if (isJavaNumber(x)) return numberMethod(x, name, args);
  if (typeof x === 'boolean') return booleanMethod(x, name, args);
  return NO_METHOD;
}

/** `$x.name(args)`: an allow-listed method, or null when there is none (as Velocity renders unknown methods). */
export function call(s: RenderState, x: unknown, name: string, args: unknown[], pos: number): unknown {
  if (x === null || x === undefined) return null;
  let r: unknown;
  try {
    r = invoke(s, x, name, args);
  } catch (e) {
    if (e instanceof SliceExhausted) throw e;
    s.fail(pos, e, `method '${name}'`);
  }
  if (r === NO_METHOD || r === undefined) return null;
  if (typeof r === 'string' && r.length > s.limits.maxOutputLength) throw stringLimit(s.limits);
  return r;
}

/** `$x[key]`: list element, map entry, or a get(key) method. */
export function index(s: RenderState, x: unknown, key: unknown, pos: number): unknown {
  if (x === null || x === undefined) return null;
  if (Array.isArray(x)) {
    if (x instanceof JavaCollection || typeof key !== 'number' || !Number.isInteger(key)) return null;
    if (key < 0 || key >= x.length) {
      const { line, column } = s.locator(pos);
      throw new VtlRuntimeError(`Index ${key} out of bounds for length ${x.length}`, line, column, 'VelocityException');
    }
    return x[key] ?? null;
  }
  if (x instanceof Map) return x.get(key ?? null) ?? null;
  return call(s, x, 'get', [key], pos);
}

/** `#set($x.name = value)`: Map.put, the only property assignment templates can make. */
export function setProp(s: RenderState, x: unknown, name: string, value: unknown, pos: number): void {
  s.mutations++;
  s.alloc(16);
  if (x instanceof Map) {
    try {
      x.set(name, value);
    } catch (e) {
      s.fail(pos, e, `#set of '${name}'`);
    }
  }
  else if (x instanceof MapEntry && name === 'value') {
    x.value = value;
    x.map.set(x.key, value);
  }
}

/** `#set($x[key] = value)`: List.set or Map.put. */
export function setIndex(s: RenderState, x: unknown, key: unknown, value: unknown, pos: number): void {
  s.mutations++;
  s.alloc(16);
  if (Array.isArray(x)) call(s, x, 'set', [key, value], pos);
  else if (x instanceof Map) x.set(key ?? null, value);
}

/** What #foreach iterates: a list, a map's values (copied: work and memory), or nothing. */
export function iter(s: RenderState, x: unknown): readonly unknown[] | null {
  if (Array.isArray(x)) return x;
  if (x instanceof Map) {
    s.charge(x.size * 4);
    s.alloc(x.size * 8);
    return [...x.values()];
  }
  return null;
}

// ---- operators

/** `+ - * / %`. A string on either side of `+` concatenates (a null side contributes its literal text). */
export function arith(
  s: RenderState, op: '+' | '-' | '*' | '/' | '%', a: unknown, b: unknown, litA: string, litB: string,
): unknown {
  if (op === '+' && (typeof a === 'string' || typeof b === 'string')) {
    const left = a === null || a === undefined ? litA : javaToString(a);
    const right = b === null || b === undefined ? litB : javaToString(b);
    return lim(s, left + right);
  }
  if (!isJavaNumber(a) || !isJavaNumber(b)) return null;
  return arithmetic(op, a, b);
}

/** `==` as Velocity 1.7: null equals null, numbers by value, same kinds by equals(), else by toString(). */
export function eq(s: RenderState, a: unknown, b: unknown): boolean {
  const an = a === null || a === undefined;
  const bn = b === null || b === undefined;
  if (an || bn) return an && bn;
  if (isJavaNumber(a) && isJavaNumber(b)) return compareNumbers(a, b) === 0;
  if (typeof a === 'string' && typeof b === 'string') return a === b;
  // Collections compare (or print) element by element.
  s.charge(STEP_COST + sizeOf(a) + sizeOf(b));
  if (sameKind(a, b)) return javaEquals(a, b);
  return javaToString(a) === javaToString(b);
}

function sizeOf(x: unknown): number {
  return Array.isArray(x) || typeof x === 'string' ? x.length : x instanceof Map ? x.size * 8 : 0;
}

function sameKind(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || typeof b !== 'object') return typeof a === typeof b;
  if (Array.isArray(a)) return Array.isArray(b);
  if (a instanceof Map) return b instanceof Map;
  return a!.constructor === b!.constructor;
}

/** `< > <= >=`: numbers only; anything else is false. */
export function rel(op: '<' | '>' | '<=' | '>=', a: unknown, b: unknown): boolean {
  if (!isJavaNumber(a) || !isJavaNumber(b)) return false;
  const c = compareNumbers(a, b);
  switch (op) {
    case '<': return c < 0;
    case '>': return c > 0;
    case '<=': return c <= 0;
    case '>=': return c >= 0;
  }
}

/** `[a..b]`: the integers from a to b, either direction. */
export function range(s: RenderState, a: unknown, b: unknown, pos: number): unknown[] | null {
  const from = toRangeBound(a);
  const to = toRangeBound(b);
  if (from === null || to === null) return null;
  const size = Math.abs(to - from) + 1;
  if (size > s.limits.maxRangeSize) {
    const { line, column } = s.locator(pos);
    throw new VtlLimitError('range', `Range of ${size} elements exceeds ${s.limits.maxRangeSize} at line ${line}, column ${column}`);
  }
  s.charge(size * 2);
  s.alloc(size * 8);
  const out: number[] = new Array(size);
  const step = from <= to ? 1 : -1;
  for (let i = 0, x = from; i < size; i++, x += step) out[i] = x;
  return out;
}

function toRangeBound(v: unknown): number | null {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  if (v instanceof JavaDouble) return Math.trunc(v.value);
  return null;
}

export function mapOf(s: RenderState, kv: unknown[]): Map<unknown, unknown> {
  s.alloc(kv.length * 8);
  const m = new Map<unknown, unknown>();
  for (let i = 0; i < kv.length; i += 2) m.set(kv[i] ?? null, kv[i + 1] ?? null);
  return m;
}

// ---- macros and #evaluate

/** `#name(args)`: runs the macro with its parameters bound, or writes the call as text when there is none. */
export function macro(
  s: RenderState, v: Variables, w: Writer, name: string, args: unknown[], literal: string, pos: number,
): void {
  const m = s.macros.get(name);
  if (!m) {
    w.s += literal;
    return;
  }
  s.tick(w);
  if (s.depth >= s.limits.maxMacroDepth) {
    const { line, column } = s.locator(pos);
    throw new VtlLimitError('depth', `Macro #${name} nested deeper than ${s.limits.maxMacroDepth} at line ${line}, column ${column}`);
  }
  const saved: unknown[] = [];
  for (let i = 0; i < m.params.length; i++) {
    const p = m.params[i]!;
    saved.push(v.get(p));
    v.set(p, args[i] ?? undefined);
  }
  s.depth++;
  try {
    m.fn(v, w, s);
  } finally {
    s.depth--;
    for (let i = 0; i < m.params.length; i++) {
      v.set(m.params[i]!, saved[i]);
    }
  }
}

/** `#evaluate(string)`: compiles (cached) and runs a template from a string, with the same variables. */
export function evaluate(s: RenderState, v: Variables, w: Writer, source: unknown, pos: number): void {
  if (source === null || source === undefined) return;
  const text = typeof source === 'string' ? source : javaToString(source);
  if (++s.evaluations > s.limits.maxEvaluations) {
    throw new VtlLimitError('evaluate', `More than ${s.limits.maxEvaluations} #evaluate calls in one render`);
  }
  s.tick(w);
  s.charge(text.length * 50); // lexing, parsing and generating code
  let body: CompiledBody;
  try {
    body = s.compileEvaluate(text);
  } catch (e) {
    const { line, column } = s.locator(pos);
    throw new VtlRuntimeError(`#evaluate: ${(e as Error).message}`, line, column, 'ParseErrorException');
  }
  for (const [name, m] of body.macros) s.macros.set(name, m);
  const outer = s.locator;
  if (body.locate) s.locator = body.locate;
  try {
    body.main(v, w, s);
  } finally {
    s.locator = outer;
  }
}

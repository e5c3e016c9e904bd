// The generic evaluator: walks the token chain as Jayway 2.0.0's PathToken classes do, including where
// PathNotFoundException escapes (a missing leaf aborts the whole read unless a wildcard over an array catches it).

import { JsonPathError, PATH_NOT_FOUND, invalidPath } from './errors.ts';
import type { JavaValue } from './json.ts';
import { JavaPattern } from './java-regex.ts';
import { javaToString, safeCompare, VALUE_COMPARE } from './java-values.ts';
import type { Criterion, FilterNode, Operand, PathToken, TokenChain } from './tokens.ts';

interface Context {
  readonly chain: TokenChain;
  readonly root: JavaValue;
  readonly results: JavaValue[];
  /** Option.REQUIRE_PROPERTIES, which Jayway sets only for existence checks in filters. */
  readonly requireProperties: boolean;
  /** Values of `$…` paths inside filters, evaluated once per read (Jayway's documentEvalCache). */
  readonly rootPathCache: Map<TokenChain, JavaValue>;
}

/** Runs a chain; returns the result list. Throws PATH_NOT_FOUND or a JsonPathError as Jayway would throw. */
export function collect(
  chain: TokenChain,
  doc: JavaValue,
  root: JavaValue,
  requireProperties = false,
  rootPathCache: Map<TokenChain, JavaValue> = new Map(),
): JavaValue[] {
  const ctx: Context = { chain, root, results: [], requireProperties, rootPathCache };
  evaluate(0, doc, ctx);
  return ctx.results;
}

/** Jayway's getValue(): a definite chain yields its single result or PathNotFound, an indefinite one the list. */
export function valueOf(chain: TokenChain, results: JavaValue[]): JavaValue {
  if (!chain.definite) return results;
  if (results.length === 0) throw PATH_NOT_FOUND;
  return results[0]!;
}

function isMap(v: JavaValue): v is Map<string, JavaValue> {
  return v instanceof Map;
}

function evaluate(i: number, model: JavaValue, ctx: Context): void {
  const token = ctx.chain.tokens[i]!;
  switch (token.kind) {
    case 'root':
      next(i, model, ctx);
      return;
    case 'property':
      if (!isMap(model)) throw PATH_NOT_FOUND;
      objectProperty(i, model, token.names, ctx);
      return;
    case 'wildcard':
      if (isMap(model)) {
        for (const key of model.keys()) objectProperty(i, model, [key], ctx);
      } else if (Array.isArray(model)) {
        for (let k = 0; k < model.length; k++) {
          try {
            arrayIndex(i, model, k, ctx);
          } catch (e) {
            if (e !== PATH_NOT_FOUND || ctx.requireProperties) throw e;
          }
        }
      }
      return;
    case 'scan':
      walk(i + 1, model, ctx);
      return;
    case 'array':
      arrayOperation(i, token, model, ctx);
      return;
    case 'filter':
      if (isMap(model)) {
        if (accept(token.predicates, model, ctx)) next(i, model, ctx);
      } else if (Array.isArray(model)) {
        for (let k = 0; k < model.length; k++) if (accept(token.predicates, model[k]!, ctx)) arrayIndex(i, model, k, ctx);
      } else {
        throw invalidPath(`Filter: [?] can not be applied to primitives. Current context is: ${javaToString(model)}`);
      }
      return;
  }
}

/** Hands `value` to the next token, or records it when token i is the leaf. */
function next(i: number, value: JavaValue, ctx: Context): void {
  if (i === ctx.chain.tokens.length - 1) ctx.results.push(value);
  else evaluate(i + 1, value, ctx);
}

function objectProperty(i: number, model: Map<string, JavaValue>, names: readonly string[], ctx: Context): void {
  const leaf = i === ctx.chain.tokens.length - 1;
  if (names.length === 1) {
    const value = model.get(names[0]!);
    if (value === undefined) {
      if (leaf) throw PATH_NOT_FOUND;
      if (!ctx.chain.upstreamDefinite[i] && !ctx.requireProperties) return;
      throw PATH_NOT_FOUND;
    }
    next(i, value, ctx);
    return;
  }
  if (!leaf) throw invalidPath(`Multi properties can only be used as path leafs: ['${names.join("', '")}']`);
  const merged = new Map<string, JavaValue>();
  for (const name of names) {
    const value = model.get(name);
    if (value !== undefined) merged.set(name, value);
    else if (ctx.requireProperties) throw PATH_NOT_FOUND;
  }
  ctx.results.push(merged);
}

function arrayIndex(i: number, model: JavaValue[], index: number, ctx: Context): void {
  if (index < 0 || index >= model.length) throw PATH_NOT_FOUND; // IndexOutOfBoundsException → PathNotFound
  next(i, model[index]!, ctx);
}

function arrayOperation(i: number, token: Extract<PathToken, { kind: 'array' }>, model: JavaValue, ctx: Context): void {
  if (model === null) throw PATH_NOT_FOUND;
  if (!Array.isArray(model)) {
    throw invalidPath(`Filter: [${token.numbers.join(',')}] can only be applied to arrays. Current context is: ${javaToString(model)}`);
  }
  const n = token.numbers;
  const length = model.length;
  switch (token.op) {
    case 'index':
      arrayIndex(i, model, n[0]!, ctx);
      return;
    case 'indexes':
      for (const k of n) arrayIndex(i, model, k, ctx);
      return;
    case 'fromEnd':
      arrayIndex(i, model, length + n[0]!, ctx);
      return;
    case 'sliceFrom': {
      const from = Math.max(0, n[0]! < 0 ? n[0]! + length : n[0]!);
      for (let k = from; k < length; k++) arrayIndex(i, model, k, ctx);
      return;
    }
    case 'sliceTo': {
      if (length === 0) return;
      const to = Math.min(length, n[0]! < 0 ? n[0]! + length : n[0]!);
      for (let k = 0; k < to; k++) arrayIndex(i, model, k, ctx);
      return;
    }
    case 'sliceBetween': {
      const to = Math.min(length, n[1]!);
      if (n[0]! >= to || length === 0) return;
      for (let k = n[0]!; k < to; k++) arrayIndex(i, model, k, ctx); // a negative start is out of bounds
      return;
    }
    case 'none':
      throw new JsonPathError('NullPointerException', 'array operation is null');
  }
}

// ---- deep scan (`..`): visits every map and list, applying the next token where its kind matches ----

function walk(target: number, model: JavaValue, ctx: Context): void {
  if (isMap(model)) {
    if (scanMatches(target, model, ctx)) evaluate(target, model, ctx);
    for (const value of model.values()) walk(target, value, ctx);
  } else if (Array.isArray(model)) {
    if (scanMatches(target, model, ctx)) {
      // Jayway 2.0.0 hands the elements to the token after the target (so `..[0].a` acts as `..[*].a`).
      if (target === ctx.chain.tokens.length - 1) evaluate(target, model, ctx);
      else for (const element of model) evaluate(target + 1, element, ctx);
    }
    for (const element of model) walk(target, element, ctx);
  }
}

function scanMatches(target: number, model: JavaValue, ctx: Context): boolean {
  const token = ctx.chain.tokens[target]!;
  switch (token.kind) {
    case 'property':
      return isMap(model) && token.names.every((name) => model.has(name));
    case 'array':
      return Array.isArray(model);
    case 'wildcard':
      return true;
    case 'filter':
      return accept(token.predicates, model, ctx);
    default:
      return false;
  }
}

// ---- filters ----

function accept(predicates: readonly (FilterNode | null)[], item: JavaValue, ctx: Context): boolean {
  for (const p of predicates) {
    if (p === null) throw new JsonPathError('NullPointerException', 'predicate is null');
    if (!applyNode(p, item, ctx)) return false;
  }
  return true;
}

function applyNode(node: FilterNode | Criterion, item: JavaValue, ctx: Context): boolean {
  switch (node.kind) {
    case 'single':
      return applyNode(node.criterion, item, ctx);
    case 'and':
      for (const c of node.items) if (!applyNode(c, item, ctx)) return false;
      return true;
    case 'or':
      return applyNode(node.left, item, ctx) || applyNode(node.right, item, ctx);
    case 'exists':
      try {
        // Jayway evaluates existence paths against the item even when they start with `$`.
        const value = valueOf(node.path, collect(node.path, item, ctx.root, true, ctx.rootPathCache));
        return node.exists ? value !== null : value === null;
      } catch (e) {
        if (e === PATH_NOT_FOUND) return !node.exists;
        throw e;
      }
    case 'compare':
      try {
        const left = operandValue(node.left, item, ctx);
        const right = operandValue(node.right, item, ctx);
        return compare(node.op, right, left);
      } catch (e) {
        if (e === PATH_NOT_FOUND || e === VALUE_COMPARE) return false;
        throw e;
      }
  }
}

function operandValue(operand: Operand, item: JavaValue, ctx: Context): JavaValue | JavaPattern {
  if (operand.kind === 'literal') return operand.value;
  if (operand.kind === 'pattern') return operand.pattern;
  const path = operand.path;
  if (!path.rootPath) {
    if (operand.fast === undefined) return valueOf(path, collect(path, item, ctx.root, false, ctx.rootPathCache));
    const value = operand.fast(item);
    if (value === undefined) throw PATH_NOT_FOUND;
    return value;
  }
  const cached = ctx.rootPathCache.get(path);
  if (cached !== undefined) return cached;
  const value = valueOf(path, collect(path, ctx.root, ctx.root, false, ctx.rootPathCache));
  ctx.rootPathCache.set(path, value);
  return value;
}

/** CriteriaType.eval(expected = right operand, model = left operand). */
function compare(op: string, expected: JavaValue | JavaPattern, model: JavaValue | JavaPattern): boolean {
  switch (op) {
    case '==':
      return safeCompare(expected, model) === 0;
    case '!=':
      return safeCompare(expected, model) !== 0;
    case '=~': {
      let pattern: unknown = expected;
      let target: unknown = model;
      if (model instanceof JavaPattern) {
        pattern = model;
        target = expected;
      }
      if (target === null) return false;
      if (pattern === null) throw new JsonPathError('NullPointerException', 'pattern is null');
      if (!(pattern instanceof JavaPattern)) {
        throw new JsonPathError('ClassCastException', 'value cannot be cast to class java.util.regex.Pattern');
      }
      return pattern.matches(target instanceof JavaPattern ? target.source : javaToString(target as JavaValue));
    }
  }
  if ((expected === null) !== (model === null)) return false;
  const c = safeCompare(expected, model);
  switch (op) {
    case '>':
      return c < 0;
    case '>=':
      return c <= 0;
    case '<':
      return c > 0;
    default: // '<='
      return c >= 0;
  }
}

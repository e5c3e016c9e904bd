// JSONPath as API Gateway evaluates it for `$input.path`, `$input.json` and body parameter mappings: Jayway JsonPath
// semantics, reproduced from the version our oracle runs (2.0.0, Debian's libjsonpath-java). Paths are compiled
// once per expression string and cached; simple definite paths get a straight-line evaluator.
//
// Results: a definite path returns its value; an indefinite one its list of values. `undefined` means Jayway threw
// PathNotFoundException, which can also happen for indefinite paths (e.g. `$.*.a` when one member lacks `a`).
// Evaluation failures Jayway raises as other exceptions (an index applied to an object, a bare literal compared
// with a number) throw JsonPathError.
//
// Jayway 2.0.0's language is smaller than later versions': filters know == != < <= > >= =~, &&, || (folded from the
// right, no precedence), existence `@.x` / `!@.x`, `$` and `@` paths; there are no `in`/`nin`/`size`/`empty`/
// `subsetof`/`anyof`/`noneof` operators and no functions (`$.a.length()` reads a property named `length()`), quoted
// names have no escapes and `[-1]` is not found (use `[-1:]` or `[(@.length-1)]`). We reproduce that, quirks
// included, because the oracle and the golden corpus (test/jsonpath/golden) are that version.

import { JsonPathError, PATH_NOT_FOUND } from './errors.ts';
import { collect, valueOf } from './evaluate.ts';
import { fastEvaluator } from './fast-path.ts';
import type { JavaValue } from './json.ts';
import { compileChain } from './path-compiler.ts';
import type { TokenChain } from './tokens.ts';

export { JsonPathError } from './errors.ts';

export interface CompiledPath {
  /** Jayway's isDefinite(): no wildcard, deep scan, filter, slice or index list. */
  readonly definite: boolean;
  /** The value (definite), the list of values (indefinite), or `undefined` when Jayway reports the path not found. */
  evaluate(doc: JavaValue): JavaValue | undefined;
}

class GenericPath implements CompiledPath {
  readonly definite: boolean;
  readonly #chain: TokenChain;
  constructor(chain: TokenChain) {
    this.#chain = chain;
    this.definite = chain.definite;
  }
  evaluate(doc: JavaValue): JavaValue | undefined {
    try {
      return valueOf(this.#chain, collect(this.#chain, doc, doc));
    } catch (e) {
      if (e === PATH_NOT_FOUND) return undefined;
      throw e;
    }
  }
}

class FastPath implements CompiledPath {
  readonly definite = true;
  readonly evaluate: (doc: JavaValue) => JavaValue | undefined;
  constructor(evaluate: (doc: JavaValue) => JavaValue | undefined) {
    this.evaluate = evaluate;
  }
}

// Expressions come from deployed configuration, not requests, but the cache is bounded all the same.
const CACHE_LIMIT = 10_000;
const cache = new Map<string, CompiledPath>();

/** Compiles (or fetches from the cache) a JSONPath expression. Throws JsonPathError on invalid syntax. */
export function compileJsonPath(expr: string): CompiledPath {
  const hit = cache.get(expr);
  if (hit !== undefined) return hit;
  if (expr.length === 0) throw new JsonPathError('IllegalArgumentException', 'json can not be null or empty');
  const chain = compileChain(expr);
  const fast = fastEvaluator(chain);
  const compiled = fast ? new FastPath(fast) : new GenericPath(chain);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(expr, compiled);
  return compiled;
}

/**
 * The JSONPath of a body mapping expression, given the part after `method.request.body.` or
 * `integration.response.body.` (e.g. `a.b` or `items[0].id`): evaluated as `$.a.b` on the body.
 */
export function compileMappingPath(expr: string): CompiledPath {
  if (expr.length === 0) throw new JsonPathError('IllegalArgumentException', 'empty body mapping expression');
  return compileJsonPath(expr.startsWith('[') ? `$${expr}` : `$.${expr}`);
}

// The compiled form of a path: Jayway 2.0.0's token chain, kept as an array (token i's successor is i + 1).

import type { JavaPattern } from './java-regex.ts';
import type { JavaValue } from './json.ts';

export type ArrayOperation = 'index' | 'indexes' | 'sliceFrom' | 'sliceTo' | 'sliceBetween' | 'fromEnd' | 'none';

export type PathToken =
  | { readonly kind: 'root' }
  | { readonly kind: 'property'; readonly names: readonly string[] }
  | { readonly kind: 'wildcard' }
  | { readonly kind: 'scan' }
  | { readonly kind: 'array'; readonly op: ArrayOperation; readonly numbers: readonly number[] }
  /** `[?(…)]`; a `null` predicate is a `[?]` placeholder for a programmatic filter, which this API never supplies. */
  | { readonly kind: 'filter'; readonly predicates: readonly (FilterNode | null)[] };

export interface TokenChain {
  readonly tokens: readonly PathToken[];
  /** Jayway's isRootPath: the expression started with `$` (not `@`). */
  readonly rootPath: boolean;
  readonly definite: boolean;
  /** Jayway's isUpstreamDefinite() per token (it actually looks at the previous token and everything after it). */
  readonly upstreamDefinite: readonly boolean[];
}

/** One operand of a comparison: a path to evaluate, a string (quoted or not: Jayway keeps bare literals as text) or a regex. */
export type Operand =
  | {
      readonly kind: 'path';
      readonly path: TokenChain;
      /** Straight-line evaluator when the path allows one (`undefined` result = not found). */
      readonly fast: ((doc: JavaValue) => JavaValue | undefined) | undefined;
    }
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'pattern'; readonly pattern: JavaPattern };

export type CompareOperator = '==' | '!=' | '<' | '<=' | '>' | '>=' | '=~';

export type Criterion =
  | { readonly kind: 'exists'; readonly path: TokenChain; readonly exists: boolean }
  | { readonly kind: 'compare'; readonly left: Operand; readonly op: CompareOperator; readonly right: Operand };

/** Jayway's Filter tree: SingleFilter, AndFilter (a list) and OrFilter (left, right). */
export type FilterNode =
  | { readonly kind: 'single'; readonly criterion: Criterion }
  | { readonly kind: 'and'; readonly items: readonly (FilterNode | Criterion)[] }
  | { readonly kind: 'or'; readonly left: FilterNode | Criterion; readonly right: FilterNode | Criterion };

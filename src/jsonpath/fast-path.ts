// Straight-line evaluators for the paths templates use most (`$.a.b`, `$['a']`, `$.a[0]`): definite chains of
// single-name properties and non-negative indexes. Same answers as the generic evaluator without its exception
// flow: in a definite chain any miss means "not found", so each step just returns `undefined`.

import { invalidPath } from './errors.ts';
import type { JavaValue } from './json.ts';
import { javaToString } from './java-values.ts';
import type { TokenChain } from './tokens.ts';

type Step = string | number; // property name or array index

export type FastEvaluator = (doc: JavaValue) => JavaValue | undefined;

/** A straight-line evaluator for `chain`, or `undefined` when the chain needs the generic evaluator. */
export function fastEvaluator(chain: TokenChain): FastEvaluator | undefined {
  if (!chain.definite) return undefined;
  const steps: Step[] = [];
  for (const t of chain.tokens.slice(1)) {
    if (t.kind === 'property' && t.names.length === 1) steps.push(t.names[0]!);
    else if (t.kind === 'array' && t.op === 'index') steps.push(t.numbers[0]!);
    else return undefined;
  }
  if (steps.every((s) => typeof s === 'string')) {
    const names = steps as string[];
    const [a, b, c] = names;
    switch (names.length) {
      case 0:
        return (doc) => doc;
      case 1:
        return (doc) => (doc instanceof Map ? doc.get(a!) : undefined);
      case 2:
        return (doc) => {
          if (!(doc instanceof Map)) return undefined;
          const v = doc.get(a!);
          return v instanceof Map ? v.get(b!) : undefined;
        };
      case 3:
        return (doc) => {
          if (!(doc instanceof Map)) return undefined;
          const v = doc.get(a!);
          if (!(v instanceof Map)) return undefined;
          const w = v.get(b!);
          return w instanceof Map ? w.get(c!) : undefined;
        };
    }
  }
  return (doc) => {
    let v: JavaValue | undefined = doc;
    for (let k = 0; k < steps.length; k++) {
      const s = steps[k]!;
      if (typeof s === 'string') {
        if (!(v instanceof Map)) return undefined;
        v = v.get(s);
        if (v === undefined) return undefined;
      } else {
        if (v === null) return undefined;
        if (!Array.isArray(v)) {
          throw invalidPath(`Filter: [${s}] can only be applied to arrays. Current context is: ${javaToString(v)}`);
        }
        if (s < 0 || s >= v.length) return undefined;
        v = v[s]!;
      }
    }
    return v;
  };
}

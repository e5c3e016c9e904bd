// `[?(…)]` text → filter tree, as Jayway 2.0.0's Filter.parse and Criteria.parse do it: the text is split at every
// `&&` / `||` (even inside quotes), each piece is one criterion `left OP right` (the first operator found, in the
// order == >= <= != < > =~), and the pieces are folded from the right without precedence.

import { invalidPath, JsonPathError } from './errors.ts';
import { JavaPattern } from './java-regex.ts';
import { javaTrim } from './java-values.ts';
import { fastEvaluator } from './fast-path.ts';
import { compileChain } from './path-compiler.ts';
import type { CompareOperator, Criterion, FilterNode, Operand, TokenChain } from './tokens.ts';

export function parseFilter(text: string): FilterNode {
  let f = javaTrim(text);
  if (!f.startsWith('[') || !f.endsWith(']')) throw invalidPath(`Filter must start with '[' and end with ']'. ${f}`);
  f = javaTrim(f.slice(1, -1));
  if (!f.startsWith('?')) throw invalidPath(`Filter must start with '[?' and end with ']'. ${f}`);
  f = javaTrim(f.slice(1));
  if (!f.startsWith('(') || !f.endsWith(')')) throw invalidPath(`Filter must start with '[?(' and end with ')]'. ${f}`);
  f = javaTrim(f.slice(1, -1));

  const operators: string[] = [];
  const criteria: Criterion[] = [];
  for (const piece of splitAtLogicalOperators(f)) {
    const exp = javaTrim(piece);
    if (exp === '&&' || exp === '||') operators.push(exp);
    else criteria.push(parseCriterion(cleanCriterion(exp)));
  }
  const pop = (): Criterion => {
    const c = criteria.pop();
    if (c === undefined) throw invalidPath('java.util.EmptyStackException');
    return c;
  };
  let root: FilterNode = { kind: 'single', criterion: pop() };
  for (let op = operators.pop(); op !== undefined; op = operators.pop()) {
    if (op === '&&') root = and(root, pop());
    else {
      if (criteria.length === 0) throw invalidPath(`Invalid operators ${f}`);
      root = { kind: 'or', left: root, right: pop() };
    }
  }
  if (criteria.length > 0) throw invalidPath(`Invalid operators ${f}`);
  return root;
}

/** Filter.and: an AndFilter grows, an OrFilter binds the new criterion to its right side. */
function and(node: FilterNode, c: Criterion): FilterNode {
  if (node.kind === 'and') return { kind: 'and', items: [...node.items, c] };
  if (node.kind === 'or') return { kind: 'or', left: node.left, right: { kind: 'and', items: [node.right, c] } };
  return { kind: 'and', items: [node, c] };
}

/** String.split on `(?<=&&|\|\|)|(?=&&|\|\|)`: cut before and after every `&&` and `||`. */
function splitAtLogicalOperators(s: string): string[] {
  const isOp = (k: number) => {
    const two = s.slice(k, k + 2);
    return two === '&&' || two === '||';
  };
  const pieces: string[] = [];
  let from = 0;
  for (let p = 1; p < s.length; p++) {
    if ((p >= 2 && isOp(p - 2)) || isOp(p)) {
      pieces.push(s.slice(from, p));
      from = p;
    }
  }
  pieces.push(s.slice(from));
  return pieces;
}

/** Strips leading `[ ? ( space` and trailing `) space` characters (grouping parentheses vanish this way). */
function cleanCriterion(s: string): string {
  let begin = 0;
  let end = s.length - 1;
  const at = (k: number) => {
    if (k < 0 || k >= s.length) throw invalidPath(`java.lang.StringIndexOutOfBoundsException: index ${k}`);
    return s[k]!;
  };
  for (let c = at(begin); c === '[' || c === '?' || c === '(' || c === ' '; c = at(++begin));
  for (let c = at(end); c === ')' || c === ' '; c = at(--end));
  if (begin > end + 1) throw invalidPath(`java.lang.StringIndexOutOfBoundsException: begin ${begin}, end ${end + 1}`);
  return s.slice(begin, end + 1);
}

const OPERATORS: readonly CompareOperator[] = ['==', '>=', '<=', '!=', '<', '>', '=~'];

function parseCriterion(text: string): Criterion {
  let left = text;
  let operator = '';
  let right = '';
  for (const op of OPERATORS) {
    const at = text.indexOf(op);
    if (at !== -1) {
      operator = op;
      left = javaTrim(text.slice(0, at));
      right = javaTrim(text.slice(at + op.length));
      break;
    }
  }
  if (operator === '') left = javaTrim(text);

  let leftOperand: Operand;
  let exists = true;
  if (isPath(left)) {
    if (left[0] === '!') {
      exists = false;
      left = left.slice(1);
    }
    leftOperand = pathOperand(definitePath(left));
  } else leftOperand = literalOrPattern(left);

  let rightOperand: Operand;
  if (isPath(right)) {
    if (right[0] === '!') throw invalidPath('Invalid negation! Can only be used for existence check e.g [?(!@.foo)]');
    rightOperand = pathOperand(definitePath(right));
  } else rightOperand = literalOrPattern(right);

  if (leftOperand.kind === 'path' && operator === '') return { kind: 'exists', path: leftOperand.path, exists };
  if (operator === '') throw new JsonPathError('UnsupportedOperationException', 'CriteriaType  can not be parsed');
  return { kind: 'compare', left: leftOperand, op: operator as CompareOperator, right: rightOperand };
}

function isPath(s: string): boolean {
  return s.startsWith('$') || s.startsWith('@') || s.startsWith('!@');
}

function pathOperand(path: TokenChain): Operand {
  return { kind: 'path', path, fast: fastEvaluator(path) };
}

function definitePath(text: string): TokenChain {
  const chain = compileChain(text);
  if (!chain.definite) throw invalidPath(`the predicate path: ${text} is not definite`);
  return chain;
}

function literalOrPattern(s: string): Operand {
  if (s.length > 0 && s[0] === "'" && s[s.length - 1] === "'") {
    if (s.length === 1) throw invalidPath('java.lang.StringIndexOutOfBoundsException: begin 1, end 0');
    return { kind: 'literal', value: s.slice(1, -1) };
  }
  if (s.length > 0 && s[0] === '/' && (s[s.length - 1] === '/' || (s[s.length - 2] === '/' && s[s.length - 1] === 'i'))) {
    const last = s.lastIndexOf('/');
    if (last < 1) throw invalidPath('java.lang.StringIndexOutOfBoundsException: begin 1, end 0');
    return { kind: 'pattern', pattern: new JavaPattern(s.slice(1, last), s.endsWith('i')) };
  }
  return { kind: 'literal', value: s };
}

// The VTL syntax tree. Every node carries the offset of its first character in the template source (`pos`);
// line and column are computed from it only when an error is reported.

export type Node = Text | Reference | SetDirective | IfDirective | ForeachDirective | BreakDirective | StopDirective
  | MacroDefinition | MacroCall | DefineDirective | EvaluateDirective;

export interface Text { readonly kind: 'text'; readonly pos: number; readonly value: string }

/** `$a.b(1)[0]`: a root variable followed by property, method and index steps. */
export interface Reference {
  readonly kind: 'reference';
  readonly pos: number;
  readonly name: string;
  readonly steps: readonly Step[];
  /** `$!a`: renders nothing when null. */
  readonly quiet: boolean;
  /** The reference exactly as written: what Velocity renders for a null reference. */
  readonly literal: string;
  /** Number of backslashes written before the `$` (escaping, resolved at render time as Velocity does). */
  readonly escapes: number;
}

export type Step =
  | { readonly kind: 'property'; readonly pos: number; readonly name: string }
  | { readonly kind: 'method'; readonly pos: number; readonly name: string; readonly args: readonly Expression[] }
  | { readonly kind: 'index'; readonly pos: number; readonly index: Expression };

export interface SetDirective { readonly kind: 'set'; readonly pos: number; readonly target: Reference; readonly value: Expression }

export interface IfDirective {
  readonly kind: 'if';
  readonly pos: number;
  readonly branches: readonly { readonly condition: Expression; readonly body: readonly Node[] }[];
  readonly otherwise: readonly Node[] | null;
}

export interface ForeachDirective {
  readonly kind: 'foreach';
  readonly pos: number;
  readonly variable: string;
  readonly iterable: Expression;
  readonly body: readonly Node[];
}

export interface BreakDirective { readonly kind: 'break'; readonly pos: number }
export interface StopDirective { readonly kind: 'stop'; readonly pos: number }

export interface MacroDefinition {
  readonly kind: 'macro';
  readonly pos: number;
  readonly name: string;
  readonly params: readonly string[];
  readonly body: readonly Node[];
}

export interface MacroCall {
  readonly kind: 'macroCall';
  readonly pos: number;
  readonly name: string;
  readonly args: readonly Expression[];
  /** The call as written, rendered when no macro of that name exists (as Velocity does). */
  readonly literal: string;
}

export interface DefineDirective { readonly kind: 'define'; readonly pos: number; readonly name: string; readonly body: readonly Node[] }
export interface EvaluateDirective { readonly kind: 'evaluate'; readonly pos: number; readonly source: Expression }

export type Expression = Literal | StringLiteral | ListLiteral | MapLiteral | RangeLiteral | Reference | Binary | Not | Group;

export interface Literal {
  readonly kind: 'literal';
  readonly pos: number;
  readonly type: 'int' | 'double' | 'boolean';
  /** Source text of the number, or `true` / `false`. */
  readonly text: string;
}

/** `"…"` is interpolated (its parts are a template); `'…'` is not. */
export interface StringLiteral {
  readonly kind: 'string';
  readonly pos: number;
  readonly value: string;
  readonly parts: readonly Node[] | null;
}

export interface ListLiteral { readonly kind: 'list'; readonly pos: number; readonly items: readonly Expression[] }
export interface MapLiteral { readonly kind: 'map'; readonly pos: number; readonly entries: readonly (readonly [Expression, Expression])[] }
export interface RangeLiteral { readonly kind: 'range'; readonly pos: number; readonly from: Expression; readonly to: Expression }

export type BinaryOperator = '||' | '&&' | '==' | '!=' | '<' | '>' | '<=' | '>=' | '+' | '-' | '*' | '/' | '%';
export interface Binary { readonly kind: 'binary'; readonly pos: number; readonly op: BinaryOperator; readonly left: Expression; readonly right: Expression }
export interface Not { readonly kind: 'not'; readonly pos: number; readonly operand: Expression }
export interface Group { readonly kind: 'group'; readonly pos: number; readonly inner: Expression }

export interface Template { readonly body: readonly Node[]; readonly source: string }

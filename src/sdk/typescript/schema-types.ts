// TypeScript types from API Gateway models (JSON Schema draft 4): objects become interfaces with optional members
// unless `required`, `$ref`s to other models (`https://apigateway.amazonaws.com/restapis/{id}/models/{name}`, or a
// bare `#/definitions/{name}`) become those models' names, `enum`s literal unions, `oneOf`/`anyOf` unions, `allOf`
// intersections, `additionalProperties` an index signature. Whatever a schema does not pin down is `unknown`.
import { commentText } from '../source-text.ts';

type Schema = Record<string, unknown>;

/** Names a generated client declares itself, and globals a model name must not shadow. */
const RESERVED = new Set([
  'ApiClient', 'ApiError', 'ApiResponse', 'ClientConfig', 'RequestOptions', 'Transport', 'Array', 'Boolean', 'Date',
  'Error', 'Function', 'Map', 'Number', 'Object', 'Promise', 'Record', 'Set', 'String', 'Symbol',
]);

/**
 * The TypeScript name of each model: its own name unless that is not an identifier or is taken (by the client's own
 * declarations, a global, or `taken`: the generated `…Params` interfaces), then with `Model` (and `_`s) appended.
 */
export function typeNamesOf(modelNames: Iterable<string>, taken: Iterable<string>): Map<string, string> {
  const used = new Set([...RESERVED, ...taken]);
  const out = new Map<string, string>();
  const identifier = (n: string) => {
    const cleaned = n.replace(/[^A-Za-z0-9_$]/g, '_');
    return /^[0-9]/.test(cleaned) ? `_${cleaned}` : cleaned;
  };
  const sorted = [...modelNames].sort();
  // Models keep their own names first, so a renamed one never takes another model's name.
  for (const modelName of sorted) {
    const name = identifier(modelName);
    if (name === modelName && !used.has(name)) {
      used.add(name);
      out.set(modelName, name);
    }
  }
  for (const modelName of sorted) {
    if (out.has(modelName)) continue;
    let name = identifier(modelName);
    if (used.has(name)) name = `${name}Model`;
    while (used.has(name)) name = `${name}_`;
    used.add(name);
    out.set(modelName, name);
  }
  return out;
}

/** Nesting deeper than any real model; the rest of a deeper schema is typed `unknown`. */
const MAX_DEPTH = 32;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
export const propertyKey = (k: string) => (IDENTIFIER.test(k) ? k : JSON.stringify(k));

export class SchemaTypes {
  readonly #names: ReadonlyMap<string, string>;

  /** `names`: model name → TypeScript name (typeNamesOf). */
  constructor(names: ReadonlyMap<string, string>) {
    this.#names = names;
  }

  #ref(ref: string): string {
    let name: string;
    try {
      name = decodeURIComponent(ref.slice(ref.lastIndexOf('/') + 1));
    } catch {
      return 'unknown';
    }
    return this.#names.get(name) ?? 'unknown';
  }

  /**
   * The type of a schema; `indent` is the indentation of the line the type starts on. Below MAX_DEPTH nested
   * schemas a type is `unknown`, so a hostile model cannot exhaust the stack.
   */
  typeOf(schema: unknown, indent = '', depth = 0): string {
    if (depth > MAX_DEPTH) return 'unknown';
    if (schema === true || schema === undefined) return 'unknown';
    if (schema === false) return 'never';
    if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return 'unknown';
    const s = schema as Schema;
    if (typeof s.$ref === 'string') return this.#ref(s.$ref);
    if (Array.isArray(s.enum) && s.enum.length > 0) {
      return s.enum.map((v) => (v === null || ['string', 'number', 'boolean'].includes(typeof v) ? JSON.stringify(v) : 'unknown')).join(' | ');
    }
    for (const [key, joiner] of [['oneOf', ' | '], ['anyOf', ' | '], ['allOf', ' & ']] as const) {
      const parts = s[key];
      if (Array.isArray(parts) && parts.length > 0) return parts.map((p) => `(${this.typeOf(p, indent, depth + 1)})`).join(joiner);
    }
    const types = Array.isArray(s.type) ? s.type : typeof s.type === 'string' ? [s.type] : s.properties ? ['object'] : [];
    if (types.length === 0) return 'unknown';
    return types.map((t) => this.#typeOfType(String(t), s, indent, depth)).join(' | ');
  }

  #typeOfType(type: string, s: Schema, indent: string, depth: number): string {
    switch (type) {
      case 'string':
        return 'string';
      case 'number':
      case 'integer':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'null':
        return 'null';
      case 'array':
        return Array.isArray(s.items) || s.items === undefined ? 'unknown[]' : `Array<${this.typeOf(s.items, indent, depth + 1)}>`;
      case 'object':
        return this.objectBody(s, indent, depth);
      default:
        return 'unknown';
    }
  }

  /** `{ ... }` for an object schema, members one per line. */
  objectBody(s: Schema, indent: string, depth = 0): string {
    const inner = `${indent}  `;
    const required = new Set(Array.isArray(s.required) ? s.required.map(String) : []);
    const lines: string[] = [];
    const properties = (typeof s.properties === 'object' && s.properties !== null ? s.properties : {}) as Record<string, unknown>;
    for (const [name, prop] of Object.entries(properties)) {
      const description = (prop as Schema | null)?.description;
      if (typeof description === 'string' && description !== '') lines.push(`${inner}/** ${commentText(description)} */`);
      lines.push(`${inner}${propertyKey(name)}${required.has(name) ? '' : '?'}: ${this.typeOf(prop, inner, depth + 1)};`);
    }
    const extra = s.additionalProperties;
    if (extra !== undefined && extra !== false) {
      // An index signature must admit every named member's type too, so with named members it is unknown.
      const valueType = extra === true || Object.keys(properties).length > 0 ? 'unknown' : this.typeOf(extra, inner, depth + 1);
      lines.push(`${inner}[key: string]: ${valueType};`);
    }
    return lines.length === 0 ? (extra === false ? 'Record<string, never>' : 'Record<string, unknown>') : `{\n${lines.join('\n')}\n${indent}}`;
  }
}

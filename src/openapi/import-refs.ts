// `$ref`s inside a definition. Only references into the same document are followed (`#/definitions/Pet`,
// `#/components/parameters/id`): nothing is ever fetched, and a reference to another file or URL makes the
// definition unreadable for API Gateway (its parser cannot resolve it), so it is refused as invalid input.
// Schema references become model references: API Gateway rewrites `#/definitions/X` and `#/components/schemas/X`
// to the model URL `https://apigateway.amazonaws.com/restapis/{api}/models/X` (recorded on AWS: localstack's
// test_apigateway_import.snapshot.json, test_import_swagger_api, get-models).
import { BadRequestException } from '../aws/errors.ts';
import { INVALID_INPUT, type Definition } from './import-document.ts';

const SCHEMA_REF = /^#\/(?:definitions|components\/schemas)\/(.+)$/;

function decodePointerPart(part: string): string {
  return decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The model name a schema `$ref` designates (`#/definitions/Pet` → `Pet`), else undefined. */
export function modelNameOfSchemaRef(ref: unknown): string | undefined {
  if (typeof ref !== 'string') return undefined;
  const m = SCHEMA_REF.exec(ref);
  return m ? decodePointerPart(m[1]!) : undefined;
}

/** The object a local `$ref` points at; remote references and dangling ones are invalid input. */
export function resolveLocal(def: Definition, ref: string): any {
  if (!ref.startsWith('#/')) throw new BadRequestException(INVALID_INPUT);
  let node: any = def.doc;
  for (const part of ref.slice(2).split('/')) {
    const key = decodePointerPart(part);
    if (!node || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = node[key];
  }
  return node;
}

/** Follows `$ref` chains (bounded) to the referenced object; objects without `$ref` are returned as they are. */
export function deref(def: Definition, node: any): any {
  for (let i = 0; i < 16 && node && typeof node === 'object' && typeof node.$ref === 'string'; i++) {
    node = resolveLocal(def, node.$ref);
  }
  return node;
}

/** Every `$ref` in the document must be local: refuses the definition otherwise (before anything is written). */
export function checkRefsLocal(doc: unknown): void {
  const stack: unknown[] = [doc];
  while (stack.length) {
    const node = stack.pop();
    if (!node || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      stack.push(...node);
      continue;
    }
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string' && !v.startsWith('#')) throw new BadRequestException(INVALID_INPUT);
      if (v && typeof v === 'object') stack.push(v);
    }
  }
}

/**
 * A schema with its schema `$ref`s rewritten to model URLs of `apiId`; other local references (to parameters,
 * for instance) are left as they are.
 */
export function rewriteSchemaRefs(schema: unknown, apiId: string): unknown {
  if (Array.isArray(schema)) return schema.map((s) => rewriteSchemaRefs(s, apiId));
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    const name = k === '$ref' ? modelNameOfSchemaRef(v) : undefined;
    out[k] = name !== undefined ? modelUrl(apiId, name) : rewriteSchemaRefs(v, apiId);
  }
  return out;
}

export function modelUrl(apiId: string, name: string): string {
  return `https://apigateway.amazonaws.com/restapis/${apiId}/models/${name}`;
}

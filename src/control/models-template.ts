// GetModelTemplate: the sample mapping template API Gateway generates from a model's schema, which reads the
// payload with `$input.path('$')` and writes a JSON document of the model's shape. Strings are quoted, numbers
// and booleans are not, objects nest, arrays become `#foreach` loops. The layout follows the example in
// https://docs.aws.amazon.com/apigateway/latest/api/API_GetModelTemplate.html:
//   #set($inputRoot = $input.path('$'))\n{\n  "a" : $inputRoot.a,\n  "op" : "$inputRoot.op"\n}
// `$ref`s to other models (by model URL) and to local `#/definitions/...` are followed, each at most once per
// branch so recursive models terminate.

type Schema = Record<string, unknown>;

export interface TemplateContext {
  /** The parsed schema of another model of the same API, by name. */
  resolveModel(name: string): Schema | undefined;
  /** Model name of an API Gateway model URL. */
  modelNameOfRef(ref: string): string | undefined;
}

const MAX_DEPTH = 12;

function pointer(doc: Schema, ref: string): Schema | undefined {
  let node: unknown = doc;
  for (const raw of ref.replace(/^#\/?/, '').split('/').filter(Boolean)) {
    const seg = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[seg];
  }
  return node && typeof node === 'object' ? (node as Schema) : undefined;
}

class Generator {
  private readonly ctx: TemplateContext;
  constructor(ctx: TemplateContext) {
    this.ctx = ctx;
  }

  /** Follows `$ref`s; returns the schema and the document its local refs resolve against. */
  private resolve(schema: Schema, root: Schema, seen: Set<string>): { schema: Schema; root: Schema } | undefined {
    let s = schema;
    let r = root;
    while (typeof s.$ref === 'string') {
      const ref = s.$ref;
      if (seen.has(ref)) return undefined;
      seen.add(ref);
      if (ref.startsWith('#')) {
        const target = pointer(r, ref);
        if (!target) return undefined;
        s = target;
      } else {
        const name = this.ctx.modelNameOfRef(ref);
        const model = name ? this.ctx.resolveModel(name) : undefined;
        if (!model) return undefined;
        const hash = ref.indexOf('#');
        r = model;
        const target = hash >= 0 ? pointer(model, ref.slice(hash)) : model;
        if (!target) return undefined;
        s = target;
      }
    }
    return { schema: s, root: r };
  }

  private kind(schema: Schema): string {
    const t = Array.isArray(schema.type) ? schema.type.find((x) => x !== 'null') : schema.type;
    if (typeof t === 'string') return t;
    if (schema.properties) return 'object';
    if (schema.items) return 'array';
    return 'string';
  }

  /** The value written for `expr` (a VTL reference like `$inputRoot.a`) of this schema, at `indent`. */
  value(schema: Schema, root: Schema, expr: string, indent: string, depth: number, seen: Set<string>): string {
    // `followed` gains the refs taken on this branch, so a model that refers back to itself stops there.
    const followed = new Set(seen);
    const resolved = this.resolve(schema, root, followed);
    if (!resolved || depth > MAX_DEPTH) return `"${expr}"`;
    const { schema: s, root: r } = resolved;
    seen = followed;
    switch (this.kind(s)) {
      case 'object':
        return this.object(s, r, expr, indent, depth, seen);
      case 'array':
        return this.array(s, r, expr, indent, depth, seen);
      case 'number':
      case 'integer':
      case 'boolean':
        return expr;
      default:
        return `"${expr}"`;
    }
  }

  object(schema: Schema, root: Schema, expr: string, indent: string, depth: number, seen: Set<string>): string {
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    const inner = `${indent}  `;
    const lines = Object.entries(props).map(
      ([name, prop]) => `${inner}"${name}" : ${this.value(prop, root, `${expr}.${name}`, inner, depth + 1, seen)}`,
    );
    return lines.length ? `{\n${lines.join(',\n')}\n${indent}}` : `{\n${indent}}`;
  }

  array(schema: Schema, root: Schema, expr: string, indent: string, depth: number, seen: Set<string>): string {
    const items = (Array.isArray(schema.items) ? schema.items[0] : schema.items) as Schema | undefined;
    const elem = depth === 0 ? '$elem' : `$elem${depth}`;
    const inner = `${indent}  `;
    const body = items ? this.value(items, root, elem, inner, depth + 1, seen) : `"${elem}"`;
    return `[\n#foreach(${elem} in ${expr})\n${inner}${body}#if($foreach.hasNext),#end\n#end\n${indent}]`;
  }
}

/** The mapping template for a model whose parsed schema is `schema`. */
export function generateModelTemplate(schema: Schema, ctx: TemplateContext): string {
  const body = new Generator(ctx).value(schema, schema, '$inputRoot', '', 0, new Set());
  return `#set($inputRoot = $input.path('$'))\n${body}`;
}

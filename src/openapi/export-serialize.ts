// The bytes of an export, written as API Gateway writes them (Jackson): JSON with Jackson's default pretty
// printer (`"key" : value`, objects one member per line indented by two spaces, arrays on one line as
// `[ a, b ]`, empty ones `{ }` and `[ ]`), YAML as Jackson's YAML generator writes it (a `---` document start,
// plain keys, every string value double-quoted, sequences `- ` at their parent key's indentation).

export type ExportFormat = 'json' | 'yaml';

export function serializeExport(doc: unknown, format: ExportFormat): string {
  return format === 'json' ? prettyJson(doc, '') : `---\n${yamlBlock(doc, '')}`;
}

function prettyJson(v: unknown, indent: string): string {
  if (Array.isArray(v)) {
    if (v.length === 0) return '[ ]';
    return `[ ${v.map((x) => prettyJson(x, indent)).join(', ')} ]`;
  }
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined);
    if (entries.length === 0) return '{ }';
    const inner = `${indent}  `;
    return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)} : ${prettyJson(x, inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

// Keys Jackson leaves unquoted: plain scalars that cannot be read as anything else (no leading `-`, `{`, `}`,
// which would open a sequence or a flow mapping; no `:` or `#`).
const PLAIN_KEY = /^[A-Za-z0-9_/$.+][A-Za-z0-9_/$.{}+ -]*$/;
const YAML_SPECIAL = /^(?:true|false|yes|no|on|off|null|~|y|n|[-+]?[0-9][0-9._:eE+-]*|[-+]?\.(?:inf|nan))$/i;

function yamlKey(k: string): string {
  return PLAIN_KEY.test(k) && !YAML_SPECIAL.test(k) && !k.endsWith(' ') ? k : JSON.stringify(k);
}

function yamlScalar(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || v === undefined) return 'null';
  return String(v);
}

const isEmptyCollection = (v: unknown) =>
  v !== null && typeof v === 'object' && (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0);

/** A mapping or sequence written as block lines at `indent` (each line ends with a newline). */
function yamlBlock(v: unknown, indent: string): string {
  if (Array.isArray(v)) {
    let out = '';
    for (const item of v) {
      if (item !== null && typeof item === 'object' && !isEmptyCollection(item)) {
        // The first line of a nested block goes after the dash, the rest indented under it.
        const body = yamlBlock(item, `${indent}  `);
        out += `${indent}- ${body.slice(indent.length + 2)}`;
      } else {
        out += `${indent}- ${yamlInline(item)}\n`;
      }
    }
    return out;
  }
  if (v !== null && typeof v === 'object') {
    let out = '';
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined) continue;
      if (x !== null && typeof x === 'object' && !isEmptyCollection(x)) {
        out += `${indent}${yamlKey(k)}:\n${yamlBlock(x, Array.isArray(x) ? indent : `${indent}  `)}`;
      } else {
        out += `${indent}${yamlKey(k)}: ${yamlInline(x)}\n`;
      }
    }
    return out;
  }
  return `${indent}${yamlScalar(v)}\n`;
}

function yamlInline(v: unknown): string {
  if (Array.isArray(v)) return '[]';
  if (v !== null && typeof v === 'object') return '{}';
  return yamlScalar(v);
}

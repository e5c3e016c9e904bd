// JSON written as API Gateway writes the schemas of models it creates from a definition file: Jackson's default
// pretty printer (two-space indentation, `"key" : value`, arrays on one line as `[ a, b ]`, empty containers as
// `{ }` and `[ ]`). The export engineer reads stored models back with JSON.parse, so only the text differs.
export function jacksonStringify(value: unknown, indent = ''): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    if (!value.length) return '[ ]';
    return `[ ${value.map((v) => jacksonStringify(v, indent)).join(', ')} ]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (!entries.length) return '{ }';
  const inner = `${indent}  `;
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)} : ${jacksonStringify(v, inner)}`).join(',\n')}\n${indent}}`;
}

// Integration URIs compiled into parts: literal text, `{name}` path parameters (filled from
// integration.request.path mappings) and `${stageVariables.name}` (filled per request: stage variables change
// without a redeployment).

export type UriPart = { kind: 'text'; text: string } | { kind: 'path'; name: string } | { kind: 'stage'; name: string };

export interface CompiledUri {
  parts: UriPart[];
  /** True when the URI is plain text (no substitution needed). */
  literal: boolean;
}

const TOKEN = /\$\{stageVariables\.([A-Za-z0-9_]+)\}|\{([^{}/?&=]+?)\+?\}/g;

export function compileUri(uri: string): CompiledUri {
  const parts: UriPart[] = [];
  let last = 0;
  for (const m of uri.matchAll(TOKEN)) {
    if (m.index > last) parts.push({ kind: 'text', text: uri.slice(last, m.index) });
    if (m[1] !== undefined) parts.push({ kind: 'stage', name: m[1] });
    else parts.push({ kind: 'path', name: m[2]! });
    last = m.index + m[0].length;
  }
  if (last < uri.length) parts.push({ kind: 'text', text: uri.slice(last) });
  return { parts, literal: parts.every((p) => p.kind === 'text') };
}

/** Percent-encodes a path parameter value for a URI path; a greedy one spans segments and keeps its '/'. */
export function encodePathValue(v: string, greedy: boolean): string {
  // Most values have nothing to encode: one test instead of splitting and re-joining the path.
  if (greedy && NOTHING_TO_ENCODE_GREEDY.test(v)) return v;
  return greedy ? v.split('/').map(encodeURIComponent).join('/') : encodeURIComponent(v);
}
/** Characters encodeURIComponent leaves as they are, and '/'. */
const NOTHING_TO_ENCODE_GREEDY = /^[A-Za-z0-9\-_.!~*'()/]*$/;

export function renderUri(
  uri: CompiledUri,
  source: string,
  pathValue: (name: string) => string | undefined,
  stageVariables: Record<string, string>,
  greedy: ReadonlySet<string>,
): string {
  if (uri.literal) return source;
  let out = '';
  for (const p of uri.parts) {
    if (p.kind === 'text') out += p.text;
    else if (p.kind === 'stage') out += stageVariables[p.name] ?? '';
    else {
      const v = pathValue(p.name);
      out += v === undefined ? `{${p.name}}` : encodePathValue(v, greedy.has(p.name));
    }
  }
  return out;
}

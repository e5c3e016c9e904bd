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

/**
 * A path parameter value made safe for a URI path. Values from the method request path arrive as the client encoded
 * them and go to the backend unchanged (API Gateway does not decode path parameters: `a%2Fb` stays one segment,
 * `a%20b` stays `a%20b`); values from elsewhere (query strings, headers, static values) are decoded text: what a
 * path may not hold is percent-encoded, and so is '/' unless the parameter is greedy. Existing `%XX` escapes stay.
 */
export function encodePathValue(v: string, greedy: boolean): string {
  // Most values have nothing to encode: one test, no rebuilding.
  if ((greedy ? PATH_SAFE_GREEDY : PATH_SAFE).test(v)) return v;
  let out = '';
  for (const ch of v) {
    if (ch === '/' && greedy) out += ch;
    else if (ch === '%' || PATH_CHAR.test(ch)) out += ch;
    else out += ch.length === 1 && ch.charCodeAt(0) >= 0xd800 && ch.charCodeAt(0) <= 0xdfff ? '%EF%BF%BD' : encodeURIComponent(ch);
  }
  // A '%' that starts no escape is a literal percent sign.
  return out.replace(/%(?![0-9A-Fa-f]{2})/g, '%25');
}
/** RFC 3986 pchar without '%': unreserved, sub-delims, ':' and '@'. */
const PATH_CHAR = /^[A-Za-z0-9\-._~!$&'()*+,;=:@]$/;
const PATH_SAFE = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*$/;
const PATH_SAFE_GREEDY = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*$/;

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

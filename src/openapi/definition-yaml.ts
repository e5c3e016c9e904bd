// YAML API definitions (ImportRestApi, PutRestApi, ImportDocumentationParts, `gatehouse import`), read as API
// Gateway's parser (Jackson) reads them, and measured before the parser sees them: the `yaml` package parses
// nesting recursively and slowly — a 6 MB definition of nested flow brackets ran it for 30 s on the event loop and
// then out of memory (the whole server with it). A linear scan refuses such documents first.
import { parse } from 'yaml';

/** Deeper than any real definition (their schemas nest a few dozen levels at most). */
export const MAX_NESTING = 256;
/** Indentation plus compact `- ` / `? ` indicators before a line's content, in characters. */
export const MAX_LINE_PREFIX = 1024;

export class DefinitionTooDeepError extends Error {}

/**
 * The document, or an Error: DefinitionTooDeepError for nesting beyond the bounds, the parser's error otherwise.
 * `<<` is an ordinary key (Jackson implements no YAML 1.1 merge keys), duplicate keys are allowed (the last one
 * wins, as in Jackson), and alias expansion is bounded ("billion laughs").
 */
export function parseDefinitionYaml(text: string): unknown {
  const problem = nestingProblem(text);
  if (problem) throw new DefinitionTooDeepError(problem);
  return parse(text, { maxAliasCount: 1000, uniqueKeys: false, merge: false });
}

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const isBlank = (c: number) => c === SPACE || c === TAB || c === CR;
/** A line whose content ends in a block scalar header: `key: |`, `- >-`, `|2`. */
const BLOCK_SCALAR_HEADER = /(?:^|[\s:-])[|>][-+1-9]{0,2}$/;

/**
 * Why the text nests too deep for the parser, or undefined. Counts flow collections (`[`, `{` where a node starts,
 * or anywhere inside another flow collection; quoted scalars and comments skipped) and the length of each block
 * line's prefix (indentation and compact `- ` / `? ` indicators); block scalars' content (`|`, `>`) is text.
 */
export function nestingProblem(text: string): string | undefined {
  const n = text.length;
  let flow = 0;
  let blockScalarIndent = -1;
  let i = 0;
  while (i < n) {
    const lineStart = i;
    let indent = 0;
    while (i < n && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB)) {
      i++;
      indent++;
    }
    if (blockScalarIndent >= 0) {
      const blank = i >= n || text.charCodeAt(i) === LF || text.charCodeAt(i) === CR;
      if (blank || indent > blockScalarIndent) {
        const next = text.indexOf('\n', i);
        i = next === -1 ? n : next + 1;
        continue;
      }
      blockScalarIndent = -1;
    }
    if (flow === 0) {
      let prefix = indent;
      while (i + 1 < n && (text[i] === '-' || text[i] === '?') && (text.charCodeAt(i + 1) === SPACE || text.charCodeAt(i + 1) === TAB)) {
        i += 2;
        prefix += 2;
        while (i < n && text.charCodeAt(i) === SPACE) {
          i++;
          prefix++;
        }
      }
      if (prefix > MAX_LINE_PREFIX) return `a line indented ${prefix} characters deep`;
    }
    const contentStart = i;
    let contentEnd = -1;
    let nodeStart = true;
    while (i < n && text.charCodeAt(i) !== LF) {
      const c = text[i]!;
      if (c === '#' && (i === lineStart || isBlank(text.charCodeAt(i - 1)))) {
        contentEnd = i;
        const next = text.indexOf('\n', i);
        i = next === -1 ? n : next;
        break;
      }
      if ((c === '"' || c === "'") && (nodeStart || flow > 0)) {
        i = skipQuoted(text, i, c);
        nodeStart = false;
        continue;
      }
      if ((c === '[' || c === '{') && (nodeStart || flow > 0)) {
        if (++flow > MAX_NESTING) return `collections nested more than ${MAX_NESTING} deep`;
        nodeStart = true;
      } else if ((c === ']' || c === '}') && flow > 0) {
        flow--;
      } else if (c === ',' && flow > 0) {
        nodeStart = true;
      } else if ((c === ':' || c === '-' || c === '?') && (i + 1 >= n || isBlank(text.charCodeAt(i + 1)) || text.charCodeAt(i + 1) === LF)) {
        nodeStart = true;
      } else if (!isBlank(text.charCodeAt(i))) {
        nodeStart = false;
      }
      i++;
    }
    if (flow === 0 && BLOCK_SCALAR_HEADER.test(text.slice(contentStart, contentEnd === -1 ? i : contentEnd).trimEnd())) {
      blockScalarIndent = indent;
    }
    i++;
  }
  return undefined;
}

/** Index just past a quoted scalar opened at `start` (it may span lines), or the end of the text. */
function skipQuoted(text: string, start: number, quote: string): number {
  const n = text.length;
  let i = start + 1;
  while (i < n) {
    const c = text[i]!;
    if (quote === '"' && c === '\\') {
      i += 2;
    } else if (c === quote) {
      if (quote === "'" && text[i + 1] === "'") i += 2;
      else return i + 1;
    } else {
      i++;
    }
  }
  return n;
}

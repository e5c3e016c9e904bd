// Parameter mappings (Integration.requestParameters, IntegrationResponse.responseParameters,
// GatewayResponse.responseParameters) compiled once per deployment into source readers and targets.
//
// Sources (AWS-NOTES): method.request.{path|querystring|header|multivaluequerystring|multivalueheader}.NAME,
// method.request.body[.JSONPATH], integration.response.{header|multivalueheader}.NAME,
// integration.response.body[.JSONPATH], stageVariables.NAME, context.NAME[.NAME], 'static'.
import { compileMappingPath, type CompiledPath } from '../../jsonpath/index.ts';
import { stringifyJavaJson, type JavaValue } from '../../jsonpath/json.ts';
import type { MultiMap } from '../headers.ts';

/** What a mapping may read, as far as the current phase knows it. */
export interface MappingScope {
  path?: Record<string, string>;
  query?: MultiMap;
  headers?: MultiMap;
  /** The method request body as text, and parsed as JSON (undefined when not JSON). */
  body?: () => string;
  json?: () => JavaValue | undefined;
  responseHeaders?: MultiMap;
  responseBody?: () => string;
  responseJson?: () => JavaValue | undefined;
  stageVariables: Record<string, string>;
  context: () => Record<string, unknown>;
}

/** Reads a source: one or more values, or undefined when absent (the target is then left unset). */
export type SourceReader = (scope: MappingScope) => string[] | undefined;

export interface CompiledMapping {
  /** e.g. 'header', 'querystring', 'path' */
  targetKind: string;
  targetName: string;
  read: SourceReader;
  /** Whether the source is the method request body (the body must then be read, not streamed). */
  readsBody: boolean;
}

export class MappingCompileError extends Error {}

const one = (v: string | undefined): string[] | undefined => (v === undefined ? undefined : [v]);

function jsonText(v: JavaValue | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string') return v;
  return stringifyJavaJson(v);
}

function bodyPath(expr: string, json: (s: MappingScope) => JavaValue | undefined): SourceReader {
  let path: CompiledPath;
  try {
    path = compileMappingPath(expr);
  } catch (e) {
    throw new MappingCompileError(`Invalid mapping expression specified: ${expr}: ${(e as Error).message}`);
  }
  return (s) => {
    const doc = json(s);
    if (doc === undefined) return undefined;
    try {
      return one(jsonText(path.evaluate(doc)));
    } catch {
      return undefined;
    }
  };
}

/** Walks `context.a.b` in the $context object; objects render as JSON, scalars as strings. */
export function contextValue(ctx: Record<string, unknown>, names: readonly string[]): string | undefined {
  let v: unknown = ctx;
  for (const n of names) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, n)) return undefined;
    v = (v as Record<string, unknown>)[n];
  }
  if (v === undefined || v === null) return undefined;
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** Compiles one source expression. `allowed` restricts the families to the phase's (request, response, gateway). */
export function compileSource(expr: string, allowed: 'request' | 'response' | 'gateway'): SourceReader {
  if (expr.length >= 2 && expr.startsWith("'") && expr.endsWith("'")) {
    const value = [expr.slice(1, -1)];
    return () => value;
  }
  const dot = expr.split('.');
  if (dot[0] === 'stageVariables' && dot.length === 2) {
    const name = dot[1]!;
    return (s) => one(Object.hasOwn(s.stageVariables, name) ? s.stageVariables[name] : undefined);
  }
  if (dot[0] === 'context' && dot.length >= 2) {
    const names = dot.slice(1);
    return (s) => one(contextValue(s.context(), names));
  }
  if (expr.startsWith('method.request.') && allowed !== 'response') {
    const rest = expr.slice('method.request.'.length);
    if (rest === 'body') {
      if (allowed === 'gateway') throw new MappingCompileError(`Invalid mapping expression specified: ${expr}`);
      return (s) => one(s.body?.());
    }
    if (rest.startsWith('body.')) {
      if (allowed === 'gateway') throw new MappingCompileError(`Invalid mapping expression specified: ${expr}`);
      return bodyPath(rest.slice(5), (s) => s.json?.());
    }
    const [kind, ...nameParts] = rest.split('.');
    const name = nameParts.join('.');
    if (name !== '') {
      switch (kind) {
        case 'path':
          return (s) => one(s.path && Object.hasOwn(s.path, name) ? s.path[name] : undefined);
        case 'querystring':
          return (s) => one(s.query?.get(name));
        case 'multivaluequerystring':
          return (s) => s.query?.all(name)?.slice();
        case 'header':
          return (s) => one(s.headers?.get(name));
        case 'multivalueheader':
          return (s) => s.headers?.all(name)?.slice();
      }
    }
  }
  if (expr.startsWith('integration.response.') && allowed === 'response') {
    const rest = expr.slice('integration.response.'.length);
    if (rest === 'body') return (s) => one(s.responseBody?.());
    if (rest.startsWith('body.')) return bodyPath(rest.slice(5), (s) => s.responseJson?.());
    const [kind, ...nameParts] = rest.split('.');
    const name = nameParts.join('.');
    if (name !== '' && kind === 'header') return (s) => one(s.responseHeaders?.get(name));
    if (name !== '' && kind === 'multivalueheader') return (s) => s.responseHeaders?.all(name)?.slice();
  }
  throw new MappingCompileError(`Invalid mapping expression specified: ${expr}`);
}

/**
 * Compiles a mapping table `{target: source}` whose targets start with `prefix` (e.g. 'integration.request.',
 * 'method.response.', 'gatewayresponse.') followed by `kind.NAME`.
 */
export function compileMappings(
  table: Record<string, string> | undefined,
  prefix: string,
  kinds: readonly string[],
  allowed: 'request' | 'response' | 'gateway',
): CompiledMapping[] {
  const out: CompiledMapping[] = [];
  for (const [target, source] of Object.entries(table ?? {})) {
    if (!target.startsWith(prefix)) throw new MappingCompileError(`Invalid mapping expression specified: ${target}`);
    const rest = target.slice(prefix.length);
    const dot = rest.indexOf('.');
    const kind = dot === -1 ? rest : rest.slice(0, dot);
    const name = dot === -1 ? '' : rest.slice(dot + 1);
    if (!kinds.includes(kind) || name === '') throw new MappingCompileError(`Invalid mapping expression specified: ${target}`);
    out.push({ targetKind: kind, targetName: name, read: compileSource(source, allowed), readsBody: source === 'method.request.body' || source.startsWith('method.request.body.') });
  }
  return out;
}

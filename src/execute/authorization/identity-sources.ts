// A Lambda authorizer's identity sources, compiled once per authorizer: where each value is read from the method
// request (TOKEN: one header; REQUEST: headers, multi-value headers, query strings, multi-value query strings, stage
// variables, $context variables), as the CreateAuthorizer reference lists them. The values are both the "is the
// caller identified at all" check (any one missing or empty → 401 without invoking the function, as AWS does) and
// the decision cache key.
import type { MultiMap } from '../headers.ts';

export interface IdentityInput {
  readonly headers: MultiMap;
  readonly query: MultiMap;
  readonly stageVariables: Record<string, string>;
  /** $context, built on demand (only `context.*` sources need it). */
  context(): Record<string, unknown>;
}

export type IdentitySource = (input: IdentityInput) => string | undefined;

const nonEmpty = (v: string | undefined): string | undefined => (v === undefined || v === '' ? undefined : v);

function contextValue(path: string[]): IdentitySource {
  return (input) => {
    let v: unknown = input.context();
    for (const part of path) {
      if (v === null || typeof v !== 'object' || !Object.hasOwn(v, part)) return undefined;
      v = (v as Record<string, unknown>)[part];
    }
    return typeof v === 'string' ? nonEmpty(v) : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
  };
}

/** One source expression (already checked by the control plane) → its reader; undefined for an unknown form. */
export function compileIdentitySource(expression: string): IdentitySource | undefined {
  const e = expression.trim();
  let m: RegExpExecArray | null;
  if ((m = /^method\.request\.header\.(.+)$/.exec(e))) {
    const name = m[1]!;
    return (input) => nonEmpty(input.headers.get(name));
  }
  if ((m = /^method\.request\.multivalueheader\.(.+)$/.exec(e))) {
    const name = m[1]!;
    return (input) => nonEmpty(input.headers.all(name)?.join(','));
  }
  if ((m = /^method\.request\.querystring\.(.+)$/.exec(e))) {
    const name = m[1]!;
    return (input) => nonEmpty(input.query.get(name));
  }
  if ((m = /^method\.request\.multivaluequerystring\.(.+)$/.exec(e))) {
    const name = m[1]!;
    return (input) => nonEmpty(input.query.all(name)?.join(','));
  }
  if ((m = /^stageVariables\.(.+)$/.exec(e))) {
    const name = m[1]!;
    return (input) => (Object.hasOwn(input.stageVariables, name) ? nonEmpty(input.stageVariables[name]) : undefined);
  }
  if ((m = /^context\.(.+)$/.exec(e))) return contextValue(m[1]!.split('.'));
  return undefined;
}

export interface NamedIdentitySource {
  /** The expression as configured (`method.request.header.Auth`): what the execution log names. */
  readonly expression: string;
  readonly read: IdentitySource;
}

/** The comma-separated identitySource of an authorizer → its readers, in order. */
export function compileIdentitySources(identitySource: string | undefined): NamedIdentitySource[] {
  const out: NamedIdentitySource[] = [];
  for (const part of (identitySource ?? '').split(',')) {
    const expression = part.trim();
    if (expression === '') continue;
    const read = compileIdentitySource(expression);
    if (!read) throw new Error(`Invalid identity source expression specified: ${expression}`);
    out.push({ expression, read });
  }
  return out;
}

/**
 * The execution log's "Incoming identity" line: `{method.request.header.Hash=********aaaaaa}`, each value masked but
 * its last 6 characters, as recorded in an AWS TestInvokeAuthorizer log.
 */
export function incomingIdentity(sources: readonly NamedIdentitySource[], values: readonly string[]): string {
  const mask = (v: string) => '*'.repeat(Math.max(0, v.length - 6)) + v.slice(-6);
  return `{${sources.map((s, i) => `${s.expression}=${mask(values[i]!)}`).join(', ')}}`;
}

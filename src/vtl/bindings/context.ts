// `$context` and `$stageVariables`. The data plane hands over the request context as plain data; templates see
// Java maps (so `$context.identity.sourceIp`, `$context.authorizer.claims.sub` and `.keySet()` work), and
// `$context.requestOverride` / `$context.responseOverride` are writable maps whose contents are read back after
// rendering:
//   requestOverride.header.NAME, requestOverride.querystring.NAME, requestOverride.path.NAME
//   responseOverride.status, responseOverride.header.NAME, and any other key (carried along, never applied)
// What an earlier template of the same request set (the request template, for the response template) arrives in
// the plain data's requestOverride / responseOverride and seeds the maps: the later template reads it and may
// override it once more.
import { toJavaValue } from '../../jsonpath/json.ts';
import { JavaException } from '../errors.ts';
import { javaToString } from '../java-values.ts';

/**
 * The documented `$context` variables (values the data plane fills; absent ones render as nothing):
 * accountId, apiId, authorizer.{claims.*, principalId, <context keys>}, awsEndpointRequestId, deploymentId,
 * domainName, domainPrefix, error.{message, messageString, responseType, validationErrorString}, extendedRequestId,
 * httpMethod, identity.{accountId, apiKey, apiKeyId, caller, clientCert.*, cognitoAuthenticationProvider,
 * cognitoAuthenticationType, cognitoIdentityId, cognitoIdentityPoolId, principalOrgId, sourceIp, user, userAgent,
 * userArn, vpcId, vpceId}, isCanaryRequest, path, protocol, requestId, requestTime, requestTimeEpoch, resourceId,
 * resourcePath, stage, wafResponseCode, webaclArn, requestOverride.*, responseOverride.*.
 */
export type ContextSource = Readonly<Record<string, unknown>>;

export interface RequestOverride {
  readonly header: Record<string, string>;
  readonly querystring: Record<string, string>;
  readonly path: Record<string, string>;
}

export interface ResponseOverride {
  /** The status code set with `#set($context.responseOverride.status = 400)`, or null. */
  readonly status: number | null;
  readonly header: Record<string, string>;
  /**
   * Other keys set in `$context.responseOverride` (as their text): API Gateway passes them from the request
   * template to the response template (recorded on AWS: LocalStack's
   * test_integration_mock_with_response_override_in_request_template) and applies nothing of them.
   */
  readonly others: Record<string, string>;
}

/**
 * A Java map over plain data, built on first use: most templates read a handful of `$context` variables, and
 * converting the whole request context up front would cost more than rendering. Nested objects become lazy maps
 * in turn. Behaves as a Map in every respect once touched.
 */
export class LazyJavaMap extends Map<unknown, unknown> {
  #source: Readonly<Record<string, unknown>> | null;
  readonly #onBuild: ((m: Map<unknown, unknown>) => void) | null;

  constructor(source: Readonly<Record<string, unknown>>, onBuild: ((m: Map<unknown, unknown>) => void) | null = null) {
    super();
    this.#source = source;
    this.#onBuild = onBuild;
  }

  /** True until the map is built: reading a variable present in the source converts just that one. */
  get untouched(): boolean {
    return this.#source !== null;
  }

  #build(): void {
    const source = this.#source;
    if (source === null) return;
    this.#source = null;
    // Entries read before the build keep their converted values; the order becomes the source's order.
    const early = super.size ? new Map(super.entries()) : null;
    if (early) super.clear();
    for (const k of Object.keys(source)) super.set(k, early?.has(k) ? early.get(k) : javaValue(source[k]));
    this.#onBuild?.(this);
  }

  override get(k: unknown): unknown {
    const source = this.#source;
    if (source !== null && typeof k === 'string' && k !== 'requestOverride' && k !== 'responseOverride' && Object.hasOwn(source, k)) {
      // Reading one variable converts just that one.
      let v = super.get(k);
      if (v === undefined) {
        v = javaValue(source[k]);
        super.set(k, v);
      }
      return v;
    }
    this.#build();
    return super.get(k);
  }
  override has(k: unknown): boolean { this.#build(); return super.has(k); }
  override set(k: unknown, v: unknown): this { this.#build(); return super.set(k, v); }
  override delete(k: unknown): boolean { this.#build(); return super.delete(k); }
  override clear(): void { this.#source = null; super.clear(); }
  override get size(): number { this.#build(); return super.size; }
  override keys(): MapIterator<unknown> { this.#build(); return super.keys(); }
  override values(): MapIterator<unknown> { this.#build(); return super.values(); }
  override entries(): MapIterator<[unknown, unknown]> { this.#build(); return super.entries(); }
  override [Symbol.iterator](): MapIterator<[unknown, unknown]> { this.#build(); return super.entries(); }
  override forEach(f: (v: unknown, k: unknown, m: Map<unknown, unknown>) => void, self?: unknown): void {
    this.#build();
    super.forEach(f, self);
  }
}

function javaValue(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'object' && !Array.isArray(v) && !(v instanceof Map) && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)) {
    return new LazyJavaMap(v as Record<string, unknown>);
  }
  return toJavaValue(v);
}

/**
 * An override map: "Overrides are final. An override may only be applied to each parameter once. If you try to
 * override the same parameter multiple times, API Gateway returns a 5XX response." (API Gateway developer guide,
 * apigateway-override-request-response-parameters). A second write of a name fails the render. Values an earlier
 * template of the request set (`seed`) are there to be read, and may be overridden once.
 */
export class OverrideMap extends Map<unknown, unknown> {
  readonly #path: string;
  /** The nested maps (header, querystring, path) are structure, not overrides. */
  readonly #structure: ReadonlySet<string>;
  /** Keys seeded from an earlier template and not yet overridden by this one. */
  #seeded: Set<unknown> | null = null;
  constructor(path: string, structure: [string, unknown][] = [], seed?: unknown) {
    super();
    this.#path = path;
    this.#structure = new Set(structure.map(([k]) => k));
    for (const [k, v] of structure) super.set(k, v);
    if (seed instanceof Map) {
      for (const [k, v] of seed) {
        if (v === null || v === undefined || this.#structure.has(String(k))) continue;
        super.set(k, v);
        (this.#seeded ??= new Set()).add(k);
      }
    }
  }
  override set(k: unknown, v: unknown): this {
    if (super.has(k) && !this.#seeded?.delete(k)) {
      const what = this.#structure.has(String(k)) ? 'cannot be replaced' : 'is already set; overrides are final';
      throw new JavaException('OverrideAlreadySet', `${this.#path}.${String(k)} ${what}`);
    }
    return super.set(k, v);
  }
}

/** `m.get(key)` when m is a map (the carried part of an override map), else undefined. */
function part(m: unknown, key: string): unknown {
  return m instanceof Map ? m.get(key) : undefined;
}

function addOverrideMaps(m: Map<unknown, unknown>): void {
  // Plain data (the data plane's, or an earlier template's overrides) becomes the seed of fresh override maps.
  const req = m.get('requestOverride');
  if (!(req instanceof OverrideMap)) {
    m.set('requestOverride', new OverrideMap('$context.requestOverride', [
      ['header', new OverrideMap('$context.requestOverride.header', [], part(req, 'header'))],
      ['querystring', new OverrideMap('$context.requestOverride.querystring', [], part(req, 'querystring'))],
      ['path', new OverrideMap('$context.requestOverride.path', [], part(req, 'path'))],
    ], req));
  }
  const res = m.get('responseOverride');
  if (!(res instanceof OverrideMap)) {
    m.set('responseOverride', new OverrideMap('$context.responseOverride', [
      ['header', new OverrideMap('$context.responseOverride.header', [], part(res, 'header'))],
    ], res));
  }
}

/** A fresh `$context` map for one render, with empty override maps (built when the template first uses it). */
export function contextMap(source: ContextSource): Map<string, unknown> {
  return new LazyJavaMap(source, addOverrideMaps) as Map<string, unknown>;
}

export function stageVariablesMap(source: Readonly<Record<string, string>>): Map<string, unknown> {
  return new LazyJavaMap(source) as Map<string, unknown>;
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  if (v instanceof Map) {
    for (const [k, val] of v) if (val !== null && val !== undefined) out[javaToString(k)] = javaToString(val);
  }
  return out;
}

const NO_HEADERS: Record<string, string> = Object.freeze(Object.create(null));

/** The overrides of a render that never touched them (shared, frozen): callers can tell "none" by identity. */
export const NO_REQUEST_OVERRIDE: RequestOverride = Object.freeze({ header: NO_HEADERS, querystring: NO_HEADERS, path: NO_HEADERS });
export const NO_RESPONSE_OVERRIDE: ResponseOverride = Object.freeze({ status: null, header: NO_HEADERS, others: NO_HEADERS });

export function readRequestOverride(context: Map<string, unknown>): RequestOverride {
  if (context instanceof LazyJavaMap && context.untouched) return NO_REQUEST_OVERRIDE;
  const o = context.get('requestOverride');
  const get = (k: string) => (o instanceof Map ? o.get(k) : undefined);
  return { header: stringMap(get('header')), querystring: stringMap(get('querystring')), path: stringMap(get('path')) };
}

export function readResponseOverride(context: Map<string, unknown>): ResponseOverride {
  if (context instanceof LazyJavaMap && context.untouched) return NO_RESPONSE_OVERRIDE;
  const o = context.get('responseOverride');
  const status = o instanceof Map ? o.get('status') : undefined;
  let code: number | null = null;
  if (status !== null && status !== undefined) {
    const n = Number(javaToString(status));
    if (Number.isInteger(n)) code = n;
  }
  return { status: code, header: stringMap(o instanceof Map ? o.get('header') : undefined), others: othersOf(o) };
}

/** The keys of `$context.responseOverride` other than status and header, as text. */
function othersOf(o: unknown): Record<string, string> {
  let out = NO_HEADERS;
  if (!(o instanceof Map)) return out;
  for (const [k, v] of o) {
    if (k === 'status' || k === 'header' || v === null || v === undefined) continue;
    if (out === NO_HEADERS) out = Object.create(null) as Record<string, string>;
    out[javaToString(k)] = javaToString(v);
  }
  return out;
}

// Multi-value, case-insensitive header and query maps as API Gateway keeps them: names keep the case they were
// first seen with (proxy events and $input.params() show it), lookups ignore case for headers, and the single-value
// view of a repeated name is its last value (as in the Lambda proxy event's `headers`).

export class MultiMap {
  readonly #byKey = new Map<string, { name: string; values: string[] }>();
  readonly #fold: boolean;
  constructor(caseInsensitive: boolean) {
    this.#fold = caseInsensitive;
  }
  #key(name: string): string {
    return this.#fold ? name.toLowerCase() : name;
  }
  /** `key`: the name already folded (lowercased, for headers), when the caller has it at hand. */
  append(name: string, value: string, key?: string): void {
    const k = key ?? this.#key(name);
    const e = this.#byKey.get(k);
    // A new array, not a push: clones share value arrays (they are never modified in place).
    if (e) e.values = [...e.values, value];
    else this.#byKey.set(k, { name, values: [value] });
  }
  /**
   * `key` as for append: constant keys skip lowercasing and hashing a new string per request (headers the
   * gateway sets on every request pass theirs).
   */
  set(name: string, values: string | string[], key?: string): void {
    this.#byKey.set(key ?? this.#key(name), { name, values: typeof values === 'string' ? [values] : values });
  }
  /** Removes a name and returns it with its values (the name in the case it was stored with). */
  take(name: string): { name: string; values: string[] } | undefined {
    const k = this.#key(name);
    const e = this.#byKey.get(k);
    if (e) this.#byKey.delete(k);
    return e;
  }
  delete(name: string): boolean {
    return this.#byKey.delete(this.#key(name));
  }
  has(name: string): boolean {
    return this.#byKey.has(this.#key(name));
  }
  /** The last value, as AWS's single-value maps show it. */
  get(name: string): string | undefined {
    const e = this.#byKey.get(this.#key(name));
    return e ? e.values[e.values.length - 1] : undefined;
  }
  first(name: string): string | undefined {
    return this.#byKey.get(this.#key(name))?.values[0];
  }
  /** The values of a name: shared with clones, never to be modified (copy them). */
  all(name: string): string[] | undefined {
    return this.#byKey.get(this.#key(name))?.values;
  }
  /**
   * [name, value, name, value, ...] as node and undici take headers, leaving out the keys in `skip` (lowercased,
   * for headers): one pass over the stored keys, no lowercasing per name.
   */
  flat(skip: ReadonlySet<string>): string[] {
    const out: string[] = [];
    for (const [k, e] of this.#byKey) {
      if (skip.has(k)) continue;
      const values = e.values;
      for (let i = 0; i < values.length; i++) out.push(e.name, values[i]!);
    }
    return out;
  }
  /** The stored keys (lowercased names, for headers) that are in `keys`, in insertion order; undefined if none. */
  keysIn(keys: ReadonlySet<string>): string[] | undefined {
    let found: string[] | undefined;
    for (const k of this.#byKey.keys()) if (keys.has(k)) (found ??= []).push(k);
    return found;
  }
  get size(): number {
    return this.#byKey.size;
  }
  /** Calls fn per name in insertion order (cheaper than entries() on hot paths: no generator, no tuples). */
  forEach(fn: (name: string, values: string[]) => void): void {
    for (const e of this.#byKey.values()) fn(e.name, e.values);
  }
  *entries(): IterableIterator<[string, string[]]> {
    for (const e of this.#byKey.values()) yield [e.name, e.values];
  }
  /** name → last value, in insertion order. */
  single(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.#byKey.values()) out[e.name] = e.values[e.values.length - 1]!;
    return out;
  }
  multi(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const e of this.#byKey.values()) out[e.name] = e.values.slice();
    return out;
  }
  clone(): MultiMap {
    const m = new MultiMap(this.#fold);
    // The keys are reused as they are (already folded, their hashes already computed), and the value arrays
    // shared: nothing modifies them in place (append and set replace them).
    for (const [k, e] of this.#byKey) m.#byKey.set(k, { name: e.name, values: e.values });
    return m;
  }
}

/** Percent-decoding that leaves malformed sequences as they are (AWS does not reject them). */
export function decodeLenient(s: string): string {
  if (s.indexOf('%') === -1) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s.replace(/%[0-9a-fA-F]{2}/g, (m) => {
      try {
        return decodeURIComponent(m);
      } catch {
        return m;
      }
    });
  }
}

/** The query of requests without one, shared: method request maps are never modified after parsing. */
const NO_QUERY = new MultiMap(false);

/** Parses a raw query string into a multi-value map; values are percent-decoded ('+' is kept, as AWS does). */
export function parseQuery(raw: string): MultiMap {
  if (raw === '') return NO_QUERY;
  const q = new MultiMap(false);
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    // Form encoding: '+' is a space, '%2B' a plus (recorded on AWS: `plus=test+alias@gmail.com` arrives as
    // `test alias@gmail.com` in queryStringParameters and $input.params).
    const name = decodeQueryPart(eq === -1 ? part : part.slice(0, eq));
    const value = eq === -1 ? '' : decodeQueryPart(part.slice(eq + 1));
    q.append(name, value);
  }
  return q;
}

function decodeQueryPart(s: string): string {
  return decodeLenient(s.indexOf('+') === -1 ? s : s.replace(/\+/g, ' '));
}

/** The media type of a Content-Type / Accept entry, lowercased, without parameters. */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const semi = contentType.indexOf(';');
  return (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
}

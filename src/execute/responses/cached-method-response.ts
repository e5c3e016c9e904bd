// A method response served from the stage cache: the stored status, headers and body, written straight from the
// stored header list (no map) unless something needs the map (compression, the execution log).
import { MultiMap } from '../headers.ts';
import type { MethodResponse } from '../invocation.ts';
import type { CachedResponse } from '../../cache/cached-response.ts';

export class CachedMethodResponse implements MethodResponse {
  readonly statusCode: number;
  body: Buffer;
  readonly compressible = true;
  /** The stored headers, then what this request adds ([name, value, ...], no Content-Length). */
  readonly wireHeaders: string[];
  #headers: MultiMap | undefined;
  constructor(r: CachedResponse) {
    this.statusCode = r.statusCode;
    this.body = r.body;
    // A copy: this request's headers are added to it, and the stored response may serve others.
    this.wireHeaders = r.headers.slice();
  }
  /** Whether the headers were turned into a map (which then is what gets written). */
  get mapped(): boolean {
    return this.#headers !== undefined;
  }
  get headers(): MultiMap {
    if (this.#headers === undefined) {
      const m = new MultiMap(true);
      const flat = this.wireHeaders;
      for (let i = 0; i < flat.length; i += 2) m.append(flat[i]!, flat[i + 1]!);
      this.#headers = m;
    }
    return this.#headers;
  }
  /** Adds a header to whichever form will be written. */
  add(name: string, value: string, key: string): void {
    if (this.#headers) this.#headers.set(name, value, key);
    else this.wireHeaders.push(name, value);
  }
}

// A method response served from the stage cache: the stored status, headers and body, written straight from the
// stored header list (no map) unless something needs the map (compression, the execution log).
import { MultiMap } from '../headers.ts';
import type { MethodResponse } from '../invocation.ts';
import type { CachedResponse } from '../../cache/cached-response.ts';
import { SMALL_BODY } from './write.ts';

/**
 * A stored response as hits write it, made once per stored value (./pipeline/cache-lookup.ts keeps it with the
 * value): the Content-Length and, for a small body, the latin1 text node writes with the headers, are not made again
 * per hit.
 */
export class ServableResponse {
  readonly statusCode: number;
  /** [name, value, ...] as stored: without Content-Length and what is per request. */
  readonly headers: readonly string[];
  readonly body: Buffer;
  readonly contentLength: string;
  /** The body as latin1 text (byte for byte) when it is small enough to go out in one write with the headers. */
  readonly smallBody: string | undefined;
  constructor(r: CachedResponse) {
    this.statusCode = r.statusCode;
    this.headers = r.headers;
    this.body = r.body;
    this.contentLength = String(r.body.length);
    this.smallBody = r.body.length <= SMALL_BODY ? r.body.toString('latin1') : undefined;
  }
}

/** The headers a hit adds for its own request (what ../pipeline/method-response.ts gives every response). */
export interface PerRequestHeaders {
  requestId: string;
  extendedRequestId: string;
  /** X-Amzn-Trace-Id, for the integration types whose responses carry it. */
  traceId: string | undefined;
  /** The Warning of an unauthorized Cache-Control: max-age=0 (SUCCEED_WITH_RESPONSE_HEADER). */
  warning: string | undefined;
}

export class CachedMethodResponse implements MethodResponse {
  readonly statusCode: number;
  body: Buffer;
  readonly compressible = true;
  readonly stored: ServableResponse;
  #own: PerRequestHeaders | undefined = undefined;
  #headers: MultiMap | undefined = undefined;
  constructor(r: ServableResponse) {
    this.stored = r;
    this.statusCode = r.statusCode;
    this.body = r.body;
  }
  /** Whether the headers were turned into a map (which then is what gets written, with `body`). */
  get mapped(): boolean {
    return this.#headers !== undefined;
  }
  get headers(): MultiMap {
    if (this.#headers === undefined) {
      const m = new MultiMap(true);
      const stored = this.stored.headers;
      for (let i = 0; i < stored.length; i += 2) m.append(stored[i]!, stored[i + 1]!);
      if (this.#own !== undefined) setOwn(m, this.#own);
      this.#headers = m;
    }
    return this.#headers;
  }
  /** This request's own headers, added to whichever form will be written. */
  addOwn(own: PerRequestHeaders): void {
    this.#own = own;
    if (this.#headers !== undefined) setOwn(this.#headers, own);
  }
  /**
   * The headers for writeHead while not mapped: stored, this request's, then Content-Length. Pushed into a new array
   * (measured: 4× faster than concat here), a packed array as every other response's header list is.
   */
  wireHeaders(): string[] {
    const stored = this.stored.headers;
    const out: string[] = [];
    for (let i = 0; i < stored.length; i++) out.push(stored[i]!);
    const own = this.#own;
    if (own !== undefined) {
      out.push('x-amzn-RequestId', own.requestId, 'x-amz-apigw-id', own.extendedRequestId);
      if (own.traceId !== undefined) out.push('X-Amzn-Trace-Id', own.traceId);
      if (own.warning !== undefined) out.push('Warning', own.warning);
    }
    out.push('Content-Length', this.stored.contentLength);
    return out;
  }
}

function setOwn(m: MultiMap, own: PerRequestHeaders): void {
  m.set('x-amzn-RequestId', own.requestId, 'x-amzn-requestid');
  m.set('x-amz-apigw-id', own.extendedRequestId, 'x-amz-apigw-id');
  if (own.traceId !== undefined) m.set('X-Amzn-Trace-Id', own.traceId, 'x-amzn-trace-id');
  if (own.warning !== undefined) m.set('Warning', own.warning, 'warning');
}

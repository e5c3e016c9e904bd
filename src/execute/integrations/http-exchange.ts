// One request/response exchange with a backend through an undici pool's dispatch, without undici's `request`
// wrapper (its promise, handler and body stream per request cost more than the rest of a proxied invocation).
// Small responses (and every non-proxy one) are collected into a Buffer; large proxy responses are handed on as a
// Readable fed with backpressure (the controller pauses the socket while the client is slow).
import { Readable } from 'node:stream';
import type { Dispatcher, Pool } from 'undici';
import { MultiMap } from '../headers.ts';

export type BackendHeaders = Record<string, string | string[] | undefined>;

/** The backend's response; its header map is built on first read (an HTTP_PROXY response may never need it). */
export class Exchanged {
  readonly statusCode: number;
  /** The headers as undici parsed them: names lowercased, repeated names as arrays. */
  readonly backendHeaders: BackendHeaders;
  readonly body: Buffer | Readable;
  #headers: MultiMap | undefined;
  constructor(statusCode: number, backendHeaders: BackendHeaders, body: Buffer | Readable) {
    this.statusCode = statusCode;
    this.backendHeaders = backendHeaders;
    this.body = body;
  }
  get headers(): MultiMap {
    return (this.#headers ??= headerMap(this.backendHeaders));
  }
}

export interface ExchangeOptions {
  method: string;
  path: string;
  headers: string[];
  body: Buffer | AsyncIterable<Buffer> | undefined;
  /** undici's header/body timeouts (ms). */
  timeout: number;
  /** Bodies larger than this (or of unknown length) are streamed; Infinity buffers everything. */
  streamAbove: number;
  /** Aborts the exchange (a precise integration deadline). */
  signal?: AbortSignal;
  /** Turns a failure before the response is handed on into the error the promise rejects with. */
  mapError(err: Error): Error;
  /** Called once when the promise settles (the deadline's timer is no longer needed). */
  settled?(): void;
}

const EMPTY = Buffer.alloc(0);

function headerMap(raw: BackendHeaders): MultiMap {
  const headers = new MultiMap(true);
  for (const name in raw) {
    const value = raw[name];
    // undici lowercases response header names: each name is its own key.
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value : [value], name);
  }
  return headers;
}

/**
 * One promise per exchange: errors are mapped and the caller's clean-up runs here rather than in chained
 * handlers (each `then` or `await` layer on a proxied request costs a promise and a microtask).
 */
export function exchange(pool: Pool, opts: ExchangeOptions): Promise<Exchanged> {
  return new Promise<Exchanged>((resolve, reject) => {
    const handler = new ExchangeHandler(opts, resolve, reject);
    try {
      pool.dispatch(
        {
          method: opts.method as Dispatcher.HttpMethod,
          path: opts.path,
          headers: opts.headers,
          body: opts.body as Buffer | undefined,
          headersTimeout: opts.timeout,
          bodyTimeout: opts.timeout,
        },
        handler,
      );
    } catch (err) {
      handler.onResponseError(undefined, err as Error);
    }
  });
}

/** undici's handler for one exchange: one object per request (its methods are shared, not per-request closures). */
class ExchangeHandler implements Dispatcher.DispatchHandler {
  readonly #opts: ExchangeOptions;
  readonly #resolve: (r: Exchanged) => void;
  readonly #reject: (err: Error) => void;
  #settled = false;
  #status = 0;
  #headers: BackendHeaders | undefined;
  #chunks: Buffer[] | undefined;
  #size = 0;
  #stream: Readable | undefined;
  #controller: Dispatcher.DispatchController | undefined;
  /** Listens to opts.signal (precise deadlines only). */
  readonly #onAbort: (() => void) | undefined;

  constructor(opts: ExchangeOptions, resolve: (r: Exchanged) => void, reject: (err: Error) => void) {
    this.#opts = opts;
    this.#resolve = resolve;
    this.#reject = reject;
    if (opts.signal) {
      this.#onAbort = () => this.#controller?.abort(new Error('integration deadline'));
      opts.signal.addEventListener('abort', this.#onAbort, { once: true });
    }
  }

  #succeed(r: Exchanged): void {
    this.#settled = true;
    this.#opts.settled?.();
    this.#resolve(r);
  }

  #fail(err: Error): void {
    this.#settled = true;
    this.#opts.settled?.();
    this.#reject(this.#opts.mapError(err));
  }

  #unlisten(): void {
    if (this.#onAbort) this.#opts.signal!.removeEventListener('abort', this.#onAbort);
  }

  onRequestStart(c: Dispatcher.DispatchController): void {
    this.#controller = c;
    if (this.#opts.signal?.aborted) c.abort(new Error('integration deadline'));
  }

  onResponseStart(c: Dispatcher.DispatchController, statusCode: number, rawHeaders: BackendHeaders): void {
    this.#status = statusCode;
    this.#headers = rawHeaders;
    const length = Number(rawHeaders['content-length'] ?? -1);
    if (length >= 0 && length <= this.#opts.streamAbove) {
      this.#chunks = [];
      return;
    }
    this.#stream = new Readable({ read: () => c.resume() });
    this.#succeed(new Exchanged(statusCode, rawHeaders, this.#stream));
  }

  onResponseData(c: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#chunks) {
      this.#chunks.push(chunk);
      this.#size += chunk.length;
    } else if (this.#stream && !this.#stream.push(chunk)) c.pause();
  }

  onResponseEnd(): void {
    this.#unlisten();
    if (this.#stream) {
      this.#stream.push(null);
      return;
    }
    const chunks = this.#chunks;
    const body = !chunks || chunks.length === 0 ? EMPTY : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, this.#size);
    this.#succeed(new Exchanged(this.#status, this.#headers!, body));
  }

  onResponseError(_c: Dispatcher.DispatchController | undefined, err: Error): void {
    this.#unlisten();
    if (this.#stream) this.#stream.destroy(err);
    else if (!this.#settled) this.#fail(err);
  }
}

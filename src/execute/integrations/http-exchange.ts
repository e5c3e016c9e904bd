// One request/response exchange with a backend through an undici pool's dispatch, without undici's `request`
// wrapper (its promise, handler and body stream per request cost more than the rest of a proxied invocation).
// Small responses, responses of unknown length (chunked) and every non-proxy one are collected into a Buffer;
// large proxy responses of declared length are handed on as a Readable fed with backpressure (the controller
// pauses the socket while the client is slow). Either way API Gateway's bounds hold: the integration timeout
// covers the whole exchange (request body, headers, response body), and a response body over the payload limit
// is refused (a declared Content-Length at once, without reading the body; a body of unknown length when it
// passes the limit), so no response grows the server's memory by more than the limit.
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
  /** The integration timeout (ms): the whole exchange, from dispatch to the last byte of the response body. */
  deadline: number;
  /** Bodies of declared length above this are streamed; others (and bodies of unknown length) are collected. */
  streamAbove: number;
  /** The largest response body accepted (API Gateway's 10 MB payload limit). */
  maxBodyBytes: number;
  /** Turns a network failure before the response is handed on into the error the promise rejects with. */
  mapError(err: Error): Error;
  /** The error for a deadline passed before the response was handed on (504). */
  timedOut(): Error;
  /** The error for a response body over maxBodyBytes; `reported` is the declared Content-Length, if any. */
  tooLarge(reported: number | undefined): Error;
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
          // undici's own timers measure idle time only (a trickled body resets them): a safety net behind the
          // deadline, which this handler keeps.
          headersTimeout: opts.deadline + 1000,
          bodyTimeout: opts.deadline + 1000,
        },
        handler,
      );
    } catch (err) {
      handler.onResponseError(undefined, err as Error);
    }
  });
}

/**
 * Responses without a body whatever their headers say (RFC 9110): their Content-Length is not a payload (a HEAD's
 * large one is still handed on as an empty stream, so the client sees the length).
 */
const noBody = (method: string, status: number) => method === 'HEAD' || status === 204 || status === 304 || (status >= 100 && status < 200);

/** undici's handler for one exchange: one object per request (its methods are shared, not per-request closures). */
class ExchangeHandler implements Dispatcher.DispatchHandler {
  readonly #opts: ExchangeOptions;
  readonly #resolve: (r: Exchanged) => void;
  readonly #reject: (err: Error) => void;
  /** The promise is settled (resolved with the response or rejected). */
  #settled = false;
  /** The exchange is over (body complete or failed): the deadline no longer applies. */
  #over = false;
  #status = 0;
  #headers: BackendHeaders | undefined;
  #chunks: Buffer[] | undefined;
  #size = 0;
  #stream: Readable | undefined;
  /** The socket is paused because the client reads a streamed body slower than the backend sends it. */
  #paused = false;
  #controller: Dispatcher.DispatchController | undefined;
  /** Set before aborting the exchange on purpose (deadline, size limit): what the promise rejects with. */
  #failure: Error | undefined;
  #timer: NodeJS.Timeout;
  /** The deadline was extended once for a client reading a streamed body slowly. */
  #extended = false;

  constructor(opts: ExchangeOptions, resolve: (r: Exchanged) => void, reject: (err: Error) => void) {
    this.#opts = opts;
    this.#resolve = resolve;
    this.#reject = reject;
    this.#timer = setTimeout(() => this.#onDeadline(), opts.deadline);
  }

  #onDeadline(): void {
    if (this.#over) return;
    if (this.#stream) {
      // The client already has the status and headers: all that is left is to stop. A client reading slower than
      // the backend sends is not the backend's delay: it gets one more timeout's worth, never more (a client that
      // stops reading cannot hold the backend connection open).
      if (this.#paused && !this.#extended) {
        this.#extended = true;
        this.#timer = setTimeout(() => this.#onDeadline(), this.#opts.deadline);
        return;
      }
      this.#controller?.abort(new Error('integration timeout'));
      return;
    }
    this.#abort(this.#opts.timedOut());
  }

  /** Ends the exchange with `failure` (rejecting now, even if undici has not started the request yet). */
  #abort(failure: Error): void {
    this.#failure = failure;
    if (this.#controller) this.#controller.abort(failure);
    else this.#fail(failure);
  }

  #end(): void {
    this.#over = true;
    clearTimeout(this.#timer);
  }

  #succeed(r: Exchanged): void {
    this.#settled = true;
    this.#resolve(r);
  }

  #fail(err: Error): void {
    this.#end();
    if (this.#settled) return;
    this.#settled = true;
    this.#reject(err);
  }

  onRequestStart(c: Dispatcher.DispatchController): void {
    this.#controller = c;
    if (this.#failure) c.abort(this.#failure);
  }

  onResponseStart(c: Dispatcher.DispatchController, statusCode: number, rawHeaders: BackendHeaders): void {
    this.#status = statusCode;
    this.#headers = rawHeaders;
    const declared = rawHeaders['content-length'];
    const length = declared === undefined ? -1 : Number(Array.isArray(declared) ? declared[0] : declared);
    if (length > this.#opts.maxBodyBytes && !noBody(this.#opts.method, statusCode)) {
      // Refused on the declared length: the body is never read (the connection is dropped with it).
      this.#abort(this.#opts.tooLarge(length));
      return;
    }
    if (length < 0 || length <= this.#opts.streamAbove) {
      this.#chunks = [];
      return;
    }
    this.#stream = new Readable({
      read: () => {
        this.#paused = false;
        c.resume();
      },
      // The client went away (the response pipe destroys the body): the backend exchange ends with it, rather
      // than waiting paused on a connection nobody reads.
      destroy: (err, done) => {
        if (!this.#over) c.abort(err ?? new Error('client disconnected'));
        done(err);
      },
    });
    this.#succeed(new Exchanged(statusCode, rawHeaders, this.#stream));
  }

  onResponseData(c: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#chunks) {
      this.#size += chunk.length;
      if (this.#size > this.#opts.maxBodyBytes) {
        this.#chunks = undefined;
        this.#abort(this.#opts.tooLarge(undefined));
        return;
      }
      this.#chunks.push(chunk);
    } else if (this.#stream && !this.#stream.push(chunk)) {
      this.#paused = true;
      c.pause();
    }
  }

  onResponseEnd(): void {
    this.#end();
    if (this.#stream) {
      this.#stream.push(null);
      return;
    }
    const chunks = this.#chunks;
    const body = !chunks || chunks.length === 0 ? EMPTY : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, this.#size);
    this.#succeed(new Exchanged(this.#status, this.#headers!, body));
  }

  onResponseError(_c: Dispatcher.DispatchController | undefined, err: Error): void {
    this.#end();
    if (this.#stream) this.#stream.destroy(err);
    else if (!this.#settled) this.#fail(this.#failure ?? this.#opts.mapError(err));
  }
}

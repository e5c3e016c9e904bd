// The method request body: read once on demand (validation, templates, mappings), or forwarded as it arrives to a
// proxy integration when its length is declared. Either way API Gateway's 10 MB payload limit holds (413 from the
// front end), however the body is framed: a declared Content-Length is checked at once, a chunked body as it
// arrives. A client that goes away mid-body ends the read with ClientDisconnectedError.
import type { IncomingMessage } from 'node:http';
import { gunzip, inflate, inflateRaw } from 'node:zlib';
import { promisify } from 'node:util';
import { MAX_PAYLOAD_BYTES, PayloadTooLargeError } from './responses/front-end.ts';
import { RequestTooLargeError, UnsupportedMediaTypeError } from './responses/gateway-errors.ts';
const EMPTY = Buffer.alloc(0);
const zlib = { gzip: promisify(gunzip), deflate: promisify(inflate), deflateRaw: promisify(inflateRaw) };

/**
 * A request payload in a content coding, decompressed as API Gateway does before dispatching it ("it attempts to
 * decompress the payload with the specified content coding ... If the specified coding isn't supported or the
 * supplied payload isn't compressed with specified coding, API Gateway returns the 415 Unsupported Media Type
 * error response": the guide's "Call an API method with a compressed payload"). Decompressed, it is held to the
 * payload limit: 413 "Request Too Long" past 10 MB. Off the event loop (zlib's thread pool).
 */
export async function decodeContent(body: Buffer, coding: string): Promise<Buffer> {
  const c = coding.trim().toLowerCase();
  if (c === 'identity' || body.length === 0) return body;
  if (c !== 'gzip' && c !== 'x-gzip' && c !== 'deflate') throw new UnsupportedMediaTypeError();
  const options = { maxOutputLength: MAX_PAYLOAD_BYTES };
  try {
    if (c !== 'deflate') return await zlib.gzip(body, options);
    // 'deflate' is zlib-wrapped by the standard; some clients send it raw.
    return await zlib.deflate(body, options).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ERR_BUFFER_TOO_LARGE') throw e;
      return zlib.deflateRaw(body, options);
    });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new RequestTooLargeError();
    throw new UnsupportedMediaTypeError();
  }
}

/** The client closed its connection before its request body was complete: nobody is left to answer. */
export class ClientDisconnectedError extends Error {
  constructor() {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super('client disconnected before its request body was complete');
    Error.stackTraceLimit = limit;
  }
}

export class RequestBody {
  readonly #req: IncomingMessage | undefined;
  #buffer: Buffer | undefined;
  #reading: Promise<Buffer> | undefined;
  #streamed = false;
  #overflowed = false;

  /** The declared (Content-Length) or known size is past the limit: the request is answered 413 at once. */
  readonly tooLarge: boolean;
  /** The length is known before reading (Content-Length, or a buffer); false for chunked bodies. */
  readonly declaredLength: boolean;

  constructor(source: IncomingMessage | Buffer) {
    if (Buffer.isBuffer(source)) {
      this.#req = undefined;
      this.tooLarge = source.length > MAX_PAYLOAD_BYTES;
      this.declaredLength = true;
      this.#buffer = source;
      return;
    }
    this.#req = source;
    const length = source.headers['content-length'];
    this.tooLarge = length !== undefined && Number(length) > MAX_PAYLOAD_BYTES;
    this.declaredLength = length !== undefined;
    if ((length === undefined || length === '0') && source.headers['transfer-encoding'] === undefined) this.#buffer = EMPTY;
  }

  /** The body if it is already known (empty bodies are known at once). */
  get buffered(): Buffer | undefined {
    return this.#buffer;
  }

  /** Whether the body may still be forwarded as a stream (nobody has read it). */
  get streamable(): boolean {
    return this.#buffer === undefined && this.#reading === undefined && !this.#streamed;
  }

  /** The body passed the payload limit while it arrived (a failure downstream of it is then a 413). */
  get overflowed(): boolean {
    return this.#overflowed;
  }

  read(): Promise<Buffer> | Buffer {
    if (this.tooLarge) throw new PayloadTooLargeError();
    if (this.#buffer !== undefined) return this.#buffer;
    if (this.#streamed) throw new Error('request body was already forwarded');
    this.#reading ??= new Promise<Buffer>((resolve, reject) => {
      const req = this.#req!;
      const chunks: Buffer[] = [];
      let size = 0;
      const onData = (c: Buffer) => {
        size += c.length;
        if (size > MAX_PAYLOAD_BYTES) {
          this.#overflowed = true;
          chunks.length = 0;
          req.off('data', onData);
          // The rest is discarded as it comes until the 413 closes the connection.
          req.resume();
          reject(new PayloadTooLargeError());
          return;
        }
        chunks.push(c);
      };
      req.on('data', onData);
      req.once('end', () => {
        this.#buffer = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
        resolve(this.#buffer);
      });
      // node reports a client gone mid-body as 'error' (aborted) and 'close' without 'end'.
      req.once('error', () => reject(new ClientDisconnectedError()));
      req.once('close', () => {
        if (!req.complete) reject(new ClientDisconnectedError());
      });
    });
    return this.#reading;
  }

  /** Forwards the body as it arrives, failing with 413 past the payload limit. */
  async *stream(): AsyncGenerator<Buffer> {
    this.#streamed = true;
    let size = 0;
    for await (const chunk of this.#req! as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_PAYLOAD_BYTES) {
        this.#overflowed = true;
        throw new PayloadTooLargeError();
      }
      yield chunk;
    }
  }
}

// The method request body: read once on demand (validation, templates, mappings), or forwarded as it arrives to a
// proxy integration. Either way API Gateway's 10 MB payload limit holds (413 from the front end).
import type { IncomingMessage } from 'node:http';
import { MAX_PAYLOAD_BYTES, PayloadTooLargeError } from './responses/front-end.ts';
const EMPTY = Buffer.alloc(0);

export class RequestBody {
  readonly #req: IncomingMessage | undefined;
  #buffer: Buffer | undefined;
  #reading: Promise<Buffer> | undefined;
  #streamed = false;

  /** The declared (Content-Length) or known size is past the limit: the request is answered 413 at once. */
  readonly tooLarge: boolean;

  constructor(source: IncomingMessage | Buffer) {
    if (Buffer.isBuffer(source)) {
      this.#req = undefined;
      this.tooLarge = source.length > MAX_PAYLOAD_BYTES;
      this.#buffer = source;
      return;
    }
    this.#req = source;
    const length = source.headers['content-length'];
    this.tooLarge = length !== undefined && Number(length) > MAX_PAYLOAD_BYTES;
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
          req.off('data', onData);
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
      req.once('error', reject);
    });
    return this.#reading;
  }

  /** Forwards the body as it arrives, failing with 413 past the payload limit. */
  async *stream(): AsyncGenerator<Buffer> {
    this.#streamed = true;
    let size = 0;
    for await (const chunk of this.#req! as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_PAYLOAD_BYTES) throw new PayloadTooLargeError();
      yield chunk;
    }
  }
}

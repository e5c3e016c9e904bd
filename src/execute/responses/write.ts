// The one place a response reaches the client: status, headers (multi-value, case as mapped) and a buffered or
// streamed body. Streams are piped (never stream.pipeline around undici bodies: it halves throughput).
import type { ServerResponse } from 'node:http';
import type { MultiMap } from '../headers.ts';
import type { CachedMethodResponse } from './cached-method-response.ts';

/** Bodies up to this size are written as latin1 text with the headers (one write). */
export const SMALL_BODY = 16 * 1024;
/** Content-Length is written from the body actually sent, never taken from the mapped headers. */
const CONTENT_LENGTH = new Set(['content-length']);

export type ResponseBody = string | Buffer | (AsyncIterable<Uint8Array> & { destroy?(err?: Error): void; pipe?: unknown });

export function writeResponse(res: ServerResponse, statusCode: number, headers: MultiMap, body: ResponseBody): void | Promise<void> {
  const streamed = typeof body !== 'string' && !Buffer.isBuffer(body);
  return writeFlat(res, statusCode, headers.flat(CONTENT_LENGTH), streamed ? headers.first('content-length') : undefined, body);
}

/** A stage-cache hit not turned into a map: its prepared headers (Content-Length included) and body. */
export function writeCachedHit(res: ServerResponse, mr: CachedMethodResponse): void {
  res.writeHead(mr.statusCode, mr.wireHeaders());
  const small = mr.stored.smallBody;
  if (small !== undefined) res.end(small, 'latin1');
  else res.end(mr.body);
}

/**
 * writeResponse for headers already in node's [name, value, ...] form, without Content-Length (added here; a
 * stream's is `streamLength`). `flat` is this response's own array: it is appended to.
 */
export function writeFlat(res: ServerResponse, statusCode: number, flat: string[], streamLength: string | undefined, body: ResponseBody): void | Promise<void> {
  if (typeof body === 'string') {
    flat.push('Content-Length', String(Buffer.byteLength(body)));
    res.writeHead(statusCode, flat);
    res.end(body);
    return;
  }
  if (Buffer.isBuffer(body)) {
    flat.push('Content-Length', String(body.length));
    res.writeHead(statusCode, flat);
    // A small body goes as a latin1 string (byte for byte): node then sends headers and body in one write.
    if (body.length <= SMALL_BODY) res.end(body.toString('latin1'), 'latin1');
    else res.end(body);
    return;
  }
  if (streamLength !== undefined) flat.push('Content-Length', streamLength);
  res.writeHead(statusCode, flat);
  const stream = body as unknown as NodeJS.ReadableStream & { destroy(err?: Error): void };
  if (typeof (stream as { pipe?: unknown }).pipe === 'function') {
    return new Promise<void>((resolve) => {
      const fail = () => {
        stream.destroy();
        res.destroy();
        resolve();
      };
      stream.once('error', fail);
      res.once('close', () => {
        if (!res.writableFinished) stream.destroy();
        resolve();
      });
      stream.pipe(res);
    });
  }
  return (async () => {
    try {
      for await (const chunk of body) res.write(chunk);
      res.end();
    } catch {
      res.destroy();
    }
  })();
}

// One request/response exchange with a backend through an undici pool's dispatch, without undici's `request`
// wrapper (its promise, handler and body stream per request cost more than the rest of a proxied invocation).
// Small responses (and every non-proxy one) are collected into a Buffer; large proxy responses are handed on as a
// Readable fed with backpressure (the controller pauses the socket while the client is slow).
import { Readable } from 'node:stream';
import type { Dispatcher, Pool } from 'undici';
import { MultiMap } from '../headers.ts';

export interface Exchanged {
  statusCode: number;
  headers: MultiMap;
  body: Buffer | Readable;
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
}

const EMPTY = Buffer.alloc(0);

function headerMap(raw: Record<string, string | string[] | undefined>): MultiMap {
  const headers = new MultiMap(true);
  for (const name in raw) {
    const value = raw[name];
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value : [value]);
  }
  return headers;
}

export function exchange(pool: Pool, opts: ExchangeOptions, signal?: AbortSignal): Promise<Exchanged> {
  return new Promise<Exchanged>((resolve, reject) => {
    let settled = false;
    let status = 0;
    let headers: MultiMap;
    let chunks: Buffer[] | undefined;
    let size = 0;
    let stream: Readable | undefined;
    let controller: Dispatcher.DispatchController | undefined;
    const fail = (err: Error) => {
      if (stream) stream.destroy(err);
      else if (!settled) {
        settled = true;
        reject(err);
      }
    };
    const onAbort = () => controller?.abort(new Error('integration deadline'));
    signal?.addEventListener('abort', onAbort, { once: true });
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        if (signal?.aborted) c.abort(new Error('integration deadline'));
      },
      onResponseStart(c, statusCode, rawHeaders) {
        status = statusCode;
        headers = headerMap(rawHeaders as Record<string, string | string[] | undefined>);
        const length = Number(rawHeaders['content-length'] ?? -1);
        if (length >= 0 && length <= opts.streamAbove) {
          chunks = [];
          return;
        }
        stream = new Readable({ read: () => c.resume() });
        settled = true;
        resolve({ statusCode: status, headers, body: stream });
      },
      onResponseData(c, chunk) {
        if (chunks) {
          chunks.push(chunk);
          size += chunk.length;
        } else if (stream && !stream.push(chunk)) c.pause();
      },
      onResponseEnd() {
        signal?.removeEventListener('abort', onAbort);
        if (stream) {
          stream.push(null);
          return;
        }
        settled = true;
        const body = !chunks || chunks.length === 0 ? EMPTY : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
        resolve({ statusCode: status, headers, body });
      },
      onResponseError(_c, err) {
        signal?.removeEventListener('abort', onAbort);
        fail(err);
      },
    };
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
  });
}

// Response compression as API Gateway does it when the API sets minimumCompressionSize: gzip or deflate by the
// client's Accept-Encoding, for bodies at least that large that are not already encoded.
import { deflate, gzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { MethodResponse } from '../invocation.ts';

const gzipAsync = promisify(gzip);
const deflateAsync = promisify(deflate);

export function acceptedEncoding(acceptEncoding: string | undefined): 'gzip' | 'deflate' | undefined {
  if (!acceptEncoding) return undefined;
  let best: 'gzip' | 'deflate' | undefined;
  for (const part of acceptEncoding.split(',')) {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q !== undefined && Number(q.slice(2)) === 0) continue;
    if (coding === 'gzip' || coding === '*') return 'gzip';
    if (coding === 'deflate') best ??= 'deflate';
  }
  return best;
}

async function collect(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

export async function compressIfAccepted(mr: MethodResponse, minimumSize: number, acceptEncoding: string | undefined): Promise<void> {
  const coding = acceptedEncoding(acceptEncoding);
  if (!coding || mr.headers.has('content-encoding')) return;
  const body = typeof mr.body === 'string' ? Buffer.from(mr.body) : Buffer.isBuffer(mr.body) ? mr.body : await collect(mr.body);
  mr.body = body;
  if (body.length < minimumSize) return;
  mr.body = coding === 'gzip' ? await gzipAsync(body) : await deflateAsync(body);
  mr.headers.set('Content-Encoding', coding);
  mr.headers.delete('content-length');
}

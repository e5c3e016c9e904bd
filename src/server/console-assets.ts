// The web console's static files (console/dist, built by `npm install`'s prepare script), served under
// /_gatehouse/console/. The page drives Gatehouse only through its own AWS endpoints (SigV4-signed SDK calls from
// the same origin), so its headers make sure no other page can frame it, and its CSP loads nothing but its own
// files and talks to nothing but this origin.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

export const CONSOLE_DIST = resolve(import.meta.dirname, '..', '..', 'console', 'dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.txt', '.map']);

/** Every answer of the console carries these (errors too): no framing, no sniffing, no leaks, own files only. */
export const CONSOLE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** Whether the console has been built (the startup lines say how to build it otherwise). */
export function consoleBuilt(dist = CONSOLE_DIST): boolean {
  return existsSync(join(dist, 'index.html'));
}

const NOT_BUILT =
  'The Gatehouse console is not built: run `npm install` (its prepare script builds it) or `npm run build:console` in the Gatehouse directory, then reload.';

/** Compressed bodies by file and modification time: hashed assets never change, index.html only on a rebuild. */
const gzipped = new Map<string, { mtimeMs: number; body: Buffer }>();

function text(req: IncomingMessage, res: ServerResponse, status: number, body: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...CONSOLE_SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store', ...extra });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** The file a console path names inside `dist`, or undefined when it would leave it. `rest` is after /console/. */
function fileOf(dist: string, rest: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    return undefined;
  }
  if (decoded === '' || decoded.endsWith('/')) decoded += 'index.html';
  if (decoded.includes('\0') || decoded.split(/[\\/]/).some((seg) => seg === '..')) return undefined;
  const file = resolve(join(dist, decoded));
  return file.startsWith(dist + sep) ? file : undefined;
}

/** Serves `/_gatehouse/console…`; `endpoint` is the path after /_gatehouse. */
export async function serveConsole(req: IncomingMessage, res: ServerResponse, endpoint: string, dist = CONSOLE_DIST): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return text(req, res, 405, 'Method Not Allowed', { Allow: 'GET, HEAD' });
  // `/_gatehouse/console` → the folder, so the page's relative URLs resolve under it.
  if (endpoint === '/console') return text(req, res, 308, 'Moved to /_gatehouse/console/', { Location: '/_gatehouse/console/' });
  const file = fileOf(dist, endpoint.slice('/console/'.length));
  if (file === undefined) return text(req, res, 404, `Not Found: /_gatehouse${endpoint}`);
  let info;
  try {
    info = await stat(file);
    if (!info.isFile()) throw new Error('not a file');
  } catch {
    if (file === join(dist, 'index.html')) return text(req, res, 503, NOT_BUILT);
    return text(req, res, 404, `Not Found: /_gatehouse${endpoint}`);
  }
  const ext = extname(file);
  const hashed = file.startsWith(join(dist, 'assets') + sep);
  const headers: Record<string, string> = {
    ...CONSOLE_SECURITY_HEADERS,
    'Content-Type': TYPES[ext] ?? 'application/octet-stream',
    // Vite names assets by their content hash: they never change. index.html names the current ones.
    'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
  };
  let body: Buffer;
  const accepts = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  if (accepts && COMPRESSIBLE.has(ext)) {
    let cached = gzipped.get(file);
    if (!cached || cached.mtimeMs !== info.mtimeMs) {
      cached = { mtimeMs: info.mtimeMs, body: gzipSync(await readFile(file)) };
      gzipped.set(file, cached);
    }
    body = cached.body;
    headers['Content-Encoding'] = 'gzip';
    headers.Vary = 'Accept-Encoding';
  } else {
    body = await readFile(file);
  }
  headers['Content-Length'] = String(body.length);
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

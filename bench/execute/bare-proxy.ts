// The bare proxy the HTTP_PROXY benchmarks compare Gatehouse with: a node:http(s) request handler forwarding to the
// backend through an undici Pool and streaming the answer back (502 when the backend fails), nothing else.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Pool } from 'undici';

/** A request listener proxying to 127.0.0.1:`backendPort`, the path as `pathOf` rewrites it. */
export function bareProxy(backendPort: number | string, pathOf = (url: string) => url): (req: IncomingMessage, res: ServerResponse) => void {
  const pool = new Pool(`http://127.0.0.1:${backendPort}`, { connections: 128 });
  return (req, res) => {
    pool.stream({ path: pathOf(req.url!), method: req.method as 'GET', headers: req.headers, body: req.method === 'GET' ? undefined : req }, ({ statusCode, headers }) => {
      res.writeHead(statusCode, headers as Record<string, string>);
      return res;
    }).catch(() => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
  };
}

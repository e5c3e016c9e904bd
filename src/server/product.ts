// Gatehouse's own endpoints under /_gatehouse/: health, metrics, the dev-mode reset, and the console.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Gatehouse } from './app.ts';

function json(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...extra });
  res.end(text);
}

export async function handleProduct(req: IncomingMessage, res: ServerResponse, endpoint: string, gh: Gatehouse): Promise<void> {
  req.resume();
  switch (endpoint) {
    case '/health':
      if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { message: 'Method Not Allowed' }, { Allow: 'GET, HEAD' });
      return json(res, 200, { status: 'ok' });
    case '/reset': {
      if (!gh.config.dev) return json(res, 404, { message: 'Not Found: /_gatehouse/reset is available only in dev mode (--dev or GATEHOUSE_DEV=1)' });
      if (req.method !== 'POST') return json(res, 405, { message: 'Method Not Allowed' }, { Allow: 'POST' });
      // A page on another origin is refused outright; and no page can send the confirmation header without a CORS
      // preflight, which Gatehouse never grants here.
      const foreign = gh.controlGuard.refusedOrigin(req);
      if (foreign !== undefined) return json(res, 403, { message: `Cross-origin requests from '${foreign}' may not reset Gatehouse` });
      if (req.headers['x-gatehouse-confirm'] !== 'reset') {
        return json(res, 400, { message: "Reset wipes all state: send the header 'x-gatehouse-confirm: reset' to confirm" });
      }
      await gh.reset();
      return json(res, 200, { reset: true });
    }
    default:
      return json(res, 404, { message: `Not Found: /_gatehouse${endpoint}` });
  }
}

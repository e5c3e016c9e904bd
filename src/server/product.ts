// Gatehouse's own endpoints under /_gatehouse/: health, metrics, the dev-mode reset, and the console.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Gatehouse } from './app.ts';
import { localJwks } from '../auth/jwt/local-keys.ts';
import { POOL_ID } from '../auth/jwt/user-pool.ts';
import { serveConsole } from './console-assets.ts';
import { AwsError } from '../aws/errors.ts';
import { writeAwsError } from './control-guard.ts';

// The JWKS of a local user pool (`gatehouse tokens issue`), where an OIDC client or a backend verifying tokens
// itself finds it: the path Cognito uses after its issuer, under /_gatehouse/user-pools/{poolId}.
const LOCAL_POOL_JWKS = /^\/user-pools\/([^/]+)\/\.well-known\/jwks\.json$/;

/** Whether a product endpoint serves only public data (a local pool's JWKS), which anyone may read, functions too. */
export function isPublicProductEndpoint(endpoint: string): boolean {
  return LOCAL_POOL_JWKS.test(endpoint);
}

function json(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...extra });
  res.end(text);
}

export async function handleProduct(req: IncomingMessage, res: ServerResponse, endpoint: string, gh: Gatehouse, query = ''): Promise<void> {
  req.resume();
  switch (endpoint) {
    case '/health':
    case '/health/live':
    case '/health/ready': {
      // Live: the process answers. Ready: its store, Redis and other components can serve (./health.ts).
      if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { message: 'Method Not Allowed' }, { Allow: 'GET, HEAD' });
      const ready = endpoint === '/health/ready' || (endpoint === '/health' && new URLSearchParams(query).has('ready'));
      if (!ready) return json(res, 200, { status: 'ok' });
      const r = await gh.health.readiness();
      return json(res, r.ready ? 200 : 503, r.body, { 'Cache-Control': 'no-store' });
    }
    case '/metrics': {
      // Prometheus's text exposition format (src/observe/prometheus.ts). Without --require-auth, readable by whoever
      // reaches the port; with it, by SigV4 callers allowed cloudwatch:GetMetricData or the scrape token
      // (src/server/metrics-access.ts).
      if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { message: 'Method Not Allowed' }, { Allow: 'GET, HEAD' });
      if (gh.metricsAccess) {
        try {
          await gh.metricsAccess(req, (req.url ?? '/').split('?')[0]!, new URLSearchParams(query));
        } catch (err) {
          if (err instanceof AwsError) return writeAwsError(req, res, err);
          throw err;
        }
      }
      const text = await gh.prometheus.text();
      res.writeHead(200, { 'Content-Type': gh.prometheus.contentType, 'Content-Length': Buffer.byteLength(text) });
      res.end(req.method === 'HEAD' ? undefined : text);
      return;
    }
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
    default: {
      if (endpoint === '/console' || endpoint.startsWith('/console/')) return serveConsole(req, res, endpoint);
      const pool = LOCAL_POOL_JWKS.exec(endpoint)?.[1];
      if (pool !== undefined && POOL_ID.test(pool)) {
        if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { message: 'Method Not Allowed' }, { Allow: 'GET, HEAD' });
        const key = await gh.localPoolKeys.read(pool);
        if (!key) return json(res, 404, { message: `Not Found: user pool ${pool} has no local key (gatehouse tokens issue --user-pool … creates it)` });
        return json(res, 200, localJwks(key), { 'Cache-Control': 'max-age=300' });
      }
      return json(res, 404, { message: `Not Found: /_gatehouse${endpoint}` });
    }
  }
}

// What a control request (apigateway, lambda, and every AWS API added later) must pass before its service sees it:
// it comes from no foreign web page (Origin / Sec-Fetch-Site), and it carries a SigV4 Authorization header or
// presigned query of the right shape (AWS's front-end answers otherwise). A browser can send neither an
// Authorization header nor a custom header cross-origin without a CORS preflight, and preflights succeed only for
// the origins the operator allows (`--cors-origin`) and the page's own origin (the console's), so a page on another
// origin can drive nothing — not even with a presigned-looking query, which the Origin check refuses.
// The signature itself is verified after this screen, once the service has read the body it covers
// (`--require-auth`: src/auth/sigv4-verify.ts, through ServiceEnv.authenticate).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AwsError } from '../aws/errors.ts';
import { signatureShapeError } from '../aws/sigv4.ts';

const EXPOSED = 'x-amzn-RequestId, x-amzn-ErrorType, x-amz-request-id, x-amz-apigw-id, x-amz-function-error, x-amz-log-result, x-amz-executed-version, ETag, Date, Location';
const METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE';

export class CrossOriginRefused extends AwsError {
  constructor(origin: string) {
    super(
      'AccessDeniedException',
      403,
      `Cross-origin requests from '${origin}' to Gatehouse's control APIs are refused; the operator can allow an origin with --cors-origin`,
    );
  }
}

export class ControlGuard {
  private readonly allowed: ReadonlySet<string>;
  private readonly any: boolean;

  constructor(corsOrigins: readonly string[]) {
    this.allowed = new Set(corsOrigins.map((o) => o.trim().toLowerCase().replace(/\/$/, '')).filter(Boolean));
    this.any = this.allowed.has('*');
  }

  /**
   * The request's foreign origin when it is refused, else undefined. Requests from tools (no Origin, no
   * Sec-Fetch-Site) and from the page's own origin pass.
   */
  refusedOrigin(req: IncomingMessage): string | undefined {
    const origin = req.headers.origin;
    if (origin === undefined) {
      // A no-cors navigation or subresource request sends no Origin on GET; Sec-Fetch-Site still tells.
      const site = req.headers['sec-fetch-site'];
      return site === 'cross-site' || site === 'same-site' ? `(${site} request)` : undefined;
    }
    return this.originAllowed(origin, req.headers.host) ? undefined : origin;
  }

  private originAllowed(origin: string, host: string | undefined): boolean {
    const o = origin.toLowerCase();
    if (this.any || this.allowed.has(o)) return o !== 'null' || this.allowed.has('null');
    // Same origin: the page was served by this very host (the console).
    const sep = o.indexOf('://');
    return sep !== -1 && host !== undefined && o.slice(sep + 3) === host.toLowerCase();
  }

  /**
   * Answers a CORS preflight or refuses the request (returns true: nothing else to do), or decorates an allowed
   * cross-origin request's response with CORS headers (returns false: go on).
   */
  screen(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): boolean {
    const refused = this.refusedOrigin(req);
    if (refused !== undefined) {
      writeAwsError(req, res, new CrossOriginRefused(refused));
      return true;
    }
    const origin = req.headers.origin;
    if (origin !== undefined) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
        req.resume();
        res.writeHead(204, {
          'Access-Control-Allow-Methods': METHODS,
          'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? '',
          'Access-Control-Max-Age': '600',
          'Content-Length': '0',
        });
        res.end();
        return true;
      }
      res.setHeader('Access-Control-Expose-Headers', EXPOSED);
    }
    const auth = req.headers.authorization;
    const dated = req.headers['x-amz-date'] !== undefined || req.headers.date !== undefined;
    const shape = signatureShapeError(auth, query, dated);
    if (shape) {
      writeAwsError(req, res, shape);
      return true;
    }
    return false;
  }
}

/** An AWS-shaped refusal written before any service saw the request (its body is drained, not read). */
export function writeAwsError(req: IncomingMessage, res: ServerResponse, err: AwsError): void {
  req.resume();
  const body = JSON.stringify({ message: err.message });
  res.writeHead(err.status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-ErrorType': err.code,
    ...err.headers,
  });
  res.end(body);
}

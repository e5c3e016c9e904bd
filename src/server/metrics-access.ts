// Who may read /_gatehouse/metrics (Prometheus text: every API's and function's traffic).
//
// Without --require-auth: whoever reaches the port, like /health and like the control APIs then (bind Gatehouse to
// loopback or firewall it). With --require-auth the metrics are guarded as CloudWatch's are, since they are the same
// data: either a SigV4-signed GET (service `monitoring`) by an identity whose policies allow
// `cloudwatch:GetMetricData` — `curl --aws-sigv4 aws:amz:us-east-1:monitoring --user KEY:SECRET …` — or, because a
// Prometheus scrape cannot sign SigV4, `Authorization: Bearer TOKEN` with the token Gatehouse writes at first start
// to `{dataDir}/metrics-token` (mode 0600; Prometheus reads it with `authorization: {credentials_file: …}`). Deleting
// the file and restarting issues a new token.
import type { IncomingMessage } from 'node:http';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { AwsError } from '../aws/errors.ts';
import { controlCall, type ServiceEnv } from '../aws/service.ts';
import { credentialScope, signatureShapeError } from '../aws/sigv4.ts';

export const METRICS_TOKEN_FILE = 'metrics-token';

/** Reads the scrape token, writing a new one when there is none. */
export function ensureMetricsToken(dataDir: string): { file: string; token: string } {
  const file = join(dataDir, METRICS_TOKEN_FILE);
  if (!existsSync(file)) writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
  const token = readFileSync(file, 'utf8').trim();
  if (token === '') throw new AwsError('InternalFailure', 500, `${file} is empty: delete it and restart Gatehouse to issue a new metrics token`);
  return { file, token };
}

/** Throws the AWS error to answer when `req` may not read the metrics; returns when it may. */
export type MetricsAccess = (req: IncomingMessage, rawPath: string, query: URLSearchParams) => Promise<void>;

export function metricsAccess(env: ServiceEnv, token: string | undefined): MetricsAccess {
  const expected = token === undefined ? undefined : Buffer.from(`Bearer ${token}`);
  return async (req, rawPath, query) => {
    if (env.authenticate === undefined || env.authorize === undefined) return;
    const auth = req.headers.authorization;
    if (expected !== undefined && typeof auth === 'string' && auth.startsWith('Bearer ')) {
      const given = Buffer.from(auth);
      if (given.length === expected.length && timingSafeEqual(given, expected)) return;
      throw new AwsError('AccessDenied', 403, `The bearer token is not this Gatehouse's metrics token (${METRICS_TOKEN_FILE} in its data directory)`);
    }
    // The same screen as a control request's (Missing Authentication Token, incomplete signatures), then verification.
    const shape = signatureShapeError(typeof auth === 'string' ? auth : undefined, query, req.headers['x-amz-date'] !== undefined || req.headers.date !== undefined);
    if (shape) throw shape;
    await env.authenticate(req, rawPath, query, Buffer.alloc(0), 'monitoring');
    const scope = credentialScope(typeof auth === 'string' ? auth : undefined, query);
    await env.authorize(controlCall(req, 'monitoring', 'GetMetricData', {}, rawPath, scope?.region ?? env.defaultRegion, scope?.accessKeyId));
  };
}

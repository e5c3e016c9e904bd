// Gatehouse's settings, from flags and environment (flags win), with the defaults the README documents. Every value
// is checked here, before anything starts: a bad one stops startup with a ConfigError naming the setting and the
// value, never a NaN port or an account id that would end up in every ARN.
import { statSync } from 'node:fs';
import { ConfigError } from './startup-errors.ts';
import { endpointUrlsFromEnv } from '../execute/integrations/aws-endpoints.ts';
import { databaseUrlProblem, redactDatabaseUrl } from '../store/database-url.ts';
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from '../observe/request-log.ts';
import { isCidr, parseVpcEndpoint, type VpcEndpointNetwork } from '../execute/authorization/networks.ts';
import { POOL_ID } from '../auth/jwt/user-pool.ts';
import { tracesUrlFromEnv } from '../observe/otlp-exporter.ts';
import { REDIS_FAILURE_POLICIES, type RedisFailurePolicy } from '../redis/redis-link.ts';

export interface GatehouseConfig {
  port: number;
  host: string;
  /** Embedded mode: the SQLite store and everything else. Scale-out mode: this node's own files (caches, TLS CA). */
  dataDir: string;
  /**
   * Scale-out mode (`--database-url`, GATEHOUSE_DATABASE_URL): the PostgreSQL every node shares for its state, in
   * place of the data directory's SQLite file. Undefined: embedded mode.
   */
  databaseUrl?: string;
  dev: boolean;
  accountId: string;
  defaultRegion: string;
  /** Host names served besides loopback names, IP literals, execute-api hosts and custom domains (`--public-host`). */
  publicHosts: string[];
  /** Origins whose pages may call the control APIs (`--cors-origin`); the page's own origin always may. */
  corsOrigins: string[];
  /** Directories under which functions may run hot-reloaded code (`--hot-reload-root`, repeatable). */
  hotReloadRoots: string[];
  /** HTTPS listener port (`--tls-port`); undefined: no HTTPS. */
  tlsPort?: number;
  /** Default certificate and key (PEM files) of the HTTPS listener; neither: one issued by Gatehouse's own CA. */
  tlsCert?: string;
  tlsKey?: string;
  /** Run functions without the bubblewrap sandbox (`--unsafe-functions`), as processes of Gatehouse's own user. */
  unsafeFunctions?: boolean;
  /** Verify the SigV4 signature of every control request against the stored access keys (`--require-auth`). */
  requireAuth?: boolean;
  /**
   * Client networks that stand for VPC endpoints (`--vpc-endpoint vpce-ID=CIDR[,CIDR…][@vpc-ID]`, repeatable): requests
   * from them carry aws:SourceVpce / aws:SourceVpc and may reach PRIVATE APIs.
   */
  vpcEndpoints: VpcEndpointNetwork[];
  /** Peers (CIDRs) whose `x-amzn-vpce-id` header names the VPC endpoint a request came through (`--vpce-header-from`). */
  vpceHeaderFrom: string[];
  /**
   * The account-level throttle of every region (`--account-throttle RATE:BURST`, GATEHOUSE_ACCOUNT_THROTTLE); AWS's
   * default is 10000 requests per second with a burst of 5000. GetAccount reports it; UpdateAccount cannot change it.
   */
  accountThrottle?: { rateLimit: number; burstLimit: number };
  /** Pool id → JWKS URL whose keys verify that user pool's tokens (`--user-pool-jwks POOL_ID=URL`, repeatable). */
  userPoolJwks: Record<string, string>;
  /** Time limit of one JWKS fetch (GATEHOUSE_USER_POOL_JWKS_TIMEOUT_MS, default 5000). */
  userPoolJwksTimeoutMs?: number;
  /** Least time between two fetches of one pool's JWKS for unknown kids (GATEHOUSE_USER_POOL_JWKS_REFETCH_MS, default 10000). */
  userPoolJwksRefetchMs?: number;
  /**
   * Where spans of tracingEnabled stages go: an OTLP/HTTP traces URL (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, or
   * OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces). Undefined: no collector, and tracingEnabled stages are named in a WARN line.
   */
  otlpTracesUrl?: string;
  /**
   * Endpoints of AWS services that AWS integrations call: the SDKs' AWS_ENDPOINT_URL_<SERVICE_ID> and
   * AWS_ENDPOINT_URL variables (name → URL), checked as http(s) URLs (src/execute/integrations/aws-endpoints.ts).
   */
  awsEndpointUrls: Record<string, string>;
  /**
   * Credentials AWS integrations sign with when their role is not one of Gatehouse's own IAM roles
   * (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN); undefined: none.
   */
  awsCredentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /**
   * Scale-out mode's Redis (`--redis-url`, GATEHOUSE_REDIS_URL: redis:// or rediss://): throttles, quotas and the
   * stage cache are shared through it by every node. Undefined: in-process counters and cache.
   */
  redisUrl?: string;
  /** What a request does while Redis cannot answer (`--redis-failure`, GATEHOUSE_REDIS_FAILURE; default open). */
  redisFailure: RedisFailurePolicy;
  /** Prefix of every Redis key and channel (`--redis-prefix`, GATEHOUSE_REDIS_PREFIX; default `gatehouse:`). */
  redisPrefix: string;
  /** The process log's format (`--log-format`, GATEHOUSE_LOG_FORMAT): text lines, or pino's JSON. */
  logFormat: LogFormat;
  /** The process log's level (`--log-level`, GATEHOUSE_LOG_LEVEL); `silent` writes nothing (tests). */
  logLevel: LogLevel;
}

function list(value: string | undefined): string[] {
  return value ? value.split(',').map((v) => v.trim()).filter(Boolean) : [];
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): GatehouseConfig {
  checkFunctionTuning(env);
  return {
    port: fromEnv(env, 'GATEHOUSE_PORT', parsePort) ?? 4567,
    host: fromEnv(env, 'GATEHOUSE_HOST', parseHost) ?? '127.0.0.1',
    dataDir: env.GATEHOUSE_DATA_DIR || './.gatehouse',
    databaseUrl: fromEnv(env, 'GATEHOUSE_DATABASE_URL', parseDatabaseUrl),
    dev: fromEnv(env, 'GATEHOUSE_DEV', parseSwitch) ?? false,
    accountId: fromEnv(env, 'GATEHOUSE_ACCOUNT_ID', parseAccountId) ?? '123456789012',
    defaultRegion: fromEnv(env, 'AWS_REGION', parseRegion) ?? fromEnv(env, 'AWS_DEFAULT_REGION', parseRegion) ?? 'us-east-1',
    publicHosts: list(env.GATEHOUSE_PUBLIC_HOSTS),
    corsOrigins: list(env.GATEHOUSE_CORS_ORIGINS),
    hotReloadRoots: fromEnv(env, 'GATEHOUSE_HOT_RELOAD_ROOTS', parseDirectories) ?? [],
    tlsPort: fromEnv(env, 'GATEHOUSE_TLS_PORT', parsePort),
    tlsCert: env.GATEHOUSE_TLS_CERT || undefined,
    tlsKey: env.GATEHOUSE_TLS_KEY || undefined,
    unsafeFunctions: fromEnv(env, 'GATEHOUSE_UNSAFE_FUNCTIONS', parseSwitch) ?? false,
    requireAuth: fromEnv(env, 'GATEHOUSE_REQUIRE_AUTH', parseSwitch) ?? false,
    vpcEndpoints: (env.GATEHOUSE_VPC_ENDPOINTS ?? '').split(';').filter((v) => v.trim() !== '').map((v) => parseVpcEndpointSetting(v, 'GATEHOUSE_VPC_ENDPOINTS')),
    vpceHeaderFrom: list(env.GATEHOUSE_VPCE_HEADER_FROM).map((v) => parseCidr(v, 'GATEHOUSE_VPCE_HEADER_FROM')),
    accountThrottle: fromEnv(env, 'GATEHOUSE_ACCOUNT_THROTTLE', parseAccountThrottle),
    userPoolJwks: userPoolJwksMap(fromEnv(env, 'GATEHOUSE_USER_POOL_JWKS', (v, source) => list(v).map((one) => parseUserPoolJwks(one, source))) ?? [], 'GATEHOUSE_USER_POOL_JWKS'),
    userPoolJwksTimeoutMs: fromEnv(env, 'GATEHOUSE_USER_POOL_JWKS_TIMEOUT_MS', parseMilliseconds),
    userPoolJwksRefetchMs: fromEnv(env, 'GATEHOUSE_USER_POOL_JWKS_REFETCH_MS', parseMilliseconds),
    otlpTracesUrl: otlpTracesUrl(env),
    awsEndpointUrls: endpointUrlsFromEnv(env, (name, value) => {
      throw new ConfigError(`${name}=${JSON.stringify(value)} is not an http or https URL without query (e.g. http://127.0.0.1:8000)`);
    }),
    awsCredentials: awsCredentials(env),
    redisUrl: fromEnv(env, 'GATEHOUSE_REDIS_URL', parseRedisUrl),
    redisFailure: fromEnv(env, 'GATEHOUSE_REDIS_FAILURE', parseRedisFailure) ?? 'open',
    redisPrefix: env.GATEHOUSE_REDIS_PREFIX || 'gatehouse:',
    logFormat: fromEnv(env, 'GATEHOUSE_LOG_FORMAT', parseLogFormat) ?? 'text',
    logLevel: fromEnv(env, 'GATEHOUSE_LOG_LEVEL', parseLogLevel) ?? 'info',
  };
}

/** The AWS SDKs' credential variables: both key parts or neither. */
function awsCredentials(env: NodeJS.ProcessEnv): GatehouseConfig['awsCredentials'] {
  const accessKeyId = env.AWS_ACCESS_KEY_ID || undefined;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY || undefined;
  if (accessKeyId === undefined && secretAccessKey === undefined) return undefined;
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    throw new ConfigError(`${accessKeyId === undefined ? 'AWS_SECRET_ACCESS_KEY' : 'AWS_ACCESS_KEY_ID'} is set without ${accessKeyId === undefined ? 'AWS_ACCESS_KEY_ID' : 'AWS_SECRET_ACCESS_KEY'}: AWS integrations need both (or neither)`);
  }
  return { accessKeyId, secretAccessKey, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) };
}

/** OpenTelemetry's exporter variables (the specification's names and rule), checked as http(s) URLs. */
function otlpTracesUrl(env: NodeJS.ProcessEnv): string | undefined {
  const found = tracesUrlFromEnv(env);
  if (found === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(found.url);
  } catch {
    throw new ConfigError(`${found.source}=${JSON.stringify(env[found.source])} is not a URL (e.g. http://localhost:4318)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`${found.source}=${JSON.stringify(env[found.source])} is not an http or https URL (OTLP/HTTP)`);
  return url.href;
}

/** An environment variable's parsed value; unset and empty both mean "use the default". */
function fromEnv<T>(env: NodeJS.ProcessEnv, name: string, parse: (value: string, source: string) => T): T | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : parse(value, name);
}

// The parsers below take the raw text and the name of the setting it came from (`--port`, `GATEHOUSE_PORT`), which
// the error names. The CLI uses the same ones for its flags.

export function parseLogFormat(value: string, source: string): LogFormat {
  const v = value.trim();
  if (!(LOG_FORMATS as readonly string[]).includes(v)) throw new ConfigError(`${source}=${JSON.stringify(value)} is not a log format (${LOG_FORMATS.join(' or ')})`);
  return v as LogFormat;
}

export function parseLogLevel(value: string, source: string): LogLevel {
  const v = value.trim().toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(v)) throw new ConfigError(`${source}=${JSON.stringify(value)} is not a log level (${LOG_LEVELS.join(', ')})`);
  return v as LogLevel;
}

/** A postgres:// URL; the error quotes it with its password hidden. */
export function parseDatabaseUrl(value: string, source: string): string {
  const problem = databaseUrlProblem(value.trim());
  if (problem) throw new ConfigError(`${source}=${JSON.stringify(redactDatabaseUrl(value))} ${problem}`);
  return value.trim();
}

/** A Redis URL: redis://[user:password@]host[:port][/db] or rediss:// (TLS). */
export function parseRedisUrl(value: string, source: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value.trim());
  } catch {
    url = undefined;
  }
  // Named without its credentials: the error line goes to logs.
  const shown = JSON.stringify(value.replace(/\/\/[^@/]*@/, '//***@'));
  if (!url || (url.protocol !== 'redis:' && url.protocol !== 'rediss:') || url.hostname === '') {
    throw new ConfigError(`${source}=${shown} is not a Redis URL (redis://host:port[/db] or rediss://host:port)`);
  }
  if (url.pathname !== '' && url.pathname !== '/' && !/^\/\d{1,2}$/.test(url.pathname)) {
    throw new ConfigError(`${source}=${shown} is not a Redis URL: its path is a database number (redis://host:port/0)`);
  }
  return url.href;
}

export function parseRedisFailure(value: string, source: string): RedisFailurePolicy {
  const v = value.trim().toLowerCase();
  if (!(REDIS_FAILURE_POLICIES as readonly string[]).includes(v)) throw new ConfigError(`${source}=${JSON.stringify(value)} is not a Redis failure policy (open or closed)`);
  return v as RedisFailurePolicy;
}

export function parsePort(value: string, source: string): number {
  const n = /^\d{1,5}$/.test(value.trim()) ? Number(value) : NaN;
  if (!(n >= 0 && n <= 65535)) throw new ConfigError(`${source}=${JSON.stringify(value)} is not a port number (0-65535)`);
  return n;
}

export function parseHost(value: string, source: string): string {
  // Whether the address exists is for listen() to say; here only what can never be a listen address. An IPv6
  // address may come in URL brackets (`[::1]`).
  const host = /^\[([0-9A-Fa-f:.%a-z0-9]+)\]$/.exec(value)?.[1] ?? value;
  if (!/^[A-Za-z0-9.:%_-]+$/.test(host)) throw new ConfigError(`${source}=${JSON.stringify(value)} is not an IP address or a host name`);
  return host;
}

export function parseVpcEndpointSetting(value: string, source: string): VpcEndpointNetwork {
  const parsed = parseVpcEndpoint(value);
  if (!parsed) throw new ConfigError(`${source}=${JSON.stringify(value)} is not vpce-ID=CIDR[,CIDR...][@vpc-ID]`);
  return parsed;
}

export function parseCidr(value: string, source: string): string {
  if (!isCidr(value.trim())) throw new ConfigError(`${source}=${JSON.stringify(value)} is not an IP address or CIDR block`);
  return value.trim();
}

export function parseSwitch(value: string, source: string): boolean {
  const v = value.trim().toLowerCase();
  if (v === '1' || v === 'true' || v === 'yes' || v === 'on') return true;
  if (v === '0' || v === 'false' || v === 'no' || v === 'off') return false;
  throw new ConfigError(`${source}=${JSON.stringify(value)} is not a switch (use 1 or 0, true or false)`);
}

export function parseAccountId(value: string, source: string): string {
  if (!/^\d{12}$/.test(value)) throw new ConfigError(`${source}=${JSON.stringify(value)} is not an AWS account id (12 digits)`);
  return value;
}

/** `:`-separated directories that must exist (GATEHOUSE_HOT_RELOAD_ROOTS). */
export function parseDirectories(value: string, source: string): string[] {
  const dirs = value.split(':').filter(Boolean);
  for (const dir of dirs) {
    if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new ConfigError(`${source}=${JSON.stringify(value)}: ${dir} is not a directory`);
  }
  return dirs;
}

/**
 * The embedded Lambda's tuning variables (GATEHOUSE_LAMBDA_*_MS, *_CONCURRENCY, *_MAX_*, read by src/functions) are
 * numbers: checked here, so a typo stops startup with its name instead of quietly meaning the default.
 */
function checkFunctionTuning(env: NodeJS.ProcessEnv): void {
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('GATEHOUSE_LAMBDA_') || value === undefined || value === '') continue;
    if (!/_MS$|_CONCURRENCY$|_MAX_/.test(name)) continue;
    const list = name.endsWith('_DELAYS_MS');
    const parts = list ? value.split(',') : [value];
    if (!parts.every((p) => /^\d+(\.\d+)?$/.test(p.trim()))) {
      throw new ConfigError(`${name}=${JSON.stringify(value)} is not ${list ? 'a comma-separated list of numbers' : 'a non-negative number'}`);
    }
  }
}

export function parseRegion(value: string, source: string): string {
  // Lenient on purpose (new regions and partitions appear), but a region ends up in ARNs and host names.
  if (!/^[a-z]{2}(-[a-z0-9]+)+$/.test(value)) throw new ConfigError(`${source}=${JSON.stringify(value)} is not an AWS region name (e.g. us-east-1)`);
  return value;
}

/** `RATE:BURST`: requests per second (a positive number) and burst (a positive integer), e.g. `10000:5000`. */
export function parseAccountThrottle(value: string, source: string): { rateLimit: number; burstLimit: number } {
  const m = /^\s*(\d+(?:\.\d+)?):(\d+)\s*$/.exec(value);
  const rateLimit = m ? Number(m[1]) : NaN;
  const burstLimit = m ? Number(m[2]) : NaN;
  if (!(rateLimit > 0) || !(burstLimit >= 1) || !Number.isSafeInteger(burstLimit) || !Number.isFinite(rateLimit)) {
    throw new ConfigError(`${source}=${JSON.stringify(value)} is not RATE:BURST (requests per second and burst, both positive, e.g. 10000:5000)`);
  }
  return { rateLimit, burstLimit };
}

/** `POOL_ID=URL` (`--user-pool-jwks`): a Cognito pool id and the http(s) URL of the JWKS that verifies its tokens. */
export function parseUserPoolJwks(value: string, source: string): [string, string] {
  const i = value.indexOf('=');
  const poolId = i === -1 ? '' : value.slice(0, i).trim();
  const url = i === -1 ? '' : value.slice(i + 1).trim();
  const example = 'e.g. us-east-1_AbC123=https://issuer.example/.well-known/jwks.json';
  if (!POOL_ID.test(poolId)) throw new ConfigError(`${source}=${JSON.stringify(value)} is not POOL_ID=URL with a Cognito user pool id such as us-east-1_AbC123 (${example})`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`${source}=${JSON.stringify(value)} is not POOL_ID=URL: ${JSON.stringify(url)} is not a URL (${example})`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError(`${source}=${JSON.stringify(value)} is not POOL_ID=URL: the JWKS URL must be http or https`);
  }
  return [poolId, parsed.href];
}

/** Pool id → URL, refusing one pool given two different URLs. */
export function userPoolJwksMap(pairs: Array<[string, string]>, source: string, into: Record<string, string> = {}): Record<string, string> {
  for (const [poolId, url] of pairs) {
    const known = into[poolId];
    if (known !== undefined && known !== url) throw new ConfigError(`${source}: user pool ${poolId} is given two JWKS URLs (${known} and ${url})`);
    into[poolId] = url;
  }
  return into;
}

export function parseMilliseconds(value: string, source: string): number {
  const n = /^\d{1,9}$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isFinite(n)) throw new ConfigError(`${source}=${JSON.stringify(value)} is not a number of milliseconds`);
  return n;
}
